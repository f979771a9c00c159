// Value's infrastructure: node storage, iterative teardown, labels, printing and the checks that
// anomaly mode makes. The math of each op is not here: it is in solutions/engine/ (or the
// student's exercises/engine/).
#include "engine/value.hpp"

#include <array>
#include <cmath>
#include <memory>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

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

// The outermost ~Node: releases `node`'s parents, and everything only they kept alive, in a loop.
// Out of line, so the ~Node of every other node stays a few instructions.
[[gnu::noinline]] void release_graph(Node& node) {
  PendingReleases pending;
  pending_releases = &pending;
  for (std::uint8_t i = 0; i < node.parent_count; ++i)
    pending.push_back(std::move(node.parents[i]));
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
  static_assert(std::tuple_size_v<decltype(parents)> == 2, "ops have one or two parents");
  pending->push_back(std::move(parents[0]));
  if (parent_count == 2) pending->push_back(std::move(parents[1]));
}

namespace detail {
void throw_moved_from() {
  throw std::logic_error(
      "this Value was moved from; assign it a new Value before using it (std::move(v) hands v's "
      "node to the new owner and leaves v empty: use the Value it was moved into, or copy v "
      "instead of moving it, since copies share the node)");
}
}  // namespace detail

Value::Value(double data) : node_(detail::make_node(data)) {}

Value::Value(std::shared_ptr<Node> node) : node_(std::move(node)) {
  if (!node_) throw std::invalid_argument("Value: the node pointer is null; pass a live node");
}

const std::string& Value::label() const {
  static const std::string no_label;
  const Node& node = checked_node();
  return node.label ? *node.label : no_label;
}

Value Value::label(std::string text) const {
  checked_node().label = std::make_unique<std::string>(std::move(text));
  return *this;
}

std::vector<Value> Value::parents() const {
  const Node& node = checked_node();
  std::vector<Value> result;
  result.reserve(node.parent_count);
  for (std::uint8_t i = 0; i < node.parent_count; ++i) result.emplace_back(node.parents[i]);
  return result;
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
