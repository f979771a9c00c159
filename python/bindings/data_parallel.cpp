// micrograd._core.nn.DataParallel: nn::DataParallel for a model of built-in modules and a
// built-in loss, so that a minibatch's samples are computed on several threads with the GIL
// released: nothing of a sample's work runs Python code.
//
// The replicas the threads compute on are made here, in C++, with the architecture of the model
// (fresh_like below): a replica factory written in Python would have to return a module that C++
// owns alone, and each of its calls would need the GIL. So DataParallel takes what is built in
// (Sequential, Conv2D, the pools, Flatten, the activation layers, Layer, MLP, Dropout) and says
// so for anything else.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <micrograd/engine/modes.hpp>
#include <micrograd/nn/conv.hpp>
#include <micrograd/nn/data_parallel.hpp>
#include <micrograd/nn/dropout.hpp>
#include <micrograd/nn/loss.hpp>
#include <micrograd/nn/mlp.hpp>
#include <micrograd/nn/sequential.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "value_caster.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

// A module with the architecture and settings of `module` and Values of its own (their numbers
// do not matter: DataParallel copies the model's into it before every batch).
std::unique_ptr<nn::TensorModule> fresh_like(const nn::Module& module) {
  if (const auto* sequential = dynamic_cast<const nn::Sequential*>(&module)) {
    auto copy = std::make_unique<nn::Sequential>();
    for (std::size_t i = 0; i < sequential->size(); ++i) copy->add(fresh_like((*sequential)[i]));
    return copy;
  }
  if (const auto* conv = dynamic_cast<const nn::Conv2D*>(&module)) {
    return std::make_unique<nn::Conv2D>(conv->in_channels(), conv->out_channels(),
                                        conv->kernel_size(), conv->stride(), conv->padding());
  }
  if (const auto* pool = dynamic_cast<const nn::MaxPool2D*>(&module)) {
    return std::make_unique<nn::MaxPool2D>(pool->kernel_size(), pool->stride());
  }
  if (const auto* pool = dynamic_cast<const nn::AvgPool2D*>(&module)) {
    return std::make_unique<nn::AvgPool2D>(pool->kernel_size(), pool->stride());
  }
  if (dynamic_cast<const nn::Flatten*>(&module) != nullptr) return std::make_unique<nn::Flatten>();
  if (const auto* activation = dynamic_cast<const nn::ActivationLayer*>(&module)) {
    return std::make_unique<nn::ActivationLayer>(activation->activation());
  }
  if (const auto* layer = dynamic_cast<const nn::Layer*>(&module)) {
    return std::make_unique<nn::Layer>(layer->nin(), layer->nout(), layer->activation());
  }
  if (const auto* mlp = dynamic_cast<const nn::MLP*>(&module)) {
    std::vector<nn::Layer> layers;
    for (const nn::Layer& layer : mlp->layers()) {
      layers.emplace_back(layer.nin(), layer.nout(), layer.activation());
    }
    return std::make_unique<nn::MLP>(std::move(layers));
  }
  if (const auto* dropout = dynamic_cast<const nn::Dropout*>(&module)) {
    return std::make_unique<nn::Dropout>(dropout->p());
  }
  throw std::invalid_argument(
      "DataParallel works on models made of micrograd's own modules (Sequential, Conv2d, "
      "MaxPool2d, AvgPool2d, Flatten, ReLU, Tanh, Sigmoid, Layer, MLP, Dropout), whose replicas "
      "it can make without Python; " +
      module.describe() + " is not one. Train it on one thread, as micrograd does.");
}

enum class Loss { cross_entropy, mse, hinge, binary_cross_entropy };

Loss parse_loss(const std::string& name) {
  if (name == "cross_entropy") return Loss::cross_entropy;
  if (name == "mse") return Loss::mse;
  if (name == "hinge") return Loss::hinge;
  if (name == "binary_cross_entropy_with_logits") return Loss::binary_cross_entropy;
  throw std::invalid_argument(
      "loss must be 'cross_entropy', 'mse', 'hinge' or "
      "'binary_cross_entropy_with_logits', not '" +
      name + "'");
}

// One sample's input: its numbers and its shape.
struct Input {
  nn::Shape shape;
  std::vector<double> data;
};

std::vector<Input> inputs_from(py::handle inputs, const std::optional<nn::Shape>& input_shape) {
  std::vector<Input> result;
  for (const py::handle item : py::iter(inputs)) {
    Input input;
    if (py::isinstance<nn::Tensor>(item)) {
      const auto& tensor = item.cast<const nn::Tensor&>();
      input.shape = tensor.shape();
      input.data = tensor.data();
    } else {
      for (const py::handle number : py::iter(item)) {
        input.data.push_back(require_real_number(number, "an input's number"));
      }
      input.shape = input_shape.value_or(nn::Shape{input.data.size()});
    }
    if (nn::element_count(input.shape) != input.data.size()) {
      throw std::invalid_argument("DataParallel: input " + std::to_string(result.size()) + " has " +
                                  std::to_string(input.data.size()) + " numbers, but input_shape " +
                                  nn::shape_string(input.shape) + " holds " +
                                  std::to_string(nn::element_count(input.shape)));
    }
    result.push_back(std::move(input));
  }
  return result;
}

// Each sample's target as numbers: a class index (cross_entropy), or the outputs it should give.
std::vector<std::vector<double>> targets_from(py::handle targets, std::size_t count) {
  std::vector<std::vector<double>> result;
  for (const py::handle item : py::iter(targets)) {
    std::vector<double> target;
    if (const std::optional<double> number = real_number(item)) {
      target.push_back(*number);
    } else {
      for (const py::handle element : py::iter(item)) {
        target.push_back(require_real_number(element, "a target's number"));
      }
    }
    result.push_back(std::move(target));
  }
  if (result.size() != count) {
    throw std::invalid_argument("DataParallel: " + std::to_string(count) + " inputs but " +
                                std::to_string(result.size()) + " targets");
  }
  return result;
}

Value loss_of(Loss loss, const std::vector<Value>& outputs, const std::vector<double>& target) {
  switch (loss) {
    case Loss::cross_entropy: {
      const double label = target.empty() ? -1.0 : target.front();
      if (target.size() != 1 || label < 0 ||
          label != static_cast<double>(static_cast<std::size_t>(label)) ||
          static_cast<std::size_t>(label) >= outputs.size()) {
        throw std::invalid_argument("cross_entropy: a target must be one class index from 0 to " +
                                    std::to_string(outputs.size() - 1) + " (the model has " +
                                    std::to_string(outputs.size()) + " outputs)");
      }
      return nn::cross_entropy(outputs, static_cast<std::size_t>(label));
    }
    case Loss::mse:
      return nn::mse_loss(outputs, target);
    case Loss::hinge:
      return nn::hinge_loss(outputs, target);
    case Loss::binary_cross_entropy:
      return nn::binary_cross_entropy_with_logits(outputs, target);
  }
  throw std::logic_error("DataParallel: unknown loss");
}

// The model (kept alive while its DataParallel is) and the trainer.
class PythonDataParallel {
 public:
  PythonDataParallel(ModuleHolder<nn::TensorModule> model, std::size_t threads)
      : model_(std::move(model)),
        parallel_(
            *model_, [this]() -> std::unique_ptr<nn::Module> { return fresh_like(*model_); },
            threads) {}

  py::tuple accumulate_gradients(py::handle inputs, py::handle targets, const std::string& loss,
                                 const std::optional<nn::Shape>& input_shape,
                                 std::uint64_t first_stream) {
    const Loss kind = parse_loss(loss);
    const std::vector<Input> samples = inputs_from(inputs, input_shape);
    const std::vector<std::vector<double>> wanted = targets_from(targets, samples.size());
    std::vector<std::size_t> predictions(samples.size());
    std::vector<double> losses;
    {
      const py::gil_scoped_release no_gil;  // the threads run C++ only
      losses = parallel_.accumulate_gradients(
          samples.size(),
          [&](const nn::Module& replica, std::size_t i) {
            const nn::Tensor outputs = static_cast<const nn::TensorModule&>(replica).forward(
                nn::Tensor::from_data(samples[i].shape, samples[i].data));
            predictions[i] = nn::argmax(outputs.values());
            return loss_of(kind, outputs.values(), wanted[i]);
          },
          first_stream);
    }
    return py::make_tuple(losses, predictions);
  }

  std::vector<std::size_t> predict(py::handle inputs, const std::optional<nn::Shape>& input_shape) {
    const std::vector<Input> samples = inputs_from(inputs, input_shape);
    std::vector<std::size_t> predictions(samples.size());
    const py::gil_scoped_release no_gil;
    const NoGradGuard no_graph;  // the threads take this thread's mode
    parallel_.for_each_sample(samples.size(), [&](const nn::Module& replica, std::size_t i) {
      const nn::Tensor outputs = static_cast<const nn::TensorModule&>(replica).forward(
          nn::Tensor::from_data(samples[i].shape, samples[i].data));
      predictions[i] = nn::argmax(outputs.values());
    });
    return predictions;
  }

  std::size_t thread_count() const { return parallel_.thread_count(); }
  bool uses_tape() const { return parallel_.uses_tape(); }
  void use_tape(bool on) { parallel_.use_tape(on); }

 private:
  ModuleHolder<nn::TensorModule> model_;
  nn::DataParallel parallel_;
};

}  // namespace

void bind_data_parallel(py::module_& module) {
  py::class_<PythonDataParallel>(module, "DataParallel")
      .def(py::init<ModuleHolder<nn::TensorModule>, std::size_t>(), py::arg("model"),
           py::arg("threads") = 0)
      .def("accumulate_gradients", &PythonDataParallel::accumulate_gradients, py::arg("inputs"),
           py::arg("targets"), py::arg("loss") = "cross_entropy",
           py::arg("input_shape") = py::none(), py::arg("first_stream") = 0)
      .def("predict", &PythonDataParallel::predict, py::arg("inputs"),
           py::arg("input_shape") = py::none())
      .def_property_readonly("thread_count", &PythonDataParallel::thread_count)
      .def_property("uses_tape", &PythonDataParallel::uses_tape, &PythonDataParallel::use_tape);
}

}  // namespace micrograd::python
