// Your own op: a new operation on Values, defined outside the library by its forward value and its
// local derivatives, that works like the built-in ones (backward, gradcheck, anomaly mode, no-grad
// mode, printing and drawing).
//
// An op is a type with three static members:
//
//   struct Sinh {
//     static constexpr const char* name = "sinh";             // what graphs and messages show
//     static double forward(std::span<const double> x) {      // the inputs' numbers
//       return std::sinh(x[0]);
//     }
//     static void derivatives(std::span<const double> x, double out, std::span<double> local) {
//       local[0] = std::cosh(x[0]);                           // d out / d x[i], for every i
//     }
//   };
//   Value y = apply_op<Sinh>(x);                              // any number of inputs
//
// backward() then adds local[i] * out.grad to input i's grad, which is the chain rule every
// built-in op applies. The derivatives are computed during backward from the inputs' numbers and
// the output (`out`, handy where the derivative is best written with it, as e^x's), so the node
// stores nothing besides its parents. The op is stateless (static functions, no object), and the
// grad_fn is a plain function made from the type: nothing can capture the output, so an op of
// your own cannot make a reference cycle, exactly like the built-in ones.
//
// The type may also live inside the function that uses it; C++ allows no static data member in a
// class local to a function, so there `name` is a static function instead:
//
//   Value hyperbolic_sine(const Value& x) {
//     struct Sinh {
//       static const char* name() { return "sinh"; }
//       ...forward and derivatives as above...
//     };
//     return apply_op<Sinh>(x);
//   }
//
// Check a new op with gradcheck (engine/gradcheck.hpp): a wrong derivative shows there at once.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <vector>

#include "engine/value.hpp"

namespace micrograd {

// What apply_op needs of an op type (see above). A type that lacks a member fails to compile here,
// with the member named, rather than deep inside apply_op.
template <class Op>
concept OpDefinition = requires(std::span<const double> inputs, double out,
                                std::span<double> local) {
  requires(
      requires {
        { Op::name } -> std::convertible_to<const char*>;
      } ||
      requires {
        { Op::name() } -> std::convertible_to<const char*>;
      });
  { Op::forward(inputs) } -> std::convertible_to<double>;
  Op::derivatives(inputs, out, local);
};

namespace detail {
// The op's name, whether it is a static constant or (in a class local to a function) a static
// function. It must be a string that outlives the node, as a literal does.
template <class Op>
const char* op_name() {
  if constexpr (requires { Op::name(); }) {
    return Op::name();
  } else {
    return Op::name;
  }
}

// Runs `body` with the numbers of `node`'s parents and a zeroed span for their derivatives. Up to
// eight inputs live on the stack; more take a vector.
template <class Body>
void with_op_buffers(const Node& node, Body&& body) {
  const std::size_t count = node.parent_count;
  std::array<double, 16> small{};
  std::vector<double> large;
  double* memory = small.data();
  if (count > small.size() / 2) {
    large.resize(2 * count);
    memory = large.data();
  }
  for (std::size_t i = 0; i < count; ++i) memory[i] = node.parent(i).data;
  body(std::span<const double>(memory, count), std::span<double>(memory + count, count));
}

template <OpDefinition Op>
void custom_op_backward(Node& out) {
  with_op_buffers(out, [&out](std::span<const double> inputs, std::span<double> local) {
    Op::derivatives(inputs, out.data, local);
    for (std::size_t i = 0; i < inputs.size(); ++i) out.parent(i).grad += local[i] * out.grad;
  });
}
}  // namespace detail

// The op applied to these inputs: a new node with Op::forward's number, the inputs as parents in
// order, and a grad_fn that applies Op::derivatives by the chain rule. At least one input.
template <OpDefinition Op>
Value apply_op(std::span<const Value> inputs) {
  if (inputs.empty()) detail::throw_op_without_inputs(detail::op_name<Op>());
  std::vector<double> numbers;
  numbers.reserve(inputs.size());
  for (const Value& input : inputs) numbers.push_back(input.data());
  return Value::from_op(Op::forward(numbers), detail::op_name<Op>(), detail::custom_op_backward<Op>,
                        inputs);
}

// The same with the inputs listed: apply_op<Sinh>(x), apply_op<Hypot>(x, y).
template <OpDefinition Op, class... Inputs>
requires(sizeof...(Inputs) > 0 && (std::convertible_to<const Inputs&, Value> && ...)) Value
    apply_op(const Inputs&... inputs) {
  const std::array<Value, sizeof...(Inputs)> listed{Value(inputs)...};
  return apply_op<Op>(std::span<const Value>(listed));
}

}  // namespace micrograd
