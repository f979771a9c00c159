// Activation functions: the choice a Neuron, Layer or MLP makes, and layers applying one to every
// element of a Tensor (for Sequential).
#pragma once

#include <string>

#include "engine/value.hpp"
#include "nn/module.hpp"
#include "nn/tensor.hpp"

namespace micrograd::nn {

enum class Activation {
  none,     // linear: the weighted sum itself (micrograd's nonlin=False)
  relu,     // max(0, x): micrograd's default
  tanh,     // tanh(x), in (-1, 1)
  sigmoid,  // 1 / (1 + e^-x), in (0, 1)
};

// x itself for none, else x.relu(), x.tanh() or x.sigmoid(): one node (none adds no node).
Value activate(const Value& x, Activation activation);

// "none", "relu", "tanh", "sigmoid".
std::string to_string(Activation activation);

// The activation applied to every element; the shape is unchanged. No parameters.
class ActivationLayer : public TensorModule {
 public:
  explicit ActivationLayer(Activation activation) : activation_(activation) {}
  Tensor forward(const Tensor& input) const override;
  std::string describe() const override;
  Activation activation() const { return activation_; }

 private:
  Activation activation_;
};

struct ReLU : ActivationLayer {
  ReLU() : ActivationLayer(Activation::relu) {}
};
struct Tanh : ActivationLayer {
  Tanh() : ActivationLayer(Activation::tanh) {}
};
struct Sigmoid : ActivationLayer {
  Sigmoid() : ActivationLayer(Activation::sigmoid) {}
};

}  // namespace micrograd::nn
