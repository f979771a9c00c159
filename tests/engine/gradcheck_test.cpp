// Tests of engine/gradcheck.hpp, and gradcheck of every op and of random compositions: backward()
// must agree with central finite differences wherever the function is smooth.
#include "engine/gradcheck.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <limits>
#include <random>
#include <sstream>

namespace micrograd {
namespace {

using Inputs = const std::vector<Value>&;

void expect_gradcheck(const ScalarFunction& f, const std::vector<double>& point,
                      const std::string& what) {
  const GradcheckResult result = gradcheck(f, point);
  std::ostringstream table;
  table << result;
  EXPECT_TRUE(result.ok()) << what << '\n' << table.str();
}

TEST(Gradcheck, EveryOpAtSeveralPoints) {
  const std::vector<std::pair<std::string, ScalarFunction>> binary = {
      {"a + b", [](Inputs v) { return v[0] + v[1]; }},
      {"a - b", [](Inputs v) { return v[0] - v[1]; }},
      {"a * b", [](Inputs v) { return v[0] * v[1]; }},
      {"a / b", [](Inputs v) { return v[0] / v[1]; }},
      {"2 - a * 3 + b / 4", [](Inputs v) { return 2 - v[0] * 3 + v[1] / 4; }},
  };
  for (const auto& [name, f] : binary) {
    for (const auto& point : std::vector<std::vector<double>>{{2, -3}, {0.5, 0.25}, {-1.5, 4}}) {
      expect_gradcheck(f, point, name);
    }
  }
  const std::vector<std::tuple<std::string, ScalarFunction, std::vector<double>>> unary = {
      {"-a", [](Inputs v) { return -v[0]; }, {-2, 0, 3}},
      {"a^3", [](Inputs v) { return v[0].pow(3); }, {-2, 0.5, 3}},
      {"a^-2", [](Inputs v) { return v[0].pow(-2); }, {-2, 0.5, 3}},
      {"a^0.5", [](Inputs v) { return v[0].pow(0.5); }, {0.1, 2, 9}},
      {"a^-1.5", [](Inputs v) { return v[0].pow(-1.5); }, {0.3, 2}},
      {"exp", [](Inputs v) { return v[0].exp(); }, {-3, 0, 2}},
      {"log", [](Inputs v) { return v[0].log(); }, {0.01, 1, 50}},
      {"tanh", [](Inputs v) { return v[0].tanh(); }, {-2, 0, 0.7, 3}},
      {"relu", [](Inputs v) { return v[0].relu(); }, {-2, 0.3, 5}},  // away from the kink at 0
      {"sigmoid", [](Inputs v) { return v[0].sigmoid(); }, {-4, 0, 1.5}},
      {"abs", [](Inputs v) { return v[0].abs(); }, {-2, 0.3, 5}},  // away from the kink at 0
  };
  for (const auto& [name, f, points] : unary) {
    for (double x : points) expect_gradcheck(f, {x}, name + " at " + std::to_string(x));
  }
}

// Deterministic on every platform: mt19937_64's output is fixed by the standard, and the mapping
// to [lo, hi) is ours (std::uniform_real_distribution's is not specified).
double uniform(std::mt19937_64& generator, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

// A random expression over the inputs, with reuse: each step combines two earlier values.
Value random_expression(Inputs inputs, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<Value> pool(inputs.begin(), inputs.end());
  for (int step = 0; step < 12; ++step) {
    const Value& a = pool[generator() % pool.size()];
    const Value& b = pool[generator() % pool.size()];
    Value next;
    switch (generator() % 9) {
      case 0:
        next = a + b;
        break;
      case 1:
        next = a - b * 0.5;
        break;
      case 2:
        next = a * b;
        break;
      case 3:
        next = a / (b.pow(2) + 1);
        break;
      case 4:
        next = a.tanh();
        break;
      case 5:
        next = a.sigmoid() * b;
        break;
      case 6:
        next = (a.pow(2) + 0.5).log();
        break;
      case 7:
        next = (a * 0.3).exp();
        break;
      default:
        next = (a + 10).relu() - b;
        break;  // a + 10 > 0 here: away from the kink
    }
    pool.push_back(next.tanh() * 2);  // keep magnitudes moderate
  }
  Value sum = 0.0;
  for (std::size_t i = inputs.size(); i < pool.size(); ++i) sum += pool[i];
  return sum;
}

TEST(Gradcheck, RandomCompositions) {
  std::mt19937_64 points(7);
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    std::vector<double> point(4);
    for (double& x : point) x = uniform(points, -2.0, 2.0);
    expect_gradcheck([seed](Inputs v) { return random_expression(v, seed); }, point,
                     "random expression with seed " + std::to_string(seed));
  }
}

void wrong_square_backward(Node& out) {
  out.parent(0).grad += out.parent(0).data * out.grad;
}

TEST(Gradcheck, CatchesAWrongDerivative) {
  // x^2 with derivative x instead of 2x: the kind of bug gradcheck exists to find.
  const auto wrong_square = [](Inputs v) {
    return Value::from_op(v[0].data() * v[0].data(), "square", wrong_square_backward, v[0]);
  };
  const GradcheckResult result = gradcheck(wrong_square, {3.0});
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.inputs.size(), 1u);
  EXPECT_DOUBLE_EQ(result.inputs[0].analytic, 3.0);
  EXPECT_NEAR(result.inputs[0].numeric, 6.0, 1e-6);
  EXPECT_NEAR(result.max_error(), 3.0, 1e-6);
  std::ostringstream table;
  table << result;
  EXPECT_NE(table.str().find("FAIL"), std::string::npos) << table.str();
}

TEST(Gradcheck, MaxErrorIsNaNWhenAnInputsErrorIs) {
  // At a NaN input every numeric derivative is NaN, and so is every error: std::max(worst, nan)
  // keeps `worst`, which reported a max error of 0 for a check that failed.
  const GradcheckResult result = gradcheck([](Inputs v) { return v[0] * 2 + v[1]; },
                                           {1.0, std::numeric_limits<double>::quiet_NaN()});
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(std::isnan(result.max_error())) << result.max_error();
}

TEST(Gradcheck, ReportsEachInput) {
  const GradcheckResult result = gradcheck([](Inputs v) { return v[0] * v[1]; }, {2.0, 5.0});
  EXPECT_EQ(result.output, 10.0);
  ASSERT_EQ(result.inputs.size(), 2u);
  EXPECT_DOUBLE_EQ(result.inputs[0].analytic, 5.0);
  EXPECT_DOUBLE_EQ(result.inputs[1].analytic, 2.0);
  EXPECT_TRUE(result.ok());
  std::ostringstream table;
  table << result;
  EXPECT_NE(table.str().find("x1"), std::string::npos) << table.str();
}

TEST(Gradcheck, PrintingLeavesTheCallersStreamAsItWas) {
  // Before: the table left the stream at precision 6, right-aligned and in default notation.
  const GradcheckResult result = gradcheck([](Inputs v) { return v[0] * v[1]; }, {2.0, 5.0});
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << std::left << std::setfill('.');
  out << result;
  out.str("");
  out << std::setw(7) << 1.5 << '|';
  EXPECT_EQ(out.str(), "1.500..|");
}

TEST(Gradcheck, NotANumberPrintsAsNanWhateverItsSign) {
  // Before: "f = -nan" for a NaN with its sign bit set (log of a negative number).
  GradcheckResult result;
  result.output = std::copysign(std::numeric_limits<double>::quiet_NaN(), -1.0);
  result.inputs.push_back({-1.0, result.output, result.output, result.output, false});
  std::ostringstream table;
  table << result;
  EXPECT_EQ(table.str().find("-nan"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("f = nan"), std::string::npos) << table.str();
}

TEST(Gradcheck, RejectsBadArguments) {
  const auto f = [](Inputs v) { return v[0]; };
  EXPECT_THROW(gradcheck(f, {}), std::invalid_argument);
  EXPECT_THROW(gradcheck(f, {1.0}, GradcheckOptions{.eps = 0.0}), std::invalid_argument);
}

}  // namespace
}  // namespace micrograd
