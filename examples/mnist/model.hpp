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
  std::unique_ptr<micrograd::nn::TensorModule> net;
};

// "mlp" (MLP 784-32-10, ReLU) or "conv" (Conv2D 1->4 and 4->8, 5x5, stride 2, padding 2, tanh;
// dense ->30 tanh; dense 30->10), for images of rows x cols, its weights drawn from the global
// generator (nn::manual_seed).
Model make_model(const std::string& name, std::size_t rows, std::size_t cols);

// The loss of one image, and whether the model got it right.
struct SampleResult {
  micrograd::Value loss;
  bool correct = false;
};

// Image `index` of `split` through `net` (the model's, or a replica of it with the same
// architecture), its input shaped as `input_shape`: the cross-entropy loss, a graph ready for
// backward().
SampleResult forward(const micrograd::nn::TensorModule& net,
                     const micrograd::nn::Shape& input_shape,
                     const micrograd::datasets::MnistSplit& split, std::size_t index);

// The predicted class of every image, without building graphs, on the threads of `parallel`
// (replicas of `model`) when given. Empty if Ctrl-C stopped it.
std::vector<int> predict(const Model& model, const micrograd::datasets::MnistSplit& split,
                         micrograd::nn::DataParallel* parallel = nullptr);

// The percentage of `predictions` that are the labels of `split`.
double accuracy(const micrograd::datasets::MnistSplit& split, const std::vector<int>& predictions);

}  // namespace mnist_demo
