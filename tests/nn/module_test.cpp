// Tests of nn/module.hpp: a user's own model composed of modules, with no other boilerplate than
// listing its children.
#include "nn/module.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "nn/conv.hpp"
#include "nn/mlp.hpp"
#include "nn/optim.hpp"
#include "nn/random.hpp"
#include "nn/sequential.hpp"

namespace micrograd::nn {
namespace {

struct TinyNet : Module {
  Conv2D conv{1, 2, 3};
  Layer head{2 * 2 * 2, 3, Activation::none};
  std::vector<const Module*> children() const override { return {&conv, &head}; }

  std::vector<Value> operator()(const Tensor& image) const {
    return head(Flatten()(conv(image)).values());
  }
};

// Modules three levels deep, some held by a Sequential.
struct NestedNet : Module {
  TinyNet inner;
  Sequential chain{Layer(2, 2), ReLU()};
  std::vector<const Module*> children() const override { return {&inner, &chain}; }
};

TEST(Module, UserModelGetsParametersFromItsChildren) {
  manual_seed(1);
  const TinyNet net;
  EXPECT_EQ(net.parameter_count(), (2 * 1 * 9 + 2) + (8 * 3 + 3));
  const std::vector<Value> params = net.parameters();
  ASSERT_EQ(params.size(), 47u);
  EXPECT_TRUE(params[0].same_node(net.conv.weight().values()[0])) << "children in order";
  EXPECT_TRUE(params[20].same_node(net.head.neurons()[0].weights()[0]));

  const std::vector<NamedTensor> named = net.named_parameters();
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

// Weight tying: one layer listed twice (an encoder reused as its decoder, a block applied twice)
// is one set of parameters, not two.
struct TiedNet : Module {
  Layer layer{2, 2, Activation::tanh};  // 6 parameters
  Layer head{2, 1, Activation::none};   // 3 more
  std::vector<const Module*> children() const override { return {&layer, &head, &layer}; }

  Value operator()(const std::vector<Value>& x) const { return head(layer(layer(x)))[0]; }
};

// The tied net's parameters after one optimizer step on a loss through it: `tied` selects whether
// the optimizer gets net.parameters() or the parameters of each layer once, listed by hand.
template <typename Optimizer, typename Options>
std::vector<double> after_one_step(bool tied, const Options& options) {
  manual_seed(4);
  const TiedNet net;
  std::vector<Value> untied = net.layer.parameters();
  for (const Value& p : net.head.parameters()) untied.push_back(p);
  Optimizer optimizer(tied ? net.parameters() : untied, options);
  const Value loss = net(to_values({0.5, -1.5})).pow(2);
  loss.backward();
  optimizer.step();
  std::vector<double> data;
  for (const Value& p : untied) data.push_back(p.data());
  return data;
}

TEST(Module, TiedWeightsAreListedOnceInFirstSeenOrder) {
  manual_seed(4);
  const TiedNet net;
  EXPECT_EQ(net.parameter_count(), 9u) << "a layer listed twice has its 6 parameters once";
  const std::vector<Value> params = net.parameters();
  std::vector<Value> expected = net.layer.parameters();
  for (const Value& p : net.head.parameters()) expected.push_back(p);
  ASSERT_EQ(params.size(), expected.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    EXPECT_TRUE(params[i].same_node(expected[i])) << "parameter " << i << ": first-seen order";
  }
}

TEST(Module, TiedWeightsAreSteppedOnce) {
  const std::vector<double> sgd_tied = after_one_step<SGD>(true, SGDOptions{.lr = 0.1});
  const std::vector<double> sgd_untied = after_one_step<SGD>(false, SGDOptions{.lr = 0.1});
  EXPECT_EQ(sgd_tied, sgd_untied) << "SGD on net.parameters() moves a tied weight once";
  const std::vector<double> adam_tied = after_one_step<Adam>(true, AdamOptions{.lr = 0.1});
  const std::vector<double> adam_untied = after_one_step<Adam>(false, AdamOptions{.lr = 0.1});
  EXPECT_EQ(adam_tied, adam_untied) << "Adam on net.parameters() moves a tied weight once";
}

TEST(Module, EmptyModule) {
  const Module nothing;
  EXPECT_EQ(nothing.parameter_count(), 0u);
  EXPECT_TRUE(nothing.named_parameters().empty());
  EXPECT_EQ(nothing.describe(), "Module()");
}

TEST(Module, StartsInTrainingModeAsInPyTorch) {
  const Module nothing;
  EXPECT_TRUE(nothing.is_training());
}

TEST(Module, EvalAndTrainReachEveryChildAndGrandchild) {
  manual_seed(4);
  NestedNet net;
  net.eval();
  EXPECT_FALSE(net.is_training());
  EXPECT_FALSE(net.inner.is_training());
  EXPECT_FALSE(net.inner.conv.is_training()) << "eval() must reach a child's children";
  EXPECT_FALSE(net.chain[1].is_training()) << "eval() must reach the modules a Sequential holds";
  EXPECT_TRUE(net.train().is_training());
  EXPECT_TRUE(net.inner.head.is_training());
  EXPECT_TRUE(net.chain[0].is_training());
  net.train(false);
  EXPECT_FALSE(net.chain[0].is_training()) << "train(false) is eval()";
}

TEST(Module, ModeOfOneModuleLeavesItsParentAlone) {
  TinyNet net;
  net.head.eval();
  EXPECT_TRUE(net.is_training());
  EXPECT_TRUE(net.conv.is_training());
  EXPECT_FALSE(net.head.is_training());
}

TEST(Module, ModulesListsParentsFirstInChildrenOrder) {
  manual_seed(5);
  const NestedNet net;
  const std::vector<const Module*> modules = net.modules();
  // Outer, TinyNet (Conv2D, Layer and its 3 neurons), Sequential (Layer and its 2 neurons, ReLU).
  ASSERT_EQ(modules.size(), 12u);
  EXPECT_EQ(modules[0], &net);
  EXPECT_EQ(modules[1], &net.inner);
  EXPECT_EQ(modules[2], &net.inner.conv);
  EXPECT_EQ(modules[3], &net.inner.head);
  EXPECT_EQ(modules[4], &net.inner.head.neurons()[0]) << "a child's children before its sibling";
  EXPECT_EQ(modules[7], &net.chain);
  EXPECT_EQ(modules[8], &net.chain[0]);
  EXPECT_EQ(modules.back(), &net.chain[1]);
}

TEST(Module, SettingsAreCopiedAsAUnitModuleByModule) {
  // Before: DataParallel copied each setting by name, and a setting added to Module had to be
  // added there too; now the settings are one value, and every module gets its own counterpart's.
  manual_seed(6);
  TinyNet model;
  TinyNet replica;
  model.use_fused_ops();
  model.head.eval();  // a child switched on its own
  replica.eval();
  EXPECT_EQ(&replica.copy_settings_from(model), &replica);
  const std::vector<const Module*> models = model.modules();
  const std::vector<const Module*> replicas = replica.modules();
  ASSERT_EQ(models.size(), replicas.size());
  for (std::size_t i = 0; i < models.size(); ++i) {
    EXPECT_EQ(replicas[i]->settings(), models[i]->settings()) << "module " << i;
  }
  EXPECT_TRUE(replica.is_training());
  EXPECT_FALSE(replica.head.is_training());
  EXPECT_TRUE(replica.head.neurons()[0].uses_fused_ops());
  EXPECT_FALSE(replica.head.neurons()[0].is_training()) << "the head's neurons are in eval too";
}

TEST(Module, SettingsAreNotCopiedBetweenDifferentTrees) {
  manual_seed(7);
  MLP model(2, {3, 1});
  MLP other(2, {3, 3, 1});
  EXPECT_FALSE(other.has_same_tree_as(model));
  EXPECT_TRUE(MLP(2, {3, 1}).has_same_tree_as(model));
  try {
    other.copy_settings_from(model);
    FAIL() << "settings copied between different trees";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("different trees of modules"), std::string::npos)
        << error.what();
  }
}

TEST(Module, HasNoBuffersUnlessAChildHasSome) {
  const TinyNet net;
  EXPECT_TRUE(net.named_buffers().empty());
}

}  // namespace
}  // namespace micrograd::nn
