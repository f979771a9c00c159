// The extension module micrograd._core. The Python package (python/micrograd/) imports it and
// gives its contents micrograd's names: micrograd.engine.Value, micrograd.nn.MLP, ...
#include <pybind11/pybind11.h>

#include <micrograd/version.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_core, module) {
  namespace python = micrograd::python;
  module.doc() = "micrograd.cpp's engine, bound for Python (use it through the micrograd package)";
  module.attr("__version__") = MICROGRAD_VERSION_STRING;
  python::register_exceptions(module);
  [[maybe_unused]] python::ValueClass value = python::bind_value(module);
  python::bind_modes(module);
  python::bind_checks(module);
  pybind11::module_ nn = module.def_submodule("nn");
  python::bind_nn(nn);
#ifdef MICROGRAD_PYTHON_WITH_VIZ
  pybind11::module_ viz = module.def_submodule("viz");
  python::bind_viz(viz, value);
  module.attr("has_viz") = true;
#else
  module.attr("has_viz") = false;
#endif
#ifdef MICROGRAD_PYTHON_WITH_DATASETS
  pybind11::module_ datasets = module.def_submodule("datasets");
  python::bind_datasets(datasets);
  module.attr("has_datasets") = true;
#else
  module.attr("has_datasets") = false;
#endif
}
