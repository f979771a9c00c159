// write_csv: a line plot's numbers as CSV, for other plotting tools.
#include <charconv>
#include <cmath>
#include <string>

#include "base/atomic_file.hpp"
#include "plots/detail/figure.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots {

namespace {

// The shortest text that reads back as the same double (std::to_chars), and nan, inf, -inf as
// Python, pandas and gnuplot read them.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "nan";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "inf" : "-inf";
    return;
  }
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
void append_field(std::string& out, const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char character : field) {
    if (character == '"') out += '"';
    out += character;
  }
  out += '"';
}

}  // namespace

void write_csv(const std::filesystem::path& path, const std::vector<Series>& series) {
  detail::check_lengths(series, "write_csv");
  std::string text = "series,x,y\n";
  for (const Series& curve : series) {
    for (std::size_t i = 0; i < curve.y.size(); ++i) {
      append_field(text, curve.name);
      text += ',';
      append_number(text, curve.x.empty() ? static_cast<double>(i) : curve.x[i]);
      text += ',';
      append_number(text, curve.y[i]);
      text += '\n';
    }
  }
  base::write_atomically(path, text, {.create_folders = true});
}

}  // namespace micrograd::plots
