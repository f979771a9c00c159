// Tests of nn/nn.hpp and the umbrella micrograd.hpp: everything is reachable from one include, and
// the pieces work together. Also pins the graph size of an MNIST-sized step: the scalar engine's
// speed is its node count, and a change that adds nodes to every multiply-add would make MNIST
// training much slower.
#include "micrograd.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace micrograd::nn {
namespace {

TEST(Umbrella, TrainsAConvNetForAFewSteps) {
  manual_seed(2024);
  Sequential net(Conv2D(1, 3, 3), ReLU(), MaxPool2D(2), Flatten(),
                 Layer(3 * 3 * 3, 2, Activation::none, Init::xavier_uniform));
  Adam adam(net.parameters(), {.lr = 0.02});
  // Two 8x8 images: a bright left half (class 0) and a bright right half (class 1).
  std::vector<double> left(64, 0.0), right(64, 0.0);
  for (std::size_t i = 0; i < 64; ++i) (i % 8 < 4 ? left : right)[i] = 1.0;
  const std::vector<Tensor> images = {Tensor::from_data({1, 8, 8}, left),
                                      Tensor::from_data({1, 8, 8}, right)};
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 30; ++step) {
    std::vector<std::vector<Value>> logits;
    for (const Tensor& image : images) logits.push_back(net(image).values());
    const Value loss = cross_entropy(logits, {0, 1}) + l2_penalty(net.parameters(), 1e-4);
    (step == 0 ? first : last) = loss.data();
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  EXPECT_LT(last, first / 4) << "the loss should fall on two separable images";
}

TEST(Umbrella, MnistSizedStepHasMicrogradsNodeCount) {
  manual_seed(1);
  const MLP mlp(784, {32, 10});
  std::vector<double> pixels(784);
  for (double& p : pixels) p = uniform(0.0, 1.0);
  const Value loss = cross_entropy(mlp(to_values(pixels)), 3);
  const GraphStats stats = graph_stats(loss);
  // Per neuron: nin "*" and nin "+" (micrograd's b + sum w*x), then one relu on the hidden layer.
  const std::size_t forward = 32 * (784 * 2 + 1) + 10 * (32 * 2);
  // Cross-entropy over 10 logits: 10 "-" (z - max), 10 exp, 9 "+", log, "+ max", "- z_label".
  const std::size_t loss_ops = 10 + 10 + 9 + 1 + 1 + 1;
  EXPECT_EQ(stats.node_count - stats.leaf_count, forward + loss_ops)
      << "op nodes of one MNIST sample through MLP(784, [32, 10]) and its loss";
  EXPECT_EQ(stats.leaf_count, 784 + (784 + 1) * 32 + (32 + 1) * 10 + 11)
      << "pixels, parameters, and 11 constants of the loss";
}

}  // namespace
}  // namespace micrograd::nn
