// Tests of nn/optim.hpp: zero_grad, SGD and Adam, by hand, against torch.optim trajectories
// (tests/reference/nn_optim.txt, made by nn_optim_reference.py), and micrograd's demo reproduced.
//
// Suites named Ex7_N_... grade exercise 7.N; they use chapters 1-6 and no later exercise
// (7.2 and 7.3 use zero_grad, 7.1).
#include "nn/optim.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>

#include "nn/loss.hpp"
#include "nn/mlp.hpp"
#include "nn/random.hpp"
#include "nn/schedule.hpp"
#include "nn/tensor.hpp"
#include "reference_file.hpp"

namespace micrograd::nn {
namespace {

using test_data::close_to;
using test_data::read_reference_cases;
using test_data::ReferenceCase;

std::vector<double> data_of(const std::vector<Value>& values) {
  std::vector<double> result;
  for (const Value& value : values) result.push_back(value.data());
  return result;
}

std::vector<ReferenceCase> cases_of(const std::string& kind) {
  std::vector<ReferenceCase> result;
  for (ReferenceCase& c : read_reference_cases("nn_optim.txt")) {
    if (c.kind == kind) result.push_back(std::move(c));
  }
  return result;
}

// Replays a torch trajectory: the same gradients and learning rates, step by step.
void expect_trajectory(const ReferenceCase& c, Optimizer& optimizer,
                       const std::vector<Value>& params, const std::string& hint) {
  for (std::size_t k = 0; c.tensors.contains("grad_" + std::to_string(k)); ++k) {
    const std::string step = std::to_string(k);
    const std::vector<double>& g = c.tensor("grad_" + step).data;
    for (std::size_t i = 0; i < params.size(); ++i) params[i].grad() = g[i];
    optimizer.set_learning_rate(c.tensor("lr_" + step).data[0]);
    optimizer.step();
    ASSERT_PRED_FORMAT2(close_to(1e-12, "parameter[].data() after step " + step, c, hint),
                        data_of(params), c.tensor("after_" + step));
  }
}

// ---- 7.1 zero_grad ------------------------------------------------------------------------------

TEST(Ex7_1_ZeroGrad, ClearsEveryGrad) {
  const std::vector<Value> params = to_values({1.0, 2.0, 3.0});
  for (const Value& p : params) p.grad() = 5.0;
  zero_grad(params);
  for (std::size_t i = 0; i < params.size(); ++i) {
    EXPECT_EQ(params[i].grad(), 0.0) << "parameter " << i << "'s grad should be 0 after zero_grad";
  }
}

TEST(Ex7_1_ZeroGrad, ForgettingItAddsUpOldGradients) {
  // Two training steps' backward passes. Without zero_grad between them, the second gradient is
  // the sum of both: the optimizer would step with a stale, doubled gradient.
  manual_seed(1);
  MLP mlp(2, {3, 1});
  const std::vector<Value> x = to_values({0.5, -1.0});
  const auto loss = [&] { return mse_loss(mlp(x), {1.0}); };
  loss().backward();
  const std::vector<double> first = [&] {
    std::vector<double> g;
    for (const Value& p : mlp.parameters()) g.push_back(p.grad());
    return g;
  }();
  mlp.zero_grad();
  loss().backward();
  const std::vector<Value> params = mlp.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    EXPECT_EQ(params[i].grad(), first[i])
        << "parameter " << i << ": after zero_grad and a second backward, the grad should be "
        << first[i] << " again, got " << params[i].grad()
        << (params[i].grad() == 2 * first[i] ? " (twice it: zero_grad did not clear the grads)"
                                             : "");
  }
}

TEST(Ex7_1_ZeroGrad, OptimizerZeroGradClearsItsParameters) {
  const std::vector<Value> params = to_values({1.0, 2.0});
  for (const Value& p : params) p.grad() = -3.0;
  const SGD sgd(params, {.lr = 0.1});
  sgd.zero_grad();
  EXPECT_EQ(params[0].grad(), 0.0);
  EXPECT_EQ(params[1].grad(), 0.0);
}

// ---- 7.2 SGD step -------------------------------------------------------------------------------

TEST(Ex7_2_SgdStep, PlainStepByHand) {
  const std::vector<Value> params = to_values({1.0, -2.0});
  params[0].grad() = 0.5;
  params[1].grad() = -1.0;
  SGD sgd(params, {.lr = 0.1});
  sgd.step();
  EXPECT_DOUBLE_EQ(params[0].data(), 0.95) << "p -= lr * grad: 1 - 0.1 * 0.5";
  EXPECT_DOUBLE_EQ(params[1].data(), -1.9) << "-2 - 0.1 * (-1): against the gradient";
  EXPECT_EQ(params[0].grad(), 0.5) << "step() must not change the gradients";
}

TEST(Ex7_2_SgdStep, MomentumByHand) {
  const std::vector<Value> params = to_values({0.0});
  SGD sgd(params, {.lr = 1.0, .momentum = 0.5});
  params[0].grad() = 1.0;
  sgd.step();  // v = 1
  EXPECT_DOUBLE_EQ(params[0].data(), -1.0) << "first step: v = g = 1, p = 0 - 1";
  sgd.step();  // v = 0.5 * 1 + 1 = 1.5
  EXPECT_DOUBLE_EQ(params[0].data(), -2.5)
      << "second step: v = 0.5 * 1 + 1 = 1.5. Got -2? The velocity must persist between steps "
         "(velocity_[i], not a local variable)";
}

TEST(Ex7_2_SgdStep, WeightDecayAndChangingLearningRate) {
  const std::vector<Value> params = to_values({2.0});
  SGD sgd(params, {.lr = 0.1, .weight_decay = 0.5});
  params[0].grad() = 0.0;
  sgd.step();
  EXPECT_DOUBLE_EQ(params[0].data(), 1.9) << "g = grad + weight_decay * p = 0 + 0.5 * 2";
  sgd.set_learning_rate(1.0);
  sgd.step();
  EXPECT_DOUBLE_EQ(params[0].data(), 0.95)
      << "after set_learning_rate(1.0): use learning_rate_, not options_.lr";
}

TEST(Ex7_2_SgdStep, MatchesTorchOptimSGD) {
  const std::vector<ReferenceCase> cases = cases_of("sgd");
  ASSERT_GE(cases.size(), 4u);
  for (const ReferenceCase& c : cases) {
    const std::vector<Value> params = to_values(c.tensor("initial").data);
    SGD sgd(
        params,
        {.lr = 0.1, .momentum = c.number("momentum"), .weight_decay = c.number("weight_decay")});
    expect_trajectory(c, sgd, params,
                      "g = grad + weight_decay * p; v = momentum * v + g; p -= lr * v");
  }
}

// micrograd's demo.ipynb, step for step: MLP(2, [16, 16, 1]) with the notebook's initial weights,
// the SVM max-margin loss plus 1e-4 * sum(p^2), full batch, lr = 1.0 - 0.9 * k / 100.
std::vector<double> read_numbers(const std::string& name) {
  std::ifstream in(std::string(MICROGRAD_TEST_DATA_DIR) + "/" + name);
  std::vector<double> numbers;
  for (double x; in >> x;) numbers.push_back(x);
  return numbers;
}

TEST(Ex7_2_SgdStep, ReproducesMicrogradsDemo) {
  const std::vector<double> weights = read_numbers("micrograd_demo_init_weights.txt");
  const std::vector<double> moons = read_numbers("micrograd_demo_moons.txt");
  ASSERT_EQ(weights.size(), 337u) << "tests/reference/micrograd_demo_init_weights.txt is damaged";
  ASSERT_EQ(moons.size(), 300u) << "tests/reference/micrograd_demo_moons.txt is damaged";

  MLP model(2, {16, 16, 1});
  const std::vector<Value> params = model.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].data() = weights[i];
  std::vector<std::vector<Value>> inputs;
  std::vector<double> labels;
  for (std::size_t i = 0; i < 100; ++i) {
    inputs.push_back(to_values({moons[3 * i], moons[3 * i + 1]}));
    labels.push_back(moons[3 * i + 2]);
  }

  SGD sgd(params, {.lr = 1.0});
  const LinearDecay schedule(1.0, 0.1, 100);
  std::vector<double> losses;
  double accuracy = 0.0;
  for (std::size_t k = 0; k < 100; ++k) {
    std::vector<Value> scores;
    scores.reserve(inputs.size());
    for (const auto& x : inputs) scores.push_back(model(x)[0]);
    const Value loss = hinge_loss(scores, labels) + l2_penalty(params, 1e-4);
    int correct = 0;
    for (std::size_t i = 0; i < scores.size(); ++i)
      correct += (scores[i].data() > 0) == (labels[i] > 0);
    accuracy = correct / 100.0;
    losses.push_back(loss.data());

    sgd.zero_grad();
    loss.backward();
    sgd.set_learning_rate(schedule(k));
    sgd.step();
  }
  const char* hint = "micrograd's loop: zero_grad, backward, then p.data -= lr * p.grad";
  EXPECT_NEAR(losses[0], 0.895844, 1e-6) << "step 0 (before any update): the forward pass";
  EXPECT_NEAR(losses[1], 1.723591, 1e-6) << "step 1: the first SGD step. " << hint;
  EXPECT_NEAR(losses[50], 0.098751, 1e-6) << hint;
  EXPECT_NEAR(losses[99], 0.010978, 1e-6)
      << hint
      << ". A loss that is right at step 1 and wrong later usually means the gradients "
         "were not zeroed between steps";
  EXPECT_EQ(accuracy, 1.0) << "micrograd reaches 100% accuracy on the moons";
}

// ---- 7.3 Adam step ------------------------------------------------------------------------------

TEST(Ex7_3_AdamStep, FirstStepMovesByAboutTheLearningRate) {
  // At t = 1, m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps): about lr * sign(g),
  // whatever the size of g. That is Adam's point.
  const std::vector<Value> params = to_values({1.0, 1.0, 1.0});
  params[0].grad() = 1000.0;
  params[1].grad() = -0.001;
  params[2].grad() = 0.0;
  Adam adam(params, {.lr = 0.1});
  adam.step();
  EXPECT_NEAR(params[0].data(), 0.9, 1e-9)
      << "t = 1: m_hat = g, v_hat = g^2, step = lr * g / (|g| + eps) ~ 0.1. Without the bias "
         "correction (dividing by 1 - beta^t) the step would be wrong by a factor of ~3";
  EXPECT_NEAR(params[1].data(), 1.1, 1e-5)
      << "a gradient of -0.001 moves the parameter by about lr = 0.1 too: eps goes outside the "
         "square root, lr * m_hat / (sqrt(v_hat) + eps)";
  EXPECT_EQ(params[2].data(), 1.0) << "a zero gradient does not move the parameter (eps > 0)";
  EXPECT_EQ(adam.step_count(), 1u) << "count the step before the bias correction: t starts at 1";
}

TEST(Ex7_3_AdamStep, MatchesTorchOptimAdam) {
  const std::vector<ReferenceCase> cases = cases_of("adam");
  ASSERT_GE(cases.size(), 3u);
  for (const ReferenceCase& c : cases) {
    const std::vector<Value> params = to_values(c.tensor("initial").data);
    Adam adam(params, {.beta1 = c.number("beta1"),
                       .beta2 = c.number("beta2"),
                       .eps = c.number("eps"),
                       .weight_decay = c.number("weight_decay")});
    expect_trajectory(c, adam, params,
                      "g = grad + weight_decay * p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; "
                      "p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)");
  }
}

TEST(Ex7_3_AdamStep, TrainsAClassifier) {
  manual_seed(3);
  MLP model(2, {8, 2});
  Adam adam(model.parameters(), {.lr = 0.05});
  const std::vector<std::vector<double>> points = {{1, 1}, {-1, -1}, {1, -1}, {-1, 1}};
  const std::vector<std::size_t> classes = {0, 0, 1, 1};  // xor: needs the hidden layer
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 150; ++step) {
    std::vector<std::vector<Value>> logits;
    for (const auto& p : points) logits.push_back(model(to_values(p)));
    const Value loss = cross_entropy(logits, classes);
    (step == 0 ? first : last) = loss.data();
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  EXPECT_LT(last, 0.1 * first) << "Adam should fit xor with 8 hidden units in 150 steps";
}

// ---- settings (not exercises) -------------------------------------------------------------------

TEST(OptimizerSettings, BadSettingsAreRejected) {
  const std::vector<Value> params = to_values({1.0});
  EXPECT_THROW(SGD({}, {}), std::invalid_argument) << "no parameters";
  EXPECT_THROW(SGD(params, {.lr = -1.0}), std::invalid_argument);
  EXPECT_THROW(SGD(params, {.lr = NAN}), std::invalid_argument);
  EXPECT_THROW(SGD(params, {.momentum = 1.0}), std::invalid_argument);
  EXPECT_THROW(SGD(params, {.weight_decay = -0.1}), std::invalid_argument);
  EXPECT_THROW(Adam(params, {.beta1 = 1.0}), std::invalid_argument);
  EXPECT_THROW(Adam(params, {.beta2 = -0.5}), std::invalid_argument);
  EXPECT_THROW(Adam(params, {.eps = 0.0}), std::invalid_argument);
  SGD sgd(params, {});
  EXPECT_THROW(sgd.set_learning_rate(INFINITY), std::invalid_argument);
  EXPECT_EQ(sgd.learning_rate(), 0.01) << "SGDOptions' default lr";
  EXPECT_EQ(Adam(params).learning_rate(), 1e-3) << "AdamOptions' default lr, as torch";
}

}  // namespace
}  // namespace micrograd::nn
