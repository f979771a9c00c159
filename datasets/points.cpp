#include "datasets/points.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numbers>
#include <stdexcept>
#include <system_error>

#include "base/atomic_file.hpp"
#include "base/random.hpp"
#include "datasets/detail/csv_fields.hpp"
#include "datasets/errors.hpp"

namespace micrograd::datasets {

namespace {

// numpy.linspace(start, stop, count, endpoint): start + i * step, and with endpoint the last value
// is exactly stop (numpy sets it so, and sklearn's moons end exactly at pi).
std::vector<double> linspace(double start, double stop, std::size_t count, bool endpoint = true) {
  std::vector<double> values(count);
  const std::size_t divisions = endpoint ? count - 1 : count;
  const double step = divisions > 0 ? (stop - start) / static_cast<double>(divisions) : 0.0;
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<double>(i) * step + start;
  if (endpoint && count > 1) values.back() = stop;
  return values;
}

void check_noise(const char* generator, double noise) {
  if (!(noise >= 0.0) || !std::isfinite(noise)) {
    throw std::invalid_argument(std::string(generator) + ": noise is the standard deviation of " +
                                "the Gaussian noise, so it must be a finite number >= 0 (got " +
                                std::to_string(noise) + ")");
  }
}

// sklearn's last two steps: shuffle the rows, then add N(0, noise^2) to every coordinate, row by
// row (x0 then x1), as generator.normal(size=X.shape) fills a row-major array.
void shuffle_and_add_noise(Points& points, double noise, bool shuffle_points,
                           std::mt19937_64& rng) {
  if (shuffle_points) base::shuffle(rng, points);
  if (noise == 0.0) return;
  for (LabeledPoint& point : points) {
    point.x0 += noise * base::standard_normal(rng);
    point.x1 += noise * base::standard_normal(rng);
  }
}

}  // namespace

Points make_moons(std::size_t n_samples, double noise, std::uint64_t seed, bool shuffle) {
  check_noise("make_moons", noise);
  const std::size_t n_out = n_samples / 2;
  const std::size_t n_in = n_samples - n_out;
  Points points;
  points.reserve(n_samples);
  for (double t : linspace(0.0, std::numbers::pi, n_out)) {
    points.push_back({std::cos(t), std::sin(t), 0});
  }
  for (double t : linspace(0.0, std::numbers::pi, n_in)) {
    points.push_back({1.0 - std::cos(t), 1.0 - std::sin(t) - 0.5, 1});
  }
  std::mt19937_64 rng(seed);
  shuffle_and_add_noise(points, noise, shuffle, rng);
  return points;
}

Points make_circles(std::size_t n_samples, double noise, std::uint64_t seed, double factor,
                    bool shuffle) {
  check_noise("make_circles", noise);
  if (!(factor >= 0.0 && factor < 1.0)) {
    throw std::invalid_argument("make_circles: factor is the inner circle's radius relative to " +
                                std::string("the outer one, so it must be in [0, 1) (got ") +
                                std::to_string(factor) + ")");
  }
  const std::size_t n_out = n_samples / 2;
  const std::size_t n_in = n_samples - n_out;
  Points points;
  points.reserve(n_samples);
  for (double t : linspace(0.0, 2.0 * std::numbers::pi, n_out, false)) {
    points.push_back({std::cos(t), std::sin(t), 0});
  }
  for (double t : linspace(0.0, 2.0 * std::numbers::pi, n_in, false)) {
    points.push_back({std::cos(t) * factor, std::sin(t) * factor, 1});
  }
  std::mt19937_64 rng(seed);
  shuffle_and_add_noise(points, noise, shuffle, rng);
  return points;
}

Points make_spirals(std::size_t n_samples, std::size_t n_classes, double noise,
                    std::uint64_t seed) {
  check_noise("make_spirals", noise);
  if (n_classes < 1 || n_classes > static_cast<std::size_t>(kMaxPointClasses)) {
    throw std::invalid_argument("make_spirals: n_classes is " + std::to_string(n_classes) +
                                ", outside 1.." + std::to_string(kMaxPointClasses));
  }
  Points points;
  points.reserve(n_samples);
  for (std::size_t arm = 0; arm < n_classes; ++arm) {
    const std::size_t count = n_samples / n_classes + (arm < n_samples % n_classes ? 1 : 0);
    const double start_angle =
        2.0 * std::numbers::pi * static_cast<double>(arm) / static_cast<double>(n_classes);
    for (double radius : linspace(0.0, 1.0, count)) {
      const double angle = start_angle + 4.0 * radius;
      points.push_back({radius * std::sin(angle), radius * std::cos(angle), static_cast<int>(arm)});
    }
  }
  std::mt19937_64 rng(seed);
  shuffle_and_add_noise(points, noise, true, rng);
  return points;
}

Points make_xor(std::size_t n_samples, double noise, std::uint64_t seed) {
  check_noise("make_xor", noise);
  std::mt19937_64 rng(seed);
  Points points;
  points.reserve(n_samples);
  for (std::size_t i = 0; i < n_samples; ++i) {
    const double x0 = base::uniform(rng, -1.0, 1.0);
    const double x1 = base::uniform(rng, -1.0, 1.0);
    points.push_back({x0, x1, (x0 > 0.0) != (x1 > 0.0) ? 1 : 0});
  }
  shuffle_and_add_noise(points, noise, false, rng);
  return points;
}

const std::vector<std::string>& point_dataset_names() {
  static const std::vector<std::string> names{"moons", "circles", "spirals", "xor"};
  return names;
}

Points make_points(std::string_view name, std::size_t n_samples, double noise, std::uint64_t seed) {
  if (name == "moons") return make_moons(n_samples, noise, seed);
  if (name == "circles") return make_circles(n_samples, noise, seed);
  if (name == "spirals") return make_spirals(n_samples, 2, noise, seed);
  if (name == "xor") return make_xor(n_samples, noise, seed);
  std::string known;
  for (const std::string& known_name : point_dataset_names()) {
    known += (known.empty() ? "" : ", ") + known_name;
  }
  throw std::invalid_argument("unknown point dataset \"" + std::string(name) +
                              "\"; choose one of " + known);
}

int num_classes(const Points& points) {
  int largest = -1;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int label = points[i].label;
    // Checked here, not only when reading a file: points made in code reach this too, and
    // largest + 1 must not overflow (label INT_MAX would make it undefined, in practice class 0).
    if (label < 0 || label >= kMaxPointClasses) {
      throw std::invalid_argument("num_classes: point " + std::to_string(i) + " has label " +
                                  std::to_string(label) + ", outside 0.." +
                                  std::to_string(kMaxPointClasses - 1) +
                                  " (a label is a class index, and each class an output neuron)");
    }
    largest = std::max(largest, label);
  }
  return largest + 1;
}

// --- CSV
// ------------------------------------------------------------------------------------------

namespace {

using detail::parse_double;
using detail::quoted;
using detail::split_fields;
using detail::trim;

std::string shortest(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

enum class Label { ok, not_whole, too_large };

// A label is a whole number in 0..kMaxPointClasses - 1. A number too large even for long long is
// too large, not "not a number".
Label parse_label(std::string_view text, int& value) {
  long long number = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || result.ptr != text.data() + text.size()) return Label::not_whole;
  if (text.front() == '-' && (result.ec != std::errc() || number < 0)) return Label::not_whole;
  if (result.ec == std::errc::result_out_of_range || number >= kMaxPointClasses) {
    return Label::too_large;
  }
  if (result.ec != std::errc()) return Label::not_whole;
  value = static_cast<int>(number);
  return Label::ok;
}

}  // namespace

void write_points_csv(const std::filesystem::path& path, const Points& points) {
  std::string text = "x0,x1,label\n";
  for (const LabeledPoint& point : points) {
    text +=
        shortest(point.x0) + ',' + shortest(point.x1) + ',' + std::to_string(point.label) + '\n';
  }
  try {
    base::write_atomically(path, text, {.create_folders = true});
  } catch (const base::WriteError& error) {
    throw DatasetError(error);
  }
}

Points read_points_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataNotFound(path,
                       "cannot open the points file; check the path (write one with "
                       "write_points_csv, or make points with make_moons)");
  }
  Points points;
  std::string line_buffer;
  std::size_t line_number = 0;
  bool first_content_line = true;
  while (true) {
    const detail::LineRead read = detail::read_line(in, line_buffer);
    if (read == detail::LineRead::end) break;
    ++line_number;
    if (read == detail::LineRead::too_long) {
      throw FormatError(path, "line " + std::to_string(line_number) + ": longer than " +
                                  std::to_string(detail::kMaxLineBytes) +
                                  " bytes, where a row is x0,x1,label (not a CSV file of points?)");
    }
    std::string_view line = line_buffer;
    if (line_number == 1) line = detail::without_byte_order_mark(line);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line).front() == '#') continue;
    const std::vector<std::string_view> fields = split_fields(line);
    double x0 = 0.0;
    double x1 = 0.0;
    int label = 0;
    const bool first_is_number = parse_double(fields[0], x0);
    if (first_content_line && !first_is_number) {  // a header such as x0,x1,label
      first_content_line = false;
      continue;
    }
    first_content_line = false;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    const std::string expected =
        "; each row is two numbers and a whole-number label >= 0, e.g. 0.25,-1.5,1";
    if (fields.size() != 3) {
      throw FormatError(path, where + "expected 3 fields x0,x1,label but found " +
                                  std::to_string(fields.size()) + " in " + quoted(line) + expected);
    }
    if (!first_is_number) {
      throw FormatError(path,
                        where + "x0 " + quoted(fields[0]) + " is not a finite number" + expected);
    }
    if (!parse_double(fields[1], x1)) {
      throw FormatError(path,
                        where + "x1 " + quoted(fields[1]) + " is not a finite number" + expected);
    }
    const Label parsed = parse_label(fields[2], label);
    if (parsed == Label::not_whole) {
      throw FormatError(
          path, where + "label " + quoted(fields[2]) + " is not a whole number >= 0" + expected);
    }
    if (parsed == Label::too_large) {
      throw FormatError(path, where + "label " + quoted(fields[2]) + " is outside 0.." +
                                  std::to_string(kMaxPointClasses - 1) + ": a label is a class " +
                                  "index, and a point dataset has at most " +
                                  std::to_string(kMaxPointClasses) + " classes");
    }
    points.push_back({x0, x1, label});
  }
  if (in.bad())
    throw DatasetError(path, "reading failed after line " + std::to_string(line_number));
  if (points.empty()) {
    throw FormatError(path,
                      "the file holds no points; expected a header x0,x1,label and rows "
                      "such as 0.25,-1.5,1");
  }
  return points;
}

}  // namespace micrograd::datasets
