// The MNIST demo's two models (an MLP and a small conv net), and running them on images: the loss
// of one image as a graph to train on, the predicted classes of a whole split without graphs.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <micrograd/datasets/mnist.hpp>
#include <micrograd/engine/value.hpp>
#include <micrograd/nn/data_parallel.hpp>
#include <micrograd/nn/module.hpp>
#include <micrograd/nn/tensor.hpp>

namespace mnist_demo {

struct Model {
  std::string summary;  // for people
  micrograd::nn::Shape input_shape;
  std::size_t crop = 0;  // the model sees the central crop x crop pixels (0: the whole image)
  std::unique_ptr<micrograd::nn::TensorModule> net;
};

// "mlp" (MLP inputs-hidden-10, ReLU, its inputs the central crop x crop pixels, or all rows x cols
// for a crop of 0 or one as large as the image) or "conv" (Conv2D 1->4 and 4->8, 5x5, stride 2,
// padding 2, tanh; dense ->30 tanh; dense 30->10; it sees the whole image and has no `hidden`),
// its weights drawn from the global generator (nn::manual_seed).
Model make_model(const std::string& name, std::size_t rows, std::size_t cols, std::size_t hidden,
                 std::size_t crop);

// The loss of one image, and whether the model got it right.
struct SampleResult {
  micrograd::Value loss;
  bool correct = false;
};

// Image `index` of `split` through `net` (`model`'s net, or a replica of it with the same
// architecture), its input as `model` sees it: the cross-entropy loss, a graph ready for
// backward(). With `shift` > 0 the image is first moved by a random whole number of pixels in
// [-shift, shift] along each axis (augmentation), drawn from this thread's generator: DataParallel
// seeds it with the sample's own stream, so the draws are the same on any machine and thread count.
SampleResult forward(const micrograd::nn::TensorModule& net, const Model& model,
                     const micrograd::datasets::MnistSplit& split, std::size_t index,
                     std::size_t shift = 0);

// The predicted class of every image, without building graphs, on the threads of `parallel`
// (replicas of `model`) when given. Empty if Ctrl-C stopped it.
std::vector<int> predict(const Model& model, const micrograd::datasets::MnistSplit& split,
                         micrograd::nn::DataParallel* parallel = nullptr);

// The percentage of `predictions` that are the labels of `split`.
double accuracy(const micrograd::datasets::MnistSplit& split, const std::vector<int>& predictions);

}  // namespace mnist_demo
