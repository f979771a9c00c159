// micrograd's own test expressions (test_engine.py), built once for every test that uses them: the
// engine's tests, the chapter 3 grading (with the tests' own backward) and the drawing tests.
#pragma once

#include "engine/value.hpp"

namespace micrograd::micrograd_tests {

// test_sanity_check: y = -20 and dy/dx = 46 at x = -4 (numbers from PyTorch).
struct SanityCheck {
  Value x, y;
};
inline SanityCheck sanity_check() {
  Value x = -4.0;
  Value z = 2 * x + 2 + x;
  Value q = z.relu() + z * x;
  Value h = (z * z).relu();
  Value y = h + q + q * x;
  return {x, y};
}

// test_more_ops, also micrograd's README expression: g = 24.7041, dg/da = 138.8338 and
// dg/db = 645.5773 (numbers from PyTorch).
struct MoreOps {
  Value a, b, g;
};
inline MoreOps more_ops() {
  Value a = -4.0;
  Value b = 2.0;
  Value c = a + b;
  Value d = a * b + b.pow(3);
  c += c + 1;
  c += 1 + c + (-a);
  d += d * 2 + (b + a).relu();
  d += 3 * d + (b - a).relu();
  Value e = c - d;
  Value f = e.pow(2);
  Value g = f / 2.0;
  g += 10.0 / f;
  return {a, b, g};
}

}  // namespace micrograd::micrograd_tests
