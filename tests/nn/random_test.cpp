// Tests of nn/random.hpp: seeding, the portable mappings, shuffling.
#include "nn/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace micrograd::nn {
namespace {

TEST(Random, SameSeedSameNumbers) {
  manual_seed(123);
  const double a = uniform(-1.0, 1.0);
  const std::size_t i = random_index(1000);
  manual_seed(123);
  EXPECT_EQ(uniform(-1.0, 1.0), a);
  EXPECT_EQ(random_index(1000), i);
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

}  // namespace
}  // namespace micrograd::nn
