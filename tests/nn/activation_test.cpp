// Tests of nn/activation.hpp.
#include "nn/activation.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace micrograd::nn {
namespace {

TEST(Activation, ActivateEachKind) {
  const Value x = -0.5;
  EXPECT_TRUE(activate(x, Activation::none).same_node(x)) << "none adds no node";
  EXPECT_EQ(activate(x, Activation::relu).data(), 0.0);
  EXPECT_DOUBLE_EQ(activate(x, Activation::tanh).data(), std::tanh(-0.5));
  EXPECT_DOUBLE_EQ(activate(x, Activation::sigmoid).data(), 1.0 / (1.0 + std::exp(0.5)));
  EXPECT_EQ(to_string(Activation::sigmoid), "sigmoid");
}

TEST(Activation, LayersApplyElementwiseAndKeepTheShape) {
  const Tensor input = Tensor::from_data({1, 2, 2}, {-1.0, 2.0, -3.0, 4.0});
  const Tensor out = ReLU()(input);
  EXPECT_EQ(out.shape(), input.shape());
  EXPECT_EQ(out.data(), (std::vector<double>{0.0, 2.0, 0.0, 4.0}));
  EXPECT_DOUBLE_EQ(Tanh()(input).values()[1].data(), std::tanh(2.0));
  EXPECT_DOUBLE_EQ(Sigmoid()(input).values()[0].data(), 1.0 / (1.0 + std::exp(1.0)));
  EXPECT_EQ(ReLU().describe(), "ReLU()");
  EXPECT_EQ(Tanh().describe(), "Tanh()");
  EXPECT_EQ(Sigmoid().parameter_count(), 0u);
  EXPECT_EQ(ActivationLayer(Activation::none).describe(), "Identity()");
}

}  // namespace
}  // namespace micrograd::nn
