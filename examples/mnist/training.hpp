// The MNIST demo's training loop: minibatch SGD over the training set in an order fixed by the
// seed and the epoch, each batch's samples computed on --threads threads (nn::DataParallel), the test set evaluated and a checkpoint saved after every epoch, and Ctrl-C
// answered with a checkpoint and a stop.
#pragma once

#include <vector>

#include <micrograd/datasets/mnist.hpp>
#include "model.hpp"
#include "options.hpp"
#include "training_state.hpp"

namespace mnist_demo {

struct TrainingResult {
  bool stopped = false;          // by Ctrl-C, after saving a checkpoint
  std::vector<int> predictions;  // on the test set after the last epoch; empty if none was left
};

// Trains `model` from where `state` stands up to options.epochs, recording the progress in
// `state`. `interactive`: stdout is a terminal (the progress bar redraws itself).
// `replaces_earlier_run`: --out holds an earlier run's checkpoint (--overwrite), which only a
// finished epoch of this run may replace: Ctrl-C before that saves nothing. Throws
// std::runtime_error when the loss stops being finite, and what saving a checkpoint throws.
// `on_tape`: each sample's graph on its thread's tape (--backward tape), else sorted.
TrainingResult train_epochs(const Options& options, const Model& model,
                            const micrograd::datasets::Mnist& mnist, TrainingState& state,
                            bool interactive, bool replaces_earlier_run, bool on_tape);

}  // namespace mnist_demo
