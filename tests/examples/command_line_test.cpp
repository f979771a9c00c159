// The demos' shared value checks (examples/common/command_line.hpp), as CLI11 runs them: on the
// text, before it is converted.
#include "examples/common/command_line.hpp"

#include <gtest/gtest.h>

#include <string>

namespace micrograd::examples {
namespace {

std::string problem_of(const CLI::Validator& validator, std::string text) {
  return validator(text);
}

TEST(WholeNumber, RefusesANegativeNumberThatCli11WouldWrapAround) {
  // CLI11 2.1 reads "-1" into a std::uint64_t as 18446744073709551615.
  EXPECT_EQ(problem_of(whole_number(0), "-1"), "must be a whole number >= 0, got '-1'");
  EXPECT_EQ(problem_of(whole_number(0), "0"), "");
  EXPECT_EQ(problem_of(whole_number(0), "18446744073709551615"), "");
  EXPECT_NE(problem_of(whole_number(0), "18446744073709551616"), "") << "out of range";
}

TEST(WholeNumber, TheWholeTextInTheRange) {
  EXPECT_EQ(problem_of(whole_number(1, 1000), "1000"), "");
  EXPECT_EQ(problem_of(whole_number(1, 1000), "0"),
            "must be a whole number from 1 to 1000, got '0'");
  for (const char* text : {"1001", "", "5x", "1.5", " 5", "zero"}) {
    EXPECT_NE(problem_of(whole_number(1, 1000), text), "") << "'" << text << "'";
  }
}

TEST(FiniteNumber, OnlyAPositiveFiniteNumberIsALearningRate) {
  EXPECT_EQ(problem_of(finite_number(true), "0.01"), "");
  EXPECT_EQ(problem_of(finite_number(true), "1e300"), "") << "large, but a number: divergence "
                                                             "is found later";
  for (const char* text : {"0", "-0.1", "-1e-300"}) {
    EXPECT_EQ(problem_of(finite_number(true), text),
              "must be a positive number, got '" + std::string(text) + "'");
  }
  for (const char* text : {"inf", "nan", "-nan", "1e999", "0.01x", ""}) {
    EXPECT_EQ(problem_of(finite_number(true), text),
              "must be a number, got '" + std::string(text) + "'");
  }
  EXPECT_EQ(problem_of(finite_number(), "-0.5"), "") << "without `positive`, any finite number";
}

TEST(VersionText, NamesTheProgramAndTheLibrarysVersion) {
  EXPECT_EQ(version_text("moons"), "moons (micrograd.cpp " MICROGRAD_VERSION_STRING ")");
}

}  // namespace
}  // namespace micrograd::examples
