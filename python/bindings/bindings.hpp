// The parts of the micrograd._core extension module, each bound in its own file and put together
// in module.cpp.
#pragma once

#include <pybind11/pybind11.h>

#include <micrograd/engine/value.hpp>
#include <micrograd/nn/activation.hpp>
#include <micrograd/nn/init.hpp>

#include <memory>
#include <string>
#include <vector>

namespace micrograd::python {

// The Python class Value (see value_caster.hpp for why it is bound on Node).
using ValueClass = pybind11::class_<Node, std::shared_ptr<Node>>;

void register_exceptions(pybind11::module_& module);          // errors.cpp
ValueClass bind_value(pybind11::module_& module);             // value.cpp
void bind_modes(pybind11::module_& module);                   // modes.cpp
void bind_checks(pybind11::module_& module);                  // checks.cpp: gradcheck, graph_stats
void bind_nn(pybind11::module_& module);                      // nn.cpp
void bind_tensor(pybind11::module_& module);                  // tensor_modules.cpp: Tensor
void bind_tensor_modules(pybind11::module_& module);          // Conv2D, pools, Sequential, ...
void bind_data_parallel(pybind11::module_& module);           // data_parallel.cpp
void bind_datasets(pybind11::module_& module);                // datasets.cpp, when built
void bind_viz(pybind11::module_& module, ValueClass& value);  // viz.cpp, when viz is built

// How every nn module is held: by a shared_ptr, so that a Sequential made in Python holds the
// very modules its Python objects stand for (nn::Sequential::add takes a shared_ptr).
template <typename ModuleType>
using ModuleHolder = std::shared_ptr<ModuleType>;

// "relu" -> nn::Activation::relu, "lecun_uniform" -> nn::Init::lecun_uniform, by the names
// nn::to_string gives; anything else is a ValueError listing the choices (nn.cpp).
nn::Activation parse_activation(const std::string& text);
nn::Init parse_init(const std::string& text);

// The items of `sequence` (a list, tuple, generator, numpy row, ...) as Values: Values as they
// are, numbers as new leaves. Anything else is a TypeError that names `what` and the item.
std::vector<Value> values_from(pybind11::handle sequence, const std::string& what);

}  // namespace micrograd::python
