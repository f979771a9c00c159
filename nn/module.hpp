// Module: anything with parameters. TensorModule: a Module that maps a Tensor to a Tensor, which
// is what Sequential chains.
//
// A module's parameters are Values (handles), so parameters() returns handles to the model's own
// numbers: an optimizer that writes p.data() updates the model. Copying a module copies handles,
// so the copy shares its parameters with the original, as in Python.
//
// Your own model composes modules by listing them in children(); parameters(), zero_grad(),
// parameter_count() and checkpoints then work without another line:
//
//   struct Net : nn::Module {
//     nn::Conv2D conv{1, 8, 3};
//     nn::MLP head{8 * 26 * 26, {32, 10}};
//     std::vector<const nn::Module*> children() const override { return {&conv, &head}; }
//   };
//
// Settings (ModuleSettings, below): how a module computes, as opposed to what it learned.
//
// Train and eval modes. Some layers compute differently while training and while evaluating:
// Dropout drops inputs only in training, BatchNorm normalises with the batch's statistics in
// training and with its running estimates in eval. A module starts in training mode, as in
// PyTorch; net.eval() before measuring on test data, net.train() before training again. Both
// reach every child, the children's children, and so on.
//
// Op for op or fused. By default a Neuron computes b + w0*x0 + w1*x1 + ... with one "*" and one
// "+" node per input, the graph the course draws and grades. net.use_fused_ops() makes Neurons
// (and so Layers and MLPs) and Conv2Ds compute each weighted sum as one "dot" node instead
// (chapter 9, engine/many_inputs.hpp): the same numbers to the last bit, forward and backward, in
// an order of magnitude fewer nodes, so a training step is several times faster. It reaches every
// child as train() does.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/value.hpp"
#include "nn/tensor.hpp"

namespace micrograd::nn {

// One named block of numbers with its shape, as a checkpoint stores it: parameters (a Layer has
// "weight" of shape [out, in] and "bias" of shape [out]; inside a Sequential they become
// "0.weight", ...) or buffers (BatchNorm1d's "running_mean").
struct NamedTensor {
  std::string name;
  Shape shape;
  std::vector<Value> values;  // row-major, element_count(shape) of them
};
// The name of earlier releases, which said parameters only.
using ParameterTensor [[deprecated("renamed NamedTensor: it holds buffers too")]] = NamedTensor;

// A module's settings: how it computes, not what it learned. So a checkpoint saves none of them
// (PyTorch's state_dict leaves the mode out too) and a loaded model keeps the settings it had.
// train(), eval() and use_fused_ops() set one for a module and every module below it;
// DataParallel's replicas get the model's, module by module, as a whole. A setting added here
// reaches both without another line.
struct ModuleSettings {
  bool training = true;    // train() / eval(): every module starts in training mode
  bool fused_ops = false;  // use_fused_ops(): every module starts op for op
  bool operator==(const ModuleSettings&) const = default;
};

class Module {
 public:
  Module() = default;
  Module(const Module&) = default;
  Module& operator=(const Module&) = default;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;
  virtual ~Module() = default;

  // Every parameter, each once. By default the children's parameters, in order, each node where
  // it is first seen: a child listed twice (tied weights) counts, and is stepped, once. An override
  // must keep that promise too.
  virtual std::vector<Value> parameters() const;
  // The parameters as named, shaped blocks (for checkpoints). By default the children's, each
  // name prefixed with the child's index: "0.weight", "0.bias", "2.weight", ... A child listed
  // twice is named twice, as in torch's state_dict (both names hold the same Values).
  virtual std::vector<NamedTensor> named_parameters() const;
  // The modules this one is made of, in order. None by default.
  virtual std::vector<const Module*> children() const { return {}; }
  // This module and every module below it, parents before their children, in children() order
  // (a child listed twice is here twice): the walk the settings take.
  std::vector<const Module*> modules() const;
  // The architecture in one line, e.g. "Conv2D(1, 8, kernel_size=3, stride=1, padding=0)". By
  // default "Module(" and the children's descriptions ")". Checkpoints record it.
  virtual std::string describe() const;

  // Sets every parameter's grad to 0; call it before each backward() of a training step
  // (gradients of leaves accumulate). Implemented with nn::zero_grad (nn/optim.hpp).
  void zero_grad();
  std::size_t parameter_count() const { return parameters().size(); }

  // Numbers a module keeps that are not parameters: no gradient, never stepped by an optimizer,
  // but part of what it learned, so checkpoints save and load them (BatchNorm's running mean and
  // variance; PyTorch calls them buffers). Named and ordered like named_parameters(); none by
  // default apart from the children's.
  virtual std::vector<NamedTensor> named_buffers() const;

  // Training mode (`on` true, the default) or eval mode (`on` false), for this module and every
  // module below it. Returns *this, so `net.eval()` can start a line.
  Module& train(bool on = true);
  // The same as train(false).
  Module& eval() { return train(false); }
  // True in training mode, which is where every module starts.
  bool is_training() const { return settings_.training; }

  // Fused ops (`on` true, the default) or op for op (`on` false), for this module and every module
  // below it (see above; it needs chapter 9's dot). Returns *this: `MLP net(...); net.use_fused_ops();`
  Module& use_fused_ops(bool on = true);
  // False unless use_fused_ops() turned it on: every module starts op for op.
  bool uses_fused_ops() const { return settings_.fused_ops; }

  // This module's own settings.
  const ModuleSettings& settings() const { return settings_; }
  // Whether `other` is made of the same tree of modules: as many children at every level.
  bool has_same_tree_as(const Module& other) const;
  // Gives every module of this tree the settings of the module in the same place in `model`'s
  // (each module its own: a child may have been switched on its own). Throws
  // std::invalid_argument unless has_same_tree_as(model). Returns *this.
  Module& copy_settings_from(const Module& model);

 private:
  // mutable: the settings reach the children through children(), which lists them as const
  // Modules (listing parameters must work on a const model). Only the non-const members above
  // change them, so a const Module's settings never change.
  mutable ModuleSettings settings_;
};

// A Module that maps one Tensor to another: Conv2D, the pooling layers, Flatten, the activation
// layers, Layer and MLP (on a tensor of shape [n]), and Sequential itself.
class TensorModule : public Module {
 public:
  virtual Tensor forward(const Tensor& input) const = 0;
  Tensor operator()(const Tensor& input) const { return forward(input); }
};

}  // namespace micrograd::nn
