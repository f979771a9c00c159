// Tests of engine/custom_op.hpp: ops defined outside the library by their forward value and local
// derivatives behave like the built-in ones.
#include "engine/custom_op.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "engine/gradcheck.hpp"
#include "engine/graph.hpp"
#include "engine/modes.hpp"

namespace micrograd {
namespace {

using Values = std::vector<Value>;
using micrograd::testing::message_of;

// The hyperbolic sine: sinh'(x) = cosh(x).
struct Sinh {
  static constexpr const char* name = "sinh";
  static double forward(std::span<const double> x) { return std::sinh(x[0]); }
  static void derivatives(std::span<const double> x, double, std::span<double> local) {
    local[0] = std::cosh(x[0]);
  }
};

// A wrong derivative, as a student might write it: sinh again (the output), not cosh.
struct WrongSinh {
  static constexpr const char* name = "sinh";
  static double forward(std::span<const double> x) { return std::sinh(x[0]); }
  static void derivatives(std::span<const double>, double out, std::span<double> local) {
    local[0] = out;
  }
};

// x*y + z: three inputs.
struct MultiplyAdd {
  static constexpr const char* name = "fma";
  static double forward(std::span<const double> x) { return x[0] * x[1] + x[2]; }
  static void derivatives(std::span<const double> x, double, std::span<double> local) {
    local[0] = x[1];
    local[1] = x[0];
    local[2] = 1.0;
  }
};

// The mean of any number of inputs: more than the eight kept on the stack.
struct Mean {
  static constexpr const char* name = "mean";
  static double forward(std::span<const double> x) {
    double total = 0.0;
    for (const double v : x) total += v;
    return total / static_cast<double>(x.size());
  }
  static void derivatives(std::span<const double> x, double, std::span<double> local) {
    for (double& d : local) d = 1.0 / static_cast<double>(x.size());
  }
};

// e^x, with its derivative written with the output.
struct Exp {
  static constexpr const char* name = "my_exp";
  static double forward(std::span<const double> x) { return std::exp(x[0]); }
  static void derivatives(std::span<const double>, double out, std::span<double> local) {
    local[0] = out;
  }
};

TEST(CustomOp, ForwardValueNameAndParents) {
  const Value x = 0.5;
  const Value y = apply_op<Sinh>(x);
  EXPECT_DOUBLE_EQ(y.data(), std::sinh(0.5));
  EXPECT_EQ(y.op(), "sinh");
  ASSERT_EQ(y.parents().size(), 1u);
  EXPECT_TRUE(y.parents()[0].same_node(x));
}

TEST(CustomOp, BackwardAppliesTheChainRule) {
  Value x = 2.0, y = 3.0, z = 1.0;
  const Value out = apply_op<MultiplyAdd>(x, y, z) * 2.0;
  out.backward();
  EXPECT_EQ(x.grad(), 6.0) << "d/dx (x y + z) = y, times 2";
  EXPECT_EQ(y.grad(), 4.0);
  EXPECT_EQ(z.grad(), 2.0);
}

TEST(CustomOp, ManyInputsFromAVector) {
  Values inputs;
  for (int i = 0; i < 20; ++i) inputs.emplace_back(static_cast<double>(i));
  const Value mean = apply_op<Mean>(inputs);
  EXPECT_DOUBLE_EQ(mean.data(), 9.5);
  mean.backward();
  for (const Value& input : inputs) EXPECT_DOUBLE_EQ(input.grad(), 1.0 / 20.0);
}

TEST(CustomOp, GradcheckPassesARightDerivativeAndCatchesAWrongOne) {
  const auto right = [](const Values& x) { return apply_op<Sinh>(x[0] * x[1]); };
  const auto wrong = [](const Values& x) { return apply_op<WrongSinh>(x[0] * x[1]); };
  EXPECT_TRUE(gradcheck(right, {0.7, -1.3}).ok());
  const GradcheckResult result = gradcheck(wrong, {0.7, -1.3});
  EXPECT_FALSE(result.ok()) << result;
}

TEST(CustomOp, NoGradModeRecordsNothing) {
  const Value x = 1.0;
  NoGradGuard no_grad;
  const Value y = apply_op<Sinh>(x);
  EXPECT_TRUE(y.is_leaf());
  EXPECT_DOUBLE_EQ(y.data(), std::sinh(1.0));
}

TEST(CustomOp, AnomalyModeNamesTheOp) {
  const Value x = 1000.0;
  AnomalyGuard anomaly;
  const std::string message = message_of<std::domain_error>([&] { (void)apply_op<Exp>(x); });
  EXPECT_NE(message.find("op \"my_exp\" produced inf"), std::string::npos) << message;
}

TEST(CustomOp, LeavesNoCycle) {
  std::weak_ptr<Node> output;
  const Value x = 0.25;
  {
    const Value y = apply_op<Sinh>(x);
    y.backward();
    output = y.node_ptr();
  }
  EXPECT_TRUE(output.expired()) << "the op's node must be freed with its last handle";
  EXPECT_EQ(x.node_ptr().use_count(), 1) << "and release its input";
}

// An op defined inside the function that uses it: a local class may have no static data member, so
// its name is a static function.
Value cube(const Value& x) {
  struct Cube {
    static const char* name() { return "cube"; }
    static double forward(std::span<const double> v) { return v[0] * v[0] * v[0]; }
    static void derivatives(std::span<const double> v, double, std::span<double> local) {
      local[0] = 3.0 * v[0] * v[0];
    }
  };
  return apply_op<Cube>(x);
}

TEST(CustomOp, AnOpDefinedInsideAFunctionNamesItselfWithAStaticFunction) {
  const Value x = 2.0;
  const Value y = cube(x);
  EXPECT_EQ(y.data(), 8.0);
  EXPECT_EQ(y.op(), "cube");
  y.backward();
  EXPECT_EQ(x.grad(), 12.0) << "d(x^3)/dx = 3x^2";
}

TEST(CustomOp, NoInputsIsAClearError) {
  const std::string message =
      message_of<std::invalid_argument>([] { (void)apply_op<Mean>(std::span<const Value>{}); });
  EXPECT_NE(message.find("op \"mean\" was given no inputs"), std::string::npos) << message;
}

}  // namespace
}  // namespace micrograd
