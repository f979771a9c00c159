// Module's defaults (a module made of children has their parameters, buffers and description), and
// the settings, which reach every module of the tree.
#include "nn/module.hpp"

#include <stdexcept>
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

namespace {

// The children's tensors of one kind (named_parameters or named_buffers), each name prefixed with
// the child's index: "0.weight", "0.bias", "2.weight", ...
std::vector<NamedTensor> childrens_tensors(const Module& module,
                                           std::vector<NamedTensor> (Module::*tensors)() const) {
  std::vector<NamedTensor> result;
  const std::vector<const Module*> children = module.children();
  for (std::size_t i = 0; i < children.size(); ++i) {
    for (NamedTensor& tensor : (children[i]->*tensors)()) {
      tensor.name = std::to_string(i) + "." + tensor.name;
      result.push_back(std::move(tensor));
    }
  }
  return result;
}

}  // namespace

std::vector<NamedTensor> Module::named_parameters() const {
  return childrens_tensors(*this, &Module::named_parameters);
}

std::vector<NamedTensor> Module::named_buffers() const {
  return childrens_tensors(*this, &Module::named_buffers);
}

std::vector<const Module*> Module::modules() const {
  // Depth first with a stack of its own, children pushed in reverse so they come out in order.
  std::vector<const Module*> result;
  std::vector<const Module*> pending{this};
  while (!pending.empty()) {
    const Module* module = pending.back();
    pending.pop_back();
    result.push_back(module);
    const std::vector<const Module*> children = module->children();
    pending.insert(pending.end(), children.rbegin(), children.rend());
  }
  return result;
}

Module& Module::train(bool on) {
  for (const Module* module : modules()) module->settings_.training = on;
  return *this;
}

Module& Module::use_fused_ops(bool on) {
  for (const Module* module : modules()) module->settings_.fused_ops = on;
  return *this;
}

bool Module::has_same_tree_as(const Module& other) const {
  // Listed parents first, two trees are the same shape when every place has as many children.
  const std::vector<const Module*> mine = modules();
  const std::vector<const Module*> theirs = other.modules();
  if (mine.size() != theirs.size()) return false;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (mine[i]->children().size() != theirs[i]->children().size()) return false;
  }
  return true;
}

Module& Module::copy_settings_from(const Module& model) {
  if (!has_same_tree_as(model)) {
    throw std::invalid_argument("copy_settings_from: " + describe() + " and " + model.describe() +
                                " are made of different trees of modules, so their settings "
                                "cannot be paired module by module; copy them between models of "
                                "the same architecture");
  }
  const std::vector<const Module*> mine = modules();
  const std::vector<const Module*> theirs = model.modules();
  for (std::size_t i = 0; i < mine.size(); ++i) mine[i]->settings_ = theirs[i]->settings_;
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
