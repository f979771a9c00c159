// Tests of nn/module.hpp: a user's own model composed of modules, with no other boilerplate than
// listing its children.
#include "nn/module.hpp"

#include <gtest/gtest.h>

#include "nn/conv.hpp"
#include "nn/mlp.hpp"
#include "nn/random.hpp"

namespace micrograd::nn {
namespace {

struct TinyNet : Module {
  Conv2D conv{1, 2, 3};
  Layer head{2 * 2 * 2, 3, Activation::none};
  std::vector<const Module*> children() const override { return {&conv, &head}; }

  std::vector<Value> operator()(const Tensor& image) const {
    return head(Flatten()(conv(image)).values);
  }
};

TEST(Module, UserModelGetsParametersFromItsChildren) {
  manual_seed(1);
  const TinyNet net;
  EXPECT_EQ(net.parameter_count(), (2 * 1 * 9 + 2) + (8 * 3 + 3));
  const std::vector<Value> params = net.parameters();
  ASSERT_EQ(params.size(), 47u);
  EXPECT_TRUE(params[0].same_node(net.conv.weight().values[0])) << "children in order";
  EXPECT_TRUE(params[20].same_node(net.head.neurons()[0].weights()[0]));

  const std::vector<ParameterTensor> named = net.named_parameters();
  ASSERT_EQ(named.size(), 4u);
  EXPECT_EQ(named[0].name, "0.weight");
  EXPECT_EQ(named[1].name, "0.bias");
  EXPECT_EQ(named[2].name, "1.weight");
  EXPECT_EQ(named[2].shape, (Shape{3, 8}));
  EXPECT_EQ(net.describe(),
            "Module(Conv2D(1, 2, kernel_size=3, stride=1, padding=0), Layer(8, 3, none))");
}

TEST(Module, CopiesShareParametersLikePythonReferences) {
  manual_seed(2);
  const TinyNet net;
  const TinyNet copy = net;  // children() is computed from `this`: the copy lists its own members
  const std::vector<Value> mine = net.parameters();
  const std::vector<Value> theirs = copy.parameters();
  ASSERT_EQ(mine.size(), theirs.size());
  EXPECT_TRUE(mine[5].same_node(theirs[5]));
  const std::vector<Value> out = net(Tensor::from_data({1, 4, 4}, std::vector<double>(16, 0.5)));
  EXPECT_EQ(out.size(), 3u);
}

TEST(Module, ZeroGradReachesEveryChild) {
  manual_seed(3);
  TinyNet net;
  for (const Value& p : net.parameters()) p.grad() = 1.0;
  net.zero_grad();
  for (const Value& p : net.parameters()) EXPECT_EQ(p.grad(), 0.0);
}

TEST(Module, EmptyModule) {
  const Module nothing;
  EXPECT_EQ(nothing.parameter_count(), 0u);
  EXPECT_TRUE(nothing.named_parameters().empty());
  EXPECT_EQ(nothing.describe(), "Module()");
}

}  // namespace
}  // namespace micrograd::nn
