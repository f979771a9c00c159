// Tests of nn/tensor.hpp.
#include "nn/tensor.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace micrograd::nn {
namespace {

TEST(Tensor, ShapeAndValues) {
  const Tensor t = Tensor::from_data({2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_EQ(t.rank(), 3u);
  EXPECT_EQ(t.size(), 12u);
  EXPECT_EQ(t.at(1, 0, 2).data(), 8.0) << "(c * H + h) * W + w = (1*2 + 0)*3 + 2";
  EXPECT_EQ(t.data()[11], 11.0);
  const Tensor vector = to_values({1.0, 2.0});
  EXPECT_EQ(vector.shape, (Shape{2})) << "a vector of n Values is a tensor of shape [n]";
  const Tensor copy = t;
  EXPECT_TRUE(copy.values[0].same_node(t.values[0])) << "copies alias the Values";
}

TEST(Tensor, WrongSizeSaysBoth) {
  try {
    Tensor({2, 3}, to_values({1.0, 2.0}));
    FAIL() << "a [2, 3] tensor of 2 values must be rejected";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("[2, 3] holds 6 values, but 2"), std::string::npos)
        << error.what();
  }
}

TEST(Tensor, ShapeHelpers) {
  EXPECT_EQ(shape_string({}), "[]");
  EXPECT_EQ(shape_string({1, 28, 28}), "[1, 28, 28]");
  EXPECT_EQ(element_count({}), 1u) << "a scalar";
  EXPECT_EQ(element_count({3, 0}), 0u);
  EXPECT_EQ(element_count({2, 3, 4}), 24u);
}

}  // namespace
}  // namespace micrograd::nn
