// NotImplemented's message: which exercise, where to write it, and what to run next.
#include "engine/errors.hpp"

#include <string>
#include <utility>

namespace micrograd {

NotImplemented::NotImplemented(std::string exercise_id, std::string title, const char* file,
                               int line)
    : std::logic_error("exercise " + exercise_id + " \"" + title +
                       "\" is not implemented yet: write it " +
                       (file != nullptr ? "at " + std::string(file) + ":" + std::to_string(line)
                                        : std::string("in exercises/")) +
                       ", then run ./check"),
      exercise_id_(std::move(exercise_id)),
      title_(std::move(title)) {}

}  // namespace micrograd
