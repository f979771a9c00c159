// Optimizers: how a training step turns gradients into new parameter values.
//
//   for each step:
//     optimizer.zero_grad();           // leaves accumulate gradients: clear last step's
//     Value loss = ...; loss.backward();
//     optimizer.step();                // p.data() moves against p.grad()
//
//   SGD   v = momentum * v + (g + weight_decay * p);  p -= lr * v    (v = g when momentum = 0)
//   Adam  g' = g + weight_decay * p;  m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g'^2;
//         p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),  t = 1, 2, ...
//
// Both follow torch.optim.SGD (dampening 0, no Nesterov) and torch.optim.Adam (weight decay added
// to the gradient, as L2) to the last digit that matters. The learning rate can change between
// steps (set_learning_rate, e.g. from a schedule in nn/schedule.hpp).
//
// zero_grad and both step() functions are exercises (chapter 7): solutions/nn/optim.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "engine/value.hpp"

namespace micrograd::nn {

// Sets the grad of every Value in `parameters` to 0 (exercise 7.1). Module::zero_grad and
// Optimizer::zero_grad call it.
void zero_grad(const std::vector<Value>& parameters);

// What an optimizer carries from one step to the next besides the parameters, for checkpoints
// (nn/checkpoint.hpp): a resumed run must be the run never stopped, so SGD's velocity and Adam's
// moments and step count are saved with the model, as PyTorch's optimizer.state_dict() is.
struct OptimizerState {
  std::string type;            // "SGD", "Adam"
  double learning_rate = 0.0;  // the current one: a schedule may have changed it
  // Named lists of numbers: one per parameter ("velocity"; "m" and "v"), or one ("step").
  std::vector<std::pair<std::string, std::vector<double>>> values;
};

class Optimizer {
 public:
  // Throws std::invalid_argument if `parameters` is empty or the learning rate is negative or not
  // finite.
  Optimizer(std::vector<Value> parameters, double learning_rate);
  Optimizer(const Optimizer&) = default;
  Optimizer& operator=(const Optimizer&) = default;
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  virtual ~Optimizer() = default;

  // One update of every parameter from its current grad.
  virtual void step() = 0;
  void zero_grad() const { nn::zero_grad(parameters_); }

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double learning_rate);
  const std::vector<Value>& parameters() const { return parameters_; }

  // The state a checkpoint saves. An optimizer of your own that keeps numbers between steps
  // overrides both functions; by default state() throws std::logic_error, so that a checkpoint
  // never silently drops state it does not know about.
  virtual OptimizerState state() const;
  // Takes over a state that state() gave, after checking that it fits: the same type, one number
  // per parameter in each list, finite numbers. Throws std::invalid_argument, saying what does
  // not fit and changing nothing, otherwise.
  virtual void load_state(const OptimizerState& state);

 protected:
  std::vector<Value> parameters_;
  double learning_rate_;
};

struct SGDOptions {
  double lr = 0.01;
  double momentum = 0.0;      // in [0, 1)
  double weight_decay = 0.0;  // >= 0: adds weight_decay * p to each gradient (L2)
};

class SGD : public Optimizer {
 public:
  // nn::SGD optimizer(model.parameters(), {.lr = 0.1, .momentum = 0.9});
  SGD(std::vector<Value> parameters, SGDOptions options);
  void step() override;  // exercise 7.2
  const SGDOptions& options() const { return options_; }
  OptimizerState state() const override;  // "SGD": "velocity"
  void load_state(const OptimizerState& state) override;

 private:
  SGDOptions options_;
  std::vector<double> velocity_;  // one per parameter, 0 at the start
};

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;    // in [0, 1): decay of the mean of gradients
  double beta2 = 0.999;  // in [0, 1): decay of the mean of squared gradients
  double eps = 1e-8;     // > 0: keeps the step finite where v is 0
  double weight_decay = 0.0;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<Value> parameters, AdamOptions options = {});
  void step() override;  // exercise 7.3
  const AdamOptions& options() const { return options_; }
  std::size_t step_count() const { return step_count_; }
  OptimizerState state() const override;  // "Adam": "m", "v" and "step" (one number)
  void load_state(const OptimizerState& state) override;

 private:
  AdamOptions options_;
  std::vector<double> m_;  // first moment (mean of gradients), one per parameter
  std::vector<double> v_;  // second moment (mean of squared gradients)
  std::size_t step_count_ = 0;
};

}  // namespace micrograd::nn
