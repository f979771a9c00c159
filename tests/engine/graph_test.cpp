// Tests of engine/graph.hpp: the topological order (exercise 4.1), backward() (exercise 4.2, a
// member of Value but the walk over this order), and graph statistics.
#include "engine/graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "engine/chain_rule_checks.hpp"

namespace micrograd {
namespace {

// The position of each node in `order`, checking that none appears twice.
std::unordered_map<const Node*, std::size_t> positions(const std::vector<Node*>& order) {
  std::unordered_map<const Node*, std::size_t> position;
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_TRUE(position.emplace(order[i], i).second) << "a node is listed twice in the order";
  }
  return position;
}

// ---- Exercise 4.1: topological order -----------------------------------------------------------

TEST(Ex4_1_TopologicalOrder, InputsBeforeUsersRootLast) {
  Value a = 1.0, b = 2.0;
  Value c = a * b;
  Value d = c + a;
  Value e = d.tanh();
  const std::vector<Node*> order = topological_order(e);
  ASSERT_EQ(order.size(), 5u) << "a, b, c, d, e: every reachable node exactly once";
  EXPECT_EQ(order.back(), &e.node()) << "the root comes last";
  const auto position = positions(order);
  for (const Node* node : order) {
    for (std::uint8_t i = 0; i < node->parent_count; ++i) {
      EXPECT_LT(position.at(node->parents[i].get()), position.at(node))
          << "an input must come before the node that uses it";
    }
  }
}

TEST(Ex4_1_TopologicalOrder, InputReachedTwiceComesBeforeEveryUser) {
  // a feeds d directly and through c: however the walk reaches a, it must be listed before c.
  Value a = 1.0, b = 2.0;
  Value c = a * b;
  Value d = a + c;
  const std::vector<Node*> order = topological_order(d);
  ASSERT_EQ(order.size(), 4u) << "a, b, c, d: every reachable node exactly once";
  const auto position = positions(order);
  EXPECT_LT(position.at(&a.node()), position.at(&c.node()))
      << "a is an input of c: mark a node visited when you visit it, not when you push it";
  EXPECT_LT(position.at(&c.node()), position.at(&d.node()));
  EXPECT_EQ(order.back(), &d.node());
}

TEST(Ex4_1_TopologicalOrder, NodeUsedTwiceIsListedOnce) {
  Value a = 1.0;
  Value b = a + a;
  Value c = b * b;
  const std::vector<Node*> order = topological_order(c);
  EXPECT_EQ(order.size(), 3u) << "a, b and c; remember which nodes you already visited";
  positions(order);
}

TEST(Ex4_1_TopologicalOrder, LeafAloneIsItsOwnOrder) {
  Value a = 1.0;
  const std::vector<Node*> order = topological_order(a);
  ASSERT_EQ(order.size(), 1u);
  EXPECT_EQ(order[0], &a.node());
}

TEST(Ex4_1_TopologicalOrder, RepeatedCallsGiveTheSameOrder) {
  Value a = 1.0, b = 2.0;
  Value out = (a * b + b).relu() * a;
  EXPECT_EQ(topological_order(out), topological_order(out))
      << "visited marks from a previous call must not hide nodes from the next one";
}

TEST(Ex4_1_TopologicalOrder, MillionNodeChainWithoutRecursion) {
  Value x = 1.0;
  Value chain = x;
  for (int i = 0; i < 1'000'000; ++i) chain = chain * 1.0;
  const std::vector<Node*> order = topological_order(chain);
  ASSERT_EQ(order.size(), 2'000'001u) << "the chain, its constants and x";
  EXPECT_EQ(order.back(), &chain.node()) << "the root comes last";
  // Walk the chain from the root: each link must come after the link it multiplies.
  const auto position = positions(order);
  std::size_t later = position.at(&chain.node());
  for (const Node* link = &chain.node(); !link->is_leaf(); link = link->parents[0].get()) {
    const std::size_t earlier = position.at(link->parents[0].get());
    ASSERT_LT(earlier, later) << "an input must come before the node that uses it";
    later = earlier;
  }
}

// ---- Exercise 4.2: backward ---------------------------------------------------------------------

TEST(Ex4_2_Backward, ChainRuleThroughANeuron) {
  // The lecture's neuron: o = tanh(x1 w1 + x2 w2 + b).
  Value x1 = 2.0, x2 = 0.0, w1 = -3.0, w2 = 1.0, b = 6.8813735870195432;
  Value n = x1 * w1 + x2 * w2 + b;
  Value o = n.tanh();
  o.backward();
  EXPECT_NEAR(o.data(), 0.7071067811865476, 1e-12);
  EXPECT_NEAR(n.grad(), 0.5, 1e-12) << "do/dn = 1 - tanh(n)^2 = 0.5";
  EXPECT_NEAR(x1.grad(), -1.5, 1e-12) << "do/dx1 = w1 * 0.5";
  EXPECT_NEAR(w1.grad(), 1.0, 1e-12) << "do/dw1 = x1 * 0.5";
  EXPECT_NEAR(x2.grad(), 0.5, 1e-12);
  EXPECT_NEAR(w2.grad(), 0.0, 1e-12);
  EXPECT_EQ(o.grad(), 1.0) << "backward starts with d(root)/d(root) = 1";
}

TEST(Ex4_2_Backward, NodeUsedTwiceTwoLevels) {
  Value a = 1.0;
  Value b = a + a;
  Value c = b + b;
  c.backward();
  EXPECT_DOUBLE_EQ(a.grad(), 4.0) << "c = 4a; 2 means b's grad was not complete before it ran";
}

TEST(Ex4_2_Backward, LeavesAccumulateInteriorNodesDoNot) {
  Value a = 3.0;
  Value b = a * a;  // interior
  Value c = b + a;
  c.backward();
  EXPECT_DOUBLE_EQ(a.grad(), 7.0) << "dc/da = 2a + 1";
  c.backward();
  EXPECT_DOUBLE_EQ(a.grad(), 14.0)
      << "a second backward() adds the same gradient again to leaves (exactly twice). More than "
         "twice means interior grads were not reset to 0 at the start of backward()";
  EXPECT_DOUBLE_EQ(b.grad(), 1.0) << "interior nodes hold the gradient of the latest call only";
  EXPECT_DOUBLE_EQ(c.grad(), 1.0);
}

TEST(Ex4_2_Backward, ZeroGradBetweenStepsGivesFreshGradients) {
  Value w = 2.0;
  Value loss = (w * 3).pow(2);
  loss.backward();
  const double first = w.grad();
  w.grad() = 0.0;  // what zero_grad does for every parameter
  loss.backward();
  EXPECT_DOUBLE_EQ(w.grad(), first) << "with the grad reset in between, both passes agree";
  EXPECT_DOUBLE_EQ(first, 36.0) << "d(9 w^2)/dw = 18 w";
}

TEST(Ex4_2_Backward, BackwardFromALeaf) {
  Value a = 5.0;
  a.backward();
  EXPECT_EQ(a.grad(), 1.0) << "d(a)/d(a) = 1";
  a.backward();
  EXPECT_EQ(a.grad(), 2.0) << "a leaf adds up its gradient (+=), also when it is the root itself";
}

TEST(Ex4_2_Backward, RandomCompositionsMatchFiniteDifferences) {
  chain_rule::expect_compositions_match_finite_differences(
      "4.2 \"backward\"",
      {chain_rule::Op::add, chain_rule::Op::mul, chain_rule::Op::neg, chain_rule::Op::sub,
       chain_rule::Op::pow, chain_rule::Op::div, chain_rule::Op::exp, chain_rule::Op::log,
       chain_rule::Op::tanh, chain_rule::Op::relu, chain_rule::Op::sigmoid},
      [](const Value& root) {
        // backward() adds to the leaves' grads: start them from 0, as zero_grad would.
        for (const Value& value : chain_rule::nodes_in_topological_order(root)) value.grad() = 0.0;
        root.backward();
      });
}

TEST(Ex4_2_Backward, MillionNodeChain) {
  Value x = 0.5;
  Value chain = x;
  for (int i = 0; i < 1'000'000; ++i) chain = chain * 1.0 + 0.0;
  chain.backward();
  EXPECT_DOUBLE_EQ(x.grad(), 1.0) << "every link has derivative 1";
}

// ---- Chapter 4 on its own, for the checker's blame (see IsolatedOp in value_test.cpp) ----------
// backward() and the tests' own backward_by_hand use the same grad_fns, so an op's mistake shows
// in both and cancels out here: what differs is the sort and the walk.

TEST(IsolatedOp, Ex4_1_TopologicalOrder) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<Value> leaves = {Value(0.7), Value(-1.3), Value(0.4)};
    const Value root =
        chain_rule::random_composition(seed, {chain_rule::Op::add, chain_rule::Op::mul}, leaves);
    const std::vector<Node*> order = topological_order(root);
    EXPECT_EQ(order.size(), chain_rule::nodes_in_topological_order(root).size())
        << "Exercise 4.1 \"topological order\": every reachable node, each once";
    const auto position = positions(order);
    for (const Node* node : order) {
      for (std::uint8_t i = 0; i < node->parent_count; ++i) {
        ASSERT_TRUE(position.count(node->parents[i].get()))
            << "Exercise 4.1 \"topological order\": an input is missing from the order";
        EXPECT_LT(position.at(node->parents[i].get()), position.at(node))
            << "Exercise 4.1 \"topological order\": an input comes after a node that uses it";
      }
    }
  }
}

TEST(IsolatedOp, Ex4_2_Backward) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<Value> by_engine = {Value(0.7), Value(-1.3), Value(0.4)};
    std::vector<Value> by_hand = {Value(0.7), Value(-1.3), Value(0.4)};
    const std::vector<chain_rule::Op> ops = {chain_rule::Op::add, chain_rule::Op::mul,
                                             chain_rule::Op::tanh};
    chain_rule::random_composition(seed, ops, by_engine).backward();
    chain_rule::backward_by_hand(chain_rule::random_composition(seed, ops, by_hand));
    for (std::size_t i = 0; i < by_hand.size(); ++i) {
      EXPECT_DOUBLE_EQ(by_engine[i].grad(), by_hand[i].grad())
          << "Exercise 4.2 \"backward\": backward() and a reference walk over the same grad_fns "
             "disagree on expression "
          << seed << ", leaf " << i;
    }
  }
}

// ---- run_grad_fn and statistics -----------------------------------------------------------------

TEST(RunGradFn, LeafIsANoOp) {
  Value a = 1.0;
  a.grad() = 3.0;
  run_grad_fn(a.node(), a.node());
  EXPECT_EQ(a.grad(), 3.0);
}

TEST(GraphStats, CountsOpsLeavesDepthAndBytes) {
  Value a = Value(1.0).label("a"), b = 2.0;
  Value c = a * b;
  Value d = (c + a).tanh();
  const GraphStats stats = graph_stats(d);
  EXPECT_EQ(stats.node_count, 5u);
  EXPECT_EQ(stats.leaf_count, 2u);
  EXPECT_EQ(stats.op_counts.at("*"), 1u);
  EXPECT_EQ(stats.op_counts.at("+"), 1u);
  EXPECT_EQ(stats.op_counts.at("tanh"), 1u);
  EXPECT_EQ(stats.op_counts.at(""), 2u) << "leaves are counted under the empty op";
  EXPECT_EQ(stats.depth, 4u) << "a -> c -> (c + a) -> tanh";
  EXPECT_EQ(stats.bytes, 5 * bytes_per_node() + sizeof(std::string) + a.label().capacity())
      << "five nodes and one label";
}

TEST(GraphStats, DeepChainDepth) {
  Value x = 1.0;
  for (int i = 0; i < 1000; ++i) x = x.tanh();
  EXPECT_EQ(graph_stats(x).depth, 1001u);
}

}  // namespace
}  // namespace micrograd
