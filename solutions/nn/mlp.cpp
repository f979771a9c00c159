// A neuron, a layer of neurons, and a multi-layer perceptron: micrograd's nn.py, on Values.
//
// A neuron computes activation(b + w0*x0 + w1*x1 + ...). Written with Value's operators, that sum
// *is* a computation graph: backward() will find every weight's share of the loss through it, so
// there is no backward pass to write in this chapter. Each class is here whole: its constructors,
// shape checks and parameter views are written for you; the forward passes and MLP::parameters()
// are yours.
#include <stdexcept>
#include <string>
#include <utility>

#include "nn/mlp.hpp"

#include "engine/many_inputs.hpp"

namespace micrograd::nn {
namespace {

// Throws std::invalid_argument unless x holds `nin` values: "Layer(2, 16, relu): expected an input
// of 2 values (shape [2]), got 3 (shape [3])", then `detail`. (A literal, not a std::string: this
// runs once per neuron per sample, and a string built there cost an allocation each time.)
void check_input(const Module& module, std::size_t nin, const std::vector<Value>& x,
                 const char* detail = "") {
  if (x.size() == nin) return;
  throw std::invalid_argument(module.describe() + ": expected an input of " + std::to_string(nin) +
                              " values (shape [" + std::to_string(nin) + "]), got " +
                              std::to_string(x.size()) + " (shape [" + std::to_string(x.size()) +
                              "])" + detail);
}

// Layer::forward and MLP::forward: the module applied to a tensor of shape [nin].
template <typename VectorModule>
Tensor forward_vector(const VectorModule& module, const Tensor& input) {
  if (input.rank() != 1) {
    throw std::invalid_argument(module.describe() + ": expected a tensor of shape [" +
                                std::to_string(module.nin()) + "], got shape " +
                                shape_string(input.shape()) + "; put a Flatten() before it");
  }
  return Tensor(module(input.values()));
}

}  // namespace

// ---- Neuron -------------------------------------------------------------------------------------

Neuron::Neuron(std::size_t nin, Activation activation, Init init) : activation_(activation) {
  if (nin == 0) throw std::invalid_argument("Neuron: nin must be at least 1, got 0");
  weights_ = init_weights(nin, init, nin, 1);
  bias_ = Value(0.0);
}

Neuron::Neuron(std::vector<Value> weights, Value bias, Activation activation)
    : weights_(std::move(weights)), bias_(std::move(bias)), activation_(activation) {
  if (weights_.empty()) throw std::invalid_argument("Neuron: needs at least one weight, got 0");
}

Value Neuron::operator()(const std::vector<Value>& x) const {
  check_input(*this, nin(), x, ": one input per weight");
  // The fused form (use_fused_ops(), chapter 9): the same sum, in the same order, as one node.
  if (uses_fused_ops()) return activate(dot(weights_, x, bias_), activation_);
  // EXERCISE 5.1 "neuron forward": return activate(b + w0*x0 + w1*x1 + ..., activation_).
  // BEGIN SOLUTION
  Value sum = bias_;
  for (std::size_t i = 0; i < weights_.size(); ++i) sum += weights_[i] * x[i];
  return activate(sum, activation_);
  // END SOLUTION
}

std::vector<Value> Neuron::parameters() const {
  std::vector<Value> result;
  result.reserve(weights_.size() + 1);
  result.insert(result.end(), weights_.begin(), weights_.end());
  result.push_back(bias_);
  return result;
}

std::vector<NamedTensor> Neuron::named_parameters() const {
  return {{"weight", {weights_.size()}, weights_}, {"bias", {}, {bias_}}};
}

std::string Neuron::describe() const {
  return "Neuron(" + std::to_string(nin()) + ", " + to_string(activation_) + ")";
}

// ---- Layer --------------------------------------------------------------------------------------

Layer::Layer(std::size_t nin, std::size_t nout, Activation activation, Init init) {
  if (nin == 0 || nout == 0) {
    throw std::invalid_argument("Layer: nin and nout must be at least 1, got Layer(" +
                                std::to_string(nin) + ", " + std::to_string(nout) + ")");
  }
  neurons_.reserve(nout);
  for (std::size_t i = 0; i < nout; ++i) {
    neurons_.emplace_back(init_weights(nin, init, nin, nout), Value(0.0), activation);
  }
}

Layer::Layer(std::vector<Neuron> neurons) : neurons_(std::move(neurons)) {
  if (neurons_.empty()) throw std::invalid_argument("Layer: needs at least one neuron, got 0");
  for (std::size_t i = 1; i < neurons_.size(); ++i) {
    if (neurons_[i].nin() != neurons_[0].nin() ||
        neurons_[i].activation() != neurons_[0].activation()) {
      throw std::invalid_argument(
          "Layer: every neuron must have the same nin and activation; "
          "neuron 0 is " +
          neurons_[0].describe() + ", neuron " + std::to_string(i) + " is " +
          neurons_[i].describe());
    }
  }
}

std::vector<Value> Layer::operator()(const std::vector<Value>& x) const {
  check_input(*this, nin(), x);
  // EXERCISE 5.2 "layer forward": return every neuron's output on x, in the order of neurons_.
  // BEGIN SOLUTION
  std::vector<Value> outputs;
  outputs.reserve(neurons_.size());
  for (const Neuron& neuron : neurons_) outputs.push_back(neuron(x));
  return outputs;
  // END SOLUTION
}

Tensor Layer::forward(const Tensor& input) const {
  return forward_vector(*this, input);
}

std::vector<Value> Layer::parameters() const {
  std::vector<Value> result;
  result.reserve(nout() * (nin() + 1));
  for (const Neuron& neuron : neurons_) {
    result.insert(result.end(), neuron.weights().begin(), neuron.weights().end());
    result.push_back(neuron.bias());
  }
  return result;
}

std::vector<NamedTensor> Layer::named_parameters() const {
  NamedTensor weight{"weight", {nout(), nin()}, {}};
  NamedTensor bias{"bias", {nout()}, {}};
  weight.values.reserve(nout() * nin());
  bias.values.reserve(nout());
  for (const Neuron& neuron : neurons_) {
    weight.values.insert(weight.values.end(), neuron.weights().begin(), neuron.weights().end());
    bias.values.push_back(neuron.bias());
  }
  return {std::move(weight), std::move(bias)};
}

std::vector<const Module*> Layer::children() const {
  std::vector<const Module*> result;
  result.reserve(neurons_.size());
  for (const Neuron& neuron : neurons_) result.push_back(&neuron);
  return result;
}

std::string Layer::describe() const {
  return "Layer(" + std::to_string(nin()) + ", " + std::to_string(nout()) + ", " +
         to_string(activation()) + ")";
}

// ---- MLP ----------------------------------------------------------------------------------------

MLP::MLP(std::size_t nin, std::vector<std::size_t> nouts, Activation activation, Init init) {
  if (nouts.empty()) {
    throw std::invalid_argument("MLP: give at least one layer size, e.g. MLP(2, {16, 16, 1})");
  }
  if (nin == 0) throw std::invalid_argument("MLP: nin must be at least 1, got 0");
  for (std::size_t size : nouts) {
    if (size == 0) {
      throw std::invalid_argument("MLP: every layer needs at least one neuron, got sizes " +
                                  shape_string(nouts));
    }
  }
  layers_.reserve(nouts.size());
  std::size_t fan_in = nin;
  for (std::size_t i = 0; i < nouts.size(); ++i) {
    const bool last = i + 1 == nouts.size();
    layers_.emplace_back(fan_in, nouts[i], last ? Activation::none : activation, init);
    fan_in = nouts[i];
  }
}

MLP::MLP(std::vector<Layer> layers) : layers_(std::move(layers)) {
  if (layers_.empty()) throw std::invalid_argument("MLP: needs at least one layer, got 0");
  for (std::size_t i = 1; i < layers_.size(); ++i) {
    if (layers_[i].nin() != layers_[i - 1].nout()) {
      throw std::invalid_argument("MLP: layer " + std::to_string(i) + " (" + layers_[i].describe() +
                                  ") must take the " + std::to_string(layers_[i - 1].nout()) +
                                  " outputs of layer " + std::to_string(i - 1) + " (" +
                                  layers_[i - 1].describe() + ")");
    }
  }
}

std::vector<Value> MLP::operator()(const std::vector<Value>& x) const {
  check_input(*this, nin(), x);
  // EXERCISE 5.3 "mlp forward": feed x through every layer in turn; return the last layer's output.
  // BEGIN SOLUTION
  std::vector<Value> outputs = layers_.front()(x);
  for (std::size_t i = 1; i < layers_.size(); ++i) outputs = layers_[i](outputs);
  return outputs;
  // END SOLUTION
}

Tensor MLP::forward(const Tensor& input) const {
  return forward_vector(*this, input);
}

std::vector<Value> MLP::parameters() const {
  // EXERCISE 5.4 "parameters": every weight and bias of the MLP, in micrograd's order: layer by
  //   layer, neuron by neuron, each neuron's weights and then its bias.
  // BEGIN SOLUTION
  std::vector<Value> result;
  for (const Layer& layer : layers_) {
    const std::vector<Value> part = layer.parameters();
    result.insert(result.end(), part.begin(), part.end());
  }
  return result;
  // END SOLUTION
}

std::vector<const Module*> MLP::children() const {
  std::vector<const Module*> result;
  result.reserve(layers_.size());
  for (const Layer& layer : layers_) result.push_back(&layer);
  return result;
}

std::string MLP::describe() const {
  // Compact when it is what MLP(nin, nouts, activation) builds, else every layer.
  bool standard = layers_.back().activation() == Activation::none;
  for (std::size_t i = 0; i + 1 < layers_.size(); ++i) {
    standard = standard && layers_[i].activation() == layers_[0].activation();
  }
  std::string text = "MLP(";
  if (standard) {
    std::vector<std::size_t> nouts;
    for (const Layer& layer : layers_) nouts.push_back(layer.nout());
    text += std::to_string(nin()) + ", " + shape_string(nouts);
    if (layers_.size() > 1) text += ", " + to_string(layers_[0].activation());
  } else {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      text += (i > 0 ? ", " : "") + layers_[i].describe();
    }
  }
  return text + ")";
}

}  // namespace micrograd::nn
