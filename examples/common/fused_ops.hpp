// Whether the engine a demo runs on can compute with dot() (chapter 9), so that a demo can choose
// the fused form (Module::use_fused_ops) where it is there, and the op-for-op graph where a student
// has not written chapter 9 yet, instead of stopping at its stub.
#pragma once

#include <string>
#include <vector>

#include "engine/errors.hpp"
#include "engine/many_inputs.hpp"

namespace micrograd::examples {

// "" when dot() works; else the stub's message, e.g. 'exercise 9.2 "dot" is not implemented yet'.
// It calls dot() on one pair of leaves: a stub throws NotImplemented before making any node.
inline std::string fused_ops_missing() {
  try {
    const std::vector<Value> weight = {Value(2.0)}, input = {Value(3.0)};
    dot(weight, input, Value(1.0));
    return "";
  } catch (const NotImplemented& stub) {
    return stub.what();
  }
}

}  // namespace micrograd::examples
