// Builds against an installed micrograd, spelled as the README says (<micrograd/...>), and checks
// one gradient: d(a*b + a)/da = b + 1; that micrograd::base (the random numbers under nn's names)
// came with it; and that the version header matches the package.
#include <cstdio>
#include <cstring>
#include <micrograd/base/random.hpp>
#include <micrograd/micrograd.hpp>
#include <micrograd/version.hpp>

double gradient_with_the_old_spelling();  // old_spelling.cpp

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
  std::printf("micrograd %s (MICROGRAD_VERSION %d), package version %s\n", MICROGRAD_VERSION_STRING,
              MICROGRAD_VERSION, EXPECTED_VERSION);
  const bool versions_agree = std::strcmp(MICROGRAD_VERSION_STRING, EXPECTED_VERSION) == 0;
  return (out.data() == -4.0 && a.grad() == -2.0 && b.grad() == 2.0 && same_generator &&
          versions_agree && gradient_with_the_old_spelling() == -2.0)
             ? 0
             : 1;
}
