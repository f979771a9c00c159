// The MNIST demo's report at the end: the accuracy per class and the confusion matrix on the
// console, three pictures (the misclassified images, the loss and accuracy curves) and the curves'
// numbers as CSV.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <micrograd/datasets/mnist.hpp>
#include "options.hpp"
#include "training_state.hpp"

namespace mnist_demo {

// Prints the test accuracy, the accuracy of each class and the confusion matrix of `predictions`.
void print_report(const micrograd::datasets::MnistSplit& test, const std::vector<int>& predictions,
                  const std::array<std::string, 10>& names, std::size_t epochs);

// Draws the pictures into options.out and writes the curves' numbers beside them (loss.csv,
// accuracy.csv); returns the paths of the files written.
std::vector<std::filesystem::path> draw_pictures(const Options& options, const TrainingState& state,
                                                 const micrograd::datasets::MnistSplit& test,
                                                 const std::vector<int>& predictions,
                                                 const std::array<std::string, 10>& names);

}  // namespace mnist_demo
