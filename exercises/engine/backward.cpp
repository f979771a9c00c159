// Generated from solutions/engine/backward.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
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
  // BEGIN EXERCISE 4.1 -- TODO: replace the line below with your code
  throw NotImplemented("4.1", "topological order", __FILE__, __LINE__);
  // END EXERCISE 4.1
}

void Value::backward() const {
  // EXERCISE 4.2 "backward": fill in d(this)/d(node) for every node of the graph.
  // HINT: 1. order = topological_order(*this).
  //       2. Set grad = 0 on every node that is not a leaf (interior grads are recomputed each
  //          call; leaves keep accumulating until zero_grad).
  //       3. Set this node's grad to 1: d(root)/d(root) = 1.
  //       4. From the back of `order` to the front: run_grad_fn(*that_node, node()),
  //          which calls that node's grad_fn (and checks it in anomaly mode).
  // BEGIN EXERCISE 4.2 -- TODO: replace the line below with your code
  throw NotImplemented("4.2", "backward", __FILE__, __LINE__);
  // END EXERCISE 4.2
}

}  // namespace micrograd
