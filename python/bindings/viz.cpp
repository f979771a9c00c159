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

// The C++ messages name the fields of viz::Options, which Python cannot set: say it Python's way.
std::string python_words(std::string message) {
  const auto replace = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = message.find(from); at != std::string::npos;
         at = message.find(from, at + to.size())) {
      message.replace(at, from.size(), to);
    }
  };
  replace(", or raise options.max_nodes if you are willing to wait.",
          ". (From Python the limit, micrograd.viz.MAX_NODES, cannot be raised.)");
  replace("options.max_nodes", "micrograd.viz.MAX_NODES");
  replace(", or set options.format", "");
  return message;
}

// Runs `draw`, its errors in Python's words (as ValueError, as before: GraphTooLarge is a
// std::length_error, a bad extension a std::invalid_argument).
template <typename Draw>
auto in_python_words(Draw&& draw) {
  try {
    return draw();
  } catch (const std::length_error& error) {
    throw py::value_error(python_words(error.what()));
  } catch (const std::invalid_argument& error) {
    throw py::value_error(python_words(error.what()));
  }
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
        return py::bytes(in_python_words([&] { return viz::render_dot(dot, options); }));
      },
      py::arg("dot"), py::arg("format") = "svg",
      "Lays out DOT text with dot and returns the picture's bytes (svg, png or pdf).");
  module.def(
      "render",
      [](const Value& root, const std::filesystem::path& path, const std::string& rankdir,
         bool show_grad, int precision) {
        in_python_words(
            [&] { viz::render(root, path, options_from(rankdir, show_grad, precision)); });
      },
      py::arg("root"), py::arg("path"), py::kw_only(), py::arg("rankdir") = "LR",
      py::arg("show_grad") = true, py::arg("precision") = 4,
      "Draws root's graph into path (.svg, .png or .pdf), atomically.");
  module.def(
      "watch_backward",
      [](const Value& root, const std::filesystem::path& folder) {
        return in_python_words([&] { return viz::watch_backward(root, folder).page; });
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
