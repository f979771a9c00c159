// Gradient checking by central differences; see gradcheck.hpp for the math.
#include "engine/gradcheck.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ios>
#include <ostream>
#include <stdexcept>

#include "engine/modes.hpp"

namespace micrograd {
namespace {
double evaluate(const ScalarFunction& f, const std::vector<double>& point) {
  NoGradGuard no_graph;  // the numeric side needs values only
  std::vector<Value> inputs(point.begin(), point.end());
  return f(inputs).data();
}
}  // namespace

bool GradcheckResult::ok() const {
  return std::all_of(inputs.begin(), inputs.end(), [](const auto& input) { return input.ok; });
}

double GradcheckResult::max_error() const {
  double worst = 0.0;
  for (const auto& input : inputs) {
    // std::max(worst, nan) is `worst`: a NaN error would vanish from the summary.
    if (std::isnan(input.error)) return input.error;
    worst = std::max(worst, input.error);
  }
  return worst;
}

GradcheckResult gradcheck(const ScalarFunction& f, const std::vector<double>& point,
                          const GradcheckOptions& options) {
  if (point.empty()) {
    throw std::invalid_argument(
        "gradcheck: no inputs given; pass the point to check at, e.g. {2.0}");
  }
  if (!(options.eps > 0.0)) {
    throw std::invalid_argument("gradcheck: eps must be positive (try 1e-6), got " +
                                std::to_string(options.eps));
  }
  GradcheckResult result;
  std::vector<Value> inputs(point.begin(), point.end());
  const Value output = f(inputs);
  result.output = output.data();
  output.backward();

  std::vector<double> shifted = point;
  for (std::size_t i = 0; i < point.size(); ++i) {
    shifted[i] = point[i] + options.eps;
    const double above = evaluate(f, shifted);
    shifted[i] = point[i] - options.eps;
    const double below = evaluate(f, shifted);
    shifted[i] = point[i];

    GradcheckInput entry;
    entry.value = point[i];
    entry.analytic = inputs[i].grad();
    entry.numeric = (above - below) / (2.0 * options.eps);
    entry.error = std::abs(entry.analytic - entry.numeric);
    entry.ok = entry.error <=
               options.absolute_tolerance + options.relative_tolerance * std::abs(entry.numeric);
    result.inputs.push_back(entry);
  }
  return result;
}

namespace {

// A number of the table: "nan" for any NaN (printf would write "-nan" for a negative one).
struct Shown {
  double value;
};

std::ostream& operator<<(std::ostream& out, Shown number) {
  if (std::isnan(number.value)) return out << "nan";
  return out << number.value;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const GradcheckResult& result) {
  // The table sets widths, precision and alignment: the caller's stream gets its own back.
  std::ios saved(nullptr);
  saved.copyfmt(out);
  out << "gradcheck: f = " << Shown{result.output} << '\n'
      << "  input        value     analytic      numeric        error\n";
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const auto& input = result.inputs[i];
    out << std::defaultfloat << std::setprecision(6) << "  x" << std::left << std::setw(4) << i
        << std::right << std::setw(12) << Shown{input.value} << std::setw(13)
        << Shown{input.analytic} << std::setw(13) << Shown{input.numeric} << std::setw(13)
        << std::scientific << std::setprecision(2) << Shown{input.error}
        << (input.ok ? "  ok" : "  FAIL") << '\n';
  }
  out.copyfmt(saved);
  return out;
}

}  // namespace micrograd
