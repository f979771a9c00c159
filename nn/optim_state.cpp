// The optimizers' state for checkpoints (see optim.hpp). Here, not in solutions/nn/optim.cpp: it
// is infrastructure around the exercise, not part of it.
#include <cmath>
#include <stdexcept>
#include <string>

#include "nn/optim.hpp"

namespace micrograd::nn {

namespace {

[[noreturn]] void does_not_fit(const std::string& type, const std::string& what) {
  throw std::invalid_argument(type + ": the saved optimizer state does not fit: " + what);
}

// The list named `name` of `state`, checked: present, `size` finite numbers, >= 0 if asked.
const std::vector<double>& values_of(const OptimizerState& state, const std::string& type,
                                     const std::string& name, std::size_t size,
                                     bool non_negative = false) {
  const std::vector<double>* found = nullptr;
  for (const auto& [key, values] : state.values) {
    if (key == name) found = &values;
  }
  if (found == nullptr) does_not_fit(type, "it has no \"" + name + "\"");
  if (found->size() != size) {
    does_not_fit(type, "\"" + name + "\" holds " + std::to_string(found->size()) +
                           " numbers, but the optimizer has " + std::to_string(size) +
                           (size == 1 ? " (a count)" : " parameters"));
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    const double number = (*found)[i];
    if (!std::isfinite(number) || (non_negative && number < 0)) {
      does_not_fit(type, "\"" + name + "\" element " + std::to_string(i) + " is " +
                             std::to_string(number) + ", expected a finite number" +
                             (non_negative ? " >= 0" : ""));
    }
  }
  return *found;
}

void check_common(const OptimizerState& state, const std::string& type,
                  std::size_t expected_lists) {
  if (state.type != type) {
    does_not_fit(type, "it was saved from a" + std::string(state.type == "Adam" ? "n " : " ") +
                           state.type + " optimizer; resume with the optimizer the run used");
  }
  if (!std::isfinite(state.learning_rate) || state.learning_rate < 0) {
    does_not_fit(type, "the learning rate " + std::to_string(state.learning_rate) +
                           " is not a finite number >= 0");
  }
  if (state.values.size() != expected_lists) {
    does_not_fit(type, "it holds " + std::to_string(state.values.size()) + " lists of numbers, " +
                           type + " keeps " + std::to_string(expected_lists));
  }
}

}  // namespace

OptimizerState Optimizer::state() const {
  throw std::logic_error(
      "this optimizer does not say what state it keeps between steps, so a checkpoint cannot "
      "save it: override Optimizer::state() and load_state() (SGD and Adam do)");
}

void Optimizer::load_state(const OptimizerState&) {
  throw std::logic_error(
      "this optimizer cannot load a saved state: override Optimizer::state() and load_state()");
}

OptimizerState SGD::state() const {
  return {"SGD", learning_rate_, {{"velocity", velocity_}}};
}

void SGD::load_state(const OptimizerState& state) {
  check_common(state, "SGD", 1);
  const std::vector<double>& velocity = values_of(state, "SGD", "velocity", parameters_.size());
  set_learning_rate(state.learning_rate);
  velocity_ = velocity;
}

OptimizerState Adam::state() const {
  return {
      "Adam", learning_rate_, {{"m", m_}, {"v", v_}, {"step", {static_cast<double>(step_count_)}}}};
}

void Adam::load_state(const OptimizerState& state) {
  check_common(state, "Adam", 3);
  const std::vector<double>& m = values_of(state, "Adam", "m", parameters_.size());
  const std::vector<double>& v = values_of(state, "Adam", "v", parameters_.size(), true);
  const double step = values_of(state, "Adam", "step", 1, true).front();
  if (step != std::floor(step) || step > 9007199254740992.0) {  // 2^53: every count is exact
    does_not_fit("Adam", "\"step\" is " + std::to_string(step) + ", expected a whole number");
  }
  set_learning_rate(state.learning_rate);
  m_ = m;
  v_ = v;
  step_count_ = static_cast<std::size_t>(step);
}

}  // namespace micrograd::nn
