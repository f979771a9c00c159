// Checking a graph from Python: gradcheck (backward() against central differences) and
// graph_stats (what a graph is made of).
//
//   result = micrograd.gradcheck(lambda x: (x[0] * x[1]).tanh(), [0.5, -1.5])
//   print(result)        # the table: per input, analytic and numeric derivative, error, ok
//   assert result.ok
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <micrograd/engine/gradcheck.hpp>
#include <micrograd/engine/graph.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "value_caster.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

template <typename Printable>
std::string printed(const Printable& printable) {
  std::ostringstream text;
  text << printable;
  return text.str();
}

}  // namespace

void bind_checks(py::module_& module) {
  py::class_<GradcheckInput>(module, "GradcheckInput")
      .def_readonly("value", &GradcheckInput::value, "where the derivative was taken")
      .def_readonly("analytic", &GradcheckInput::analytic, "from backward()")
      .def_readonly("numeric", &GradcheckInput::numeric, "from central differences")
      .def_readonly("error", &GradcheckInput::error, "|analytic - numeric|")
      .def_readonly("ok", &GradcheckInput::ok)
      .def("__repr__", [](const GradcheckInput& input) {
        return "GradcheckInput(value=" + std::string(py::repr(py::float_(input.value))) +
               ", analytic=" + std::string(py::repr(py::float_(input.analytic))) +
               ", numeric=" + std::string(py::repr(py::float_(input.numeric))) +
               ", ok=" + (input.ok ? "True" : "False") + ")";
      });
  py::class_<GradcheckResult>(module, "GradcheckResult")
      .def_readonly("output", &GradcheckResult::output, "f at the given point")
      .def_readonly("inputs", &GradcheckResult::inputs, "one GradcheckInput per input")
      .def_property_readonly("ok", &GradcheckResult::ok, "every input within tolerance")
      .def_property_readonly("max_error", &GradcheckResult::max_error)
      .def("__bool__", &GradcheckResult::ok)
      .def("__str__", &printed<GradcheckResult>)
      .def("__repr__", [](const GradcheckResult& result) {
        return "<GradcheckResult ok=" + std::string(result.ok() ? "True" : "False") +
               " max_error=" + std::string(py::repr(py::float_(result.max_error()))) + ">";
      });

  module.def(
      "gradcheck",
      [](const py::function& f, const std::vector<double>& point, double eps,
         double absolute_tolerance, double relative_tolerance) {
        const ScalarFunction scalar_function = [&f](const std::vector<Value>& inputs) {
          const py::object output = f(inputs);
          py::detail::make_caster<Value> caster;
          // Strict (no conversion): a number returned by f has no graph behind it.
          if (!caster.load(output, false))
            throw py::type_error(
                "gradcheck: f must return a Value computed from its inputs, not "
                "a " +
                type_name(output));
          return py::detail::cast_op<Value&>(caster);
        };
        return gradcheck(scalar_function, point,
                         {.eps = eps,
                          .absolute_tolerance = absolute_tolerance,
                          .relative_tolerance = relative_tolerance});
      },
      py::arg("f"), py::arg("point"), py::kw_only(), py::arg("eps") = 1e-6, py::arg("atol") = 1e-6,
      py::arg("rtol") = 1e-5,
      "Calls f(inputs) (a list of Values made from `point`) and compares each input's gradient "
      "from backward() with central differences (f(x + eps) - f(x - eps)) / (2 eps).");

  py::class_<GraphStats>(module, "GraphStats")
      .def_readonly("node_count", &GraphStats::node_count, "every node, leaves included")
      .def_readonly("leaf_count", &GraphStats::leaf_count, "inputs, weights and constants")
      .def_readonly("op_counts", &GraphStats::op_counts, "{op: count}; '' is the leaves")
      .def_readonly("depth", &GraphStats::depth, "nodes on the longest path to the root")
      .def_readonly("bytes", &GraphStats::bytes, "heap memory the nodes hold")
      .def("__repr__", [](const GraphStats& stats) {
        return "GraphStats(node_count=" + std::to_string(stats.node_count) +
               ", leaf_count=" + std::to_string(stats.leaf_count) +
               ", depth=" + std::to_string(stats.depth) + ", bytes=" + std::to_string(stats.bytes) +
               ")";
      });
  module.def("graph_stats", &graph_stats, py::arg("root"),
             "How many nodes root's graph has (per op), its depth and the memory it holds.");
}

}  // namespace micrograd::python
