// Value: one scalar in a computation graph, and every operation on it.
//
// This is micrograd's engine in C++. Every number is a Value; every operation makes a new Value
// that remembers its parents and how to pass a gradient back to them (its grad_fn). Calling
// backward() on the final Value walks the graph in reverse topological order and fills in
// d(root)/d(node) for every node: reverse-mode automatic differentiation, one scalar at a time.
//
// It is not a tensor library: there are no arrays, no broadcasting and no GPU. That is the point:
// every multiply-add of a neural network is a node you can print, draw and check by hand.
//
// The functions marked "(exercise)" are the ones a student writes; their reference
// implementations live in solutions/engine/, their stubs in exercises/engine/.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/errors.hpp"
#include "engine/modes.hpp"
#include "engine/node.hpp"

namespace micrograd {

namespace detail {
// Throws the std::logic_error of a use of a moved-from Value (see class Value).
[[noreturn]] void throw_moved_from();
// Throws the std::invalid_argument of an op given no inputs, naming it.
[[noreturn]] void throw_op_without_inputs(const char* op);
}  // namespace detail

// A moved-from Value holds no node. Moving a Value hands its node over (a pointer copy, noexcept,
// with no allocation: std::vector<Value> moves its elements whenever it grows, in every Layer), and
// the source is left empty. Every use of an empty Value (data(), grad(), an op, printing,
// backward(), drawing it) throws std::logic_error "this Value was moved from; ..." instead of
// reading through a null pointer; assigning it a new Value makes it usable again. (The other
// choice, leaving a fresh 0.0 leaf behind, would allocate a node in every move, and a forgotten
// std::move would then silently compute with 0.)
class Value {
 public:
  // A new leaf. Implicit on purpose, so `2 * x + 1` reads like math.
  Value(double data = 0.0);  // NOLINT(google-explicit-constructor)
  explicit Value(std::shared_ptr<Node> node);

  // Handles alias: copies of a Value share one node, like Python references. data() and grad()
  // are references into that node, so `p.data() -= lr * p.grad();` updates the parameter.
  double& data() const { return checked_node().data; }
  double& grad() const { return checked_node().grad; }

  const std::string& label() const;
  Value label(std::string text) const;  // sets the label, returns this Value: Value(2).label("a")
  std::string_view op() const { return checked_node().op; }
  std::vector<Value> parents() const;  // read-only view of the inputs, for drawing and teaching
  bool is_leaf() const { return checked_node().is_leaf(); }
  bool same_node(const Value& other) const { return &checked_node() == &other.checked_node(); }

  Node& node() const { return checked_node(); }
  const std::shared_ptr<Node>& node_ptr() const {
    checked_node();
    return node_;
  }

  // The result of an op: a new node holding `data`, with these parents and grad_fn.
  // In no-grad mode it is a plain leaf; in anomaly mode a NaN or infinite `data` throws.
  static Value from_op(double data, const char* op, GradFn grad_fn, const Value& a);
  static Value from_op(double data, const char* op, GradFn grad_fn, const Value& a, const Value& b);
  // The same for an op with any number of inputs (sum, dot, an op of your own): `inputs` become
  // the parents, in order, so the grad_fn reads input i as out.parent(i). At least one input; a
  // Value may appear more than once (its grad_fn then adds to it once per appearance).
  static Value from_op(double data, const char* op, GradFn grad_fn, std::span<const Value> inputs);
  // The same, taking the inputs' handles over instead of copying them: from_op(..., std::move(v))
  // for a vector made for this op alone saves an atomic increment and decrement per input.
  static Value from_op(double data, const char* op, GradFn grad_fn, std::vector<Value>&& inputs);
  // The same from pointers to the inputs (&w[i], &x[i], ...): for an op whose inputs are not one
  // array already, listing pointers copies no handle at all (a Value copy counts a reference).
  static Value from_op(double data, const char* op, GradFn grad_fn,
                       std::span<const Value* const> inputs);

  // Nonlinearities and friends (exercises).
  Value pow(double exponent) const;  // x^n for a constant n: d/dx = n x^(n-1)
  Value exp() const;                 // d/dx e^x = e^x
  Value log() const;                 // natural log: d/dx = 1/x
  Value tanh() const;                // d/dx = 1 - tanh^2; stable for any |x|
  Value relu() const;                // max(0, x), nan stays nan: d/dx = 0 for x <= 0, else 1
  Value sigmoid() const;             // 1/(1+e^-x): d/dx = s(1 - s); stable for any |x|
  Value abs() const;                 // |x|: d/dx = 1 above 0, -1 below, 0 at 0 and for NaN

  // Reverse-mode autodiff from this node (exercise): d(this)/d(this) = 1 (an interior root's grad
  // is set to 1; a leaf root adds 1, as every leaf adds), then every grad_fn in reverse
  // topological order. Leaves accumulate across calls (call zero_grad between steps); interior
  // nodes are reset each call, so they hold the gradient of the latest call. A graph recorded on a
  // tape (engine/tape.hpp) is swept backwards instead, with the same numbers. From an op's
  // result computed under a NoGradGuard it throws std::logic_error: no graph was recorded, so no
  // gradient could reach anything (PyTorch: "does not require grad").
  void backward() const;

  // Compound assignment rebinds the handle: `c += x` means `c = c + x`. The old node becomes a
  // parent of the new one, never the other way round, so `c += c + 1` cannot make a cycle.
  Value& operator+=(const Value& other);
  Value& operator-=(const Value& other);
  Value& operator*=(const Value& other);
  Value& operator/=(const Value& other);

 private:
  struct Adopt {};  // a node just made by from_op: known to be non-null, no check needed
  Value(std::shared_ptr<Node> node, Adopt) noexcept : node_(std::move(node)) {}
  // The node, or the moved-from error. One compare, inlined; the throw is out of line.
  Node& checked_node() const {
    if (node_ == nullptr) [[unlikely]]
      detail::throw_moved_from();
    return *node_;
  }
  // from_op with `count` inputs: `input_at(i)` is input i, `take(i)` hands over its shared_ptr (a
  // copy or a move).
  template <typename InputAt, typename TakeInput>
  static Value make_wide_result(double data, const char* op, GradFn grad_fn, std::size_t count,
                                InputAt input_at, TakeInput take);
  template <std::size_t kInputs>
  static Value make_result(double data, const char* op, GradFn grad_fn,
                           const std::array<const Value*, kInputs>& inputs);

  std::shared_ptr<Node> node_;
};

// Arithmetic (exercises). A double on either side becomes a constant leaf, as in micrograd.
Value operator+(const Value& a, const Value& b);  // d/da = 1, d/db = 1
Value operator*(const Value& a, const Value& b);  // d/da = b, d/db = a
Value operator-(const Value& a);                  // d/da = -1
Value operator-(const Value& a, const Value& b);  // d/da = 1, d/db = -1
Value operator/(const Value& a, const Value& b);  // d/da = 1/b, d/db = -a/b^2

// The grad_fn of each arithmetic op (exercises, chapter 2). Public so that tests and students can
// call one by hand, as the lecture does before it introduces backward().
void add_backward(Node& out);
void mul_backward(Node& out);
void neg_backward(Node& out);
void sub_backward(Node& out);
void pow_backward(Node& out);
void div_backward(Node& out);

// Free-function spellings, for code that reads better as math: pow(x, 2), tanh(x).
inline Value pow(const Value& x, double exponent) {
  return x.pow(exponent);
}
inline Value exp(const Value& x) {
  return x.exp();
}
inline Value log(const Value& x) {
  return x.log();
}
inline Value tanh(const Value& x) {
  return x.tanh();
}
inline Value relu(const Value& x) {
  return x.relu();
}
inline Value sigmoid(const Value& x) {
  return x.sigmoid();
}
inline Value abs(const Value& x) {
  return x.abs();
}

// Prints like micrograd's repr: Value(data=3, grad=1), with the label if there is one.
std::ostream& operator<<(std::ostream& out, const Value& value);

}  // namespace micrograd

// How an op's result is made: inline, because it is the engine's hottest path, and kept in a file
// of its own so that this header reads as the contract (fmt keeps its format-inl.h apart the same
// way).
#include "engine/detail/value_inline.hpp"  // IWYU pragma: export
