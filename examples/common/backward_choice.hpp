// The demos' --backward: how backward() runs. "tape" (the default) records each training step on
// a tape and backpropagates it in one reverse sweep (engine/tape.hpp); "sort" builds the reference
// engine's graph, sorted before every backward() (chapter 4). The numbers are the same, but for
// the order in which a few gradients are added (the last bits of some parameters).
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

#include <micrograd/engine/errors.hpp>
#include <micrograd/engine/tape.hpp>
#include <micrograd/engine/value.hpp>

namespace micrograd::examples {

// "" when the engine can backpropagate on a tape; else the stub's message, e.g. 'exercise 11.2
// "sweep" is not implemented yet' on a student's engine before chapter 11.
inline std::string tape_missing() {
  try {
    const Value x = 2.0;
    const TapeGuard tape;
    (x * x).backward();
    return "";
  } catch (const NotImplemented& stub) {
    return stub.what();
  }
}

// Adds --backward to a demo's command line; `given` tells later whether it was there.
inline void add_backward_option(CLI::App& app, std::string& backward) {
  app.add_option("--backward", backward,
                 "tape (each step recorded in creation order and swept backwards once: the same "
                 "numbers, faster) or sort (the reference engine of chapter 4)")
      ->check(CLI::IsMember({"tape", "sort"}));
}

// Whether to train on a tape, and the line that says so. On the tape unless `backward` is "sort",
// or unless the engine's sweep is a stub: then with the sort, and the line says why; an explicit
// --backward tape (`given`) on such an engine is the stub's error.
inline bool choose_tape(const std::string& backward, bool given, std::string& line) {
  if (backward == "sort") {
    line = "sort (the reference engine: a topological sort before every backward)";
    return false;
  }
  if (const std::string missing = tape_missing(); !missing.empty()) {
    if (given) throw std::runtime_error("--backward tape needs chapter 11: " + missing);
    line = "sort (the tape needs chapter 11's sweep: " + missing + ")";
    return false;
  }
  line =
      "tape (each step's nodes in creation order, one reverse sweep; --backward sort for the "
      "reference engine)";
  return true;
}

}  // namespace micrograd::examples
