// Tests of nn/dropout.hpp. The mask comes from our own generator, not torch's, so these check its
// properties: the 1 / (1 - p) scale, the fraction dropped, one uniform01 draw per input in order
// (so a seed repeats a run), and the identity in eval mode.
#include "nn/dropout.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "nn/activation.hpp"
#include "nn/random.hpp"
#include "nn/sequential.hpp"

namespace micrograd::nn {
namespace {

std::vector<Value> ones(std::size_t count) {
  return to_values(std::vector<double>(count, 1.0));
}

// ---- 10.1 dropout -------------------------------------------------------------------------------

TEST(Ex10_1_Dropout, KeptInputsAreScaledByOneOverOneMinusP) {
  manual_seed(7);
  const Dropout drop(0.25);
  const std::vector<Value> x = to_values({1.0, -2.0, 3.0, 0.5, 4.0, -1.5, 2.5, 8.0});
  const std::vector<Value> y = drop(x);
  ASSERT_EQ(y.size(), x.size()) << "Dropout returns one output per input";
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (y[i].data() == 0.0) continue;
    EXPECT_DOUBLE_EQ(y[i].data(), x[i].data() / 0.75)
        << "output " << i << " was kept, so it must be x / (1 - p) = x / 0.75 (inverted dropout "
        << "keeps the expected value; scaling by p, or not at all, changes it)";
  }
}

TEST(Ex10_1_Dropout, DropsAboutAFractionPAndKeepsTheMean) {
  manual_seed(8);
  const Dropout drop(0.3);
  const std::vector<Value> y = drop(ones(20000));
  std::size_t zeros = 0;
  double sum = 0.0;
  for (const Value& v : y) {
    zeros += v.data() == 0.0 ? 1 : 0;
    sum += v.data();
  }
  const double fraction = static_cast<double>(zeros) / 20000.0;
  // The fraction's standard deviation is sqrt(0.3 * 0.7 / 20000) = 0.0032: 0.015 is 4.6 of them.
  EXPECT_NEAR(fraction, 0.3, 0.015) << "each input must be dropped with probability p = 0.3";
  EXPECT_NEAR(sum / 20000.0, 1.0, 0.03)
      << "the mean output must stay the mean input (1): scale the kept ones by 1 / (1 - p)";
}

TEST(Ex10_1_Dropout, OneUniformDrawPerInputInOrderSoASeedRepeatsTheMask) {
  manual_seed(9);
  std::vector<bool> expected;
  for (int i = 0; i < 50; ++i) expected.push_back(uniform01(random_generator()) < 0.4);
  manual_seed(9);
  const std::vector<Value> y = Dropout(0.4)(ones(50));
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(y[i].data() == 0.0, expected[i])
        << "input " << i << ": drop it when the i-th uniform01(random_generator()) draw is < p";
  }
  manual_seed(9);
  const std::vector<Value> again = Dropout(0.4)(ones(50));
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(again[i].data(), y[i].data());
}

TEST(Ex10_1_Dropout, EvalModeIsTheIdentityAndDrawsNothing) {
  manual_seed(10);
  Dropout drop(0.5);
  drop.eval();
  const std::vector<Value> x = to_values({1.0, 2.0, 3.0, 4.0});
  const std::vector<Value> y = drop(x);
  ASSERT_EQ(y.size(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_TRUE(y[i].same_node(x[i])) << "in eval mode Dropout returns its input unchanged";
  }
  const double next = uniform01(random_generator());
  manual_seed(10);
  EXPECT_EQ(uniform01(random_generator()), next) << "eval mode must not draw from the generator";
}

TEST(Ex10_1_Dropout, PZeroKeepsEverything) {
  const std::vector<Value> x = to_values({1.0, -2.0});
  const std::vector<Value> y = Dropout(0.0)(x);
  ASSERT_EQ(y.size(), 2u);
  EXPECT_EQ(y[0].data(), 1.0);
  EXPECT_EQ(y[1].data(), -2.0);
}

TEST(Ex10_1_Dropout, PZeroReturnsItsInputAndDrawsNothing) {
  // With p = 0 nothing can be dropped: a draw would only shift every later random number (the
  // next layer's dropout, the next batch's shuffle) and make a run differ from one without the
  // Dropout layer.
  manual_seed(11);
  Dropout drop(0.0);
  const std::vector<Value> x = to_values({1.0, 2.0, 3.0});
  const std::vector<Value> y = drop(x);
  ASSERT_EQ(y.size(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_TRUE(y[i].same_node(x[i]))
        << "with p = 0 Dropout returns its input itself (x, not x * 1): return before the loop";
  }
  const double next = uniform01(random_generator());
  manual_seed(11);
  EXPECT_EQ(uniform01(random_generator()), next)
      << "with p = 0 Dropout must not draw from the generator: every later random number would "
         "shift. Return x before drawing when p is 0";
}

TEST(Ex10_1_Dropout, GradientReachesOnlyTheKeptInputs) {
  manual_seed(11);
  const std::vector<Value> x = ones(40);
  const std::vector<Value> y = Dropout(0.5)(x);
  Value total = y[0];
  for (std::size_t i = 1; i < y.size(); ++i) total = total + y[i];
  total.backward();
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_DOUBLE_EQ(x[i].grad(), y[i].data() == 0.0 ? 0.0 : 2.0)
        << "input " << i << ": d out / d x is 1 / (1 - p) = 2 where kept, 0 where dropped";
  }
}

// ---- the rest of Dropout --------------------------------------------------------------------------

TEST(Dropout, RejectsAProbabilityOutsideZeroToOne) {
  for (double p : {-0.1, 1.0, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    const std::string message =
        micrograd::testing::message_of<std::invalid_argument>([&] { Dropout{p}; });
    EXPECT_NE(message.find("expected 0 <= p < 1"), std::string::npos) << message;
  }
}

TEST(Dropout, WorksOnATensorAndInsideASequential) {
  manual_seed(12);
  Sequential net(ReLU(), Dropout(0.5));
  EXPECT_EQ(net.describe(), "Sequential(ReLU(), Dropout(p=0.5))");
  const Tensor input = Tensor::from_data({2, 3}, std::vector<double>(6, 1.0));
  const Tensor out = net(input);
  EXPECT_EQ(out.shape(), input.shape());
  for (const Value& v : out.values()) EXPECT_TRUE(v.data() == 0.0 || v.data() == 2.0);
  net.eval();
  const Tensor evaluated = net(input);
  for (const Value& v : evaluated.values()) EXPECT_EQ(v.data(), 1.0) << "eval reaches Dropout";
  EXPECT_EQ(Dropout(0.5).parameter_count(), 0u);
}

}  // namespace
}  // namespace micrograd::nn
