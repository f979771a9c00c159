// micrograd.engine.Value: micrograd's Value class, on the C++ engine.
//
// Names and behaviour follow karpathy/micrograd's engine.py, so that its code runs unchanged:
// Value(data), .data and .grad (read and assign), + - * / ** and their reflected forms with ints
// and floats on either side, unary -, relu(), backward(), repr `Value(data=..., grad=...)`, and
// _prev / _op for drawing code. The lecture's extras are here too (tanh(), exp(), a label,
// _backward() to run one node's backward step by hand), and the engine's own log() and sigmoid().
//
// Every op runs in C++: a Python expression builds the same graph a C++ one does, and backward()
// walks it without recursion, however deep. The GIL is held throughout (nothing here releases
// it), so Values shared between Python threads are only ever touched by one thread at a time.
#include <pybind11/pybind11.h>

#include <micrograd/engine/graph.hpp>
#include <micrograd/engine/many_inputs.hpp>
#include <micrograd/engine/softplus.hpp>
#include <micrograd/engine/value.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.hpp"
#include "value_caster.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

std::string python_repr(double number) {
  return py::repr(py::float_(number));
}

// The op as micrograd names it where micrograd has it ('+', '*', '**2', 'ReLU'; the lecture's
// 'tanh' and 'exp'), else the engine's name ('-', '/', 'neg', 'log', 'sigmoid': micrograd writes
// those as + and * of other nodes, this engine has one node each).
std::string micrograd_op(const Node& node) {
  const std::string_view op = node.op;
  if (op == "relu") return "ReLU";
  if (op == "pow") {
    // micrograd writes f'**{other}': '**2' for the int 2. The exponent is a double here, so a
    // whole number is shown without its ".0".
    const double exponent = node.constant;
    if (std::trunc(exponent) == exponent && std::fabs(exponent) < 1e15)
      return "**" + std::to_string(static_cast<long long>(exponent));
    return "**" + python_repr(exponent);
  }
  return std::string(op);
}

// Every parent, however many (sum and dot have hundreds). Value::parents() gives handles that own
// their node, also for a node on a tape, whose own parent pointers own nothing.
//
// Identity: the first _prev of a node's Python object pins its parents' Python objects to it (a
// tuple of them, kept by pybind11 beside the object as keep_alive does: nothing is added to the
// C++ Node), and later calls return the pinned objects. So a node that Python code can reach (it
// holds the object, or walked to it through _prev from one it holds) is one Python object with one
// id(), as in micrograd, where every Value holds its _prev: a walk that keys nodes by id(v) and
// keeps only the ids sees each node once. When the child's object goes, the tuple goes, and the
// parents' objects with it unless Python holds them; a tuple is freed through CPython's trashcan,
// which unwinds a chain of any length without recursing, so a walked million-node chain is freed
// without overflowing the C stack.
py::set parents_of(py::handle self_object) {
  PyObject* const self = self_object.ptr();
  auto* const instance = reinterpret_cast<py::detail::instance*>(self);
  if (instance->has_patients) {  // pinned by an earlier _prev: the tuple among its patients
    for (PyObject* patient : py::detail::get_internals().patients.at(self)) {
      if (PyTuple_CheckExact(patient)) return py::set(py::reinterpret_borrow<py::object>(patient));
    }
  }
  const std::vector<Value> parents = self_object.cast<Value>().parents();
  if (parents.empty()) return py::set();
  py::tuple pinned(parents.size());
  for (std::size_t i = 0; i < parents.size(); ++i) {
    pinned[i] = py::cast(parents[i]);  // the parent's existing Python object, if any
  }
  py::detail::add_patient(self, pinned.ptr());
  return py::set(pinned);
}
}  // namespace

ValueClass bind_value(py::module_& module) {
  ValueClass value(module, "Value",
                   "A scalar and its gradient: one node of a computation graph, as in micrograd.");
  value.def(py::init([](py::handle data, std::string label) {
              Value result(require_real_number(data, "Value(data)"));
              if (!label.empty()) result.label(std::move(label));
              return result.node_ptr();
            }),
            py::arg("data"), py::kw_only(), py::arg("label") = "");

  value.def_property(
      "data", [](const Value& self) { return self.data(); },
      [](const Value& self, py::handle number) {
        self.data() = require_real_number(number, "Value.data");
      },
      "The number this Value holds. Assign to it to change a parameter: p.data -= lr * p.grad");
  value.def_property(
      "grad", [](const Value& self) { return self.grad(); },
      [](const Value& self, py::handle number) {
        self.grad() = require_real_number(number, "Value.grad");
      },
      "d(root)/d(this Value) after root.backward(). Leaves accumulate: set p.grad = 0 (or call "
      "zero_grad()) before the next backward().");
  value.def_property(
      "label", [](const Value& self) { return self.label(); },
      [](const Value& self, std::string text) { self.label(std::move(text)); },
      "An optional name, shown when the graph is drawn (the lecture's `label`).");
  value.def_property_readonly(
      "_prev", [](py::handle self) { return parents_of(self); },
      "The Values this one was computed from (a set, as in micrograd). While this Value's "
      "object lives, its parents' are the same objects on every call.");
  value.def_property_readonly(
      "_op", [](const Value& self) { return micrograd_op(self.node()); },
      "The op that made this Value: '+', '*', '**2', 'ReLU', 'tanh', ...; "
      "'' for a leaf.");

  // Arithmetic. A number on either side becomes a constant leaf (see value_caster.hpp).
  value.def(
      "__add__", [](const Value& a, const Value& b) { return a + b; }, py::is_operator());
  value.def(
      "__radd__", [](const Value& a, const Value& b) { return b + a; }, py::is_operator());
  value.def(
      "__sub__", [](const Value& a, const Value& b) { return a - b; }, py::is_operator());
  value.def(
      "__rsub__", [](const Value& a, const Value& b) { return b - a; }, py::is_operator());
  value.def(
      "__mul__", [](const Value& a, const Value& b) { return a * b; }, py::is_operator());
  value.def(
      "__rmul__", [](const Value& a, const Value& b) { return b * a; }, py::is_operator());
  value.def(
      "__truediv__", [](const Value& a, const Value& b) { return a / b; }, py::is_operator());
  value.def(
      "__rtruediv__", [](const Value& a, const Value& b) { return b / a; }, py::is_operator());
  value.def("__neg__", [](const Value& a) { return -a; });
  // micrograd's pow takes a number exponent only (its graph has no node for the exponent).
  value.def("__pow__", [](const Value& base, py::handle exponent) {
    if (const std::optional<double> number = real_number(exponent)) return base.pow(*number);
    throw py::type_error("only int/float powers are supported, as in micrograd: the exponent is " +
                         type_name(exponent) +
                         ". For a ** b with a Value b (and a > 0) write (b * a.log()).exp()");
  });

  value.def(
      "relu", [](const Value& self) { return self.relu(); },
      "max(0, x); its derivative is 1 where x > 0, else 0");
  value.def("tanh", [](const Value& self) { return self.tanh(); });
  value.def("exp", [](const Value& self) { return self.exp(); });
  value.def(
      "log", [](const Value& self) { return self.log(); }, "the natural logarithm");
  value.def(
      "sigmoid", [](const Value& self) { return self.sigmoid(); }, "1 / (1 + e^-x)");
  value.def(
      "abs", [](const Value& self) { return self.abs(); },
      "|x|; its derivative is 1 where x > 0, -1 where x < 0, and 0 at 0 and for nan");
  value.def("__abs__", [](const Value& self) { return self.abs(); });
  value.def(
      "backward", [](const Value& self) { return self.backward(); },
      "Fills in d(this)/d(node) for every node of the graph: this grad is set to 1, then every "
      "op passes its gradient to its inputs, in reverse topological order. Leaves accumulate "
      "across calls.");
  value.def(
      "_backward", [](const Value& self) { run_grad_fn(self); },
      "Runs this node's own backward step once (passes its grad to its inputs), as the "
      "lecture does by hand before it writes backward().");

  value.def("__repr__", [](const Value& self) {
    return "Value(data=" + python_repr(self.data()) + ", grad=" + python_repr(self.grad()) + ")";
  });

  // The ops with many inputs (engine/many_inputs.hpp) and softplus, as functions of the package:
  // micrograd.sum(values) is one node where Python's sum() makes a chain of len(values) nodes.
  module.def(
      "sum", [](py::handle values) { return micrograd::sum(values_from(values, "sum(values)")); },
      py::arg("values"),
      "v0 + v1 + ... as one node ('sum'), added left to right: the same number as Python's "
      "sum(values), with one node instead of a chain");
  module.def(
      "dot",
      [](py::handle weights, py::handle inputs, const Value& bias) {
        return micrograd::dot(values_from(weights, "dot(weights, ...)"),
                              values_from(inputs, "dot(..., inputs)"), bias);
      },
      py::arg("weights"), py::arg("inputs"), py::arg("bias") = 0.0,
      "bias + w0*x0 + w1*x1 + ... as one node ('dot'), added in that order as micrograd's "
      "Neuron adds");
  module.def(
      "softplus", [](const Value& x) { return micrograd::softplus(x); }, py::arg("x"),
      "log(1 + e^x), a smooth ReLU, as one node whose derivative is sigmoid(x)");
  return value;
}

}  // namespace micrograd::python
