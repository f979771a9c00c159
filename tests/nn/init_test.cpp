// Tests of nn/init.hpp.
#include "nn/init.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/random.hpp"

namespace micrograd::nn {
namespace {

TEST(Init, Bounds) {
  EXPECT_EQ(init_bound(Init::uniform, 784, 32), 1.0) << "micrograd's uniform(-1, 1)";
  EXPECT_DOUBLE_EQ(init_bound(Init::kaiming_uniform, 24, 7), 0.5) << "sqrt(6 / 24)";
  EXPECT_DOUBLE_EQ(init_bound(Init::xavier_uniform, 4, 2), 1.0) << "sqrt(6 / (4 + 2))";
  EXPECT_THROW(init_bound(Init::uniform, 0, 1), std::invalid_argument);
  EXPECT_EQ(to_string(Init::kaiming_uniform), "kaiming_uniform");
}

TEST(Init, WeightsFillTheirRangeAndAreRepeatable) {
  manual_seed(4);
  const std::vector<Value> weights = init_weights(10000, Init::kaiming_uniform, 6, 1);
  ASSERT_EQ(weights.size(), 10000u);
  double low = 0.0, high = 0.0, sum_of_squares = 0.0;
  for (const Value& w : weights) {
    low = std::min(low, w.data());
    high = std::max(high, w.data());
    sum_of_squares += w.data() * w.data();
    EXPECT_TRUE(w.is_leaf());
  }
  EXPECT_GE(low, -1.0);
  EXPECT_LT(high, 1.0);
  EXPECT_LT(low, -0.99);
  EXPECT_GT(high, 0.99);
  EXPECT_NEAR(sum_of_squares / 10000, 2.0 / 6.0, 0.02) << "Kaiming: variance 2 / fan_in";
  manual_seed(4);
  EXPECT_EQ(init_weights(1, Init::kaiming_uniform, 6, 1)[0].data(), weights[0].data());
}

}  // namespace
}  // namespace micrograd::nn
