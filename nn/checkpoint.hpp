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
// checkpoints written before buffers existed still load. The train/eval mode is not recorded: it
// says how the model is used, not what it learned (a loaded model keeps the mode it had).
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
// Saving is atomic (base/atomic_file.hpp): the file is written next to its target under a temporary
// name, flushed to disk, and renamed over the target, so a crash mid-save leaves the previous
// checkpoint intact. Loading checks the format, the architecture and every name, shape and number
// before it changes anything: on any error the model is untouched.
#pragma once

#include <filesystem>
#include <stdexcept>

#include "nn/module.hpp"

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

}  // namespace micrograd::nn
