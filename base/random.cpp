// The portable bits-to-number mappings of base/random.hpp, and the global generator.
#include "base/random.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace micrograd::base {

double uniform01(std::mt19937_64& generator) {
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

double uniform(std::mt19937_64& generator, double low, double high) {
  return low + (high - low) * uniform01(generator);
}

double standard_normal(std::mt19937_64& generator) {
  while (true) {
    const double u = 2.0 * uniform01(generator) - 1.0;
    const double v = 2.0 * uniform01(generator) - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

std::size_t random_index(std::mt19937_64& generator, std::size_t count) {
  if (count == 0) {
    throw std::invalid_argument(
        "random_index: count must be at least 1 (the result is in [0, count)), got 0");
  }
  const std::uint64_t n = count;
  const std::uint64_t rejected_below = (0 - n) % n;  // 2^64 mod n, in unsigned arithmetic
  while (true) {
    const std::uint64_t draw = generator();
    if (draw >= rejected_below) return static_cast<std::size_t>(draw % n);
  }
}

std::vector<std::size_t> random_permutation(std::mt19937_64& generator, std::size_t count) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(generator, order);
  return order;
}

std::mt19937_64& random_generator() {
  static std::mt19937_64 generator;  // mt19937_64's default seed until manual_seed
  return generator;
}

void manual_seed(std::uint64_t seed) {
  random_generator().seed(seed);
}

double uniform(double low, double high) {
  return uniform(random_generator(), low, high);
}

double standard_normal() {
  return standard_normal(random_generator());
}

std::size_t random_index(std::size_t count) {
  return random_index(random_generator(), count);
}

std::vector<std::size_t> random_permutation(std::size_t count) {
  return random_permutation(random_generator(), count);
}

}  // namespace micrograd::base
