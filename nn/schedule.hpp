// Learning-rate schedules: the learning rate as a function of the step number k = 0, 1, 2, ...
//
//   LinearDecay(start, end, total)    start + (end - start) * k / total, then end. micrograd's
//                                     demo: LinearDecay(1.0, 0.1, 100) is lr = 1.0 - 0.9 * k / 100.
//   StepDecay(initial, every, gamma)  initial * gamma^(k / every), k / every rounded down: torch's
//                                     StepLR.
//   CosineDecay(initial, total, end)  end + (initial - end) * (1 + cos(pi * k / total)) / 2, then
//                                     end: torch's CosineAnnealingLR up to k = total (torch's then
//                                     rises again; this one stays at the end value).
//
// Each is a small callable: optimizer.set_learning_rate(schedule(k)) before step k.
#pragma once

#include <cstddef>

namespace micrograd::nn {

class LinearDecay {
 public:
  // total_steps >= 1.
  LinearDecay(double start, double end, std::size_t total_steps);
  double operator()(std::size_t step) const;

 private:
  double start_, end_;
  std::size_t total_steps_;
};

class StepDecay {
 public:
  // every >= 1 steps, the rate is multiplied by gamma.
  StepDecay(double initial, std::size_t every, double gamma);
  double operator()(std::size_t step) const;

 private:
  double initial_;
  std::size_t every_;
  double gamma_;
};

class CosineDecay {
 public:
  // total_steps >= 1.
  CosineDecay(double initial, std::size_t total_steps, double end = 0.0);
  double operator()(std::size_t step) const;

 private:
  double initial_;
  std::size_t total_steps_;
  double end_;
};

}  // namespace micrograd::nn
