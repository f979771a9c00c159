// Tests of engine/many_inputs.hpp: sum (exercise 9.1) and dot (exercise 9.2) against the op-for-op
// graphs they replace. The numbers must be equal to the last bit, forward and backward: that is
// what lets Neuron and Conv2D switch to dot without changing a single printed digit.
#include "engine/many_inputs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <iomanip>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "common/errors.hpp"
#include "engine/gradcheck.hpp"
#include "engine/graph.hpp"

namespace micrograd {
namespace {

using Values = std::vector<Value>;
using micrograd::testing::message_of;

// Numbers of many magnitudes, so that adding them in another order changes the last bits.
std::vector<double> random_numbers(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<double> numbers;
  for (std::size_t i = 0; i < count; ++i) {
    const double scale = std::pow(10.0, base::uniform(generator, -3.0, 3.0));
    numbers.push_back(scale * base::uniform(generator, -1.0, 1.0));
  }
  return numbers;
}

Values leaves(const std::vector<double>& numbers) {
  return Values(numbers.begin(), numbers.end());
}

// Expects every grad of `actual` to equal that of `expected` exactly.
void expect_same_grads(const Values& actual, const Values& expected, const std::string& what,
                       const std::string& hint) {
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].grad(), expected[i].grad())
        << what << " " << i << "'s grad is " << actual[i].grad() << ", expected "
        << expected[i].grad() << " (the op-for-op graph's): " << hint;
  }
}

// ---- Exercise 9.1: sum --------------------------------------------------------------------------

TEST(Ex9_1_Sum, OneNodeWithEveryValueAsAParent) {
  const Values values = {1.5, -2.0, 4.25};
  const Value total = sum(values);
  EXPECT_EQ(total.data(), 3.75) << "sum(1.5, -2, 4.25)";
  EXPECT_EQ(total.op(), "sum") << "the op's name";
  const Values parents = total.is_leaf() ? Values{} : total.parents();
  ASSERT_EQ(parents.size(), 3u) << "sum(a, b, c) has the three values as parents, in order";
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(parents[i].same_node(values[i]))
        << "parent " << i << " is not value " << i << ": pass the values themselves to from_op";
  }
}

TEST(Ex9_1_Sum, SameNumbersAsTheChainOfAdditions) {
  const std::vector<double> numbers = random_numbers(40, 91);
  const Values fused = leaves(numbers), chained = leaves(numbers);
  Value chain = chained[0];
  for (std::size_t i = 1; i < chained.size(); ++i) chain = chain + chained[i];
  const Value total = sum(fused);
  EXPECT_EQ(total.data(), chain.data())
      << std::setprecision(17) << total.data() << " vs " << chain.data()
      << ": sum(values) differs from values[0] + values[1] + ... in the last bits: add left to "
         "right, starting from values[0]";
  (total * 3.0).backward();
  (chain * 3.0).backward();
  expect_same_grads(fused, chained, "value",
                    "each input gets d(sum)/dv = 1 times out.grad (here 3), for every input");
}

TEST(Ex9_1_Sum, AValueListedTwiceGetsItsShareTwice) {
  Value a = 2.0, b = 5.0;
  const Value total = sum(Values{a, b, a});
  EXPECT_EQ(total.data(), 9.0);
  total.backward();
  EXPECT_EQ(a.grad(), 2.0) << "a is listed twice: += adds its share twice, = keeps only one";
  EXPECT_EQ(b.grad(), 1.0);
}

TEST(Ex9_1_Sum, Gradcheck) {
  const auto f = [](const Values& x) { return sum(Values{x[0] * x[1], x[2], x[0]}).tanh(); };
  const GradcheckResult result = gradcheck(f, {0.3, -0.7, 0.2});
  EXPECT_TRUE(result.ok()) << result;
}

// ---- Exercise 9.2: dot --------------------------------------------------------------------------

TEST(Ex9_2_Dot, OneNodeWithWeightsInputsAndBiasAsParents) {
  const Values w = {2.0, -1.0}, x = {3.0, 4.0};
  const Value b = 0.5;
  const Value out = dot(w, x, b);
  EXPECT_EQ(out.data(), 0.5 + 6.0 - 4.0) << "dot({2, -1}, {3, 4}, 0.5)";
  EXPECT_EQ(out.op(), "dot") << "the op's name";
  const Values expected = {w[0], x[0], w[1], x[1], b};
  const Values parents = out.is_leaf() ? Values{} : out.parents();
  ASSERT_EQ(parents.size(), expected.size()) << "parents w0, x0, w1, x1, bias";
  const char* names[] = {"w0", "x0", "w1", "x1", "bias"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(parents[i].same_node(expected[i]))
        << "parent " << i << " is not " << names[i] << ": the parents are w0, x0, w1, x1, bias";
  }
}

// Neuron's forward op for op (exercise 5.1): bias + w0*x0 + w1*x1 + ...
Value neuron_op_for_op(const Values& w, const Values& x, const Value& bias) {
  Value total = bias;
  for (std::size_t i = 0; i < w.size(); ++i) total += w[i] * x[i];
  return total;
}

TEST(Ex9_2_Dot, SameNumbersAsTheNeuronsOpForOpGraph) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const std::vector<double> numbers = random_numbers(33, seed);
    const std::vector<double> w(numbers.begin(), numbers.begin() + 16);
    const std::vector<double> x(numbers.begin() + 16, numbers.begin() + 32);
    const Values fused_w = leaves(w), fused_x = leaves(x), graph_w = leaves(w), graph_x = leaves(x);
    const Value fused_bias = numbers[32], graph_bias = numbers[32];
    const Value fused = dot(fused_w, fused_x, fused_bias);
    const Value graph = neuron_op_for_op(graph_w, graph_x, graph_bias);
    ASSERT_EQ(fused.data(), graph.data())
        << std::setprecision(17) << fused.data() << " vs " << graph.data()
        << ": dot differs from bias + w0*x0 + w1*x1 + ... in the last bits: start from the bias "
           "and add each product in turn, in that order";
    fused.tanh().backward();
    graph.tanh().backward();
    expect_same_grads(fused_w, graph_w, "weight", "d/dw_i = x_i times out.grad");
    expect_same_grads(fused_x, graph_x, "input", "d/dx_i = w_i times out.grad");
    EXPECT_EQ(fused_bias.grad(), graph_bias.grad())
        << "the bias's grad is " << fused_bias.grad() << ", expected " << graph_bias.grad()
        << ": d/dbias = 1, times out.grad; the bias is the last parent";
  }
}

TEST(Ex9_2_Dot, WithoutABiasAddsToZero) {
  const Values w = {0.1, 0.2, 0.3}, x = {0.4, 0.5, 0.6};
  EXPECT_EQ(dot(w, x).data(), neuron_op_for_op(w, x, 0.0).data());
}

TEST(Ex9_2_Dot, AValueThatIsWeightAndInputGetsBothShares) {
  Value a = 3.0, b = 1.0;
  const Value square = dot(Values{a}, Values{a}, b);  // a*a + b
  EXPECT_EQ(square.data(), 10.0);
  square.backward();
  EXPECT_EQ(a.grad(), 6.0) << "d(a*a)/da = 2a: a gets a share as weight and as input (+=)";
  EXPECT_EQ(b.grad(), 1.0) << "d/dbias = 1";
}

TEST(Ex9_2_Dot, Gradcheck) {
  const auto f = [](const Values& v) {
    return dot(Values{v[0], v[1], v[2]}, Values{v[3], v[4], v[0]}, v[5]).tanh();
  };
  const GradcheckResult result = gradcheck(f, {0.3, -0.7, 0.2, 0.5, -0.4, 0.1});
  EXPECT_TRUE(result.ok()) << result;
}

// ---- What sum and dot do before the exercises' code (no exercise: they pass with the stubs) -----

TEST(SumAndDotChecks, SumOfNoValuesIsZero) {
  EXPECT_EQ(sum(Values{}).data(), 0.0);
}

TEST(SumAndDotChecks, DotOfMismatchedSizesIsAClearError) {
  const std::string message = message_of<std::invalid_argument>([] {
    (void)dot(Values{1.0, 2.0}, Values{1.0});
  });
  EXPECT_NE(message.find("2 weights and 1 inputs"), std::string::npos) << message;
  EXPECT_THROW((void)dot(Values{}, Values{}), std::invalid_argument);
}

}  // namespace
}  // namespace micrograd
