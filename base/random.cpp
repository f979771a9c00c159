// The portable bits-to-number mappings of base/random.hpp, and the generator of each thread.
#include "base/random.hpp"

#include <atomic>
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

namespace {
// The seed a thread's generator starts from when the thread first draws: mt19937_64's default
// seed until manual_seed. Atomic, because manual_seed on one thread and a first draw on another
// may run at the same time.
std::atomic<std::uint64_t> program_seed{std::mt19937_64::default_seed};

// A stream chosen by seed_this_thread and not yet applied: the generator is restarted on it at
// the thread's next draw. Seeding mt19937_64 through std::seed_seq fills its 312 words of state
// (microseconds), and a data-parallel trainer chooses a stream before every sample, most of
// which draw nothing: so the work is done only where a number is drawn.
struct PendingStream {
  bool pending = false;
  std::uint64_t seed = 0;
  std::uint64_t stream = 0;
};
thread_local PendingStream pending_stream;

void restart(std::mt19937_64& generator, std::uint64_t seed, std::uint64_t stream) {
  if (stream == 0) {
    generator.seed(seed);  // what manual_seed(seed) gives
    return;
  }
  // std::seed_seq mixes the seed and the stream number into mt19937_64's whole state, by an
  // algorithm the standard fixes: the same numbers everywhere, and unrelated sequences for
  // neighbouring streams (which seed + stream would not promise).
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         static_cast<std::uint32_t>(stream),
                         static_cast<std::uint32_t>(stream >> 32)};
  generator.seed(sequence);
}
}  // namespace

std::mt19937_64& random_generator() {
  // Made on the thread's first draw, from the program's seed at that moment.
  thread_local std::mt19937_64 generator(program_seed.load(std::memory_order_relaxed));
  if (pending_stream.pending) {
    pending_stream.pending = false;
    restart(generator, pending_stream.seed, pending_stream.stream);
  }
  return generator;
}

void manual_seed(std::uint64_t seed) {
  program_seed.store(seed, std::memory_order_relaxed);
  pending_stream.pending = false;
  random_generator().seed(seed);
}

void seed_this_thread(std::uint64_t stream) {
  // The seed is the one in force now; the restart itself waits for the next draw.
  pending_stream = {true, program_seed.load(std::memory_order_relaxed), stream};
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
