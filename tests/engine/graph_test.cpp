// Tests of engine/graph.hpp: the topological order (exercise 4.1), backward() (exercise 4.2, a
// member of Value but the walk over this order), and graph statistics.
#include "engine/graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "engine/chain_rule_checks.hpp"
#include "engine/failure_messages.hpp"
#include "engine/weighted_sum_op.hpp"

namespace micrograd {
namespace {

using messages::NodeNames;
using messages::same_node;

// The position of each node in `order`, checking that none appears twice (`names` names them in
// the message).
std::unordered_map<const Node*, std::size_t> positions(const std::vector<Node*>& order,
                                                       const NodeNames& names) {
  std::unordered_map<const Node*, std::size_t> position;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto [first, added] = position.emplace(order[i], i);
    if (!added) {
      ADD_FAILURE() << "order[" << i << "] is " << names(order[i]) << ", already listed as order["
                    << first->second << "], expected every node once: a node is listed twice in "
                    << "the order " << names(order);
    }
  }
  return position;
}

// A predicate-formatter for EXPECT_PRED_FORMAT2(comes_before(order, names), input, user), for
// Values and Node pointers: "a is order[2], expected before c (order[1]), the node that uses it".
auto comes_before(const std::vector<Node*>& order, const NodeNames& names) {
  return [&order, &names](const char*, const char*, const auto& input,
                          const auto& user) -> ::testing::AssertionResult {
    const Node* earlier = messages::node_of(input);
    const Node* later = messages::node_of(user);
    const auto where = [&](const Node* node) -> std::string {
      const auto found = std::find(order.begin(), order.end(), node);
      return found == order.end() ? "not in the order"
                                  : "order[" + std::to_string(found - order.begin()) + "]";
    };
    const auto first = std::find(order.begin(), order.end(), earlier);
    if (first < std::find(order.begin(), order.end(), later)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << names(earlier) << " is " << where(earlier) << ", expected before " << names(later)
           << " (" << where(later) << "), the node that uses it";
  };
}

// ---- Exercise 4.1: topological order -----------------------------------------------------------

TEST(Ex4_1_TopologicalOrder, InputsBeforeUsersRootLast) {
  Value a = 1.0, b = 2.0;
  Value c = a * b;
  Value d = c + a;
  Value e = d.tanh();
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}, {"d", d}, {"e", e}};
  const std::vector<Node*> order = topological_order(e);
  ASSERT_EQ(order.size(), 5u) << "every reachable node exactly once (a, b, c = a * b, d = c + a, "
                              << "e = tanh(d)); the order is " << names(order);
  EXPECT_PRED_FORMAT2(same_node(names), order.back(), e)
      << "the root comes last; the order is " << names(order);
  positions(order, names);
  for (const Node* node : order) {
    for (std::uint32_t i = 0; i < node->parent_count; ++i) {
      EXPECT_PRED_FORMAT2(comes_before(order, names), &node->parent(i), node)
          << "an input must come before the node that uses it; the order is " << names(order);
    }
  }
}

TEST(Ex4_1_TopologicalOrder, NodesWithThreeOrMoreParentsListEveryParent) {
  // Chapter 9's sum and dot (and an op of your own) make nodes with any number of parents: the
  // first two sit in the node, the others elsewhere. parent(i) reaches every one of them.
  Value a = 1.0, b = 2.0, c = 3.0, d = 4.0, e = 5.0;
  Value three = testing_ops::weighted(std::vector<Value>{a, b, c});
  Value five = testing_ops::weighted(std::vector<Value>{three, d, e, a, b});
  const NodeNames names = {{"a", a}, {"b", b},         {"c", c},      {"d", d},
                           {"e", e}, {"three", three}, {"five", five}};
  const std::vector<Node*> order = topological_order(five);
  ASSERT_EQ(order.size(), 7u)
      << "every reachable node exactly once: a, b, c, three = op(a, b, c), d, e and "
         "five = op(three, d, e, a, b); the order is "
      << names(order)
      << ". A node's parents are parent(0) .. parent(parent_count - 1), however many there "
         "are: an op of chapter 9 has any number";
  for (const Node* node : order) {
    for (std::uint32_t i = 0; i < node->parent_count; ++i) {
      EXPECT_PRED_FORMAT2(comes_before(order, names), &node->parent(i), node)
          << "an input must come before the node that uses it, parent 2, 3, ... too; the order "
             "is "
          << names(order);
    }
  }
}

TEST(Ex4_1_TopologicalOrder, InputReachedTwiceComesBeforeEveryUser) {
  // a feeds d directly and through c: however the walk reaches a, it must be listed before c.
  Value a = 1.0, b = 2.0;
  Value c = a * b;
  Value d = a + c;
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}, {"d", d}};
  const std::vector<Node*> order = topological_order(d);
  ASSERT_EQ(order.size(), 4u) << "every reachable node exactly once (a, b, c = a * b, d = a + c); "
                              << "the order is " << names(order);
  positions(order, names);
  EXPECT_PRED_FORMAT2(comes_before(order, names), a, c)
      << "a is an input of c: mark a node visited when you visit it, not when you push it; the "
      << "order is " << names(order);
  EXPECT_PRED_FORMAT2(comes_before(order, names), c, d) << "the order is " << names(order);
  EXPECT_PRED_FORMAT2(same_node(names), order.back(), d)
      << "the root comes last; the order is " << names(order);
}

TEST(Ex4_1_TopologicalOrder, NodeUsedTwiceIsListedOnce) {
  Value a = 1.0;
  Value b = a + a;
  Value c = b * b;
  const NodeNames names = {{"a", a}, {"b", b}, {"c", c}};
  const std::vector<Node*> order = topological_order(c);
  EXPECT_EQ(order.size(), 3u) << "a, b = a + a and c = b * b, each once: remember which nodes you "
                              << "already visited; the order is " << names(order);
  positions(order, names);
}

TEST(Ex4_1_TopologicalOrder, LeafAloneIsItsOwnOrder) {
  Value a = 1.0;
  const NodeNames names = {{"a", a}};
  const std::vector<Node*> order = topological_order(a);
  ASSERT_EQ(order.size(), 1u) << "a leaf's order is the leaf alone; the order is " << names(order);
  EXPECT_PRED_FORMAT2(same_node(names), order[0], a) << "a leaf's order is the leaf alone";
}

TEST(Ex4_1_TopologicalOrder, RepeatedCallsGiveTheSameOrder) {
  Value a = 1.0, b = 2.0;
  Value ab = a * b;
  Value sum = ab + b;
  Value r = sum.relu();
  Value out = r * a;
  const NodeNames names = {
      {"a", a}, {"b", b}, {"a*b", ab}, {"a*b + b", sum}, {"relu(a*b + b)", r}, {"out", out}};
  const std::vector<Node*> first = topological_order(out);
  const std::vector<Node*> second = topological_order(out);
  if (second != first) {
    ADD_FAILURE() << "the second topological_order(out) is " << names(second)
                  << ", expected the first's, " << names(first)
                  << ": visited marks from a previous call must not hide nodes from the next one";
  }
}

TEST(Ex4_1_TopologicalOrder, MillionNodeChainWithoutRecursion) {
  Value x = 1.0;
  Value chain = x;
  for (int i = 0; i < 1'000'000; ++i) chain = chain * 1.0;
  const NodeNames names = {{"x", x}, {"the root (the last link)", chain}};
  const std::vector<Node*> order = topological_order(chain);
  ASSERT_EQ(order.size(), 2'000'001u) << "the chain of 1,000,000 links, their constants and x";
  EXPECT_PRED_FORMAT2(same_node(names), order.back(), chain) << "the root comes last";
  // Walk the chain from the root: each link must come after the link it multiplies.
  const auto position = positions(order, names);
  std::size_t later = position.at(&chain.node());
  std::size_t link_number = 1'000'000;
  for (const Node* link = &chain.node(); !link->is_leaf(); link = &link->parent(0)) {
    const std::size_t earlier = position.at(&link->parent(0));
    if (!(earlier < later)) {
      FAIL() << "the input of link " << link_number << " is order[" << earlier
             << "], expected before the link (order[" << later
             << "]): an input must come before the node that uses it";
    }
    later = earlier;
    --link_number;
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

TEST(Ex4_2_Backward, NodesWithThreeOrMoreParentsPassBackToEveryParent) {
  // op(x0, x1, x2, ...) = 1*x0 + 2*x1 + 3*x2 + ...: d/dx_i = i + 1 tells the parents apart.
  Value a = 1.0, b = 2.0, c = 3.0, d = 4.0;
  Value out = testing_ops::weighted(std::vector<Value>{a, b, c, d}) * 2.0;
  out.backward();
  const double expected[] = {2.0, 4.0, 6.0, 8.0};
  const Value* leaves[] = {&a, &b, &c, &d};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(leaves[i]->grad(), expected[i])
        << "out = 2 * op(a, b, c, d) with op = a + 2b + 3c + 4d: parent " << i << " gets "
        << expected[i]
        << ". backward must reach every parent of a node with many inputs: its sort lists "
           "parent(0) .. parent(parent_count - 1), not only the two inline ones";
  }
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
    const NodeNames names = {
        {"leaf 0", leaves[0]}, {"leaf 1", leaves[1]}, {"leaf 2", leaves[2]}, {"the root", root}};
    const std::vector<Node*> order = topological_order(root);
    EXPECT_EQ(order.size(), chain_rule::nodes_in_topological_order(root).size())
        << "Exercise 4.1 \"topological order\": every reachable node, each once";
    const auto position = positions(order, names);
    for (const Node* node : order) {
      for (std::uint32_t i = 0; i < node->parent_count; ++i) {
        const Node* input = &node->parent(i);
        if (!position.count(input)) {
          FAIL() << "Exercise 4.1 \"topological order\": " << names(input) << ", an input of "
                 << names(node) << ", is not in the order, expected every reachable node in it";
        }
        EXPECT_PRED_FORMAT2(comes_before(order, names), input, node)
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

TEST(ManyInputs, SortBackwardAndStatsSeeEveryParent) {
  Value a = Value(1.0).label("a"), b = 2.0, c = 3.0, d = 4.0;
  const Value ab = a * b;
  const std::vector<Value> inputs = {a, ab, c, d, c};
  const Value out = testing_ops::weighted(inputs).tanh();
  const std::vector<Node*> order = topological_order(out);
  EXPECT_EQ(order.size(), 7u) << "a, b, a*b, c, d, weighted, tanh";
  for (const Value& input : inputs) {
    EXPECT_LT(std::find(order.begin(), order.end(), &input.node()), order.end() - 2)
        << "every input comes before the op that uses it";
  }
  out.backward();
  const double slope = 1.0 - out.data() * out.data();
  EXPECT_DOUBLE_EQ(c.grad(), (3 + 5) * slope) << "c is input 2 and input 4";
  EXPECT_DOUBLE_EQ(d.grad(), 4 * slope);
  EXPECT_DOUBLE_EQ(a.grad(), (1 + 2 * b.data()) * slope) << "directly, and through a*b";

  const GraphStats stats = graph_stats(out);
  EXPECT_EQ(stats.node_count, 7u);
  EXPECT_EQ(stats.depth, 4u) << "a -> a*b -> weighted -> tanh";
  EXPECT_EQ(stats.op_counts.at("weighted"), 1u);
  EXPECT_EQ(stats.bytes, 7 * bytes_per_node() + sizeof(std::string) + a.label().capacity() +
                             3 * sizeof(std::shared_ptr<Node>))
      << "the weighted node holds its parents 2, 3 and 4 out of line";
}

}  // namespace
}  // namespace micrograd
