// How a micrograd::Value crosses between C++ and Python.
//
// The Python class `Value` is bound on the node itself (micrograd::Node, held by the same
// std::shared_ptr a Value holds), not on the Value handle. pybind11 keeps one Python object per
// C++ object it has handed out, so every Python reference to a node is the same Python object:
// `a * a` has one parent in `_prev`, `model.parameters()[0] is model.layers[0].neurons[0].w[0]`,
// and drawing code that keys its nodes by `id(v)` (micrograd's trace_graph.ipynb) sees each node
// once, as with micrograd's own Values.
//
// This caster lets binding code take and return plain micrograd::Value: a Value argument accepts
// a Python Value or, where pybind11 allows conversions (its second pass over the overloads), a
// real number, which becomes a new leaf as micrograd's `other if isinstance(other, Value) else
// Value(other)` does. So `2 * x`, `sum(values)` (which starts from the int 0) and `model([1.0,
// 2.0])` work, and an operator given anything else returns NotImplemented, so Python raises its
// usual TypeError.
#pragma once

#include <pybind11/pybind11.h>

#include <micrograd/engine/value.hpp>

#include <memory>
#include <optional>
#include <string>

namespace micrograd::python {

// The number `object` stands for, if it is a real number: a float, an int (bool included), or
// anything Python can turn into a float (numpy's scalars, Fraction, Decimal). Nothing else: a
// string is not a number here, though float("2") would accept it.
std::optional<double> real_number(pybind11::handle object);

// The name of `object`'s type, for messages: "str", "NoneType", "Value".
std::string type_name(pybind11::handle object);

// real_number, or a TypeError naming `what` (e.g. "Value.data") and the type that was given.
// (`what` is a literal: a std::string built per number cost an allocation per pixel of an image.)
double require_real_number(pybind11::handle object, const char* what);

}  // namespace micrograd::python

namespace pybind11::detail {

// pybind11's record of the Python class Value, looked up once: the generic casters look it up by
// type name on every conversion, which was a fifth of the time of `a + b`.
const type_info& value_type_info();

template <>
struct type_caster<micrograd::Value> {
 public:
  static constexpr auto name = const_name("Value");

  bool load(handle source, bool convert) {
    const type_info& value_type = value_type_info();
    if (PyObject_TypeCheck(source.ptr(), value_type.type)) {
      value_and_holder node =
          reinterpret_cast<instance*>(source.ptr())->get_value_and_holder(&value_type);
      // A Python subclass of Value whose __init__ did not call Value.__init__ has no node.
      if (!node.holder_constructed()) return false;
      value.emplace(node.holder<std::shared_ptr<micrograd::Node>>());
      return true;
    }
    if (!convert) return false;
    const std::optional<double> number = micrograd::python::real_number(source);
    if (!number) return false;
    value.emplace(*number);
    return true;
  }

  // The node's Python object: the existing one if Python still holds it, else a new one that
  // shares the node.
  static handle cast(const micrograd::Value& source, return_value_policy, handle) {
    return type_caster_generic::cast(&source.node(), return_value_policy::take_ownership, handle(),
                                     &value_type_info(), nullptr, nullptr, &source.node_ptr());
  }

  template <typename T>
  using cast_op_type = pybind11::detail::cast_op_type<T>;
  explicit operator micrograd::Value*() { return &*value; }
  explicit operator micrograd::Value&() { return *value; }

 private:
  // Empty until load() succeeds: a default Value would allocate a node for nothing.
  std::optional<micrograd::Value> value;
};

}  // namespace pybind11::detail
