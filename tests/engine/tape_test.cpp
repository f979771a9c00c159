// Tests of engine/tape.hpp: graphs recorded on a tape compute what the reference engine computes
// (forward to the last bit, gradients to the order of addition), stay safe when their Values
// outlive the tape, and refuse what the sweep cannot do by handing it to the reference engine.
#include "engine/tape.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/errors.hpp"
#include "engine/graph.hpp"
#include "engine/many_inputs.hpp"
#include "engine/modes.hpp"
#include "engine/value.hpp"

namespace micrograd {
namespace {

using Values = std::vector<Value>;
using micrograd::testing::message_of;

Values leaves(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Values result;
  for (std::size_t i = 0; i < count; ++i) result.emplace_back(uniform(generator));
  return result;
}

// A two-layer network on `inputs` with the weights in `w`, op for op and with dot, every op of
// the engine once: the gradients of its parameters add many contributions in an order the sort
// and the sweep need not share.
Value network_loss(const Values& w, const Values& inputs) {
  std::size_t next = 0;
  Values hidden;
  for (int j = 0; j < 6; ++j) {
    Value sum = w[next++];
    for (const Value& x : inputs) sum = sum + w[next++] * x;
    hidden.push_back(j % 2 == 0 ? sum.tanh() : sum.relu());
  }
  const Values weights(w.begin() + static_cast<std::ptrdiff_t>(next),
                       w.begin() + static_cast<std::ptrdiff_t>(next + hidden.size()));
  next += hidden.size();
  const Value score = dot(weights, hidden, w[next]);
  Value loss = (score - 0.5).pow(2) + score.sigmoid().log() - (-score).exp() / 3.0;
  for (const Value& p : w) loss = loss + 1e-3 * p * p;
  return loss;
}

constexpr std::size_t kInputs = 4;
constexpr std::size_t kWeights = 6 * (kInputs + 1) + 6 + 1;

TEST(Tape, SameForwardBitsAndGradientsWithin8EpsilonOfTheReference) {
  const Values inputs = leaves(kInputs, 1);
  const Values reference_w = leaves(kWeights, 2), tape_w = leaves(kWeights, 2);
  const Value reference = network_loss(reference_w, inputs);
  reference.backward();
  double largest = 0.0;
  for (const Value& p : reference_w) largest = std::max(largest, std::abs(p.grad()));

  const TapeGuard tape;
  const Value recorded = network_loss(tape_w, inputs);
  EXPECT_EQ(recorded.data(), reference.data()) << "the forward pass must not change a bit";
  EXPECT_TRUE(recorded.node().tape != nullptr) << "the loss should be a node of the tape";
  recorded.backward();
  const double tolerance = 8 * std::numeric_limits<double>::epsilon() * largest;
  for (std::size_t i = 0; i < kWeights; ++i) {
    EXPECT_NEAR(tape_w[i].grad(), reference_w[i].grad(), tolerance) << "parameter " << i;
  }
}

TEST(Tape, SkipsWhatTheRootDoesNotReach) {
  const Value x = 2.0;
  const TapeGuard tape;
  const Value side = x * std::numeric_limits<double>::infinity();  // made first, not used
  const Value root = x * 3.0;
  const Value after = root * std::numeric_limits<double>::infinity();  // made after the root
  root.backward();
  EXPECT_EQ(x.grad(), 3.0) << "a node the root does not reach ran its grad_fn (0 * inf = NaN)";
  EXPECT_EQ(side.grad(), 0.0);
  EXPECT_EQ(after.grad(), 0.0);
}

TEST(Tape, InteriorGradsRestartAndLeavesAccumulateOnASecondBackward) {
  const Value a = 3.0;
  const TapeGuard tape;
  const Value b = a * a;
  const Value c = b + b;
  c.backward();
  c.backward();
  EXPECT_EQ(a.grad(), 24.0) << "d(2a^2)/da = 4a = 12, twice";
  EXPECT_EQ(b.grad(), 2.0) << "an interior node holds the latest call's gradient";
}

TEST(Tape, ALeafRootAddsOne) {
  const TapeGuard tape;
  const Value leaf = 5.0;
  leaf.backward();
  leaf.backward();
  EXPECT_EQ(leaf.grad(), 2.0);
}

TEST(Tape, ValuesOutliveTheGuardAndKeepTheirTapeAlive) {
  const Value a = 2.0;
  Value kept;
  Values parents;
  {
    const TapeGuard tape;
    kept = (a * 3.0).label("product") + 1.0;
    parents = kept.parents();
  }
  {
    const TapeGuard another;  // must not reuse the tape `kept` still lives on
    Values noise = leaves(10000, 3);
    Value total = sum(noise);
    EXPECT_GT(total.data(), -1e9);
  }
  EXPECT_EQ(kept.data(), 7.0);
  EXPECT_EQ(parents[0].data(), 6.0);
  EXPECT_EQ(parents[0].label(), "product");
  kept.backward();
  EXPECT_EQ(a.grad(), 3.0);
  const Value later = kept * 2.0;  // an ordinary node on top of a tape node
  EXPECT_TRUE(later.node().tape == nullptr);
  a.grad() = 0.0;
  later.backward();
  EXPECT_EQ(a.grad(), 6.0);
}

TEST(Tape, IsReusedOnceNoValueOfItIsLeft) {
  const Value x = 1.5;
  const Tape* first = nullptr;
  {
    const TapeGuard tape;
    first = &tape.tape();
    (x * x).backward();
  }
  const TapeGuard again;
  EXPECT_EQ(&again.tape(), first) << "the step's tape should be reused, not made again";
  EXPECT_EQ(again.tape().size(), 0u) << "a reused tape starts empty";
}

TEST(Tape, BackwardFromANodeMadeBeforeTheLast) {
  const Value x = 2.0;
  const TapeGuard tape;
  const Value y = x * x;
  const Value z = y * x;
  y.backward();
  EXPECT_EQ(x.grad(), 4.0);
  EXPECT_EQ(z.grad(), 0.0);
}

TEST(Tape, AGraphUsingAnInteriorNodeFromOutsideFallsBackToTheSort) {
  const Value x = 3.0;
  const Value outside = x * x;  // an ordinary interior node
  const TapeGuard tape;
  const Value root = outside * 2.0 + x;
  EXPECT_FALSE(tape.tape().sweepable());
  root.backward();
  EXPECT_EQ(x.grad(), 13.0) << "d(2x^2 + x)/dx = 4x + 1";
}

TEST(Tape, NestedGuardsRecordOnTheOuterTape) {
  const TapeGuard outer;
  const TapeGuard inner;
  EXPECT_EQ(&inner.tape(), &outer.tape());
  const Value x = 2.0;
  (x * x).backward();
  EXPECT_EQ(x.grad(), 4.0);
}

TEST(Tape, NoGradResultsAreLeavesAndBackwardFromThemThrows) {
  const Value x = 2.0;
  const TapeGuard tape;
  Value y;
  {
    const NoGradGuard no_grad;
    y = x * x;
  }
  EXPECT_TRUE(y.is_leaf());
  EXPECT_THROW(y.backward(), std::logic_error);
}

TEST(Tape, AnomalyModeNamesTheOpThatMadeANaN) {
  const Value x = -1.0;
  const TapeGuard tape;
  const AnomalyGuard anomaly;
  EXPECT_THROW((void)x.log(), std::domain_error);
  const Value y = x * 0.0;
  EXPECT_THROW((void)y.pow(-1.0), std::domain_error) << "1/0 is infinite";
}

TEST(Tape, SumAndDotGiveTheReferenceNumbersToTheLastBit) {
  const Values w = leaves(50, 4), x = leaves(50, 5);
  const Value reference = dot(w, x, Value(0.25)) + sum(w);
  reference.backward();
  std::vector<double> reference_grads;
  for (const Value& v : w) reference_grads.push_back(v.grad());
  for (const Value& v : w) v.grad() = 0.0;
  const TapeGuard tape;
  const Value recorded = dot(w, x, Value(0.25)) + sum(w);
  EXPECT_EQ(recorded.data(), reference.data());
  recorded.backward();
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_EQ(w[i].grad(), reference_grads[i]);
}

TEST(Tape, SaysSoWhenItGrowsPastItsLimit) {
  const TapeGuard tape(5000);
  Value chain = 1.0;
  const std::string message = message_of<std::length_error>([&] {
    for (int i = 0; i < 10000; ++i) chain = chain + 1.0;
  });
  EXPECT_NE(message.find("the tape holds 5,000 nodes"), std::string::npos) << message;
  EXPECT_NE(message.find("max_nodes"), std::string::npos) << message;
  EXPECT_THROW(TapeGuard(0), std::invalid_argument);
}

TEST(Tape, AMillionNodeChainSweepsAndReleasesWithoutRecursion) {
  const Value x = 1.0;
  {
    const TapeGuard tape;
    Value chain = x;
    for (int i = 0; i < 1'000'000; ++i) chain = -chain;
    chain.backward();
  }
  EXPECT_EQ(x.grad(), 1.0);
}

TEST(Tape, ThreadsEachRecordOnTheirOwn) {
  std::vector<double> grads(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < grads.size(); ++t) {
    threads.emplace_back([&grads, t] {
      const Value x = static_cast<double>(t);
      for (int step = 0; step < 50; ++step) {
        const TapeGuard tape;
        x.grad() = 0.0;
        (x * x * x).backward();
      }
      grads[t] = x.grad();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t t = 0; t < grads.size(); ++t) EXPECT_EQ(grads[t], 3.0 * double(t * t));
}

}  // namespace
}  // namespace micrograd
