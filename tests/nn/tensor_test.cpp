// Tests of nn/tensor.hpp.
#include "nn/tensor.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "nn/conv.hpp"

namespace micrograd::nn {
namespace {

TEST(Tensor, ShapeAndValues) {
  const Tensor t = Tensor::from_data({2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_EQ(t.rank(), 3u);
  EXPECT_EQ(t.size(), 12u);
  EXPECT_EQ(t.at(1, 0, 2).data(), 8.0) << "(c * H + h) * W + w = (1*2 + 0)*3 + 2";
  EXPECT_EQ(t.data()[11], 11.0);
  const Tensor vector = to_values({1.0, 2.0});
  EXPECT_EQ(vector.shape(), (Shape{2})) << "a vector of n Values is a tensor of shape [n]";
  const Tensor copy = t;
  EXPECT_TRUE(copy.values()[0].same_node(t.values()[0])) << "copies alias the Values";
  t.values()[0].data() = 5.0;
  EXPECT_EQ(copy.at(0, 0, 0).data(), 5.0) << "the Values themselves stay writable, as handles";
}

// A Tensor's shape always matches its Values: a shape that could be set apart from the Values
// would let Conv2D index past their end.
template <typename T>
concept ShapeAssignable = requires(T tensor) {
  tensor.shape = Shape{};
};
template <typename T>
concept ValuesResizable = requires(T tensor) {
  tensor.values.clear();
};

// Gives `tensor` a larger shape than its Values if the type allows it (it must not).
template <typename T>
void try_to_enlarge_shape(T& tensor) {
  if constexpr (ShapeAssignable<T>) tensor.shape = Shape{1, 30, 30};
}

TEST(Tensor, ShapeCannotBeSetApartFromTheValues) {
  static_assert(!ShapeAssignable<Tensor>, "Tensor::shape must not be assignable from outside");
  static_assert(!ValuesResizable<Tensor>, "Tensor's Values must not be resizable from outside");
  Tensor image = Tensor::from_data({1, 2, 2}, {1, 2, 3, 4});
  try_to_enlarge_shape(image);  // read past the 4 Values before (ASan: heap-buffer-overflow)
  const Conv2D conv(Tensor::from_data({1, 1, 2, 2}, {1, 1, 1, 1}), to_values({0.0}));
  EXPECT_EQ(conv(image).data(), (std::vector<double>{10.0})) << "the sum of the 2x2 image";
}

TEST(Tensor, EmptyAndMovedFromTensorsKeepTheInvariant) {
  const Tensor empty;
  EXPECT_EQ(empty.shape(), (Shape{0})) << "an empty tensor holds 0 Values, so its shape is [0]";
  EXPECT_EQ(empty.size(), 0u);
  Tensor moved = Tensor::from_data({2, 3}, std::vector<double>(6, 1.0));
  const Tensor target = std::move(moved);
  EXPECT_EQ(target.shape(), (Shape{2, 3}));
  // NOLINTNEXTLINE(bugprone-use-after-move): the moved-from state is what is tested
  EXPECT_EQ(element_count(moved.shape()), moved.size()) << "a moved-from tensor stays consistent";
  Tensor assigned = Tensor::from_data({1}, {1.0});
  assigned = Tensor::from_data({2}, {1.0, 2.0});
  EXPECT_EQ(assigned.shape(), (Shape{2}));
  Tensor source = Tensor::from_data({3}, {1.0, 2.0, 3.0});
  assigned = std::move(source);
  EXPECT_EQ(assigned.shape(), (Shape{3}));
  // NOLINTNEXTLINE(bugprone-use-after-move)
  EXPECT_EQ(element_count(source.shape()), source.size());
}

TEST(Tensor, ShapeWhoseElementCountOverflowsIsRefused) {
  const std::size_t huge = std::size_t{1} << 32;
  try {
    Tensor({huge, huge}, {});
    FAIL() << "2^32 * 2^32 elements wrap around to 0 in size_t: the shape must be refused";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("[4294967296, 4294967296]"), std::string::npos) << message;
    EXPECT_NE(message.find("more elements than"), std::string::npos) << message;
  }
  EXPECT_THROW(element_count({huge, huge, 1}), std::invalid_argument);
  EXPECT_THROW(element_count({std::numeric_limits<std::size_t>::max(), 2}), std::invalid_argument);
  EXPECT_EQ(element_count({huge, huge, 0}), 0u) << "a zero size makes any shape empty";
  EXPECT_EQ(element_count({std::numeric_limits<std::size_t>::max(), 1}),
            std::numeric_limits<std::size_t>::max());
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
