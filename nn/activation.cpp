// Activation functions and the layers that apply one elementwise.
#include "nn/activation.hpp"

#include <stdexcept>

namespace micrograd::nn {

Value activate(const Value& x, Activation activation) {
  switch (activation) {
    case Activation::none:
      return x;
    case Activation::relu:
      return x.relu();
    case Activation::tanh:
      return x.tanh();
    case Activation::sigmoid:
      return x.sigmoid();
  }
  throw std::invalid_argument("activate: unknown Activation value " +
                              std::to_string(static_cast<int>(activation)));
}

std::string to_string(Activation activation) {
  switch (activation) {
    case Activation::none:
      return "none";
    case Activation::relu:
      return "relu";
    case Activation::tanh:
      return "tanh";
    case Activation::sigmoid:
      return "sigmoid";
  }
  return "Activation(" + std::to_string(static_cast<int>(activation)) + ")";
}

Tensor ActivationLayer::forward(const Tensor& input) const {
  std::vector<Value> output;
  output.reserve(input.size());
  for (const Value& x : input.values()) output.push_back(activate(x, activation_));
  return Tensor(input.shape(), std::move(output));
}

std::string ActivationLayer::describe() const {
  switch (activation_) {
    case Activation::none:
      return "Identity()";
    case Activation::relu:
      return "ReLU()";
    case Activation::tanh:
      return "Tanh()";
    case Activation::sigmoid:
      return "Sigmoid()";
  }
  return "ActivationLayer(" + to_string(activation_) + ")";
}

}  // namespace micrograd::nn
