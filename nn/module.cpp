// Module's defaults: a module made of children has their parameters.
#include "nn/module.hpp"

#include <unordered_set>

#include "nn/optim.hpp"

namespace micrograd::nn {

std::vector<Value> Module::parameters() const {
  // A child listed twice, or two children sharing Values (weight tying, a block applied twice),
  // is one set of parameters: listed twice, it would count twice and an optimizer would step it
  // twice per step. So each node is kept once, where it is first seen.
  std::vector<Value> result;
  std::unordered_set<const Node*> seen;
  for (const Module* child : children()) {
    for (Value& parameter : child->parameters()) {
      if (seen.insert(&parameter.node()).second) result.push_back(std::move(parameter));
    }
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

std::vector<ParameterTensor> Module::named_buffers() const {
  std::vector<ParameterTensor> result;
  const std::vector<const Module*> modules = children();
  for (std::size_t i = 0; i < modules.size(); ++i) {
    for (ParameterTensor& tensor : modules[i]->named_buffers()) {
      tensor.name = std::to_string(i) + "." + tensor.name;
      result.push_back(std::move(tensor));
    }
  }
  return result;
}

std::vector<Module*> Module::mutable_children() {
  // children() hands out const pointers, because listing parameters must work on a const model.
  // Here *this is not const, and a child is a part of it (a member, or a module a Sequential
  // owns), so changing the child's settings through the pointer is changing this module's own
  // state.
  std::vector<Module*> result;
  for (const Module* child : children()) result.push_back(const_cast<Module*>(child));
  return result;
}

Module& Module::train(bool on) {
  training_ = on;
  for (Module* child : mutable_children()) child->train(on);
  return *this;
}

Module& Module::use_fused_ops(bool on) {
  fused_ops_ = on;
  for (Module* child : mutable_children()) child->use_fused_ops(on);
  return *this;
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
