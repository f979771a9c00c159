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
  // BEGIN SOLUTION
  for (const Value& p : parameters) p.grad() = 0.0;
  // END SOLUTION
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
  // EXERCISE 7.2 "sgd step": one step of gradient descent on every parameter θ_i (parameters_[i],
  //   its number and its gradient ∂L/∂θ_i), with learning rate η (learning_rate_, not options_.lr:
  //   a schedule may change it between steps), weight decay λ and momentum μ (options_):
  //     g   = ∂L/∂θ_i + λ·θ_i
  //     μ = 0:   θ_i ← θ_i − η·g
  //     μ ≠ 0:   v_i ← μ·v_i + g,   then   θ_i ← θ_i − η·v_i
  //   v_i is velocity_[i]: it starts at 0 and keeps its value from one call to the next.
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
  // EXERCISE 7.3 "adam step": count this step first, t ← t + 1 (step_count_: the first step has
  //   t = 1), then for every parameter θ_i, whose running averages m_i and v_i (m_[i], v_[i]) start
  //   at 0, with η = learning_rate_ and β1, β2, ε, λ from options_:
  //     g   = ∂L/∂θ_i + λ·θ_i
  //     m_i ← β1·m_i + (1 − β1)·g           v_i ← β2·v_i + (1 − β2)·g²
  //     m̂   = m_i / (1 − β1^t)              v̂   = v_i / (1 − β2^t)
  //     θ_i ← θ_i − η·m̂ / (√v̂ + ε)
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
