// The pieces of reading a CSV line that the datasets' readers share: splitting on commas, trimming,
// strict numbers, and quoting a field in a message (cut when long). Internal (not installed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace micrograd::datasets::detail {

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
