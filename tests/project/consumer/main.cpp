// Builds against an installed micrograd and checks one gradient: d(a*b + a)/da = b + 1; and that
// micrograd::base (the random numbers under nn's names) came with it.
#include <cstdio>

#include "base/random.hpp"
#include "engine/value.hpp"
#include "nn/random.hpp"

int main() {
  using micrograd::Value;
  Value a = Value(2.0).label("a");
  Value b = Value(-3.0).label("b");
  Value out = a * b + a;
  out.backward();
  std::printf("out = %g, da = %g, db = %g\n", out.data(), a.grad(), b.grad());
  micrograd::nn::manual_seed(7);
  const double drawn = micrograd::nn::uniform(-1.0, 1.0);
  micrograd::base::manual_seed(7);
  const bool same_generator = micrograd::base::uniform(-1.0, 1.0) == drawn;
  std::printf("uniform(-1, 1) after manual_seed(7) = %.17g\n", drawn);
  return (out.data() == -4.0 && a.grad() == -2.0 && b.grad() == 2.0 && same_generator) ? 0 : 1;
}
