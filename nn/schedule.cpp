// Learning-rate schedules; see schedule.hpp for the formulas.
#include "nn/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace micrograd::nn {

LinearDecay::LinearDecay(double start, double end, std::size_t total_steps)
    : start_(start), end_(end), total_steps_(total_steps) {
  if (total_steps == 0) throw std::invalid_argument("LinearDecay: total_steps must be at least 1");
}

double LinearDecay::operator()(std::size_t step) const {
  if (step >= total_steps_) return end_;
  // Written as micrograd writes it (1.0 - 0.9*k/100) so that the numbers agree to the last bit.
  return start_ - (start_ - end_) * static_cast<double>(step) / static_cast<double>(total_steps_);
}

StepDecay::StepDecay(double initial, std::size_t every, double gamma)
    : initial_(initial), every_(every), gamma_(gamma) {
  if (every == 0) throw std::invalid_argument("StepDecay: every must be at least 1 step");
}

double StepDecay::operator()(std::size_t step) const {
  return initial_ * std::pow(gamma_, static_cast<double>(step / every_));
}

CosineDecay::CosineDecay(double initial, std::size_t total_steps, double end)
    : initial_(initial), total_steps_(total_steps), end_(end) {
  if (total_steps == 0) throw std::invalid_argument("CosineDecay: total_steps must be at least 1");
}

double CosineDecay::operator()(std::size_t step) const {
  if (step >= total_steps_) return end_;
  const double progress = static_cast<double>(step) / static_cast<double>(total_steps_);
  return end_ + (initial_ - end_) * (1.0 + std::cos(std::numbers::pi * progress)) / 2.0;
}

}  // namespace micrograd::nn
