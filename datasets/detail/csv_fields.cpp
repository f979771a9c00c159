// The shared pieces of reading a CSV line (see csv_fields.hpp).
#include "datasets/detail/csv_fields.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace micrograd::datasets::detail {

LineRead read_line(std::istream& in, std::string& line, std::size_t max_bytes) {
  using Traits = std::istream::traits_type;
  line.clear();
  std::streambuf* const buffer = in.rdbuf();
  bool any = false;
  while (true) {
    const Traits::int_type next = buffer->sbumpc();
    if (Traits::eq_int_type(next, Traits::eof())) {
      in.setstate(std::ios::eofbit);
      return any ? LineRead::line : LineRead::end;
    }
    any = true;
    const char c = Traits::to_char_type(next);
    if (c == '\n') return LineRead::line;
    if (line.size() == max_bytes) return LineRead::too_long;
    line.push_back(c);
  }
}

std::string_view without_byte_order_mark(std::string_view line) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (line.starts_with(kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
  return line;
}

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
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  std::string shown = "\"";
  for (std::size_t i = 0; i < text.size() && i < max_shown; ++i) {
    // A byte order mark prints as nothing: a message would quote text that looks right.
    if (text.substr(i).starts_with(kByteOrderMark)) {
      shown += "<byte order mark>";
      i += kByteOrderMark.size() - 1;
    } else {
      shown += text[i];
    }
  }
  return shown + (text.size() > max_shown ? "...\"" : "\"");
}

}  // namespace micrograd::datasets::detail
