// Tests of nn/random.hpp: the nn spellings are base/random.hpp's functions themselves, on the same
// per-thread generator (the functions are tested in tests/base/random_test.cpp), and models built
// on several threads at once get the seed's weights.
#include "nn/random.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <latch>
#include <thread>
#include <vector>

#include "nn/mlp.hpp"

namespace micrograd::nn {
namespace {

TEST(NnRandom, NamesTheBaseFunctions) {
  EXPECT_EQ(&nn::manual_seed, &base::manual_seed);
  EXPECT_EQ(&nn::random_generator, &base::random_generator);
  EXPECT_EQ(&nn::seed_this_thread, &base::seed_this_thread);
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

// The weights and biases of a new MLP(2, [16, 16, 1]), the moons demo's model, built on the
// calling thread (read through the layers, not parameters(), which is an exercise).
std::vector<double> numbers_of_a_new_model() {
  const MLP model(2, {16, 16, 1});
  std::vector<double> numbers;
  for (const Layer& layer : model.layers()) {
    for (const Neuron& neuron : layer.neurons()) {
      for (const Value& weight : neuron.weights()) numbers.push_back(weight.data());
      numbers.push_back(neuron.bias().data());
    }
  }
  return numbers;
}

TEST(NnRandom, TwoThreadsBuildingModelsAtOnceGetTheSeedsWeights) {
  // With one generator for the program, the two models would take turns on it in whatever order the
  // scheduler chose: each would get some of the seed's numbers, differently on every run.
  manual_seed(1337);
  const std::vector<double> expected = numbers_of_a_new_model();
  for (int repeat = 0; repeat < 20; ++repeat) {
    std::vector<double> first, second;
    std::latch start(2);
    std::thread a([&] {
      start.arrive_and_wait();
      first = numbers_of_a_new_model();
    });
    std::thread b([&] {
      start.arrive_and_wait();
      second = numbers_of_a_new_model();
    });
    a.join();
    b.join();
    ASSERT_TRUE(first == expected) << "repeat " << repeat << ": the first thread's model differs "
                                   << "from the one manual_seed(1337) gives on one thread";
    ASSERT_TRUE(second == expected) << "repeat " << repeat << ": the second thread's model differs";
  }
}

}  // namespace
}  // namespace micrograd::nn
