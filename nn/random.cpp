// The seedable generator of nn/random.hpp and our own bits-to-number mappings.
#include "nn/random.hpp"

#include <limits>
#include <numeric>
#include <stdexcept>

namespace micrograd::nn {
namespace {
std::mt19937_64& the_generator() {
  static std::mt19937_64 generator;  // default seed until manual_seed
  return generator;
}
}  // namespace

void manual_seed(std::uint64_t seed) {
  the_generator().seed(seed);
}

std::mt19937_64& random_generator() {
  return the_generator();
}

double uniform(double low, double high) {
  const double unit = static_cast<double>(the_generator()() >> 11) * 0x1.0p-53;  // [0, 1)
  return low + (high - low) * unit;
}

std::size_t random_index(std::size_t count) {
  if (count == 0) throw std::invalid_argument("random_index: count must be at least 1, got 0");
  // Draws at or above `limit` would make the low residues more likely than the others.
  const std::uint64_t n = count;
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t draw = the_generator()();
  while (draw >= limit) draw = the_generator()();
  return static_cast<std::size_t>(draw % n);
}

std::vector<std::size_t> random_permutation(std::size_t count) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(order);
  return order;
}

}  // namespace micrograd::nn
