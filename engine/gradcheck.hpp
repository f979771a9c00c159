// Gradient checking: compare backward() with central finite differences.
//
// For f(x1..xn) and each input xi, the numeric derivative is
//   (f(.., xi + eps, ..) - f(.., xi - eps, ..)) / (2 eps),
// whose error shrinks like eps^2. If backward() is right, the two agree to about 1e-7 relative
// for eps = 1e-6 on smooth functions. A kink (relu at 0) inside [xi - eps, xi + eps] is the one
// place they legitimately disagree.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace micrograd {

struct GradcheckOptions {
  double eps = 1e-6;  // the finite-difference step
  double absolute_tolerance = 1e-6;
  double relative_tolerance = 1e-5;
};

struct GradcheckInput {
  double value = 0.0;     // where the derivative was taken
  double analytic = 0.0;  // from backward()
  double numeric = 0.0;   // from central differences
  double error = 0.0;     // |analytic - numeric|
  bool ok = false;        // error <= absolute_tolerance + relative_tolerance * |numeric|
};

struct GradcheckResult {
  double output = 0.0;  // f at the given point
  std::vector<GradcheckInput> inputs;
  bool ok() const;
  double max_error() const;
};

using ScalarFunction = std::function<Value(const std::vector<Value>&)>;

// Evaluates `f` at `point`, runs backward(), and compares every input's gradient with central
// differences. Throws std::invalid_argument if `point` is empty or eps is not positive.
GradcheckResult gradcheck(const ScalarFunction& f, const std::vector<double>& point,
                          const GradcheckOptions& options = {});

// A table a student can read: one line per input with analytic, numeric, error and ok/FAIL.
std::ostream& operator<<(std::ostream& out, const GradcheckResult& result);

}  // namespace micrograd
