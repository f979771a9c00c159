// Portable random numbers for the datasets: the same seed gives the same numbers everywhere.
//
// The bits come from std::mt19937_64, whose output the C++ standard fixes exactly. The standard
// distributions (std::uniform_real_distribution, std::normal_distribution, std::shuffle) are not
// fixed: libstdc++, libc++ and MSVC turn the same bits into different numbers. So we map the bits
// ourselves, with the textbook methods below, and a seed means the same dataset on every machine.
// (The generators also call std::sin, std::cos and std::log; these agree to the last bit on every
// common libm for the arguments used here, and tests pin the result in a golden file.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace micrograd::datasets {

using Rng = std::mt19937_64;

// Uniform in [0, 1): the top 53 bits of one draw, times 2^-53. Every double it returns is exact.
double uniform01(Rng& rng);

// Uniform in [low, high).
double uniform(Rng& rng, double low, double high);

// Standard normal N(0, 1) by Marsaglia's polar method: draw (u, v) uniform in the square
// [-1, 1)^2 until 0 < s = u^2 + v^2 < 1, then return u * sqrt(-2 ln(s) / s). (The method makes two
// normals per accepted pair; we keep only the first, so the function needs no hidden state.)
double standard_normal(Rng& rng);

// Uniform integer in [0, n), unbiased (rejection on 64-bit draws). n > 0.
std::uint64_t uniform_index(Rng& rng, std::uint64_t n);

// Fisher-Yates shuffle, from the last element down, with uniform_index: portable where
// std::shuffle is not.
template <typename T>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_index(rng, i));
    std::swap(items[i - 1], items[j]);
  }
}

// 0, 1, ..., n-1 in a random order: an epoch's training order.
std::vector<std::size_t> permutation(std::size_t n, Rng& rng);

}  // namespace micrograd::datasets
