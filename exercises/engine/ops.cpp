// Generated from solutions/engine/ops.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Every operation on a Value: its forward value and its local derivatives.
//
// Each op does two things. Forward: compute the output from the inputs and record the inputs as
// the output's parents, with Value::from_op. Backward (its grad_fn): given out.grad, the gradient
// of the final result with respect to this output, add each input's share to that input's grad by
// the chain rule:  d(root)/d(input) += d(out)/d(input) * d(root)/d(out)  =  local * out.grad.
//
// Always add (+=), never assign: when a value feeds several ops, its gradient is the sum of what
// each of them passes back.
#include <cmath>

#include "engine/value.hpp"

namespace micrograd {

// ---- Chapter 1: forward ops ---------------------------------------------------------------------

Value operator+(const Value& a, const Value& b) {
  // EXERCISE 1.1 "add": return a new Value holding a + b, made by "+", with parents a and b.
  // HINT: return Value::from_op(a.data() + b.data(), "+", add_backward, a, b);
  //       from_op records the parents and the grad_fn you will write in chapter 2.
  // BEGIN EXERCISE 1.1 -- TODO: replace the line below with your code
  throw NotImplemented("1.1", "add", __FILE__, __LINE__);
  // END EXERCISE 1.1
}

Value operator*(const Value& a, const Value& b) {
  // EXERCISE 1.2 "multiply": return a * b, made by "*", with grad_fn mul_backward.
  // HINT: the same shape as add. A double like 2 * x arrives here as a constant leaf Value(2).
  // BEGIN EXERCISE 1.2 -- TODO: replace the line below with your code
  throw NotImplemented("1.2", "multiply", __FILE__, __LINE__);
  // END EXERCISE 1.2
}

Value operator-(const Value& a) {
  // EXERCISE 1.3 "negate": return -a, made by "neg", with one parent and grad_fn neg_backward.
  // HINT: from_op has an overload with a single parent.
  // BEGIN EXERCISE 1.3 -- TODO: replace the line below with your code
  throw NotImplemented("1.3", "negate", __FILE__, __LINE__);
  // END EXERCISE 1.3
}

Value operator-(const Value& a, const Value& b) {
  // EXERCISE 1.4 "subtract": return a - b, made by "-", with grad_fn sub_backward.
  // HINT: micrograd writes a + (-b); one node with its own grad_fn is smaller and just as exact.
  // BEGIN EXERCISE 1.4 -- TODO: replace the line below with your code
  throw NotImplemented("1.4", "subtract", __FILE__, __LINE__);
  // END EXERCISE 1.4
}

Value Value::pow(double exponent) const {
  // EXERCISE 1.5 "power": return this^exponent, made by "pow", one parent (*this).
  // HINT: std::pow(data(), exponent). The exponent is a constant, not a Value: store it in the
  //       new node's `constant` field so pow_backward can read it (result.node().constant = ...).
  // BEGIN EXERCISE 1.5 -- TODO: replace the line below with your code
  throw NotImplemented("1.5", "power", __FILE__, __LINE__);
  // END EXERCISE 1.5
}

Value operator/(const Value& a, const Value& b) {
  // EXERCISE 1.6 "divide": return a / b, made by "/", with grad_fn div_backward.
  // HINT: division by zero gives inf or nan as in IEEE arithmetic; do not throw here.
  // BEGIN EXERCISE 1.6 -- TODO: replace the line below with your code
  throw NotImplemented("1.6", "divide", __FILE__, __LINE__);
  // END EXERCISE 1.6
}

// ---- Chapter 2: local derivatives ---------------------------------------------------------------
// Each grad_fn receives the output node `out`; its inputs are out.parent(0) and out.parent(1).

void add_backward(Node& out) {
  // EXERCISE 2.1 "add backward": c = a + b, so dc/da = 1 and dc/db = 1.
  // HINT: out.parent(0).grad += 1.0 * out.grad; and the same for parent(1).
  //       Use +=: in b = a + a both parents are the same node, and it must receive 2 * out.grad.
  // BEGIN EXERCISE 2.1 -- TODO: replace the line below with your code
  throw NotImplemented("2.1", "add backward", __FILE__, __LINE__);
  // END EXERCISE 2.1
}

void mul_backward(Node& out) {
  // EXERCISE 2.2 "multiply backward": c = a * b, so dc/da = b and dc/db = a.
  // HINT: each input's local derivative is the *other* input's data.
  // BEGIN EXERCISE 2.2 -- TODO: replace the line below with your code
  throw NotImplemented("2.2", "multiply backward", __FILE__, __LINE__);
  // END EXERCISE 2.2
}

void neg_backward(Node& out) {
  // EXERCISE 2.3 "negate backward": c = -a, so dc/da = -1.
  // BEGIN EXERCISE 2.3 -- TODO: replace the line below with your code
  throw NotImplemented("2.3", "negate backward", __FILE__, __LINE__);
  // END EXERCISE 2.3
}

void sub_backward(Node& out) {
  // EXERCISE 2.4 "subtract backward": c = a - b, so dc/da = 1 and dc/db = -1.
  // HINT: mind the sign: making b larger makes c smaller.
  // BEGIN EXERCISE 2.4 -- TODO: replace the line below with your code
  throw NotImplemented("2.4", "subtract backward", __FILE__, __LINE__);
  // END EXERCISE 2.4
}

void pow_backward(Node& out) {
  // EXERCISE 2.5 "power backward": c = a^n for a constant n, so dc/da = n * a^(n-1).
  // HINT: n is out.constant. Write a^(n-1) with std::pow, not out.data / a.data (a may be 0).
  // BEGIN EXERCISE 2.5 -- TODO: replace the line below with your code
  throw NotImplemented("2.5", "power backward", __FILE__, __LINE__);
  // END EXERCISE 2.5
}

void div_backward(Node& out) {
  // EXERCISE 2.6 "divide backward": c = a / b, so dc/da = 1/b and dc/db = -a/b^2.
  // BEGIN EXERCISE 2.6 -- TODO: replace the line below with your code
  throw NotImplemented("2.6", "divide backward", __FILE__, __LINE__);
  // END EXERCISE 2.6
}

// ---- Chapter 3: nonlinearities ------------------------------------------------------------------
// Forward and backward together; the grad_fn is a lambda with no captures. Where the derivative
// can be written with the output (tanh, sigmoid, exp), use out.data: it is already computed.

Value Value::exp() const {
  // EXERCISE 3.1 "exp": e^x, made by "exp". d/dx e^x = e^x.
  // HINT: from_op(std::exp(data()), "exp", [](Node& out) { ... }, *this)
  // BEGIN EXERCISE 3.1 -- TODO: replace the line below with your code
  throw NotImplemented("3.1", "exp", __FILE__, __LINE__);
  // END EXERCISE 3.1
}

Value Value::log() const {
  // EXERCISE 3.2 "log": natural logarithm, made by "log". d/dx log x = 1/x.
  // HINT: log(0) is -inf and log of a negative number is nan, as in IEEE arithmetic.
  // BEGIN EXERCISE 3.2 -- TODO: replace the line below with your code
  throw NotImplemented("3.2", "log", __FILE__, __LINE__);
  // END EXERCISE 3.2
}

Value Value::tanh() const {
  // EXERCISE 3.3 "tanh": made by "tanh". d/dx tanh x = 1 - tanh(x)^2.
  // HINT: the lecture's (e^2x - 1)/(e^2x + 1) overflows to inf/inf = nan at x = 1000;
  //       std::tanh is exact there.
  // BEGIN EXERCISE 3.3 -- TODO: replace the line below with your code
  throw NotImplemented("3.3", "tanh", __FILE__, __LINE__);
  // END EXERCISE 3.3
}

Value Value::relu() const {
  // EXERCISE 3.4 "relu": max(0, x), made by "relu". d/dx = 1 where x > 0, else 0.
  // HINT: at exactly x = 0 use 0, as PyTorch does.
  // BEGIN EXERCISE 3.4 -- TODO: replace the line below with your code
  throw NotImplemented("3.4", "relu", __FILE__, __LINE__);
  // END EXERCISE 3.4
}

Value Value::sigmoid() const {
  // EXERCISE 3.5 "sigmoid": 1 / (1 + e^-x), made by "sigmoid". d/dx = s * (1 - s).
  // HINT: for x = -1000, e^-x overflows. Compute e^-|x| instead: for x < 0, s = e^x / (1 + e^x).
  // BEGIN EXERCISE 3.5 -- TODO: replace the line below with your code
  throw NotImplemented("3.5", "sigmoid", __FILE__, __LINE__);
  // END EXERCISE 3.5
}

}  // namespace micrograd
