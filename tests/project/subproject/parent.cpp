// The umbrella header of a build without Graphviz includes only what was built, so this compiles
// and links (it once included viz/graphviz.hpp, and linking failed on micrograd::viz::to_dot).
#include <cstdio>
#include <micrograd/micrograd.hpp>

#if __has_include(<micrograd/viz/graphviz.hpp>)
#error "a build without Graphviz has no <micrograd/viz/...> headers"
#endif

int main() {
  micrograd::Value x(3.0);
  micrograd::Value y = x * x;
  y.backward();
  std::printf("micrograd %s: d(x*x)/dx at 3 = %g\n", MICROGRAD_VERSION_STRING, x.grad());
  return x.grad() == 6.0 ? 0 : 1;
}
