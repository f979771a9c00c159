// Optimizers: construction and the checks of their settings. zero_grad and the step() functions
// are the student's: solutions/nn/optim.cpp.
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "nn/optim.hpp"

namespace micrograd::nn {
namespace {
void require(bool condition, const char* optimizer, const char* setting, double value,
             const char* expected) {
  if (condition) return;
  std::ostringstream message;
  message << optimizer << ": " << setting << " must be " << expected << ", got " << value;
  throw std::invalid_argument(message.str());
}
}  // namespace

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

}  // namespace micrograd::nn
