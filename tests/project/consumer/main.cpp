// Builds against an installed micrograd and checks one gradient: d(a*b + a)/da = b + 1.
#include <cstdio>

#include "engine/value.hpp"

int main() {
  using micrograd::Value;
  Value a = Value(2.0).label("a");
  Value b = Value(-3.0).label("b");
  Value out = a * b + a;
  out.backward();
  std::printf("out = %g, da = %g, db = %g\n", out.data(), a.grad(), b.grad());
  return (out.data() == -4.0 && a.grad() == -2.0 && b.grad() == 2.0) ? 0 : 1;
}
