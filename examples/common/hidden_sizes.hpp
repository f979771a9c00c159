// The demos' --hidden flag: "16,16" -> {16, 16}, the hidden layers' sizes.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace micrograd::examples {

// The widest hidden layer a demo builds: a layer of 10,000 neurons after another holds 10^8
// weights, each a Value; more would exhaust the memory before it said why.
inline constexpr std::uint64_t kWidestLayer = 10'000;
// The most weights between consecutive hidden layers: 10^7 Values, about a gigabyte.
inline constexpr std::uint64_t kMostHiddenWeights = 10'000'000;

// Each size a whole number from 1 to kWidestLayer. Throws std::invalid_argument, saying what is
// wrong, for "" and for an empty size ("4,", ",4", "4,,4"), and for layers that hold more than
// kMostHiddenWeights weights between them.
inline std::vector<std::size_t> parse_hidden_sizes(const std::string& text) {
  const std::string expected =
      "--hidden takes the hidden layers' sizes separated by commas, such as 16,16; got '" + text +
      "'";
  if (text.empty()) throw std::invalid_argument(expected);
  std::vector<std::size_t> sizes;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string size = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (size.empty()) throw std::invalid_argument(expected + ", with an empty size");
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), value);
    if (error != std::errc() || end != size.data() + size.size() || value < 1 ||
        value > kWidestLayer) {
      throw std::invalid_argument(expected + ": '" + size + "' is not a whole number from 1 to " +
                                  std::to_string(kWidestLayer));
    }
    sizes.push_back(static_cast<std::size_t>(value));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  // Two wide layers in a row multiply: 10,000 then 10,000 is 10^8 weights, a Value each.
  std::uint64_t weights = 0;
  for (std::size_t i = 1; i < sizes.size(); ++i) weights += sizes[i - 1] * sizes[i];
  if (weights > kMostHiddenWeights) {
    throw std::invalid_argument("--hidden " + text + " makes " + std::to_string(weights) +
                                " weights between its layers, more than the " +
                                std::to_string(kMostHiddenWeights) +
                                " a demo builds (each is a Value of about 100 bytes); use "
                                "narrower or fewer layers");
  }
  return sizes;
}

}  // namespace micrograd::examples
