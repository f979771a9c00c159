// The project's one source of randomness: weight initialisation, shuffling and the datasets' points
// all draw their numbers through these functions. Part of micrograd::base, which touches no Value:
// nn/random.hpp brings the same functions into micrograd::nn, where the training code calls them.
//
// A seed means the same numbers on every platform and standard library: the bits come from
// std::mt19937_64, whose output the C++ standard fixes, and we map them to numbers ourselves with
// the textbook methods below. (std::uniform_real_distribution, std::normal_distribution and
// std::shuffle are not fixed by the standard: libstdc++, libc++ and MSVC turn the same bits into
// different numbers.) standard_normal also calls std::log and std::sqrt, which agree to the last
// bit on every common libm for the arguments it uses; tests pin its results.
//
// Each mapping comes in two spellings:
//   - with an explicit generator, uniform(generator, low, high): for code that owns its own stream
//     of numbers, like the dataset generators (make_moons(100, 0.1, seed) makes a generator from
//     its seed, so a dataset never depends on what else drew numbers before it);
//   - on the calling thread's generator, uniform(low, high): what init and the training loops use,
//     restarted by manual_seed(s) like torch.manual_seed.
//
// Threads. Each thread draws from a generator of its own (thread_local), so what a thread draws
// depends on the seed and on that thread's own draws only, never on what other threads drew
// meanwhile. (With one generator for the program, two threads building models at once would take
// turns on it in whatever order the scheduler chose: the same seed would give different weights
// from run to run, and the shared state would be a data race.)
//   - manual_seed(s) restarts the calling thread's generator from s, and makes s the seed that
//     every thread which has not drawn yet starts from. Other threads' generators are left alone:
//     a thread that already drew keeps its sequence, whatever another thread seeds meanwhile.
//   - A new thread starts from that seed, on the same stream as manual_seed(s) gives: after
//     manual_seed(42), a model built on a new thread has the weights it has on the main thread,
//     whichever thread runs first. On a single thread this is exactly one generator restarted by
//     manual_seed, so a seed means the same numbers as ever.
//   - Threads that must draw different numbers from each other, such as the workers of a
//     data-parallel trainer drawing Dropout masks, call seed_this_thread(worker_index + 1) first:
//     stream k of the seed, the same numbers for the same k on any thread. The index must come
//     from the code that hands out the work, not from the order in which threads happen to start
//     or first draw (that order changes from run to run), which is why no stream is assigned
//     automatically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace micrograd::base {

// --- on a generator you pass ------------------------------------------------------------------

// Uniform in [0, 1): the top 53 bits of one draw times 2^-53, so it takes every multiple of 2^-53
// in [0, 1) with equal probability, and every double it returns is exact.
double uniform01(std::mt19937_64& generator);

// Uniform in [low, high): low + (high - low) * uniform01(generator).
double uniform(std::mt19937_64& generator, double low, double high);

// Standard normal N(0, 1) by Marsaglia's polar method: draw (u, v) uniform in the square
// [-1, 1)^2 until 0 < s = u^2 + v^2 < 1, then return u * sqrt(-2 ln(s) / s). (The method makes two
// normals per accepted pair; we keep only the first, so the function needs no hidden state.)
double standard_normal(std::mt19937_64& generator);

// Uniform integer in [0, count), unbiased. Throws std::invalid_argument if count is 0. A plain
// draw % count would favour small results when 2^64 is not a multiple of count; rejecting the
// draws below 2^64 mod count leaves a range that is a multiple of count (OpenBSD's
// arc4random_uniform). For the counts used here a rejection almost never happens.
std::size_t random_index(std::mt19937_64& generator, std::size_t count);

// Fisher-Yates shuffle, from the last element down, with random_index.
template <typename T>
void shuffle(std::mt19937_64& generator, std::vector<T>& items) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[random_index(generator, i)]);
  }
}

// 0, 1, ..., count-1 in a random order (a Fisher-Yates shuffle of them): an epoch's order.
std::vector<std::size_t> random_permutation(std::mt19937_64& generator, std::size_t count);

// --- on the calling thread's generator -----------------------------------------------------------

// Restarts the calling thread's generator from `seed`, and makes `seed` the one threads that have
// not drawn yet start from. Until the first call, every thread starts from mt19937_64's default
// seed.
void manual_seed(std::uint64_t seed);

// Restarts the calling thread's generator on stream `stream` of the last manual_seed's seed: a
// sequence of its own, the same for the same stream on any thread. Stream 0 is the sequence
// manual_seed gives; streams 1, 2, ... are for workers that must not draw the same numbers.
void seed_this_thread(std::uint64_t stream);

// The calling thread's generator, for code that wants raw 64-bit draws or to pass it on (only on
// this thread: it is not for sharing). A seed_this_thread takes effect at the next call of this
// function (every draw below makes one), so ask for the generator again after choosing a stream.
std::mt19937_64& random_generator();

// The functions above, drawing from the calling thread's generator.
double uniform(double low, double high);
double standard_normal();
std::size_t random_index(std::size_t count);
template <typename T>
void shuffle(std::vector<T>& items) {
  shuffle(random_generator(), items);
}
std::vector<std::size_t> random_permutation(std::size_t count);

}  // namespace micrograd::base
