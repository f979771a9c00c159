// Tests of nn/schedule.hpp: micrograd's linear decay to the last bit, and torch's StepLR and
// CosineAnnealingLR (tests/reference/nn_optim.txt, made by nn_optim_reference.py).
#include "nn/schedule.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "reference_file.hpp"

namespace micrograd::nn {
namespace {

using test_data::close_to;
using test_data::read_reference_cases;

TEST(LinearDecay, IsMicrogradsDemoScheduleExactly) {
  const LinearDecay schedule(1.0, 0.1, 100);
  for (int k = 0; k < 100; ++k) {
    EXPECT_EQ(schedule(static_cast<std::size_t>(k)), 1.0 - 0.9 * k / 100) << "step " << k;
  }
  EXPECT_EQ(schedule(100), 0.1) << "after the last step it stays at the end value";
  EXPECT_EQ(schedule(1000), 0.1);
}

TEST(StepAndCosineDecay, MatchTorchSchedulers) {
  int compared = 0;
  for (const auto& c : read_reference_cases("nn_optim.txt")) {
    const std::size_t steps = c.tensors.contains("lr") ? c.tensor("lr").data.size() : 0;
    std::vector<double> actual;
    if (c.kind == "step_lr") {
      const StepDecay schedule(c.number("initial"), c.size("every"), c.number("gamma"));
      for (std::size_t k = 0; k < steps; ++k) actual.push_back(schedule(k));
    } else if (c.kind == "cosine_lr") {
      const CosineDecay schedule(c.number("initial"), c.size("total"), c.number("end"));
      for (std::size_t k = 0; k < steps; ++k) actual.push_back(schedule(k));
    } else {
      continue;
    }
    EXPECT_PRED_FORMAT2(close_to(1e-14, "lr", c), actual, c.tensor("lr"));
    ++compared;
  }
  EXPECT_EQ(compared, 4);
}

TEST(CosineDecay, StaysAtTheEndValue) {
  const CosineDecay schedule(1.0, 10, 0.25);
  EXPECT_EQ(schedule(0), 1.0);
  EXPECT_DOUBLE_EQ(schedule(5), 0.625) << "half way: the mean of the two";
  EXPECT_EQ(schedule(10), 0.25);
  EXPECT_EQ(schedule(50), 0.25);
}

TEST(Schedules, BadArguments) {
  EXPECT_THROW(LinearDecay(1.0, 0.1, 0), std::invalid_argument);
  EXPECT_THROW(StepDecay(1.0, 0, 0.5), std::invalid_argument);
  EXPECT_THROW(CosineDecay(1.0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace micrograd::nn
