// Tests of base/random.hpp: the portable mappings on a generator of one's own, the calling thread's
// generator and manual_seed, shuffling, and threads drawing at once. The pinned numbers are what
// make a seed mean the same weights and the same datasets everywhere: they must never change.
#include "base/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <latch>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace micrograd::base {
namespace {

// --- on a generator passed explicitly ----------------------------------------------------------

TEST(RandomOnAGenerator, Uniform01IsTheTop53BitsOfOneDraw) {
  std::mt19937_64 generator(7);
  std::mt19937_64 copy(7);
  for (int i = 0; i < 1000; ++i) {
    const double value = uniform01(generator);
    EXPECT_EQ(value, static_cast<double>(copy() >> 11) / 9007199254740992.0);
    EXPECT_GE(value, 0.0);
    EXPECT_LT(value, 1.0);
  }
}

TEST(RandomOnAGenerator, PinnedValuesForASeed) {
  std::mt19937_64 generator(7);
  EXPECT_EQ(uniform01(generator), 0.75438530415285798);
  // Marsaglia's polar method calls std::log and std::sqrt: allow the last bits of a libm.
  EXPECT_DOUBLE_EQ(standard_normal(generator), 0.4359415981044002);
  EXPECT_DOUBLE_EQ(standard_normal(generator), 0.81782264953428341);

  std::mt19937_64 for_permutation(1);
  EXPECT_EQ(random_permutation(for_permutation, 10),
            (std::vector<std::size_t>{1, 7, 3, 9, 4, 0, 5, 2, 6, 8}));
}

TEST(RandomOnAGenerator, UniformCoversItsRange) {
  std::mt19937_64 generator(3);
  double low = 10.0;
  double high = -10.0;
  for (int i = 0; i < 10000; ++i) {
    const double value = uniform(generator, -2.0, 3.0);
    low = std::min(low, value);
    high = std::max(high, value);
  }
  EXPECT_GE(low, -2.0);
  EXPECT_LT(low, -1.99);
  EXPECT_LT(high, 3.0);
  EXPECT_GT(high, 2.99);
}

TEST(RandomOnAGenerator, StandardNormalHasMeanZeroAndVarianceOne) {
  std::mt19937_64 generator(11);
  constexpr int count = 200000;
  double sum = 0.0;
  double sum_of_squares = 0.0;
  int beyond_two_sigma = 0;
  for (int i = 0; i < count; ++i) {
    const double value = standard_normal(generator);
    sum += value;
    sum_of_squares += value * value;
    beyond_two_sigma += std::abs(value) > 2.0 ? 1 : 0;
  }
  const double mean = sum / count;
  const double variance = sum_of_squares / count - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(variance, 1.0, 0.015);
  EXPECT_NEAR(static_cast<double>(beyond_two_sigma) / count, 0.0455, 0.003);  // P(|Z| > 2)
}

TEST(RandomOnAGenerator, RandomIndexIsInRangeAndUnbiased) {
  std::mt19937_64 generator(5);
  std::vector<int> counts(7, 0);
  constexpr int draws = 70000;
  for (int i = 0; i < draws; ++i) ++counts[random_index(generator, 7)];
  for (int count : counts) EXPECT_NEAR(count, draws / 7, 400);  // ~4.6 standard deviations
  for (int i = 0; i < 100; ++i) EXPECT_EQ(random_index(generator, 1), 0u);
  EXPECT_THROW(random_index(generator, 0), std::invalid_argument);
}

TEST(RandomOnAGenerator, ShuffleIsAPermutationAndRepeatsForASeed) {
  std::vector<int> items(50);
  std::iota(items.begin(), items.end(), 0);
  std::vector<int> first = items;
  std::vector<int> second = items;
  std::mt19937_64 generator_a(99);
  std::mt19937_64 generator_b(99);
  shuffle(generator_a, first);
  shuffle(generator_b, second);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, items);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(first, items);
}

TEST(RandomOnAGenerator, EveryOrderOfThreeIsEquallyLikely) {
  std::mt19937_64 generator(8);
  std::vector<int> counts(6, 0);
  constexpr int draws = 60000;
  for (int i = 0; i < draws; ++i) {
    const std::vector<std::size_t> order = random_permutation(generator, 3);
    ++counts[order[0] * 2 + (order[1] < order[2] ? 0 : 1)];
  }
  for (int count : counts) EXPECT_NEAR(count, draws / 6, 450);
}

// --- on the calling thread's generator ------------------------------------------------------------

TEST(Random, SameSeedSameNumbers) {
  manual_seed(123);
  const double a = uniform(-1.0, 1.0);
  const std::size_t i = random_index(1000);
  const double z = standard_normal();
  manual_seed(123);
  EXPECT_EQ(uniform(-1.0, 1.0), a);
  EXPECT_EQ(random_index(1000), i);
  EXPECT_EQ(standard_normal(), z);
}

TEST(Random, PinnedValuesAreTheSameOnEveryPlatform) {
  // mt19937_64's output is fixed by the C++ standard (its 10000th draw from the default seed is
  // 9981545732273789042), and the mappings are ours, so these numbers are the same everywhere.
  manual_seed(5489);
  for (int i = 0; i < 9999; ++i) random_generator()();
  EXPECT_EQ(random_generator()(), 9981545732273789042ULL);
  manual_seed(0);
  const std::uint64_t bits = std::mt19937_64(0)();
  EXPECT_EQ(uniform(0.0, 1.0), static_cast<double>(bits >> 11) * 0x1.0p-53);
}

TEST(Random, TheGlobalFunctionsAreTheExplicitOnesOnTheGlobalGenerator) {
  std::mt19937_64 generator(31);
  manual_seed(31);
  EXPECT_EQ(uniform(-3.0, 2.0), uniform(generator, -3.0, 2.0));
  EXPECT_EQ(standard_normal(), standard_normal(generator));
  EXPECT_EQ(random_index(17), random_index(generator, 17));
  EXPECT_EQ(random_permutation(40), random_permutation(generator, 40));
  std::vector<int> items{1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<int> copy = items;
  shuffle(items);
  shuffle(generator, copy);
  EXPECT_EQ(items, copy);
}

TEST(Random, UniformStaysInRange) {
  manual_seed(7);
  double low = 1.0, high = -1.0, sum = 0.0;
  for (int i = 0; i < 100000; ++i) {
    const double x = uniform(-1.0, 1.0);
    ASSERT_GE(x, -1.0);
    ASSERT_LT(x, 1.0);
    low = std::min(low, x);
    high = std::max(high, x);
    sum += x;
  }
  EXPECT_LT(low, -0.999);
  EXPECT_GT(high, 0.999);
  EXPECT_NEAR(sum / 100000, 0.0, 0.01);
}

TEST(Random, RandomIndexIsUnbiasedEnough) {
  manual_seed(8);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 30000; ++i) ++counts[random_index(3)];
  for (int count : counts) EXPECT_NEAR(count, 10000, 400);
  EXPECT_THROW(random_index(0), std::invalid_argument);
  EXPECT_EQ(random_index(1), 0u);
}

TEST(Random, PermutationHasEveryIndexOnce) {
  manual_seed(9);
  std::vector<std::size_t> order = random_permutation(50);
  std::vector<std::size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> expected(50);
  std::iota(expected.begin(), expected.end(), std::size_t{0});
  EXPECT_EQ(sorted, expected);
  EXPECT_NE(order, expected) << "50 elements left in order by chance: 1 in 50!";
  EXPECT_TRUE(random_permutation(0).empty());
}

// --- threads ----------------------------------------------------------------------------------
// Each thread draws from a generator of its own, so what a thread draws depends on the seed and on
// its own draws only, never on what other threads drew meanwhile (and there is no data race).

constexpr int kDraws = 20000;  // long enough for two threads' draws to overlap in time
constexpr int kRepeats = 20;

// kDraws numbers from the global functions of the calling thread.
std::vector<double> draws_here() {
  std::vector<double> numbers;
  numbers.reserve(kDraws);
  for (int i = 0; i < kDraws; ++i) numbers.push_back(uniform(-1.0, 1.0));
  return numbers;
}

std::vector<double> draws_of(std::mt19937_64 generator) {
  std::vector<double> numbers;
  numbers.reserve(kDraws);
  for (int i = 0; i < kDraws; ++i) numbers.push_back(uniform(generator, -1.0, 1.0));
  return numbers;
}

// "" when `actual` is `expected`, else where they first differ: vectors of 20000 numbers printed
// in full would say nothing.
std::string first_difference(const std::vector<double>& actual,
                             const std::vector<double>& expected) {
  const auto [a, e] = std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
  if (a == actual.end() && e == expected.end()) return "";
  return "draw " + std::to_string(a - actual.begin()) + " of " + std::to_string(expected.size()) +
         " differs from the seed's numbers";
}

// Two new threads, released at the same moment: each runs its `seed` action (nothing, or a call
// to manual_seed or seed_this_thread), then draws kDraws numbers. Returns both threads' numbers.
template <typename SeedFirst, typename SeedSecond>
std::pair<std::vector<double>, std::vector<double>> draw_together(SeedFirst seed_first,
                                                                  SeedSecond seed_second) {
  std::pair<std::vector<double>, std::vector<double>> numbers;
  std::latch start(2);
  std::thread a([&] {
    start.arrive_and_wait();
    seed_first();
    numbers.first = draws_here();
  });
  std::thread b([&] {
    start.arrive_and_wait();
    seed_second();
    numbers.second = draws_here();
  });
  a.join();
  b.join();
  return numbers;
}

const auto kNoSeeding = [] {};

TEST(RandomThreads, NewThreadsStartFromTheSeedWhateverTheTiming) {
  manual_seed(2024);
  const std::vector<double> expected = draws_of(std::mt19937_64(2024));
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    const auto [first, second] = draw_together(kNoSeeding, kNoSeeding);
    ASSERT_EQ(first_difference(first, expected), "")
        << "repeat " << repeat << ": a thread's numbers depend on the other thread's draws";
    ASSERT_EQ(first_difference(second, expected), "") << "repeat " << repeat;
  }
}

TEST(RandomThreads, SeedingOneThreadLeavesTheOthersAlone) {
  const std::vector<double> expected_1 = draws_of(std::mt19937_64(1));
  const std::vector<double> expected_2 = draws_of(std::mt19937_64(2));
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    const auto [first, second] = draw_together([] { manual_seed(1); }, [] { manual_seed(2); });
    ASSERT_EQ(first_difference(first, expected_1), "") << "repeat " << repeat;
    ASSERT_EQ(first_difference(second, expected_2), "") << "repeat " << repeat;
  }
}

TEST(RandomThreads, TheMainThreadKeepsItsNumbersWhileOthersDraw) {
  manual_seed(5);
  std::mt19937_64 reference(5);
  const double before = uniform(0.0, 1.0);
  EXPECT_EQ(before, uniform01(reference));
  std::thread([] { (void)draws_here(); }).join();
  EXPECT_EQ(uniform(0.0, 1.0), uniform01(reference)) << "another thread's draws moved this one's";
}

TEST(RandomThreads, StreamsGiveWorkersNumbersOfTheirOwnReproducibly) {
  manual_seed(77);
  const std::vector<double> stream_0 = draws_of(std::mt19937_64(77));
  const auto [stream_1, stream_2] =
      draw_together([] { seed_this_thread(1); }, [] { seed_this_thread(2); });
  const auto [stream_1_again, stream_0_again] =
      draw_together([] { seed_this_thread(1); }, [] { seed_this_thread(0); });
  EXPECT_EQ(first_difference(stream_1_again, stream_1), "")
      << "a stream is the same numbers on any thread, any time";
  EXPECT_EQ(first_difference(stream_0_again, stream_0), "")
      << "stream 0 is what manual_seed(77) gives";
  EXPECT_NE(stream_1, stream_2) << "two workers' streams must differ";
  EXPECT_NE(stream_1, stream_0);
  EXPECT_NE(stream_1.front(), stream_2.front());
  manual_seed(78);
  seed_this_thread(1);
  EXPECT_NE(draws_here(), stream_1) << "streams follow the seed of the last manual_seed";
}

// seed_this_thread restarts the generator at the next draw (seeding mt19937_64 through seed_seq
// costs microseconds, and a trainer chooses a stream before every sample): the order of the calls
// must still be what counts.
TEST(RandomThreads, TheLastChoiceBeforeADrawIsTheOneThatCounts) {
  manual_seed(5);
  seed_this_thread(3);
  const std::vector<double> stream_3 = draws_here();
  manual_seed(5);
  seed_this_thread(1);
  seed_this_thread(3);
  EXPECT_EQ(first_difference(draws_here(), stream_3), "") << "the later stream wins";
  seed_this_thread(3);
  manual_seed(5);
  EXPECT_EQ(first_difference(draws_here(), draws_of(std::mt19937_64(5))), "")
      << "a manual_seed after seed_this_thread wins";
  manual_seed(6);
  seed_this_thread(3);
  const std::vector<double> stream_3_of_6 = draws_here();
  EXPECT_NE(stream_3_of_6, stream_3) << "a stream follows the seed in force when it is chosen";
}

}  // namespace
}  // namespace micrograd::base
