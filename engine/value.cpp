// Value's infrastructure: freeing a graph without recursion, leaves, labels, parents(), making the
// result of an op with any number of inputs, compound assignment and printing. The math of each
// op is not here: it is in solutions/engine/ (or the student's exercises/engine/); the checks of
// anomaly mode are in modes.cpp, and the inline hot path of from_op in
// engine/detail/value_inline.hpp.
#include "engine/value.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/detail/node_edges.hpp"
#include "engine/modes.hpp"

namespace micrograd {

// Destroying a long chain the naive way recurses: the last node's destructor releases its parent,
// whose destructor releases its parent, ... one stack frame per node, and ten million nodes
// overflow the stack. Instead, the outermost ~Node keeps a list of parents still to release and
// empties it in a loop; a ~Node that runs inside that loop only adds its parents to the list.
// (Every parent goes on the list, even one with other owners: in `a + a` both parents are the same
// node, and neither of the two references is "the last" until the other is gone.)
namespace {
using PendingReleases = std::vector<std::shared_ptr<Node>>;
// The list of the ~Node that is draining on this thread, or null. A plain pointer, so it is valid
// at any point of thread or program exit, unlike a thread_local object with a destructor.
thread_local constinit PendingReleases* pending_releases = nullptr;

// Moves every parent of `node` onto `pending`.
void hand_over_parents(Node& node, PendingReleases& pending) {
  pending.push_back(std::move(detail::NodeEdges::inline_parent(node, 0)));
  if (node.parent_count == 1) return;
  pending.push_back(std::move(detail::NodeEdges::inline_parent(node, 1)));
  for (std::uint32_t i = 2; i < node.parent_count; ++i) {
    pending.push_back(std::move(detail::NodeEdges::more_parents(node)[i - 2]));
  }
}

// The outermost ~Node: releases `node`'s parents, and everything only they kept alive, in a loop.
// Out of line, so the ~Node of every other node stays a few instructions.
[[gnu::noinline]] void release_graph(Node& node) {
  PendingReleases pending;
  pending_releases = &pending;
  hand_over_parents(node, pending);
  while (!pending.empty()) {
    std::shared_ptr<Node> released = std::move(pending.back());
    pending.pop_back();
    released.reset();  // if this was the last owner, its ~Node appends its parents to `pending`
  }
  pending_releases = nullptr;
}
}  // namespace

Node::~Node() {
  if (parent_count == 0) return;
  PendingReleases* pending = pending_releases;
  if (pending == nullptr) {
    release_graph(*this);
    return;
  }
  hand_over_parents(*this, *pending);
}

namespace detail {
void throw_moved_from() {
  throw std::logic_error(
      "this Value was moved from; assign it a new Value before using it (std::move(v) hands v's "
      "node to the new owner and leaves v empty: use the Value it was moved into, or copy v "
      "instead of moving it, since copies share the node)");
}
}  // namespace detail

namespace {
std::shared_ptr<Node> new_leaf(double data) {
  if (Tape* tape = detail::recording.tape) {
    return std::shared_ptr<Node>(*detail::recording.owner, &tape->new_node(data));
  }
  return detail::make_node(data);
}
}  // namespace

Value::Value(double data) : node_(new_leaf(data)) {}

Value::Value(std::shared_ptr<Node> node) : node_(std::move(node)) {
  if (!node_) throw std::invalid_argument("Value: the node pointer is null; pass a live node");
}

const std::string& Value::label() const {
  static const std::string no_label;
  const Node& node = checked_node();
  return node.label ? *node.label : no_label;
}

Value Value::label(std::string text) const {
  Node& node = checked_node();
  node.label = std::make_unique<std::string>(std::move(text));
  if (node.tape != nullptr) node.tape->note_label();
  return *this;
}

std::vector<Value> Value::parents() const {
  const Node& node = checked_node();
  std::vector<Value> result;
  result.reserve(node.parent_count);
  for (std::uint32_t i = 0; i < node.parent_count; ++i) {
    const std::shared_ptr<Node>& parent = node.parent_ptr(i);
    // A tape node's parent pointers own nothing: the handle shares this node's ownership instead
    // (its tape keeps the parent alive), so it stays valid as long as it is held.
    if (node.tape != nullptr) {
      result.emplace_back(std::shared_ptr<Node>(node_, parent.get()));
    } else {
      result.emplace_back(parent);
    }
  }
  return result;
}

namespace detail {
void throw_op_without_inputs(const char* op) {
  throw std::invalid_argument(std::string("op \"") + op +
                              "\" was given no inputs; an op needs at least one (a number with no "
                              "inputs is a leaf: make it with Value(x))");
}
}  // namespace detail

namespace {
[[noreturn]] void throw_null_input(const char* op) {
  throw std::invalid_argument(std::string("Value::from_op: op \"") + op +
                              "\" was given a null pointer as an input; pass &value");
}
}  // namespace

template <typename InputAt, typename TakeInput>
Value Value::make_wide_result(double data, const char* op, GradFn grad_fn, std::size_t count,
                              InputAt input_at, TakeInput take) {
  if (count == 0) detail::throw_op_without_inputs(op);
  if (count > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument(std::string("Value::from_op: op \"") + op + "\" was given " +
                                std::to_string(count) +
                                " inputs; a node holds at most 2^32 - 1: split the op in parts");
  }
  // Input i, or the error for a null pointer (the overload taking pointers) or a moved-from Value.
  const auto checked = [&](std::size_t i) -> const Value& {
    const Value* input = input_at(i);
    if (input == nullptr) [[unlikely]]
      throw_null_input(op);
    input->checked_node();
    return *input;
  };
  Tape* tape = detail::recording.tape;
  // Every input is checked before anything is made or taken, except on a tape with gradients on:
  // there each input is checked as its edge is made, in the one pass over the inputs that a wide
  // op needs (a fused step's work is mostly these edges). An input that throws then leaves a
  // node with no parents on the tape, which no Value holds, released with the tape.
  if (tape == nullptr || !grad_enabled() || anomaly_mode_enabled()) {
    for (std::size_t i = 0; i < count; ++i) checked(i);
    if (anomaly_mode_enabled()) {
      std::vector<const Node*> nodes;
      nodes.reserve(count);
      for (std::size_t i = 0; i < count; ++i) nodes.push_back(input_at(i)->node_.get());
      detail::check_forward(data, op, nodes);
    }
  }
  if (tape != nullptr) {
    Node& node = tape->new_node(data);
    if (!grad_enabled()) {
      node.made_without_grad = true;
    } else {
      detail::NodeEdges::inline_parent(node, 0) = tape->edge_to(checked(0).node_);
      if (count >= 2) detail::NodeEdges::inline_parent(node, 1) = tape->edge_to(checked(1).node_);
      if (count > 2) {
        // The slots are the tape's and own nothing: each is constructed over the last step's,
        // and their array is never deleted by the node (Tape::release).
        std::shared_ptr<Node>* more = tape->more_parent_slots(count - 2);
        for (std::size_t i = 2; i < count; ++i) {
          std::construct_at(more + (i - 2), tape->edge_to(checked(i).node_));
        }
        detail::NodeEdges::more_parents(node).reset(more);
      }
      node.op = op;
      node.grad_fn = grad_fn;
      node.parent_count = static_cast<std::uint32_t>(count);
    }
    return Value(std::shared_ptr<Node>(*detail::recording.owner, &node), Adopt{});
  }
  auto node = detail::make_node(data);
  if (!grad_enabled()) {
    node->made_without_grad = true;
    return Value(std::move(node), Adopt{});
  }
  node->op = op;
  node->grad_fn = grad_fn;
  detail::NodeEdges::inline_parent(*node, 0) = take(0);
  if (count >= 2) detail::NodeEdges::inline_parent(*node, 1) = take(1);
  if (count > 2) {
    auto& more = detail::NodeEdges::more_parents(*node);
    more = std::make_unique<std::shared_ptr<Node>[]>(count - 2);
    for (std::size_t i = 2; i < count; ++i) more[i - 2] = take(i);
  }
  node->parent_count = static_cast<std::uint32_t>(count);
  return Value(std::move(node), Adopt{});
}

Value Value::from_op(double data, const char* op, GradFn grad_fn, std::span<const Value> inputs) {
  return make_wide_result(
      data, op, grad_fn, inputs.size(), [&](std::size_t i) { return &inputs[i]; },
      [&](std::size_t i) { return inputs[i].node_; });
}

Value Value::from_op(double data, const char* op, GradFn grad_fn, std::vector<Value>&& inputs) {
  // Checked before anything is taken: a moved-from input throws with every handle still in place.
  return make_wide_result(
      data, op, grad_fn, inputs.size(), [&](std::size_t i) { return &inputs[i]; },
      [&](std::size_t i) { return std::move(inputs[i].node_); });
}

Value Value::from_op(double data, const char* op, GradFn grad_fn,
                     std::span<const Value* const> inputs) {
  return make_wide_result(
      data, op, grad_fn, inputs.size(), [&](std::size_t i) { return inputs[i]; },
      [&](std::size_t i) { return inputs[i]->node_; });
}

Value& Value::operator+=(const Value& other) {
  return *this = *this + other;
}
Value& Value::operator-=(const Value& other) {
  return *this = *this - other;
}
Value& Value::operator*=(const Value& other) {
  return *this = *this * other;
}
Value& Value::operator/=(const Value& other) {
  return *this = *this / other;
}

std::ostream& operator<<(std::ostream& out, const Value& value) {
  out << "Value(";
  if (!value.label().empty()) out << "label=" << value.label() << ", ";
  return out << "data=" << value.data() << ", grad=" << value.grad() << ")";
}

}  // namespace micrograd
