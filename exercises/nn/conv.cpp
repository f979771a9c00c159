// Generated from solutions/nn/conv.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
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
  // BEGIN EXERCISE 8.1 -- TODO: replace the line below with your code
  throw NotImplemented("8.1", "conv2d forward", __FILE__, __LINE__);
  // END EXERCISE 8.1
}

Tensor MaxPool2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape);  // checks the input; [C, H', W']
  // EXERCISE 8.2 "max pool": each output is the input Value with the largest data() in its window
  //   of kernel_size_ x kernel_size_ starting at (i * stride_, j * stride_), channel by channel.
  // BEGIN EXERCISE 8.2 -- TODO: replace the line below with your code
  throw NotImplemented("8.2", "max pool", __FILE__, __LINE__);
  // END EXERCISE 8.2
}

Tensor AvgPool2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape);  // checks the input; [C, H', W']
  // EXERCISE 8.3 "avg pool": each output is the mean of its kernel_size_ x kernel_size_ window
  //   starting at (i * stride_, j * stride_), channel by channel.
  // BEGIN EXERCISE 8.3 -- TODO: replace the line below with your code
  throw NotImplemented("8.3", "avg pool", __FILE__, __LINE__);
  // END EXERCISE 8.3
}

}  // namespace micrograd::nn
