// The shared pieces of reading a CSV line (see csv_fields.hpp).
#include "datasets/detail/csv_fields.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace micrograd::datasets::detail {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto comma = line.find(',');
    fields.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

bool parse_double(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);  // from_chars rejects '+'
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size() &&
         std::isfinite(value);
}

bool parse_label(std::string_view text, int& value) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size() && value >= 0;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t max_shown = 60;
  if (text.size() > max_shown) return "\"" + std::string(text.substr(0, max_shown)) + "...\"";
  return "\"" + std::string(text) + "\"";
}

}  // namespace micrograd::datasets::detail
