// Tests of nn/init.hpp.
#include "nn/init.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/conv.hpp"
#include "nn/mlp.hpp"
#include "nn/random.hpp"

namespace micrograd::nn {
namespace {

TEST(Init, Bounds) {
  EXPECT_EQ(init_bound(Init::uniform, 784, 32), 1.0) << "micrograd's uniform(-1, 1)";
  EXPECT_DOUBLE_EQ(init_bound(Init::kaiming_uniform, 24, 7), 0.5) << "sqrt(6 / 24)";
  EXPECT_DOUBLE_EQ(init_bound(Init::xavier_uniform, 4, 2), 1.0) << "sqrt(6 / (4 + 2))";
  EXPECT_DOUBLE_EQ(init_bound(Init::lecun_uniform, 12, 7), 0.5) << "sqrt(3 / 12)";
  EXPECT_THROW(init_bound(Init::uniform, 0, 1), std::invalid_argument);
  EXPECT_THROW(init_bound(Init::lecun_uniform, 0, 1), std::invalid_argument);
  EXPECT_EQ(to_string(Init::kaiming_uniform), "kaiming_uniform");
  EXPECT_EQ(to_string(Init::lecun_uniform), "lecun_uniform");
}

// The bounds of the MNIST demo's layers (issue 6): +-sqrt(6 / fan_in) for ReLU layers,
// +-sqrt(3 / fan_in) for tanh layers; fan_out does not enter either.
TEST(Init, KaimingAndLecunBoundsOfTheMnistLayers) {
  EXPECT_DOUBLE_EQ(init_bound(Init::kaiming_uniform, 784, 32), std::sqrt(6.0 / 784));
  EXPECT_DOUBLE_EQ(init_bound(Init::kaiming_uniform, 784, 1), std::sqrt(6.0 / 784));
  EXPECT_DOUBLE_EQ(init_bound(Init::lecun_uniform, 1 * 5 * 5, 4 * 5 * 5), std::sqrt(3.0 / 25));
  EXPECT_DOUBLE_EQ(init_bound(Init::lecun_uniform, 4 * 5 * 5, 8 * 5 * 5), std::sqrt(3.0 / 100));
  EXPECT_DOUBLE_EQ(init_bound(Init::lecun_uniform, 392, 30), std::sqrt(3.0 / 392));
  EXPECT_DOUBLE_EQ(init_bound(Init::lecun_uniform, 392, 1),
                   init_bound(Init::lecun_uniform, 392, 30));
  EXPECT_DOUBLE_EQ(init_bound(Init::kaiming_uniform, 50, 3),
                   std::sqrt(2.0) * init_bound(Init::lecun_uniform, 50, 3))
      << "Kaiming has twice LeCun's variance: ReLU zeroes half of its inputs";
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

TEST(Init, LecunWeightsHaveVarianceOneOverFanIn) {
  manual_seed(5);
  const std::vector<Value> weights = init_weights(20000, Init::lecun_uniform, 12, 30);
  const double bound = 0.5;  // sqrt(3 / 12)
  double low = 0.0, high = 0.0, sum_of_squares = 0.0;
  for (const Value& w : weights) {
    low = std::min(low, w.data());
    high = std::max(high, w.data());
    sum_of_squares += w.data() * w.data();
  }
  EXPECT_GE(low, -bound);
  EXPECT_LT(high, bound);
  EXPECT_LT(low, -0.99 * bound);
  EXPECT_GT(high, 0.99 * bound);
  EXPECT_NEAR(sum_of_squares / 20000, 1.0 / 12.0, 0.003) << "LeCun: variance 1 / fan_in";
}

TEST(Init, LayersAndConvolutionsUseTheirFanIn) {
  manual_seed(6);
  const Layer dense(392, 30, Activation::tanh, Init::lecun_uniform);
  const double dense_bound = std::sqrt(3.0 / 392);
  double largest = 0.0;
  for (const Value& p : dense.parameters()) largest = std::max(largest, std::abs(p.data()));
  EXPECT_LT(largest, dense_bound);
  EXPECT_GT(largest, 0.95 * dense_bound);
  for (const Neuron& neuron : dense.neurons()) EXPECT_EQ(neuron.bias().data(), 0.0);

  const Conv2D conv(4, 8, 5, 2, 2, Init::lecun_uniform);
  const double conv_bound = std::sqrt(3.0 / (4 * 5 * 5));
  largest = 0.0;
  for (const Value& w : conv.weight().values()) largest = std::max(largest, std::abs(w.data()));
  EXPECT_LT(largest, conv_bound);
  EXPECT_GT(largest, 0.95 * conv_bound);
  for (const Value& b : conv.bias()) EXPECT_EQ(b.data(), 0.0);
}

}  // namespace
}  // namespace micrograd::nn
