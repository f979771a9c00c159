// Convolution and pooling, one output Value at a time.
//
// A convolution is a neuron that slides: every output element is bias + a weighted sum of one
// k x k window of every input channel, with the same weights at every position. Pooling shrinks an
// image by summarising each window. All of it is made of Value ops (or, for max pooling, of no op
// at all), so backward() already knows how to differentiate it. The constructors and shape checks
// are done for you; tensors are row-major: element (c, h, w) of a tensor of shape() [C, H, W] is
// values()[(c * H + h) * W + w].
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "nn/conv.hpp"

namespace micrograd::nn {
namespace {
// Throws std::invalid_argument unless `shape` is an image's: [channels, height, width].
void check_image(const std::string& module, const Shape& shape, const std::string& expected) {
  if (shape.size() != 3) {
    throw std::invalid_argument(
        module + ": expected an image of shape " + expected + ", got shape " + shape_string(shape) +
        " (a single sample: [channels, height, width], no batch dimension)");
  }
}

// Throws std::invalid_argument, naming the argument, unless `lowest <= value <= kMaxConvSize`.
// Sizes are unsigned: a negative int passed for one arrives as a huge number (-1 as 2^64 - 1),
// which would wrap the window arithmetic around and quietly read nothing but padding.
void check_argument(const std::string& module, const char* name, std::size_t value,
                    std::size_t lowest) {
  if (value >= lowest && value <= kMaxConvSize) return;
  throw std::invalid_argument(
      module + ": " + name + " is " + std::to_string(value) + ", outside " +
      std::to_string(lowest) + ".." + std::to_string(kMaxConvSize) +
      (value > kMaxConvSize ? " (a negative number converted to std::size_t becomes a huge one)"
                            : std::string()));
}
}  // namespace

std::size_t conv_output_size(const std::string& module, std::size_t input, std::size_t kernel,
                             std::size_t stride, std::size_t padding) {
  if (stride == 0) throw std::invalid_argument(module + ": the stride must be at least 1, got 0");
  if (padding > (std::numeric_limits<std::size_t>::max() - input) / 2) {
    throw std::invalid_argument(module + ": the input size " + std::to_string(input) +
                                " plus padding " + std::to_string(padding) +
                                " on each side does not fit in std::size_t");
  }
  const std::size_t padded = input + 2 * padding;
  if (kernel > padded) {
    throw std::invalid_argument(module + ": the kernel (" + std::to_string(kernel) +
                                ") is larger than the input (" + std::to_string(input) +
                                (padding > 0 ? " plus padding " + std::to_string(padding) +
                                                   " on each side = " + std::to_string(padded)
                                             : std::string()) +
                                "); use a smaller kernel, more padding, or a larger input");
  }
  return (padded - kernel) / stride + 1;
}

// ---- Conv2D -------------------------------------------------------------------------------------

Conv2D::Conv2D(std::size_t in_channels, std::size_t out_channels, std::size_t kernel_size,
               std::size_t stride, std::size_t padding, Init init)
    : stride_(stride), padding_(padding) {
  check_argument("Conv2D", "in_channels", in_channels, 1);
  check_argument("Conv2D", "out_channels", out_channels, 1);
  check_argument("Conv2D", "kernel_size", kernel_size, 1);
  check_argument("Conv2D", "stride", stride, 1);
  check_argument("Conv2D", "padding", padding, 0);
  // element_count checks each product for overflow: in range one by one, the four sizes can
  // still multiply past 2^64.
  const Shape shape{out_channels, in_channels, kernel_size, kernel_size};
  const std::size_t fan_in = element_count({in_channels, kernel_size, kernel_size});
  const std::size_t fan_out = element_count({out_channels, kernel_size, kernel_size});
  weight_ = Tensor(shape, init_weights(element_count(shape), init, fan_in, fan_out));
  bias_.reserve(out_channels);
  for (std::size_t o = 0; o < out_channels; ++o) bias_.emplace_back(0.0);
}

Conv2D::Conv2D(Tensor weight, std::vector<Value> bias, std::size_t stride, std::size_t padding)
    : weight_(std::move(weight)), bias_(std::move(bias)), stride_(stride), padding_(padding) {
  const Shape& shape = weight_.shape();
  if (shape.size() != 4 || shape[2] != shape[3] || weight_.size() == 0) {
    throw std::invalid_argument(
        "Conv2D: the weight must have shape [out, in, k, k] with every size "
        "at least 1, got " +
        shape_string(shape));
  }
  if (bias_.size() != shape[0]) {
    throw std::invalid_argument("Conv2D: expected " + std::to_string(shape[0]) +
                                " biases (one per output channel), got " +
                                std::to_string(bias_.size()));
  }
  check_argument("Conv2D", "stride", stride, 1);
  check_argument("Conv2D", "padding", padding, 0);
}

Shape Conv2D::output_shape(const Shape& input) const {
  const std::string name = describe();
  check_image(name, input, "[" + std::to_string(in_channels()) + ", height, width]");
  if (input[0] != in_channels()) {
    throw std::invalid_argument(name + ": expected " + std::to_string(in_channels()) +
                                " input channels (shape [" + std::to_string(in_channels()) +
                                ", height, width]), got " + std::to_string(input[0]) + " (shape " +
                                shape_string(input) + ")");
  }
  return {out_channels(), conv_output_size(name, input[1], kernel_size(), stride_, padding_),
          conv_output_size(name, input[2], kernel_size(), stride_, padding_)};
}

Tensor Conv2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape());  // checks the input; [out, H', W']
  // The fused form (use_fused_ops(), chapter 9): the same sums, in the same order, one node each.
  if (uses_fused_ops()) return forward_fused(input, out_shape);
  // EXERCISE 8.1 "conv2d forward": out[o][i][j] = bias_[o] + the sum over c, u, v of
  //   weight[o][c][u][v] * input[c][i*stride_ + u - padding_][j*stride_ + v - padding_].
  // BEGIN SOLUTION
  const Shape& shape = input.shape();  // [channels, height, width]
  const std::size_t channels = shape[0], height = shape[1], width = shape[2], k = kernel_size();
  const std::vector<Value>& in = input.values();
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
              const Value& w = weight_.values()[((o * channels + c) * k + u) * k + v];
              sum += w * in[(c * height + row - padding_) * width + column - padding_];
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

std::vector<Value> Conv2D::parameters() const {
  std::vector<Value> result;
  result.reserve(weight_.size() + bias_.size());
  result.insert(result.end(), weight_.values().begin(), weight_.values().end());
  result.insert(result.end(), bias_.begin(), bias_.end());
  return result;
}

std::vector<NamedTensor> Conv2D::named_parameters() const {
  return {{"weight", weight_.shape(), weight_.values()}, {"bias", {bias_.size()}, bias_}};
}

std::string Conv2D::describe() const {
  return "Conv2D(" + std::to_string(in_channels()) + ", " + std::to_string(out_channels()) +
         ", kernel_size=" + std::to_string(kernel_size()) + ", stride=" + std::to_string(stride_) +
         ", padding=" + std::to_string(padding_) + ")";
}

// ---- Pooling ------------------------------------------------------------------------------------

Pool2D::Pool2D(std::string name, std::size_t kernel_size, std::optional<std::size_t> stride)
    : name_(std::move(name)), kernel_size_(kernel_size), stride_(stride.value_or(kernel_size)) {
  check_argument(name_, "kernel_size", kernel_size_, 1);
  check_argument(name_, "stride", stride_, 1);
}

Shape Pool2D::output_shape(const Shape& input) const {
  const std::string name = describe();
  check_image(name, input, "[channels, height, width]");
  return {input[0], conv_output_size(name, input[1], kernel_size_, stride_, 0),
          conv_output_size(name, input[2], kernel_size_, stride_, 0)};
}

std::string Pool2D::describe() const {
  return name_ + "(kernel_size=" + std::to_string(kernel_size_) +
         ", stride=" + std::to_string(stride_) + ")";
}

Tensor MaxPool2D::forward(const Tensor& input) const {
  const Shape out_shape = output_shape(input.shape());  // checks the input; [C, H', W']
  // EXERCISE 8.2 "max pool": each output is the input Value with the largest data() in its window
  //   of kernel_size_ x kernel_size_ starting at (i * stride_, j * stride_), channel by channel.
  //   A NaN counts as larger than every number: NaN propagates, as in PyTorch.
  // BEGIN SOLUTION
  const std::size_t height = input.shape()[1], width = input.shape()[2];
  const std::vector<Value>& in = input.values();
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  for (std::size_t c = 0; c < out_shape[0]; ++c) {
    for (std::size_t i = 0; i < out_shape[1]; ++i) {
      for (std::size_t j = 0; j < out_shape[2]; ++j) {
        const Value* best = nullptr;
        for (std::size_t u = 0; u < kernel_size_; ++u) {
          for (std::size_t v = 0; v < kernel_size_; ++v) {
            const Value& x = in[(c * height + i * stride_ + u) * width + j * stride_ + v];
            // Every comparison with a NaN is false, so > alone would never pick one.
            if (best == nullptr || x.data() > best->data() || std::isnan(x.data())) best = &x;
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
  const Shape out_shape = output_shape(input.shape());  // checks the input; [C, H', W']
  // EXERCISE 8.3 "avg pool": each output is the mean of its kernel_size_ x kernel_size_ window
  //   starting at (i * stride_, j * stride_), channel by channel.
  // BEGIN SOLUTION
  const std::size_t height = input.shape()[1], width = input.shape()[2];
  const std::vector<Value>& in = input.values();
  const double window = static_cast<double>(kernel_size_ * kernel_size_);
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  for (std::size_t c = 0; c < out_shape[0]; ++c) {
    for (std::size_t i = 0; i < out_shape[1]; ++i) {
      for (std::size_t j = 0; j < out_shape[2]; ++j) {
        const std::size_t first = (c * height + i * stride_) * width + j * stride_;
        Value sum = in[first];
        for (std::size_t u = 0; u < kernel_size_; ++u) {
          for (std::size_t v = 0; v < kernel_size_; ++v) {
            if (u > 0 || v > 0) sum += in[first + u * width + v];
          }
        }
        outputs.push_back(sum / window);
      }
    }
  }
  return Tensor(out_shape, std::move(outputs));
  // END SOLUTION
}

// ---- Flatten ------------------------------------------------------------------------------------

Tensor Flatten::forward(const Tensor& input) const {
  return Tensor(input.values());
}

}  // namespace micrograd::nn
