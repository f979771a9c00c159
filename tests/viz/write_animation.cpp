// Writes the "watch backward" frames and page of the lecture's tanh neuron into the folder given
// as the only argument, for chromium_test.sh.
#include <exception>
#include <iostream>

#include "viz/graphviz.hpp"

int main(int argc, char** argv) {
  using micrograd::Value;
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <output folder>\n";
    return 2;
  }
  try {
    Value x1 = Value(2.0).label("x1");
    Value x2 = Value(0.0).label("x2");
    Value w1 = Value(-3.0).label("w1");
    Value w2 = Value(1.0).label("w2");
    Value b = Value(6.8813735870195432).label("b");
    Value n = (x1 * w1 + x2 * w2 + b).label("n");
    Value o = n.tanh().label("o");
    std::cout << micrograd::viz::watch_backward(o, argv[1]).page.string() << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
}
