// Tables of numbers with a class per row: scikit-learn's bundled datasets (the Wisconsin breast
// cancer data, iris, wine) in the CSV layout sklearn ships them in, a seeded train/test split, and
// standardisation fitted on the training rows only.
//
// The layout (sklearn/datasets/data/breast_cancer.csv):
//   569,30,malignant,benign          rows, features, then the class names in label order
//   17.99,10.38,...,0.1189,0         each row: the features, then the label (0, 1, ...)
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace micrograd::datasets {

struct Table {
  std::vector<std::vector<double>> rows;  // rows[i]: the features of sample i
  std::vector<int> labels;                // labels[i]: its class, 0 .. class_names.size() - 1
  std::vector<std::string> class_names;
  std::size_t feature_count = 0;
};

// Reads a table in sklearn's layout. Throws DataNotFound if the file cannot be opened, and
// FormatError naming the line for a header that is not "rows,features,class names...", a row with
// the wrong number of fields, a field that is not a finite number, a label that is not one of the
// classes, or fewer rows than the header says. Sizes are capped (at most 1,000,000 rows, 10,000
// features and 1,000 classes) so that a damaged header cannot ask for gigabytes.
Table read_sklearn_csv(const std::filesystem::path& path);

// Where Debian's python3-sklearn installs the breast cancer data. Throws DataNotFound, naming the
// package to install, when it is not there.
std::filesystem::path find_breast_cancer_csv();

struct TrainTestSplit {
  Table train;
  Table test;
};

// Shuffles the rows with `seed` (base/random.hpp: the same split on every machine) and puts
// round(test_fraction * rows) of them, at least one, in the test set, keeping each class's share
// of the rows as close as it can (a stratified split, as sklearn's train_test_split with
// stratify=labels). Throws std::invalid_argument unless 0 < test_fraction < 1 and both sets get a
// row.
TrainTestSplit split_train_test(const Table& table, double test_fraction, std::uint64_t seed);

// Subtracts each feature's mean and divides by its standard deviation, both measured on the
// training rows only: the test rows must not leak into what the model is trained on. A feature
// that is constant on the training rows is only centred. Any finite features work, up to the
// largest double: where the plain sums would overflow, a feature is measured in units of its
// largest magnitude.
class Standardizer {
 public:
  explicit Standardizer(const Table& train);
  // Standardises every row of `table`. Throws std::domain_error, naming the row and the feature
  // and leaving the table unchanged, when a number lies too many deviations from the mean to be a
  // double (a test row far outside the training rows' range).
  void apply(Table& table) const;
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& deviation() const { return deviation_; }

 private:
  std::vector<double> mean_;
  std::vector<double> deviation_;
  // 1 for a feature measured as it is; else its largest magnitude, and the mean and deviation in
  // those units.
  std::vector<double> scale_;
  std::vector<double> scaled_mean_;
  std::vector<double> scaled_deviation_;
};

}  // namespace micrograd::datasets
