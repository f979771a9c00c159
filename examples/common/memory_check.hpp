// Whether a demo's graphs fit in memory, checked before it builds them: a value the command line
// accepts must either run or be refused up front, saying which options ask for too much.
//
// The estimate counts what an MLP's forward pass makes per sample: op for op, a "*" and a "+" node
// per weight and a node per bias and activation; fused, a "dot" node per neuron (which lists its
// inputs, a pointer each) and its activation. Every node costs micrograd::bytes_per_node().
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <micrograd/engine/graph.hpp>

namespace micrograd::examples {

// The bytes this program may use: the machine's memory, or less under `ulimit -v`.
inline double available_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  double bytes = pages > 0 && page_size > 0
                     ? static_cast<double>(pages) * static_cast<double>(page_size)
                     : 1e12;  // unknown: do not refuse
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    bytes = std::min(bytes, static_cast<double>(limit.rlim_cur));
  }
  return bytes;
}

// The parameters of an MLP of `inputs` inputs and layers of `sizes` neurons.
inline double mlp_parameter_count(std::size_t inputs, const std::vector<std::size_t>& sizes) {
  double count = 0;
  double fan_in = static_cast<double>(inputs);
  for (std::size_t size : sizes) {
    count += static_cast<double>(size) * (fan_in + 1);
    fan_in = static_cast<double>(size);
  }
  return count;
}

// The bytes of one sample's forward graph through such an MLP (its parameters not counted).
inline double mlp_graph_bytes_per_sample(std::size_t inputs, const std::vector<std::size_t>& sizes,
                                         bool fused) {
  const auto node = static_cast<double>(micrograd::bytes_per_node());
  double bytes = 0;
  double fan_in = static_cast<double>(inputs);
  for (std::size_t size : sizes) {
    const auto neurons = static_cast<double>(size);
    bytes += fused ? neurons * (2 * node + (fan_in + 1) * 2 * sizeof(void*))
                   : neurons * (2 * fan_in + 2) * node;
    fan_in = neurons;
  }
  return bytes;
}

// "" when `bytes` fit (with room to spare: a demo keeps a few other things), else what they
// need and what there is, in words: "needs about 120 GB of memory, more than the 23 GB here".
inline std::string memory_problem(double bytes) {
  const double available = available_memory_bytes();
  if (bytes <= 0.75 * available) return "";
  char text[160];
  std::snprintf(text, sizeof text, "needs about %.1f GB of memory, more than the %.1f GB here",
                bytes / 1e9, available / 1e9);
  return text;
}

}  // namespace micrograd::examples
