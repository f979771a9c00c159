// What the MNIST demo saves next to the model's checkpoint so that --resume carries on exactly
// where it stopped: the run's settings, how far it got, the running sums of the epoch in progress,
// and the history and curves so far.
//
// A checkpoint is two files in the --out folder:
//   model-3-epochs.json   the parameters, in the nn checkpoint format (nn::save_checkpoint), named
//                         after the progress ("model-3-epochs-1200-samples.json" mid-epoch)
//   training_state.json   this state: the name of its model file and a fingerprint of its numbers
// The two are one unit, whatever moment a crash or a kill picks: a save writes the new model under
// a name no file in the folder has, then replaces training_state.json (the moment the new pair
// takes effect), and only then removes the old model file. Each write is atomic
// (base/atomic_file.hpp), so the folder always holds a whole state and the model it names; files
// that a killed save left behind are removed by the next save, and readers never look at them.
//
// A resumed run produces the same numbers, to the last bit, as a run that was never stopped: the
// training order of each epoch depends only on the seed and the epoch, a checkpoint is taken
// between batches (position counts samples, a multiple of the batch), and SGD keeps no state
// besides the parameters. The thread count is not recorded: the numbers do not depend on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <micrograd/nn/module.hpp>

namespace mnist_demo {

// training_state.json is missing, unreadable, or does not describe a run of this program.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EpochRecord {
  std::size_t epoch = 0;  // 1, 2, ...
  double train_loss = 0.0;
  double train_accuracy = 0.0;  // percent, of the predictions made during the epoch
  double test_accuracy = 0.0;   // percent
  double train_seconds = 0.0;
  double test_seconds = 0.0;
};

// One point of the training curves: the mean loss and accuracy of a stretch of samples (a
// twentieth of an epoch), at `epoch` = epochs done + fraction of this one.
struct CurvePoint {
  double epoch = 0.0;
  double loss = 0.0;
  double accuracy = 0.0;  // percent
};

// Running sums over a stretch of training samples.
struct Tally {
  double loss_sum = 0.0;
  std::size_t correct = 0;
  std::size_t count = 0;

  void add(double loss, bool right) {
    loss_sum += loss;
    correct += right ? 1 : 0;
    ++count;
  }
  double mean_loss() const { return count > 0 ? loss_sum / static_cast<double>(count) : 0.0; }
  double accuracy() const {
    return count > 0 ? 100.0 * static_cast<double>(correct) / static_cast<double>(count) : 0.0;
  }
};

struct TrainingState {
  // The run's settings: a resumed run must use the same.
  std::string model;  // "mlp" or "conv"
  std::string architecture;
  std::uint64_t seed = 0;
  double lr = 0.0;
  std::size_t batch = 1;  // samples per step (a state written before --batch existed: 1)
  // The recipe (a state written before these existed: the recipe of then, which had none of them).
  std::size_t hidden = 32;  // the MLP's hidden units; 0 for the conv net
  double weight_decay = 0.0;
  std::size_t shift = 0;              // augmentation, pixels
  std::string schedule = "constant";  // or "cosine", over `epochs`
  std::size_t crop = 0;               // the MLP's input: the central crop x crop pixels (0: all)
  std::string classes;                // "digits" or "fashion"
  std::string data;                   // the --data folder
  std::size_t max_train = 0;
  std::size_t max_test = 0;
  std::size_t train_size = 0;
  std::size_t test_size = 0;
  std::size_t epochs = 0;  // the --epochs of the latest run

  // Progress: epochs_done whole epochs, then `position` samples of the next one.
  std::size_t epochs_done = 0;
  std::size_t position = 0;
  Tally epoch_tally;              // the samples of the epoch in progress
  Tally curve_tally;              // the samples since the last curve point
  double epoch_seconds = 0.0;     // training time spent on the epoch in progress
  std::string model_file;         // the model's file, beside training_state.json
  std::uint64_t fingerprint = 0;  // of the parameters in it

  std::vector<EpochRecord> history;
  std::vector<CurvePoint> curve;
};

// A hash (FNV-1a) of the bits of every parameter, in order: ties training_state.json to the
// model file saved with it.
std::uint64_t parameter_fingerprint(const micrograd::nn::Module& model);

// The two files of the checkpoint in `folder` whose state is `state`.
std::filesystem::path state_path(const std::filesystem::path& folder);
std::filesystem::path model_path(const std::filesystem::path& folder, const TrainingState& state);

// Whether `folder` holds the checkpoint of a run (training_state.json, or the model.json of the
// one-file layout that came before the pair), which a new run must not replace unasked.
bool holds_checkpoint(const std::filesystem::path& folder);

// Saves `model` and `state` as the checkpoint in `folder` (see the top of this file), setting
// state.model_file and state.fingerprint. Throws std::runtime_error (nn::CheckpointError,
// base::WriteError) if a write fails; the folder's checkpoint is then the one before.
void save_training(const micrograd::nn::Module& model, TrainingState& state,
                   const std::filesystem::path& folder);

// Reads training_state.json from `folder`. Throws StateError naming the file and saying what is
// wrong (missing, not JSON, another format, a missing or mistyped field).
TrainingState load_state(const std::filesystem::path& folder);

// Loads the model file the state names into `model` (which must have the recorded architecture)
// and checks that it is the model the state was saved with. Throws nn::CheckpointError or
// StateError.
void load_model(micrograd::nn::Module& model, const TrainingState& state,
                const std::filesystem::path& folder);

}  // namespace mnist_demo
