// Tests of engine/softplus.hpp (exercise 9.3, an op of your own written with apply_op): one node,
// a derivative that gradcheck confirms, and PyTorch's numbers where softplus is easy to get wrong
// (tests/reference/engine_softplus.txt, from make_softplus_reference.py).
#include "engine/softplus.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/failure_messages.hpp"
#include "engine/gradcheck.hpp"

namespace micrograd {
namespace {

using Values = std::vector<Value>;
using messages::number;

constexpr std::string_view kReference = MICROGRAD_TEST_DATA_DIR "/engine_softplus.txt";
// The committed file holds 17 points; fewer means it was cut short.
constexpr int kMinimumPoints = 15;
// PyTorch returns x itself above x = 20, within e^-20 of the exact value; both must pass.
constexpr double kRelativeTolerance = 1e-9;

TEST(Ex9_3_Softplus, OneNodeWithTheInputAsItsParent) {
  const Value x = 0.5;
  const Value y = softplus(x);
  EXPECT_PRED_FORMAT3(messages::near, y.data(), std::log(1.0 + std::exp(0.5)), 1e-15)
      << "softplus(0.5) = log(1 + e^0.5)";
  EXPECT_EQ(y.op(), "softplus") << "name() must return \"softplus\": graphs and messages show it";
  const Values parents = y.is_leaf() ? Values{} : y.parents();
  ASSERT_EQ(parents.size(), 1u) << "softplus(x) is one node with x as its only parent: "
                                   "return apply_op<Softplus>(x)";
  EXPECT_TRUE(parents[0].same_node(x)) << "its parent must be x itself";
}

TEST(Ex9_3_Softplus, GradcheckAgreesWithBackward) {
  // softplus of a product, so that the chain rule (which apply_op applies) is exercised too.
  const auto f = [](const Values& x) { return softplus(x[0] * x[1]) + softplus(-x[0]); };
  for (const std::vector<double>& point : std::vector<std::vector<double>>{
           {0.0, 1.0}, {0.7, -1.3}, {-2.0, 1.5}, {3.0, 1.2}, {-0.4, -5.0}}) {
    const GradcheckResult result = gradcheck(f, point);
    EXPECT_TRUE(result.ok())
        << "f(a, b) = softplus(a*b) + softplus(-a) at a = " << number(point[0])
        << ", b = " << number(point[1])
        << ": backward() disagrees with finite differences, so the derivative is wrong. "
           "d softplus/dx = sigmoid(x) = 1 / (1 + e^-x), of the input x (not of the output):\n"
        << result;
  }
}

// Why the student's number at `x` is probably wrong, for the message.
std::string hint_for(double x, bool value) {
  if (std::isnan(x)) return "nan in, nan out, as PyTorch: do not turn it into a number";
  if (x > 709) {
    return value ? "e^x overflows to inf past x = 709; write log(1 + e^x) as x + log(1 + e^-x) "
                   "for x > 0"
                 : "e^x / (1 + e^x) is inf / inf = nan past x = 709; write it as 1 / (1 + e^-x)";
  }
  if (x < -15 && value) {
    return "1 + e^x keeps only the first digits of a small e^x (and is exactly 1 once e^x < "
           "1e-16), so log(1 + e^x) loses them; std::log1p(e^x) keeps every digit";
  }
  return value ? "softplus(x) = log(1 + e^x)" : "d softplus/dx = sigmoid(x) = 1 / (1 + e^-x)";
}

// Equal to a relative kRelativeTolerance; infinities, zeros and nan exactly.
bool close_enough(double actual, double expected) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (!std::isfinite(expected) || expected == 0.0) return actual == expected;
  return std::fabs(actual - expected) <= kRelativeTolerance * std::fabs(expected);
}

double parse_number(const std::string& text) {
  double result = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
  if (error != std::errc() || end != text.data() + text.size()) {
    ADD_FAILURE() << kReference << ": \"" << text << "\" is not a number: regenerate the file";
  }
  return result;
}

TEST(Ex9_3_Softplus, MatchesPyTorchFromMinusToPlusInfinityAndAtNan) {
  std::ifstream file{std::filesystem::path(kReference)};
  ASSERT_TRUE(file) << "cannot open " << kReference << ": it is made by make_softplus_reference.py";
  int points = 0;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line.starts_with('#')) continue;
    std::istringstream fields(line);
    std::string x_text, colon, value_text, grad_text;
    fields >> x_text >> colon >> value_text >> grad_text;
    ASSERT_EQ(colon, ":") << kReference << ": expected \"<x> : <value> <grad>\", got " << line;
    ++points;
    const double x = parse_number(x_text), value = parse_number(value_text),
                 grad = parse_number(grad_text);
    const Value input = x;
    const Value out = softplus(input);
    out.backward();
    EXPECT_TRUE(close_enough(out.data(), value))
        << "softplus(" << x_text << ").data() is " << number(out.data()) << ", expected "
        << value_text << " (PyTorch's): " << hint_for(x, true);
    EXPECT_TRUE(close_enough(input.grad(), grad))
        << "x.grad() after softplus(x).backward() at x = " << x_text << " is "
        << number(input.grad()) << ", expected " << grad_text
        << " (PyTorch's): " << hint_for(x, false);
  }
  EXPECT_GE(points, kMinimumPoints) << kReference << " was cut short: regenerate it";
}

}  // namespace
}  // namespace micrograd
