// NoGradGuard and AnomalyGuard as Python context managers:
//
//   with micrograd.no_grad():        # ops build no graph (evaluation), like torch.no_grad()
//       scores = [model(x) for x in test_inputs]
//   with micrograd.AnomalyGuard():   # the first NaN or infinity raises FloatingPointError
//       loss.backward()
//   with micrograd.TapeGuard():      # a training step on a tape: one reverse sweep, no sort
//       loss = model_loss(); loss.backward()
//
// Each `with` block holds one C++ guard from __enter__ to __exit__. The modes are per thread, as
// in C++ (and in PyTorch): a block changes the mode of the thread that runs it, nothing else.
#include <pybind11/pybind11.h>

#include <micrograd/engine/modes.hpp>
#include <micrograd/engine/tape.hpp>

#include <memory>
#include <string>
#include <thread>

#include "bindings.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

// A guard that exists from __enter__ to __exit__, on the thread that entered it.
template <typename Guard>
class ContextGuard {
 public:
  template <typename... Arguments>
  void enter(const char* name, Arguments... arguments) {
    if (guard_)
      throw std::logic_error(std::string(name) +
                             " is already active: a `with` block enters it once. Make a new one "
                             "for each block");
    guard_ = std::make_unique<Guard>(arguments...);
    thread_ = std::this_thread::get_id();
  }
  void exit(const char* name) {
    if (!guard_)
      throw std::logic_error(std::string(name) +
                             ".__exit__ without __enter__: use it in a `with` "
                             "block");
    if (thread_ != std::this_thread::get_id())
      throw std::logic_error(std::string(name) +
                             " must end on the thread that started it: the mode belongs to that "
                             "thread");
    guard_.reset();
  }
  ~ContextGuard() {
    // Dropped without __exit__ on another thread (the garbage collector's): restoring the mode
    // there would change the wrong thread's mode, so the guard is let go instead. Its thread
    // keeps the mode, as it would with an unfinished `with` block.
    if (guard_ && thread_ != std::this_thread::get_id()) static_cast<void>(guard_.release());
  }

 private:
  std::unique_ptr<Guard> guard_;
  std::thread::id thread_;
};

struct NoGrad : ContextGuard<NoGradGuard> {};
struct TapeMode : ContextGuard<TapeGuard> {
  explicit TapeMode(long long limit) : max_nodes(static_cast<std::size_t>(limit)) {
    if (limit <= 0) {
      throw py::value_error("TapeGuard(max_nodes=" + std::to_string(limit) +
                            "): a tape must hold at least one node");
    }
  }
  std::size_t max_nodes;
};
struct Anomaly : ContextGuard<AnomalyGuard> {
  explicit Anomaly(bool on) : enabled(on) {}
  bool enabled;
};

}  // namespace

void bind_modes(py::module_& module) {
  py::class_<NoGrad>(module, "NoGradGuard",
                     "with NoGradGuard(): ops build no graph (no parents, no backward), for "
                     "evaluation. Per thread, like torch.no_grad().")
      .def(py::init<>())
      .def(
          "__enter__",
          [](NoGrad& self) -> NoGrad& {
            self.enter("NoGradGuard");
            return self;
          },
          py::return_value_policy::reference)
      .def("__exit__", [](NoGrad& self, const py::args&) {
        self.exit("NoGradGuard");
        return false;  // an exception raised in the block goes on
      });
  py::class_<Anomaly>(module, "AnomalyGuard",
                      "with AnomalyGuard(): the first NaN or infinity, forward or backward, raises "
                      "FloatingPointError naming the op, its inputs and the labelled nodes on the "
                      "way. Per thread, like torch.autograd.detect_anomaly().")
      .def(py::init<bool>(), py::arg("enabled") = true)
      .def(
          "__enter__",
          [](Anomaly& self) -> Anomaly& {
            self.enter("AnomalyGuard", self.enabled);
            return self;
          },
          py::return_value_policy::reference)
      .def("__exit__", [](Anomaly& self, const py::args&) {
        self.exit("AnomalyGuard");
        return false;
      });
  py::class_<TapeMode>(module, "TapeGuard",
                       "with TapeGuard(): this thread's ops record their results on a tape, in the "
                       "order they are made, and backward() from them is one reverse sweep with no "
                       "sort: the same numbers, faster. The block's nodes are released together "
                       "once no Value of them is left. Use one per training step.")
      .def(py::init<long long>(),
           py::arg("max_nodes") = static_cast<long long>(Tape::kDefaultMaxNodes))
      .def(
          "__enter__",
          [](TapeMode& self) -> TapeMode& {
            self.enter("TapeGuard", self.max_nodes);
            return self;
          },
          py::return_value_policy::reference)
      .def("__exit__", [](TapeMode& self, const py::args&) {
        self.exit("TapeGuard");
        return false;
      });
  module.def("is_tape_active", &tape_active, "True inside `with TapeGuard():` on this thread.");
  module.def("is_grad_enabled", &grad_enabled,
             "False inside `with no_grad():` on this thread, else True.");
  module.def("is_anomaly_enabled", &anomaly_mode_enabled,
             "True inside `with AnomalyGuard():` on this thread.");
}

}  // namespace micrograd::python
