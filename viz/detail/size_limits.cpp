// The size limits of a drawing (declared in drawing.hpp): how much work dot's layout of a graph
// would be, estimated before any layout, and the refusal, with the time it would take, of a graph
// over the limit (Options::max_nodes). Layout time grows steeply: docs/viz.md has the figures.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "viz/detail/drawing.hpp"
#include "viz/graphviz.hpp"

namespace micrograd::viz {

using detail::LayoutSize;

namespace {

// A graph shaped like an MLP has about 2.5 layout nodes per Value node.
constexpr double layout_nodes_per_value = 2.5;

// The graph walk that sizes a layout stops counting past this many times the limit: a graph that
// large is refused whatever its exact size, and counting ten million nodes took seconds and
// gigabytes. Up to it, the message gives the exact count.
constexpr std::size_t kCountPastLimit = 10;

// dot's layout time, fitted on MLP-shaped graphs on the 2-core development machine: 0.1 s at 300
// Value nodes, 0.9 s at 1,000, 11 s at 4,000, minutes at 8,000 (docs/viz.md). Graphs with many
// virtual nodes take longer than this.
double estimated_layout_seconds(const LayoutSize& size) {
  return 0.9 * std::pow(static_cast<double>(size.total()) / 2500.0, 2.3);
}

// "about 3 minutes" ("at least 3 minutes" for a lower bound). Saturates at "more than a year":
// past that the number means nothing, and the fit gave hours with twenty digits.
std::string describe_seconds(double seconds, bool lower_bound = false) {
  constexpr double minute = 60, hour = 60 * minute, day = 24 * hour, year = 365 * day;
  if (!(seconds < year)) return "more than a year";  // NaN and infinity too
  const char* prefix = lower_bound ? "at least" : "about";
  if (seconds < 1.5) return std::string(prefix) + " a second";
  char buffer[64];
  if (seconds < 90) {
    std::snprintf(buffer, sizeof buffer, "%s %.0f seconds", prefix, seconds);
  } else if (seconds < 90 * minute) {
    std::snprintf(buffer, sizeof buffer, "%s %.0f minutes", prefix, seconds / minute);
  } else if (seconds < 48 * hour) {
    std::snprintf(buffer, sizeof buffer, "%s %.0f hours", prefix, seconds / hour);
  } else {
    std::snprintf(buffer, sizeof buffer, "%s %.0f days", prefix, seconds / day);
  }
  return buffer;
}

// limit * kCountPastLimit, or the largest size_t if that overflows.
std::size_t counting_limit(std::size_t limit) {
  const std::size_t most = std::numeric_limits<std::size_t>::max();
  return limit > (most - 1) / kCountPastLimit ? most - 1 : limit * kCountPastLimit;
}

}  // namespace

namespace detail {

// How much work dot's layout is. dot puts every node on a rank (a column, with rankdir=LR) and
// breaks each edge that skips ranks into a chain of virtual nodes, one per rank skipped; layout
// time grows steeply with all of them. The ranks here are estimated the way dot tends to place
// them: an op one rank after its latest input, a Value one after its op, a leaf just before its
// first use. A Value used far from where it was made (x in s = s + x*c, repeated) adds many.
LayoutSize layout_size(const std::vector<Node*>& order) {
  LayoutSize size;
  size.value_nodes = order.size();
  std::unordered_map<const Node*, std::size_t> index;
  index.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) index.emplace(order[i], i);
  std::vector<long> rank(order.size(), 0);
  std::vector<long> first_use(order.size(), -1);  // rank of the first op that reads a node
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    if (node.is_leaf()) continue;
    ++size.op_nodes;
    long op_rank = 0;
    for (std::uint32_t p = 0; p < node.parent_count; ++p) {
      op_rank = std::max(op_rank, rank[index.at(&node.parent(p))] + 1);
    }
    rank[i] = op_rank + 1;
    for (std::uint32_t p = 0; p < node.parent_count; ++p) {
      long& first = first_use[index.at(&node.parent(p))];
      if (first < 0 || op_rank < first) first = op_rank;
    }
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i]->is_leaf() && first_use[i] > 0) rank[i] = first_use[i] - 1;
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    for (std::uint32_t p = 0; p < node.parent_count; ++p) {
      const long skipped = (rank[i] - 1) - rank[index.at(&node.parent(p))] - 1;
      if (skipped > 0) size.virtual_nodes += static_cast<std::size_t>(skipped);
    }
  }
  return size;
}

std::size_t count_value_nodes(const Value& root, std::size_t stop_after) {
  std::unordered_set<const Node*> seen{&root.node()};
  std::vector<const Node*> stack{&root.node()};
  while (!stack.empty() && seen.size() <= stop_after) {
    const Node* node = stack.back();
    stack.pop_back();
    for (std::uint32_t p = 0; p < node->parent_count; ++p) {
      const Node* parent = &node->parent(p);
      if (seen.insert(parent).second) stack.push_back(parent);
    }
  }
  return std::min(seen.size(), stop_after + 1);
}

void check_node_count(const Value& root, std::size_t limit, const char* function,
                      const char* option, bool one_layout_per_node) {
  const std::size_t stop_after = counting_limit(limit);
  const std::size_t counted = count_value_nodes(root, stop_after);
  if (counted <= limit) return;
  LayoutSize size;  // not laid out: each Value node as 2.5 layout nodes, as an MLP's
  size.value_nodes = counted;
  size.op_nodes = static_cast<std::size_t>(static_cast<double>(counted) * 1.5);
  check_size(size, limit, function, option, one_layout_per_node ? counted + 1 : 1, "Value nodes",
             counted > stop_after);
}

// Refuses a graph over `limit` Value nodes, or one whose layout is as much work as that many.
void check_size(const LayoutSize& size, std::size_t limit, const char* function, const char* option,
                std::size_t layouts, const char* nodes, bool count_stopped) {
  const auto equivalent_values =
      static_cast<std::size_t>(static_cast<double>(size.total()) / layout_nodes_per_value);
  const bool too_many_values = size.value_nodes > limit;
  // Some headroom over `limit`: only a graph that is mostly long edges trips this.
  const bool too_much_layout = equivalent_values > limit + limit / 5;
  if (!too_many_values && !too_much_layout) return;
  const double seconds =
      estimated_layout_seconds(size) * static_cast<double>(std::max<std::size_t>(1, layouts));
  std::string message = std::string(function) + ": the graph has " +
                        (count_stopped ? "more than " + std::to_string(size.value_nodes - 1)
                                       : std::to_string(size.value_nodes)) +
                        " " + nodes;
  if (too_many_values) {
    message += ", more than options." + std::string(option) + " = " + std::to_string(limit) +
               ". Laying it out with dot would take " + describe_seconds(seconds, count_stopped);
  } else {
    message +=
        ", but edges that skip many ranks (a Value used far from where it was made) add "
        "about " +
        std::to_string(size.virtual_nodes) + " hidden nodes for dot to place: as much work as " +
        std::to_string(equivalent_values) + " Value nodes, more than options." + option + " = " +
        std::to_string(limit) + ". Laying it out would take " + describe_seconds(seconds, true) +
        ", likely much longer";
  }
  if (layouts > 1) {
    // Each frame is a whole picture: about 1.4 kB of SVG per node.
    const double megabytes =
        1.4e-3 * static_cast<double>(size.value_nodes) * static_cast<double>(layouts);
    char page[128];
    std::snprintf(page, sizeof page, " (%s%zu layouts, one per frame, and a page of %s%.0f MB)",
                  count_stopped ? "more than " : "", layouts,
                  count_stopped ? "more than " : "about ", megabytes);
    message += page;
  }
  message +=
      ". Use to_dot(root) to get the DOT text (no size limit), draw a smaller graph (one neuron "
      "rather than the whole network), or raise options." +
      std::string(option) + " if you are willing to wait.";
  throw GraphTooLarge(message, size.value_nodes, limit);
}

}  // namespace detail

}  // namespace micrograd::viz
