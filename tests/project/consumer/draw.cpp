// Draws a tiny graph with an installed micrograd::viz; exits non-zero if anything is off.
#include <iostream>
#include <string>

#include <micrograd/viz/graphviz.hpp>

int main() {
  using micrograd::Value;
  Value a = Value(2.0).label("a");
  Value b = Value(-3.0).label("b");
  Value c = (a * b).label("c");
  c.backward();
  const std::string svg = micrograd::viz::render_svg(c);
  const bool ok = svg.find("grad &#45;3.0000") != std::string::npos ||
                  svg.find("grad -3.0000") != std::string::npos;
  std::cout << (ok ? "micrograd::viz works: a.grad = -3 is drawn\n" : "a.grad is not drawn\n");
  return ok ? 0 : 1;
}
