// Generated from solutions/nn/optim.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Optimizers: turning gradients into better parameters.
//
// backward() leaves d(loss)/d(p) in every parameter's grad. Gradient descent moves each parameter a
// small step against it; momentum and Adam choose the step more cleverly from the history of
// gradients. The constructors, which check the settings, are written for you. Read nn/optim.hpp
// for the formulas.
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "nn/optim.hpp"

namespace micrograd::nn {
namespace {
// Throws std::invalid_argument naming the setting unless `condition` holds.
void require(bool condition, const char* optimizer, const char* setting, double value,
             const char* expected) {
  if (condition) return;
  std::ostringstream message;
  message << optimizer << ": " << setting << " must be " << expected << ", got " << value;
  throw std::invalid_argument(message.str());
}
}  // namespace

void zero_grad(const std::vector<Value>& parameters) {
  // EXERCISE 7.1 "zero grad": set the grad of every Value in parameters to 0.
  // BEGIN EXERCISE 7.1 -- TODO: replace the line below with your code
  throw NotImplemented("7.1", "zero grad", __FILE__, __LINE__);
  // END EXERCISE 7.1
}

Optimizer::Optimizer(std::vector<Value> parameters, double learning_rate)
    : parameters_(std::move(parameters)), learning_rate_(learning_rate) {
  if (parameters_.empty()) {
    throw std::invalid_argument(
        "optimizer: got no parameters; pass model.parameters() of a model that has some");
  }
  set_learning_rate(learning_rate);
}

void Optimizer::set_learning_rate(double learning_rate) {
  require(std::isfinite(learning_rate) && learning_rate >= 0.0, "optimizer", "the learning rate",
          learning_rate, "finite and >= 0");
  learning_rate_ = learning_rate;
}

SGD::SGD(std::vector<Value> parameters, SGDOptions options)
    : Optimizer(std::move(parameters), options.lr),
      options_(options),
      velocity_(parameters_.size(), 0.0) {
  require(options.momentum >= 0.0 && options.momentum < 1.0, "SGD", "momentum", options.momentum,
          "in [0, 1)");
  require(std::isfinite(options.weight_decay) && options.weight_decay >= 0.0, "SGD", "weight_decay",
          options.weight_decay, "finite and >= 0");
}

void SGD::step() {
  // EXERCISE 7.2 "sgd step": for each parameter p (index i):
  //   g = p.grad() + weight_decay * p.data();
  //   if momentum is 0:  p.data() -= learning_rate_ * g;
  //   otherwise:         velocity_[i] = momentum * velocity_[i] + g;
  //                      p.data() -= learning_rate_ * velocity_[i].
  //   learning_rate_, not options_.lr: a schedule may change it between steps. velocity_ starts at
  //   0 and keeps its values between calls.
  // BEGIN EXERCISE 7.2 -- TODO: replace the line below with your code
  throw NotImplemented("7.2", "sgd step", __FILE__, __LINE__);
  // END EXERCISE 7.2
}

Adam::Adam(std::vector<Value> parameters, AdamOptions options)
    : Optimizer(std::move(parameters), options.lr),
      options_(options),
      m_(parameters_.size(), 0.0),
      v_(parameters_.size(), 0.0) {
  require(options.beta1 >= 0.0 && options.beta1 < 1.0, "Adam", "beta1", options.beta1, "in [0, 1)");
  require(options.beta2 >= 0.0 && options.beta2 < 1.0, "Adam", "beta2", options.beta2, "in [0, 1)");
  require(std::isfinite(options.eps) && options.eps > 0.0, "Adam", "eps", options.eps,
          "finite and > 0");
  require(std::isfinite(options.weight_decay) && options.weight_decay >= 0.0, "Adam",
          "weight_decay", options.weight_decay, "finite and >= 0");
}

void Adam::step() {
  // EXERCISE 7.3 "adam step": count the step (t = ++step_count_), then for each parameter:
  //   g = grad + weight_decay * data;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;
  //   data -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
  // BEGIN EXERCISE 7.3 -- TODO: replace the line below with your code
  throw NotImplemented("7.3", "adam step", __FILE__, __LINE__);
  // END EXERCISE 7.3
}

}  // namespace micrograd::nn
