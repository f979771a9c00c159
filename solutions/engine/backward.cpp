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
  //   stack of steps still to take: "visit this node" or "append this node". Visiting a node
  //   pushes "append it" and then "visit" each of its parents: a stack runs the last thing pushed
  //   first, so the node is appended after everything its parents bring in. Mark a node when its
  //   "visit" comes off the stack and skip visits of marked nodes, so a node used twice is listed
  //   once (marking when you push can list a node before an input still waiting lower down). A
  //   std::unordered_set<Node*> works; node->visit_mark is faster.
  // BEGIN SOLUTION
  // Each sort gets a fresh mark, so no node needs un-marking afterwards.
  // Marks start at 1 and new nodes hold 0, so a new node always counts as unvisited.
  // 64 bits: at a billion sorts a second it would take centuries to come round again.
  static std::atomic<std::uint64_t> last_mark{0};
  const std::uint64_t mark = ++last_mark;

  // Step is as wide as the pointer next to it, so an entry is two 8-byte words: the CPU then
  // hands a just-pushed entry straight to the pop that reads it back. (A narrower field measured
  // 1.5x-2x slower on the demo step: a 4-byte one defeats that hand-over, and a std::uint8_t is a
  // character type whose stores may alias anything, so the compiler reloads the stack's pointers.)
  enum class Step : std::uint64_t { kVisit, kAppend };
  struct Todo {
    Node* node;
    Step step;
  };
  // Graphs of one training loop have the same size step after step: start with room for that
  // many, and keep the stack's memory between calls.
  thread_local std::size_t last_size = 0;
  thread_local std::vector<Todo> stack;
  stack.clear();  // an exception in an earlier call may have left entries behind
  std::vector<Node*> order;
  order.reserve(last_size);
  stack.push_back({&root.node(), Step::kVisit});
  while (!stack.empty()) {
    const Todo todo = stack.back();
    stack.pop_back();
    Node* node = todo.node;
    if (todo.step == Step::kAppend) {
      order.push_back(node);  // everything pushed after it, all of its inputs, is in `order`
      continue;
    }
    if (node->visit_mark == mark) continue;  // reached earlier along another path
    node->visit_mark = mark;
    stack.push_back({node, Step::kAppend});
    // The last parent is visited first (the stack pops it first). In code like `sum = sum + w*x`
    // the last parent is the one built most recently, so the walk meets nodes in about the
    // reverse of the order they were built, which is the order they sit in memory: the CPU can
    // prefetch ahead (measured on the demo step: the sort runs in half the time).
    for (std::uint8_t i = 0; i < node->parent_count; ++i) {
      Node* parent = node->parents[i].get();
      if (parent->visit_mark != mark) stack.push_back({parent, Step::kVisit});
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
