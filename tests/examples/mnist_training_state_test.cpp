// The MNIST demo's checkpoint (examples/mnist/training_state.hpp): the model file and
// training_state.json are one unit. A process killed at any step of a save leaves either the
// earlier pair or the new one, never a model that does not match its state, so --resume always
// finds a run to continue.
//
// The crashes are real: a forked child (a death test) saves with base's write-step hook set to
// SIGKILL it at step N, for every step N of a save, and the parent reads what is left.
#include "examples/mnist/training_state.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/atomic_file.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "engine/value.hpp"
#include "nn/module.hpp"

namespace mnist_demo {
namespace {

namespace fs = std::filesystem;
namespace nn = micrograd::nn;
using micrograd::Value;
using micrograd::testing::message_of;
using micrograd::testing::ScratchDir;

// A model of four plain numbers (no exercise code needed): start, start + 1, ...
class FourNumbers : public nn::Module {
 public:
  explicit FourNumbers(double start) {
    for (int i = 0; i < 4; ++i) values_.emplace_back(start + i);
  }
  std::vector<Value> parameters() const override { return values_; }
  std::vector<nn::NamedTensor> named_parameters() const override {
    return {{"weight", {4}, values_}};
  }
  std::string describe() const override { return "FourNumbers()"; }
  double first() const { return values_[0].data(); }

 private:
  std::vector<Value> values_;
};

// The state of a run after `epochs` whole epochs of a training set of 10 images.
TrainingState state_after(std::size_t epochs) {
  TrainingState state;
  state.model = "mlp";
  state.architecture = "FourNumbers()";
  state.seed = 1;
  state.lr = 0.01;
  state.classes = "digits";
  state.data = "/data";
  state.train_size = 10;
  state.test_size = 5;
  state.epochs = 5;
  state.epochs_done = epochs;
  for (std::size_t epoch = 1; epoch <= epochs; ++epoch) state.history.push_back({.epoch = epoch});
  return state;
}

// The steps of the atomic writer seen so far, and the one to be killed at (0: none).
std::vector<std::string> g_steps;
std::size_t g_kill_at = 0;

int record_and_kill(const char* step) {
  g_steps.emplace_back(step);
  if (g_steps.size() == g_kill_at) ::kill(::getpid(), SIGKILL);
  return 0;
}

class MnistCheckpoint : public ::testing::Test {
 protected:
  void TearDown() override { micrograd::base::detail::set_write_step_hook(nullptr); }

  // Saves the earlier run (model 1, 2, 3, 4 after one epoch) into `folder`.
  static void save_earlier_run(const fs::path& folder) {
    TrainingState state = state_after(1);
    save_training(FourNumbers(1.0), state, folder);
  }
  // Saves the next checkpoint (model 2, 3, 4, 5 after `epochs` epochs) into `folder`.
  static void save_next(const fs::path& folder, std::size_t epochs) {
    TrainingState state = state_after(epochs);
    save_training(FourNumbers(2.0), state, folder);
  }

  // The steps one save of the next checkpoint goes through, by name.
  static std::vector<std::string> steps_of_a_save(const fs::path& folder) {
    save_earlier_run(folder);
    g_steps.clear();
    g_kill_at = 0;
    micrograd::base::detail::set_write_step_hook(record_and_kill);
    save_next(folder, 2);
    micrograd::base::detail::set_write_step_hook(nullptr);
    return g_steps;
  }

  // Saves the next checkpoint into `folder` in a child process that is killed at step `step`.
  static void save_next_killed_at(const fs::path& folder, std::size_t epochs, std::size_t step) {
    EXPECT_EXIT(
        {
          g_steps.clear();
          g_kill_at = step;
          micrograd::base::detail::set_write_step_hook(record_and_kill);
          save_next(folder, epochs);
        },
        ::testing::KilledBySignal(SIGKILL), "");
  }

  // For every step of a save of the model after `next_epochs` epochs over the earlier run's: kills
  // the save there, then reads the folder as --resume does. It must find the earlier pair or the
  // next one, whole; `after_the_kill` then looks at the folder too.
  static void kill_at_every_step(std::size_t next_epochs,
                                 const std::function<void(const fs::path&)>& after_the_kill) {
    ScratchDir scratch;
    const std::vector<std::string> steps = steps_of_a_save(scratch / "count");
    ASSERT_GE(steps.size(), 8u) << "a save writes two files, each in at least four steps";
    bool saw_earlier = false;
    bool saw_next = false;
    for (std::size_t step = 1; step <= steps.size(); ++step) {
      SCOPED_TRACE("killed at step " + std::to_string(step) + " of " +
                   std::to_string(steps.size()) + " (" + steps[step - 1] + ")");
      const fs::path folder = scratch / ("killed_at_" + std::to_string(step));
      save_earlier_run(folder);
      save_next_killed_at(folder, next_epochs, step);

      TrainingState state;
      ASSERT_NO_THROW(state = load_state(folder));
      FourNumbers model(0.0);
      try {
        load_model(model, state, folder);
      } catch (const std::exception& error) {
        ADD_FAILURE() << "--resume refuses the run: " << error.what();
        continue;
      }
      const bool earlier = state.epochs_done == 1 && model.first() == 1.0;
      const bool next = state.epochs_done == next_epochs && model.first() == 2.0;
      EXPECT_TRUE(earlier || next) << "a state after " << state.epochs_done
                                   << " epochs with the model starting " << model.first();
      saw_earlier = saw_earlier || earlier;
      saw_next = saw_next || next;
      after_the_kill(folder);
    }
    EXPECT_TRUE(saw_earlier) << "no kill left the earlier pair: the steps are not those of a save";
    EXPECT_TRUE(saw_next) << "no kill left the next pair";
  }
};

// What --resume reads after a save killed at any step: the earlier pair or the next, whole.
TEST_F(MnistCheckpoint, AKillAtAnyStepOfASaveLeavesAMatchingPair) {
  kill_at_every_step(2, [](const fs::path&) {});
}

// Another model at the same progress (a new run that replaces an earlier one, both one epoch in):
// the new model cannot take the name of the model the folder's state names.
TEST_F(MnistCheckpoint, AKillAtAnyStepOfASaveAtTheSameProgressLeavesAMatchingPair) {
  kill_at_every_step(1, [](const fs::path&) {});
}

// The files a killed save leaves (a model no state names, a temporary file) go with the next save:
// the folder then holds the state and the one model it names.
TEST_F(MnistCheckpoint, TheNextSaveRemovesWhatAKilledSaveLeft) {
  kill_at_every_step(2, [](const fs::path& folder) {
    TrainingState state = state_after(3);
    save_training(FourNumbers(3.0), state, folder);
    const std::vector<std::string> expected = {state.model_file, "training_state.json"};
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(folder)) {
      found.push_back(entry.path().filename().string());
    }
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, expected);
  });
}

// The model file's name tells the progress, and a save at the same progress takes another name.
TEST_F(MnistCheckpoint, TheModelFileIsNamedAfterTheProgress) {
  ScratchDir scratch;
  TrainingState state = state_after(1);
  save_training(FourNumbers(1.0), state, scratch.path());
  EXPECT_EQ(state.model_file, "model-1-epoch.json");
  save_training(FourNumbers(2.0), state, scratch.path());
  EXPECT_EQ(state.model_file, "model-1-epoch-v2.json");
  state = state_after(3);
  state.position = 1200;
  state.epoch_tally.count = 1200;
  state.train_size = 5000;
  save_training(FourNumbers(3.0), state, scratch.path());
  EXPECT_EQ(state.model_file, "model-3-epochs-1200-samples.json");
  EXPECT_EQ(load_state(scratch.path()).model_file, "model-3-epochs-1200-samples.json");
  EXPECT_EQ(model_path(scratch.path(), state), scratch / "model-3-epochs-1200-samples.json");
}

// training_state.json may only name a model file beside it: a damaged or hostile one cannot make
// --resume read (or a later save remove) a file elsewhere.
TEST_F(MnistCheckpoint, TheStateNamesOnlyAModelFileBesideIt) {
  ScratchDir scratch;
  save_earlier_run(scratch.path());
  const fs::path path = state_path(scratch.path());
  const std::string text = micrograd::testing::read_text(path);
  for (const std::string name : {"../model-1-epoch.json", "/etc/passwd", "notes.txt", ""}) {
    std::string edited = text;
    const std::string field = "\"model_file\": \"model-1-epoch.json\"";
    ASSERT_NE(edited.find(field), std::string::npos) << text;
    edited.replace(edited.find(field), field.size(), "\"model_file\": \"" + name + "\"");
    micrograd::testing::write_text(path, edited);
    const std::string message = message_of<StateError>([&] { load_state(scratch.path()); });
    EXPECT_NE(message.find("\"model_file\" should name a model file beside it"), std::string::npos)
        << "\"" << name << "\": " << message;
  }
}

// A checkpoint of the one-file layout before the pair (model.json) still resumes; the next save
// replaces it with a pair.
TEST_F(MnistCheckpoint, ACheckpointOfTheOneFileLayoutStillResumes) {
  ScratchDir scratch;
  save_earlier_run(scratch.path());
  TrainingState state = load_state(scratch.path());
  fs::rename(model_path(scratch.path(), state), scratch / "model.json");
  std::string text = micrograd::testing::read_text(state_path(scratch.path()));
  text.replace(text.find("model-1-epoch.json"), 18, "model.json");
  micrograd::testing::write_text(state_path(scratch.path()), text);

  state = load_state(scratch.path());
  FourNumbers model(0.0);
  load_model(model, state, scratch.path());
  EXPECT_EQ(model.first(), 1.0);
  EXPECT_TRUE(holds_checkpoint(scratch.path()));
  state = state_after(2);
  save_training(model, state, scratch.path());
  EXPECT_EQ(scratch.file_names(),
            (std::vector<std::string>{"model-2-epochs.json", "training_state.json"}));
}

// The batch is a setting of the run (the numbers depend on it): saved and read back. A state
// written before --batch existed has none, and its run trained at batch 1; a batch of 0 is damage.
TEST_F(MnistCheckpoint, TheBatchIsSavedAndAStateWithoutOneWasBatchOne) {
  ScratchDir scratch;
  TrainingState state = state_after(1);
  state.batch = 16;
  save_training(FourNumbers(1.0), state, scratch.path());
  EXPECT_EQ(load_state(scratch.path()).batch, 16u);

  const fs::path path = state_path(scratch.path());
  const std::string text = micrograd::testing::read_text(path);
  const std::string field = "\"batch\": 16,";
  ASSERT_NE(text.find(field), std::string::npos) << text;
  std::string edited = text;
  edited.erase(edited.find(field), field.size());
  micrograd::testing::write_text(path, edited);
  EXPECT_EQ(load_state(scratch.path()).batch, 1u);

  edited = text;
  edited.replace(edited.find(field), field.size(), "\"batch\": 0,");
  micrograd::testing::write_text(path, edited);
  const std::string message = message_of<StateError>([&] { load_state(scratch.path()); });
  EXPECT_NE(message.find("\"batch\" should be at least 1"), std::string::npos) << message;
}

TEST_F(MnistCheckpoint, AFolderHoldsACheckpointWhenItHasAStateOrAnOldModelFile) {
  ScratchDir scratch;
  EXPECT_FALSE(holds_checkpoint(scratch.path()));
  EXPECT_FALSE(holds_checkpoint(scratch / "missing"));
  micrograd::testing::write_text(scratch / "model.json", "{}");
  EXPECT_TRUE(holds_checkpoint(scratch.path()));
  fs::remove(scratch / "model.json");
  save_earlier_run(scratch.path());
  EXPECT_TRUE(holds_checkpoint(scratch.path()));
}

}  // namespace
}  // namespace mnist_demo
