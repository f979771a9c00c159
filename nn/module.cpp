// Module's defaults: a module made of children has their parameters.
#include "nn/module.hpp"

#include "nn/optim.hpp"

namespace micrograd::nn {

std::vector<Value> Module::parameters() const {
  std::vector<Value> result;
  for (const Module* child : children()) {
    std::vector<Value> part = child->parameters();
    result.insert(result.end(), part.begin(), part.end());
  }
  return result;
}

std::vector<ParameterTensor> Module::named_parameters() const {
  std::vector<ParameterTensor> result;
  const std::vector<const Module*> modules = children();
  for (std::size_t i = 0; i < modules.size(); ++i) {
    for (ParameterTensor& tensor : modules[i]->named_parameters()) {
      tensor.name = std::to_string(i) + "." + tensor.name;
      result.push_back(std::move(tensor));
    }
  }
  return result;
}

std::string Module::describe() const {
  std::string text = "Module(";
  const std::vector<const Module*> modules = children();
  for (std::size_t i = 0; i < modules.size(); ++i) {
    if (i > 0) text += ", ";
    text += modules[i]->describe();
  }
  return text + ")";
}

void Module::zero_grad() {
  nn::zero_grad(parameters());
}

}  // namespace micrograd::nn
