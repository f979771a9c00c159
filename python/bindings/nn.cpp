// micrograd._core.nn: the C++ modules, losses, optimizers, schedules and checkpoints.
//
// micrograd/nn.py wraps Neuron, Layer and MLP in Python classes with micrograd's names and call
// semantics (a Value for one output, `w`, `b`, `neurons`, `layers`); what is bound here is the
// C++ object each of them runs: a whole forward pass is one call into C++.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <micrograd/nn/batchnorm.hpp>
#include <micrograd/nn/checkpoint.hpp>
#include <micrograd/nn/dropout.hpp>
#include <micrograd/nn/loss.hpp>
#include <micrograd/nn/mlp.hpp>
#include <micrograd/nn/optim.hpp>
#include <micrograd/nn/random.hpp>
#include <micrograd/nn/schedule.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "value_caster.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

// "relu" -> Activation::relu, by the names nn::to_string gives, so the two cannot drift apart.
template <typename Enum, std::size_t kCount>
Enum parse_choice(const std::string& text, const std::array<Enum, kCount>& choices,
                  const char* what) {
  std::string names;
  for (const Enum choice : choices) {
    if (nn::to_string(choice) == text) return choice;
    names += (names.empty() ? "'" : ", '") + nn::to_string(choice) + "'";
  }
  throw std::invalid_argument(std::string(what) + " must be one of " + names + ", not '" + text +
                              "'");
}

void bind_modules(py::module_& module) {
  // Every module is held by a shared_ptr, so that a Sequential made in Python holds the very
  // modules the Python objects stand for (nn::Sequential::add takes a shared_ptr).
  py::class_<nn::Module, ModuleHolder<nn::Module>>(module, "Module")
      .def("parameters", &nn::Module::parameters)
      .def("zero_grad", &nn::Module::zero_grad)
      .def("describe", &nn::Module::describe)
      .def("named_parameters", &nn::Module::named_parameters,
           "(name, shape, values) of each block of parameters, as a checkpoint names them")
      .def("named_buffers", &nn::Module::named_buffers,
           "(name, shape, values) of each block of state that is not trained (BatchNorm1d's "
           "running statistics)")
      // The mode of this module and all below it; micrograd/nn.py returns the module itself.
      .def(
          "train", [](nn::Module& self, bool on) { self.train(on); }, py::arg("mode") = true)
      .def("eval", [](nn::Module& self) { self.eval(); })
      .def("is_training", &nn::Module::is_training)
      .def(
          "use_fused_ops", [](nn::Module& self, bool on) { self.use_fused_ops(on); },
          py::arg("on") = true,
          "Conv2D's forward as one node per output ('conv2d') instead of a neuron's chain of "
          "multiply-adds: the same numbers, a smaller graph (this module and all below it)")
      .def("uses_fused_ops", &nn::Module::uses_fused_ops);
  py::class_<nn::NamedTensor>(module, "NamedTensor")
      .def_readonly("name", &nn::NamedTensor::name)
      .def_readonly("shape", &nn::NamedTensor::shape)
      .def_readonly("values", &nn::NamedTensor::values);
  bind_tensor(module);  // TensorModule and Tensor, before the modules that are TensorModules

  py::class_<nn::Neuron, nn::Module, ModuleHolder<nn::Neuron>>(module, "Neuron")
      .def(py::init([](std::size_t nin, const std::string& activation, const std::string& init) {
             return nn::Neuron(nin, parse_activation(activation), parse_init(init));
           }),
           py::arg("nin"), py::arg("activation"), py::arg("init"))
      .def(py::init([](std::vector<Value> weights, Value bias, const std::string& activation) {
             return nn::Neuron(std::move(weights), std::move(bias), parse_activation(activation));
           }),
           py::arg("weights"), py::arg("bias"), py::arg("activation"))
      .def("__call__", [](const nn::Neuron& neuron,
                          py::handle x) { return neuron(values_from(x, "a Neuron's input")); })
      .def_property_readonly("weights", &nn::Neuron::weights)
      .def_property_readonly("bias", &nn::Neuron::bias)
      .def_property_readonly(
          "activation", [](const nn::Neuron& neuron) { return to_string(neuron.activation()); })
      .def_property_readonly("nin", &nn::Neuron::nin);

  py::class_<nn::Layer, nn::TensorModule, ModuleHolder<nn::Layer>>(module, "Layer")
      .def(py::init([](std::size_t nin, std::size_t nout, const std::string& activation,
                       const std::string& init) {
             return nn::Layer(nin, nout, parse_activation(activation), parse_init(init));
           }),
           py::arg("nin"), py::arg("nout"), py::arg("activation"), py::arg("init"))
      .def(py::init<std::vector<nn::Neuron>>(), py::arg("neurons"))
      .def("__call__", [](const nn::Layer& layer,
                          py::handle x) { return layer(values_from(x, "a Layer's input")); })
      .def_property_readonly("neurons", &nn::Layer::neurons)
      .def_property_readonly("nin", &nn::Layer::nin)
      .def_property_readonly("nout", &nn::Layer::nout);

  py::class_<nn::MLP, nn::TensorModule, ModuleHolder<nn::MLP>>(module, "MLP")
      .def(py::init([](std::size_t nin, std::vector<std::size_t> nouts,
                       const std::string& activation, const std::string& init) {
             return nn::MLP(nin, std::move(nouts), parse_activation(activation), parse_init(init));
           }),
           py::arg("nin"), py::arg("nouts"), py::arg("activation"), py::arg("init"))
      .def(py::init<std::vector<nn::Layer>>(), py::arg("layers"))
      .def("__call__",
           [](const nn::MLP& mlp, py::handle x) { return mlp(values_from(x, "an MLP's input")); })
      .def_property_readonly("layers", &nn::MLP::layers)
      .def_property_readonly("nin", &nn::MLP::nin)
      .def_property_readonly("nout", &nn::MLP::nout);

  py::class_<nn::Dropout, nn::TensorModule, ModuleHolder<nn::Dropout>>(module, "Dropout")
      .def(py::init<double>(), py::arg("p") = 0.5)
      .def("__call__", [](const nn::Dropout& dropout,
                          py::handle x) { return dropout(values_from(x, "a Dropout's input")); })
      .def_property_readonly("p", &nn::Dropout::p);

  py::class_<nn::BatchNorm1d, nn::Module, ModuleHolder<nn::BatchNorm1d>>(module, "BatchNorm1d")
      .def(py::init<std::size_t, double, double>(), py::arg("features"), py::arg("eps") = 1e-5,
           py::arg("momentum") = 0.1)
      .def("__call__",
           [](const nn::BatchNorm1d& norm, py::handle batch) {
             std::vector<std::vector<Value>> samples;
             for (const py::handle sample : py::iter(batch)) {
               samples.push_back(values_from(sample, "a sample of BatchNorm1d's batch"));
             }
             return norm(samples);
           })
      .def_property_readonly("weight", &nn::BatchNorm1d::weight)
      .def_property_readonly("bias", &nn::BatchNorm1d::bias)
      .def_property_readonly("running_mean", &nn::BatchNorm1d::running_mean)
      .def_property_readonly("running_var", &nn::BatchNorm1d::running_var)
      .def_property_readonly("features", &nn::BatchNorm1d::features)
      .def_property_readonly("eps", &nn::BatchNorm1d::eps)
      .def_property_readonly("momentum", &nn::BatchNorm1d::momentum);
}

void bind_losses(py::module_& module) {
  module.def("mse_loss", &nn::mse_loss, py::arg("predictions"), py::arg("targets"),
             "mean (p - t)^2");
  module.def("hinge_loss", &nn::hinge_loss, py::arg("scores"), py::arg("labels"),
             "mean relu(1 - y * s) for labels y of -1 or +1: micrograd's SVM max-margin loss");
  module.def("binary_cross_entropy_with_logits", &nn::binary_cross_entropy_with_logits,
             py::arg("logits"), py::arg("targets"),
             "mean of -[t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))], without overflow");
  module.def("cross_entropy",
             py::overload_cast<const std::vector<Value>&, std::size_t>(&nn::cross_entropy),
             py::arg("logits"), py::arg("label"), "-log softmax(logits)[label], for one sample");
  module.def(
      "cross_entropy",
      py::overload_cast<const std::vector<std::vector<Value>>&, const std::vector<std::size_t>&>(
          &nn::cross_entropy),
      py::arg("logits"), py::arg("labels"), "the mean over a batch");
  module.def("l2_penalty", &nn::l2_penalty, py::arg("parameters"), py::arg("alpha"),
             "alpha * sum p^2: the `1e-4 * sum(p*p)` of micrograd's demo");
  module.def("argmax", &nn::argmax, py::arg("values"), "the index of the largest data");
  module.def("softmax", &nn::softmax, py::arg("logits"), "softmax of the data, as floats");
}

void bind_optimizers(py::module_& module) {
  py::class_<nn::Optimizer>(module, "Optimizer")
      .def("step", &nn::Optimizer::step, "moves every parameter against its grad")
      .def("zero_grad", &nn::Optimizer::zero_grad)
      .def_property("lr", &nn::Optimizer::learning_rate, &nn::Optimizer::set_learning_rate,
                    "the learning rate; assign to change it between steps")
      .def_property_readonly("parameters", &nn::Optimizer::parameters);
  py::class_<nn::SGD, nn::Optimizer>(module, "SGD")
      .def(py::init(
               [](std::vector<Value> parameters, double lr, double momentum, double weight_decay) {
                 return nn::SGD(std::move(parameters),
                                {.lr = lr, .momentum = momentum, .weight_decay = weight_decay});
               }),
           py::arg("parameters"), py::arg("lr") = 0.01, py::arg("momentum") = 0.0,
           py::arg("weight_decay") = 0.0);
  py::class_<nn::Adam, nn::Optimizer>(module, "Adam")
      .def(py::init([](std::vector<Value> parameters, double lr, std::pair<double, double> betas,
                       double eps, double weight_decay) {
             return nn::Adam(std::move(parameters), {.lr = lr,
                                                     .beta1 = betas.first,
                                                     .beta2 = betas.second,
                                                     .eps = eps,
                                                     .weight_decay = weight_decay});
           }),
           py::arg("parameters"), py::arg("lr") = 1e-3, py::arg("betas") = std::pair{0.9, 0.999},
           py::arg("eps") = 1e-8, py::arg("weight_decay") = 0.0)
      .def_property_readonly("step_count", &nn::Adam::step_count);
}

void bind_schedules(py::module_& module) {
  py::class_<nn::LinearDecay>(module, "LinearDecay",
                              "start + (end - start) * k / total_steps, then end. micrograd's "
                              "demo: LinearDecay(1.0, 0.1, 100)")
      .def(py::init<double, double, std::size_t>(), py::arg("start"), py::arg("end"),
           py::arg("total_steps"))
      .def("__call__", &nn::LinearDecay::operator(), py::arg("step"));
  py::class_<nn::StepDecay>(module, "StepDecay", "initial * gamma^(k // every): torch's StepLR")
      .def(py::init<double, std::size_t, double>(), py::arg("initial"), py::arg("every"),
           py::arg("gamma"))
      .def("__call__", &nn::StepDecay::operator(), py::arg("step"));
  py::class_<nn::CosineDecay>(module, "CosineDecay",
                              "from initial down to end over total_steps along a half cosine")
      .def(py::init<double, std::size_t, double>(), py::arg("initial"), py::arg("total_steps"),
           py::arg("end") = 0.0)
      .def("__call__", &nn::CosineDecay::operator(), py::arg("step"));
}

// A module written in Python, as C++ sees it for a checkpoint: its named blocks of parameters
// (and buffers) and a description, handed over by micrograd/nn.py. Its Values are the Python
// module's own nodes, so loading a checkpoint into it changes the Python module's parameters.
class ListedModule : public nn::Module {
 public:
  using Blocks = std::vector<std::tuple<std::string, nn::Shape, std::vector<Value>>>;

  ListedModule(std::string description, const Blocks& parameters, const Blocks& buffers)
      : description_(std::move(description)),
        parameters_(tensors(parameters)),
        buffers_(tensors(buffers)) {}

  std::vector<Value> parameters() const override {
    std::vector<Value> result;
    for (const nn::NamedTensor& tensor : parameters_) {
      result.insert(result.end(), tensor.values.begin(), tensor.values.end());
    }
    return result;
  }
  std::vector<nn::NamedTensor> named_parameters() const override { return parameters_; }
  std::vector<nn::NamedTensor> named_buffers() const override { return buffers_; }
  std::string describe() const override { return description_; }

 private:
  static std::vector<nn::NamedTensor> tensors(const Blocks& blocks) {
    std::vector<nn::NamedTensor> result;
    for (const auto& [name, shape, values] : blocks) {
      if (nn::element_count(shape) != values.size()) {
        throw std::invalid_argument("the parameters named '" + name + "' are " +
                                    std::to_string(values.size()) + " Values, but their shape " +
                                    nn::shape_string(shape) + " holds " +
                                    std::to_string(nn::element_count(shape)));
      }
      result.push_back({name, shape, values});
    }
    return result;
  }

  std::string description_;
  std::vector<nn::NamedTensor> parameters_;
  std::vector<nn::NamedTensor> buffers_;
};

}  // namespace

nn::Activation parse_activation(const std::string& text) {
  return parse_choice(text,
                      std::array{nn::Activation::none, nn::Activation::relu, nn::Activation::tanh,
                                 nn::Activation::sigmoid},
                      "activation");
}

nn::Init parse_init(const std::string& text) {
  return parse_choice(text,
                      std::array{nn::Init::uniform, nn::Init::kaiming_uniform,
                                 nn::Init::xavier_uniform, nn::Init::lecun_uniform},
                      "init");
}

void bind_nn(py::module_& module) {
  bind_modules(module);
  bind_losses(module);
  bind_optimizers(module);
  bind_schedules(module);
  bind_tensor_modules(module);
  bind_data_parallel(module);
  py::class_<ListedModule, nn::Module, ModuleHolder<ListedModule>>(module, "ListedModule")
      .def(py::init<std::string, const ListedModule::Blocks&, const ListedModule::Blocks&>(),
           py::arg("description"), py::arg("parameters"), py::arg("buffers"));
  module.def(
      "save_checkpoint",
      [](const nn::Module& model, const std::filesystem::path& path, nn::Optimizer* optimizer) {
        if (optimizer != nullptr) {
          nn::save_checkpoint(model, *optimizer, path);
        } else {
          nn::save_checkpoint(model, path);
        }
      },
      py::arg("model"), py::arg("path"), py::kw_only(), py::arg("optimizer") = py::none(),
      "Writes the model's parameters (and the optimizer's state, if given: SGD's velocity, "
      "Adam's moments and step count) to a JSON file, atomically.");
  module.def(
      "load_checkpoint",
      [](nn::Module& model, const std::filesystem::path& path, nn::Optimizer* optimizer,
         bool check_architecture) {
        const nn::LoadOptions options{.check_architecture = check_architecture};
        if (optimizer != nullptr) {
          nn::load_checkpoint(model, *optimizer, path, options);
        } else {
          nn::load_checkpoint(model, path, options);
        }
      },
      py::arg("model"), py::arg("path"), py::kw_only(), py::arg("optimizer") = py::none(),
      py::arg("check_architecture") = true,
      "Reads a checkpoint into the model's parameters (and the optimizer's state, if given); on "
      "any error neither changes.");
  module.def("seed_this_thread", &nn::seed_this_thread, py::arg("stream"),
             "Restarts this thread's generator on stream `stream` of the manual_seed seed (what "
             "DataParallel does before each sample, so a sample draws the same numbers on any "
             "thread)");
  module.def("manual_seed", &nn::manual_seed, py::arg("seed"),
             "Restarts the generator the C++ side draws from (init='kaiming_uniform', ...): the "
             "same numbers on every platform.");
}

}  // namespace micrograd::python
