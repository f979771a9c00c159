// Dropout: in training, each input is zeroed with probability p and the others are scaled by
// 1 / (1 - p), so every output keeps the input's expected value ("inverted dropout", as PyTorch's
// nn.Dropout); in eval mode it is the identity. A net can then not lean on any one unit, which
// fights overfitting; at test time every unit is used and no rescaling is needed.
//
//   nn::Dropout drop(0.5);
//   std::vector<Value> h = drop(layer(x));  // training: about half of h is 0, the rest doubled
//   drop.eval();                            // (or net.eval() on the model that holds it)
//   h = drop(layer(x));                     // eval: h is layer(x)
//
// The mask is drawn from the calling thread's generator (nn/random.hpp), one uniform01 draw per
// input, in order: after manual_seed(s) a run drops the same inputs every time. (Workers of a
// data-parallel trainer call seed_this_thread(k) first, so they drop different inputs.) A dropped
// output is the constant 0, with no edge back to its input, whose gradient through it is 0.
//
// The forward pass is an exercise (chapter 10): solutions/nn/dropout.cpp.
#pragma once

#include <string>
#include <vector>

#include "engine/value.hpp"
#include "nn/module.hpp"
#include "nn/tensor.hpp"

namespace micrograd::nn {

class Dropout : public TensorModule {
 public:
  // Throws std::invalid_argument unless 0 <= p < 1 (p is the probability of dropping an input;
  // p = 1 would drop everything and divide by 0).
  explicit Dropout(double p = 0.5);

  // Training: each x[i] becomes 0 with probability p, else x[i] / (1 - p) (exercise 10.1).
  // Eval, or p == 0: x itself, and nothing is drawn from the generator.
  std::vector<Value> operator()(const std::vector<Value>& x) const;
  // The same on every element of a tensor of any shape; the shape is unchanged.
  Tensor forward(const Tensor& input) const override;
  using TensorModule::operator();

  std::string describe() const override;  // "Dropout(p=0.5)"
  double p() const { return p_; }

 private:
  double p_;
};

}  // namespace micrograd::nn
