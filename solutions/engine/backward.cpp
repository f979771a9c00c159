// Backpropagation: order the graph so every node comes after its inputs, then walk that order
// backwards, letting each node pass its gradient to its inputs.
//
// Why that order: when a node's grad_fn runs, its grad must be complete, i.e. every node that uses
// it must already have passed its share back. Reverse topological order guarantees exactly that.
#include <atomic>
#include <utility>
#include <vector>

#include "engine/graph.hpp"
#include "engine/value.hpp"

namespace micrograd {

std::vector<Node*> topological_order(const Value& root) {
  // EXERCISE 4.1 "topological order": every node reachable from root, each once, inputs before
  //   the nodes that use them, root last.
  // HINT: micrograd's build_topo is a recursive depth-first search: visit each parent, then append
  //   the node. Recursion overflows the stack on a chain of a million nodes, so keep your own
  //   stack of (node, index of the next parent to visit). Mark nodes as visited so a node used
  //   twice is listed once: a std::unordered_set<Node*> works; node->visit_mark is faster.
  // BEGIN SOLUTION
  // Each sort gets a fresh mark, so no node needs un-marking afterwards.
  // Marks start at 1 and new nodes hold 0, so a new node always counts as unvisited.
  // 64 bits: at a billion sorts a second it would take centuries to come round again.
  static std::atomic<std::uint64_t> last_mark{0};
  const std::uint64_t mark = ++last_mark;

  // Graphs of one training loop have the same size step after step: start with room for that
  // many, and keep the stack's memory between calls.
  thread_local std::size_t last_size = 0;
  thread_local std::vector<std::pair<Node*, std::uint8_t>> stack;  // node, next parent to visit
  stack.clear();  // an exception in an earlier call may have left entries behind
  std::vector<Node*> order;
  order.reserve(last_size);
  Node* start = &root.node();
  start->visit_mark = mark;
  stack.emplace_back(start, 0);
  while (!stack.empty()) {
    auto& [node, next_parent] = stack.back();
    if (next_parent < node->parent_count) {
      Node* parent = node->parents[next_parent++].get();
      if (parent->visit_mark != mark) {
        parent->visit_mark = mark;
        stack.emplace_back(parent, 0);  // invalidates node/next_parent; the loop re-reads them
      }
    } else {
      order.push_back(node);  // all of its inputs are already in `order`
      stack.pop_back();
    }
  }
  last_size = order.size();
  return order;
  // END SOLUTION
}

void Value::backward() const {
  // EXERCISE 4.2 "backward": fill in d(this)/d(node) for every node of the graph.
  // HINT: 1. order = topological_order(*this).
  //       2. Set grad = 0 on every node that is not a leaf (interior grads are recomputed each
  //          call; leaves keep accumulating until zero_grad).
  //       3. Set this node's grad to 1: d(root)/d(root) = 1.
  //       4. From the back of `order` to the front: run_grad_fn(*that_node, node()),
  //          which calls that node's grad_fn (and checks it in anomaly mode).
  // BEGIN SOLUTION
  const std::vector<Node*> order = topological_order(*this);
  for (Node* node : order) {
    if (!node->is_leaf()) node->grad = 0.0;
  }
  if (is_leaf()) {
    grad() += 1.0;  // a leaf accumulates, like every other leaf
  } else {
    grad() = 1.0;
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) run_grad_fn(**it, node());
  // END SOLUTION
}

}  // namespace micrograd
