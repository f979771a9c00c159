// Python numbers as doubles, for the Value caster and the setters of data and grad.
#include "value_caster.hpp"

#include <Python.h>

#include "bindings.hpp"

namespace micrograd::python {

namespace py = pybind11;

namespace {

// Whether `object` is a complex number that is not real (numbers.Complex but not numbers.Real):
// Python's complex and numpy's complex64 and complex128, whose float() would drop the imaginary
// part with only a warning.
bool is_complex(PyObject* raw) {
  if (PyComplex_Check(raw)) return true;
  static const py::object complex_type = py::module_::import("numbers").attr("Complex");
  static const py::object real_type = py::module_::import("numbers").attr("Real");
  return py::isinstance(raw, complex_type) && !py::isinstance(raw, real_type);
}

}  // namespace

std::optional<double> real_number(py::handle object) {
  PyObject* raw = object.ptr();
  if (PyFloat_Check(raw)) return PyFloat_AS_DOUBLE(raw);
  const PyNumberMethods* number = Py_TYPE(raw)->tp_as_number;
  const bool convertible =
      PyLong_Check(raw) ||
      (number != nullptr && (number->nb_float != nullptr || number->nb_index != nullptr));
  if (!convertible || (!PyLong_Check(raw) && is_complex(raw))) return std::nullopt;
  const double result = PyFloat_AsDouble(raw);
  if (result == -1.0 && PyErr_Occurred()) {
    // An int too large for a double (10**400) keeps Python's own OverflowError, as `1.0 + 10**400`
    // does in plain Python. A TypeError says it is not one number after all (a numpy array of
    // several: `Value * array` then returns NotImplemented, and numpy works elementwise).
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) throw py::error_already_set();
    PyErr_Clear();
    return std::nullopt;
  }
  return result;
}

std::string type_name(py::handle object) {
  return py::str(py::type::handle_of(object).attr("__name__"));
}

double require_real_number(py::handle object, const char* what) {
  if (const std::optional<double> number = real_number(object)) return *number;
  throw py::type_error(std::string(what) + " must be a real number (an int or a float), not " +
                       type_name(object));
}

std::vector<Value> values_from(py::handle sequence, const std::string& what) {
  py::iterator items;
  try {
    items = py::iter(sequence);
  } catch (py::error_already_set& error) {
    if (!error.matches(PyExc_TypeError)) throw;
    throw py::type_error(what + " must be a list of Values or numbers, not a " +
                         type_name(sequence));
  }
  std::vector<Value> values;
  const Py_ssize_t size = PyObject_LengthHint(sequence.ptr(), 0);
  if (size < 0) throw py::error_already_set();  // its __len__ or __length_hint__ raised
  values.reserve(static_cast<std::size_t>(size));
  for (py::handle item : items) {
    py::detail::make_caster<Value> caster;
    if (!caster.load(item, true))
      throw py::type_error(what + ": item " + std::to_string(values.size()) + " is a " +
                           type_name(item) + ", not a Value or a number");
    values.push_back(py::detail::cast_op<Value&>(caster));
  }
  return values;
}

}  // namespace micrograd::python

namespace pybind11::detail {

const type_info& value_type_info() {
  // First used after bind_value() has registered the class (no Value crosses before).
  static const type_info* const info = get_type_info(typeid(micrograd::Node), true);
  return *info;
}

}  // namespace pybind11::detail
