// The MNIST demo's models (see model.hpp).
#include "model.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <span>
#include <utility>

#include <micrograd/engine/modes.hpp>
#include <micrograd/nn/nn.hpp>
#include <micrograd/nn/random.hpp>
#include "stop.hpp"

namespace mnist_demo {

namespace ds = micrograd::datasets;
namespace nn = micrograd::nn;
using micrograd::Value;

namespace {

// One image as fresh leaves, shaped for the model: the only Values made per sample besides the
// graph itself. The model sees the central `crop` x `crop` pixels (all of them for 0), after the
// image is moved `down` rows and `right` columns (negative: up, left); the pixels moved in are 0,
// the background of MNIST's images.
nn::Tensor make_input(const ds::MnistSplit& split, std::size_t index, const nn::Shape& shape,
                      std::size_t crop, std::ptrdiff_t down = 0, std::ptrdiff_t right = 0) {
  const std::span<const double> pixels = split.image(index);
  const auto rows = static_cast<std::ptrdiff_t>(split.rows);
  const auto cols = static_cast<std::ptrdiff_t>(split.cols);
  const std::ptrdiff_t seen_rows = crop > 0 ? static_cast<std::ptrdiff_t>(crop) : rows;
  const std::ptrdiff_t seen_cols = crop > 0 ? static_cast<std::ptrdiff_t>(crop) : cols;
  const std::ptrdiff_t top = (rows - seen_rows) / 2;
  const std::ptrdiff_t left = (cols - seen_cols) / 2;
  std::vector<Value> values;
  values.reserve(static_cast<std::size_t>(seen_rows * seen_cols));
  for (std::ptrdiff_t row = 0; row < seen_rows; ++row) {
    for (std::ptrdiff_t col = 0; col < seen_cols; ++col) {
      const std::ptrdiff_t from_row = top + row - down;
      const std::ptrdiff_t from_col = left + col - right;
      const bool inside = from_row >= 0 && from_row < rows && from_col >= 0 && from_col < cols;
      values.emplace_back(inside ? pixels[static_cast<std::size_t>(from_row * cols + from_col)]
                                 : 0.0);
    }
  }
  return nn::Tensor(shape, std::move(values));
}

}  // namespace

Model make_model(const std::string& name, std::size_t rows, std::size_t cols, std::size_t hidden,
                 std::size_t crop) {
  Model model;
  if (name == "mlp") {
    if (crop >= std::min(rows, cols)) crop = 0;  // the whole image
    model.crop = crop;
    const std::size_t inputs = crop > 0 ? crop * crop : rows * cols;
    model.input_shape = {inputs};
    model.net = std::make_unique<nn::MLP>(inputs, std::vector<std::size_t>{hidden, 10},
                                          nn::Activation::relu, nn::Init::kaiming_uniform);
    model.summary = "MLP " + std::to_string(inputs) + "-" + std::to_string(hidden) +
                    "-10, ReLU, weights uniform in +-sqrt(6/fan_in)" +
                    (crop > 0 ? ", on the central " + std::to_string(crop) + "x" +
                                    std::to_string(crop) + " pixels"
                              : std::string());
    return model;
  }
  // Each convolution halves the image: 28x28 -> 14x14 -> 7x7.
  const std::size_t rows1 = nn::conv_output_size("Conv2D", rows, 5, 2, 2);
  const std::size_t cols1 = nn::conv_output_size("Conv2D", cols, 5, 2, 2);
  const std::size_t rows2 = nn::conv_output_size("Conv2D", rows1, 5, 2, 2);
  const std::size_t cols2 = nn::conv_output_size("Conv2D", cols1, 5, 2, 2);
  const std::size_t flat = 8 * rows2 * cols2;
  model.input_shape = {1, rows, cols};
  model.net = std::make_unique<nn::Sequential>(
      nn::Conv2D(1, 4, 5, 2, 2, nn::Init::lecun_uniform), nn::Tanh(),
      nn::Conv2D(4, 8, 5, 2, 2, nn::Init::lecun_uniform), nn::Tanh(), nn::Flatten(),
      nn::Layer(flat, 30, nn::Activation::tanh, nn::Init::lecun_uniform),
      nn::Layer(30, 10, nn::Activation::none, nn::Init::lecun_uniform));
  model.summary = "conv net: Conv2D 1->4 (5x5, stride 2, padding 2) + tanh -> 4x" +
                  std::to_string(rows1) + "x" + std::to_string(cols1) +
                  ", Conv2D 4->8 + tanh -> 8x" + std::to_string(rows2) + "x" +
                  std::to_string(cols2) + ", dense " + std::to_string(flat) +
                  "->30 tanh, dense 30->10; weights uniform in +-sqrt(3/fan_in)";
  return model;
}

SampleResult forward(const nn::TensorModule& net, const Model& model, const ds::MnistSplit& split,
                     std::size_t index, std::size_t shift) {
  std::ptrdiff_t down = 0;
  std::ptrdiff_t right = 0;
  if (shift > 0) {
    const std::size_t choices = 2 * shift + 1;
    down =
        static_cast<std::ptrdiff_t>(nn::random_index(choices)) - static_cast<std::ptrdiff_t>(shift);
    right =
        static_cast<std::ptrdiff_t>(nn::random_index(choices)) - static_cast<std::ptrdiff_t>(shift);
  }
  const nn::Tensor logits =
      net.forward(make_input(split, index, model.input_shape, model.crop, down, right));
  const auto label = static_cast<std::size_t>(split.labels[index]);
  return {nn::cross_entropy(logits.values(), label), nn::argmax(logits.values()) == label};
}

std::vector<int> predict(const Model& model, const ds::MnistSplit& split,
                         nn::DataParallel* parallel) {
  const micrograd::NoGradGuard no_graph;  // the threads take this thread's mode
  std::vector<int> predictions(split.size());
  std::atomic<bool> stopped{false};
  const auto predict_one = [&](const nn::Module& net, std::size_t i) {
    if (stopped.load(std::memory_order_relaxed) || stop_requested()) {
      stopped.store(true, std::memory_order_relaxed);
      return;
    }
    const nn::Tensor logits = static_cast<const nn::TensorModule&>(net).forward(
        make_input(split, i, model.input_shape, model.crop));
    predictions[i] = static_cast<int>(nn::argmax(logits.values()));
  };
  if (parallel != nullptr) {
    parallel->for_each_sample(split.size(), predict_one);
  } else {
    for (std::size_t i = 0; i < split.size() && !stopped; ++i) predict_one(*model.net, i);
  }
  if (stopped) return {};
  return predictions;
}

double accuracy(const ds::MnistSplit& split, const std::vector<int>& predictions) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < split.size(); ++i) correct += predictions[i] == split.label(i);
  return 100.0 * static_cast<double>(correct) /
         static_cast<double>(std::max<std::size_t>(1, split.size()));
}

}  // namespace mnist_demo
