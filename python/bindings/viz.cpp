// micrograd._core.viz: drawing graphs with the viz library (Graphviz's C libraries, in-process),
// and Value._repr_svg_, with which a notebook draws a Value that ends a cell. Built only when
// micrograd::viz is (Graphviz's development files were found).
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <micrograd/base/atomic_file.hpp>
#include <micrograd/viz/graphviz.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bindings.hpp"
#include "value_caster.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

viz::Options options_from(const std::string& rankdir, bool show_grad, int precision) {
  viz::Options options;
  if (rankdir == "LR") {
    options.direction = viz::Direction::left_to_right;
  } else if (rankdir == "TB") {
    options.direction = viz::Direction::top_to_bottom;
  } else {
    throw std::invalid_argument(
        "rankdir must be 'LR' (left to right) or 'TB' (top to bottom), not '" + rankdir + "'");
  }
  options.show_grad = show_grad;
  options.precision = precision;
  return options;
}

viz::Format format_from(const std::string& format) {
  if (format == "svg") return viz::Format::svg;
  if (format == "png") return viz::Format::png;
  if (format == "pdf") return viz::Format::pdf;
  throw std::invalid_argument("format must be 'svg', 'png' or 'pdf', not '" + format + "'");
}

}  // namespace

void bind_viz(py::module_& module, ValueClass& value) {
  module.def(
      "to_dot",
      [](const Value& root, const std::string& rankdir, bool show_grad, int precision) {
        return viz::to_dot(root, options_from(rankdir, show_grad, precision));
      },
      py::arg("root"), py::kw_only(), py::arg("rankdir") = "LR", py::arg("show_grad") = true,
      py::arg("precision") = 4, "The graph behind root in Graphviz's DOT language (any size).");
  module.def(
      "render_dot",
      [](const std::string& dot, const std::string& format) {
        viz::Options options;
        options.format = format_from(format);
        return py::bytes(viz::render_dot(dot, options));
      },
      py::arg("dot"), py::arg("format") = "svg",
      "Lays out DOT text with dot and returns the picture's bytes (svg, png or pdf).");
  module.def(
      "render",
      [](const Value& root, const std::filesystem::path& path, const std::string& rankdir,
         bool show_grad,
         int precision) { viz::render(root, path, options_from(rankdir, show_grad, precision)); },
      py::arg("root"), py::arg("path"), py::kw_only(), py::arg("rankdir") = "LR",
      py::arg("show_grad") = true, py::arg("precision") = 4,
      "Draws root's graph into path (.svg, .png or .pdf), atomically.");
  module.def(
      "watch_backward",
      [](const Value& root, const std::filesystem::path& folder) {
        return viz::watch_backward(root, folder).page;
      },
      py::arg("root"), py::arg("folder"),
      "Draws backward() one step at a time into folder; returns the page that steps through it.");
  module.attr("MAX_NODES") = viz::Options{}.max_nodes;
  // For micrograd.viz.Drawing.render, which writes the DOT text and the picture as the project
  // writes every file: atomically, keeping an existing file's permissions and symbolic link.
  module.def(
      "write_atomically",
      [](const std::filesystem::path& path, const py::bytes& data) {
        base::write_atomically(path, std::string_view(data));
      },
      py::arg("path"), py::arg("data"));

  // A notebook shows the SVG when a Value ends a cell. A graph too large to lay out quickly gives
  // None, and the notebook falls back to the repr.
  value.def("_repr_svg_", [](const Value& self) -> py::object {
    try {
      return py::str(viz::render_svg(self));
    } catch (const viz::GraphTooLarge&) {
      return py::none();
    }
  });
}

}  // namespace micrograd::python
