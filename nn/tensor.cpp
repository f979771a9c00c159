// Tensor's constructors and shape helpers.
#include "nn/tensor.hpp"

#include <limits>
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
  for (std::size_t size : shape) {
    if (size == 0) return 0;  // empty, however large the other sizes
  }
  // Each product is checked before it is formed: size_t arithmetic wraps around silently, and
  // [2^32, 2^32] would count 0 elements.
  std::size_t count = 1;
  for (std::size_t size : shape) {
    if (count > std::numeric_limits<std::size_t>::max() / size) {
      throw std::invalid_argument("shape " + shape_string(shape) +
                                  " has more elements than std::size_t can count (" +
                                  std::to_string(std::numeric_limits<std::size_t>::max()) +
                                  "); check the sizes (a negative number converted to size_t?)");
    }
    count *= size;
  }
  return count;
}

Tensor::Tensor(Shape shape, std::vector<Value> values)
    : shape_(std::move(shape)), values_(std::move(values)) {
  const std::size_t expected = element_count(shape_);
  if (values_.size() != expected) {
    throw std::invalid_argument("Tensor: shape " + shape_string(shape_) + " holds " +
                                std::to_string(expected) + " values, but " +
                                std::to_string(values_.size()) + " were given");
  }
}

Tensor::Tensor(std::vector<Value> values) : shape_{values.size()}, values_(std::move(values)) {}

// The empty shape [0] is made first: if that allocation fails, `other` is left as it was.
Tensor::Tensor(Tensor&& other) {
  shape_.swap(other.shape_);
  values_.swap(other.values_);
}

Tensor& Tensor::operator=(Tensor&& other) {
  if (this != &other) {
    Shape empty{0};
    shape_ = std::exchange(other.shape_, std::move(empty));
    values_ = std::exchange(other.values_, {});
  }
  return *this;
}

Tensor Tensor::from_data(Shape shape, const std::vector<double>& data) {
  return Tensor(std::move(shape), to_values(data));
}

std::vector<double> Tensor::data() const {
  std::vector<double> result;
  result.reserve(values_.size());
  for (const Value& value : values_) result.push_back(value.data());
  return result;
}

std::vector<Value> to_values(const std::vector<double>& data) {
  return std::vector<Value>(data.begin(), data.end());
}

}  // namespace micrograd::nn
