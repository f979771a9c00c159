// A neuron, a layer of neurons, and a multi-layer perceptron: micrograd's nn.py, on Values.
//
// A neuron computes activation(b + w0*x0 + w1*x1 + ...). Written with Value's operators, that sum
// *is* a computation graph: backward() will find every weight's share of the loss through it, so
// there is no backward pass to write in this chapter. The shape checks and constructors are done
// for you in nn/mlp_support.cpp.
#include "nn/mlp.hpp"

namespace micrograd::nn {

Value Neuron::operator()(const std::vector<Value>& x) const {
  check_input(x);  // throws std::invalid_argument unless x.size() == nin()
  // EXERCISE 5.1 "neuron forward": return activate(b + w0*x0 + w1*x1 + ..., activation_).
  // BEGIN SOLUTION
  Value sum = bias_;
  for (std::size_t i = 0; i < weights_.size(); ++i) sum += weights_[i] * x[i];
  return activate(sum, activation_);
  // END SOLUTION
}

std::vector<Value> Layer::operator()(const std::vector<Value>& x) const {
  check_input(x);  // throws std::invalid_argument unless x.size() == nin()
  // EXERCISE 5.2 "layer forward": return every neuron's output on x, in the order of neurons_.
  // BEGIN SOLUTION
  std::vector<Value> outputs;
  outputs.reserve(neurons_.size());
  for (const Neuron& neuron : neurons_) outputs.push_back(neuron(x));
  return outputs;
  // END SOLUTION
}

std::vector<Value> MLP::operator()(const std::vector<Value>& x) const {
  check_input(x);  // throws std::invalid_argument unless x.size() == nin()
  // EXERCISE 5.3 "mlp forward": feed x through every layer in turn; return the last layer's output.
  // BEGIN SOLUTION
  std::vector<Value> outputs = layers_.front()(x);
  for (std::size_t i = 1; i < layers_.size(); ++i) outputs = layers_[i](outputs);
  return outputs;
  // END SOLUTION
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

}  // namespace micrograd::nn
