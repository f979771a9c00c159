// The exceptions micrograd throws, one type per kind of failure.
//
// Bad numbers (NaN/inf caught by anomaly mode) are std::domain_error, bad shapes or arguments
// are std::invalid_argument, and a call the program should not have made (using a moved-from
// Value) is std::logic_error, as the standard library does. The one type of our own is
// NotImplemented: what an exercise stub throws until the student writes that exercise.
#pragma once

#include <stdexcept>
#include <string>

namespace micrograd {

// Thrown by every stub in exercises/: "exercise 2.2 "mul backward" is not implemented yet".
// The checker tells it apart from a wrong answer by its type and by the words "not implemented
// yet".
class NotImplemented : public std::logic_error {
 public:
  NotImplemented(std::string exercise_id, std::string title, const char* file = nullptr,
                 int line = 0);

  const std::string& exercise_id() const noexcept { return exercise_id_; }
  const std::string& title() const noexcept { return title_; }

 private:
  std::string exercise_id_;
  std::string title_;
};

}  // namespace micrograd
