// Tests of engine/modes.hpp: no-grad mode builds no graph; anomaly mode stops at the first NaN or
// infinity with a message that names the op, its inputs and the labels on the way.
#include "engine/modes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/errors.hpp"
#include "engine/graph.hpp"
#include "engine/value.hpp"

using micrograd::testing::message_of;

namespace micrograd {
namespace {

TEST(NoGrad, OpsBuildNoGraph) {
  Value x = 2.0;
  Value y;
  {
    NoGradGuard no_grad;
    EXPECT_FALSE(grad_enabled());
    y = (x * 3 + 1).tanh();
  }
  EXPECT_TRUE(grad_enabled()) << "the guard restores the previous mode";
  EXPECT_DOUBLE_EQ(y.data(), std::tanh(7.0)) << "values are still computed";
  EXPECT_TRUE(y.is_leaf()) << "no parents recorded";
  EXPECT_EQ(y.node().grad_fn, nullptr) << "no closure recorded";
  EXPECT_EQ(graph_stats(y).node_count, 1u);
}

TEST(NoGrad, GuardsNest) {
  {
    NoGradGuard outer;
    {
      NoGradGuard inner;
      EXPECT_FALSE(grad_enabled());
    }
    EXPECT_FALSE(grad_enabled()) << "leaving the inner guard keeps the outer one in force";
  }
  EXPECT_TRUE(grad_enabled());
}

// PyTorch raises "element 0 of tensors does not require grad and does not have a grad_fn"; a
// silent backward() would let a training loop with a guard left in scope run without learning.
TEST(NoGrad, BackwardOnAResultBuiltUnderTheGuardSaysWhy) {
  Value w = Value(0.5).label("w");
  Value loss;
  {
    NoGradGuard no_grad;
    loss = (w * 3 - 1).pow(2);
  }
  const std::string message = message_of<std::logic_error>([&] { loss.backward(); });
  EXPECT_NE(message.find("NoGradGuard"), std::string::npos) << message;
  EXPECT_NE(message.find("no graph was recorded"), std::string::npos) << message;
  EXPECT_NE(message.find("outside the guard"), std::string::npos) << "what to do: " << message;
  EXPECT_EQ(w.grad(), 0.0);
}

TEST(NoGrad, ATrainingStepWithTheGuardLeftInScopeFails) {
  Value w = 0.5;
  NoGradGuard forgotten;  // e.g. left over from an evaluation in the same scope
  for (int step = 0; step < 3; ++step) {
    Value loss = (w * 3 - 1).pow(2);
    EXPECT_THROW(loss.backward(), std::logic_error) << "step " << step;
  }
}

TEST(NoGrad, BackwardOnALeafStillCountsItself) {
  Value made_outside = 2.0;
  Value made_inside;
  {
    NoGradGuard no_grad;
    made_inside = Value(3.0);  // a leaf is a leaf, guard or not (parameters may be made here)
    made_outside.backward();
  }
  made_inside.backward();
  EXPECT_EQ(made_outside.grad(), 1.0);
  EXPECT_EQ(made_inside.grad(), 1.0);
}

TEST(NoGrad, AResultBuiltUnderTheGuardIsAConstantInALaterGraph) {
  Value x = 2.0;
  Value scale;
  {
    NoGradGuard no_grad;
    scale = x * 3;  // like torch's x.detach() * 3
  }
  Value y = scale * x;
  y.backward();
  EXPECT_EQ(x.grad(), 6.0) << "only through y's direct use of x: scale is a constant";
  EXPECT_EQ(scale.grad(), 2.0);
}

TEST(NoGrad, BackwardUnderTheGuardOnAGraphBuiltBeforeItWorks) {
  Value x = 2.0;
  Value y = x * x;
  NoGradGuard no_grad;
  y.backward();
  EXPECT_EQ(x.grad(), 4.0) << "the graph was recorded before the guard";
}

TEST(Anomaly, OffByDefaultNaNPropagatesLikeIEEE) {
  EXPECT_FALSE(anomaly_mode_enabled());
  Value x = -1.0;
  Value y = x.log() * 2;
  EXPECT_TRUE(std::isnan(y.data()));
  y.backward();
  EXPECT_DOUBLE_EQ(x.grad(), -2.0) << "d(2 log x)/dx = 2/x is finite even where log is not";
}

TEST(Anomaly, ForwardNaNNamesOpInputsAndLabels) {
  AnomalyGuard anomaly;
  Value w = Value(-3.0).label("w");
  Value scaled = (w * 2).label("scaled");
  const std::string message = message_of<std::domain_error>([&] { (void)scaled.log(); });
  EXPECT_NE(message.find("op \"log\" produced nan"), std::string::npos) << message;
  EXPECT_NE(message.find("\"scaled\" (data=-6, made by \"*\")"), std::string::npos) << message;
  EXPECT_NE(message.find("Computed from: \"scaled\", \"w\""), std::string::npos) << message;
}

TEST(Anomaly, ForwardInfinityFromDivision) {
  AnomalyGuard anomaly;
  Value zero = 0.0;
  const std::string message = message_of<std::domain_error>([&] { (void)(1 / zero); });
  EXPECT_NE(message.find("op \"/\" produced inf"), std::string::npos) << message;
  EXPECT_NE(message.find("no labels"), std::string::npos)
      << "without labels, the message says how to add them: " << message;
}

TEST(Anomaly, BackwardInfinityNamesOpAndPath) {
  Value x = Value(0.0).label("x");
  Value root_of_x = x.pow(0.5).label("sqrt_x");  // finite forward, infinite derivative at 0
  Value loss = ((root_of_x * 3) + 1).label("loss");
  AnomalyGuard anomaly;
  const std::string message = message_of<std::domain_error>([&] { loss.backward(); });
  EXPECT_NE(message.find("op \"pow\""), std::string::npos) << message;
  EXPECT_NE(message.find("gradient of inf"), std::string::npos) << message;
  EXPECT_NE(message.find("\"x\" (data=0)"), std::string::npos) << message;
  EXPECT_NE(message.find("\"loss\" <- (*) <- \"sqrt_x\" <- \"x\""), std::string::npos) << message;
}

TEST(Anomaly, APathWithoutLabelsNamesTheOps) {
  // Before: "? <- ? <- ? <- ?" when no node had a label.
  Value x = 0.0;
  Value loss = (x.pow(0.5) * 3) + 1;
  AnomalyGuard anomaly;
  const std::string message = message_of<std::domain_error>([&] { loss.backward(); });
  EXPECT_NE(message.find("(+) <- (*) <- (pow) <- (leaf)"), std::string::npos) << message;
  EXPECT_EQ(message.find("?"), std::string::npos) << message;
}

TEST(Anomaly, BackwardInfinityNamesWhichOfManyInputs) {
  // An op of four inputs whose local derivative is infinite for input 3 only.
  const auto backward = [](Node& out) {
    for (std::size_t i = 0; i < out.parent_count; ++i) {
      out.parent(i).grad += (i == 3 ? std::numeric_limits<double>::infinity() : 1.0) * out.grad;
    }
  };
  const std::vector<Value> inputs = {1.0, 2.0, 3.0, Value(4.0).label("fourth")};
  const Value out = Value::from_op(10.0, "four", backward, inputs);
  AnomalyGuard anomaly;
  const std::string message = message_of<std::domain_error>([&] { out.backward(); });
  EXPECT_NE(message.find("op \"four\""), std::string::npos) << message;
  EXPECT_NE(message.find("to its input 3 \"fourth\""), std::string::npos) << message;
}

TEST(Anomaly, ForwardNaNListsEveryInputOfAnOpWithMany) {
  const std::vector<Value> inputs = {1.0, 2.0, Value(3.0).label("third")};
  AnomalyGuard anomaly;
  const std::string message = message_of<std::domain_error>([&] {
    (void)Value::from_op(
        std::nan(""), "many", [](Node&) {}, inputs);
  });
  EXPECT_NE(message.find("from inputs (data=1) and (data=2) and \"third\" (data=3)"),
            std::string::npos)
      << message;
}

// 100,000 inputs once made a message of 1.7 MB: it lists a few, the non-finite ones first.
TEST(Anomaly, ForwardNaNFromManyInputsIsASaneLength) {
  std::vector<Value> inputs;
  for (int i = 0; i < 100'000; ++i) inputs.emplace_back(static_cast<double>(i));
  inputs[70'000] = Value(std::numeric_limits<double>::infinity()).label("the infinite one");
  AnomalyGuard anomaly;
  const std::string message = message_of<std::domain_error>([&] {
    (void)Value::from_op(
        std::nan(""), "many", [](Node&) {}, inputs);
  });
  EXPECT_LT(message.size(), 2000u) << message.substr(0, 2000);
  EXPECT_NE(message.find("100000 inputs"), std::string::npos) << message.substr(0, 2000);
  EXPECT_NE(message.find("input 70000 \"the infinite one\" (data=inf)"), std::string::npos)
      << message.substr(0, 2000);
  EXPECT_NE(message.find("99996 more"), std::string::npos) << message.substr(0, 2000);
}

TEST(Anomaly, GuardRestoresAndFiniteGraphsPass) {
  {
    AnomalyGuard anomaly;
    EXPECT_TRUE(anomaly_mode_enabled());
    Value x = 0.5;
    Value y = (x.exp() + x.sigmoid()).log();
    y.backward();
    EXPECT_TRUE(std::isfinite(x.grad()));
    AnomalyGuard off(false);
    EXPECT_FALSE(anomaly_mode_enabled());
  }
  EXPECT_FALSE(anomaly_mode_enabled());
}

}  // namespace
}  // namespace micrograd
