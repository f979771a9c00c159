// Tests of engine/errors.hpp: NotImplemented names the exercise and says what to do.
#include "engine/errors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace micrograd {
namespace {

TEST(NotImplemented, NamesTheExerciseAndWhere) {
  const NotImplemented error("2.2", "multiply backward", "exercises/engine/ops.cpp", 57);
  const std::string message = error.what();
  EXPECT_NE(message.find("exercise 2.2 \"multiply backward\" is not implemented yet"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("exercises/engine/ops.cpp:57"), std::string::npos) << message;
  EXPECT_NE(message.find("./check"), std::string::npos) << message;
  EXPECT_EQ(error.exercise_id(), "2.2");
  EXPECT_EQ(error.title(), "multiply backward");
}

TEST(NotImplemented, IsALogicError) {
  try {
    throw NotImplemented("1.1", "add");
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("in exercises/"), std::string::npos);
    return;
  }
  FAIL() << "NotImplemented must derive from std::logic_error";
}

}  // namespace
}  // namespace micrograd
