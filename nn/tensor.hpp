// Tensor: a shape and the Values in it, row-major. What Conv2D, the pooling layers and Sequential
// pass along: an image is a Tensor of shape [channels, height, width].
//
// It is not a tensor library: there is no arithmetic on Tensors. Every number is still one Value
// and every operation is made of scalar ops, so a convolution is exactly the multiply-adds you
// would write by hand. Copies alias the Values, as copies of a Value do.
//
// The shape always matches the Values (element_count(shape()) == size()): both are set together by
// a constructor and only read afterwards, so no code can index past the Values by trusting a shape
// someone changed. The Values themselves are handles, so their numbers stay writable.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace micrograd::nn {

using Shape = std::vector<std::size_t>;

// "[3, 28, 28]"; "[]" for a scalar.
std::string shape_string(const Shape& shape);

// The number of elements of a tensor of this shape: the product of the sizes (1 for [], 0 if a size
// is 0). Throws std::invalid_argument if the product does not fit in std::size_t.
std::size_t element_count(const Shape& shape);

class Tensor {
 public:
  // An empty tensor: shape [0], no Values.
  Tensor() = default;
  // Throws std::invalid_argument if values.size() is not element_count(shape).
  Tensor(Shape shape, std::vector<Value> values);
  // A vector of n Values is a tensor of shape [n]: what Layer and MLP take.
  Tensor(std::vector<Value> values);  // NOLINT(google-explicit-constructor)

  // Copies alias the Values. A moved-from tensor is empty (shape [0]), never a shape without its
  // Values; giving it that shape allocates, so moves are not noexcept.
  Tensor(const Tensor&) = default;
  Tensor& operator=(const Tensor&) = default;
  Tensor(Tensor&& other);
  Tensor& operator=(Tensor&& other);
  ~Tensor() = default;

  // Fresh leaves holding `data`, for inputs: Tensor::from_data({1, 28, 28}, pixels).
  static Tensor from_data(Shape shape, const std::vector<double>& data);

  const Shape& shape() const { return shape_; }
  const std::vector<Value>& values() const { return values_; }  // row-major, the last index fastest
  std::size_t rank() const { return shape_.size(); }
  std::size_t size() const { return values_.size(); }
  // The element at (c, h, w) of a rank-3 tensor, unchecked: values()[(c * H + h) * W + w].
  const Value& at(std::size_t c, std::size_t h, std::size_t w) const {
    return values_[(c * shape_[1] + h) * shape_[2] + w];
  }
  // The data of every element, in order.
  std::vector<double> data() const;

 private:
  Shape shape_{0};
  std::vector<Value> values_;  // element_count(shape_) Values
};

// Fresh leaves: std::vector<Value> with these numbers, for the input of a model.
std::vector<Value> to_values(const std::vector<double>& data);

}  // namespace micrograd::nn
