// Backpropagation on a tape: one reverse sweep, no sort.
//
// A tape (engine/tape.hpp) holds a step's nodes in the order they were made. That order already is
// a topological order: an op's inputs exist before the op makes its result, so every node comes
// after all of its parents, and before every node that uses it. Walking the tape backwards
// therefore reaches each node after every node that uses it has passed its gradient back: its
// grad is complete by then, which is all chapter 4's sort was for.
#include <cstdint>

#include "engine/graph.hpp"
#include "engine/tape.hpp"

namespace micrograd {

void Tape::backward(Node& root) {
  const std::uint64_t reached = fresh_visit_mark();
  root.visit_mark = reached;
  if (root.is_leaf()) {
    root.grad += 1.0;  // d(root)/d(root) = 1; a leaf adds it, like every other leaf
  } else {
    root.grad = 1.0;
  }
  for (std::size_t position = position_of(root) + 1; position-- > 0;) {
    Node& node = this->node(position);
    if (node.visit_mark != reached) continue;  // the root does not reach it: skip it
    for (std::size_t i = 0; i < node.parent_count; ++i) {
      Node& parent = node.parent(i);
      // The first time a parent on the tape is reached, its interior grad starts again from 0
      // (before anything is added to it: every node that uses it comes later on the tape).
      if (holds(parent) && parent.visit_mark != reached) {
        parent.visit_mark = reached;
        if (!parent.is_leaf()) parent.grad = 0.0;
      }
    }
    run_grad_fn(node, root);
  }
}

}  // namespace micrograd
