// Graph infrastructure: the visit marks the topological sort uses, the memory a node takes, and
// graph statistics. (run_grad_fn is inline in graph.hpp; its checks in anomaly mode are in
// modes.cpp.)
#include "engine/graph.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "engine/detail/node_pool.hpp"
#include "engine/modes.hpp"

namespace micrograd {

static_assert(detail::kNodeBlockSize <= 128, "the per-node memory budget is 128 bytes");

std::uint64_t fresh_visit_mark() {
  static std::atomic<std::uint64_t> last_mark{0};
  return ++last_mark;
}

std::size_t bytes_per_node() {
  // A node and its shared_ptr control block share one block of the node pool.
  return detail::kNodeBlockSize;
}

GraphStats graph_stats(const Value& root) {
  GraphStats stats;
  const std::vector<Node*> order = topological_order(root);
  std::unordered_map<const Node*, std::size_t> depth_of;
  depth_of.reserve(order.size());
  for (const Node* node : order) {
    std::size_t depth = 1;
    for (std::uint32_t i = 0; i < node->parent_count; ++i) {
      depth = std::max(depth, depth_of[&node->parent(i)] + 1);
    }
    depth_of[node] = depth;
    stats.depth = std::max(stats.depth, depth);
    ++stats.op_counts[node->op];
    if (node->is_leaf()) ++stats.leaf_count;
    stats.bytes += bytes_per_node();
    if (node->parent_count > 2)
      stats.bytes += (node->parent_count - 2) * sizeof(std::shared_ptr<Node>);
    if (node->label) stats.bytes += sizeof(std::string) + node->label->capacity();
  }
  stats.node_count = order.size();
  return stats;
}

}  // namespace micrograd
