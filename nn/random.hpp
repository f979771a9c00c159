// The library's one source of randomness: weight initialisation and shuffling all draw from it.
//
// manual_seed(s) makes a run repeatable, and the numbers are the same on every platform and
// standard library: the bits come from std::mt19937_64, whose output the C++ standard fixes, and
// we map them to numbers ourselves. (std::uniform_real_distribution and std::shuffle are not fixed
// by the standard: libstdc++, libc++ and MSVC turn the same bits into different numbers.)
//
// It is one generator for the whole program, like torch.manual_seed: not for concurrent use from
// several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace micrograd::nn {

// Restarts the generator from `seed`. Until the first call it runs from mt19937_64's default seed.
void manual_seed(std::uint64_t seed);

// The generator itself, for code that wants raw 64-bit draws.
std::mt19937_64& random_generator();

// Uniform in [low, high): low + (high - low) * u, where u is the top 53 bits of one draw times
// 2^-53, so u takes every multiple of 2^-53 in [0, 1) with equal probability.
double uniform(double low, double high);

// Uniform integer in [0, count), unbiased (rejection sampling on 64-bit draws). count > 0.
std::size_t random_index(std::size_t count);

// Fisher-Yates shuffle from the last element down, with random_index.
template <typename T>
void shuffle(std::vector<T>& items) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[random_index(i)]);
}

// 0, 1, ..., count-1 in a random order: the order of one epoch over a training set.
std::vector<std::size_t> random_permutation(std::size_t count);

}  // namespace micrograd::nn
