// Generated from solutions/nn/optim.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Optimizers: turning gradients into better parameters.
//
// backward() leaves d(loss)/d(p) in every parameter's grad. Gradient descent moves each parameter a
// small step against it; momentum and Adam choose the step more cleverly from the history of
// gradients. The settings are checked for you in nn/optim_support.cpp. Read nn/optim.hpp for the
// formulas.
#include <cmath>

#include "nn/optim.hpp"

namespace micrograd::nn {

void zero_grad(const std::vector<Value>& parameters) {
  // EXERCISE 7.1 "zero grad": set the grad of every Value in parameters to 0.
  // BEGIN EXERCISE 7.1 -- TODO: replace the line below with your code
  throw NotImplemented("7.1", "zero grad", __FILE__, __LINE__);
  // END EXERCISE 7.1
}

void SGD::step() {
  // EXERCISE 7.2 "sgd step": for each parameter p (index i):
  //   g = p.grad() + weight_decay * p.data();
  //   with momentum, velocity_[i] = momentum * velocity_[i] + g, and the step uses velocity_[i]
  //   instead of g; then p.data() -= learning_rate_ * step. The learning rate is learning_rate_
  //   (a schedule may change it between steps), and velocity_ persists between calls.
  // BEGIN EXERCISE 7.2 -- TODO: replace the line below with your code
  throw NotImplemented("7.2", "sgd step", __FILE__, __LINE__);
  // END EXERCISE 7.2
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
