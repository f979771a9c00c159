// The pieces of reading a CSV line that the datasets' readers share: splitting on commas, trimming,
// strict numbers, and quoting a field in a message (cut when long). Internal (not installed).
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace micrograd::datasets::detail {

// The longest line the readers take: far above any real row (10,000 features of 100 characters),
// and small enough that a file of one endless line cannot make a reader hold gigabytes.
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 20;

enum class LineRead { line, end, too_long };

// The next line of `in` into `line`, without its '\n': LineRead::line, or LineRead::end when the
// file has no more, or LineRead::too_long, having read only `max_bytes` of it, when the line is
// longer (the caller refuses the file naming the line; nothing more is read).
LineRead read_line(std::istream& in, std::string& line, std::size_t max_bytes = kMaxLineBytes);

// `line` without a UTF-8 byte order mark at its start (Windows editors and Excel write one before
// the first line); unchanged when there is none.
std::string_view without_byte_order_mark(std::string_view line);

// `text` without the spaces and tabs around it.
std::string_view trim(std::string_view text);

// The fields of `line` between commas, each trimmed.
std::vector<std::string_view> split_fields(std::string_view line);

// The whole of `text` as a finite double ("+1.5" too); false for anything else ("", "1.5x", "nan").
bool parse_double(std::string_view text, double& value);

// The whole of `text` as an int >= 0; false for anything else (a sign, a fraction, an overflow).
bool parse_label(std::string_view text, int& value);

// `text` in double quotes for a message, its first 60 characters and "..." when longer.
std::string quoted(std::string_view text);

}  // namespace micrograd::datasets::detail
