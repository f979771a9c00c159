// Whether the engine a demo runs on can compute with dot() (chapter 9), so that a demo can choose
// the fused form (Module::use_fused_ops) where it is there, and the op-for-op graph where a student
// has not written chapter 9 yet, instead of stopping at its stub.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <micrograd/engine/errors.hpp>
#include <micrograd/engine/many_inputs.hpp>

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

// The demos' --ops: whether to compute with dot(), and the line that says which graph the run
// builds. Fused unless `ops` is "op-by-op", or unless the engine's dot() is a stub (a student's
// engine before chapter 9): then op by op, and the line says why; an explicit --ops fused
// (`ops_given`) on such an engine is the stub's error.
inline bool choose_fused_ops(const std::string& ops, bool ops_given, std::string& graph) {
  if (ops == "op-by-op") {
    graph = "op by op (micrograd's graph: one node per + and *)";
    return false;
  }
  if (const std::string missing = fused_ops_missing(); !missing.empty()) {
    if (ops_given) throw std::runtime_error("--ops fused needs chapter 9: " + missing);
    graph = "op by op (fused needs chapter 9's dot: " + missing + ")";
    return false;
  }
  graph = "fused (each weighted sum one dot node; --ops op-by-op for micrograd's graph)";
  return true;
}

}  // namespace micrograd::examples
