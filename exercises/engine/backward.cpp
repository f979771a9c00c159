// Generated from solutions/engine/backward.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
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
  // BEGIN EXERCISE 4.1 -- your code, from here to the END line
  throw NotImplemented("4.1", "topological order", __FILE__, __LINE__);
  // END EXERCISE 4.1
}

void Value::backward() const {
  // A graph recorded on a tape (engine/tape.hpp) needs no sort: its sweep is chapter 11.
  if (Tape* tape = node().tape; tape != nullptr && tape->sweepable()) return tape->backward(node());
  // EXERCISE 4.2 "backward": fill in d(this)/d(node) for every node of the graph. Interior
  //   nodes hold the gradient of this call only; leaves keep adding up until zero_grad(). The
  //   root gets d(this)/d(this) = 1: set to 1 when it is an op's result, added to what it holds
  //   when it is a leaf (it accumulates, like every leaf: two calls from a leaf give it 2).
  //   run_grad_fn(node, this->node()) runs one node's grad_fn (and checks it in anomaly mode).
  // BEGIN EXERCISE 4.2 -- your code, from here to the END line
  throw NotImplemented("4.2", "backward", __FILE__, __LINE__);
  // END EXERCISE 4.2
}

}  // namespace micrograd
