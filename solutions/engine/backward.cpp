// Backpropagation: order the graph so every node comes after its inputs, then walk that order
// backwards, letting each node pass its gradient to its inputs.
//
// Why that order: when a node's grad_fn runs, its grad must be complete, i.e. every node that uses
// it must already have passed its share back. Reverse topological order guarantees exactly that.
#include <cstdint>
#include <vector>

#include "engine/graph.hpp"
#include "engine/value.hpp"

namespace micrograd {

std::vector<Node*> topological_order(const Value& root) {
  // EXERCISE 4.1 "topological order": every node reachable from root, each once, inputs before
  //   the nodes that use them, root last. Without recursion: a chain of a million nodes must
  //   work. A node is visited in this call when its visit_mark equals this call's mark, a number
  //   that fresh_visit_mark() hands out new on every call (take it once, first): marks left by
  //   earlier sorts then count as unvisited, and no node needs un-marking afterwards.
  // BEGIN SOLUTION
  const std::uint64_t mark = fresh_visit_mark();
  // The steps still to take, last in first out: visit a node, or append it to the order.
  struct Step {
    Node* node;
    bool append;
  };
  std::vector<Step> stack = {{&root.node(), false}};
  std::vector<Node*> order;
  // A training loop sorts a graph of the same size at every step: start with room for as many
  // nodes as last time (growing the vector from empty costs as much as the sort itself).
  thread_local std::size_t last_size = 0;
  order.reserve(last_size);
  while (!stack.empty()) {
    const Step step = stack.back();
    stack.pop_back();
    if (step.append) {
      order.push_back(step.node);  // its inputs were pushed after it, so they are all in `order`
      continue;
    }
    if (step.node->visit_mark == mark) continue;  // reached earlier along another path
    step.node->visit_mark = mark;
    stack.push_back({step.node, true});
    for (std::size_t i = 0; i < step.node->parent_count; ++i) {
      Node& parent = step.node->parent(i);
      if (parent.visit_mark != mark) stack.push_back({&parent, false});
    }
  }
  last_size = order.size();
  return order;
  // END SOLUTION
}

void Value::backward() const {
  // A graph recorded on a tape (engine/tape.hpp) needs no sort: its sweep is chapter 11.
  if (Tape* tape = node().tape; tape != nullptr && tape->sweepable()) return tape->backward(node());
  // EXERCISE 4.2 "backward": fill in d(this)/d(node) for every node of the graph. Interior
  //   nodes hold the gradient of this call only; leaves keep adding up until zero_grad(). The
  //   root gets d(this)/d(this) = 1: set to 1 when it is an op's result, added to what it holds
  //   when it is a leaf (it accumulates, like every leaf: two calls from a leaf give it 2).
  //   run_grad_fn(node, this->node()) runs one node's grad_fn (and checks it in anomaly mode).
  // BEGIN SOLUTION
  const std::vector<Node*> order = topological_order(*this);
  for (Node* node : order) {
    if (!node->is_leaf()) node->grad = 0.0;
  }
  if (is_leaf()) {
    grad() += 1.0;  // d(this)/d(this) = 1; a leaf adds it, like every other leaf
  } else {
    grad() = 1.0;
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) run_grad_fn(**it, node());
  // END SOLUTION
}

}  // namespace micrograd
