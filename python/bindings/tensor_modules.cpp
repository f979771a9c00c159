// micrograd._core.nn's Tensor and the modules that map a Tensor to a Tensor: Conv2D, MaxPool2D,
// AvgPool2D, Flatten, the activation layers and Sequential (nn/tensor.hpp, nn/conv.hpp,
// nn/activation.hpp, nn/sequential.hpp). micrograd/nn.py gives them PyTorch's names (Conv2d,
// MaxPool2d, ...); a forward pass through a whole Sequential is one call into C++.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <micrograd/nn/activation.hpp>
#include <micrograd/nn/conv.hpp>
#include <micrograd/nn/module.hpp>
#include <micrograd/nn/sequential.hpp>
#include <micrograd/nn/tensor.hpp>

#include <cstddef>
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

py::tuple shape_tuple(const nn::Shape& shape) {
  py::tuple result(shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i) result[i] = shape[i];
  return result;
}

nn::Tensor forward(const nn::TensorModule& module, const nn::Tensor& input) {
  return module.forward(input);
}

}  // namespace

void bind_tensor(py::module_& module) {
  py::class_<nn::TensorModule, nn::Module, ModuleHolder<nn::TensorModule>>(
      module, "TensorModule", "A module that maps a Tensor to a Tensor")
      .def("forward", &forward, py::arg("input"));

  py::class_<nn::Tensor>(module, "Tensor",
                         "Values with a shape, row-major (the last index fastest): a 28x28 image "
                         "is Tensor(pixels, shape=(1, 28, 28))")
      .def(py::init([](py::handle values, std::optional<nn::Shape> shape) {
             std::vector<Value> items = values_from(values, "Tensor(values)");
             if (!shape) return nn::Tensor(std::move(items));
             return nn::Tensor(std::move(*shape), std::move(items));
           }),
           py::arg("values"), py::arg("shape") = py::none())
      .def_static("from_data", &nn::Tensor::from_data, py::arg("shape"), py::arg("data"),
                  "new leaves holding `data` (floats), in the given shape")
      .def_property_readonly("shape",
                             [](const nn::Tensor& tensor) { return shape_tuple(tensor.shape()); })
      .def_property_readonly("values", &nn::Tensor::values, "the Values, row-major")
      .def_property_readonly("data", &nn::Tensor::data, "the Values' data, row-major")
      .def("__len__", &nn::Tensor::size)
      .def("__getitem__",
           [](const nn::Tensor& tensor, std::size_t index) {
             if (index >= tensor.size())
               throw py::index_error("Tensor index " + std::to_string(index) +
                                     " is out of range for a Tensor of " +
                                     std::to_string(tensor.size()) + " Values (flat, row-major)");
             return tensor.values()[index];
           })
      .def("__repr__", [](const nn::Tensor& tensor) {
        return "Tensor(shape=" + nn::shape_string(tensor.shape()) + ")";
      });
}

void bind_tensor_modules(py::module_& module) {
  py::class_<nn::Conv2D, nn::TensorModule, ModuleHolder<nn::Conv2D>>(module, "Conv2D")
      .def(py::init([](std::size_t in_channels, std::size_t out_channels, std::size_t kernel_size,
                       std::size_t stride, std::size_t padding, const std::string& init) {
             return nn::Conv2D(in_channels, out_channels, kernel_size, stride, padding,
                               parse_init(init));
           }),
           py::arg("in_channels"), py::arg("out_channels"), py::arg("kernel_size"),
           py::arg("stride") = 1, py::arg("padding") = 0, py::arg("init") = "kaiming_uniform")
      .def_property_readonly("in_channels", &nn::Conv2D::in_channels)
      .def_property_readonly("out_channels", &nn::Conv2D::out_channels)
      .def_property_readonly("kernel_size", &nn::Conv2D::kernel_size)
      .def_property_readonly("stride", &nn::Conv2D::stride)
      .def_property_readonly("padding", &nn::Conv2D::padding)
      .def_property_readonly("weight", &nn::Conv2D::weight, "[out][in][k][k]")
      .def_property_readonly("bias", &nn::Conv2D::bias)
      .def("output_shape", &nn::Conv2D::output_shape, py::arg("input_shape"));

  py::class_<nn::Pool2D, nn::TensorModule, ModuleHolder<nn::Pool2D>>(module, "Pool2D")
      .def_property_readonly("kernel_size", &nn::Pool2D::kernel_size)
      .def_property_readonly("stride", &nn::Pool2D::stride)
      .def("output_shape", &nn::Pool2D::output_shape, py::arg("input_shape"));
  py::class_<nn::MaxPool2D, nn::Pool2D, ModuleHolder<nn::MaxPool2D>>(module, "MaxPool2D")
      .def(py::init<std::size_t, std::optional<std::size_t>>(), py::arg("kernel_size"),
           py::arg("stride") = py::none());
  py::class_<nn::AvgPool2D, nn::Pool2D, ModuleHolder<nn::AvgPool2D>>(module, "AvgPool2D")
      .def(py::init<std::size_t, std::optional<std::size_t>>(), py::arg("kernel_size"),
           py::arg("stride") = py::none());
  py::class_<nn::Flatten, nn::TensorModule, ModuleHolder<nn::Flatten>>(module, "Flatten")
      .def(py::init<>());
  py::class_<nn::ActivationLayer, nn::TensorModule, ModuleHolder<nn::ActivationLayer>>(
      module, "ActivationLayer")
      .def(py::init([](const std::string& activation) {
             return nn::ActivationLayer(parse_activation(activation));
           }),
           py::arg("activation"))
      .def_property_readonly("activation", [](const nn::ActivationLayer& layer) {
        return nn::to_string(layer.activation());
      });

  py::class_<nn::Sequential, nn::TensorModule, ModuleHolder<nn::Sequential>>(module, "Sequential")
      .def(py::init([](const std::vector<ModuleHolder<nn::TensorModule>>& modules) {
             nn::Sequential sequential;
             for (const ModuleHolder<nn::TensorModule>& part : modules) {
               if (!part) throw std::invalid_argument("Sequential: a module is None");
               sequential.add(part);
             }
             return sequential;
           }),
           py::arg("modules"))
      .def("__len__", &nn::Sequential::size);
}

}  // namespace micrograd::python
