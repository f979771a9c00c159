// Exceptions in tests: the message of the one an action throws, to check what it says.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <utility>

namespace micrograd::testing {

// The what() of the `Error` that `action` throws. A test failure, and "", when it throws nothing
// (an exception of another type propagates and fails the test with its own message).
template <typename Error = std::exception, typename Action>
std::string message_of(Action&& action) {
  try {
    std::forward<Action>(action)();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "the expected exception was not thrown";
  return "";
}

}  // namespace micrograd::testing
