// Generated from solutions/engine/sweep.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Backpropagation on a tape: one reverse sweep, no sort (chapter 11).
//
// A tape (engine/tape.hpp) holds a step's nodes in the order they were made: tape.node(0) first,
// tape.node(tape.size() - 1) last. That order already is a topological order: an op's inputs exist
// before the op makes its result, so every node comes after all of its parents, and before every
// node that uses it. Walking the tape backwards from the root therefore meets each node after
// every node that uses it, which is all chapter 4's sort was for, at the price of one comparison
// per node and no stack.
//
// What the tape gives up: it holds every node made while it records, also those the root does not
// reach (made after the root, or on a side branch). The walk must skip those: running the grad_fn
// of a node the root does not reach would pass on a gradient that belongs to no path from the root
// (and 0 * inf = NaN if one of its numbers is infinite). Stuck? ./check hint ID.
#include <cstdint>

#include "engine/graph.hpp"
#include "engine/tape.hpp"

namespace micrograd {

void Tape::reach(Node& root, std::uint64_t mark) {
  // EXERCISE 11.1 "reach": give the root and every node of this tape that it reaches the mark
  //   (their visit_mark becomes `mark`), walking the tape once, backwards, from the root's
  //   position (position_of) down to position 0. A node is reached when a reached node lists it
  //   among its parents; mark only the parents this tape holds (holds). Every reached node that
  //   is not a leaf starts its gradient again from 0 (leaves keep adding up).
  // BEGIN EXERCISE 11.1 -- your code, from here to the END line
  throw NotImplemented("11.1", "reach", __FILE__, __LINE__);
  // END EXERCISE 11.1
}

void Tape::backward(Node& root) {
  // EXERCISE 11.2 "sweep": backward() on a tape. With a mark no walk has used before
  //   (fresh_visit_mark()), reach() from the root; then d(root)/d(root) = 1 (a leaf root adds
  //   it, as every leaf adds); then, from the root's position down to 0, run the grad_fn of every
  //   reached node with run_grad_fn(node, root).
  // BEGIN EXERCISE 11.2 -- your code, from here to the END line
  throw NotImplemented("11.2", "sweep", __FILE__, __LINE__);
  // END EXERCISE 11.2
}

}  // namespace micrograd
