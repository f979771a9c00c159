// A test op with any number of inputs, built on Value::from_op's many-input form:
// weighted(x0, x1, ...) = 1*x0 + 2*x1 + 3*x2 + ..., so d/dx_i = i + 1 tells every input's
// gradient apart. The engine's own tests of nodes with many parents use it.
#pragma once

#include <cstddef>
#include <span>

#include "engine/value.hpp"

namespace micrograd::testing_ops {

inline void weighted_backward(Node& out) {
  for (std::size_t i = 0; i < out.parent_count; ++i) {
    out.parent(i).grad += static_cast<double>(i + 1) * out.grad;
  }
}

inline Value weighted(std::span<const Value> inputs) {
  double total = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    total += static_cast<double>(i + 1) * inputs[i].data();
  }
  return Value::from_op(total, "weighted", weighted_backward, inputs);
}

}  // namespace micrograd::testing_ops
