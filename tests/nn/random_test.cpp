// Tests of nn/random.hpp: the nn spellings are base/random.hpp's functions themselves, on the one
// global generator (the functions are tested in tests/base/random_test.cpp).
#include "nn/random.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace micrograd::nn {
namespace {

TEST(NnRandom, NamesTheBaseFunctions) {
  EXPECT_EQ(&nn::manual_seed, &base::manual_seed);
  EXPECT_EQ(&nn::random_generator, &base::random_generator);
  const auto nn_uniform = static_cast<double (*)(double, double)>(&nn::uniform);
  const auto base_uniform = static_cast<double (*)(double, double)>(&base::uniform);
  EXPECT_EQ(nn_uniform, base_uniform);
}

TEST(NnRandom, SeedingEitherRestartsTheSameGenerator) {
  nn::manual_seed(2024);
  const double first = base::uniform(-1.0, 1.0);
  std::vector<int> items{1, 2, 3, 4, 5, 6};
  nn::shuffle(items);
  base::manual_seed(2024);
  EXPECT_EQ(nn::uniform(-1.0, 1.0), first);
  std::vector<int> again{1, 2, 3, 4, 5, 6};
  base::shuffle(again);
  EXPECT_EQ(again, items);
  EXPECT_EQ(nn::random_permutation(std::size_t{5}).size(), 5u);
}

}  // namespace
}  // namespace micrograd::nn
