// sklearn's tables, a stratified split and standardisation (see tabular.hpp).
#include "datasets/tabular.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <utility>

#include "base/random.hpp"
#include "datasets/detail/csv_fields.hpp"
#include "datasets/errors.hpp"

namespace micrograd::datasets {

namespace {

// Far above sklearn's tables (569 x 30 for breast cancer) and small enough that a damaged header
// cannot make the reader reserve gigabytes before it finds out.
constexpr std::size_t kMaxRows = 1'000'000;
constexpr std::size_t kMaxFeatures = 10'000;
constexpr std::size_t kMaxClasses = 1'000;

const char* const kLayout =
    "; expected sklearn's layout: a first line 'rows,features,class names...' (569,30,malignant,"
    "benign), then one row per line of the features and a label";

bool parse_count(std::string_view text, std::size_t& value) {
  int parsed = 0;
  if (!detail::parse_label(text, parsed)) return false;
  value = static_cast<std::size_t>(parsed);
  return true;
}

}  // namespace

Table read_sklearn_csv(const std::filesystem::path& path) {
  using detail::quoted;
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw DataNotFound(path, "is a folder, not a CSV file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataNotFound(path, "cannot open the table; check the path");

  Table table;
  std::string line_buffer;
  std::size_t line_number = 0;
  std::size_t expected_rows = 0;
  while (true) {
    const detail::LineRead read = detail::read_line(in, line_buffer);
    if (read == detail::LineRead::end) break;
    ++line_number;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (read == detail::LineRead::too_long) {
      throw FormatError(path, where + "longer than " + std::to_string(detail::kMaxLineBytes) +
                                  " bytes, more than a row of " + std::to_string(kMaxFeatures) +
                                  " features takes (not a CSV table, or a damaged one?)");
    }
    std::string_view line = line_buffer;
    if (line_number == 1) line = detail::without_byte_order_mark(line);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (detail::trim(line).empty()) continue;
    if (table.class_names.empty()) {  // the header
      const std::vector<std::string_view> fields = detail::split_fields(line);
      if (fields.size() < 4 || !parse_count(fields[0], expected_rows) ||
          !parse_count(fields[1], table.feature_count) || expected_rows == 0 ||
          table.feature_count == 0) {
        throw FormatError(path, where + "the header " + quoted(line) +
                                    " is not "
                                    "'rows,features,class names...' with two classes or more" +
                                    kLayout);
      }
      if (expected_rows > kMaxRows || table.feature_count > kMaxFeatures ||
          fields.size() - 2 > kMaxClasses) {
        throw FormatError(path, where + "the header " + quoted(line) + " asks for more than " +
                                    std::to_string(kMaxRows) + " rows, " +
                                    std::to_string(kMaxFeatures) + " features or " +
                                    std::to_string(kMaxClasses) + " classes, this reader's limits");
      }
      for (std::size_t i = 2; i < fields.size(); ++i) table.class_names.emplace_back(fields[i]);
      table.rows.reserve(expected_rows);
      continue;
    }
    if (table.rows.size() == expected_rows) {
      throw FormatError(path, where + "more rows than the " + std::to_string(expected_rows) +
                                  " the header announces");
    }
    // The fields are read one by one from the line: a list of them would hold 16 bytes per field
    // of as little as 2 bytes of text.
    const auto field_count =
        static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
    if (field_count != table.feature_count + 1) {
      throw FormatError(path, where + "expected " + std::to_string(table.feature_count) +
                                  " features and a label, found " + std::to_string(field_count) +
                                  " fields" + kLayout);
    }
    std::vector<double> row(table.feature_count);
    std::string_view rest = line;
    for (std::size_t i = 0; i < table.feature_count; ++i) {
      const std::size_t comma = rest.find(',');
      const std::string_view field = detail::trim(rest.substr(0, comma));
      rest.remove_prefix(comma + 1);
      if (!detail::parse_double(field, row[i])) {
        throw FormatError(path, where + "feature " + std::to_string(i + 1) + " " + quoted(field) +
                                    " is not a finite number");
      }
    }
    const std::string_view label_field = detail::trim(rest);
    int label = 0;
    if (!detail::parse_label(label_field, label) ||
        static_cast<std::size_t>(label) >= table.class_names.size()) {
      throw FormatError(path, where + "the label " + quoted(label_field) +
                                  " is not a class: the header names " +
                                  std::to_string(table.class_names.size()) + " (0 to " +
                                  std::to_string(table.class_names.size() - 1) + ")");
    }
    table.rows.push_back(std::move(row));
    table.labels.push_back(label);
  }
  if (in.bad())
    throw DatasetError(path, "reading failed after line " + std::to_string(line_number));
  if (table.class_names.empty())
    throw FormatError(path, std::string("the file is empty") + kLayout);
  if (table.rows.size() != expected_rows) {
    throw FormatError(path, "the header announces " + std::to_string(expected_rows) +
                                " rows, the file holds " + std::to_string(table.rows.size()) +
                                " (cut short?)");
  }
  return table;
}

std::filesystem::path find_breast_cancer_csv() {
  const std::filesystem::path path =
      "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv";
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw DataNotFound(path,
                       "the breast cancer data is not there: it comes with Debian's "
                       "python3-sklearn (sudo apt-get install python3-sklearn), or pass the "
                       "path of a copy of breast_cancer.csv");
  }
  return path;
}

TrainTestSplit split_train_test(const Table& table, double test_fraction, std::uint64_t seed) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw std::invalid_argument("split_train_test: test_fraction must be between 0 and 1, got " +
                                std::to_string(test_fraction));
  }
  // Each class's rows, shuffled; then each class gives its share of the test set, rounded so that
  // the shares add up to the whole test set (the largest remainders get the extra rows).
  std::mt19937_64 generator(seed);
  std::vector<std::vector<std::size_t>> by_class(table.class_names.size());
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    by_class[static_cast<std::size_t>(table.labels[i])].push_back(i);
  }
  for (std::vector<std::size_t>& rows : by_class) base::shuffle(generator, rows);
  const auto total = static_cast<double>(table.rows.size());
  const auto test_size =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(test_fraction * total)));
  std::vector<std::size_t> share(by_class.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t given = 0;
  for (std::size_t c = 0; c < by_class.size(); ++c) {
    const double exact =
        static_cast<double>(test_size) * static_cast<double>(by_class[c].size()) / total;
    share[c] = static_cast<std::size_t>(exact);
    given += share[c];
    remainders.emplace_back(exact - static_cast<double>(share[c]), c);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < test_size && k < remainders.size(); ++k, ++given) {
    ++share[remainders[k].second];
  }
  TrainTestSplit split;
  for (Table* part : {&split.train, &split.test}) {
    part->class_names = table.class_names;
    part->feature_count = table.feature_count;
  }
  std::vector<std::pair<std::size_t, bool>> order;  // (row, goes to test), then shuffled
  for (std::size_t c = 0; c < by_class.size(); ++c) {
    for (std::size_t k = 0; k < by_class[c].size(); ++k)
      order.emplace_back(by_class[c][k], k < share[c]);
  }
  base::shuffle(generator, order);  // classes mixed, as a training loop wants them
  for (const auto& [row, to_test] : order) {
    Table& part = to_test ? split.test : split.train;
    part.rows.push_back(table.rows[row]);
    part.labels.push_back(table.labels[row]);
  }
  if (split.train.rows.empty() || split.test.rows.empty()) {
    throw std::invalid_argument("split_train_test: " + std::to_string(table.rows.size()) +
                                " rows cannot be split into a training and a test set with "
                                "test_fraction " +
                                std::to_string(test_fraction));
  }
  return split;
}

namespace {

// The mean and the population's standard deviation of feature `f` of `rows`, each divided by
// `scale` first (1, or the largest magnitude when the plain sums overflow).
std::pair<double, double> mean_and_deviation(const std::vector<std::vector<double>>& rows,
                                             std::size_t f, double scale) {
  const auto count = static_cast<double>(rows.size());
  double sum = 0.0;
  for (const std::vector<double>& row : rows) sum += row[f] / scale;
  const double mean = sum / count;
  double squares = 0.0;
  for (const std::vector<double>& row : rows)
    squares += (row[f] / scale - mean) * (row[f] / scale - mean);
  return {mean, std::sqrt(squares / count)};  // the population's deviation, as sklearn's
}

}  // namespace

Standardizer::Standardizer(const Table& train)
    : mean_(train.feature_count, 0.0),
      deviation_(train.feature_count, 1.0),
      scale_(train.feature_count, 1.0) {
  if (train.rows.empty()) {
    throw std::invalid_argument("Standardizer: the training table has no rows to measure");
  }
  for (std::size_t f = 0; f < train.feature_count; ++f) {
    auto [mean, deviation] = mean_and_deviation(train.rows, f, 1.0);
    if (!std::isfinite(mean) || !std::isfinite(deviation)) {
      // Features near the largest double (1.7e308) overflow the sums: measure them in units of
      // the largest magnitude, where every number is at most 1.
      double largest = 0.0;
      for (const std::vector<double>& row : train.rows)
        largest = std::max(largest, std::abs(row[f]));
      scale_[f] = largest;
      std::tie(mean, deviation) = mean_and_deviation(train.rows, f, largest);
      mean_[f] = mean * largest;
      deviation_[f] = deviation > 0.0 ? deviation * largest : 1.0;
      scaled_mean_.resize(train.feature_count, 0.0);
      scaled_deviation_.resize(train.feature_count, 1.0);
      scaled_mean_[f] = mean;
      scaled_deviation_[f] = deviation > 0.0 ? deviation : 1.0;
      continue;
    }
    mean_[f] = mean;
    deviation_[f] = deviation > 0.0 ? deviation : 1.0;
  }
}

void Standardizer::apply(Table& table) const {
  if (table.feature_count != mean_.size()) {
    throw std::invalid_argument("Standardizer: fitted on " + std::to_string(mean_.size()) +
                                " features, given a table of " +
                                std::to_string(table.feature_count));
  }
  // Checked first, applied after: on an error the table is unchanged.
  std::vector<std::vector<double>> rows = table.rows;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<double>& row = rows[r];
    for (std::size_t f = 0; f < row.size(); ++f) {
      const double original = row[f];
      row[f] = scale_[f] == 1.0 ? (row[f] - mean_[f]) / deviation_[f]
                                : (row[f] / scale_[f] - scaled_mean_[f]) / scaled_deviation_[f];
      if (!std::isfinite(row[f])) {
        std::ostringstream message;
        message << "Standardizer: feature " << f + 1 << " of row " << r + 1 << " is " << original
                << ", " << (original - mean_[f]) / deviation_[f]
                << " standard deviations from the training rows' mean " << mean_[f]
                << " (deviation " << deviation_[f]
                << "): too far to standardise. Check that row, or rescale that feature";
        throw std::domain_error(message.str());
      }
    }
  }
  table.rows = std::move(rows);
}

}  // namespace micrograd::datasets
