// The MNIST demo's training loop (see training.hpp).
#include "training.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include <micrograd/nn/data_parallel.hpp>
#include <micrograd/nn/optim.hpp>
#include <micrograd/nn/random.hpp>
#include <micrograd/nn/schedule.hpp>
#include "../common/number_text.hpp"
#include "progress.hpp"
#include "stop.hpp"

namespace mnist_demo {

namespace ds = micrograd::datasets;
namespace nn = micrograd::nn;

namespace {

// The training order of epoch `epoch` (0, 1, ...): a permutation from a generator seeded with the
// seed and the epoch alone, so that a resumed run trains in the same order as one never stopped.
std::vector<std::size_t> epoch_order(std::uint64_t seed, std::size_t epoch, std::size_t count) {
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         static_cast<std::uint32_t>(epoch)};
  std::mt19937_64 generator(sequence);
  return nn::random_permutation(generator, count);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TrainingResult train_epochs(const Options& options, const Model& model, const ds::Mnist& mnist,
                            TrainingState& state, bool interactive, bool replaces_earlier_run,
                            bool on_tape) {
  nn::SGDOptions sgd;
  sgd.lr = options.lr;
  sgd.weight_decay = options.weight_decay;
  nn::SGD optimizer(model.net->parameters(), sgd);
  const ds::MnistSplit& train = mnist.train;
  // The learning rate of each step: a step's number and the run's length give it, so a resumed run
  // takes up the schedule where it stopped.
  const std::size_t steps_per_epoch = (train.size() + options.batch - 1) / options.batch;
  const nn::CosineDecay cosine(options.lr,
                               std::max<std::size_t>(1, options.epochs * steps_per_epoch));
  const auto rate_of_step = [&](std::size_t step) {
    return options.schedule == "cosine" ? cosine(step) : options.lr;
  };
  // The replicas the threads compute on: the same architecture, their numbers copied from the
  // model before every batch.
  nn::DataParallel parallel(
      *model.net,
      [&]() -> std::unique_ptr<nn::Module> {
        return make_model(options.model, train.rows, train.cols, options.hidden, options.crop).net;
      },
      options.threads);
  parallel.use_tape(on_tape);
  const ds::MnistSplit& test = mnist.test;
  const std::size_t n = train.size();
  const std::size_t curve_stride = std::max<std::size_t>(1, n / 20);

  std::size_t epochs_finished = 0;  // by this run
  auto save_and_stop = [&](std::size_t epoch) {
    if (replaces_earlier_run && epochs_finished == 0) {
      std::printf(
          "\nmnist: stopped in epoch %zu after %zu of %zu samples, before this run finished an "
          "epoch: nothing saved; the earlier run's checkpoint in %s is unchanged\n",
          epoch + 1, state.position, n, options.out.string().c_str());
      return TrainingResult{true, {}};
    }
    save_training(*model.net, state, options.out);
    std::printf(
        "\nmnist: stopped in epoch %zu after %zu of %zu samples; saved the checkpoint %s\n"
        "resume with: %s\n",
        epoch + 1, state.position, n, model_path(options.out, state).string().c_str(),
        resume_command(options).c_str());
    return TrainingResult{true, {}};
  };

  std::vector<int> predictions;
  for (std::size_t epoch = state.epochs_done; epoch < options.epochs; ++epoch) {
    const std::vector<std::size_t> order = epoch_order(options.seed, epoch, n);
    EpochProgress progress(epoch + 1, options.epochs, n, state.position, interactive);
    const auto started = std::chrono::steady_clock::now();
    const double seconds_before = state.epoch_seconds;
    while (state.position < n) {
      if (stop_requested()) {
        state.epoch_seconds = seconds_before + seconds_since(started);
        return save_and_stop(epoch);
      }
      // One step: the batch's samples on the threads, their gradients summed into the model's.
      const std::size_t first = state.position;
      const std::size_t count = std::min(options.batch, n - first);
      std::vector<unsigned char> correct(count);  // one element per sample: no two threads share
      optimizer.set_learning_rate(rate_of_step(epoch * steps_per_epoch + first / options.batch));
      optimizer.zero_grad();
      const std::vector<double> losses = parallel.accumulate_gradients(
          count,
          [&](const nn::Module& replica, std::size_t i) {
            SampleResult sample = forward(static_cast<const nn::TensorModule&>(replica), model,
                                          train, order[first + i], options.shift);
            correct[i] = sample.correct ? 1 : 0;
            return sample.loss;
          },
          // Every sample of the run draws from a stream of its own (stream 0 is the seed's).
          1 + epoch * n + first);
      for (std::size_t i = 0; i < count; ++i) {
        if (!std::isfinite(losses[i])) {
          throw std::runtime_error("the loss is " + micrograd::examples::fixed(losses[i], 4) +
                                   " at sample " + std::to_string(first + i + 1) + " of epoch " +
                                   std::to_string(epoch + 1) +
                                   ": training diverged (the last checkpoint is unchanged). Try "
                                   "a smaller --lr");
        }
      }
      optimizer.step();
      for (std::size_t i = 0; i < count; ++i) {
        ++state.position;
        state.epoch_tally.add(losses[i], correct[i] != 0);
        state.curve_tally.add(losses[i], correct[i] != 0);
        if (state.position % curve_stride == 0 || state.position == n) {
          state.curve.push_back({static_cast<double>(epoch) +
                                     static_cast<double>(state.position) / static_cast<double>(n),
                                 state.curve_tally.mean_loss(), state.curve_tally.accuracy()});
          state.curve_tally = {};
        }
      }
      progress.update(state.position, state.epoch_tally);
    }
    state.epoch_seconds = seconds_before + seconds_since(started);

    progress.testing(test.size());
    const auto test_started = std::chrono::steady_clock::now();
    predictions = predict(model, test, &parallel);
    if (predictions.empty() && test.size() > 0) return save_and_stop(epoch);
    EpochRecord record;
    record.epoch = epoch + 1;
    record.train_loss = state.epoch_tally.mean_loss();
    record.train_accuracy = state.epoch_tally.accuracy();
    record.test_accuracy = accuracy(test, predictions);
    record.train_seconds = state.epoch_seconds;
    record.test_seconds = seconds_since(test_started);
    state.history.push_back(record);
    state.epochs_done = epoch + 1;
    state.position = 0;
    state.epoch_tally = {};
    state.curve_tally = {};
    state.epoch_seconds = 0.0;
    save_training(*model.net, state, options.out);
    ++epochs_finished;
    progress.clear();
    std::printf(
        "epoch %2zu/%zu  train loss %s  train accuracy %.2f%%  test accuracy %.2f%%  %.1f s "
        "(%.0f samples/s; test %.1f s)\n",
        record.epoch, options.epochs, micrograd::examples::fixed(record.train_loss, 4).c_str(),
        record.train_accuracy, record.test_accuracy, record.train_seconds,
        static_cast<double>(n) / std::max(record.train_seconds, 1e-9), record.test_seconds);
    std::fflush(stdout);
  }
  return TrainingResult{false, predictions};
}

}  // namespace mnist_demo
