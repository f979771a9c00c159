// The storage of a node's parent edges, for the engine's own code that builds nodes (Value::from_op,
// the tape), frees them without recursion and measures them. Everyone else reads a node's parents
// with Node::parent(i) for i < parent_count (engine/node.hpp): the storage is split in two (the
// first two parents inline, the rest in an array of their own), and code that indexed the inline
// pair directly would silently miss parents 2, 3, ...
#pragma once

#include <cstddef>
#include <memory>

#include "engine/node.hpp"

namespace micrograd::detail {

struct NodeEdges {
  // The handle of parent 0 or 1 (i < 2), in the node itself.
  static std::shared_ptr<Node>& inline_parent(Node& node, std::size_t i) {
    return node.parents_[i];
  }
  // The array of parents 2 .. parent_count-1; null unless the node has more than two parents.
  static std::unique_ptr<std::shared_ptr<Node>[]>& more_parents(Node& node) {
    return node.more_parents_;
  } static const std::unique_ptr<std::shared_ptr<Node>[]>& more_parents(const Node& node) {
    return node.more_parents_;
  }
};

}  // namespace micrograd::detail
