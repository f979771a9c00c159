// softplus(x) = log(1 + e^x), a smooth ReLU, as an op of your own (exercise 9.3): written with
// apply_op (engine/custom_op.hpp) from its forward value and its local derivative, the way a user
// adds an op the library lacks.
//
//   d softplus / dx = e^x / (1 + e^x) = 1 / (1 + e^-x) = sigmoid(x)
//
// It matches PyTorch's torch.nn.functional.softplus to a relative 1e-9 everywhere: finite for any
// finite x (x + log(1 + e^-x) above 0, where e^x would overflow), as precise as the double allows
// far below 0 (log1p, not log(1 + ...)), softplus(+-inf) = inf and 0, and nan stays nan.
#pragma once

#include "engine/value.hpp"

namespace micrograd {

// log(1 + e^x) as one node made by "softplus", whose grad_fn passes sigmoid(x) * out.grad to x.
Value softplus(const Value& x);

}  // namespace micrograd
