// Numbers as the demos print them (examples/common/number_text.hpp).
#include "examples/common/number_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace micrograd::examples {
namespace {

TEST(Fixed, WritesTheDigitsPrintfWrites) {
  EXPECT_EQ(fixed(0.895844123, 6), "0.895844");
  EXPECT_EQ(fixed(-2.5, 1), "-2.5");
  EXPECT_EQ(fixed(1e20, 0), "100000000000000000000");
}

// A NaN is "nan" whatever its sign bit: printf writes "-nan" for the one 0 * -inf gives.
TEST(Fixed, NaNIsNanWhateverItsSign) {
  const double inf = std::numeric_limits<double>::infinity();
  const double negative_nan = -std::numeric_limits<double>::quiet_NaN();
  ASSERT_TRUE(std::signbit(negative_nan));
  EXPECT_EQ(fixed(negative_nan, 4), "nan");
  EXPECT_EQ(fixed(std::numeric_limits<double>::quiet_NaN(), 4), "nan");
  EXPECT_EQ(fixed(inf, 4), "inf");
  EXPECT_EQ(fixed(-inf, 4), "-inf");
}

}  // namespace
}  // namespace micrograd::examples
