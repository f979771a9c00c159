// Sequential: chaining TensorModules.
#include "nn/sequential.hpp"

#include <stdexcept>

namespace micrograd::nn {

Sequential& Sequential::add(std::shared_ptr<TensorModule> module) {
  if (!module) throw std::invalid_argument("Sequential::add: the module pointer is null");
  modules_.push_back(std::move(module));
  return *this;
}

Tensor Sequential::forward(const Tensor& input) const {
  if (modules_.empty()) return input;
  Tensor x = modules_.front()->forward(input);
  for (std::size_t i = 1; i < modules_.size(); ++i) x = modules_[i]->forward(x);
  return x;
}

std::vector<const Module*> Sequential::children() const {
  std::vector<const Module*> result;
  result.reserve(modules_.size());
  for (const auto& module : modules_) result.push_back(module.get());
  return result;
}

std::string Sequential::describe() const {
  std::string text = "Sequential(";
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    text += (i > 0 ? ", " : "") + modules_[i]->describe();
  }
  return text + ")";
}

}  // namespace micrograd::nn
