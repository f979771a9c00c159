// Generated from solutions/engine/ops.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Every operation on a Value: its forward value and its local derivatives, side by side, as in
// micrograd's engine.py.
//
// Each op does two things. Forward: compute the output from the inputs and record the inputs as
// the output's parents, with Value::from_op. Backward (its grad_fn): given out.grad, the gradient
// of the final result with respect to this output, add each input's share to that input's grad by
// the chain rule:  d(root)/d(input) += d(out)/d(input) * d(root)/d(out)  =  local * out.grad.
//
// Always add (+=), never assign: when a value feeds several ops, its gradient is the sum of what
// each of them passes back.
//
// The exercises follow the lecture: chapter 1 writes every forward op, chapter 2 every backward,
// chapter 3 the nonlinearities, forward and backward at once. Stuck? ./check hint ID.
#include <cmath>

#include "engine/value.hpp"

namespace micrograd {

// ---- a + b --------------------------------------------------------------------------------------

Value operator+(const Value& a, const Value& b) {
  // EXERCISE 1.1 "add": return a new Value holding a + b, made by "+", with parents a and b and
  //   grad_fn add_backward.
  // BEGIN EXERCISE 1.1 -- your code, from here to the END line
  throw NotImplemented("1.1", "add", __FILE__, __LINE__);
  // END EXERCISE 1.1
}

void add_backward(Node& out) {
  // EXERCISE 2.1 "add backward": c = a + b, so dc/da = 1 and dc/db = 1.
  //   The inputs are out.parent(0) and out.parent(1).
  // BEGIN EXERCISE 2.1 -- your code, from here to the END line
  throw NotImplemented("2.1", "add backward", __FILE__, __LINE__);
  // END EXERCISE 2.1
}

// ---- a * b --------------------------------------------------------------------------------------

Value operator*(const Value& a, const Value& b) {
  // EXERCISE 1.2 "multiply": return a * b, made by "*", with parents a and b and grad_fn
  //   mul_backward.
  // BEGIN EXERCISE 1.2 -- your code, from here to the END line
  throw NotImplemented("1.2", "multiply", __FILE__, __LINE__);
  // END EXERCISE 1.2
}

void mul_backward(Node& out) {
  // EXERCISE 2.2 "multiply backward": c = a * b, so dc/da = b and dc/db = a.
  // BEGIN EXERCISE 2.2 -- your code, from here to the END line
  throw NotImplemented("2.2", "multiply backward", __FILE__, __LINE__);
  // END EXERCISE 2.2
}

// ---- -a -----------------------------------------------------------------------------------------

Value operator-(const Value& a) {
  // EXERCISE 1.3 "negate": return -a, made by "neg", with one parent a and grad_fn neg_backward.
  // BEGIN EXERCISE 1.3 -- your code, from here to the END line
  throw NotImplemented("1.3", "negate", __FILE__, __LINE__);
  // END EXERCISE 1.3
}

void neg_backward(Node& out) {
  // EXERCISE 2.3 "negate backward": c = -a, so dc/da = -1.
  // BEGIN EXERCISE 2.3 -- your code, from here to the END line
  throw NotImplemented("2.3", "negate backward", __FILE__, __LINE__);
  // END EXERCISE 2.3
}

// ---- a - b --------------------------------------------------------------------------------------

Value operator-(const Value& a, const Value& b) {
  // EXERCISE 1.4 "subtract": return a - b, made by "-", with parents a and b and grad_fn
  //   sub_backward. (micrograd writes a + (-b): two nodes where one will do.)
  // BEGIN EXERCISE 1.4 -- your code, from here to the END line
  throw NotImplemented("1.4", "subtract", __FILE__, __LINE__);
  // END EXERCISE 1.4
}

void sub_backward(Node& out) {
  // EXERCISE 2.4 "subtract backward": c = a - b, so dc/da = 1 and dc/db = -1.
  // BEGIN EXERCISE 2.4 -- your code, from here to the END line
  throw NotImplemented("2.4", "subtract backward", __FILE__, __LINE__);
  // END EXERCISE 2.4
}

// ---- a^n ----------------------------------------------------------------------------------------

Value Value::pow(double exponent) const {
  // EXERCISE 1.5 "power": return this^exponent, made by "pow", with one parent (*this) and
  //   grad_fn pow_backward. The exponent is a constant, not a Value: the new node keeps it in its
  //   `constant` field for pow_backward.
  // BEGIN EXERCISE 1.5 -- your code, from here to the END line
  throw NotImplemented("1.5", "power", __FILE__, __LINE__);
  // END EXERCISE 1.5
}

void pow_backward(Node& out) {
  // EXERCISE 2.5 "power backward": c = a^n for a constant n (out.constant), so
  //   dc/da = n * a^(n-1). For n = 0, c = 1 whatever a is, so dc/da = 0 everywhere, as in
  //   PyTorch: the node then adds nothing to a.grad, not even 0 * out.grad (which is nan when
  //   out.grad is infinite); the formula would give 0 * 0^-1 = 0 * inf = nan at a = 0.
  // BEGIN EXERCISE 2.5 -- your code, from here to the END line
  throw NotImplemented("2.5", "power backward", __FILE__, __LINE__);
  // END EXERCISE 2.5
}

// ---- a / b --------------------------------------------------------------------------------------

Value operator/(const Value& a, const Value& b) {
  // EXERCISE 1.6 "divide": return a / b, made by "/", with parents a and b and grad_fn
  //   div_backward. Division by zero gives inf or nan, as in IEEE arithmetic: not an error.
  // BEGIN EXERCISE 1.6 -- your code, from here to the END line
  throw NotImplemented("1.6", "divide", __FILE__, __LINE__);
  // END EXERCISE 1.6
}

void div_backward(Node& out) {
  // EXERCISE 2.6 "divide backward": c = a / b, so dc/da = 1/b and dc/db = -a/b^2.
  // BEGIN EXERCISE 2.6 -- your code, from here to the END line
  throw NotImplemented("2.6", "divide backward", __FILE__, __LINE__);
  // END EXERCISE 2.6
}

// ---- Nonlinearities: forward and backward together ----------------------------------------------
// The grad_fn is a lambda with no captures. Where the derivative can be written with the output
// (exp, tanh, sigmoid), use out.data: it is already computed.

Value Value::exp() const {
  // EXERCISE 3.1 "exp": e^x, made by "exp". d/dx e^x = e^x.
  // BEGIN EXERCISE 3.1 -- your code, from here to the END line
  throw NotImplemented("3.1", "exp", __FILE__, __LINE__);
  // END EXERCISE 3.1
}

Value Value::log() const {
  // EXERCISE 3.2 "log": the natural logarithm, made by "log". d/dx log x = 1/x.
  //   log(0) is -inf and the log of a negative number is nan, as in IEEE arithmetic.
  // BEGIN EXERCISE 3.2 -- your code, from here to the END line
  throw NotImplemented("3.2", "log", __FILE__, __LINE__);
  // END EXERCISE 3.2
}

Value Value::tanh() const {
  // EXERCISE 3.3 "tanh": (e^2x - 1) / (e^2x + 1), made by "tanh". d/dx tanh x = 1 - tanh(x)^2.
  //   It must stay exact for large |x| (tanh(1000) = 1).
  // BEGIN EXERCISE 3.3 -- your code, from here to the END line
  throw NotImplemented("3.3", "tanh", __FILE__, __LINE__);
  // END EXERCISE 3.3
}

Value Value::relu() const {
  // EXERCISE 3.4 "relu": max(0, x), made by "relu": a number below 0 becomes 0, anything else
  //   passes through unchanged, NaN included (relu(nan) is nan, as in PyTorch and micrograd: a
  //   NaN turned into 0 would hide a diverged network). d/dx = 0 where the output is 0 (x <= 0,
  //   at exactly 0 too), else 1 (NaN included: PyTorch passes the gradient on wherever the
  //   output is not <= 0). Mind that every comparison with NaN is false.
  // BEGIN EXERCISE 3.4 -- your code, from here to the END line
  throw NotImplemented("3.4", "relu", __FILE__, __LINE__);
  // END EXERCISE 3.4
}

Value Value::sigmoid() const {
  // EXERCISE 3.5 "sigmoid": s = 1 / (1 + e^-x), made by "sigmoid". d/dx = s * (1 - s).
  //   It must stay exact for large |x| (sigmoid(1000) = 1, sigmoid(-1000) = 0).
  // BEGIN EXERCISE 3.5 -- your code, from here to the END line
  throw NotImplemented("3.5", "sigmoid", __FILE__, __LINE__);
  // END EXERCISE 3.5
}

Value Value::abs() const {
  // EXERCISE 3.6 "abs": |x|, made by "abs"; |nan| is nan. d/dx |x| = 1 for x > 0 and -1 for
  //   x < 0. At the kink x = 0 there is no derivative: like PyTorch, pass back nothing there (the
  //   slope 0, which lies between the two sides' slopes). A NaN x is neither above nor below 0
  //   (every comparison with NaN is false): it passes back nothing either, as in PyTorch.
  //   "Nothing" means the grad is left as it is, even when out.grad is infinite (0 * inf would
  //   be NaN), as relu does at its kink.
  // BEGIN EXERCISE 3.6 -- your code, from here to the END line
  throw NotImplemented("3.6", "abs", __FILE__, __LINE__);
  // END EXERCISE 3.6
}

}  // namespace micrograd
