// Tests of nn/batchnorm.hpp against PyTorch's nn.BatchNorm1d (tests/reference/nn_batchnorm.txt,
// from nn_batchnorm_reference.py): outputs and the gradients of the input, weight and bias in
// training and eval mode, and the running statistics after several training steps.
#include "nn/batchnorm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "reference_file.hpp"

namespace micrograd::nn {
namespace {

using test_data::close_to;
using test_data::ReferenceCase;
using test_data::ReferenceTensor;

constexpr double kTolerance = 1e-12;
using Batch = std::vector<std::vector<Value>>;

std::vector<ReferenceCase> cases() {
  return test_data::read_reference_cases("nn_batchnorm.txt");
}

// A layer of the case's size, eps and momentum, with its weight and bias.
BatchNorm1d layer_of(const ReferenceCase& c) {
  BatchNorm1d layer(c.size("features"), c.number("eps"), c.number("momentum"));
  for (std::size_t j = 0; j < layer.features(); ++j) {
    layer.weight()[j].data() = c.tensor("weight").data[j];
    layer.bias()[j].data() = c.tensor("bias").data[j];
  }
  return layer;
}

Batch leaves(const ReferenceTensor& tensor) {
  Batch batch(tensor.shape[0]);
  for (std::size_t i = 0; i < tensor.shape[0]; ++i) {
    for (std::size_t j = 0; j < tensor.shape[1]; ++j) {
      batch[i].emplace_back(tensor.data[i * tensor.shape[1] + j]);
    }
  }
  return batch;
}

std::vector<double> flat(const Batch& batch, bool gradients) {
  std::vector<double> result;
  for (const std::vector<Value>& sample : batch) {
    for (const Value& v : sample) result.push_back(gradients ? v.grad() : v.data());
  }
  return result;
}

std::vector<double> data_of(const std::vector<Value>& values, bool gradients = false) {
  std::vector<double> result;
  for (const Value& v : values) result.push_back(gradients ? v.grad() : v.data());
  return result;
}

// backward() of sum(output * g), after zeroing the layer's gradients: as the reference script.
void backward_weighted(const BatchNorm1d& layer, const Batch& output, const ReferenceTensor& g) {
  for (const Value& p : layer.parameters()) p.grad() = 0.0;
  Value total = 0.0;
  std::size_t k = 0;
  for (const std::vector<Value>& sample : output) {
    for (const Value& v : sample) total = total + v * g.data[k++];
  }
  total.backward();
}

// Compares one step's output and gradients with the reference's `prefix` tensors.
void expect_step(const ReferenceCase& c, const std::string& prefix, const BatchNorm1d& layer,
                 const Batch& input, const Batch& output, const std::string& hint) {
  backward_weighted(layer, output, c.tensor(prefix + "g"));
  EXPECT_PRED_FORMAT2(close_to(kTolerance, prefix + "output", c, hint), flat(output, false),
                      c.tensor(prefix + "output"));
  EXPECT_PRED_FORMAT2(close_to(kTolerance, prefix + "input[].grad()", c,
                               "every output depends on every sample through the batch's mean and "
                               "variance, which must be Value ops"),
                      flat(input, true), c.tensor(prefix + "input_grad"));
  EXPECT_PRED_FORMAT2(close_to(kTolerance, prefix + "weight[].grad()", c, hint),
                      data_of(layer.weight(), true), c.tensor(prefix + "weight_grad"));
  EXPECT_PRED_FORMAT2(close_to(kTolerance, prefix + "bias[].grad()", c, hint),
                      data_of(layer.bias(), true), c.tensor(prefix + "bias_grad"));
}

// ---- 10.2 batchnorm training ----------------------------------------------------------------------

TEST(Ex10_2_BatchNormTraining, ByHand) {
  const BatchNorm1d layer(1);
  const Batch batch = {{Value(1.0)}, {Value(3.0)}};
  std::vector<double> means;
  std::vector<double> variances;
  const Batch y = layer.normalise_with_batch_statistics(batch, means, variances);
  ASSERT_EQ(y.size(), 2u);
  ASSERT_EQ(y[0].size(), 1u);
  const double expected = 1.0 / std::sqrt(1.0 + 1e-5);
  EXPECT_DOUBLE_EQ(y[0][0].data(), -expected)
      << "mean 2, biased variance ((1-2)^2 + (3-2)^2) / 2 = 1, so (1 - 2) / sqrt(1 + eps)";
  EXPECT_DOUBLE_EQ(y[1][0].data(), expected);
  ASSERT_EQ(means.size(), 1u);
  ASSERT_EQ(variances.size(), 1u);
  EXPECT_DOUBLE_EQ(means[0], 2.0) << "means[j] receives the batch mean of feature j";
  EXPECT_DOUBLE_EQ(variances[0], 1.0)
      << "variances[j] receives the biased variance (divided by N, not N - 1)";
}

TEST(Ex10_2_BatchNormTraining, MatchesTorchOnAFirstTrainingStep) {
  for (const ReferenceCase& c : cases()) {
    SCOPED_TRACE(c.where);
    const BatchNorm1d layer = layer_of(c);
    const Batch input = leaves(c.tensor("step0_input"));
    std::vector<double> means;
    std::vector<double> variances;
    const Batch output = layer.normalise_with_batch_statistics(input, means, variances);
    expect_step(c, "step0_", layer, input, output,
                "y = weight * (x - mean) / sqrt(var + eps) + bias with the biased variance "
                "(divided by N) and eps inside the square root");
    EXPECT_EQ(data_of(layer.running_mean()), std::vector<double>(layer.features(), 0.0))
        << "normalise_with_batch_statistics must leave the running statistics alone";
  }
}

// ---- 10.3 running statistics --------------------------------------------------------------------

TEST(Ex10_3_RunningStatistics, ByHand) {
  const BatchNorm1d layer(2, 1e-5, 0.1);
  layer.update_running_statistics({2.0, -1.0}, {1.0, 3.0}, 2);
  EXPECT_DOUBLE_EQ(layer.running_mean()[0].data(), 0.2)
      << "0.9 * 0 + 0.1 * 2: (1 - momentum) * running + momentum * batch";
  EXPECT_DOUBLE_EQ(layer.running_mean()[1].data(), -0.1);
  EXPECT_DOUBLE_EQ(layer.running_var()[0].data(), 0.9 * 1.0 + 0.1 * 2.0)
      << "the running variance records the unbiased variance, 1 * 2 / (2 - 1) = 2";
  EXPECT_DOUBLE_EQ(layer.running_var()[1].data(), 0.9 * 1.0 + 0.1 * 6.0);
}

TEST(Ex10_3_RunningStatistics, MomentumIsTheWeightOfTheNewBatch) {
  const BatchNorm1d layer(1, 1e-5, 0.25);
  layer.update_running_statistics({4.0}, {2.0}, 4);
  layer.update_running_statistics({8.0}, {2.0}, 4);
  EXPECT_DOUBLE_EQ(layer.running_mean()[0].data(), 0.75 * (0.25 * 4.0) + 0.25 * 8.0)
      << "momentum 0.25 weighs the new batch by 0.25 and the old estimate by 0.75";
  const double unbiased = 2.0 * 4.0 / 3.0;
  EXPECT_DOUBLE_EQ(layer.running_var()[0].data(),
                   0.75 * (0.75 * 1.0 + 0.25 * unbiased) + 0.25 * unbiased);
}

// ---- 10.4 batchnorm modes -----------------------------------------------------------------------

TEST(Ex10_4_BatchNormModes, MatchesTorchOverTrainingStepsThenInEval) {
  for (const ReferenceCase& c : cases()) {
    SCOPED_TRACE(c.where);
    BatchNorm1d layer = layer_of(c);
    for (std::size_t k = 0; k < c.size("steps"); ++k) {
      const std::string prefix = "step" + std::to_string(k) + "_";
      const Batch input = leaves(c.tensor(prefix + "input"));
      expect_step(c, prefix, layer, input, layer(input),
                  "training mode normalises with the batch's own statistics");
    }
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "running_mean", c,
                                 "each training step must update the running statistics once"),
                        data_of(layer.running_mean()), c.tensor("running_mean"));
    EXPECT_PRED_FORMAT2(close_to(kTolerance, "running_var", c,
                                 "each training step must update the running statistics once"),
                        data_of(layer.running_var()), c.tensor("running_var"));
    const std::vector<double> mean_before = data_of(layer.running_mean());
    const std::vector<double> var_before = data_of(layer.running_var());
    layer.eval();
    const Batch input = leaves(c.tensor("eval_input"));
    expect_step(c, "eval_", layer, input, layer(input),
                "eval mode uses the running statistics: (x - running_mean) / "
                "sqrt(running_var + eps)");
    EXPECT_EQ(data_of(layer.running_mean()), mean_before)
        << "eval mode must not change the running statistics";
    EXPECT_EQ(data_of(layer.running_var()), var_before)
        << "eval mode must not change the running statistics";
  }
}

TEST(Ex10_4_BatchNormModes, EvalNormalisesOneSampleOnItsOwn) {
  BatchNorm1d layer(2);
  layer.running_mean()[0].data() = 1.0;
  layer.running_var()[0].data() = 4.0;
  layer.eval();
  const Batch y = layer({{Value(5.0), Value(3.0)}});
  ASSERT_EQ(y.size(), 1u);
  EXPECT_DOUBLE_EQ(y[0][0].data(), (5.0 - 1.0) / std::sqrt(4.0 + 1e-5))
      << "(x - running_mean) / sqrt(running_var + eps)";
  EXPECT_DOUBLE_EQ(y[0][1].data(), 3.0 / std::sqrt(1.0 + 1e-5));
}

// ---- the rest of BatchNorm1d --------------------------------------------------------------------

TEST(BatchNorm1d, ParametersAreWeightAndBiasNotTheRunningStatistics) {
  const BatchNorm1d layer(3);
  EXPECT_EQ(layer.parameter_count(), 6u);
  const std::vector<Value> params = layer.parameters();
  EXPECT_TRUE(params[0].same_node(layer.weight()[0]));
  EXPECT_TRUE(params[3].same_node(layer.bias()[0]));
  EXPECT_EQ(data_of(layer.weight()), std::vector<double>(3, 1.0));
  EXPECT_EQ(data_of(layer.bias()), std::vector<double>(3, 0.0));
  EXPECT_EQ(data_of(layer.running_var()), std::vector<double>(3, 1.0));
  const std::vector<NamedTensor> named = layer.named_parameters();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].name, "weight");
  EXPECT_EQ(named[1].name, "bias");
  const std::vector<NamedTensor> buffers = layer.named_buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].name, "running_mean");
  EXPECT_EQ(buffers[1].name, "running_var");
  EXPECT_EQ(buffers[1].shape, Shape{3});
  EXPECT_EQ(layer.describe(), "BatchNorm1d(3, eps=1e-05, momentum=0.1)");
}

TEST(BatchNorm1d, RejectsBadArgumentsWithAClearMessage) {
  using micrograd::testing::message_of;
  EXPECT_NE(message_of<std::invalid_argument>([] { BatchNorm1d{0}; }).find("features is 0"),
            std::string::npos);
  EXPECT_NE(message_of<std::invalid_argument>([] { BatchNorm1d(2, 0.0); }).find("eps is 0"),
            std::string::npos);
  EXPECT_NE(
      message_of<std::invalid_argument>([] { BatchNorm1d(2, 1e-5, 1.5); }).find("momentum is 1.5"),
      std::string::npos);
  const BatchNorm1d layer(2);
  EXPECT_NE(message_of<std::invalid_argument>([&] { layer(Batch{}); }).find("empty"),
            std::string::npos);
  EXPECT_NE(message_of<std::invalid_argument>([&] {
              layer({{Value(1.0), Value(2.0)}, {Value(1.0)}});
            }).find("sample 1 has 1 values, expected 2"),
            std::string::npos);
  EXPECT_NE(message_of<std::invalid_argument>([&] {
              layer({{Value(1.0), Value(2.0)}});
            }).find("a batch of 1 sample in training mode"),
            std::string::npos);
}

}  // namespace
}  // namespace micrograd::nn
