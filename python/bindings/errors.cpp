// C++ exceptions as Python exceptions, each with the C++ message (which says what was wrong and
// what to do). pybind11 already maps std::invalid_argument, std::length_error and std::range_error
// to ValueError, std::out_of_range to IndexError, std::bad_alloc to MemoryError, and any other
// std::exception to RuntimeError. On top of that:
//
//   std::domain_error                       FloatingPointError: a NaN or infinity (anomaly mode,
//                                           a checkpoint of a model holding NaN)
//   micrograd::NotImplemented               NotImplementedError: an exercise not written yet, in
//                                           a build on a student's exercises/
//   micrograd::nn::CheckpointError          micrograd.nn.CheckpointError (a RuntimeError)
//   std::filesystem::filesystem_error,      OSError with its errno, so FileNotFoundError,
//   micrograd::base::WriteError             PermissionError, ... as Python's own open() raises
//
// The translators are local to this module, so other pybind11 modules in the same interpreter
// (torch) keep their own.
#include <pybind11/pybind11.h>

#include <micrograd/base/atomic_file.hpp>
#include <micrograd/engine/errors.hpp>
#include <micrograd/nn/checkpoint.hpp>

#include <exception>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "bindings.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

// OSError(errno, message) becomes the subclass for that errno. The message already names the
// path, so it is not passed again as the filename.
void set_os_error(const std::error_code& code, const char* message) {
  const py::object os_error =
      py::reinterpret_borrow<py::object>(PyExc_OSError)(code.value(), message);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(os_error.ptr())), os_error.ptr());
}

}  // namespace

void register_exceptions(py::module_& module) {
  py::register_local_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const NotImplemented& exception) {
      PyErr_SetString(PyExc_NotImplementedError, exception.what());
    } catch (const std::domain_error& exception) {
      PyErr_SetString(PyExc_FloatingPointError, exception.what());
    } catch (const std::filesystem::filesystem_error& exception) {
      set_os_error(exception.code(), exception.what());
    } catch (const base::WriteError& exception) {
      set_os_error(exception.code(), exception.what());
    }
  });
  // register_local_exception: translated, and also catchable as micrograd.nn.CheckpointError.
  py::module_ nn = module.def_submodule("nn");
  py::register_local_exception<nn::CheckpointError>(nn, "CheckpointError", PyExc_RuntimeError);
}

}  // namespace micrograd::python
