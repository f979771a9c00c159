// Convolution and pooling, one output Value at a time.
//
// A convolution is a neuron that slides: every output element is bias + a weighted sum of one
// k x k window of every input channel, with the same weights at every position. Pooling shrinks an
// image by summarising each window. All of it is made of Value ops (or, for max pooling, of no op
// at all), so backward() already knows how to differentiate it. The shape checks are done for you
// in nn/conv_support.cpp; tensors are row-major: element (c, h, w) of a [C, H, W] tensor is
// values[(c * H + h) * W + w].
#include "nn/conv.hpp"

namespace micrograd::nn {

Tensor Conv2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape);  // checks the input; [out, H', W']
  // EXERCISE 8.1 "conv2d forward": out[o][i][j] = bias_[o] + the sum over c, u, v of
  //   weight[o][c][u][v] * input[c][i*stride_ + u - padding_][j*stride_ + v - padding_].
  // BEGIN SOLUTION
  const std::size_t channels = input.shape[0], height = input.shape[1], width = input.shape[2];
  const std::size_t k = kernel_size();
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  for (std::size_t o = 0; o < out_shape[0]; ++o) {
    for (std::size_t i = 0; i < out_shape[1]; ++i) {
      for (std::size_t j = 0; j < out_shape[2]; ++j) {
        Value sum = bias_[o];
        for (std::size_t c = 0; c < channels; ++c) {
          for (std::size_t u = 0; u < k; ++u) {
            const std::size_t row = i * stride_ + u;  // in padded coordinates
            if (row < padding_ || row - padding_ >= height) continue;
            for (std::size_t v = 0; v < k; ++v) {
              const std::size_t column = j * stride_ + v;
              if (column < padding_ || column - padding_ >= width) continue;
              const Value& w = weight_.values[((o * channels + c) * k + u) * k + v];
              sum += w * input.values[(c * height + row - padding_) * width + column - padding_];
            }
          }
        }
        outputs.push_back(std::move(sum));
      }
    }
  }
  return Tensor(out_shape, std::move(outputs));
  // END SOLUTION
}

Tensor MaxPool2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape);  // checks the input; [C, H', W']
  // EXERCISE 8.2 "max pool": each output is the input Value with the largest data() in its window
  //   of kernel_size_ x kernel_size_ starting at (i * stride_, j * stride_), channel by channel.
  // BEGIN SOLUTION
  const std::size_t height = input.shape[1], width = input.shape[2];
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  for (std::size_t c = 0; c < out_shape[0]; ++c) {
    for (std::size_t i = 0; i < out_shape[1]; ++i) {
      for (std::size_t j = 0; j < out_shape[2]; ++j) {
        const Value* best = nullptr;
        for (std::size_t u = 0; u < kernel_size_; ++u) {
          for (std::size_t v = 0; v < kernel_size_; ++v) {
            const Value& x = input.values[(c * height + i * stride_ + u) * width + j * stride_ + v];
            if (best == nullptr || x.data() > best->data()) best = &x;
          }
        }
        outputs.push_back(*best);
      }
    }
  }
  return Tensor(out_shape, std::move(outputs));
  // END SOLUTION
}

Tensor AvgPool2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape);  // checks the input; [C, H', W']
  // EXERCISE 8.3 "avg pool": each output is the mean of its kernel_size_ x kernel_size_ window
  //   starting at (i * stride_, j * stride_), channel by channel.
  // BEGIN SOLUTION
  const std::size_t height = input.shape[1], width = input.shape[2];
  const double window = static_cast<double>(kernel_size_ * kernel_size_);
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  for (std::size_t c = 0; c < out_shape[0]; ++c) {
    for (std::size_t i = 0; i < out_shape[1]; ++i) {
      for (std::size_t j = 0; j < out_shape[2]; ++j) {
        const std::size_t first = (c * height + i * stride_) * width + j * stride_;
        Value sum = input.values[first];
        for (std::size_t u = 0; u < kernel_size_; ++u) {
          for (std::size_t v = 0; v < kernel_size_; ++v) {
            if (u > 0 || v > 0) sum += input.values[first + u * width + v];
          }
        }
        outputs.push_back(sum / window);
      }
    }
  }
  return Tensor(out_shape, std::move(outputs));
  // END SOLUTION
}

}  // namespace micrograd::nn
