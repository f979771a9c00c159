// Node: the storage behind a Value, one per number of a computation graph.
//
// A Value (engine/value.hpp) is a handle to a Node; students meet the Node itself in grad_fn
// bodies, where `out` is the node an op made: out.data, out.grad, out.parent(i), out.constant.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace micrograd {

struct Node;
class Tape;
namespace detail {
struct NodeEdges;
}  // namespace detail

// How a node passes its gradient to its parents. It receives the output node and reads
// out.grad, out.data and out.parent(i); it adds (+=) into each parent's grad.
//
// It is a plain function pointer on purpose: a lambda with no captures converts to it, and a
// lambda that cannot capture cannot keep its own output alive, so a grad_fn can never create a
// reference cycle (the classic leak of shared_ptr ports of micrograd). Whatever an op needs besides
// its parents (pow's exponent) is stored in the node's `constant`.
using GradFn = void (*)(Node& out);

// The storage behind a Value. Students meet it in grad_fn bodies: `out.parent(0).grad += ...`.
//
// A node has any number of parents. Almost every op has one or two, and a training step makes tens
// of thousands of them, so the first two parents sit inline in the node; an op with more inputs
// (sum, dot, an op of your own) keeps parents 2, 3, ... in an array allocated for it alone. Read
// them all with parent(i) for i < parent_count.
//
// An ordinary node's parent pointers own their parents (a graph stays alive while its root is
// held). A node recorded on a tape (engine/tape.hpp) lives in the tape's memory instead, and its
// parent pointers own nothing: the tape keeps its own nodes, and every node they were made from,
// alive as a whole, so copying an edge costs no reference count.
struct Node {
 private:
  // Parents 0 and 1, where there are that many. Private: read parents with parent(i), which also
  // reaches parents 2, 3, ... (the engine's own code that builds and frees nodes reaches the
  // storage through detail::NodeEdges, engine/detail/node_edges.hpp). First in the node, with the
  // fields the topological sort and the teardown read, next to shared_ptr's reference counts, so
  // that walking a graph touches as few cache lines as possible.
  std::array<std::shared_ptr<Node>, 2> parents_{};

 public:
  std::uint64_t visit_mark = 0;  // scratch for the topological sort
  std::uint32_t parent_count = 0;
  // An op's result made in no-grad mode: it has no parents, like a leaf, but backward() from it
  // is a mistake (nothing was recorded), which run_grad_fn reports. Leaves made by Value(x) are
  // never marked, guard or not.
  bool made_without_grad = false;
  double data = 0.0;
  double grad = 0.0;
  double constant = 0.0;               // an op's extra number, e.g. the exponent of pow
  GradFn grad_fn = nullptr;            // null for leaves
  const char* op = "";                 // "" for leaves, else a literal like "*"
  std::unique_ptr<std::string> label;  // optional; most nodes have none

 private:
  // Parents 2 .. parent_count-1 of an op with more than two inputs; null for every other node.
  std::unique_ptr<std::shared_ptr<Node>[]> more_parents_;

 public:
  // The tape this node was recorded on (engine/tape.hpp), or null for an ordinary node, which
  // its Values own one by one.
  Tape* tape = nullptr;

  Node() = default;
  explicit Node(double value) : data(value) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  // Releases the parents without recursion, so a chain of ten million nodes frees in a loop.
  ~Node();

  // Parent i, for i < parent_count. (With a constant i < 2, as in every one- and two-input op,
  // the compiler drops the test.)
  Node& parent(std::size_t i) const { return i < 2 ? *parents_[i] : *more_parents_[i - 2]; }
  // The shared_ptr that holds parent i, for code that compares parents. On a tape it owns nothing:
  // Value::parents() makes handles that keep a parent alive.
  const std::shared_ptr<Node>& parent_ptr(std::size_t i) const {
    return i < 2 ? parents_[i] : more_parents_[i - 2];
  }
  bool is_leaf() const { return parent_count == 0; }

 private:
  friend struct detail::NodeEdges;
};

}  // namespace micrograd
