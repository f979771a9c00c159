// How an op's result is made: Value::from_op's inline hot path (engine/value.hpp includes this
// file at its end; include that, not this).
//
// Defined in a header, not in value.cpp, so that each op compiles to a single call: this is the
// engine's hottest path (a training step makes tens of thousands of nodes). The result is an
// ordinary node from the node pool (engine/detail/node_pool.hpp), or a node on this thread's tape
// under a TapeGuard (engine/tape.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <memory>

#include "engine/detail/node_edges.hpp"
#include "engine/detail/node_pool.hpp"
#include "engine/modes.hpp"
#include "engine/node.hpp"
#include "engine/tape.hpp"
#include "engine/value.hpp"

namespace micrograd {

namespace detail {
// A node and its shared_ptr control block in one block of the node pool.
inline std::shared_ptr<Node> make_node(double data) {
  return std::allocate_shared<Node>(NodeAllocator<Node>{}, data);
}
}  // namespace detail

// In no-grad mode the result is a plain leaf, marked made_without_grad; in anomaly mode a NaN or
// infinity throws. Under a TapeGuard the node goes on this thread's tape (engine/tape.hpp). (Filling
// in a default-constructed node field by field measured faster than constructing it with its
// parents.)
template <std::size_t kInputs>
inline Value Value::make_result(double data, const char* op, GradFn grad_fn,
                                const std::array<const Value*, kInputs>& inputs) {
  for (const Value* input : inputs) input->checked_node();  // an op on a moved-from Value throws
  if (anomaly_mode_enabled()) {
    std::array<const Node*, kInputs> nodes{};
    for (std::size_t i = 0; i < kInputs; ++i) nodes[i] = inputs[i]->node_.get();
    detail::check_forward(data, op, nodes);
  }
  if (Tape* tape = detail::recording.tape) {
    Node& node = tape->new_node(data);
    if (grad_enabled()) {
      node.op = op;
      node.grad_fn = grad_fn;
      detail::NodeEdges::inline_parent(node, 0) = tape->edge_to(inputs[0]->node_);
      if constexpr (kInputs == 2) {
        detail::NodeEdges::inline_parent(node, 1) = tape->edge_to(inputs[1]->node_);
      }
      node.parent_count = kInputs;
    } else {
      node.made_without_grad = true;
    }
    return Value(std::shared_ptr<Node>(*detail::recording.owner, &node), Adopt{});
  }
  auto node = detail::make_node(data);
  if (grad_enabled()) {
    node->op = op;
    node->grad_fn = grad_fn;
    detail::NodeEdges::inline_parent(*node, 0) = inputs[0]->node_;
    if constexpr (kInputs == 2) detail::NodeEdges::inline_parent(*node, 1) = inputs[1]->node_;
    node->parent_count = kInputs;
  } else {
    node->made_without_grad = true;
  }
  return Value(std::move(node), Adopt{});
}

inline Value Value::from_op(double data, const char* op, GradFn grad_fn, const Value& a) {
  return make_result<1>(data, op, grad_fn, {&a});
}

inline Value Value::from_op(double data, const char* op, GradFn grad_fn, const Value& a,
                            const Value& b) {
  return make_result<2>(data, op, grad_fn, {&a, &b});
}

}  // namespace micrograd
