#include "datasets/points.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <stdexcept>
#include <string>

#include "common/errors.hpp"
#include "datasets/errors.hpp"
#include "largest_allocation.hpp"
#include "test_files.hpp"

namespace micrograd::datasets {
namespace {

using testing::ScratchDir;
using testing::write_text;

std::size_t count_label(const Points& points, int label) {
  std::size_t count = 0;
  for (const LabeledPoint& point : points) count += point.label == label ? 1 : 0;
  return count;
}

// --- make_moons against scikit-learn's algorithm ----------------------------------------------

TEST(MakeMoons, SplitsSamplesLikeScikitLearn) {
  const Points even = make_moons(100, 0.1, 1);
  ASSERT_EQ(even.size(), 100u);
  EXPECT_EQ(count_label(even, 0), 50u);
  EXPECT_EQ(count_label(even, 1), 50u);
  const Points odd = make_moons(101, 0.1, 1);  // n_out = n / 2 = 50, n_in = n - n_out = 51
  EXPECT_EQ(count_label(odd, 0), 50u);
  EXPECT_EQ(count_label(odd, 1), 51u);
  EXPECT_EQ(num_classes(odd), 2);
  EXPECT_TRUE(make_moons(0, 0.1, 1).empty());
}

// Without shuffle or noise the points are sklearn's, in sklearn's order:
// outer (cos t, sin t) then inner (1 - cos t, 1 - sin t - 0.5) with t = linspace(0, pi, n).
TEST(MakeMoons, UnshuffledNoiseFreePointsAreScikitLearnsExactly) {
  const Points points = make_moons(7, 0.0, 123, /*shuffle=*/false);
  ASSERT_EQ(points.size(), 7u);
  const double outer_step = std::numbers::pi / 2;  // linspace(0, pi, 3)
  for (int i = 0; i < 3; ++i) {
    const double t = i == 2 ? std::numbers::pi : i * outer_step;
    EXPECT_EQ(points[static_cast<std::size_t>(i)], (LabeledPoint{std::cos(t), std::sin(t), 0}));
  }
  const double inner_step = std::numbers::pi / 3;  // linspace(0, pi, 4)
  for (int i = 0; i < 4; ++i) {
    const double t = i == 3 ? std::numbers::pi : i * inner_step;
    EXPECT_EQ(points[static_cast<std::size_t>(3 + i)],
              (LabeledPoint{1.0 - std::cos(t), 1.0 - std::sin(t) - 0.5, 1}));
  }
  // The ends of the half circles, as in sklearn: (1, 0) and (-1, ~0); (0, 0.5) and (2, ~0.5).
  EXPECT_EQ(points[0].x0, 1.0);
  EXPECT_EQ(points[2].x0, -1.0);
  EXPECT_EQ(points[3].x0, 0.0);
  EXPECT_EQ(points[6].x0, 2.0);
}

TEST(MakeMoons, NoiseFreePointsLieExactlyOnTheTwoHalfCircles) {
  const Points points = make_moons(1000, 0.0, 5);
  for (const LabeledPoint& p : points) {
    if (p.label == 0) {  // the upper half of the unit circle
      EXPECT_NEAR(p.x0 * p.x0 + p.x1 * p.x1, 1.0, 1e-12);
      EXPECT_GE(p.x1, 0.0);
    } else {  // the lower half of the unit circle around (1, 0.5)
      EXPECT_NEAR((p.x0 - 1) * (p.x0 - 1) + (p.x1 - 0.5) * (p.x1 - 0.5), 1.0, 1e-12);
      EXPECT_LE(p.x1, 0.5 + 1e-12);
    }
  }
}

TEST(MakeMoons, ShufflesTheClasses) {
  const Points points = make_moons(100, 0.0, 3);
  std::size_t label_changes = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    label_changes += points[i].label != points[i - 1].label ? 1 : 0;
  }
  EXPECT_GT(label_changes, 30u);  // unshuffled there is exactly 1
}

// sklearn shuffles first and adds noise last, so the same seed with and without noise gives the
// same order, and their difference is exactly the noise.
TEST(MakeMoons, NoiseIsGaussianWithTheGivenStandardDeviation) {
  constexpr std::size_t count = 20000;
  const Points clean = make_moons(count, 0.0, 17);
  const Points noisy = make_moons(count, 0.2, 17);
  double sum = 0.0;
  double sum_of_squares = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    ASSERT_EQ(noisy[i].label, clean[i].label);
    for (double delta : {noisy[i].x0 - clean[i].x0, noisy[i].x1 - clean[i].x1}) {
      sum += delta;
      sum_of_squares += delta * delta;
    }
  }
  const double mean = sum / (2 * count);
  const double std_dev = std::sqrt(sum_of_squares / (2 * count) - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(std_dev, 0.2, 0.004);
}

TEST(MakeMoons, ASeedGivesTheSamePoints) {
  EXPECT_EQ(make_moons(50, 0.1, 42), make_moons(50, 0.1, 42));
  EXPECT_NE(make_moons(50, 0.1, 42), make_moons(50, 0.1, 43));
}

TEST(MakeMoons, RejectsNegativeOrNonFiniteNoise) {
  EXPECT_THROW(make_moons(10, -0.1, 1), std::invalid_argument);
  EXPECT_THROW(make_moons(10, std::nan(""), 1), std::invalid_argument);
  EXPECT_THROW(make_moons(10, INFINITY, 1), std::invalid_argument);
}

// The reference file pins make_moons(100, 0.1, 42): the points micrograd's demo trains on. To
// regenerate it after a deliberate change, run this test with MICROGRAD_UPDATE_REFERENCE=1.
TEST(MakeMoons, MatchesTheGoldenFileForSeed42) {
  const std::filesystem::path reference = std::filesystem::path(MICROGRAD_SOURCE_DIR) / "tests" /
                                          "reference" / "datasets" / "moons_seed42.csv";
  const Points points = make_moons(100, 0.1, 42);
  if (std::getenv("MICROGRAD_UPDATE_REFERENCE") != nullptr) write_points_csv(reference, points);
  const Points expected = read_points_csv(reference);
  ASSERT_EQ(points.size(), expected.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE("point " + std::to_string(i));
    EXPECT_EQ(points[i].label, expected[i].label);
    // Identical on this platform; the 4-ulp slack only forgives another libm's last bit in
    // std::cos, std::sin or std::log. A change of algorithm or seed moves every point far more.
    EXPECT_DOUBLE_EQ(points[i].x0, expected[i].x0);
    EXPECT_DOUBLE_EQ(points[i].x1, expected[i].x1);
  }
}

// --- the other generators ----------------------------------------------------------------------

TEST(MakeCircles, TwoCirclesOfRadiusOneAndFactor) {
  const Points points = make_circles(201, 0.0, 4, 0.5);
  EXPECT_EQ(count_label(points, 0), 100u);
  EXPECT_EQ(count_label(points, 1), 101u);
  for (const LabeledPoint& p : points) {
    EXPECT_NEAR(std::hypot(p.x0, p.x1), p.label == 0 ? 1.0 : 0.5, 1e-12);
  }
  // Unshuffled, the first point of each circle is at angle 0 (linspace without the endpoint).
  const Points ordered = make_circles(8, 0.0, 4, 0.8, false);
  EXPECT_EQ(ordered[0], (LabeledPoint{1.0, 0.0, 0}));
  EXPECT_EQ(ordered[4], (LabeledPoint{0.8, 0.0, 1}));
  EXPECT_NEAR(ordered[1].x0, 0.0, 1e-15);  // angle 2 pi / 4
  EXPECT_THROW(make_circles(10, 0.1, 1, 1.0), std::invalid_argument);
  EXPECT_THROW(make_circles(10, 0.1, 1, -0.1), std::invalid_argument);
}

TEST(MakeSpirals, ArmsOfEqualSizeWithinTheUnitDisc) {
  const Points points = make_spirals(100, 3, 0.0, 2);
  EXPECT_EQ(count_label(points, 0), 34u);
  EXPECT_EQ(count_label(points, 1), 33u);
  EXPECT_EQ(count_label(points, 2), 33u);
  EXPECT_EQ(num_classes(points), 3);
  for (const LabeledPoint& p : points) EXPECT_LE(std::hypot(p.x0, p.x1), 1.0 + 1e-12);
  EXPECT_THROW(make_spirals(10, 0, 0.0, 1), std::invalid_argument);
}

TEST(MakeXor, LabelIsTheXorOfTheSigns) {
  const Points points = make_xor(1000, 0.0, 9);
  ASSERT_EQ(points.size(), 1000u);
  for (const LabeledPoint& p : points) {
    EXPECT_EQ(p.label, (p.x0 > 0) != (p.x1 > 0) ? 1 : 0);
    EXPECT_LE(std::abs(p.x0), 1.0);
    EXPECT_LE(std::abs(p.x1), 1.0);
  }
  EXPECT_NEAR(static_cast<double>(count_label(points, 1)), 500.0, 60.0);
}

TEST(MakePoints, ByNameAndAHelpfulErrorForUnknownNames) {
  for (const std::string& name : point_dataset_names()) {
    EXPECT_EQ(make_points(name, 40, 0.1, 1).size(), 40u) << name;
  }
  EXPECT_EQ(make_points("moons", 40, 0.1, 1), make_moons(40, 0.1, 1));
  try {
    make_points("blobs", 10, 0.1, 1);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("moons, circles, spirals, xor"), std::string::npos)
        << error.what();
  }
}

// --- CSV -----------------------------------------------------------------------------------------

TEST(PointsCsv, RoundTripsEveryDoubleExactly) {
  ScratchDir dir;
  Points points = make_moons(64, 0.3, 8);
  points.push_back({1e-300, -123456789.125, 7});
  points.push_back({0.1, 1.0 / 3.0, 0});
  write_points_csv(dir / "points.csv", points);
  EXPECT_EQ(read_points_csv(dir / "points.csv"), points);
  EXPECT_EQ(dir.file_names(), std::vector<std::string>{"points.csv"});  // no temporary left
}

TEST(PointsCsv, WritesAHeaderAndOneRowPerPoint) {
  ScratchDir dir;
  write_points_csv(dir / "nested" / "p.csv", {{0.5, -1.0, 1}, {2.0, 0.25, 0}});
  EXPECT_EQ(testing::read_bytes(dir / "nested" / "p.csv"),
            testing::Bytes({'x',  '0',  ',', 'x', '1', ',', 'l', 'a', 'b', 'e',
                            'l',  '\n', '0', '.', '5', ',', '-', '1', ',', '1',
                            '\n', '2',  ',', '0', '.', '2', '5', ',', '0', '\n'}));
}

TEST(PointsCsv, ReadsHandMadeFiles) {
  ScratchDir dir;
  write_text(dir / "hand.csv",
             "# two points\r\n"
             "x,y,class\r\n"
             "\r\n"
             " 0.5 , +1e-3 , 1 \r\n"
             "-2,3,0\n");
  EXPECT_EQ(read_points_csv(dir / "hand.csv"), (Points{{0.5, 1e-3, 1}, {-2.0, 3.0, 0}}));
  write_text(dir / "no_header.csv", "1,2,0\n");
  EXPECT_EQ(read_points_csv(dir / "no_header.csv"), (Points{{1.0, 2.0, 0}}));
}

// Each bad file must fail with a FormatError naming the file and the line.
struct BadCsv {
  const char* name;
  const char* contents;
  const char* expected_in_message;
};

// gtest prints a parameter of a failing test with this, instead of its bytes.
void PrintTo(const BadCsv& bad, std::ostream* out) {
  *out << bad.name;
}

class PointsCsvErrors : public ::testing::TestWithParam<BadCsv> {};

TEST_P(PointsCsvErrors, NameTheFileAndTheLine) {
  ScratchDir dir;
  const BadCsv& bad = GetParam();
  write_text(dir / "bad.csv", bad.contents);
  try {
    read_points_csv(dir / "bad.csv");
    FAIL() << "expected a FormatError for " << bad.name;
  } catch (const FormatError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find((dir / "bad.csv").string()), std::string::npos) << message;
    EXPECT_NE(message.find(bad.expected_in_message), std::string::npos) << message;
    EXPECT_EQ(error.path(), dir / "bad.csv");
  }
}

INSTANTIATE_TEST_SUITE_P(
    BadRows, PointsCsvErrors,
    ::testing::Values(BadCsv{"TwoFields", "x0,x1,label\n1,2,0\n1,2\n", "line 3: expected 3 fields"},
                      BadCsv{"FourFields", "1,2,0,4\n", "line 1: expected 3 fields"},
                      BadCsv{"BadX1", "1,2,0\n1,abc,0\n", "line 2: x1 \"abc\" is not a finite"},
                      BadCsv{"BadX0LaterLine", "1,2,0\n\n1z,2,0\n", "line 3: x0 \"1z\""},
                      BadCsv{"NaN", "1,2,0\nnan,2,0\n", "line 2: x0 \"nan\""},
                      BadCsv{"Infinity", "1,inf,0\n", "line 1: x1 \"inf\""},
                      BadCsv{"NegativeLabel", "1,2,-1\n", "line 1: label \"-1\" is not a whole"},
                      BadCsv{"FractionalLabel", "1,2,0.5\n", "line 1: label \"0.5\""},
                      BadCsv{"EmptyLabel", "1,2,\n", "line 1: label \"\""},
                      BadCsv{"HeaderOnly", "x0,x1,label\n", "holds no points"},
                      BadCsv{"Empty", "", "holds no points"}),
    [](const ::testing::TestParamInfo<BadCsv>& param_info) {
      return std::string(param_info.param.name);
    });

// Each class is an output neuron of the demo's network: a label of a billion is a typo or a
// corrupt file, not a billion classes. 2147483647 (INT_MAX) used to overflow num_classes.
TEST(PointsCsv, LabelsAboveTheClassLimitAreRefusedNamingTheLimit) {
  ScratchDir dir;
  EXPECT_EQ(kMaxPointClasses, 1000);
  for (const std::string label : {"1000", "1000000000", "2147483647", "99999999999999999999"}) {
    write_text(dir / "big.csv", "x0,x1,label\n0.5,1,0\n1,2," + label + "\n");
    try {
      read_points_csv(dir / "big.csv");
      ADD_FAILURE() << "label " << label << " must be refused";
    } catch (const FormatError& error) {
      const std::string message = error.what();
      EXPECT_EQ(error.path(), dir / "big.csv");
      EXPECT_NE(message.find("line 3: label \"" + label + "\" is outside"), std::string::npos)
          << message;
      EXPECT_NE(message.find("0..999"), std::string::npos) << message;
    }
  }
  write_text(dir / "ok.csv", "0,0,999\n");
  EXPECT_EQ(num_classes(read_points_csv(dir / "ok.csv")), 1000);
}

TEST(NumClasses, LabelsOutsideTheClassRangeAreRefused) {
  EXPECT_EQ(num_classes(Points{}), 0);
  EXPECT_EQ(num_classes(Points{{0, 0, 2}, {0, 0, 0}}), 3);
  for (const int bad : {-1, 1000, 2147483647}) {
    try {
      num_classes(Points{{0, 0, 1}, {0, 0, bad}});
      ADD_FAILURE() << "label " << bad << " must be refused";
    } catch (const std::invalid_argument& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("point 1 has label " + std::to_string(bad)), std::string::npos)
          << message;
      EXPECT_NE(message.find("0..999"), std::string::npos) << message;
    }
  }
  EXPECT_THROW(make_spirals(10, 1001, 0.0, 1), std::invalid_argument);
  EXPECT_EQ(num_classes(make_spirals(10, 1000, 0.0, 1)), 10) << "only 10 arms get a point";
}

TEST(PointsCsv, AMissingFileIsDataNotFound) {
  ScratchDir dir;
  EXPECT_THROW(read_points_csv(dir / "missing.csv"), DataNotFound);
}

// A byte order mark before a first row without a header: before, the marked row was taken for a
// header and silently dropped.
TEST(PointsCsv, AByteOrderMarkIsSkippedAndTheFirstRowKept) {
  ScratchDir dir;
  write_text(dir / "bom.csv",
             "\xEF\xBB\xBF"
             "1,2,0\n3,4,1\n");
  EXPECT_EQ(read_points_csv(dir / "bom.csv"), (Points{{1.0, 2.0, 0}, {3.0, 4.0, 1}}));
  write_text(dir / "bom_header.csv",
             "\xEF\xBB\xBF"
             "x0,x1,label\n3,4,1\n");
  EXPECT_EQ(read_points_csv(dir / "bom_header.csv"), (Points{{3.0, 4.0, 1}}));
}

TEST(PointsCsv, AnOverlongLineIsRefusedByNumberWithoutReadingItWhole) {
  ScratchDir dir;
  std::string row;
  for (int i = 0; i < 1'000'000; ++i) row += "1,";
  write_text(dir / "long.csv", "x0,x1,label\n1,2,0\n" + row + "0\n");
  testing::reset_largest_allocation();
  const std::string message =
      micrograd::testing::message_of<FormatError>([&] { read_points_csv(dir / "long.csv"); });
  EXPECT_LT(testing::largest_allocation(), std::size_t{4} << 20)
      << "the reader allocated " << testing::largest_allocation() << " bytes at once";
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
}

}  // namespace
}  // namespace micrograd::datasets
