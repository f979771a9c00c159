// Dropout's forward pass: a coin per input, drawn from the project's seeded generator.
#include "nn/dropout.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "nn/random.hpp"

namespace micrograd::nn {

Dropout::Dropout(double p) : p_(p) {
  if (!(p >= 0.0 && p < 1.0)) {  // written so that a NaN fails too
    std::ostringstream message;
    message << "Dropout: p is " << p
            << ", expected 0 <= p < 1 (the probability of zeroing each input: 0.5 is common, 0 "
               "turns dropout off; 1 would zero everything)";
    throw std::invalid_argument(message.str());
  }
}

std::vector<Value> Dropout::operator()(const std::vector<Value>& x) const {
  // EXERCISE 10.1 "dropout": with p = p_, in eval mode (is_training() false) or when p = 0, the
  //   output is x itself, and nothing is drawn. In training, for each x_i in order, draw u_i
  //   uniform in [0, 1) (uniform01 of random_generator()), and
  //     y_i = 0 (a constant)      if u_i < p
  //     y_i = x_i·s               otherwise, with the number s = 1 / (1 − p).
  //   The scale keeps the expected value, E[y_i] = (1 − p)·x_i / (1 − p) = x_i, so eval needs no
  //   rescaling.
  // BEGIN SOLUTION
  if (!is_training() || p_ == 0.0) return x;
  const double scale = 1.0 / (1.0 - p_);
  std::vector<Value> output;
  output.reserve(x.size());
  for (const Value& input : x) {
    const bool dropped = uniform01(random_generator()) < p_;
    output.push_back(dropped ? Value(0.0) : input * scale);
  }
  return output;
  // END SOLUTION
}

Tensor Dropout::forward(const Tensor& input) const {
  return Tensor(input.shape(), (*this)(input.values()));
}

std::string Dropout::describe() const {
  std::ostringstream text;
  text << "Dropout(p=" << p_ << ")";
  return text.str();
}

}  // namespace micrograd::nn
