// Tests of nn/loss.hpp, by hand and against PyTorch (tests/reference/nn_loss.txt, made by
// nn_loss_reference.py: F.mse_loss, the SVM hinge, F.binary_cross_entropy_with_logits and
// F.cross_entropy in float64, values and gradients, extreme logits included).
//
// Suites named Ex6_N_... grade exercise 6.N; they use chapters 1-5 and no later exercise.
#include "nn/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "common/errors.hpp"
#include "engine/failure_messages.hpp"
#include "engine/gradcheck.hpp"
#include "nn/mlp.hpp"
#include "nn/random.hpp"
#include "nn/tensor.hpp"
#include "reference_file.hpp"

using micrograd::testing::message_of;

namespace micrograd::nn {
namespace {

using test_data::close_to;
using test_data::read_reference_cases;
using test_data::ReferenceCase;

constexpr double kTolerance = 1e-12;

std::vector<ReferenceCase> cases_of(const std::string& kind) {
  std::vector<ReferenceCase> result;
  for (ReferenceCase& c : read_reference_cases("nn_loss.txt")) {
    if (c.kind == kind) result.push_back(std::move(c));
  }
  return result;
}

std::vector<double> grads(const std::vector<Value>& values) {
  std::vector<double> result;
  for (const Value& value : values) result.push_back(value.grad());
  return result;
}

std::vector<std::vector<Value>> rows(const std::vector<Value>& values, std::size_t width) {
  std::vector<std::vector<Value>> result;
  for (std::size_t i = 0; i < values.size(); i += width) {
    result.emplace_back(values.begin() + i, values.begin() + i + width);
  }
  return result;
}

std::vector<std::size_t> class_labels(const std::vector<double>& labels) {
  std::vector<std::size_t> result;
  for (double label : labels) result.push_back(static_cast<std::size_t>(label));
  return result;
}

// Runs `loss` on the case's inputs and compares the value and the gradient with PyTorch's.
// `inputs_name` is what the loss calls its inputs ("predictions", "logits").
template <typename Loss>
void expect_matches_torch(const ReferenceCase& c, const std::string& targets_name, Loss loss,
                          const std::string& inputs_name, const std::string& hint) {
  const std::vector<Value> inputs = to_values(c.tensor("inputs").data);
  const Value value = loss(inputs, c.tensor(targets_name));
  EXPECT_PRED_FORMAT2(close_to(kTolerance, "the loss", c, hint), std::vector<double>{value.data()},
                      c.tensor("value"));
  value.backward();
  EXPECT_PRED_FORMAT2(close_to(kTolerance, inputs_name + "[].grad()", c,
                               hint.empty() ? "" : "the gradient of " + hint),
                      grads(inputs), c.tensor("grad"));
}

// ---- 6.1 mse ------------------------------------------------------------------------------------

TEST(Ex6_1_Mse, ByHand) {
  const std::vector<Value> predictions = to_values({1.0, 2.0, 4.0});
  const Value loss = mse_loss(predictions, {0.0, 2.0, 1.0});
  EXPECT_DOUBLE_EQ(loss.data(), 10.0 / 3.0)
      << "((1-0)^2 + (2-2)^2 + (4-1)^2) / 3 = 10/3: the mean, not the sum (PyTorch's default)";
  loss.backward();
  EXPECT_DOUBLE_EQ(predictions[0].grad(), 2.0 / 3.0) << "d/dp (p - t)^2 / n = 2 (p - t) / n";
  EXPECT_DOUBLE_EQ(predictions[1].grad(), 0.0);
  EXPECT_DOUBLE_EQ(predictions[2].grad(), 2.0);
}

TEST(Ex6_1_Mse, MatchesTorch) {
  const std::vector<ReferenceCase> cases = cases_of("mse");
  ASSERT_GE(cases.size(), 3u);
  for (const ReferenceCase& c : cases) {
    expect_matches_torch(
        c, "targets",
        [](const std::vector<Value>& p, const test_data::ReferenceTensor& t) {
          return mse_loss(p, t.data);
        },
        "predictions", "mean over the batch of (prediction - target)^2");
  }
}

TEST(Ex6_1_Mse, TrainsTheLecturesTinyNet) {
  // The lecture's four examples and targets: one gradient step must lower the loss.
  manual_seed(7);
  const MLP mlp(3, {4, 4, 1}, Activation::tanh);
  const std::vector<std::vector<double>> xs = {
      {2.0, 3.0, -1.0}, {3.0, -1.0, 0.5}, {0.5, 1.0, 1.0}, {1.0, 1.0, -1.0}};
  const std::vector<double> ys = {1.0, -1.0, -1.0, 1.0};
  const auto loss_now = [&] {
    std::vector<Value> predictions;
    for (const auto& x : xs) predictions.push_back(mlp(to_values(x))[0]);
    return mse_loss(predictions, ys);
  };
  const Value before = loss_now();
  before.backward();
  for (const Value& p : mlp.parameters()) p.data() -= 0.05 * p.grad();
  EXPECT_LT(loss_now().data(), before.data())
      << "a small step against the gradient of the mse must lower it";
}

// ---- 6.2 hinge ----------------------------------------------------------------------------------

TEST(Ex6_2_Hinge, ByHand) {
  const std::vector<Value> scores = to_values({2.0, 0.5, -0.25, 3.0});
  const Value loss = hinge_loss(scores, {1.0, 1.0, 1.0, -1.0});
  // relu(1 - 2) = 0, relu(1 - 0.5) = 0.5, relu(1 + 0.25) = 1.25, relu(1 + 3) = 4
  EXPECT_DOUBLE_EQ(loss.data(), 5.75 / 4.0)
      << "mean of relu(1 - y*s): 0 + 0.5 + 1.25 + 4 over 4 samples";
  loss.backward();
  EXPECT_DOUBLE_EQ(scores[0].grad(), 0.0)
      << "a sample beyond the margin (y*s >= 1) has no loss and no gradient";
  EXPECT_DOUBLE_EQ(scores[1].grad(), -0.25) << "d/ds relu(1 - y s) / n = -y / n inside the margin";
  EXPECT_DOUBLE_EQ(scores[3].grad(), 0.25) << "for y = -1 the gradient pushes s down";
}

TEST(Ex6_2_Hinge, MatchesTorch) {
  const std::vector<ReferenceCase> cases = cases_of("hinge");
  ASSERT_GE(cases.size(), 3u);
  for (const ReferenceCase& c : cases) {
    expect_matches_torch(
        c, "labels",
        [](const std::vector<Value>& s, const test_data::ReferenceTensor& y) {
          return hinge_loss(s, y.data);
        },
        "scores", "mean over the batch of relu(1 - label * score)");
  }
}

// ---- 6.3 softmax cross-entropy ------------------------------------------------------------------

TEST(Ex6_3_CrossEntropy, ByHand) {
  const std::vector<Value> logits = to_values({1.0, 2.0, 3.0});
  const Value loss = cross_entropy(logits, 2);
  const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(loss.data(), std::log(sum) - 3.0, 1e-15) << "-log(e^3 / (e^1 + e^2 + e^3))";
  loss.backward();
  EXPECT_NEAR(logits[0].grad(), std::exp(1.0) / sum, 1e-15)
      << "d loss / d z_j = softmax_j - [j == label]";
  EXPECT_NEAR(logits[2].grad(), std::exp(3.0) / sum - 1.0, 1e-15);
}

TEST(Ex6_3_CrossEntropy, StableForHugeLogits) {
  const std::vector<Value> logits = to_values({1000.0, -1000.0, 0.0});
  const Value right = cross_entropy(logits, 0);
  EXPECT_PRED_FORMAT1(messages::is_finite, right.data())
      << "e^1000 overflows to inf and inf/inf is nan: subtract the largest logit before exp";
  EXPECT_NEAR(right.data(), 0.0, 1e-300) << "the right class at +1000: loss ~ e^-1000 = 0";
  const Value wrong = cross_entropy(logits, 1);
  EXPECT_DOUBLE_EQ(wrong.data(), 2000.0) << "the true class 2000 below the best: loss 2000";
  wrong.backward();
  EXPECT_DOUBLE_EQ(logits[0].grad(), 1.0) << "softmax is (1, 0, 0) here";
  EXPECT_DOUBLE_EQ(logits[1].grad(), -1.0);
  EXPECT_PRED_FORMAT1(messages::is_finite, cross_entropy(to_values({-1000.0, -1000.0}), 0).data())
      << "e^-1000 underflows to 0 and log(0) is -inf: subtracting the largest logit avoids that "
         "too";
}

TEST(Ex6_3_CrossEntropy, MatchesTorchIncludingExtremeLogits) {
  const std::vector<ReferenceCase> cases = cases_of("cross_entropy");
  ASSERT_GE(cases.size(), 5u);
  for (const ReferenceCase& c : cases) {
    const std::size_t classes = c.tensor("inputs").shape[1];
    expect_matches_torch(
        c, "labels",
        [classes](const std::vector<Value>& z, const test_data::ReferenceTensor& y) {
          return cross_entropy(rows(z, classes), class_labels(y.data));
        },
        "logits",
        "mean over the batch of log(sum_j e^(z_j - m)) + m - z_label, m the largest logit");
  }
}

// ---- the losses that are not exercises ----------------------------------------------------------

TEST(BinaryCrossEntropy, MatchesTorchIncludingExtremeLogits) {
  const std::vector<ReferenceCase> cases = cases_of("bce_with_logits");
  ASSERT_GE(cases.size(), 2u);
  for (const ReferenceCase& c : cases) {
    expect_matches_torch(
        c, "targets",
        [](const std::vector<Value>& x, const test_data::ReferenceTensor& t) {
          return binary_cross_entropy_with_logits(x, t.data);
        },
        "logits", "");
  }
}

TEST(BinaryCrossEntropy, GradientAtZeroIsSigmoidMinusTarget) {
  const std::vector<Value> logits = to_values({0.0, 0.0});
  const Value loss = binary_cross_entropy_with_logits(logits, {1.0, 0.25});
  EXPECT_NEAR(loss.data(), std::log(2.0), 1e-15);
  loss.backward();
  EXPECT_DOUBLE_EQ(logits[0].grad(), (0.5 - 1.0) / 2.0);
  EXPECT_DOUBLE_EQ(logits[1].grad(), (0.5 - 0.25) / 2.0);
}

TEST(BinaryCrossEntropy, Gradcheck) {
  const auto f = [](const std::vector<Value>& x) {
    return binary_cross_entropy_with_logits(x, {0.0, 1.0, 0.3, 0.9});
  };
  const GradcheckResult result = gradcheck(f, {-3.0, 0.7, 12.0, -0.2});
  EXPECT_TRUE(result.ok()) << result;
}

TEST(CrossEntropyBatch, MeanOfTheSamples) {
  const std::vector<std::vector<Value>> logits = {to_values({1.0, 2.0}), to_values({0.5, -0.5})};
  const Value batch = cross_entropy(logits, {0, 0});
  const double expected =
      (cross_entropy(logits[0], 0).data() + cross_entropy(logits[1], 0).data()) / 2.0;
  EXPECT_DOUBLE_EQ(batch.data(), expected);
}

TEST(L2Penalty, AlphaTimesSumOfSquares) {
  const std::vector<Value> params = to_values({1.0, -2.0, 0.5});
  const Value penalty = l2_penalty(params, 1e-4);
  EXPECT_DOUBLE_EQ(penalty.data(), 1e-4 * 5.25);
  penalty.backward();
  EXPECT_DOUBLE_EQ(params[1].grad(), 1e-4 * 2 * -2.0);
  EXPECT_EQ(l2_penalty({}, 0.1).data(), 0.0);
}

TEST(ArgmaxAndSoftmax, PredictedClassAndProbabilities) {
  EXPECT_EQ(argmax(to_values({0.1, 3.0, -2.0, 3.0})), 1u) << "the first of the largest";
  const std::vector<double> p = softmax(to_values({1000.0, 1000.0, -1000.0}));
  EXPECT_DOUBLE_EQ(p[0], 0.5);
  EXPECT_DOUBLE_EQ(p[1], 0.5);
  EXPECT_EQ(p[2], 0.0);
  EXPECT_THROW(argmax({}), std::invalid_argument);
  EXPECT_THROW(softmax({}), std::invalid_argument);
}

// A message must name the loss and give the expected and actual sizes.
TEST(LossShapes, BadBatchesSayWhatWasExpected) {
  const std::vector<Value> two = to_values({1.0, 2.0});
  std::string message = message_of<std::invalid_argument>([&] { mse_loss(two, {1.0, 2.0, 3.0}); });
  EXPECT_NE(message.find("mse_loss"), std::string::npos) << message;
  EXPECT_NE(message.find("(2), got 3"), std::string::npos) << message;
  message = message_of<std::invalid_argument>([&] { mse_loss({}, {}); });
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  message = message_of<std::invalid_argument>([&] { hinge_loss(two, {1.0, 0.0}); });
  EXPECT_NE(message.find("expected -1 or +1"), std::string::npos) << message;
  message = message_of<std::invalid_argument>([&] { cross_entropy(two, 2); });
  EXPECT_NE(message.find("label 2 is out of range for 2 classes (expected 0 to 1)"),
            std::string::npos)
      << message;
  message = message_of<std::invalid_argument>([&] { cross_entropy({two, two}, {0, 5}); });
  EXPECT_NE(message.find("sample 1"), std::string::npos) << message;
  message = message_of<std::invalid_argument>(
      [&] { cross_entropy(std::vector<std::vector<Value>>{}, {}); });
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  message = message_of<std::invalid_argument>([&] { cross_entropy({}, 0); });
  EXPECT_NE(message.find("no logits"), std::string::npos) << message;
  message = message_of<std::invalid_argument>([&] {
    binary_cross_entropy_with_logits(two, {0.5, 1.5});
  });
  EXPECT_NE(message.find("[0, 1]"), std::string::npos) << message;
  EXPECT_THROW(hinge_loss(two, {1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace micrograd::nn
