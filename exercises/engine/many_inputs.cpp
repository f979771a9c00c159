// Generated from solutions/engine/many_inputs.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Ops with many inputs: sum and dot, each one node whose grad_fn loops over its inputs. See
// engine/many_inputs.hpp for why.
//
// The forward value must be the very number the op-for-op graph computes: floating-point addition
// is not associative ((a + b) + c can differ from a + (b + c) in the last bit), so add in the
// order the chain of "+" nodes would. The backward is chapter 2's rule, once per input: each
// input's grad += its local derivative * out.grad, with += because a Value may be listed twice.
// Stuck? ./check hint ID.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/many_inputs.hpp"

namespace micrograd {

Value sum(std::span<const Value> values) {
  if (values.empty()) return Value(0.0);  // Python's sum([]) is 0 too
  // EXERCISE 9.1 "sum": return v0 + v1 + ... as one node made by "sum", with every value as a
  //   parent (Value::from_op takes a span of inputs), added left to right. Its grad_fn (a lambda
  //   with no captures) gives each of its out.parent_count parents d(sum)/dv_i = 1 times out.grad.
  // BEGIN EXERCISE 9.1 -- your code, from here to the END line
  throw NotImplemented("9.1", "sum", __FILE__, __LINE__);
  // END EXERCISE 9.1
}

Value dot(std::span<const Value> weights, std::span<const Value> inputs, const Value& bias) {
  if (weights.size() != inputs.size() || weights.empty()) {
    throw std::invalid_argument("dot: expected as many weights as inputs, at least one; got " +
                                std::to_string(weights.size()) + " weights and " +
                                std::to_string(inputs.size()) + " inputs");
  }
  // EXERCISE 9.2 "dot": return bias + w0*x0 + w1*x1 + ... as one node made by "dot", added in
  //   that order (round each product, then add it: the op-for-op graph's numbers). Its parents,
  //   in order: w0, x0, w1, x1, ..., bias (from_op also takes pointers to them, which copies no
  //   handle). Its grad_fn reads n = (out.parent_count - 1) / 2 and passes d/dw_i = x_i,
  //   d/dx_i = w_i (times out.grad) to parents 2i and 2i + 1, and d/dbias = 1 to the last parent.
  // BEGIN EXERCISE 9.2 -- your code, from here to the END line
  throw NotImplemented("9.2", "dot", __FILE__, __LINE__);
  // END EXERCISE 9.2
}

}  // namespace micrograd
