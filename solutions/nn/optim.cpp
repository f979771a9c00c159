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
  // BEGIN SOLUTION
  for (const Value& p : parameters) p.grad() = 0.0;
  // END SOLUTION
}

void SGD::step() {
  // EXERCISE 7.2 "sgd step": for each parameter p (index i):
  //   g = p.grad() + weight_decay * p.data();
  //   with momentum, velocity_[i] = momentum * velocity_[i] + g, and the step uses velocity_[i]
  //   instead of g; then p.data() -= learning_rate_ * step. The learning rate is learning_rate_
  //   (a schedule may change it between steps), and velocity_ persists between calls.
  // BEGIN SOLUTION
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Value& p = parameters_[i];
    double direction = p.grad() + options_.weight_decay * p.data();
    if (options_.momentum != 0.0) {
      velocity_[i] = options_.momentum * velocity_[i] + direction;
      direction = velocity_[i];
    }
    p.data() -= learning_rate_ * direction;
  }
  // END SOLUTION
}

void Adam::step() {
  // EXERCISE 7.3 "adam step": count the step (t = ++step_count_), then for each parameter:
  //   g = grad + weight_decay * data;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;
  //   data -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
  // BEGIN SOLUTION
  const double t = static_cast<double>(++step_count_);
  const double correction1 = 1.0 - std::pow(options_.beta1, t);
  const double correction2 = 1.0 - std::pow(options_.beta2, t);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Value& p = parameters_[i];
    const double g = p.grad() + options_.weight_decay * p.data();
    m_[i] = options_.beta1 * m_[i] + (1.0 - options_.beta1) * g;
    v_[i] = options_.beta2 * v_[i] + (1.0 - options_.beta2) * g * g;
    const double m_hat = m_[i] / correction1;
    const double v_hat = v_[i] / correction2;
    p.data() -= learning_rate_ * m_hat / (std::sqrt(v_hat) + options_.eps);
  }
  // END SOLUTION
}

}  // namespace micrograd::nn
