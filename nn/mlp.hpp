// Neuron, Layer and MLP: micrograd's nn.py, on Values.
//
//   Neuron(nin)          activation(b + w0*x0 + w1*x1 + ...), with nin weights and a bias
//   Layer(nin, nout)     nout independent neurons reading the same inputs
//   MLP(nin, {n1, n2..}) layers in a row; every layer but the last applies the activation (ReLU by
//                        default) and the last is linear, exactly as micrograd's MLP
//
// Weights start as micrograd's uniform(-1, 1) (Init::uniform) and biases at 0; pass
// Init::kaiming_uniform or Init::xavier_uniform for wider and deeper nets (see init.hpp).
// parameters() follows micrograd's order (layer by layer, neuron by neuron, each neuron's weights
// then its bias), so weights copied from micrograd reproduce its numbers exactly. Checkpoints store
// each layer as PyTorch's nn.Linear does: "weight" [nout, nin] and "bias" [nout].
//
// With use_fused_ops() (nn/module.hpp) each neuron computes its sum as one dot() node (chapter 9):
// the same numbers, far fewer nodes.
//
// The forward passes and MLP::parameters() are exercises (chapter 5): solutions/nn/mlp.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/value.hpp"
#include "nn/activation.hpp"
#include "nn/init.hpp"
#include "nn/module.hpp"
#include "nn/tensor.hpp"

namespace micrograd::nn {

class Neuron : public Module {
 public:
  // nin weights drawn as `init` says (fan_out 1), bias 0. nin >= 1.
  explicit Neuron(std::size_t nin, Activation activation = Activation::relu,
                  Init init = Init::uniform);
  // A neuron made of these very Values (handles, not copies of their numbers). At least one weight.
  Neuron(std::vector<Value> weights, Value bias, Activation activation = Activation::relu);

  // activation(b + w0*x0 + w1*x1 + ... ) (exercise 5.1): one "*" and one "+" node per input, and
  // one activation node. Throws std::invalid_argument unless x.size() == nin().
  Value operator()(const std::vector<Value>& x) const;

  std::vector<Value> parameters() const override;              // the weights, then the bias
  std::vector<NamedTensor> named_parameters() const override;  // "weight" [nin], "bias" []
  std::string describe() const override;                       // "Neuron(2, relu)"

  std::size_t nin() const { return weights_.size(); }
  const std::vector<Value>& weights() const { return weights_; }
  const Value& bias() const { return bias_; }
  Activation activation() const { return activation_; }

 private:
  std::vector<Value> weights_;
  Value bias_;
  Activation activation_;
};

class Layer : public TensorModule {
 public:
  // nout neurons of nin inputs each; weights drawn neuron by neuron (fan_in nin, fan_out nout).
  Layer(std::size_t nin, std::size_t nout, Activation activation = Activation::relu,
        Init init = Init::uniform);
  // A layer of these neurons: at least one, all with the same nin and activation.
  explicit Layer(std::vector<Neuron> neurons);

  // Every neuron applied to x, in order (exercise 5.2). Throws std::invalid_argument unless
  // x.size() == nin().
  std::vector<Value> operator()(const std::vector<Value>& x) const;
  // The same on a tensor of shape [nin]; any other shape throws std::invalid_argument.
  Tensor forward(const Tensor& input) const override;

  std::vector<Value> parameters() const override;  // neuron by neuron, weights then bias
  // "weight" [nout, nin] (row i = neuron i's weights) and "bias" [nout], as PyTorch's nn.Linear.
  std::vector<NamedTensor> named_parameters() const override;
  // The neurons, so that settings such as use_fused_ops() reach them.
  std::vector<const Module*> children() const override;
  std::string describe() const override;  // "Layer(2, 16, relu)"

  std::size_t nin() const { return neurons_.front().nin(); }
  std::size_t nout() const { return neurons_.size(); }
  const std::vector<Neuron>& neurons() const { return neurons_; }
  Activation activation() const { return neurons_.front().activation(); }

 private:
  std::vector<Neuron> neurons_;
};

class MLP : public TensorModule {
 public:
  // Layers nin -> nouts[0] -> nouts[1] -> ...; `activation` on every layer but the last, which is
  // linear. MLP(2, {16, 16, 1}) is micrograd's MLP(2, [16, 16, 1]).
  MLP(std::size_t nin, std::vector<std::size_t> nouts, Activation activation = Activation::relu,
      Init init = Init::uniform);
  // An MLP of these layers: at least one, each layer's nin the previous layer's nout.
  explicit MLP(std::vector<Layer> layers);

  // The layers applied in turn (exercise 5.3). Throws std::invalid_argument unless
  // x.size() == nin().
  std::vector<Value> operator()(const std::vector<Value>& x) const;
  // The same on a tensor of shape [nin]; any other shape throws std::invalid_argument.
  Tensor forward(const Tensor& input) const override;

  // micrograd's order: layer by layer, neuron by neuron, weights then bias (exercise 5.4).
  std::vector<Value> parameters() const override;
  std::vector<const Module*> children() const override;  // the layers
  std::string describe() const override;                 // "MLP(2, [16, 16, 1], relu)"

  std::size_t nin() const { return layers_.front().nin(); }
  std::size_t nout() const { return layers_.back().nout(); }
  const std::vector<Layer>& layers() const { return layers_; }

 private:
  std::vector<Layer> layers_;
};

}  // namespace micrograd::nn
