// Tests of engine/tape.hpp: graphs recorded on a tape compute what the reference engine computes
// (forward to the last bit, gradients to the order of addition), stay safe when their Values
// outlive the tape, and refuse what the sweep cannot do by handing it to the reference engine.
#include "engine/tape.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <set>
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
  for (const Value& p : w) loss = loss + 1e-3 * p * p + 1e-3 * p.abs();
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

TEST(Tape, AnInteriorNodeFromOutsideFallsBackToTheSortAtEveryStep) {
  // The tape keeps the nodes from outside from one step to the next; the second step, which finds
  // `outside` already kept, must still see that it is interior.
  const Value x = 3.0;
  const Value outside = x * x;
  for (int step = 0; step < 3; ++step) {
    const TapeGuard tape;
    const Value root = outside * 2.0 + x;
    EXPECT_FALSE(tape.tape().sweepable()) << "step " << step;
    x.grad() = 0.0;
    root.backward();
    EXPECT_EQ(x.grad(), 13.0) << "step " << step << ": d(2x^2 + x)/dx = 4x + 1";
  }
}

TEST(Tape, LetsGoOfANodeFromOutsideOnceNothingElseHoldsIt) {
  const Value weight = 2.0;
  std::optional<Value> input = Value(3.0);
  std::optional<Value> kept_input = Value(4.0);
  const std::weak_ptr<Node> input_node = input->node_ptr();
  const std::weak_ptr<Node> kept_input_node = kept_input->node_ptr();
  {
    const TapeGuard tape;
    (weight * *input + weight * *kept_input).backward();
    input.reset();
  }
  EXPECT_TRUE(input_node.expired())
      << "a node from outside that only the tape held is let go when the step is released";
  // kept_input was still held when the step was released: the tape goes on holding it (the next
  // step most likely uses it again) until a release finds that nothing else does.
  EXPECT_FALSE(kept_input_node.expired());
  kept_input.reset();
  EXPECT_FALSE(kept_input_node.expired());
  {
    const TapeGuard tape;
    (weight * 5.0).backward();
  }
  EXPECT_TRUE(kept_input_node.expired());
  EXPECT_EQ(weight.grad(), 3.0 + 4.0 + 5.0);
}

TEST(Tape, KeepsTensOfThousandsOfNodesFromOutsideAcrossSteps) {
  // An MNIST MLP's weights: every step uses them all, each once, on the thread's tape.
  constexpr std::size_t kCount = 50'000;
  Values weights = leaves(kCount, 6);
  const Values inputs = leaves(kCount, 7);
  std::vector<std::weak_ptr<Node>> nodes;
  for (const Value& w : weights) nodes.push_back(w.node_ptr());
  for (int step = 0; step < 3; ++step) {
    const TapeGuard tape;
    for (const Value& w : weights) w.grad() = 0.0;
    dot(weights, inputs, Value(0.0)).backward();
    for (std::size_t i = 0; i < kCount; i += 997) {
      ASSERT_EQ(weights[i].grad(), inputs[i].data()) << "step " << step << ", weight " << i;
    }
  }
  weights.resize(kCount / 2);  // from here on only the tape holds the second half
  for (const std::weak_ptr<Node>& node : nodes) ASSERT_FALSE(node.expired());
  // Each release checks a few of the older nodes: within a few thousand steps, every one of the
  // second half has been found held by the tape alone, and let go.
  auto second_half_held = [&] {
    return std::any_of(nodes.begin() + kCount / 2, nodes.end(),
                       [](const std::weak_ptr<Node>& node) { return !node.expired(); });
  };
  int steps = 0;
  while (second_half_held()) {
    ASSERT_LT(++steps, 10'000) << "the tape still holds nodes that nothing else holds";
    const TapeGuard tape;
    (weights[0] * 2.0).backward();
  }
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(nodes[i].expired(), i >= kCount / 2) << "weight " << i << " after " << steps;
  }
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

// ---- Chapter 11: the sweep ----------------------------------------------------------------------
// Exercise 11.1 (reach) and 11.2 (sweep) in solutions/engine/sweep.cpp. The graphs are small and
// named, so that a failure can say which node went wrong and why.

namespace micrograd {
namespace {

// Where each node sits on the tape, for messages: "#3 (made by \"*\")".
std::string tape_name(const Tape& tape, const Node& node) {
  std::string name = "#" + std::to_string(tape.position_of(node));
  if (node.label) return name + " \"" + *node.label + "\"";
  return name + (node.is_leaf() ? " (a leaf)" : " (made by \"" + std::string(node.op) + "\")");
}

// a and b outside the tape; on it, in this order: c = a * b, side = c * inf, d = c + a,
// root = d * d, after = root * inf (with the leaves inf makes). The root reaches c and d, not side
// or after.
struct SmallTape {
  Value a = Value(2.0).label("a"), b = Value(-3.0).label("b");
  TapeGuard guard;
  Value c = (a * b).label("c");
  Value side = (c * std::numeric_limits<double>::infinity()).label("side");
  Value d = (c + a).label("d");
  Value root = (d * d).label("root");
  Value after = (root * std::numeric_limits<double>::infinity()).label("after");
  Tape& tape() { return guard.tape(); }
};

TEST(Ex11_1_Reach, MarksTheRootAndEveryTapeNodeItReaches) {
  SmallTape graph;
  const std::uint64_t mark = fresh_visit_mark();
  graph.tape().reach(graph.root.node(), mark);
  for (const Value* reached : {&graph.root, &graph.d, &graph.c}) {
    EXPECT_EQ(reached->node().visit_mark, mark)
        << "Exercise 11.1 \"reach\": " << tape_name(graph.tape(), reached->node())
        << " is reached from the root (root = d * d, d = c + a) but was not marked. Walk "
           "backwards from the root's position: a marked node marks its parents, which sit at "
           "lower positions and are met later in the walk";
  }
}

TEST(Ex11_1_Reach, LeavesNodesTheRootDoesNotReachUnmarked) {
  SmallTape graph;
  const std::uint64_t mark = fresh_visit_mark();
  graph.tape().reach(graph.root.node(), mark);
  for (const Value* unreached : {&graph.side, &graph.after}) {
    EXPECT_NE(unreached->node().visit_mark, mark)
        << "Exercise 11.1 \"reach\": " << tape_name(graph.tape(), unreached->node())
        << " is not used on any path to the root, but was marked. Only a node that is itself "
           "marked passes the mark to its parents; nodes made after the root are never reached";
  }
  const Node& infinity = graph.side.node().parent(1);  // the constant only `side` uses
  EXPECT_NE(infinity.visit_mark, mark)
      << "Exercise 11.1 \"reach\": " << tape_name(graph.tape(), infinity)
      << ", the constant inf that only side (= c * inf, not reached) uses, was marked. A node "
         "the root does not reach must not pass the mark on to its parents: skip it";
}

TEST(Ex11_1_Reach, RestartsInteriorGradsAndKeepsLeaves) {
  Value outside = 4.0;
  const TapeGuard guard;
  Value leaf = Value(1.5).label("leaf on the tape");
  Value product = (leaf * outside).label("product");
  Value root = (product + leaf).label("root");
  leaf.grad() = 7.0;
  product.grad() = 5.0;
  root.grad() = 3.0;
  guard.tape().reach(root.node(), fresh_visit_mark());
  EXPECT_EQ(product.grad(), 0.0)
      << "Exercise 11.1 \"reach\": an interior node the root reaches must start its grad again "
         "from 0, or a second backward() adds to what the first one left (its grad was 5)";
  EXPECT_EQ(root.grad(), 0.0) << "Exercise 11.1 \"reach\": the root is reached too";
  EXPECT_EQ(leaf.grad(), 7.0)
      << "Exercise 11.1 \"reach\": a leaf keeps its grad (leaves add up across backward() calls "
         "until zero_grad()), but it was changed from 7 to "
      << leaf.grad();
}

TEST(Ex11_1_Reach, LeavesNodesFromOutsideTheTapeAlone) {
  SmallTape graph;
  const std::uint64_t before = graph.a.node().visit_mark;
  const std::uint64_t mark = fresh_visit_mark();
  graph.tape().reach(graph.root.node(), mark);
  EXPECT_EQ(graph.a.node().visit_mark, before)
      << "Exercise 11.1 \"reach\": a (made before the guard, not on the tape) was marked. Mark "
         "only the parents this tape holds (holds(parent)): a node from outside may be shared by "
         "other threads' tapes";
}

TEST(Ex11_1_Reach, AMillionNodeChainInOnePass) {
  const Value x = 1.0;
  const TapeGuard guard;
  Value chain = x;
  for (int i = 0; i < 1'000'000; ++i) chain = -chain;
  const std::uint64_t mark = fresh_visit_mark();
  guard.tape().reach(chain.node(), mark);
  EXPECT_EQ(guard.tape().node(0).visit_mark, mark)
      << "Exercise 11.1 \"reach\": the first node of a million-node chain was not reached";
}

TEST(Ex11_2_Sweep, GivesTheReferenceEnginesGradients) {
  const Values inputs = leaves(kInputs, 1);
  const Values reference_w = leaves(kWeights, 2), tape_w = leaves(kWeights, 2);
  network_loss(reference_w, inputs).backward();
  double largest = 0.0;
  for (const Value& p : reference_w) largest = std::max(largest, std::abs(p.grad()));
  const TapeGuard guard;
  network_loss(tape_w, inputs).backward();
  const double tolerance = 8 * std::numeric_limits<double>::epsilon() * largest;
  for (std::size_t i = 0; i < kWeights; ++i) {
    EXPECT_NEAR(tape_w[i].grad(), reference_w[i].grad(), tolerance)
        << "Exercise 11.2 \"sweep\": weight " << i << " of a small network (tanh, relu, dot, "
        << "pow, log, exp, sigmoid, abs) gets another gradient on the tape than with chapter 4's "
           "backward(). Run each grad_fn once, from the root's position down to 0, after every "
           "node that uses it";
  }
}

TEST(Ex11_2_Sweep, SkipsWhatTheRootDoesNotReach) {
  SmallTape graph;
  graph.root.backward();
  // root = (ab + a)^2: d/da = 2(ab + a)(b + 1), d/db = 2(ab + a) a.
  EXPECT_EQ(graph.a.grad(), 2 * (-6.0 + 2.0) * (-3.0 + 1.0))
      << "Exercise 11.2 \"sweep\": a's gradient is wrong. If it is nan: the grad_fn of a node the "
         "root does not reach ran (side = c * inf made before the root, after = root * inf made "
         "after it) and added 0 * inf. Run only the nodes reach() marked";
  EXPECT_EQ(graph.b.grad(), 2 * (-6.0 + 2.0) * 2.0) << "Exercise 11.2 \"sweep\": b's gradient";
}

TEST(Ex11_2_Sweep, ALeafRootAddsOneLikeEveryLeaf) {
  const TapeGuard guard;
  const Value leaf = 5.0;
  leaf.backward();
  leaf.backward();
  EXPECT_EQ(leaf.grad(), 2.0)
      << "Exercise 11.2 \"sweep\": backward() twice from a leaf root must leave grad 2, as "
         "chapter 4's backward() does (a leaf adds its d(root)/d(root) = 1 each time)";
}

TEST(Ex11_2_Sweep, SeedsTheRootAndRunsEachGradFnOnce) {
  const Value x = 3.0;
  const TapeGuard guard;
  const Value y = x * x;
  const Value z = y * x;  // x^3
  z.backward();
  EXPECT_EQ(z.grad(), 1.0) << "Exercise 11.2 \"sweep\": d(root)/d(root) = 1";
  EXPECT_EQ(y.grad(), 3.0) << "Exercise 11.2 \"sweep\": d(x^2 * x)/d(x^2) = x = 3";
  EXPECT_EQ(x.grad(), 27.0)
      << "Exercise 11.2 \"sweep\": d(x^3)/dx = 3x^2 = 27. Each grad_fn must run after every node "
         "that uses its node: backwards from the root";
}

TEST(Ex11_2_Sweep, AnotherRootOfTheSameTapeReachesOnlyItsOwnGraph) {
  const Value x = 2.0, y = 5.0;
  const TapeGuard guard;
  const Value y_times_3 = y * 3.0;  // made first
  const Value x_squared = x * x;    // made after it, on another branch
  y_times_3.backward();
  x_squared.backward();
  EXPECT_EQ(y.grad(), 3.0)
      << "Exercise 11.2 \"sweep\": backward() from x_squared (x * x) changed y, which only "
         "y_times_3 (made before it on the tape) uses: the mark the earlier backward() left on "
         "y_times_3 counted as reached. Take a fresh mark per call (fresh_visit_mark())";
  EXPECT_EQ(y_times_3.grad(), 1.0)
      << "Exercise 11.2 \"sweep\": backward() from x_squared reset the grad of y_times_3, a node "
         "it does not reach (as with chapter 4's backward(), it keeps the gradient of the last "
         "call that reached it): a mark left by an earlier call counted as reached. Take a fresh "
         "mark per call (fresh_visit_mark())";
  EXPECT_EQ(x.grad(), 4.0);
}

// For the checker's blame: reach on its own, on random expressions of +, * and tanh, against the
// nodes a depth-first search finds.
TEST(IsolatedOp, Ex11_1_Reach) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Values outside = leaves(3, seed);
    const TapeGuard guard;
    Values on_tape = outside;
    std::mt19937_64 generator(seed);
    for (int i = 0; i < 12; ++i) {
      const Value& p = on_tape[generator() % on_tape.size()];
      const Value& q = on_tape[generator() % on_tape.size()];
      on_tape.push_back(i % 3 == 0 ? (p + q).tanh() : i % 3 == 1 ? p * q : p + q);
    }
    const Value& root = on_tape[on_tape.size() - 2];  // a node made before the last
    const std::uint64_t mark = fresh_visit_mark();
    guard.tape().reach(root.node(), mark);
    std::size_t marked = 0;
    for (std::size_t position = 0; position < guard.tape().size(); ++position) {
      marked += guard.tape().node(position).visit_mark == mark ? 1 : 0;
    }
    // What the root reaches, found the slow way (a depth-first search over parent(i)).
    std::set<const Node*> reachable = {&root.node()};
    std::vector<const Node*> stack = {&root.node()};
    while (!stack.empty()) {
      const Node* node = stack.back();
      stack.pop_back();
      for (std::size_t i = 0; i < node->parent_count; ++i) {
        if (reachable.insert(&node->parent(i)).second) stack.push_back(&node->parent(i));
      }
    }
    std::size_t reachable_on_tape = 0;
    for (const Node* node : reachable) reachable_on_tape += node->tape ? 1 : 0;
    EXPECT_EQ(marked, reachable_on_tape)
        << "Exercise 11.1 \"reach\": on expression " << seed << " it marked " << marked
        << " tape nodes, but the root reaches " << reachable_on_tape;
  }
}

// An op with many inputs checks each input as it records its edge on a tape (one pass over the
// inputs), so an input that is a null pointer or a moved-from Value throws after the op's node
// is on the tape: the error must be the one the reference engine gives, and the half-made node
// must not disturb what the tape computes next.
TEST(Tape, AWideOpWithABadInputThrowsAsWithoutATapeAndTheTapeGoesOn) {
  const Values reference_w = leaves(kWeights, 2), tape_w = leaves(kWeights, 2);
  const Values inputs = leaves(kInputs, 1);
  Value moved = tape_w[0] * 1.0;
  const Value taken = std::move(moved);
  const auto null_input = [&] {
    const std::vector<const Value*> parents = {&tape_w[0], &tape_w[1], &tape_w[2], nullptr};
    (void)Value::from_op(
        1.0, "bad", [](Node&) {}, parents);
  };
  const auto moved_input = [&] {
    const std::vector<const Value*> parents = {&tape_w[0], &tape_w[1], &tape_w[2], &moved};
    (void)Value::from_op(
        1.0, "bad", [](Node&) {}, parents);
  };
  const std::string null_message = message_of<std::invalid_argument>(null_input);
  const std::string moved_message = message_of<std::logic_error>(moved_input);
  EXPECT_NE(null_message.find("was given a null pointer as an input"), std::string::npos)
      << null_message;
  EXPECT_NE(moved_message.find("this Value was moved from"), std::string::npos) << moved_message;
  const Value reference = network_loss(reference_w, inputs);
  reference.backward();
  double largest = 0.0;
  for (const Value& p : reference_w) largest = std::max(largest, std::abs(p.grad()));

  const TapeGuard guard;
  EXPECT_EQ(message_of<std::invalid_argument>(null_input), null_message);
  EXPECT_EQ(message_of<std::logic_error>(moved_input), moved_message);
  const Value recorded = network_loss(tape_w, inputs);
  EXPECT_EQ(recorded.data(), reference.data());
  recorded.backward();
  EXPECT_TRUE(guard.tape().sweepable())
      << "the half-made node must not send backward() to the sort";
  const double tolerance = 8 * std::numeric_limits<double>::epsilon() * largest;
  for (std::size_t i = 0; i < kWeights; ++i) {
    EXPECT_NEAR(tape_w[i].grad(), reference_w[i].grad(), tolerance) << "parameter " << i;
  }
}

}  // namespace
}  // namespace micrograd
