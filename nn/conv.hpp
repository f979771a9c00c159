// Convolution and pooling on images: Tensors of shape [channels, height, width], one sample at a
// time (no batch dimension: a batch is a loop).
//
//   Conv2D(in, out, k, stride, padding)
//       out[o][i][j] = b[o] + sum over c, u, v of w[o][c][u][v] * x[c][i*s + u - p][j*s + v - p]
//       with s the stride and p the padding; positions outside the image (the zero padding) add
//       nothing. Output size (H + 2p - k) / s + 1, rounded down, as torch.nn.functional.conv2d.
//   MaxPool2D(k, stride = k)             the largest element of each k x k window
//   AvgPool2D(k, stride = k)             the mean of each k x k window
//   Flatten()                            any shape -> [size], e.g. before a Layer
//
// Conv2D's weight is laid out as PyTorch's: [out_channels][in_channels][k][k], bias [out_channels],
// and a checkpoint stores them under those shapes. Default init: Init::kaiming_uniform with
// fan_in = in_channels * k * k, biases 0.
//
// The forward passes of Conv2D, MaxPool2D and AvgPool2D are exercises (chapter 8):
// solutions/nn/conv.cpp. Like a Neuron's, they are made of Value ops: backward() needs nothing new.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/value.hpp"
#include "nn/init.hpp"
#include "nn/module.hpp"
#include "nn/tensor.hpp"

namespace micrograd::nn {

// The largest channel count, kernel size, stride and padding the layers accept: 65,536. Sizes are
// std::size_t, so a negative int passed for one arrives as about 1.8e19 (2^64 - 1 for -1), and
// unchecked it wrapped the window arithmetic around: every output was the bias. Real layers are
// far below the limit (a 65,536-wide kernel alone would be 4 billion weights per channel pair).
inline constexpr std::size_t kMaxConvSize = std::size_t{1} << 16;

// The output size along one dimension: (input + 2 * padding - kernel) / stride + 1, rounded down.
// Throws std::invalid_argument (naming `module`) if the kernel is larger than the padded input,
// the stride is 0, or input + 2 * padding does not fit in std::size_t.
std::size_t conv_output_size(const std::string& module, std::size_t input, std::size_t kernel,
                             std::size_t stride, std::size_t padding);

class Conv2D : public TensorModule {
 public:
  // Weights drawn as `init` says (fan_in = in_channels * k * k, fan_out = out_channels * k * k) in
  // [out][in][kh][kw] order, biases 0. Throws std::invalid_argument, naming the argument, its value
  // and the range, unless the channels, kernel_size and stride are in 1..kMaxConvSize and the
  // padding in 0..kMaxConvSize, or if the weight's size overflows std::size_t.
  Conv2D(std::size_t in_channels, std::size_t out_channels, std::size_t kernel_size,
         std::size_t stride = 1, std::size_t padding = 0, Init init = Init::kaiming_uniform);
  // A convolution with these very Values: weight of shape [out, in, k, k], bias of out Values.
  // stride and padding are checked as above.
  Conv2D(Tensor weight, std::vector<Value> bias, std::size_t stride = 1, std::size_t padding = 0);

  // [in_channels, H, W] -> [out_channels, H', W'] (exercise 8.1). Throws std::invalid_argument for
  // another rank or channel count, or a kernel larger than the padded input.
  Tensor forward(const Tensor& input) const override;

  std::vector<Value> parameters() const override;              // weight (in order), then bias
  std::vector<NamedTensor> named_parameters() const override;  // "weight", "bias"
  std::string describe() const override;  // "Conv2D(1, 8, kernel_size=3, stride=1, padding=0)"

  std::size_t in_channels() const { return weight_.shape()[1]; }
  std::size_t out_channels() const { return weight_.shape()[0]; }
  std::size_t kernel_size() const { return weight_.shape()[2]; }
  std::size_t stride() const { return stride_; }
  std::size_t padding() const { return padding_; }
  const Tensor& weight() const { return weight_; }
  const std::vector<Value>& bias() const { return bias_; }
  // The output shape for an input of this shape, checking it as forward() does.
  Shape output_shape(const Shape& input) const;

 private:
  // forward() with use_fused_ops(): each output one dot() node, the same numbers (conv_fused.cpp).
  // The pairs each output adds are read, once per input shape, from forward()'s own op-for-op
  // graph; copies of a Conv2D share what was read (behind a mutex: threads may share a model).
  struct FusedPlan;
  struct FusedPlans;
  Tensor forward_fused(const Tensor& input, const Shape& out_shape) const;
  std::optional<FusedPlan> plan_for(const Shape& input) const;
  static std::shared_ptr<FusedPlans> no_fused_plans_yet();

  Tensor weight_;  // [out][in][k][k]
  std::vector<Value> bias_;
  std::size_t stride_;
  std::size_t padding_;
  std::shared_ptr<FusedPlans> fused_plans_ = no_fused_plans_yet();
};

// What MaxPool2D and AvgPool2D share: a k x k window moved by `stride` over every channel.
class Pool2D : public TensorModule {
 public:
  std::size_t kernel_size() const { return kernel_size_; }
  std::size_t stride() const { return stride_; }
  // [C, H, W] -> [C, (H - k) / stride + 1, (W - k) / stride + 1], checking the input's rank and
  // that the window fits.
  Shape output_shape(const Shape& input) const;
  std::string describe() const override;  // "MaxPool2D(kernel_size=2, stride=2)"

 protected:
  // stride defaults to kernel_size (windows side by side), as in PyTorch. Both must be in
  // 1..kMaxConvSize (std::invalid_argument naming the argument otherwise).
  Pool2D(std::string name, std::size_t kernel_size, std::optional<std::size_t> stride);

  std::string name_;
  std::size_t kernel_size_;
  std::size_t stride_;
};

class MaxPool2D : public Pool2D {
 public:
  explicit MaxPool2D(std::size_t kernel_size, std::optional<std::size_t> stride = std::nullopt)
      : Pool2D("MaxPool2D", kernel_size, stride) {}
  // Each output is the input Value with the largest data in its window (the first one on ties), so
  // its gradient flows to that element only (exercise 8.2). A NaN wins over every number, so a
  // window that holds one outputs NaN (NaN propagates, as in PyTorch) and its gradient goes to the
  // NaN.
  Tensor forward(const Tensor& input) const override;
};

class AvgPool2D : public Pool2D {
 public:
  explicit AvgPool2D(std::size_t kernel_size, std::optional<std::size_t> stride = std::nullopt)
      : Pool2D("AvgPool2D", kernel_size, stride) {}
  // Each output is the sum of its window divided by k * k (exercise 8.3).
  Tensor forward(const Tensor& input) const override;
};

class Flatten : public TensorModule {
 public:
  // Any shape to [size]: the same Values in the same (row-major) order. No nodes are made.
  Tensor forward(const Tensor& input) const override;
  std::string describe() const override { return "Flatten()"; }
};

}  // namespace micrograd::nn
