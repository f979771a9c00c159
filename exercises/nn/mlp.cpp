// Generated from solutions/nn/mlp.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
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
  // BEGIN EXERCISE 5.1 -- TODO: replace the line below with your code
  throw NotImplemented("5.1", "neuron forward", __FILE__, __LINE__);
  // END EXERCISE 5.1
}

std::vector<Value> Layer::operator()(const std::vector<Value>& x) const {
  check_input(x);  // throws std::invalid_argument unless x.size() == nin()
  // EXERCISE 5.2 "layer forward": return every neuron's output on x, in the order of neurons_.
  // BEGIN EXERCISE 5.2 -- TODO: replace the line below with your code
  throw NotImplemented("5.2", "layer forward", __FILE__, __LINE__);
  // END EXERCISE 5.2
}

std::vector<Value> MLP::operator()(const std::vector<Value>& x) const {
  check_input(x);  // throws std::invalid_argument unless x.size() == nin()
  // EXERCISE 5.3 "mlp forward": feed x through every layer in turn; return the last layer's output.
  // BEGIN EXERCISE 5.3 -- TODO: replace the line below with your code
  throw NotImplemented("5.3", "mlp forward", __FILE__, __LINE__);
  // END EXERCISE 5.3
}

std::vector<Value> MLP::parameters() const {
  // EXERCISE 5.4 "parameters": every weight and bias of the MLP, in micrograd's order: layer by
  //   layer, neuron by neuron, each neuron's weights and then its bias.
  // BEGIN EXERCISE 5.4 -- TODO: replace the line below with your code
  throw NotImplemented("5.4", "parameters", __FILE__, __LINE__);
  // END EXERCISE 5.4
}

}  // namespace micrograd::nn
