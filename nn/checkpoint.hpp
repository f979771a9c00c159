// Checkpoints: a model's parameters in a JSON file, to stop training and carry on later, or to
// load the weights elsewhere.
//
//   {"format": "micrograd.cpp checkpoint", "version": 1,
//    "architecture": "MLP(2, [16, 16, 1], relu)", "parameter_count": 337,
//    "parameters": {"0.weight": {"shape": [16, 2], "data": [[...], ...]},
//                   "0.bias": {"shape": [16], "data": [...]}, ...}}
//
// A model with buffers (Module::named_buffers: BatchNorm's running statistics) also writes
// "buffers": {"1.running_mean": {"shape": [16], "data": [...]}, ...}, loaded and checked like the
// parameters; a model without any writes no such section, so its file is what it always was, and
// checkpoints written before buffers existed still load. The settings (ModuleSettings: the
// train/eval mode, fused ops) are not recorded: they say how the model is used, not what it
// learned (a loaded model keeps the settings it had).
//
// Names and shapes are the model's named_parameters(): a Layer is "weight" [out, in] and "bias"
// [out], as PyTorch's nn.Linear, a Conv2D "weight" [out, in, k, k], so a few lines of PyTorch load
// one into the same network built from torch.nn:
//
//   ckpt = json.load(open("model.json"))
//   net.load_state_dict({name: torch.tensor(p["data"], dtype=torch.float64)
//                        for name, p in ckpt["parameters"].items()})
//
// (with BatchNorm, add the items of ckpt["buffers"] and pass strict=False: PyTorch also keeps a
// num_batches_tracked counter, which only matters for its momentum=None.)
//
// Given the optimizer too, the file also holds its state (nn/optim.hpp's OptimizerState: SGD's
// velocity, Adam's moments and step count, the current learning rate), so that a run stopped and
// resumed is, to the last bit, the run never stopped:
//
//   "optimizer": {"type": "Adam", "learning_rate": 0.001, "parameter_count": 337,
//                 "state": {"m": [...], "v": [...], "step": [120]}}
//
// Model and optimizer are one file, so they are saved together, atomically, and a reader that
// predates the section still reads the model.
//
// Saving is atomic (base/atomic_file.hpp): the file is written next to its target under a temporary
// name, flushed to disk, and renamed over the target, so a crash mid-save leaves the previous
// checkpoint intact. Loading checks the format, the architecture and every name, shape and number
// before it changes anything: on any error the model is untouched.
#pragma once

#include <filesystem>
#include <stdexcept>

#include "nn/module.hpp"
#include "nn/optim.hpp"

namespace micrograd::nn {

// A checkpoint could not be written or read, or does not fit the model. The message names the file
// and says what is wrong.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadOptions {
  // Require the recorded architecture (Module::describe()) to be the model's. Turn it off to load
  // into a different model with the same parameter names and shapes.
  bool check_architecture = true;
};

// Writes every parameter of `model` to `path`, atomically. Throws CheckpointError if the file
// cannot be written (the old file, if any, is then unchanged), and std::domain_error if a parameter
// is NaN or infinite (such a checkpoint could not be loaded back).
void save_checkpoint(const Module& model, const std::filesystem::path& path);

// Reads `path` into the parameters of `model`. Throws CheckpointError, leaving the model untouched,
// if the file is missing, not JSON, truncated, of another format or version, of another
// architecture, or if any parameter is missing, extra, of another shape, or not a finite number.
void load_checkpoint(Module& model, const std::filesystem::path& path,
                     const LoadOptions& options = {});

// The model's parameters and the optimizer's state in one file, atomically (see above). Throws as
// save_checkpoint(model, path) does, and std::invalid_argument if the optimizer steps Values
// that are not the model's parameters (then its state would not belong to this model).
void save_checkpoint(const Module& model, const Optimizer& optimizer,
                     const std::filesystem::path& path);

// Reads both back; on any error neither the model nor the optimizer changes. Throws
// CheckpointError for everything load_checkpoint(model, path) refuses, and for a file without
// optimizer state (saved without an optimizer, or by an older version: load_checkpoint(model,
// path) loads its model and leaves the optimizer fresh), state of another optimizer (Adam's into
// SGD), or state that does not fit the optimizer's parameters.
void load_checkpoint(Module& model, Optimizer& optimizer, const std::filesystem::path& path,
                     const LoadOptions& options = {});

}  // namespace micrograd::nn
