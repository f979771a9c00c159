// Reading the numbers the example programs take as flags. A bad value is a usage error: the
// program's `fail` prints what was wrong and the usage, and exits with status 2.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <string>

namespace micrograd::examples {

using UsageError = void (*)(const std::string& message);  // must not return

// A finite number, the whole text of it: "0.01", "1e-4".
inline double parse_number(const std::string& flag, const std::string& text, UsageError fail) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    fail(flag + " takes a number, got '" + text + "'");
  }
  return value;
}

// A whole number of at least `least`, the whole text of it.
inline std::uint64_t parse_whole(const std::string& flag, const std::string& text,
                                 std::uint64_t least, UsageError fail) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < least) {
    fail(flag + " takes a whole number >= " + std::to_string(least) + ", got '" + text + "'");
  }
  return value;
}

}  // namespace micrograd::examples
