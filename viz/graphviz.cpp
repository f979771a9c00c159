// The Graphviz exporter's public API (viz/graphviz.hpp) and the picture it draws: a graph of
// Values built into a cgraph graph, and the output files.
//
// Around it, in viz/detail/ (internal, not installed): graphviz_c_api.* deals with Graphviz's C
// API (global state, diagnostics, not const-correct), label_text.* escapes the text of labels,
// size_limits.cpp refuses a graph too large to lay out, and drawing.hpp declares what this file shares with viz/watch_backward.cpp ("watch backward" and its
// page). Everything Graphviz-specific stays in .cpp files and viz/detail/, so viz/graphviz.hpp
// needs no Graphviz header.
#include "viz/graphviz.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/atomic_file.hpp"
#include "viz/detail/drawing.hpp"
#include "viz/detail/graphviz_c_api.hpp"
#include "viz/detail/label_text.hpp"

namespace micrograd::viz {

namespace fs = std::filesystem;

// The internals in viz/detail/ this file uses; it defines those drawing.hpp declares.
using detail::build;
using detail::check_node_count;
using detail::check_size;
using detail::DiagnosticsCapture;
using detail::Drawing;
using detail::drawing_order;
using detail::Fill;
using detail::Graph;
using detail::graphviz_mutex;
using detail::Layout;
using detail::layout_size;
using detail::LayoutSize;
using detail::render_laid_out;
using detail::rendering_context;
using detail::validate;
using detail::write_file;

namespace {

// ---- Building the graph -------------------------------------------------------------------------

const char* fill_color(Fill fill) {
  switch (fill) {
    case Fill::highlight:
      return "#ffe680";  // yellow: options.highlight
    case Fill::current:
      return "#ffb861";  // orange: the node whose grad_fn just ran
    case Fill::updated:
      return "#b9e3a4";  // green: the inputs it passed gradient to
    case Fill::none:
      break;
  }
  return "";
}

std::string op_id(std::size_t index) {
  return "op" + std::to_string(index);
}

std::string inches(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

}  // namespace

namespace detail {

void validate(const Options& options, const char* function) {
  if (options.precision < 0 || options.precision > 17) {
    throw std::invalid_argument(
        std::string(function) + ": options.precision is " + std::to_string(options.precision) +
        ", expected 0..17 digits after the decimal point (4 is micrograd's)");
  }
}

// The order nodes are numbered and declared in: depth first from the root, first operand first,
// each node right after its inputs (a topological order). dot stacks the nodes of a column in the
// order they are declared, so x1 is drawn above w1 and x1*w1 above x2*w2, as the expression reads.
// A walk of its own rather than topological_order(): pictures and ids must not change with how a
// sort breaks ties (the engine's visits the last operand first, for speed; a student's may do
// anything), and a graph can be drawn before the sort (exercise 4.1) is written.
std::vector<Node*> drawing_order(const Value& root) {
  std::vector<Node*> order;
  std::unordered_set<const Node*> visited{&root.node()};
  std::vector<std::pair<Node*, std::uint32_t>> stack{{&root.node(), 0}};  // node, next operand
  while (!stack.empty()) {
    auto& [node, next_operand] = stack.back();
    if (next_operand < node->parent_count) {
      Node* operand = &node->parent(next_operand++);
      // emplace_back may move the stack: node and next_operand are re-read next time round.
      if (visited.insert(operand).second) stack.emplace_back(operand, 0);
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

std::string value_id(std::size_t index) {
  return "v" + std::to_string(index);
}

// What the op ellipse says: the op's name, with pow's exponent as micrograd writes it (**3).
std::string op_text(const Node& node) {
  const std::string_view op = node.op;
  if (op == "pow") {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "**%g", node.constant);
    return buffer;
  }
  return std::string(op);
}

std::string value_label(const Node& node, double grad, const Options& options) {
  std::string label = record_field(node.label ? *node.label : std::string());
  label += "|data " + record_field(format_number(node.data, options.precision));
  if (options.show_grad) label += "|grad " + record_field(format_number(grad, options.precision));
  // With rankdir=LR Graphviz turns records on their side; braces turn the fields back into a row.
  return options.direction == Direction::left_to_right ? "{" + label + "}" : label;
}

// Builds the graph into `graph`. Attributes are declared up front, so agwrite() prints them in a
// fixed order and a node lists only what differs from the defaults.
void build(Agraph_t* graph, const Drawing& drawing, const Options& options) {
  const std::vector<Node*>& order = drawing.order;
  agattr(graph, AGRAPH, c_string("rankdir"),
         c_string(options.direction == Direction::left_to_right ? "LR" : "TB"));
  if (!drawing.graph_id.empty()) agattr(graph, AGRAPH, c_string("id"), c_string(drawing.graph_id));
  Agsym_t* shape = agattr(graph, AGNODE, c_string("shape"), c_string("record"));
  agattr(graph, AGNODE, c_string("fontname"), c_string("Helvetica,Arial,sans-serif"));
  Agsym_t* font_size = agattr(graph, AGNODE, c_string("fontsize"), c_string("11"));
  // An empty default means Graphviz's own default, and agwrite() leaves it out.
  Agsym_t* label = agattr(graph, AGNODE, c_string("label"), c_string(""));
  Agsym_t* style = agattr(graph, AGNODE, c_string("style"), c_string(""));
  Agsym_t* fill = agattr(graph, AGNODE, c_string("fillcolor"), c_string(""));
  Agsym_t* width = agattr(graph, AGNODE, c_string("width"), c_string(""));
  Agsym_t* height = agattr(graph, AGNODE, c_string("height"), c_string(""));
  Agsym_t* margin = agattr(graph, AGNODE, c_string("margin"), c_string(""));
  agattr(graph, AGEDGE, c_string("arrowsize"), c_string("0.6"));

  std::unordered_set<const Node*> highlighted;
  for (const Value& value : options.highlight) highlighted.insert(&value.node());
  std::unordered_map<const Node*, Agnode_t*> drawn;
  drawn.reserve(order.size());

  const auto set = [](Agnode_t* node, Agsym_t* attribute, const std::string& value) {
    agxset(node, attribute, c_string(value));
  };
  const auto set_fill = [&](Agnode_t* node, Fill how) {
    if (how == Fill::none) return;
    set(node, style, "filled");
    set(node, fill, fill_color(how));
  };

  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    Agnode_t* box = agnode(graph, c_string(value_id(i)), 1);
    const double grad = drawing.grads.empty() ? node.grad : drawing.grads[i];
    set(box, label, value_label(node, grad, options));
    Fill value_fill = drawing.value_fill.empty() ? Fill::none : drawing.value_fill[i];
    if (value_fill == Fill::none && highlighted.count(&node) != 0) value_fill = Fill::highlight;
    set_fill(box, value_fill);
    if (!drawing.min_widths.empty()) {
      set(box, width, inches(drawing.min_widths[i]));
      set(box, height, inches(drawing.min_heights[i]));
    }
    drawn.emplace(&node, box);
    if (node.is_leaf()) continue;

    Agnode_t* op = agnode(graph, c_string(op_id(i)), 1);
    set(op, shape, "ellipse");
    set(op, label, record_field(op_text(node)));
    set(op, font_size, "10");
    set(op, width, "0.3");
    set(op, height, "0.3");
    set(op, margin, "0.04,0.02");
    if (!drawing.op_fill.empty()) set_fill(op, drawing.op_fill[i]);
    agedge(graph, op, box, nullptr, 1);
    // One edge per operand, so x*x shows two arrows from x: a node used twice.
    for (std::uint32_t p = 0; p < node.parent_count; ++p) {
      agedge(graph, drawn.at(&node.parent(p)), op, nullptr, 1);
    }
  }
}

}  // namespace detail

// ---- Files --------------------------------------------------------------------------------------

namespace {

Format format_for(const fs::path& path, Format requested) {
  if (requested != Format::from_extension) return requested;
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".svg") return Format::svg;
  if (extension == ".png") return Format::png;
  if (extension == ".pdf") return Format::pdf;
  throw std::invalid_argument("render: cannot tell the output format of \"" + path.string() +
                              "\" from its extension (" +
                              (extension.empty() ? std::string("none") : "\"" + extension + "\"") +
                              "): name the file .svg, .png or .pdf, or set options.format");
}

[[noreturn]] void cannot_write(const fs::path& path, const char* function, const std::string& why,
                               std::error_code error) {
  throw fs::filesystem_error(
      std::string(function) + ": cannot write \"" + path.string() + "\": " + why, path, error);
}

// Fails early, before any layout, on a path that cannot be written.
void check_output_path(const fs::path& path, const char* function) {
  const auto fail = [&](const std::string& why, std::errc error) {
    cannot_write(path, function, why, std::make_error_code(error));
  };
  if (path.empty() || !path.has_filename()) {
    fail("the path has no file name; pass a path such as \"graph.svg\"",
         std::errc::invalid_argument);
  }
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    fail("the folder \"" + folder.string() + "\" does not exist; create it first",
         std::errc::no_such_file_or_directory);
  }
  if (fs::is_directory(path, error)) {
    fail("it is a folder; pass a file path such as \"" + (path / "graph.svg").string() + "\"",
         std::errc::is_a_directory);
  }
}

}  // namespace

namespace detail {

// Writes `bytes` to `path` through the project's one atomic writer (base/atomic_file.hpp):
// readers see the old file or the whole new one, and a failure leaves nothing behind.
void write_file(const fs::path& path, std::string_view bytes, const char* function) {
  check_output_path(path, function);
  try {
    base::write_atomically(path, bytes);
  } catch (const base::WriteError& error) {
    cannot_write(path, function, error.step() + " (" + error.code().message() + ")", error.code());
  }
}

}  // namespace detail

// ---- The public API -----------------------------------------------------------------------------

namespace {

std::string render_locked(const Value& root, const Options& options, Format format,
                          const char* function) {
  validate(options, function);
  check_node_count(root, options.max_nodes, function, "max_nodes", false);
  const std::vector<Node*> order = drawing_order(root);
  check_size(layout_size(order), options.max_nodes, function, "max_nodes", 1);
  DiagnosticsCapture diagnostics(function);
  GVC_t* context = rendering_context(diagnostics);
  Graph graph;
  build(graph.get(), Drawing{order, {}, {}, {}, {}, {}, {}}, options);
  diagnostics.check("building the graph");
  Layout layout(context, graph.get(), diagnostics);
  return render_laid_out(context, graph.get(), format, diagnostics);
}

}  // namespace

std::string to_dot(const Value& root, const Options& options) {
  validate(options, "to_dot");
  std::lock_guard lock(graphviz_mutex());
  const std::vector<Node*> order = drawing_order(root);
  DiagnosticsCapture diagnostics("to_dot");
  Graph graph;
  build(graph.get(), Drawing{order, {}, {}, {}, {}, {}, {}}, options);
  diagnostics.check("building the graph");
  std::string text;
  const int status = agwrite(graph.get(), &text);
  diagnostics.check("writing the DOT text", status == EOF);
  return text;
}

std::string render_svg(const Value& root, const Options& options) {
  std::lock_guard lock(graphviz_mutex());
  return render_locked(root, options, Format::svg, "render_svg");
}

void render(const Value& root, const fs::path& path, const Options& options) {
  check_output_path(path, "render");
  const Format format = format_for(path, options.format);
  std::string bytes;
  {
    std::lock_guard lock(graphviz_mutex());
    bytes = render_locked(root, options, format, "render");
  }
  write_file(path, bytes, "render");
}

std::string render_dot(const std::string& dot, const Options& options) {
  validate(options, "render_dot");
  std::lock_guard lock(graphviz_mutex());
  DiagnosticsCapture diagnostics("render_dot");
  GVC_t* context = rendering_context(diagnostics);
  struct GraphCloser {
    void operator()(Agraph_t* graph) const { agclose(graph); }
  };
  // cgraph's lexer keeps what it read past a graph's closing brace for the next parse (so agread
  // can read several graphs from one file), and its line counter runs on. Parsing an empty text
  // consumes and drops that rest. Only the first graph of `dot` is drawn.
  const auto drop_rest = [&] {
    const std::unique_ptr<Agraph_t, GraphCloser> rest(agmemread(""));
    agreadline(1);
    diagnostics.discard();
  };
  drop_rest();
  const std::unique_ptr<Agraph_t, GraphCloser> graph(agmemread(dot.c_str()));
  diagnostics.check("reading the DOT text", graph == nullptr);
  drop_rest();
  LayoutSize size;  // DOT text has no Values: count its nodes, and each as 2.5 layout nodes
  size.value_nodes = static_cast<std::size_t>(agnnodes(graph.get()));
  size.op_nodes = static_cast<std::size_t>(static_cast<double>(size.value_nodes) * 1.5);
  check_size(size, options.max_nodes, "render_dot", "max_nodes", 1, "nodes");
  Layout layout(context, graph.get(), diagnostics);
  const Format format = options.format == Format::from_extension ? Format::svg : options.format;
  return render_laid_out(context, graph.get(), format, diagnostics);
}

}  // namespace micrograd::viz
