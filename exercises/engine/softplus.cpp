// Generated from solutions/engine/softplus.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// softplus as an op of your own: a type with a name, a forward value and a local derivative, given
// to apply_op (engine/custom_op.hpp), which makes the node and applies the chain rule for you. See
// engine/softplus.hpp for the math. Stuck? ./check hint 9.3.
#include "engine/softplus.hpp"

#include <cmath>
#include <span>

#include "engine/custom_op.hpp"

namespace micrograd {

Value softplus(const Value& x) {
  // EXERCISE 9.3 "softplus": define a type Softplus right here with three static functions,
  //   name() returning "softplus", forward(inputs) returning log(1 + e^x) for x = inputs[0], and
  //   derivatives(inputs, out, local) setting local[0] = d softplus / dx = 1 / (1 + e^-x); then
  //   return what apply_op makes of Softplus and x. The number must be right for every double, as PyTorch's is:
  //   e^x overflows to inf past x = 709, but log(1 + e^x) = x + log(1 + e^-x), whose e^-x cannot;
  //   and 1 + e^x rounds to 1 once e^x < 1e-16, so use std::log1p(y) = log(1 + y), exact there.
  // BEGIN EXERCISE 9.3 -- your code, from here to the END line
  throw NotImplemented("9.3", "softplus", __FILE__, __LINE__);
  // END EXERCISE 9.3
}

}  // namespace micrograd
