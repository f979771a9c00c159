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

#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <stdexcept>
#include <system_error>

#include "bindings.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

// OSError(errno, message) becomes the subclass for that errno. The message already names the
// path, so it is not passed again as the filename.
// The message as a Python str. A path that is not UTF-8 (a file name of other bytes) or a
// checkpoint's bytes quoted by the JSON parser would make PyErr_SetString fail and leave an
// empty message: such bytes show as \xNN escapes instead.
py::str message_text(const char* message) {
  PyObject* text = PyUnicode_DecodeUTF8(message, static_cast<Py_ssize_t>(std::strlen(message)),
                                        "backslashreplace");
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

void set_error(PyObject* type, const char* message) {
  PyErr_SetObject(type, message_text(message).ptr());
}

void set_os_error(const std::error_code& code, const char* message) {
  const py::object os_error =
      py::reinterpret_borrow<py::object>(PyExc_OSError)(code.value(), message_text(message));
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(os_error.ptr())), os_error.ptr());
}

}  // namespace

void register_exceptions(py::module_& module) {
  // micrograd.nn.CheckpointError, a RuntimeError.
  py::module_ nn = module.def_submodule("nn");
  static py::exception<nn::CheckpointError> checkpoint_error(nn, "CheckpointError",
                                                             PyExc_RuntimeError);
  // Every exception's message goes through message_text, pybind11's own mappings included (they
  // would pass the bytes to PyErr_SetString as they are).
  py::register_local_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const NotImplemented& exception) {
      set_error(PyExc_NotImplementedError, exception.what());
    } catch (const nn::CheckpointError& exception) {
      set_error(checkpoint_error.ptr(), exception.what());
    } catch (const std::domain_error& exception) {
      set_error(PyExc_FloatingPointError, exception.what());
    } catch (const std::filesystem::filesystem_error& exception) {
      set_os_error(exception.code(), exception.what());
    } catch (const base::WriteError& exception) {
      set_os_error(exception.code(), exception.what());
    } catch (const py::builtin_exception&) {
      throw;  // pybind11's own (type_error, value_error, ...) set their Python type themselves
    } catch (const std::bad_alloc&) {
      PyErr_SetString(PyExc_MemoryError, "out of memory");
    } catch (const std::invalid_argument& exception) {
      set_error(PyExc_ValueError, exception.what());
    } catch (const std::length_error& exception) {
      set_error(PyExc_ValueError, exception.what());
    } catch (const std::range_error& exception) {
      set_error(PyExc_ValueError, exception.what());
    } catch (const std::out_of_range& exception) {
      set_error(PyExc_IndexError, exception.what());
    } catch (const std::overflow_error& exception) {
      set_error(PyExc_OverflowError, exception.what());
    } catch (const py::error_already_set&) {
      throw;
    } catch (const std::exception& exception) {
      set_error(PyExc_RuntimeError, exception.what());
    }
  });
}

}  // namespace micrograd::python
