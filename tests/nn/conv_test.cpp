// Tests of nn/conv.hpp: Conv2D, MaxPool2D, AvgPool2D and Flatten, by hand and against PyTorch
// (tests/reference/nn_conv.txt, made by nn_conv_reference.py: F.conv2d, F.max_pool2d and
// F.avg_pool2d in float64, forward outputs and the gradients of sum(output * g)).
//
// Suites named Ex8_N_... grade exercise 8.N; they use chapters 1-7 and no later exercise.
#include "nn/conv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/gradcheck.hpp"
#include "nn/random.hpp"
#include "reference_file.hpp"

namespace micrograd::nn {
namespace {

using test_data::close_to;
using test_data::read_reference_cases;
using test_data::ReferenceCase;

constexpr double kTolerance = 1e-12;  // float64 sums in another order differ by ~1e-16 each

Tensor leaves(const test_data::ReferenceTensor& tensor) {
  return Tensor::from_data(tensor.shape, tensor.data);
}

std::vector<double> grads(const std::vector<Value>& values) {
  std::vector<double> result;
  for (const Value& value : values) result.push_back(value.grad());
  return result;
}

// sum(output * g): its gradient with respect to the output is g, as in the reference script.
Value weighted_sum(const Tensor& output, const std::vector<double>& g) {
  Value total = output.values()[0] * g[0];
  for (std::size_t i = 1; i < output.size(); ++i) total += output.values()[i] * g[i];
  return total;
}

std::vector<ReferenceCase> cases_of(const std::string& kind) {
  std::vector<ReferenceCase> result;
  for (ReferenceCase& c : read_reference_cases("nn_conv.txt")) {
    if (c.kind == kind) result.push_back(std::move(c));
  }
  return result;
}

// ---- 8.1 Conv2D forward -------------------------------------------------------------------------

TEST(Ex8_1_Conv2DForward, ByHand) {
  // One 3x3 channel, one 2x2 kernel, stride 1: each output is bias + the window times the kernel.
  const Tensor input = Tensor::from_data({1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  const Conv2D conv(Tensor::from_data({1, 1, 2, 2}, {1, 0, 0, -1}), to_values({10.0}));
  const Tensor out = conv(input);
  ASSERT_EQ(out.shape(), (Shape{1, 2, 2})) << "a 2x2 kernel over a 3x3 image gives 2x2";
  // out[i][j] = 10 + x[i][j] - x[i+1][j+1] = 10 - 4 everywhere.
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(out.values()[i].data(), 6.0)
        << "output " << i << ": 10 + x[i][j]*1 + x[i+1][j+1]*(-1) = 10 - 4";
  }
}

TEST(Ex8_1_Conv2DForward, StrideAndPaddingByHand) {
  // A 1x2x2 image, a 3x3 kernel of ones, padding 1, stride 2: one window per output, each covering
  // the image around one corner; the zeros of the padding add nothing.
  const Tensor input = Tensor::from_data({1, 2, 2}, {1, 2, 3, 4});
  const Conv2D conv(Tensor::from_data({1, 1, 3, 3}, std::vector<double>(9, 1.0)), to_values({0.5}),
                    2, 1);
  const Tensor out = conv(input);
  ASSERT_EQ(out.shape(), (Shape{1, 1, 1})) << "(2 + 2*1 - 3) / 2 + 1 = 1";
  EXPECT_DOUBLE_EQ(out.values()[0].data(), 10.5)
      << "the window at the top-left of the padded image covers the whole image: 0.5 + 1+2+3+4";
}

TEST(Ex8_1_Conv2DForward, ChannelsAreSummedOutputsAreNot) {
  // Two input channels, two output channels, 1x1 kernels: out[o] = b[o] + sum_c w[o][c] x[c].
  const Tensor input = Tensor::from_data({2, 1, 2}, {1, 2, 10, 20});
  const Conv2D conv(Tensor::from_data({2, 2, 1, 1}, {1, 1, 0.5, -1}), to_values({0.0, 1.0}));
  const Tensor out = conv(input);
  ASSERT_EQ(out.shape(), (Shape{2, 1, 2}));
  EXPECT_DOUBLE_EQ(out.values()[0].data(), 11.0) << "channel 0, (0,0): 1*1 + 1*10";
  EXPECT_DOUBLE_EQ(out.values()[1].data(), 22.0) << "channel 0, (0,1): 1*2 + 1*20";
  EXPECT_DOUBLE_EQ(out.values()[2].data(), -8.5) << "channel 1, (0,0): 1 + 0.5*1 - 1*10";
  EXPECT_DOUBLE_EQ(out.values()[3].data(), -18.0) << "channel 1, (0,1): 1 + 0.5*2 - 1*20";
}

TEST(Ex8_1_Conv2DForward, MatchesTorchForwardAndBackward) {
  const std::vector<ReferenceCase> cases = cases_of("conv2d");
  ASSERT_GE(cases.size(), 8u);
  for (const ReferenceCase& c : cases) {
    const Tensor input = leaves(c.tensor("input"));
    const Tensor weight = leaves(c.tensor("weight"));
    const Tensor bias = leaves(c.tensor("bias"));
    const Conv2D conv(weight, bias.values(), c.size("stride"), c.size("padding"));
    const Tensor out = conv(input);
    ASSERT_EQ(out.shape(), c.tensor("output").shape)
        << "the output shape of " << conv.describe() << " (" << c.location << ")";
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "output", c,
                                 "out[o][i][j] = b[o] + sum over c, u, v of w[o][c][u][v] * "
                                 "x[c][i*stride + u - padding][j*stride + v - padding]"),
                        out.data(), c.tensor("output"));
    weighted_sum(out, c.tensor("grad_output").data).backward();
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "input[].grad()", c,
                                 "every input element must be used through its own Value"),
                        grads(input.values()), c.tensor("grad_input"));
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "weight[].grad()", c,
                                 "every window uses the same weight Values, so their gradients "
                                 "add up over the windows"),
                        grads(weight.values()), c.tensor("grad_weight"));
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "bias[].grad()", c,
                                 "each output starts from its channel's bias Value: bias_[o]"),
                        grads(bias.values()), c.tensor("grad_bias"));
  }
}

// ---- 8.2 max pool -------------------------------------------------------------------------------

TEST(Ex8_2_MaxPool, ByHand) {
  const Tensor input = Tensor::from_data({1, 4, 4}, {1, 5, 2, 0,    //
                                                     3, 4, 8, 1,    //
                                                     -1, -2, 6, 7,  //
                                                     -3, -4, 9, 6});
  const Tensor out = MaxPool2D(2)(input);
  ASSERT_EQ(out.shape(), (Shape{1, 2, 2})) << "2x2 windows side by side (stride = kernel_size)";
  EXPECT_EQ(out.data(), (std::vector<double>{5, 8, -1, 9}))
      << "each output is the largest number of its 2x2 window; the windows sit side by side "
         "(stride = kernel_size)";
}

TEST(Ex8_2_MaxPool, GradientGoesToTheMaximumOnly) {
  const Tensor input = Tensor::from_data({1, 2, 2}, {1, 4, 3, 2});
  const Tensor out = MaxPool2D(2)(input);
  ASSERT_EQ(out.size(), 1u);
  (out.values()[0] * 3.0).backward();
  EXPECT_EQ(grads(input.values()), (std::vector<double>{0, 3, 0, 0}))
      << "d max / d x is 1 for the largest element and 0 for the others: return the winning "
         "Value itself";
}

TEST(Ex8_2_MaxPool, TiesGoToTheFirst) {
  const Tensor input = Tensor::from_data({1, 2, 2}, {2, 7, 7, 1});
  const Tensor out = MaxPool2D(2)(input);
  out.values()[0].backward();
  EXPECT_EQ(grads(input.values()), (std::vector<double>{0, 1, 0, 0}))
      << "two elements are 7: the first in reading order wins (compare with >, not >=), as in "
         "PyTorch";
}

TEST(Ex8_2_MaxPool, NaNWinsItsWindow) {
  const double nan = std::nan("");
  const Tensor input = Tensor::from_data({1, 2, 4}, {1, nan, 5, 3,  //
                                                     2, 4, 6, nan});
  const Tensor out = MaxPool2D(2)(input);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::isnan(out.values()[0].data()) && std::isnan(out.values()[1].data()))
      << "outputs are " << out.values()[0].data() << " and " << out.values()[1].data()
      << ": a window that holds a NaN has no largest number, so its max is NaN (NaN propagates, "
         "as in PyTorch). No comparison with a NaN is true: x > best never picks it, test "
         "std::isnan(x.data()) too";
  (out.values()[0] * 2.0 + out.values()[1] * 3.0).backward();
  EXPECT_EQ(grads(input.values())[1], 2.0) << "the gradient goes to the NaN that won";
  EXPECT_EQ(grads(input.values())[7], 3.0) << "the gradient goes to the NaN that won";
}

// Every case of `kind` through MaxPool2D against PyTorch, forward and backward; the hints say why
// the numbers should agree.
void expect_max_pool_matches_torch(const std::string& kind, std::size_t at_least,
                                   const std::string& output_hint, const std::string& grad_hint) {
  const std::vector<ReferenceCase> cases = cases_of(kind);
  ASSERT_GE(cases.size(), at_least);
  for (const ReferenceCase& c : cases) {
    const Tensor input = leaves(c.tensor("input"));
    const MaxPool2D pool(c.size("kernel_size"), c.size("stride"));
    const Tensor out = pool(input);
    ASSERT_EQ(out.shape(), c.tensor("output").shape)
        << "the output shape of " << pool.describe() << " (" << c.location << ")";
    EXPECT_PRED_FORMAT2(close_to(0.0, "output", c, output_hint), out.data(), c.tensor("output"));
    weighted_sum(out, c.tensor("grad_output").data).backward();
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "input[].grad()", c, grad_hint), grads(input.values()),
                        c.tensor("grad_input"));
  }
}

TEST(Ex8_2_MaxPool, NaNPropagatesAsInTorch) {
  expect_max_pool_matches_torch("max_pool2d_nan", 3,
                                "a NaN in a window wins over every number, +inf included, and "
                                "stays the maximum whatever comes after it in the window",
                                "the gradient of a window with a NaN goes to that NaN");
}

TEST(Ex8_2_MaxPool, MatchesTorchForwardAndBackward) {
  expect_max_pool_matches_torch("max_pool2d", 5,
                                "the largest of its window; window (i, j) starts at row "
                                "i * stride_, column j * stride_",
                                "with overlapping windows an element can win several: its "
                                "gradient is the sum, which backward() does if you return the "
                                "Value itself");
}

// ---- 8.3 avg pool -------------------------------------------------------------------------------

TEST(Ex8_3_AvgPool, ByHand) {
  const Tensor input = Tensor::from_data({2, 2, 4}, {1, 2, 3, 4,  //
                                                     5, 6, 7, 8,  //
                                                     0, 0, 4, 4,  //
                                                     8, 0, 4, 4});
  const Tensor out = AvgPool2D(2)(input);
  ASSERT_EQ(out.shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(out.data(), (std::vector<double>{3.5, 5.5, 2.0, 4.0}))
      << "each output is the mean of its 2x2 window, channel by channel";
  out.values()[0].backward();
  EXPECT_EQ(grads(input.values())[0], 0.25) << "d mean / d x = 1 / (k * k) for each element";
}

TEST(Ex8_3_AvgPool, MatchesTorchForwardAndBackward) {
  const std::vector<ReferenceCase> cases = cases_of("avg_pool2d");
  ASSERT_GE(cases.size(), 5u);
  for (const ReferenceCase& c : cases) {
    const Tensor input = leaves(c.tensor("input"));
    const AvgPool2D pool(c.size("kernel_size"), c.size("stride"));
    const Tensor out = pool(input);
    ASSERT_EQ(out.shape(), c.tensor("output").shape)
        << "the output shape of " << pool.describe() << " (" << c.location << ")";
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "output", c,
                                 "the mean of its window: divide the window's sum by "
                                 "kernel_size_ * kernel_size_"),
                        out.data(), c.tensor("output"));
    weighted_sum(out, c.tensor("grad_output").data).backward();
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "input[].grad()", c,
                                 "each element of a window gets 1 / (k * k) of its output's "
                                 "gradient, summed over the windows it is in"),
                        grads(input.values()), c.tensor("grad_input"));
  }
}

// ---- construction, shapes, gradients (not exercises) --------------------------------------------

TEST(Conv2DConstruction, PyTorchLayoutAndKaimingInit) {
  manual_seed(3);
  const Conv2D conv(3, 8, 5, 2, 1);
  EXPECT_EQ(conv.weight().shape(), (Shape{8, 3, 5, 5})) << "[out][in][kh][kw], as PyTorch";
  EXPECT_EQ(conv.bias().size(), 8u);
  EXPECT_EQ(conv.parameter_count(), 8u * 3 * 25 + 8);
  EXPECT_EQ(conv.describe(), "Conv2D(3, 8, kernel_size=5, stride=2, padding=1)");
  const double bound = std::sqrt(6.0 / (3 * 25));
  for (const Value& w : conv.weight().values()) EXPECT_LE(std::abs(w.data()), bound);
  for (const Value& b : conv.bias()) EXPECT_EQ(b.data(), 0.0);
  const std::vector<NamedTensor> named = conv.named_parameters();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].name, "weight");
  EXPECT_EQ(named[0].shape, (Shape{8, 3, 5, 5}));
  EXPECT_EQ(named[1].name, "bias");
  EXPECT_EQ(named[1].shape, (Shape{8}));
  EXPECT_EQ(conv.output_shape({3, 28, 28}), (Shape{8, 13, 13}));
}

TEST(Conv2DShapes, BadInputsSayExpectedAndActual) {
  const Conv2D conv(3, 2, 3);
  const auto message_of = [&](const Tensor& input) -> std::string {
    try {
      conv(input);
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "(no exception)";
  };
  const std::string channels = message_of(Tensor::from_data({2, 5, 5}, std::vector<double>(50)));
  EXPECT_NE(channels.find("3 input channels"), std::string::npos) << channels;
  EXPECT_NE(channels.find("[2, 5, 5]"), std::string::npos) << channels;
  const std::string small = message_of(Tensor::from_data({3, 2, 5}, std::vector<double>(30)));
  EXPECT_NE(small.find("kernel (3) is larger than the input (2)"), std::string::npos) << small;
  const std::string rank = message_of(Tensor::from_data({75}, std::vector<double>(75)));
  EXPECT_NE(rank.find("[75]"), std::string::npos) << rank;
  // With padding 1 a 3x3 kernel fits a 1x1 image (padded to 3x3).
  EXPECT_EQ(Conv2D(1, 1, 3, 1, 1)(Tensor::from_data({1, 1, 1}, {2.0})).shape(), (Shape{1, 1, 1}));
  EXPECT_THROW(Conv2D(1, 1, 4, 1, 1)(Tensor::from_data({1, 1, 1}, {2.0})), std::invalid_argument)
      << "a 4x4 kernel does not fit a 1x1 image padded to 3x3";
}

TEST(Conv2DShapes, BadConstructionArguments) {
  EXPECT_THROW(Conv2D(0, 1, 3), std::invalid_argument);
  EXPECT_THROW(Conv2D(1, 0, 3), std::invalid_argument);
  EXPECT_THROW(Conv2D(1, 1, 0), std::invalid_argument);
  EXPECT_THROW(Conv2D(1, 1, 3, 0), std::invalid_argument);
  EXPECT_THROW(Conv2D(Tensor::from_data({1, 1, 2, 3}, std::vector<double>(6)), to_values({0.0})),
               std::invalid_argument)
      << "non-square kernel";
  EXPECT_THROW(Conv2D(Tensor::from_data({2, 1, 1, 1}, {1, 2}), to_values({0.0})),
               std::invalid_argument)
      << "one bias for two output channels";
  EXPECT_THROW(MaxPool2D(0), std::invalid_argument);
  EXPECT_THROW(AvgPool2D(2, 0), std::invalid_argument);
}

// A negative int converted to std::size_t is about 1.8e19; unchecked, such a padding or stride
// wrapped around in the window arithmetic and every output was the bias. Each argument is checked
// on its own, by name, with the range it must be in.
std::string construction_error(const std::function<void()>& construct) {
  try {
    construct();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no exception)";
}

TEST(Conv2DShapes, NegativeZeroOrAbsurdArgumentsNameTheArgumentAndTheRange) {
  const std::size_t minus_one = static_cast<std::size_t>(-1);  // what Conv2D(1, 1, 3, -1) passes
  const std::size_t two_to_63 = std::size_t{1} << 63;
  struct Case {
    std::function<void()> construct;
    std::string expected;
  };
  const Tensor weight = Tensor::from_data({1, 1, 2, 2}, {1, 1, 1, 1});
  const std::vector<Case> cases{
      {[&] { Conv2D(1, 1, 3, minus_one); }, "stride is 18446744073709551615, outside 1..65536"},
      {[&] { Conv2D(1, 1, 3, 1, minus_one); }, "padding is 18446744073709551615, outside 0..65536"},
      {[&] { Conv2D(1, 1, 3, two_to_63); }, "stride is 9223372036854775808, outside 1..65536"},
      {[&] { Conv2D(1, 1, 3, 1, two_to_63); }, "padding is 9223372036854775808, outside 0..65536"},
      {[&] { Conv2D(1, 1, std::size_t{1} << 32); }, "kernel_size is 4294967296, outside 1..65536"},
      {[&] { Conv2D(0, 1, 3); }, "in_channels is 0, outside 1..65536"},
      {[&] { Conv2D(1, minus_one, 3); }, "out_channels is 18446744073709551615, outside 1..65536"},
      {[&] { Conv2D(1, 1, 0); }, "kernel_size is 0, outside 1..65536"},
      {[&] { Conv2D(1, 1, 3, 0); }, "stride is 0, outside 1..65536"},
      {[&] { Conv2D(weight, to_values({0.0}), minus_one); }, "stride is 18446744073709551615"},
      {[&] { Conv2D(weight, to_values({0.0}), 1, minus_one); }, "padding is 18446744073709551615"},
      {[&] { MaxPool2D(2, minus_one); }, "stride is 18446744073709551615, outside 1..65536"},
      {[&] { MaxPool2D{minus_one}; }, "kernel_size is 18446744073709551615, outside 1..65536"},
      {[&] { AvgPool2D(2, two_to_63); }, "stride is 9223372036854775808, outside 1..65536"},
      {[&] { AvgPool2D(0); }, "kernel_size is 0, outside 1..65536"},
  };
  for (const Case& c : cases) {
    const std::string message = construction_error(c.construct);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "expected \"" << c.expected << "\" in: " << message;
  }
  EXPECT_NO_THROW(Conv2D(1, 1, 1, kMaxConvSize, kMaxConvSize));
  EXPECT_NO_THROW(MaxPool2D(2, kMaxConvSize));
}

TEST(Conv2DShapes, SizeArithmeticIsCheckedNotWrappedAround) {
  // Largest sizes each in range, but the weight would hold 2^64 Values: refused, not wrapped to 0.
  const std::string weight =
      construction_error([] { Conv2D(kMaxConvSize, kMaxConvSize, kMaxConvSize); });
  EXPECT_NE(weight.find("[65536, 65536, 65536, 65536]"), std::string::npos) << weight;
  EXPECT_NE(weight.find("more elements than"), std::string::npos) << weight;
  // conv_output_size is public: a stride of 0 or a padding that wraps around is refused there too.
  EXPECT_THROW(conv_output_size("f", 5, 3, 0, 0), std::invalid_argument);
  EXPECT_THROW(conv_output_size("f", 5, 3, 1, std::size_t{1} << 63), std::invalid_argument);
  EXPECT_EQ(conv_output_size("f", 5, 3, 2, 1), 3u) << "(5 + 2 - 3) / 2 + 1";
  // With padding and stride in range, a window far in the padding adds nothing: the bias.
  const Conv2D conv(Tensor::from_data({1, 1, 1, 1}, {2.0}), to_values({0.5}), 3, 2);
  EXPECT_EQ(conv(Tensor::from_data({1, 2, 2}, {1, 2, 3, 4})).data(),
            (std::vector<double>{0.5, 0.5, 0.5, 8.5}))
      << "(2 + 4 - 1) / 3 + 1 = 2 windows a side; only the last reads the image, x[1][1] = 4";
}

TEST(PoolShapes, BadInputs) {
  EXPECT_THROW(MaxPool2D(3).output_shape({1, 2, 5}), std::invalid_argument);
  EXPECT_THROW(AvgPool2D(2).output_shape({4, 4}), std::invalid_argument);
  EXPECT_EQ(MaxPool2D(2).output_shape({3, 5, 7}), (Shape{3, 2, 3})) << "rounded down";
  EXPECT_EQ(MaxPool2D(3, 1).describe(), "MaxPool2D(kernel_size=3, stride=1)");
  EXPECT_EQ(AvgPool2D(2).describe(), "AvgPool2D(kernel_size=2, stride=2)");
  EXPECT_EQ(MaxPool2D(2).parameter_count(), 0u);
}

TEST(Flatten, KeepsTheValuesInOrder) {
  const Tensor input = Tensor::from_data({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const Tensor flat = Flatten()(input);
  EXPECT_EQ(flat.shape(), (Shape{12}));
  for (std::size_t i = 0; i < 12; ++i) EXPECT_TRUE(flat.values()[i].same_node(input.values()[i]));
  EXPECT_EQ(Flatten().describe(), "Flatten()");
}

TEST(Conv2DGradcheck, InputWeightsAndBias) {
  manual_seed(21);
  // 2 input channels of 4x5, 2 output channels, 3x3 kernel, stride 2, padding 1.
  const std::size_t input_size = 2 * 4 * 5, weight_size = 2 * 2 * 3 * 3, bias_size = 2;
  std::vector<double> point;
  for (std::size_t i = 0; i < input_size + weight_size + bias_size; ++i) {
    point.push_back(uniform(-1.0, 1.0));
  }
  const auto f = [&](const std::vector<Value>& v) {
    const auto begin = v.begin();
    const Tensor input({2, 4, 5}, std::vector<Value>(begin, begin + input_size));
    const Tensor weight({2, 2, 3, 3},
                        std::vector<Value>(begin + input_size, begin + input_size + weight_size));
    const Conv2D conv(weight, std::vector<Value>(begin + input_size + weight_size, v.end()), 2, 1);
    const Tensor out = conv(input);
    Value total = 0.0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      total += out.values()[i].tanh() * static_cast<double>(i % 3 + 1);
    }
    return total;
  };
  const GradcheckResult result = gradcheck(f, point);
  EXPECT_TRUE(result.ok()) << result;
}

TEST(PoolGradcheck, AvgAndMaxWithOverlap) {
  manual_seed(22);
  std::vector<double> point;
  for (int i = 0; i < 2 * 5 * 5; ++i) point.push_back(uniform(-1.0, 1.0));
  for (int kind = 0; kind < 2; ++kind) {
    const auto f = [kind](const std::vector<Value>& v) {
      const Tensor input({2, 5, 5}, v);
      const Tensor out = kind == 0 ? AvgPool2D(3, 1)(input) : MaxPool2D(3, 1)(input);
      Value total = 0.0;
      for (std::size_t i = 0; i < out.size(); ++i)
        total += out.values()[i] * (0.5 + 0.1 * static_cast<double>(i));
      return total;
    };
    const GradcheckResult result = gradcheck(f, point);
    EXPECT_TRUE(result.ok()) << (kind == 0 ? "AvgPool2D" : "MaxPool2D") << "\n" << result;
  }
}

// ---- the comparison's own message (not an exercise) --------------------------------------------
// What the checker shows a student is the failure message itself: the first element that differs,
// its value and PyTorch's, the case, and why they should agree.

TEST(ReferenceComparison, NamesTheElementTheCaseAndWhy) {
  const ReferenceCase c = cases_of("conv2d").at(0);
  const test_data::ReferenceTensor& expected = c.tensor("output");
  ASSERT_EQ(expected.shape, (Shape{1, 3, 3}));
  std::vector<double> actual = expected.data;
  EXPECT_TRUE(close_to(kTolerance, "output", c, "why")("out", "ref", actual, expected));
  actual[4] = 0.5;
  actual[5] = 2.0;
  const ::testing::AssertionResult result =
      close_to(kTolerance, "output", c, "why")("out", "ref", actual, expected);
  EXPECT_EQ(std::string(result.message()),
            "output[0][1][1] is 0.5, expected " + messages::number(expected.data[4]) +
                " (2 of 9 numbers differ, tolerance 1e-12; PyTorch's conv2d stride=1 padding=0, "
                "tests/reference/nn_conv.txt:2): why\nalso output[0][1][2] is 2 (expected " +
                messages::number(expected.data[5]) + ")");
  EXPECT_EQ(std::string(close_to(0.0, "input[].grad()", c)("in", "ref", {1.0}, expected).message()),
            "input.grad() holds 1 numbers, expected 9 (PyTorch's conv2d stride=1 padding=0, "
            "tests/reference/nn_conv.txt:2)");
  const test_data::ReferenceTensor scalar{{}, {1.5}};
  EXPECT_EQ(std::string(close_to(0.0, "the loss", c)("in", "ref", {2.0}, scalar).message()),
            "the loss is 2, expected 1.5 (tolerance 0; PyTorch's conv2d stride=1 padding=0, "
            "tests/reference/nn_conv.txt:2)");
  EXPECT_EQ(test_data::element_name("weight[].grad()", test_data::element_index({2, 3, 2, 2}, 23)),
            "weight[1][2][1][1].grad()");
}

}  // namespace
}  // namespace micrograd::nn
