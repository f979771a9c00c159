// Tests of the fused form (Module::use_fused_ops, nn/module.hpp): Neuron, Layer, MLP and Conv2D
// computing with dot() (engine/many_inputs.hpp) give the op-for-op graph's numbers to the last bit,
// forward and backward, with far fewer nodes; the setting reaches every child and is off by
// default, so what the course draws and grades stays op for op.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "engine/graph.hpp"
#include "engine/modes.hpp"
#include "engine/tape.hpp"
#include "nn/activation.hpp"
#include "nn/conv.hpp"
#include "nn/mlp.hpp"
#include "nn/random.hpp"
#include "nn/sequential.hpp"

namespace micrograd::nn {
namespace {

// What one forward and backward pass leaves behind: the outputs' data, the gradient of every
// parameter and of every input, and how many op nodes the graph had.
struct Pass {
  std::vector<double> outputs;
  std::vector<double> parameter_grads;
  std::vector<double> input_grads;
  std::size_t ops = 0;  // nodes made by ops: the graph's nodes less its leaves
};

// Draws `count` inputs in [-1, 1) from the current seed.
std::vector<Value> random_inputs(std::size_t count) {
  std::vector<Value> inputs;
  for (std::size_t i = 0; i < count; ++i) inputs.emplace_back(uniform(-1.0, 1.0));
  return inputs;
}

// A scalar that depends on every output differently (sum of out_i * (i + 1)), so that a gradient
// routed to the wrong output shows; then backward() from it.
Pass run(const TensorModule& model, const Tensor& input) {
  const std::vector<Value> parameters = model.parameters();
  for (const Value& p : parameters) p.grad() = 0.0;
  for (const Value& x : input.values()) x.grad() = 0.0;
  const Tensor output = model(input);
  Value loss = 0.0;
  for (std::size_t i = 0; i < output.size(); ++i) {
    loss = loss + output.values()[i] * static_cast<double>(i + 1);
  }
  loss.backward();
  Pass pass;
  for (const Value& y : output.values()) pass.outputs.push_back(y.data());
  for (const Value& p : parameters) pass.parameter_grads.push_back(p.grad());
  for (const Value& x : input.values()) pass.input_grads.push_back(x.grad());
  const GraphStats stats = graph_stats(loss);
  pass.ops = stats.node_count - stats.leaf_count;
  return pass;
}

// Runs `model` op for op and then fused on the same input and expects the same doubles, bit for
// bit (EXPECT_EQ, no tolerance: the additions happen in the same order), and `fewer_by` times
// fewer op nodes at least.
void expect_fused_matches_op_for_op(TensorModule& model, const Tensor& input, double fewer_by) {
  ASSERT_FALSE(model.uses_fused_ops());
  const Pass op_for_op = run(model, input);
  model.use_fused_ops();
  const Pass fused = run(model, input);
  model.use_fused_ops(false);
  EXPECT_EQ(fused.outputs, op_for_op.outputs) << model.describe() << ": forward differs";
  EXPECT_EQ(fused.parameter_grads, op_for_op.parameter_grads)
      << model.describe() << ": gradients of the parameters differ";
  EXPECT_EQ(fused.input_grads, op_for_op.input_grads)
      << model.describe() << ": gradients of the inputs differ";
  EXPECT_GE(static_cast<double>(op_for_op.ops), fewer_by * static_cast<double>(fused.ops))
      << model.describe() << ": " << op_for_op.ops << " op nodes op for op, " << fused.ops
      << " fused";
}

Tensor random_image(const Shape& shape) {
  return Tensor(shape, random_inputs(element_count(shape)));
}

TEST(FusedOps, OffByDefaultSoTheCourseSeesTheOpForOpGraph) {
  EXPECT_FALSE(Module().uses_fused_ops());
  EXPECT_FALSE(Neuron(3).uses_fused_ops());
  EXPECT_FALSE(MLP(2, {4, 1}).uses_fused_ops());
  EXPECT_FALSE(Conv2D(1, 2, 3).uses_fused_ops());
  // Op for op by default: a neuron is one "*" and one "+" per input, and no "dot".
  manual_seed(3);
  const Neuron neuron(4);
  const GraphStats stats = graph_stats(neuron(random_inputs(4)));
  EXPECT_EQ(stats.op_counts.count("dot"), 0u);
  EXPECT_EQ(stats.op_counts.at("*"), 4u);
}

TEST(FusedOps, ReachesEveryChildAndGrandchild) {
  manual_seed(4);
  Sequential net(Conv2D(1, 2, 3), Tanh(), Flatten(), MLP(2 * 3 * 3, {4, 1}));
  EXPECT_TRUE(net.use_fused_ops().uses_fused_ops()) << "use_fused_ops() returns *this, turned on";
  const auto& conv = dynamic_cast<const Conv2D&>(net[0]);
  const auto& mlp = dynamic_cast<const MLP&>(net[3]);
  EXPECT_TRUE(conv.uses_fused_ops());
  EXPECT_TRUE(mlp.uses_fused_ops());
  EXPECT_TRUE(mlp.layers()[1].uses_fused_ops()) << "it must reach the layers of an MLP";
  EXPECT_TRUE(mlp.layers()[0].neurons()[2].uses_fused_ops()) << "and the neurons of a layer";
  net.use_fused_ops(false);
  EXPECT_FALSE(mlp.layers()[0].neurons()[2].uses_fused_ops()) << "use_fused_ops(false) turns off";
  EXPECT_FALSE(conv.uses_fused_ops());
}

TEST(FusedOps, IsNotPartOfTheParametersOrTheModelsDescription) {
  manual_seed(5);
  MLP mlp(3, {4, 2});
  const std::vector<Value> before = mlp.parameters();
  const std::size_t buffers = mlp.named_buffers().size();
  const std::string description = mlp.describe();
  mlp.use_fused_ops();
  EXPECT_EQ(mlp.describe(), description);
  EXPECT_EQ(mlp.named_buffers().size(), buffers);
  const std::vector<Value> after = mlp.parameters();
  ASSERT_EQ(after.size(), before.size()) << "listing a layer's neurons as children must not count "
                                            "their parameters twice";
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(&after[i].node(), &before[i].node());
}

TEST(FusedOps, NeuronIsOneDotNodeWithTheSameNumbers) {
  manual_seed(6);
  Neuron neuron(5, Activation::tanh);
  const std::vector<Value> x = random_inputs(5);
  const double op_for_op = neuron(x).data();
  neuron.use_fused_ops();
  const Value fused = neuron(x);
  EXPECT_EQ(fused.data(), op_for_op);
  const GraphStats stats = graph_stats(fused);
  EXPECT_EQ(stats.op_counts.at("dot"), 1u);
  EXPECT_EQ(stats.op_counts.count("*"), 0u);
  EXPECT_EQ(stats.op_counts.at("tanh"), 1u);
}

TEST(FusedOps, MLPGivesBitIdenticalOutputsAndGradients) {
  manual_seed(7);
  MLP mlp(3, {16, 16, 2});
  // Op for op a neuron of n inputs is 2n + 1 nodes (with its activation); fused it is two.
  expect_fused_matches_op_for_op(mlp, Tensor(random_inputs(3)), 8.0);
}

TEST(FusedOps, Conv2DWithStrideAndPaddingGivesBitIdenticalOutputsAndGradients) {
  manual_seed(8);
  // Padding 3 around a 3x3 kernel makes windows of nothing but padding: their output is the bias.
  for (const auto& [stride, padding] :
       {std::pair<std::size_t, std::size_t>{1, 0}, {2, 1}, {1, 2}, {3, 2}, {2, 3}}) {
    Conv2D conv(2, 3, 3, stride, padding, Init::uniform);
    SCOPED_TRACE(conv.describe());
    expect_fused_matches_op_for_op(conv, random_image({2, 7, 6}), 3.0);
  }
}

TEST(FusedOps, Conv2DReadsItsPairsFromForwardWhateverTheThreadIsRecording) {
  // The fused Conv2D learns each output's (weight, input) pairs from the op-for-op forward (the
  // course's exercise 8.1), once per input shape: that reading must work, and build a graph,
  // whether the first fused forward of a shape runs under no_grad or on a tape.
  manual_seed(10);
  Conv2D conv(2, 3, 3, 2, 1, Init::uniform);
  conv.use_fused_ops();
  const Tensor small = random_image({2, 6, 5});
  const Tensor large = random_image({2, 7, 7});
  {
    const NoGradGuard no_grad;
    conv.forward(small);
  }
  {
    const TapeGuard tape;
    conv.forward(large);
  }
  for (const Tensor* image : {&small, &large}) {
    const Tensor out = conv.forward(*image);
    for (const Value& element : out.values()) {
      EXPECT_EQ(element.op(), "dot") << "each output of the fused Conv2D is one dot node, for the "
                                        "input of shape "
                                     << shape_string(image->shape());
    }
  }
}

TEST(FusedOps, SequentialOfConvAndLayersGivesBitIdenticalOutputsAndGradients) {
  manual_seed(9);
  Sequential net(Conv2D(1, 4, 3, 2, 1), ReLU(), Conv2D(4, 2, 3, 1, 1), Tanh(), Flatten(),
                 MLP(2 * 4 * 4, {8, 3}));
  expect_fused_matches_op_for_op(net, random_image({1, 8, 8}), 3.0);
}

}  // namespace
}  // namespace micrograd::nn
