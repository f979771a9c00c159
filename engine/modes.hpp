// Switches that change how ops behave, each an RAII guard that restores the previous state.
//
// NoGradGuard: ops build no graph (no parents, no grad_fn), for evaluation. Like torch.no_grad().
// A result computed under it is a constant: used in a later graph, no gradient flows through it
// (like torch's detach()), and backward() from it throws std::logic_error, as PyTorch raises
// "does not require grad", instead of silently doing nothing.
//
// AnomalyGuard: every op checks its forward result and, in backward(), the gradient it passes on,
// and throws std::domain_error at the first NaN or infinity, naming the op, its inputs and the
// labels on the way to the root. Like torch.autograd.detect_anomaly().
//
// Both are per thread and off by default; with anomaly mode off, NaN and inf propagate by IEEE
// rules, exactly as in PyTorch.
#pragma once

#include <span>

namespace micrograd {

struct Node;

namespace detail {
// Read on every op, so they are inline thread_locals with constant initialisation: a plain load,
// no function call and no lazy-initialisation check.
inline thread_local constinit bool grad_mode = true;
inline thread_local constinit bool anomaly_mode = false;
}  // namespace detail

inline bool grad_enabled() {
  return detail::grad_mode;
}
inline bool anomaly_mode_enabled() {
  return detail::anomaly_mode;
}

class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

class AnomalyGuard {
 public:
  explicit AnomalyGuard(bool enabled = true);
  ~AnomalyGuard();
  AnomalyGuard(const AnomalyGuard&) = delete;
  AnomalyGuard& operator=(const AnomalyGuard&) = delete;

 private:
  bool previous_;
};

namespace detail {
// Called by Value::from_op in anomaly mode: throws std::domain_error if `result` is NaN or
// infinite.
void check_forward(double result, const char* op, std::span<const Node* const> inputs);
// run_grad_fn in anomaly mode: runs `node`'s grad_fn and throws if it turned a parent's finite
// grad into NaN or infinity (a grad that was already non-finite is not this op's doing).
void run_grad_fn_checked(Node& node, const Node& root);
// run_grad_fn when backward() starts from an op's result made under a NoGradGuard.
[[noreturn]] void throw_backward_without_graph(const Node& root);
}  // namespace detail

}  // namespace micrograd
