// Tests of engine/value.hpp: every op's forward value and local derivatives against numbers
// derived by hand, the handle semantics, and micrograd's own engine tests.
//
// Suites named ExC_N_... belong to exercise C.N: the checker runs them to grade that exercise, so
// each one uses only what earlier exercises provide. Chapter 1 checks forward values only;
// chapter 2 calls each grad_fn by hand with run_grad_fn(), before backward() exists.
#include "engine/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "common/errors.hpp"
#include "engine/chain_rule_checks.hpp"
#include "engine/detail/node_edges.hpp"
#include "engine/failure_messages.hpp"
#include "engine/graph.hpp"
#include "engine/micrograd_expressions.hpp"
#include "engine/weighted_sum_op.hpp"

namespace micrograd {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

using chain_rule::backward_by_hand;
using chain_rule::expect_compositions_match_finite_differences;
using chain_rule::expect_grad_fn;
using chain_rule::Op;
using messages::NodeNames;
using messages::same_grad_fn;
using messages::same_node;
using Values = std::vector<Value>;
using micrograd::testing::message_of;
using testing_ops::weighted;
using testing_ops::weighted_backward;

// Runs one op's grad_fn by hand with d(root)/d(out) = out_grad, from fresh zero input grads.
void pass_back(const Value& out, double out_grad = 1.0) {
  out.grad() = out_grad;
  run_grad_fn(out);
}

// ---- Chapter 1: forward ops --------------------------------------------------------------------

TEST(Ex1_1_Add, ForwardValueAndGraph) {
  Value a = 2.0, b = -3.0;
  Value c = a + b;
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}};
  EXPECT_DOUBLE_EQ(c.data(), -1.0) << "2 + (-3) should be -1";
  EXPECT_EQ(c.op(), "+") << "the result should be made by \"+\" (the op name you pass to from_op)";
  ASSERT_EQ(c.parents().size(), 2u) << "a + b has two parents: a and b";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[0], a)
      << "parent 0 must be a itself, not a copy";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[1], b)
      << "parent 1 must be b itself, not a copy";
  EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &add_backward)
      << "pass add_backward as the grad_fn";
}

TEST(Ex1_1_Add, DoubleOnEitherSide) {
  Value x = 1.5;
  EXPECT_DOUBLE_EQ((x + 2).data(), 3.5);
  EXPECT_DOUBLE_EQ((2 + x).data(), 3.5);
  EXPECT_DOUBLE_EQ((x + x).data(), 3.0) << "x + x uses the same node twice";
}

TEST(Ex1_2_Multiply, ForwardValueAndGraph) {
  Value a = 2.0, b = -3.0;
  Value c = a * b;
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}};
  EXPECT_DOUBLE_EQ(c.data(), -6.0) << "2 * (-3) should be -6";
  EXPECT_EQ(c.op(), "*") << "the result should be made by \"*\" (the op name you pass to from_op)";
  ASSERT_EQ(c.parents().size(), 2u) << "a * b has two parents: a and b";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[0], a)
      << "parent 0 must be a itself, not a copy";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[1], b)
      << "parent 1 must be b itself, not a copy";
  EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &mul_backward)
      << "pass mul_backward as the grad_fn";
  EXPECT_DOUBLE_EQ((2 * a).data(), 4.0);
  EXPECT_DOUBLE_EQ((a * 0.5).data(), 1.0);
}

TEST(Ex1_3_Negate, ForwardValueAndGraph) {
  Value a = 3.0;
  Value c = -a;
  const NodeNames names = {{"a", a}, {"c", c}};
  EXPECT_DOUBLE_EQ(c.data(), -3.0) << "-(3) should be -3";
  EXPECT_EQ(c.op(), "neg") << "the result should be made by \"neg\" (the op name you pass to "
                              "from_op)";
  ASSERT_EQ(c.parents().size(), 1u) << "negation has one parent";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[0], a) << "the parent must be a itself";
  EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &neg_backward)
      << "pass neg_backward as the grad_fn";
  EXPECT_DOUBLE_EQ((-Value(-2.5)).data(), 2.5);
}

TEST(Ex1_4_Subtract, ForwardValueAndGraph) {
  Value a = 5.0, b = 3.0;
  Value c = a - b;
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}};
  EXPECT_DOUBLE_EQ(c.data(), 2.0) << "5 - 3 is 2: check the order of the operands";
  EXPECT_EQ(c.op(), "-") << "the result should be made by \"-\" (the op name you pass to from_op)";
  ASSERT_EQ(c.parents().size(), 2u) << "a - b has two parents: a and b";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[0], a)
      << "parent 0 must be a, the number subtracted from";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[1], b)
      << "parent 1 must be b, the number subtracted";
  EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &sub_backward)
      << "pass sub_backward as the grad_fn";
  EXPECT_DOUBLE_EQ((1 - a).data(), -4.0);
  EXPECT_DOUBLE_EQ((a - 1).data(), 4.0);
}

TEST(Ex1_5_Power, ForwardValueAndExponent) {
  Value x = 2.0;
  Value c = x.pow(3);
  const NodeNames names = {{"x", x}, {"c", c}};
  EXPECT_DOUBLE_EQ(c.data(), 8.0) << "2^3 = 8: x to the power 3, std::pow(x, exponent)";
  EXPECT_EQ(c.op(), "pow") << "the result should be made by \"pow\" (the op name you pass to "
                              "from_op)";
  ASSERT_EQ(c.parents().size(), 1u) << "the exponent is a constant, not a parent";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[0], x) << "the parent must be x itself";
  EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &pow_backward)
      << "pass pow_backward as the grad_fn";
  EXPECT_DOUBLE_EQ(c.node().constant, 3.0) << "store the exponent in the node's constant";
  EXPECT_DOUBLE_EQ(Value(4.0).pow(0.5).data(), 2.0) << "fractional exponents: 4^0.5 = 2";
  EXPECT_DOUBLE_EQ(Value(2.0).pow(-1).data(), 0.5) << "negative exponents: 2^-1 = 0.5";
  EXPECT_DOUBLE_EQ(Value(-2.0).pow(2).data(), 4.0);
  EXPECT_PRED_FORMAT1(messages::is_nan, Value(-8.0).pow(1.0 / 3.0).data())
      << "a negative base with a fractional exponent is nan in real arithmetic (as in PyTorch)";
}

TEST(Ex1_6_Divide, ForwardValueAndGraph) {
  Value a = 1.0, b = 4.0;
  Value c = a / b;
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}};
  EXPECT_DOUBLE_EQ(c.data(), 0.25) << "1 / 4 is 0.25: check the order of the operands";
  EXPECT_EQ(c.op(), "/") << "the result should be made by \"/\" (the op name you pass to from_op)";
  ASSERT_EQ(c.parents().size(), 2u) << "a / b has two parents: a and b";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[0], a) << "parent 0 must be a, the dividend";
  EXPECT_PRED_FORMAT2(same_node(names), c.parents()[1], b) << "parent 1 must be b, the divisor";
  EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &div_backward)
      << "pass div_backward as the grad_fn";
  EXPECT_DOUBLE_EQ((1 / b).data(), 0.25);
  EXPECT_DOUBLE_EQ((b / 2).data(), 2.0);
  EXPECT_EQ((a / 0.0).data(), kInf) << "division by zero follows IEEE rules; do not throw";
}

// ---- Chapter 2: local derivatives --------------------------------------------------------------

TEST(Ex2_1_AddBackward, BothInputsGetOutGrad) {
  Value a = 2.0, b = -3.0;
  Value c = a + b;
  pass_back(c, 1.5);
  EXPECT_DOUBLE_EQ(a.grad(), 1.5) << "dc/da = 1, times out.grad = 1.5";
  EXPECT_DOUBLE_EQ(b.grad(), 1.5) << "dc/db = 1, times out.grad = 1.5";
}

TEST(Ex2_1_AddBackward, NodeUsedTwiceAccumulates) {
  Value a = 3.0;
  Value b = a + a;
  pass_back(b);
  EXPECT_DOUBLE_EQ(a.grad(), 2.0)
      << "in b = a + a, a is both parents, so it must receive 1 + 1 = 2. Got 1? You wrote "
         "`grad = ...`; use `grad += ...` so the second contribution adds to the first";
}

TEST(Ex2_1_AddBackward, AddsToExistingGrad) {
  Value a = 1.0, b = 2.0;
  a.grad() = 10.0;
  pass_back(a + b);
  EXPECT_DOUBLE_EQ(a.grad(), 11.0) << "a grad_fn adds (+=) to what is already there";
}

TEST(Ex2_2_MultiplyBackward, EachInputGetsTheOther) {
  Value a = 2.0, b = -3.0;
  Value c = a * b;
  pass_back(c, 2.0);
  EXPECT_DOUBLE_EQ(a.grad(), -6.0) << "dc/da = b = -3, times out.grad = 2";
  EXPECT_DOUBLE_EQ(b.grad(), 4.0) << "dc/db = a = 2, times out.grad = 2";
}

TEST(Ex2_2_MultiplyBackward, SquareViaNodeUsedTwice) {
  Value a = 3.0;
  pass_back(a * a);
  EXPECT_DOUBLE_EQ(a.grad(), 6.0) << "d(a*a)/da = 2a = 6: both contributions must add up (+=)";
}

TEST(Ex2_3_NegateBackward, MinusOne) {
  Value a = 3.0;
  pass_back(-a, 2.0);
  EXPECT_DOUBLE_EQ(a.grad(), -2.0) << "d(-a)/da = -1, times out.grad = 2";
}

TEST(Ex2_4_SubtractBackward, SignOfTheSecondInput) {
  Value a = 5.0, b = 3.0;
  pass_back(a - b, 2.0);
  EXPECT_DOUBLE_EQ(a.grad(), 2.0) << "d(a-b)/da = +1";
  EXPECT_DOUBLE_EQ(b.grad(), -2.0)
      << "d(a-b)/db = -1: increasing b decreases a - b. A +2 here means the sign is missing";
}

TEST(Ex2_4_SubtractBackward, SelfMinusSelfIsZero) {
  Value a = 5.0;
  pass_back(a - a);
  EXPECT_DOUBLE_EQ(a.grad(), 0.0) << "a - a does not depend on a: +1 and -1 must both land";
}

TEST(Ex2_5_PowerBackward, SeveralExponents) {
  struct Case {
    double x, n, expected;
  };
  // n * x^(n-1), by hand.
  for (const Case& c : {Case{2.0, 3.0, 12.0}, Case{4.0, 0.5, 0.25}, Case{2.0, -1.0, -0.25},
                        Case{-2.0, 2.0, -4.0}, Case{0.0, 2.0, 0.0}, Case{9.0, -0.5, -1.0 / 54.0}}) {
    Value x = c.x;
    pass_back(x.pow(c.n));
    EXPECT_PRED_FORMAT3(messages::near, x.grad(), c.expected, 1e-15)
        << "d/dx x^n = n x^(n-1) at x = " << c.x << ", n = " << c.n;
  }
}

TEST(Ex2_5_PowerBackward, SqrtAtZeroIsInfinite) {
  Value x = 0.0;
  pass_back(x.pow(0.5));
  EXPECT_EQ(x.grad(), kInf) << "d/dx sqrt(x) = 0.5 x^-0.5 is +inf at 0 (PyTorch agrees)";
}

TEST(Ex2_5_PowerBackward, ZeroExponentHasSlopeZeroEverywhere) {
  // x^0 = 1 is a constant, so its slope is 0 for every x. The formula n x^(n-1) says so too,
  // except where x^-1 is not finite: 0 * 0^-1 = 0 * inf = nan at x = 0. PyTorch gives 0 there
  // (and at nan and inf); a nan here makes AnomalyGuard stop a sound training run.
  for (const double x : {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), kInf, -kInf, 2.0}) {
    Value input = x;
    Value one = input.pow(0.0);
    pass_back(one, 3.0);
    EXPECT_PRED_FORMAT2(messages::same_number, input.grad(), 0.0)
        << "d/dx x^0 at x = " << messages::number(x)
        << " is 0: x^0 = 1 does not change with x. The power rule's n x^(n-1) gives 0 * inf = nan "
           "at x = 0; when the exponent is 0, pass nothing back";
  }
}

TEST(Ex2_5_PowerBackward, ZeroExponentAddsNothingEvenForAnInfiniteGradient) {
  // PyTorch: x = 2.0 (float64, requires_grad), (x ** 0).backward(torch.tensor(inf)) leaves
  // x.grad = 0. The exponent-0 node passes nothing back at all, so 0 * inf = nan never forms.
  Value input = 2.0;
  input.grad() = 5.0;  // what other uses of the input already passed back
  Value one = input.pow(0.0);
  pass_back(one, kInf);
  EXPECT_PRED_FORMAT2(messages::same_number, input.grad(), 5.0)
      << "x^0 with out.grad = inf must leave x.grad as it was (5): x^0 = 1 does not change with "
         "x, so it adds nothing, not 0 * out.grad (0 * inf = nan). When the exponent is 0, "
         "return before touching the input's grad";
}

TEST(Ex2_5_PowerBackward, AtZeroLikePyTorch) {
  // torch.tensor(0.0, dtype=torch.float64, requires_grad=True) ** n, then backward().
  struct Case {
    double n, value, slope;
  };
  for (const Case& c : {Case{0.0, 1.0, 0.0}, Case{1.0, 0.0, 1.0}, Case{2.0, 0.0, 0.0},
                        Case{3.0, 0.0, 0.0}, Case{0.5, 0.0, kInf}, Case{-0.5, kInf, -kInf},
                        Case{-1.0, kInf, -kInf}, Case{-2.0, kInf, -kInf}}) {
    Value zero = 0.0;
    Value out = zero.pow(c.n);
    EXPECT_PRED_FORMAT2(messages::same_number, out.data(), c.value) << "0^" << c.n;
    pass_back(out);
    EXPECT_PRED_FORMAT2(messages::same_number, zero.grad(), c.slope)
        << "d/dx x^" << c.n << " at x = 0 is n * 0^(n-1), as PyTorch computes it (0^0 = 1)";
  }
}

TEST(Ex2_6_DivideBackward, BothInputs) {
  Value a = 1.0, b = 4.0;
  pass_back(a / b, 2.0);
  EXPECT_DOUBLE_EQ(a.grad(), 0.5) << "d(a/b)/da = 1/b = 0.25, times out.grad = 2";
  EXPECT_DOUBLE_EQ(b.grad(), -0.125) << "d(a/b)/db = -a/b^2 = -1/16, times out.grad = 2";
}

TEST(Ex2_6_DivideBackward, SelfOverSelfIsZero) {
  Value a = 3.0;
  pass_back(a / a);
  EXPECT_NEAR(a.grad(), 0.0, 1e-16) << "a / a = 1 whatever a is, so the two parts must cancel";
}

// The same grad_fns the way backward() uses them: out.grad is not 1, and the inputs already hold
// gradient from other ops, so `=` for `+=`, a forgotten out.grad and a wrong sign each show.

TEST(Ex2_1_AddBackward, ChainRuleOnInputsThatFeedOtherOps) {
  expect_grad_fn("2.1 \"add backward\"", "c = a + b", "dc/da = dc/db = 1",
                 [](const Values& v) { return v[0] + v[1]; }, {{2.0, 1.0}, {-3.0, 1.0}});
  expect_grad_fn("2.1 \"add backward\"", "y = x + x", "dy/dx = 2",
                 [](const Values& v) { return v[0] + v[0]; }, {{3.0, 2.0}});
}

TEST(Ex2_2_MultiplyBackward, ChainRuleOnInputsThatFeedOtherOps) {
  expect_grad_fn("2.2 \"multiply backward\"", "c = a * b at a = 2, b = -3",
                 "dc/da = b and dc/db = a", [](const Values& v) { return v[0] * v[1]; },
                 {{2.0, -3.0}, {-3.0, 2.0}});
  expect_grad_fn("2.2 \"multiply backward\"", "y = x * x at x = 3", "dy/dx = 2x",
                 [](const Values& v) { return v[0] * v[0]; }, {{3.0, 6.0}});
}

TEST(Ex2_3_NegateBackward, ChainRuleOnInputsThatFeedOtherOps) {
  expect_grad_fn("2.3 \"negate backward\"", "y = -x", "dy/dx = -1",
                 [](const Values& v) { return -v[0]; }, {{3.0, -1.0}});
}

TEST(Ex2_4_SubtractBackward, ChainRuleOnInputsThatFeedOtherOps) {
  expect_grad_fn("2.4 \"subtract backward\"", "c = a - b", "dc/da = 1 and dc/db = -1",
                 [](const Values& v) { return v[0] - v[1]; }, {{5.0, 1.0}, {3.0, -1.0}});
  expect_grad_fn("2.4 \"subtract backward\"", "y = x - x", "dy/dx = 1 - 1 = 0",
                 [](const Values& v) { return v[0] - v[0]; }, {{5.0, 0.0}});
}

TEST(Ex2_5_PowerBackward, ChainRuleOnInputsThatFeedOtherOps) {
  struct Case {
    double x, n, local;
  };
  for (const Case& c : {Case{2.0, 3.0, 12.0}, Case{4.0, 0.5, 0.25}, Case{2.0, -1.0, -0.25},
                        Case{0.0, 2.0, 0.0}, Case{-2.0, 3.0, 12.0}}) {
    std::ostringstream what;
    what << "y = x.pow(" << c.n << ") at x = " << c.x;
    expect_grad_fn("2.5 \"power backward\"", what.str(), "dy/dx = n x^(n-1)",
                   [n = c.n](const Values& v) { return v[0].pow(n); }, {{c.x, c.local}});
  }
}

TEST(Ex2_6_DivideBackward, ChainRuleOnInputsThatFeedOtherOps) {
  expect_grad_fn("2.6 \"divide backward\"", "c = a / b at a = 1, b = 4",
                 "dc/da = 1/b and dc/db = -a/b^2", [](const Values& v) { return v[0] / v[1]; },
                 {{1.0, 0.25}, {4.0, -1.0 / 16.0}});
  expect_grad_fn("2.6 \"divide backward\"", "y = x / x", "dy/dx = 1/x - x/x^2 = 0",
                 [](const Values& v) { return v[0] / v[0]; }, {{3.0, 0.0}});
}

TEST(Ex2_6_DivideBackward, RandomCompositionsOfChapterTwoMatchFiniteDifferences) {
  expect_compositions_match_finite_differences(
      "2.6 \"divide backward\"", {Op::add, Op::mul, Op::neg, Op::sub, Op::pow, Op::div},
      backward_by_hand);
}

// ---- Chapter 3: nonlinearities -----------------------------------------------------------------

TEST(Ex3_1_Exp, ValueAndDerivative) {
  for (double x : {0.0, 1.0, -2.0}) {
    Value v = x;
    Value out = v.exp();
    EXPECT_DOUBLE_EQ(out.data(), std::exp(x));
    EXPECT_EQ(out.op(), "exp");
    pass_back(out, 3.0);
    EXPECT_DOUBLE_EQ(v.grad(), 3.0 * std::exp(x)) << "d/dx e^x = e^x at x = " << x;
  }
  EXPECT_EQ(Value(-1000.0).exp().data(), 0.0);
  EXPECT_EQ(Value(710.0).exp().data(), kInf) << "e^710 overflows to inf, as in IEEE arithmetic";
}

TEST(Ex3_2_Log, ValueAndDerivative) {
  for (double x : {1.0, std::exp(1.0), 0.25}) {
    Value v = x;
    Value out = v.log();
    EXPECT_DOUBLE_EQ(out.data(), std::log(x));
    EXPECT_EQ(out.op(), "log");
    pass_back(out);
    EXPECT_DOUBLE_EQ(v.grad(), 1.0 / x) << "d/dx log x = 1/x at x = " << x;
  }
}

TEST(Ex3_2_Log, NearAndAtZero) {
  Value tiny = 1e-300;
  Value out = tiny.log();
  EXPECT_NEAR(out.data(), -690.7755278982137, 1e-9);
  pass_back(out);
  EXPECT_DOUBLE_EQ(tiny.grad(), 1e300) << "1/x is large but finite near 0";
  Value zero = 0.0;
  Value at_zero = zero.log();
  EXPECT_EQ(at_zero.data(), -kInf) << "log(0) = -inf";
  pass_back(at_zero);
  EXPECT_EQ(zero.grad(), kInf);
  EXPECT_PRED_FORMAT1(messages::is_nan, Value(-1.0).log().data())
      << "log of a negative number is nan";
}

TEST(Ex3_3_Tanh, ValueAndDerivative) {
  Value x = 0.5;
  Value out = x.tanh();
  EXPECT_DOUBLE_EQ(out.data(), 0.46211715726000974);
  EXPECT_EQ(out.op(), "tanh");
  pass_back(out);
  EXPECT_DOUBLE_EQ(x.grad(), 1.0 - 0.46211715726000974 * 0.46211715726000974)
      << "d/dx tanh x = 1 - tanh(x)^2";
  Value zero = 0.0;
  pass_back(zero.tanh());
  EXPECT_DOUBLE_EQ(zero.grad(), 1.0);
}

TEST(Ex3_3_Tanh, StableForLargeInputs) {
  for (double x : {1000.0, -1000.0, 40.0}) {
    Value v = x;
    Value out = v.tanh();
    EXPECT_DOUBLE_EQ(out.data(), x > 0 ? 1.0 : -1.0)
        << "tanh(" << x << ") is +-1; nan means (e^2x - 1)/(e^2x + 1) overflowed";
    pass_back(out);
    EXPECT_EQ(v.grad(), 0.0);
  }
}

TEST(Ex3_4_Relu, ValueAndDerivativeIncludingZero) {
  struct Case {
    double x, value, slope;
  };
  for (const Case& c : {Case{-1.0, 0.0, 0.0}, Case{0.0, 0.0, 0.0}, Case{2.0, 2.0, 1.0}}) {
    Value x = c.x;
    Value out = x.relu();
    EXPECT_DOUBLE_EQ(out.data(), c.value) << "relu(" << c.x << ") = max(0, " << c.x << ")";
    EXPECT_EQ(out.op(), "relu");
    pass_back(out, 5.0);
    EXPECT_DOUBLE_EQ(x.grad(), 5.0 * c.slope)
        << "relu'(" << c.x << ") is " << c.slope << " (at exactly 0, use 0 like PyTorch)";
  }
}

TEST(Ex3_4_Relu, NaNStaysNaNAndInfinityPassesLikePyTorch) {
  // PyTorch's numbers (torch.relu on float64, then backward): relu(nan) = nan with slope 1 (its
  // backward zeroes the gradient only where the output is <= 0), relu(inf) = inf with slope 1,
  // relu(-inf) = 0 with slope 0.
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Value nan_input = kNaN;
  Value nan_output = nan_input.relu();
  EXPECT_PRED_FORMAT1(messages::is_nan, nan_output.data())
      << "relu(nan) must stay nan, as in PyTorch and micrograd: a diverged network must not turn "
         "its NaN into 0 and go on training. `x > 0 ? x : 0` and std::max(0.0, x) both give 0 "
         "here (every comparison with NaN is false); only a number below 0 becomes 0";
  pass_back(nan_output, 5.0);
  EXPECT_PRED_FORMAT2(messages::same_number, nan_input.grad(), 5.0)
      << "relu passes out.grad on wherever its output is not 0, NaN included (PyTorch does the "
         "same); `if (out.data > 0)` blocks it, because nan > 0 is false";
  Value infinite = kInf;
  Value infinite_output = infinite.relu();
  EXPECT_EQ(infinite_output.data(), kInf) << "relu(inf) = inf";
  pass_back(infinite_output, 5.0);
  EXPECT_EQ(infinite.grad(), 5.0) << "relu'(inf) = 1";
  Value minus_infinite = -kInf;
  Value zero_output = minus_infinite.relu();
  EXPECT_EQ(zero_output.data(), 0.0) << "relu(-inf) = 0";
  pass_back(zero_output, 5.0);
  EXPECT_EQ(minus_infinite.grad(), 0.0) << "relu'(-inf) = 0";
}

TEST(Ex3_5_Sigmoid, ValueAndDerivative) {
  Value zero = 0.0;
  Value half = zero.sigmoid();
  EXPECT_DOUBLE_EQ(half.data(), 0.5) << "sigmoid(0) = 1 / (1 + e^0) = 0.5";
  EXPECT_EQ(half.op(), "sigmoid");
  pass_back(half);
  EXPECT_DOUBLE_EQ(zero.grad(), 0.25) << "s(1 - s) = 0.25 at 0";
  Value two = 2.0;
  Value s = two.sigmoid();
  EXPECT_DOUBLE_EQ(s.data(), 0.8807970779778823) << "sigmoid(2) = 1 / (1 + e^-2)";
  pass_back(s);
  EXPECT_DOUBLE_EQ(two.grad(), 0.8807970779778823 * (1 - 0.8807970779778823))
      << "d/dx sigmoid(x) = s (1 - s), with s = 1 / (1 + e^-2) = 0.8807970779778823 to the last "
         "digit";
}

TEST(Ex3_5_Sigmoid, StableForLargeInputs) {
  Value big = 1000.0, small = -1000.0;
  Value high = big.sigmoid(), low = small.sigmoid();
  EXPECT_EQ(high.data(), 1.0);
  EXPECT_EQ(low.data(), 0.0) << "sigmoid(-1000) is 0; nan means e^1000 overflowed";
  pass_back(high);
  pass_back(low);
  EXPECT_EQ(big.grad(), 0.0);
  EXPECT_EQ(small.grad(), 0.0);
}

TEST(Ex3_6_Abs, ValueAndSlopeOnEachSide) {
  struct Case {
    double x, value, slope;
  };
  for (const Case& c : {Case{-2.5, 2.5, -1.0}, Case{1.5, 1.5, 1.0}, Case{-kInf, kInf, -1.0}}) {
    Value x = c.x;
    Value out = x.abs();
    EXPECT_EQ(out.data(), c.value) << "|" << c.x << "| = " << c.value;
    EXPECT_EQ(out.op(), "abs");
    x.grad() = 0.5;  // what x already held: abs adds to it
    pass_back(out, 3.0);
    const double got = x.grad();
    const bool sign_of_output = c.x < 0 && got == 0.5 + 3.0;
    EXPECT_EQ(got, 0.5 + 3.0 * c.slope)
        << "at x = " << c.x << ", d|x|/dx = " << c.slope << ", so x.grad goes from 0.5 to 0.5 + "
        << c.slope << " x out.grad 3"
        << (sign_of_output ? "; slope +1 left of 0 means the sign was read from the output |x|, "
                             "which has lost it: read the input, out.parent(0).data"
                           : "");
  }
}

TEST(Ex3_6_Abs, TheKinkAndNaNPassNothingBack) {
  // PyTorch's numbers (torch.abs on float64): |0| = |-0| = 0 and |nan| = nan, each with slope 0.
  // The header asks for nothing at all to be added there, so an infinite out.grad leaves the
  // grad as it was (0 * inf would be NaN).
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (double point : {0.0, -0.0}) {
    Value x = point;
    Value out = x.abs();
    EXPECT_EQ(out.data(), 0.0) << "|" << point << "| = 0";
    x.grad() = 0.25;
    pass_back(out, 2.0);
    EXPECT_PRED_FORMAT2(messages::same_number, x.grad(), 0.25)
        << "at the kink x = " << point << " |x| passes nothing back (slope 0, as in PyTorch)";
    pass_back(out, kInf);
    EXPECT_PRED_FORMAT2(messages::same_number, x.grad(), 0.25)
        << "at the kink with out.grad = inf, x.grad must stay 0.25: adding 0 * inf adds NaN. "
           "Add only on the side where x is (x > 0 or x < 0), and nothing at 0";
  }
  Value nan_input = kNaN;
  Value nan_output = nan_input.abs();
  EXPECT_PRED_FORMAT1(messages::is_nan, nan_output.data()) << "|nan| is nan";
  pass_back(nan_output, 5.0);
  EXPECT_PRED_FORMAT2(messages::same_number, nan_input.grad(), 0.0)
      << "a NaN input is neither above nor below 0: it passes nothing back (PyTorch gives 0 "
         "too). An `else` branch sends NaN to one side";
}

// The grad_fns the way backward() uses them (see chapter 2's tests of the same name).

TEST(Ex3_1_Exp, ChainRuleOnInputsThatFeedOtherOps) {
  for (double x : {0.5, -1.0}) {
    expect_grad_fn("3.1 \"exp\"", "y = x.exp() at x = " + chain_rule::number(x), "dy/dx = e^x",
                   [](const Values& v) { return v[0].exp(); }, {{x, std::exp(x)}});
  }
}

TEST(Ex3_2_Log, ChainRuleOnInputsThatFeedOtherOps) {
  for (double x : {2.0, 0.25}) {
    expect_grad_fn("3.2 \"log\"", "y = x.log() at x = " + chain_rule::number(x), "dy/dx = 1/x",
                   [](const Values& v) { return v[0].log(); }, {{x, 1.0 / x}});
  }
}

TEST(Ex3_3_Tanh, ChainRuleOnInputsThatFeedOtherOps) {
  for (double x : {0.5, -1.2}) {
    const double t = std::tanh(x);
    expect_grad_fn("3.3 \"tanh\"", "y = x.tanh() at x = " + chain_rule::number(x),
                   "dy/dx = 1 - tanh(x)^2", [](const Values& v) { return v[0].tanh(); },
                   {{x, 1.0 - t * t}});
  }
}

TEST(Ex3_4_Relu, ChainRuleOnInputsThatFeedOtherOps) {
  for (double x : {2.0, -1.0, 0.0}) {
    expect_grad_fn("3.4 \"relu\"", "y = x.relu() at x = " + chain_rule::number(x),
                   "dy/dx = 1 for x > 0, else 0 (also at 0)",
                   [](const Values& v) { return v[0].relu(); }, {{x, x > 0 ? 1.0 : 0.0}});
  }
}

TEST(Ex3_5_Sigmoid, ChainRuleOnInputsThatFeedOtherOps) {
  for (double x : {0.5, -2.0}) {
    const double s = 1.0 / (1.0 + std::exp(-x));
    expect_grad_fn("3.5 \"sigmoid\"", "y = x.sigmoid() at x = " + chain_rule::number(x),
                   "dy/dx = s (1 - s)", [](const Values& v) { return v[0].sigmoid(); },
                   {{x, s * (1.0 - s)}});
  }
}

TEST(Ex3_6_Abs, ChainRuleOnInputsThatFeedOtherOps) {
  for (double x : {1.5, -0.75}) {
    expect_grad_fn("3.6 \"abs\"", "y = x.abs() at x = " + chain_rule::number(x),
                   "dy/dx = 1 for x > 0, -1 for x < 0", [](const Values& v) { return v[0].abs(); },
                   {{x, x > 0 ? 1.0 : -1.0}});
  }
}

TEST(Ex3_6_Abs, RandomCompositionsOfEveryOpMatchFiniteDifferences) {
  expect_compositions_match_finite_differences(
      "3.6 \"abs\"",
      {Op::add, Op::mul, Op::neg, Op::sub, Op::pow, Op::div, Op::exp, Op::log, Op::tanh, Op::relu,
       Op::sigmoid, Op::abs},
      backward_by_hand);
}

TEST(Ex3_5_Sigmoid, RandomCompositionsOfEveryOpMatchFiniteDifferences) {
  expect_compositions_match_finite_differences(
      "3.5 \"sigmoid\"",
      {Op::add, Op::mul, Op::neg, Op::sub, Op::pow, Op::div, Op::exp, Op::log, Op::tanh, Op::relu,
       Op::sigmoid},
      backward_by_hand);
}

// micrograd's own engine tests (test_engine.py), graded as soon as their ops exist: relu is the
// last one they use. Backward is the tests' own until chapter 4.
TEST(Ex3_4_Relu, MicrogradSanityCheck) {
  const auto [x, y] = micrograd_tests::sanity_check();
  backward_by_hand(y);
  EXPECT_DOUBLE_EQ(y.data(), -20.0) << "micrograd's test_sanity_check: y";
  EXPECT_DOUBLE_EQ(x.grad(), 46.0) << "micrograd's test_sanity_check: dy/dx";
}

TEST(Ex3_4_Relu, MicrogradMoreOps) {
  const auto [a, b, g] = micrograd_tests::more_ops();
  backward_by_hand(g);
  EXPECT_NEAR(g.data(), 24.70408163265306, 1e-6) << "micrograd's test_more_ops: g";
  EXPECT_NEAR(a.grad(), 138.83381924198252, 1e-6) << "micrograd's test_more_ops: dg/da";
  EXPECT_NEAR(b.grad(), 645.5772594752186, 1e-6) << "micrograd's test_more_ops: dg/db";
}

// ---- Each op on its own, for the checker's blame ------------------------------------------------
// When a later exercise fails, ./check runs these (suite IsolatedOp, one test per exercise) for the
// exercises before it: an op that fails here, although its own tests passed, is named as the
// probable cause. They check every op at random points with the same checks as its exercise.

double random_in(std::mt19937_64& generator, double low, double high) {
  return low + (high - low) * static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

template <typename Forward>
void expect_forward_at_random_points(const std::string& exercise, const std::string& what,
                                     Value (*op)(const Value&, const Value&), Forward expected) {
  std::mt19937_64 generator(7);
  for (int i = 0; i < 50; ++i) {
    const double a = random_in(generator, -3, 3), b = random_in(generator, 0.5, 3);
    EXPECT_DOUBLE_EQ(op(a, b).data(), expected(a, b))
        << "Exercise " << exercise << ": " << what << " at a = " << a << ", b = " << b;
  }
}

template <typename Local>
void expect_unary_grad_fn_at_random_points(const std::string& exercise, const std::string& what,
                                           Value (*op)(const Value&), Local local, double low,
                                           double high) {
  std::mt19937_64 generator(11);
  for (int i = 0; i < 50; ++i) {
    const double x = random_in(generator, low, high);
    expect_grad_fn(exercise, what + " at x = " + chain_rule::number(x), "its derivative",
                   [op](const Values& v) { return op(v[0]); }, {{x, local(x)}});
  }
}

template <typename Locals>
void expect_binary_grad_fn_at_random_points(const std::string& exercise, const std::string& what,
                                            Value (*op)(const Value&, const Value&),
                                            Locals locals) {
  std::mt19937_64 generator(13);
  for (int i = 0; i < 50; ++i) {
    const double a = random_in(generator, -3, 3), b = random_in(generator, 0.5, 3);
    const auto [da, db] = locals(a, b);
    expect_grad_fn(
        exercise, what + " at a = " + chain_rule::number(a) + ", b = " + chain_rule::number(b),
        "its derivatives", [op](const Values& v) { return op(v[0], v[1]); }, {{a, da}, {b, db}});
  }
}

Value add(const Value& a, const Value& b) {
  return a + b;
}
Value mul(const Value& a, const Value& b) {
  return a * b;
}
Value sub(const Value& a, const Value& b) {
  return a - b;
}
Value div(const Value& a, const Value& b) {
  return a / b;
}
Value neg(const Value& a) {
  return -a;
}
Value cube(const Value& a) {
  return a.pow(3);
}
Value root(const Value& a) {
  return a.pow(0.5);
}
Value exp_of(const Value& a) {
  return a.exp();
}
Value log_of(const Value& a) {
  return a.log();
}
Value tanh_of(const Value& a) {
  return a.tanh();
}
Value relu_of(const Value& a) {
  return a.relu();
}
Value sigmoid_of(const Value& a) {
  return a.sigmoid();
}
Value abs_of(const Value& a) {
  return a.abs();
}

TEST(IsolatedOp, Ex1_1_Add) {
  expect_forward_at_random_points("1.1 \"add\"", "a + b", add, std::plus<double>());
}
TEST(IsolatedOp, Ex1_2_Multiply) {
  expect_forward_at_random_points("1.2 \"multiply\"", "a * b", mul, std::multiplies<double>());
}
TEST(IsolatedOp, Ex1_3_Negate) {
  expect_forward_at_random_points(
      "1.3 \"negate\"", "-a", [](const Value& a, const Value&) { return -a; },
      [](double a, double) { return -a; });
}
TEST(IsolatedOp, Ex1_4_Subtract) {
  expect_forward_at_random_points("1.4 \"subtract\"", "a - b", sub, std::minus<double>());
}
TEST(IsolatedOp, Ex1_5_Power) {
  expect_forward_at_random_points(
      "1.5 \"power\"", "b.pow(a)", [](const Value& a, const Value& b) { return b.pow(a.data()); },
      [](double a, double b) { return std::pow(b, a); });
}
TEST(IsolatedOp, Ex1_6_Divide) {
  expect_forward_at_random_points("1.6 \"divide\"", "a / b", div, std::divides<double>());
}
TEST(IsolatedOp, Ex2_1_AddBackward) {
  expect_binary_grad_fn_at_random_points("2.1 \"add backward\"", "c = a + b", add,
                                         [](double, double) { return std::pair(1.0, 1.0); });
}
TEST(IsolatedOp, Ex2_2_MultiplyBackward) {
  expect_binary_grad_fn_at_random_points("2.2 \"multiply backward\"", "c = a * b", mul,
                                         [](double a, double b) { return std::pair(b, a); });
}
TEST(IsolatedOp, Ex2_3_NegateBackward) {
  expect_unary_grad_fn_at_random_points(
      "2.3 \"negate backward\"", "y = -x", neg, [](double) { return -1.0; }, -3, 3);
}
TEST(IsolatedOp, Ex2_4_SubtractBackward) {
  expect_binary_grad_fn_at_random_points("2.4 \"subtract backward\"", "c = a - b", sub,
                                         [](double, double) { return std::pair(1.0, -1.0); });
}
TEST(IsolatedOp, Ex2_5_PowerBackward) {
  expect_unary_grad_fn_at_random_points(
      "2.5 \"power backward\"", "y = x.pow(3)", cube, [](double x) { return 3 * x * x; }, -3, 3);
  expect_unary_grad_fn_at_random_points(
      "2.5 \"power backward\"", "y = x.pow(0.5)", root, [](double x) { return 0.5 / std::sqrt(x); },
      0.1, 3);
}
TEST(IsolatedOp, Ex2_6_DivideBackward) {
  expect_binary_grad_fn_at_random_points(
      "2.6 \"divide backward\"", "c = a / b", div,
      [](double a, double b) { return std::pair(1 / b, -a / (b * b)); });
}
TEST(IsolatedOp, Ex3_1_Exp) {
  expect_unary_grad_fn_at_random_points(
      "3.1 \"exp\"", "y = x.exp()", exp_of, [](double x) { return std::exp(x); }, -3, 3);
}
TEST(IsolatedOp, Ex3_2_Log) {
  expect_unary_grad_fn_at_random_points(
      "3.2 \"log\"", "y = x.log()", log_of, [](double x) { return 1 / x; }, 0.1, 5);
}
TEST(IsolatedOp, Ex3_3_Tanh) {
  expect_unary_grad_fn_at_random_points(
      "3.3 \"tanh\"", "y = x.tanh()", tanh_of,
      [](double x) { return 1 - std::tanh(x) * std::tanh(x); }, -3, 3);
}
TEST(IsolatedOp, Ex3_4_Relu) {
  expect_unary_grad_fn_at_random_points(
      "3.4 \"relu\"", "y = x.relu()", relu_of, [](double x) { return x > 0 ? 1.0 : 0.0; }, -3, 3);
}
TEST(IsolatedOp, Ex3_5_Sigmoid) {
  expect_unary_grad_fn_at_random_points(
      "3.5 \"sigmoid\"", "y = x.sigmoid()", sigmoid_of,
      [](double x) {
        const double s = 1 / (1 + std::exp(-x));
        return s * (1 - s);
      },
      -4, 4);
}
TEST(IsolatedOp, Ex3_6_Abs) {
  expect_unary_grad_fn_at_random_points(
      "3.6 \"abs\"", "y = x.abs()", abs_of, [](double x) { return x > 0 ? 1.0 : -1.0; }, -3, 3);
}

// ---- The checks' own messages (not exercises) ---------------------------------------------------
// What the checker shows a student is the failure message itself: "X is A, expected B".

TEST(FailureMessages, NameTheValuesInsteadOfAddresses) {
  Value a = 2.0, b = 3.0;
  Value c = a * b;
  const NodeNames names = {{"a", a}, {"b", b}};
  EXPECT_TRUE(same_node(names)("c.parents()[0]", "a", c.parents()[0], a));
  EXPECT_EQ(std::string(same_node(names)("c.parents()[0]", "a", b, a).message()),
            "c.parents()[0] is b, expected a");
  EXPECT_EQ(std::string(same_node(names)("c.parents()[0]", "a", Value(2.0), a).message()),
            "c.parents()[0] is a new leaf holding the same number as a (2), expected a");
  EXPECT_EQ(std::string(same_node(names, "parameters()[3]")("params[i]", "a", c, b).message()),
            "parameters()[3] is a \"*\" node holding 6, expected b");
  EXPECT_EQ(names(std::vector<Value>{a, b, c}), "[a, b, a \"*\" node holding 6]");
  EXPECT_EQ(
      std::string(same_grad_fn("c.node().grad_fn", "&add_backward", &mul_backward, &add_backward)
                      .message()),
      "c.node().grad_fn is mul_backward, expected add_backward");
  EXPECT_EQ(messages::grad_fn_name(nullptr), "none (a leaf's)");
}

TEST(FailureMessages, NumbersReadAsWritten) {
  EXPECT_EQ(messages::number(0.1), "0.1");
  EXPECT_EQ(messages::number(12.0), "12");
  EXPECT_EQ(messages::number(1e-15), "1e-15");
  EXPECT_EQ(messages::number(-kInf), "-inf");
  EXPECT_EQ(messages::number(-std::nan("")), "nan") << "never -nan";
  EXPECT_TRUE(messages::near("x", "y", "t", 12.0, 12.0, 1e-15)) << "as EXPECT_NEAR: |x - y| <= t";
  EXPECT_FALSE(messages::near("x", "y", "t", 12.0 + 1.8e-15, 12.0, 1e-15));
  EXPECT_EQ(std::string(messages::near("x.grad()", "12", "1e-15", 24.0, 12.0, 1e-15).message()),
            "x.grad() is 24, expected 12 (give or take 1e-15)");
  EXPECT_EQ(std::string(messages::is_nan("y", 0.5).message()), "y is 0.5, expected nan");
  EXPECT_EQ(std::string(messages::is_finite("y", kInf).message()),
            "y is inf, expected a finite number");
  EXPECT_TRUE(messages::is_finite("y", 1e308));
  EXPECT_TRUE(messages::same_number("x", "y", std::nan(""), std::nan("")));
  EXPECT_TRUE(messages::same_number("x", "y", -kInf, -kInf));
  EXPECT_EQ(std::string(messages::same_number("zero.grad()", "0", std::nan(""), 0.0).message()),
            "zero.grad() is nan, expected 0");
}

// ---- The handle and the rest of the API (not exercises) -----------------------------------------

TEST(Value, DefaultIsZeroLeaf) {
  Value v;
  EXPECT_EQ(v.data(), 0.0);
  EXPECT_EQ(v.grad(), 0.0);
  EXPECT_TRUE(v.is_leaf());
  EXPECT_EQ(v.op(), "");
}

TEST(Value, CopiesAliasOneNode) {
  Value a = 1.0;
  Value b = a;
  b.data() = 5.0;
  EXPECT_EQ(a.data(), 5.0);
  EXPECT_TRUE(a.same_node(b));
  a.grad() = 2.0;
  a.data() -= 0.5 * a.grad();
  EXPECT_EQ(b.data(), 4.0) << "p.data() -= lr * p.grad() updates through any handle";
}

TEST(Value, LabelSetsAndReturnsTheSameValue) {
  Value a = Value(2.0).label("a");
  EXPECT_EQ(a.label(), "a");
  Value again = a.label("renamed");
  EXPECT_TRUE(again.same_node(a));
  EXPECT_EQ(a.label(), "renamed");
  EXPECT_EQ(Value(1.0).label(), "");
}

TEST(Value, PrintsLikeMicrograd) {
  std::ostringstream text;
  text << Value(3.0) << ' ' << Value(-1.5).label("w");
  EXPECT_EQ(text.str(), "Value(data=3, grad=0) Value(label=w, data=-1.5, grad=0)");
}

TEST(Value, NullNodeIsRejected) {
  EXPECT_THROW(Value(std::shared_ptr<Node>()), std::invalid_argument);
}

// A moved-from Value holds no node (moves stay a pointer copy, cheap and noexcept, as std::vector
// of Values needs). Every use of it throws, naming the cause, instead of dereferencing null.
void expect_every_use_says_moved_from(const Value& moved) {
  const auto expect_moved_from_error = [](const char* use, const auto& action) {
    const std::string message = message_of<std::logic_error>(action);
    EXPECT_NE(message.find("this Value was moved from"), std::string::npos)
        << use << ": " << message;
    EXPECT_NE(message.find("assign it a new Value before using it"), std::string::npos)
        << use << ": " << message;
  };
  const Value other = 2.0;
  expect_moved_from_error("data()", [&] { (void)moved.data(); });
  expect_moved_from_error("grad()", [&] { (void)moved.grad(); });
  expect_moved_from_error("moved + other", [&] { (void)(moved + other); });
  expect_moved_from_error("other * moved", [&] { (void)(other * moved); });
  expect_moved_from_error("1.0 - moved", [&] { (void)(1.0 - moved); });
  expect_moved_from_error("-moved", [&] { (void)(-moved); });
  expect_moved_from_error("moved.relu()", [&] { (void)moved.relu(); });
  expect_moved_from_error("moved.pow(2)", [&] { (void)moved.pow(2); });
  expect_moved_from_error("operator<<", [&] {
    std::ostringstream text;
    text << moved;
  });
  expect_moved_from_error("backward()", [&] { moved.backward(); });
  expect_moved_from_error("label()", [&] { (void)moved.label(); });
  expect_moved_from_error("op()", [&] { (void)moved.op(); });
  expect_moved_from_error("parents()", [&] { (void)moved.parents(); });
  expect_moved_from_error("is_leaf()", [&] { (void)moved.is_leaf(); });
  expect_moved_from_error("node()", [&] { (void)moved.node(); });
  expect_moved_from_error("Value(moved.node_ptr())", [&] { (void)Value(moved.node_ptr()); });
}

TEST(Value, MovesAreCheapAndNoexcept) {
  static_assert(std::is_nothrow_move_constructible_v<Value>);
  static_assert(std::is_nothrow_move_assignable_v<Value>);
  Value a = 3.0;
  const Node* node = &a.node();
  Value b = std::move(a);
  EXPECT_EQ(&b.node(), node) << "a move hands the node over; it makes no new one";
}

TEST(Value, MovedFromByConstructionSaysSoOnEveryUse) {
  Value a = 3.0;
  Value b = std::move(a);
  expect_every_use_says_moved_from(a);  // NOLINT(bugprone-use-after-move): what this tests
  EXPECT_EQ(b.data(), 3.0);
}

TEST(Value, MovedFromByAssignmentSaysSoOnEveryUse) {
  Value a = 3.0;
  Value b = 1.0;
  b = std::move(a);
  expect_every_use_says_moved_from(a);  // NOLINT(bugprone-use-after-move): what this tests
  EXPECT_EQ(b.data(), 3.0);
}

TEST(Value, MovedFromWorksAgainOnceAssigned) {
  Value a = 3.0;
  Value b = std::move(a);
  a = Value(5.0);  // NOLINT(bugprone-use-after-move): reassigning is the one use allowed
  EXPECT_EQ((a + b).data(), 8.0);
  Value c = 1.0;
  c = std::move(b);
  b = c * 2;  // NOLINT(bugprone-use-after-move)
  b.backward();
  EXPECT_EQ(c.grad(), 2.0);
}

TEST(Value, FreeFunctionSpellingsMatchMembers) {
  Value x = 0.3;
  EXPECT_EQ(pow(x, 2).data(), x.pow(2).data());
  EXPECT_EQ(exp(x).data(), x.exp().data());
  EXPECT_EQ(log(x).data(), x.log().data());
  EXPECT_EQ(tanh(x).data(), x.tanh().data());
  EXPECT_EQ(relu(x).data(), x.relu().data());
  EXPECT_EQ(sigmoid(x).data(), x.sigmoid().data());
}

TEST(Value, CompoundAssignmentRebindsTheHandle) {
  Value a = 2.0;
  Value c = a;
  c += 1;
  EXPECT_FALSE(c.same_node(a)) << "c += 1 makes a new node; a is untouched";
  EXPECT_EQ(a.data(), 2.0);
  EXPECT_EQ(c.data(), 3.0);
  ASSERT_EQ(c.parents().size(), 2u);
  EXPECT_TRUE(c.parents()[0].same_node(a));
  c -= 4;
  c *= 3;
  c /= 2;
  EXPECT_DOUBLE_EQ(c.data(), -1.5);
  c.backward();
  EXPECT_DOUBLE_EQ(a.grad(), 1.5) << "c = ((a + 1) - 4) * 3 / 2, so dc/da = 1.5";
}

TEST(Value, SelfReferentialCompoundAssignmentLeavesNoCycle) {
  std::weak_ptr<Node> watch;
  {
    Value a = 1.0;
    Value c = a;
    c += c + 1;  // c = c + (c + 1): the old c is a parent twice, never its own child
    c *= c;
    watch = c.node_ptr();
    c.backward();
    EXPECT_DOUBLE_EQ(c.data(), 9.0);
    EXPECT_DOUBLE_EQ(a.grad(), 12.0) << "c = (2a + 1)^2, dc/da = 4(2a + 1)";
  }
  EXPECT_TRUE(watch.expired()) << "the graph must be freed once the last handle is gone";
}

TEST(Value, GraphIsFreedWhenTheRootGoes) {
  std::weak_ptr<Node> leaf;
  std::weak_ptr<Node> middle;
  {
    Value x = 1.0;
    leaf = x.node_ptr();
    Value y = (x * 2).tanh();
    middle = y.parents()[0].node_ptr();
    y.backward();
  }
  EXPECT_TRUE(leaf.expired());
  EXPECT_TRUE(middle.expired());
}

TEST(Value, DeepChainIsFreedWithoutRecursion) {
  // One frame per node would overflow an 8 MiB stack long before a million nodes.
  std::weak_ptr<Node> first;
  {
    Value x = 1.0;
    first = x.node_ptr();
    Value chain = x;
    for (int i = 0; i < 1'000'000; ++i) chain = chain + 1e-6;
  }
  EXPECT_TRUE(first.expired());
}

TEST(Value, DeepChainOfNodesUsedTwiceIsFreedWithoutRecursion) {
  // Both parents of each node are the same node: neither reference is the last one on its own.
  std::weak_ptr<Node> first;
  {
    Value sum = 1.0, product = 1.0;
    first = sum.node_ptr();
    for (int i = 0; i < 1'000'000; ++i) {
      sum += sum;
      product = product * product;
    }
  }
  EXPECT_TRUE(first.expired());
}

TEST(Value, DeepChainIsFreedOnAnotherThreadAndAtThreadExit) {
  Value x = 1.0;
  std::weak_ptr<Node> watch = x.node_ptr();
  Value chain = x;
  for (int i = 0; i < 1'000'000; ++i) chain = chain + 1.0;
  x = Value();
  std::thread([moved = std::move(chain)]() mutable {
    // Freed on this thread, at its exit, after its other thread_local objects are gone.
    thread_local Value held;
    held = std::move(moved);
  }).join();
  EXPECT_TRUE(watch.expired());
}

TEST(Value, SharedSubgraphSurvivesWhileStillUsed) {
  Value x = 2.0;
  Value shared = x * 3;
  Value kept;
  {
    Value other = shared + 1;
    kept = shared * 2;
  }
  EXPECT_DOUBLE_EQ(kept.data(), 12.0);
  kept.backward();
  EXPECT_DOUBLE_EQ(x.grad(), 6.0);
}

TEST(Value, NodeUsedTwiceThroughTwoLevels) {
  Value a = 1.0;
  Value b = a + a;
  Value c = b + b;
  c.backward();
  EXPECT_DOUBLE_EQ(a.grad(), 4.0) << "c = 4a";
  EXPECT_DOUBLE_EQ(b.grad(), 2.0);
}

TEST(Value, SharedParentsAcrossBranches) {
  Value x = 3.0;
  Value y = x * x;         // x twice in one op
  Value z = y + x.tanh();  // x again through another path
  Value out = z * y;       // y through two paths
  out.backward();
  const double t = std::tanh(3.0);
  // out = (x^2 + tanh x) x^2  ->  d/dx = (2x + 1 - t^2) x^2 + (x^2 + t) 2x
  EXPECT_NEAR(x.grad(), (6.0 + 1 - t * t) * 9.0 + (9.0 + t) * 6.0, 1e-12);
}

// ---- Nodes with many parents (the engine's support for sum, dot and ops of your own) -----------
TEST(ManyInputs, EveryInputBecomesAParentInOrder) {
  const Values inputs = {1.0, 2.0, 3.0, 4.0, 5.0};
  const Value out = weighted(inputs);
  EXPECT_EQ(out.data(), 1.0 + 4.0 + 9.0 + 16.0 + 25.0);
  EXPECT_EQ(out.op(), "weighted");
  ASSERT_EQ(out.node().parent_count, 5u);
  const Values parents = out.parents();
  ASSERT_EQ(parents.size(), 5u);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_TRUE(parents[i].same_node(inputs[i])) << "parent " << i << " is not input " << i;
    EXPECT_EQ(&out.node().parent(i), &inputs[i].node()) << "parent(" << i << ")";
  }
}

TEST(ManyInputs, OneAndTwoInputsKeepTheirParentsInline) {
  const Values two = {1.0, 2.0};
  EXPECT_EQ(detail::NodeEdges::more_parents(weighted(two).node()), nullptr)
      << "a node of two parents must not allocate more storage";
  EXPECT_EQ(weighted(Values{1.0}).node().parent_count, 1u);
}

TEST(ManyInputs, GradFnReachesEveryInputAndARepeatedOneTwice) {
  Value a = 1.0, b = 2.0, c = 3.0;
  const Values inputs = {a, b, c, a, b};  // a at 0 and 3, b at 1 and 4
  const Value out = weighted(inputs);
  pass_back(out, 2.0);
  EXPECT_EQ(a.grad(), 2.0 * (1 + 4));
  EXPECT_EQ(b.grad(), 2.0 * (2 + 5));
  EXPECT_EQ(c.grad(), 2.0 * 3);
}

TEST(ManyInputs, NoInputsIsAClearError) {
  const std::string message =
      message_of<std::invalid_argument>([] { (void)weighted(std::span<const Value>{}); });
  EXPECT_NE(message.find("\"weighted\" was given no inputs"), std::string::npos) << message;
}

TEST(ManyInputs, AMovedFromInputSaysSo) {
  Values inputs = {1.0, 2.0, 3.0};
  Value taken = std::move(inputs[2]);
  (void)taken;
  EXPECT_THROW((void)weighted(inputs), std::logic_error);
}

TEST(ManyInputs, NoGradModeRecordsNoParents) {
  const Values inputs = {1.0, 2.0, 3.0};
  NoGradGuard no_grad;
  const Value out = weighted(inputs);
  EXPECT_EQ(out.data(), 14.0);
  EXPECT_TRUE(out.is_leaf());
  EXPECT_EQ(detail::NodeEdges::more_parents(out.node()), nullptr);
}

TEST(ManyInputs, AVectorPassedByMoveHandsItsHandlesToTheNode) {
  const Value a = 1.0, b = 2.0;
  Values inputs = {a, b, a};
  const Value out = Value::from_op(5.0, "weighted", weighted_backward, std::move(inputs));
  ASSERT_EQ(out.node().parent_count, 3u);
  EXPECT_EQ(&out.node().parent(0), &a.node());
  EXPECT_EQ(&out.node().parent(1), &b.node());
  EXPECT_EQ(&out.node().parent(2), &a.node());
  // `a` itself and the node's two parents: the vector's handles were taken over, not copied.
  EXPECT_EQ(a.node_ptr().use_count(), 3);
  EXPECT_EQ(b.node_ptr().use_count(), 2);
}

TEST(ManyInputs, AMovedFromInputInAMovedVectorSaysSoAndTakesNothing) {
  const Value a = 1.0;
  Values inputs = {a, 2.0, 3.0};
  Value taken = std::move(inputs[1]);
  EXPECT_THROW((void)Value::from_op(1.0, "weighted", weighted_backward, std::move(inputs)),
               std::logic_error);
  EXPECT_EQ(a.node_ptr().use_count(), 2) << "the vector must still hold its handle of `a`";
}

TEST(ManyInputs, AMillionWideNodesDeepFreesWithoutRecursion) {
  // Each link has three parents: the previous link and a constant twice (parents 1 and 2, the
  // second kept out of line), so teardown walks the inline parents and the extra ones.
  const Value constant = 0.0;
  Value chain = 1.0;
  for (int i = 0; i < 1'000'000; ++i) {
    const Values inputs = {chain, constant, constant};
    chain = Value::from_op(chain.data(), "link", weighted_backward, inputs);
  }
  EXPECT_EQ(chain.data(), 1.0);
  chain = Value();  // frees a million nodes; recursion would overflow the stack
  EXPECT_TRUE(constant.is_leaf());
}

// micrograd's test_engine.py, with its numbers (they come from PyTorch).
TEST(Micrograd, SanityCheck) {
  const auto [x, y] = micrograd_tests::sanity_check();
  y.backward();
  EXPECT_DOUBLE_EQ(y.data(), -20.0);
  EXPECT_DOUBLE_EQ(x.grad(), 46.0);
}

TEST(Micrograd, MoreOps) {
  const auto [a, b, g] = micrograd_tests::more_ops();
  g.backward();
  const double tolerance = 1e-6;
  EXPECT_NEAR(g.data(), 24.70408163265306, tolerance);
  EXPECT_NEAR(a.grad(), 138.83381924198252, tolerance);
  EXPECT_NEAR(b.grad(), 645.5772594752186, tolerance);
}

}  // namespace
}  // namespace micrograd
