// The include spelling of earlier releases keeps compiling for this one.
#include "engine/value.hpp"
#include "micrograd.hpp"

double gradient_with_the_old_spelling() {
  micrograd::Value a(2.0);
  micrograd::Value b(-3.0);
  micrograd::Value out = a * b + a;
  out.backward();
  return a.grad();
}
