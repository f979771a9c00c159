// Axis ticks at round numbers.
#include <algorithm>
#include <cmath>
#include <vector>

#include "plots/detail/figure.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots {

std::vector<double> nice_ticks(double low, double high, int target) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0.0, 1.0};
  if (low > high) std::swap(low, high);
  if (high - low < 1e-12 * std::max(1.0, std::abs(low))) {  // one value: widen around it
    const double half = std::abs(low) > 0.0 ? std::abs(low) * 0.1 : 1.0;
    low -= half;
    high += half;
  }
  // A step of 1, 2 or 5 times a power of ten, the smallest that needs at most `target` intervals.
  const double rough = (high - low) / std::max(target, 1);
  if (!std::isfinite(rough) || rough <= 0.0) return {low, high};  // a range beyond doubles
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = 10.0 * power;
  for (double multiple : {1.0, 2.0, 5.0}) {
    if (multiple * power >= rough * (1.0 - 1e-9)) {
      step = multiple * power;
      break;
    }
  }
  const double first = std::floor(low / step + 1e-9) * step;
  const double last = std::ceil(high / step - 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0; i <= 2 * std::max(target, 1) + 2; ++i) {  // bounded, whatever rounding does
    const double tick = first + i * step;
    if (tick > last + step * 1e-6) break;
    ticks.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return ticks;
}

namespace detail {

std::vector<double> integer_ticks(double low, double high, int target) {
  std::vector<double> ticks = nice_ticks(low, high, target);
  if (ticks.size() >= 2 && ticks[1] - ticks[0] < 1.0) {
    ticks.clear();
    for (double tick = std::floor(low); tick <= std::ceil(high); tick += 1.0) ticks.push_back(tick);
  }
  return ticks;
}

}  // namespace detail

}  // namespace micrograd::plots
