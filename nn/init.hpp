// Initial weights. Every scheme draws each weight from U(-b, b) with nn::uniform (so manual_seed
// makes it repeatable on every platform); biases start at 0.
//
//   uniform          b = 1: micrograd's random.uniform(-1, 1). Fine for the small nets of the
//                    lecture; in a wide layer the sums grow with sqrt(fan_in) and saturate tanh.
//   kaiming_uniform  b = sqrt(6 / fan_in): keeps the variance of activations constant through
//                    ReLU layers (He et al., 2015). Conv2D's default.
//   xavier_uniform   b = sqrt(6 / (fan_in + fan_out)): the same for tanh/sigmoid and linear layers
//                    (Glorot and Bengio, 2010).
//   lecun_uniform    b = sqrt(3 / fan_in): variance 1 / fan_in, so a weighted sum of inputs of
//                    variance 1 has variance 1 again, the range where tanh is near linear (LeCun
//                    et al., "Efficient BackProp", 1998). For tanh networks such as the MNIST conv
//                    net of examples/mnist.
//
// U(-b, b) has variance b^2 / 3: 2 / fan_in for Kaiming (ReLU zeroes half of its inputs, so it
// needs twice the variance), 1 / fan_in for LeCun.
//
// fan_in is the number of inputs of one output (nin; in_channels * k * k for a convolution) and
// fan_out the number of outputs one input feeds (nout; out_channels * k * k).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace micrograd::nn {

enum class Init { uniform, kaiming_uniform, xavier_uniform, lecun_uniform };

// "uniform", "kaiming_uniform", "xavier_uniform", "lecun_uniform".
std::string to_string(Init init);

// The b of U(-b, b). Throws std::invalid_argument if fan_in is 0.
double init_bound(Init init, std::size_t fan_in, std::size_t fan_out);

// `count` fresh leaves drawn from U(-b, b), in order.
std::vector<Value> init_weights(std::size_t count, Init init, std::size_t fan_in,
                                std::size_t fan_out);

}  // namespace micrograd::nn
