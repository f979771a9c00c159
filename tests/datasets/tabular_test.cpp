// Tests of datasets/tabular.hpp: sklearn's table layout (and every way a file can be wrong), the
// real breast cancer file when python3-sklearn is installed, the seeded stratified split, and
// standardisation measured on the training rows only.
#include "datasets/tabular.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <string>

#include "common/errors.hpp"
#include "datasets/errors.hpp"
#include "largest_allocation.hpp"
#include "test_files.hpp"

namespace micrograd::datasets {
namespace {

using micrograd::testing::message_of;
using testing::ScratchDir;
using testing::write_text;

const std::string kSmall =
    "4,2,red,green\n"
    "1.5,-2,0\n"
    "0.5,4,1\r\n"
    "\n"
    "+3,1e-3,1\n"
    "2,2,0\n";

TEST(SklearnCsv, ReadsTheHeaderRowsAndLabels) {
  ScratchDir dir;
  write_text(dir / "t.csv", kSmall);
  const Table table = read_sklearn_csv(dir / "t.csv");
  EXPECT_EQ(table.class_names, (std::vector<std::string>{"red", "green"}));
  EXPECT_EQ(table.feature_count, 2u);
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.rows[1], (std::vector<double>{0.5, 4.0}));
  EXPECT_EQ(table.rows[2], (std::vector<double>{3.0, 1e-3}));
  EXPECT_EQ(table.labels, (std::vector<int>{0, 1, 1, 0}));
}

struct BadTable {
  const char* name;
  std::string contents;
  std::string expected;
};

// gtest shows a parameter by its name; without this it would print the struct's raw bytes, padding
// included, which valgrind rightly calls a read of uninitialised memory.
void PrintTo(const BadTable& bad, std::ostream* out) {
  *out << bad.name;
}

class SklearnCsvErrors : public ::testing::TestWithParam<BadTable> {};

TEST_P(SklearnCsvErrors, NameTheFileTheLineAndTheProblem) {
  ScratchDir dir;
  write_text(dir / "bad.csv", GetParam().contents);
  const std::string message = message_of<FormatError>([&] { read_sklearn_csv(dir / "bad.csv"); });
  EXPECT_EQ(message.rfind((dir / "bad.csv").string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Damaged, SklearnCsvErrors,
    ::testing::Values(
        BadTable{"Empty", "", "the file is empty"},
        BadTable{"HeaderNotNumbers", "x0,x1,label\n1,2,0\n", "line 1: the header"},
        BadTable{"OneClass", "1,2,only\n1,2,0\n", "with two classes or more"},
        BadTable{"HugeHeader", "1000000000,2,a,b\n", "this reader's limits"},
        BadTable{"TooFewFields", "2,2,a,b\n1,0\n", "line 2: expected 2 features and a label"},
        BadTable{"NotANumber", "2,2,a,b\n1,x,0\n", "line 2: feature 2 \"x\" is not a finite"},
        BadTable{"Infinity", "2,2,a,b\n1,1e999,0\n", "feature 2 \"1e999\""},
        BadTable{"LabelNotAClass", "2,2,a,b\n1,2,2\n", "the label \"2\" is not a class"},
        BadTable{"HugeLabel", "2,2,a,b\n1,2,2147483647\n", "is not a class"},
        BadTable{"LabelOverflow", "2,2,a,b\n1,2,99999999999\n", "is not a class"},
        BadTable{"CutShort", "3,2,a,b\n1,2,0\n", "announces 3 rows, the file holds 1"},
        BadTable{"TooManyRows", "1,2,a,b\n1,2,0\n3,4,1\n", "line 3: more rows than the 1"}),
    [](const ::testing::TestParamInfo<BadTable>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(SklearnCsv, AMissingFileOrAFolderIsDataNotFound) {
  ScratchDir dir;
  EXPECT_NE(
      message_of<DataNotFound>([&] { read_sklearn_csv(dir / "nope.csv"); }).find("cannot open"),
      std::string::npos);
  EXPECT_NE(message_of<DataNotFound>([&] { read_sklearn_csv(dir.path()); }).find("is a folder"),
            std::string::npos);
}

TEST(BreastCancer, TheRealFileHas569RowsOf30FeaturesWhenInstalled) {
  std::filesystem::path path;
  try {
    path = find_breast_cancer_csv();
  } catch (const DataNotFound& missing) {
    EXPECT_NE(std::string(missing.what()).find("apt-get install python3-sklearn"),
              std::string::npos);
    GTEST_SKIP() << missing.what();
  }
  const Table table = read_sklearn_csv(path);
  EXPECT_EQ(table.rows.size(), 569u);
  EXPECT_EQ(table.feature_count, 30u);
  EXPECT_EQ(table.class_names, (std::vector<std::string>{"malignant", "benign"}));
  EXPECT_EQ(std::count(table.labels.begin(), table.labels.end(), 0), 212);  // sklearn's DESCR
  EXPECT_DOUBLE_EQ(table.rows[0][0], 17.99);
}

Table counting_table(std::size_t zeros, std::size_t ones) {
  Table table;
  table.class_names = {"zero", "one"};
  table.feature_count = 1;
  for (std::size_t i = 0; i < zeros + ones; ++i) {
    table.rows.push_back({static_cast<double>(i)});
    table.labels.push_back(i < zeros ? 0 : 1);
  }
  return table;
}

TEST(SplitTrainTest, StratifiedSeededAndEveryRowOnce) {
  const Table table = counting_table(70, 30);
  const TrainTestSplit split = split_train_test(table, 0.2, 42);
  ASSERT_EQ(split.test.rows.size(), 20u);
  ASSERT_EQ(split.train.rows.size(), 80u);
  EXPECT_EQ(std::count(split.test.labels.begin(), split.test.labels.end(), 1), 6) << "30% of 20";
  std::vector<double> seen;
  for (const Table* part : {&split.train, &split.test}) {
    for (std::size_t i = 0; i < part->rows.size(); ++i) {
      seen.push_back(part->rows[i][0]);
      EXPECT_EQ(part->labels[i], part->rows[i][0] < 70 ? 0 : 1) << "a row keeps its label";
    }
  }
  std::sort(seen.begin(), seen.end());
  std::vector<double> all(100);
  std::iota(all.begin(), all.end(), 0.0);
  EXPECT_EQ(seen, all);
  const TrainTestSplit again = split_train_test(table, 0.2, 42);
  EXPECT_EQ(again.test.rows, split.test.rows) << "the same seed, the same split";
  EXPECT_NE(split_train_test(table, 0.2, 43).test.rows, split.test.rows);
}

TEST(SplitTrainTest, RefusesFractionsOutsideZeroToOne) {
  const Table table = counting_table(5, 5);
  for (double fraction : {0.0, 1.0, -0.5, std::nan("")}) {
    EXPECT_THROW(split_train_test(table, fraction, 1), std::invalid_argument) << fraction;
  }
}

TEST(Standardizer, MeasuresTheTrainingRowsOnly) {
  Table train = counting_table(2, 2);  // 0, 1, 2, 3: mean 1.5, deviation sqrt(1.25)
  Table test = counting_table(1, 0);
  test.rows[0][0] = 100.0;
  const Standardizer standardize(train);
  EXPECT_DOUBLE_EQ(standardize.mean()[0], 1.5);
  EXPECT_DOUBLE_EQ(standardize.deviation()[0], std::sqrt(1.25));
  standardize.apply(train);
  standardize.apply(test);
  EXPECT_DOUBLE_EQ(train.rows[0][0], -1.5 / std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(test.rows[0][0], 98.5 / std::sqrt(1.25))
      << "the test row does not move the mean";
  Table constant = counting_table(3, 0);
  for (auto& row : constant.rows) row[0] = 7.0;
  Standardizer centre_only(constant);
  centre_only.apply(constant);
  EXPECT_EQ(constant.rows[0][0], 0.0) << "a constant feature is centred, not divided by 0";
}

TEST(SklearnCsv, AUtf8ByteOrderMarkIsSkippedAsTheMoonsReaderDoes) {
  ScratchDir dir;
  write_text(dir / "bom.csv", "\xEF\xBB\xBF" + kSmall);
  const Table table = read_sklearn_csv(dir / "bom.csv");
  EXPECT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.class_names, (std::vector<std::string>{"red", "green"}));
}

TEST(SklearnCsv, AByteOrderMarkAfterTheFirstLineIsNamed) {
  ScratchDir dir;
  write_text(dir / "bom.csv",
             "2,1,a,b\n\xEF\xBB\xBF"
             "1,0\n2,1\n");
  const std::string message = message_of<FormatError>([&] { read_sklearn_csv(dir / "bom.csv"); });
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("<byte order mark>"), std::string::npos)
      << "the mark prints as nothing: the message must name it; got " << message;
}

// A row of a million fields (2 MB of text, "1,1,1,..."): before, the reader held a 16-byte view
// per 2-byte field on top of the line (over 12x the row), for a file whose header announces 2
// features. The reader must refuse an over-long line, naming it, without holding it whole.
TEST(SklearnCsv, AnOverlongLineIsRefusedByNumberWithoutReadingItWhole) {
  ScratchDir dir;
  std::string row;
  for (int i = 0; i < 1'000'000; ++i) row += "1,";
  row += "0\n";
  write_text(dir / "long.csv", "2,2,a,b\n1,2,0\n" + row);
  testing::reset_largest_allocation();
  const std::string message = message_of<FormatError>([&] { read_sklearn_csv(dir / "long.csv"); });
  EXPECT_LT(testing::largest_allocation(), std::size_t{4} << 20)
      << "the reader allocated " << testing::largest_allocation() << " bytes at once for a "
      << row.size() << "-byte line";
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
}

TEST(Standardizer, FeaturesNearTheLargestDoubleStayFinite) {
  Table train = counting_table(2, 2);
  train.rows[0][0] = 1.7e308;
  train.rows[1][0] = -1.7e308;
  train.rows[2][0] = 1.6e308;
  train.rows[3][0] = 1.0;
  const Standardizer standardize(train);
  EXPECT_TRUE(std::isfinite(standardize.mean()[0])) << standardize.mean()[0];
  EXPECT_TRUE(std::isfinite(standardize.deviation()[0])) << standardize.deviation()[0];
  Table copy = train;
  standardize.apply(copy);
  double sum = 0.0;
  for (const auto& row : copy.rows) {
    ASSERT_TRUE(std::isfinite(row[0])) << "a finite feature became " << row[0];
    sum += row[0];
  }
  EXPECT_NEAR(sum, 0.0, 1e-12) << "standardised features have mean 0";
  EXPECT_GT(copy.rows[0][0], copy.rows[2][0]);
}

TEST(Standardizer, AFeatureThatCannotBeStandardisedIsNamed) {
  Table train = counting_table(2, 0);
  train.rows[0][0] = 1.0;
  train.rows[1][0] = 1.0 + 1e-15;
  const Standardizer standardize(train);  // deviation about 5e-16
  Table test = counting_table(1, 0);
  test.rows[0][0] = 1e300;  // 2e315 deviations away: not a double
  const std::string message = message_of<std::domain_error>([&] { standardize.apply(test); });
  EXPECT_NE(message.find("feature 1"), std::string::npos) << message;
  EXPECT_NE(message.find("row 1"), std::string::npos) << message;
}

}  // namespace
}  // namespace micrograd::datasets
