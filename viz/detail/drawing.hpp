// What micrograd::viz draws and how it is checked, shared by graphviz.cpp (to_dot, render,
// render_svg, render_dot) and watch_backward.cpp: the order nodes are drawn in, the labels, the
// building of a cgraph graph from Values, the size limits and the writing of output files. The
// size limits are defined in size_limits.cpp, the rest in graphviz.cpp.
//
// Internal to micrograd::viz (not installed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/value.hpp"
#include "viz/detail/graphviz_c_api.hpp"
#include "viz/graphviz.hpp"

namespace micrograd::viz::detail {

// Throws std::invalid_argument for options no drawing can use (precision outside 0..17).
void validate(const Options& options, const char* function);

// The order nodes are numbered and declared in: depth first from the root, first operand first,
// each node right after its inputs (a topological order), so the root is last.
std::vector<Node*> drawing_order(const Value& root);

// The DOT id of the Value at `index` of drawing_order: v0, v1, ...
std::string value_id(std::size_t index);

// What the op ellipse says: the op's name, with pow's exponent as micrograd writes it (**3).
std::string op_text(const Node& node);

// The record label of a Value's box: label | data | grad (grad as given, and only with
// options.show_grad).
std::string value_label(const Node& node, double grad, const Options& options);

enum class Fill : std::uint8_t { none, highlight, current, updated };

// What to draw, indexed like `order` (drawing_order).
struct Drawing {
  const std::vector<Node*>& order;
  std::vector<double> grads;        // empty: each node's current grad
  std::vector<Fill> value_fill;     // empty: Options::highlight only
  std::vector<Fill> op_fill;        // empty: none
  std::vector<double> min_widths;   // empty: sized to their labels (inches otherwise)
  std::vector<double> min_heights;  //
  std::string graph_id;             // prefixes the element ids of the SVG (frames of one page)
};

// Builds the drawing into `graph` (an empty Graph).
void build(Agraph_t* graph, const Drawing& drawing, const Options& options);

// How much work dot's layout is: the Value and op nodes, and the virtual nodes dot adds for
// edges that skip ranks.
struct LayoutSize {
  std::size_t value_nodes = 0;
  std::size_t op_nodes = 0;
  std::size_t virtual_nodes = 0;
  std::size_t total() const { return value_nodes + op_nodes + virtual_nodes; }
};

LayoutSize layout_size(const std::vector<Node*>& order);

// Throws GraphTooLarge for a graph over `limit` Value nodes (options.<option>), or one whose
// layout is as much work as that many; `layouts` is how many layouts the caller would do.
// count_stopped: size.value_nodes is a count that stopped early, so the graph has more than
// size.value_nodes - 1 nodes.
void check_size(const LayoutSize& size, std::size_t limit, const char* function, const char* option,
                std::size_t layouts, const char* nodes = "Value nodes", bool count_stopped = false);

// How many Value nodes `root` reaches, counting no further than stop_after + 1: a walk that
// stops early, so a graph of millions of nodes costs no more than a small one.
std::size_t count_value_nodes(const Value& root, std::size_t stop_after);

// The cheap check done before anything is built: throws GraphTooLarge if `root` reaches more than
// `limit` Value nodes, counting no further than 10 * limit. one_layout_per_node: the caller
// would lay the graph out once per node (watch_backward), which the time estimate multiplies in.
void check_node_count(const Value& root, std::size_t limit, const char* function,
                      const char* option, bool one_layout_per_node);

// Writes `bytes` to a fresh file next to `path`, then renames it over `path`: readers see the old
// file or the whole new one, and a failure leaves nothing behind.
void write_file(const std::filesystem::path& path, std::string_view bytes, const char* function);

}  // namespace micrograd::viz::detail
