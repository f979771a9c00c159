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
  // Marks must differ between threads too (a graph sorted on one thread may be sorted on another
  // later), but one shared counter taken at every sort is a cache line that every thread of a
  // data-parallel batch writes once per sample. So each thread takes a block of 2^20 marks at a
  // time and hands them out itself.
  static constexpr std::uint64_t kMarksPerBlock = std::uint64_t{1} << 20;
  static std::atomic<std::uint64_t> blocks_taken{0};
  thread_local std::uint64_t next_mark = 0;
  thread_local std::uint64_t block_end = 0;
  if (next_mark == block_end) {
    next_mark = blocks_taken.fetch_add(1, std::memory_order_relaxed) * kMarksPerBlock + 1;
    block_end = next_mark + kMarksPerBlock - 1;
  }
  return next_mark++;
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
