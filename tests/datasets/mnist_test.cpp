#include "datasets/mnist.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "common/errors.hpp"
#include "datasets/errors.hpp"
#include "test_files.hpp"

using micrograd::testing::message_of;

namespace micrograd::datasets {
namespace {

using testing::ScratchDir;

// count images of rows x cols whose bytes encode (image, pixel), labels image % 10.
MnistSplit make_split(std::size_t count, std::size_t rows, std::size_t cols, int salt) {
  MnistSplit split;
  split.rows = rows;
  split.cols = cols;
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t p = 0; p < rows * cols; ++p) {
      split.pixels.push_back(
          static_cast<double>((i * 31 + p * 7 + static_cast<std::size_t>(salt)) % 256) / 255.0);
    }
    split.labels.push_back(static_cast<std::uint8_t>(i % 10));
  }
  return split;
}

Mnist make_mnist() {
  return {make_split(12, 4, 3, 0), make_split(5, 4, 3, 1)};
}

void expect_same(const MnistSplit& actual, const MnistSplit& expected) {
  EXPECT_EQ(actual.rows, expected.rows);
  EXPECT_EQ(actual.cols, expected.cols);
  EXPECT_EQ(actual.labels, expected.labels);
  EXPECT_EQ(actual.pixels, expected.pixels);  // byte / 255 both ways: exactly equal
}

TEST(Mnist, SavesAndLoadsPlainAndGzippedFolders) {
  ScratchDir dir;
  const Mnist mnist = make_mnist();
  save_mnist(dir / "plain", mnist);
  save_mnist(dir / "packed", mnist, Compression::gzip);
  EXPECT_TRUE(std::filesystem::exists(dir / "packed" / "t10k-labels-idx1-ubyte.gz"));
  for (const char* folder : {"plain", "packed"}) {
    SCOPED_TRACE(folder);
    const Mnist loaded = load_mnist(dir / folder);
    expect_same(loaded.train, mnist.train);
    expect_same(loaded.test, mnist.test);
  }
}

TEST(Mnist, PixelsAreBytesOver255AndImagesAreSpans) {
  ScratchDir dir;
  const Mnist mnist = make_mnist();
  save_mnist(dir.path(), mnist);
  const Mnist loaded = load_mnist(dir.path());
  const testing::Bytes bytes = testing::read_bytes(dir / "train-images-idx3-ubyte");
  for (std::size_t i = 0; i < loaded.train.pixels.size(); ++i) {
    ASSERT_EQ(loaded.train.pixels[i], bytes[16 + i] / 255.0);
  }
  EXPECT_EQ(loaded.train.size(), 12u);
  EXPECT_EQ(loaded.train.image_size(), 12u);
  const std::span<const double> third = loaded.train.image(2);
  ASSERT_EQ(third.size(), 12u);
  EXPECT_EQ(third[0], loaded.train.pixels[24]);
  EXPECT_EQ(loaded.train.label(2), 2);
  EXPECT_THROW(loaded.train.image(12), std::out_of_range);
}

TEST(Mnist, FindsTheOtherSpellingsAndPrefersPlainFiles) {
  ScratchDir dir;
  const Mnist mnist = make_mnist();
  save_mnist_split(dir / "train-images.idx3-ubyte", dir / "train-labels.idx1-ubyte.gz", mnist.train,
                   Compression::none);
  save_mnist_split(dir / "t10k-images-idx3-ubyte.gz", dir / "t10k-labels-idx1-ubyte.gz", mnist.test,
                   Compression::gzip);
  save_mnist_split(dir / "t10k-images-idx3-ubyte", dir / "ignored-labels", mnist.test);
  const MnistFiles files = find_mnist_files(dir.path());
  EXPECT_EQ(files.train_images, dir / "train-images.idx3-ubyte");
  EXPECT_EQ(files.train_labels, dir / "train-labels.idx1-ubyte.gz");
  EXPECT_EQ(files.test_images, dir / "t10k-images-idx3-ubyte");
  EXPECT_EQ(files.test_labels, dir / "t10k-labels-idx1-ubyte.gz");
  expect_same(load_mnist(dir.path()).train, mnist.train);
}

TEST(Mnist, KeepsOnlyTheFirstImagesWhenAsked) {
  ScratchDir dir;
  const Mnist mnist = make_mnist();
  save_mnist(dir.path(), mnist);
  MnistOptions options;
  options.max_train = 5;
  options.max_test = 100;
  const Mnist loaded = load_mnist(dir.path(), options);
  EXPECT_EQ(loaded.train.size(), 5u);
  EXPECT_EQ(loaded.train.pixels.size(), 5u * 12u);
  EXPECT_EQ(loaded.test.size(), 5u);
  EXPECT_EQ(loaded.train.image(4)[0], mnist.train.image(4)[0]);
}

TEST(Mnist, CountsClasses) {
  const MnistSplit split = make_split(25, 1, 1, 0);
  EXPECT_EQ(class_counts(split), (std::vector<std::size_t>{3, 3, 3, 3, 3, 2, 2, 2, 2, 2}));
  EXPECT_EQ(class_counts(split, 3), (std::vector<std::size_t>{3, 3, 3}));
}

TEST(MnistErrors, AMissingFolderOrFileSaysHowToGetTheData) {
  ScratchDir dir;
  const std::string missing_folder =
      message_of<DataNotFound>([&] { load_mnist(dir / "no-such-folder"); });
  EXPECT_NE(missing_folder.find("does not exist"), std::string::npos) << missing_folder;
  EXPECT_NE(missing_folder.find("scripts/fetch_mnist.sh"), std::string::npos) << missing_folder;

  save_mnist(dir.path(), make_mnist());
  std::filesystem::remove(dir / "t10k-labels-idx1-ubyte");
  const std::string missing_file = message_of<DataNotFound>([&] { load_mnist(dir.path()); });
  EXPECT_NE(missing_file.find("has no t10k-labels-idx1-ubyte"), std::string::npos) << missing_file;
  EXPECT_NE(missing_file.find("dataset-fashion-mnist"), std::string::npos) << missing_file;
}

TEST(MnistErrors, ImageAndLabelCountsMustMatch) {
  ScratchDir dir;
  save_mnist_split(dir / "images", dir / "labels", make_split(5, 2, 2, 0));
  write_idx(dir / "labels", IdxArray{{4}, {0, 1, 2, 3}});
  const std::string message =
      message_of<FormatError>([&] { load_mnist_split(dir / "images", dir / "labels"); });
  EXPECT_EQ(message.rfind((dir / "labels").string() + ": holds 4 labels but " +
                              (dir / "images").string() + " holds 5 images",
                          0),
            0u)
      << message;
}

TEST(MnistErrors, LabelsMustBeClassIndices) {
  ScratchDir dir;
  save_mnist_split(dir / "images", dir / "labels", make_split(3, 2, 2, 0));
  write_idx(dir / "labels", IdxArray{{3}, {0, 12, 1}});
  const std::string message =
      message_of<FormatError>([&] { load_mnist_split(dir / "images", dir / "labels"); });
  EXPECT_NE(message.find("label 12 of image 1 is outside 0..9"), std::string::npos) << message;
  EXPECT_NO_THROW(load_mnist_split(dir / "images", dir / "labels", 0, 13));
}

// A 4096 x 4096 "digit" is a corrupt header or another dataset; the MNIST demo would build a
// 16M-input first layer (tens of GB of Values) for it.
TEST(MnistErrors, ImagesLargerThan256By256AreRefusedNamingTheFileAndTheLimit) {
  ScratchDir dir;
  EXPECT_EQ(kMnistMaxImagePixels, 256u * 256u);
  write_idx(dir / "labels", IdxArray{{1}, {3}});
  write_idx(dir / "images", IdxArray{{1, 257, 256}, std::vector<std::uint8_t>(257 * 256)});
  const std::string message =
      message_of<FormatError>([&] { load_mnist_split(dir / "images", dir / "labels"); });
  EXPECT_EQ(message.rfind((dir / "images").string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("257 x 256 = 65792 pixels"), std::string::npos) << message;
  EXPECT_NE(message.find("at most 65536"), std::string::npos) << message;
  write_idx(dir / "images", IdxArray{{1, 256, 256}, std::vector<std::uint8_t>(256 * 256)});
  EXPECT_EQ(load_mnist_split(dir / "images", dir / "labels").image_size(), 256u * 256u);
}

TEST(MnistErrors, ClassCountOutsideWhatByteLabelsCanHoldIsRefused) {
  ScratchDir dir;
  save_mnist_split(dir / "images", dir / "labels", make_split(3, 2, 2, 0));
  for (const int bad : {0, -1, 257, 1000000000}) {
    const std::string message = message_of<std::invalid_argument>(
        [&] { load_mnist_split(dir / "images", dir / "labels", 0, bad); });
    EXPECT_NE(message.find("num_classes is " + std::to_string(bad)), std::string::npos) << message;
    EXPECT_NE(message.find("1..256"), std::string::npos) << message;
    if (bad != 0) {
      EXPECT_THROW(class_counts(make_split(3, 1, 1, 0), bad), std::invalid_argument) << bad;
    }
  }
  EXPECT_TRUE(class_counts(make_split(3, 1, 1, 0), 0).empty()) << "no classes, no counts";
  EXPECT_NO_THROW(load_mnist_split(dir / "images", dir / "labels", 0, 256));
  EXPECT_EQ(class_counts(make_split(3, 1, 1, 0), 256).size(), 256u);
}

TEST(MnistErrors, SwappedImagesAndLabels) {
  ScratchDir dir;
  save_mnist_split(dir / "images", dir / "labels", make_split(3, 2, 2, 0));
  const std::string message =
      message_of<FormatError>([&] { load_mnist_split(dir / "labels", dir / "images"); });
  EXPECT_NE(message.find("looks like a labels file where an images file was expected"),
            std::string::npos)
      << message;
}

TEST(MnistErrors, TrainingAndTestImagesMustHaveOneSize) {
  ScratchDir dir;
  save_mnist(dir.path(), Mnist{make_split(3, 4, 3, 0), make_split(3, 3, 4, 0)});
  const std::string message = message_of<FormatError>([&] { load_mnist(dir.path()); });
  EXPECT_NE(message.find("must have the same size"), std::string::npos) << message;
}

TEST(MnistErrors, SaveRejectsMalformedSplits) {
  ScratchDir dir;
  MnistSplit split = make_split(2, 2, 2, 0);
  split.pixels[3] = 1.5;
  EXPECT_THROW(save_mnist_split(dir / "i", dir / "l", split), std::invalid_argument);
  split.pixels.pop_back();
  EXPECT_THROW(save_mnist_split(dir / "i", dir / "l", split), std::invalid_argument);
  EXPECT_THROW(save_mnist_split(dir / "i", dir / "l", MnistSplit{}), std::invalid_argument);
}

// Fashion-MNIST from Debian's dataset-fashion-mnist, when it is installed.
TEST(MnistRealData, FashionMnistFromDebian) {
  const std::filesystem::path folder = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(folder)) {
    GTEST_SKIP() << "apt-get install dataset-fashion-mnist to run this test";
  }
  const Mnist fashion = load_mnist(folder);
  EXPECT_EQ(fashion.train.size(), 60000u);
  EXPECT_EQ(fashion.test.size(), 10000u);
  EXPECT_EQ(fashion.train.rows, 28u);
  EXPECT_EQ(fashion.train.cols, 28u);
  EXPECT_EQ(class_counts(fashion.train), std::vector<std::size_t>(10, 6000));
  EXPECT_EQ(class_counts(fashion.test), std::vector<std::size_t>(10, 1000));
}

}  // namespace
}  // namespace micrograd::datasets
