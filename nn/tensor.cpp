// Tensor's constructors and shape helpers.
#include "nn/tensor.hpp"

#include <stdexcept>
#include <utility>

namespace micrograd::nn {

std::string shape_string(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::size_t element_count(const Shape& shape) {
  std::size_t count = 1;
  for (std::size_t size : shape) count *= size;
  return count;
}

Tensor::Tensor(Shape shape_, std::vector<Value> values_)
    : shape(std::move(shape_)), values(std::move(values_)) {
  if (values.size() != element_count(shape)) {
    throw std::invalid_argument("Tensor: shape " + shape_string(shape) + " holds " +
                                std::to_string(element_count(shape)) + " values, but " +
                                std::to_string(values.size()) + " were given");
  }
}

Tensor::Tensor(std::vector<Value> values_) : shape{values_.size()}, values(std::move(values_)) {}

Tensor Tensor::from_data(Shape shape, const std::vector<double>& data) {
  return Tensor(std::move(shape), to_values(data));
}

std::vector<double> Tensor::data() const {
  std::vector<double> result;
  result.reserve(values.size());
  for (const Value& value : values) result.push_back(value.data());
  return result;
}

std::vector<Value> to_values(const std::vector<double>& data) {
  return std::vector<Value>(data.begin(), data.end());
}

}  // namespace micrograd::nn
