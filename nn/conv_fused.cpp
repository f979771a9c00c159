// Conv2D's fused form (Module::use_fused_ops, chapter 9): each output element as one dot() node.
//
// It visits the (weight, input) pairs in exactly the order exercise 8.1's loop does, skipping the
// padding exactly as it does, and dot() adds bias + w0*x0 + w1*x1 + ... in that order: the same
// numbers as the op-for-op graph, to the last bit, with one node per output element instead of two
// per multiply-add. It lives here, not in solutions/nn/conv.cpp, because it spells out the loop
// that exercise 8.1 asks a student to write, and the exercise file must not show the answer.
#include <utility>
#include <vector>

#include "engine/many_inputs.hpp"
#include "nn/conv.hpp"

namespace micrograd::nn {

Tensor Conv2D::forward_fused(const Tensor& input, const Shape& out_shape) const {
  const Shape& shape = input.shape();  // [channels, height, width], checked by output_shape()
  const std::size_t channels = shape[0], height = shape[1], width = shape[2], k = kernel_size();
  const std::vector<Value>& in = input.values();
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  std::vector<Value> weights, inputs;  // one window's pairs, reused from output to output
  weights.reserve(channels * k * k);
  inputs.reserve(channels * k * k);
  for (std::size_t o = 0; o < out_shape[0]; ++o) {
    for (std::size_t i = 0; i < out_shape[1]; ++i) {
      for (std::size_t j = 0; j < out_shape[2]; ++j) {
        weights.clear();
        inputs.clear();
        for (std::size_t c = 0; c < channels; ++c) {
          for (std::size_t u = 0; u < k; ++u) {
            const std::size_t row = i * stride_ + u;  // in padded coordinates
            if (row < padding_ || row - padding_ >= height) continue;
            for (std::size_t v = 0; v < k; ++v) {
              const std::size_t column = j * stride_ + v;
              if (column < padding_ || column - padding_ >= width) continue;
              weights.push_back(weight_.values()[((o * channels + c) * k + u) * k + v]);
              inputs.push_back(in[(c * height + row - padding_) * width + column - padding_]);
            }
          }
        }
        // A window made only of padding has no pair: op for op its output is the bias itself.
        outputs.push_back(weights.empty() ? bias_[o] : dot(weights, inputs, bias_[o]));
      }
    }
  }
  return Tensor(out_shape, std::move(outputs));
}

}  // namespace micrograd::nn
