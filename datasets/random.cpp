#include "datasets/random.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace micrograd::datasets {

double uniform01(Rng& rng) {
  constexpr double two_to_minus_53 = 1.0 / 9007199254740992.0;
  return static_cast<double>(rng() >> 11) * two_to_minus_53;
}

double uniform(Rng& rng, double low, double high) {
  return low + (high - low) * uniform01(rng);
}

double standard_normal(Rng& rng) {
  while (true) {
    const double u = 2.0 * uniform01(rng) - 1.0;
    const double v = 2.0 * uniform01(rng) - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

std::uint64_t uniform_index(Rng& rng, std::uint64_t n) {
  if (n == 0)
    throw std::invalid_argument("uniform_index: n must be positive (the range is [0, n))");
  // Plain draw % n favours small results when 2^64 is not a multiple of n. Rejecting the first
  // 2^64 mod n values leaves a range that is a multiple of n, so % n is exactly uniform
  // (OpenBSD's arc4random_uniform). For the n used here a rejection almost never happens.
  const std::uint64_t rejected_below = (0 - n) % n;  // 2^64 mod n
  while (true) {
    const std::uint64_t draw = rng();
    if (draw >= rejected_below) return draw % n;
  }
}

std::vector<std::size_t> permutation(std::size_t n, Rng& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(order, rng);
  return order;
}

}  // namespace micrograd::datasets
