// Walking a computation graph: the topological order backward() uses, and statistics about a graph.
//
// topological_order is an exercise (chapter 4); graph_stats is infrastructure built on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/modes.hpp"
#include "engine/value.hpp"

namespace micrograd {

// Every node reachable from `root`, each once, parents before children, `root` last (exercise).
// Iterative (an explicit stack, not recursion), so a chain of ten million nodes does not overflow
// the call stack. The pointers stay valid while `root` is alive. Marks visited nodes in
// Node::visit_mark, so two threads must not sort graphs that share nodes at the same time.
std::vector<Node*> topological_order(const Value& root);

// A visit mark no sort has used before, for topological_order: a node is visited in this sort
// when node->visit_mark equals it. New nodes hold 0 and marks start at 1, so nothing needs
// un-marking between sorts. (64 bits: at a billion sorts a second it takes centuries to wrap.)
std::uint64_t fresh_visit_mark();

// Runs `node`'s grad_fn once (nothing for a leaf). backward() calls this for every node. In anomaly
// mode it then checks every gradient the grad_fn passed on, and throws std::domain_error at the
// first NaN or infinity, naming the op, its inputs and the labelled nodes between it and `root`.
// When `root` itself is an op's result computed under a NoGradGuard, it throws std::logic_error:
// backward() from there would silently do nothing (a guard left in scope around a training step).
inline void run_grad_fn(Node& node, const Node& root) {
  if (node.grad_fn == nullptr) {
    if (node.made_without_grad && &node == &root) detail::throw_backward_without_graph(node);
    return;
  }
  if (anomaly_mode_enabled()) return detail::run_grad_fn_checked(node, root);
  node.grad_fn(node);
}

// One step of backward by hand: runs `value`'s grad_fn once, with `value` as the root.
inline void run_grad_fn(const Value& value) {
  run_grad_fn(value.node(), value.node());
}

struct GraphStats {
  std::size_t node_count = 0;  // every node reachable from the root, leaves included
  std::size_t leaf_count = 0;  // nodes without parents (inputs, weights, constants)
  std::map<std::string, std::size_t> op_counts;  // "+" -> 12, "tanh" -> 3, "" (leaves) -> 7, ...
  std::size_t depth = 0;  // nodes on the longest path from a leaf to the root
  std::size_t bytes = 0;  // heap memory the nodes hold: node + shared_ptr control block + labels
                          // + the parents past the second of an op with many inputs
};

GraphStats graph_stats(const Value& root);

// The heap bytes one node costs, label aside: its block in the node pool (node + control block).
std::size_t bytes_per_node();

}  // namespace micrograd
