// Checks of grad_fns that name the mistake, for the tests of chapters 2 and 3 (and the blame
// checks the checker runs when a later exercise fails).
//
// A grad_fn is checked the way backward() will use it: out.grad is not 1, and every input already
// holds gradient from another op that uses it. Each common mistake then gives a number of its
// own: `=` for `+=` loses what was there, a forgotten out.grad leaves the local derivative alone,
// a sign error subtracts it. expect_grad_fn says which one it saw.
//
// backward_by_hand runs grad_fns in reverse topological order with the tests' own sort, so that
// compositions of ops can be checked against finite differences before chapter 4 exists.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/graph.hpp"
#include "engine/value.hpp"

namespace micrograd::chain_rule {

constexpr double kOutGrad = 2.5;  // d(root)/d(out) in expect_grad_fn: anything but 1

// One input of an op: its number, and the op's local derivative d(out)/d(input) there.
struct Input {
  double data;
  double local;
};

inline bool close(double actual, double expected) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  return std::abs(actual - expected) <= 1e-12 * std::max(1.0, std::abs(expected));
}

// A number as a student reads it: 0.5, not std::to_string's 0.500000.
inline std::string number(double value) {
  std::ostringstream text;
  text.precision(12);
  text << value;
  return text.str();
}

// The likely mistake behind `actual` when an input held `before` and should have received
// local * kOutGrad on top of it.
inline std::string likely_mistake(double actual, double before, double local) {
  const double share = local * kOutGrad;
  if (close(actual, share)) {
    return "the grad was assigned (=) instead of added to (+=): the " + number(before) +
           " this input already held, from another op that uses it, is lost";
  }
  if (close(actual, before + local)) {
    return "out.grad was not multiplied in: by the chain rule an input receives local derivative "
           "x out.grad, not the local derivative alone";
  }
  if (close(actual, local)) {
    return "the grad was assigned (=) instead of added to (+=), and out.grad was not multiplied in";
  }
  if (close(actual, before - share)) return "the sign is wrong";
  if (close(actual, before)) return "nothing was passed back to this input";
  return "the local derivative is wrong";
}

// Makes the inputs, runs op on them, and checks its grad_fn: with out.grad = kOutGrad, input i,
// which already holds 0.5 + i, must end at 0.5 + i + local_i * kOutGrad. `exercise` and `what`
// ("2.5 \"power backward\"", "y = x^3") go into the message, with `rule` (the derivative in
// words: "dy/dx = 3 x^2").
inline void expect_grad_fn(const std::string& exercise, const std::string& what,
                           const std::string& rule,
                           const std::function<Value(const std::vector<Value>&)>& op,
                           const std::vector<Input>& inputs) {
  static const char* const kNames[] = {"a", "b", "c", "d"};
  std::vector<Value> values;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    values.emplace_back(inputs[i].data);
    values.back().grad() = 0.5 + static_cast<double>(i);
  }
  Value out = op(values);
  out.grad() = kOutGrad;
  run_grad_fn(out);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double before = 0.5 + static_cast<double>(i);
    const double expected = before + inputs[i].local * kOutGrad;
    const double actual = values[i].grad();
    if (close(actual, expected)) continue;
    std::ostringstream message;
    message.precision(12);
    const std::string name = inputs.size() == 1 ? "x" : kNames[i];
    message << "Exercise " << exercise << ": in " << what << ", " << name << ".grad is " << actual
            << ", expected " << expected << " (the " << before << " it already held + "
            << inputs[i].local << " x out.grad " << kOutGrad << ", where " << rule
            << "): " << likely_mistake(actual, before, inputs[i].local) << ".";
    ADD_FAILURE() << message.str();
  }
}

// Every node reachable from root, inputs first (the tests' own sort: iterative, each node once).
inline std::vector<Value> nodes_in_topological_order(const Value& root) {
  std::vector<Value> order;
  std::unordered_set<const Node*> visited;
  std::vector<std::pair<Value, bool>> stack = {{root, false}};
  while (!stack.empty()) {
    auto [value, inputs_done] = stack.back();
    stack.pop_back();
    if (inputs_done) {
      order.push_back(value);
      continue;
    }
    if (!visited.insert(&value.node()).second) continue;
    stack.emplace_back(value, true);
    for (const Value& parent : value.parents()) {
      if (!visited.count(&parent.node())) stack.emplace_back(parent, false);
    }
  }
  return order;
}

// backward() written with the tests' own sort, for chapters 2 and 3 (before chapter 4 exists).
// Leaves' grads are set to 0 first.
inline void backward_by_hand(const Value& root) {
  const std::vector<Value> order = nodes_in_topological_order(root);
  for (const Value& value : order) value.grad() = 0.0;
  root.grad() = 1.0;
  for (auto it = order.rbegin(); it != order.rend(); ++it) run_grad_fn(*it);
}

// The ops a random composition may use. Each keeps its inputs in a range where it and its
// derivative are smooth: log and pow read squares plus one, division divides by one.
enum class Op { add, mul, neg, sub, pow, div, exp, log, tanh, relu, sigmoid, abs };

inline Value apply_op(Op op, const Value& a, const Value& b) {
  switch (op) {
    case Op::add:
      return a + b;
    case Op::mul:
      return a * b;
    case Op::neg:
      return -a;
    case Op::sub:
      return a - b;
    case Op::pow:
      return (a * a + 1.0).pow(1.5);
    case Op::div:
      return a / (b * b + 1.0);
    case Op::exp:
      return (a * 0.5).exp();
    case Op::log:
      return (a * a + 1.0).log();
    case Op::tanh:
      return a.tanh();
    case Op::relu:
      return (a + 0.25).relu();  // away from the kink at 0 for these inputs
    case Op::sigmoid:
      return a.sigmoid();
    case Op::abs:
      return (a - 0.25).abs();  // away from the kink at 0 for these inputs
  }
  return a;
}

// A random expression of the leaves built from `ops`, the same one for the same seed: each step
// combines two earlier values (leaves or results) into a new one; the root is the last result.
inline Value random_composition(std::uint64_t seed, const std::vector<Op>& ops,
                                const std::vector<Value>& leaves, int steps = 12) {
  std::mt19937_64 generator(seed);  // raw draws only: the same numbers on every platform
  std::vector<Value> pool = leaves;
  for (int step = 0; step < steps; ++step) {
    const Op op = ops[generator() % ops.size()];
    const Value& a = pool[generator() % pool.size()];
    const Value& b = pool[generator() % pool.size()];
    pool.push_back(apply_op(op, a, b));
  }
  return pool.back();
}

// Checks d(root)/d(leaf), from `backward` (backward_by_hand or the engine's), against central
// finite differences for 20 random compositions of `ops` over three leaves.
inline void expect_compositions_match_finite_differences(
    const std::string& exercise, const std::vector<Op>& ops,
    const std::function<void(const Value&)>& backward) {
  const std::vector<double> point = {0.7, -1.3, 0.4};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<Value> leaves(point.begin(), point.end());
    const Value root = random_composition(seed, ops, leaves);
    backward(root);
    for (std::size_t i = 0; i < point.size(); ++i) {
      const double h = 1e-6;
      std::vector<Value> up(point.begin(), point.end()), down(point.begin(), point.end());
      up[i].data() += h;
      down[i].data() -= h;
      const double numeric =
          (random_composition(seed, ops, up).data() - random_composition(seed, ops, down).data()) /
          (2 * h);
      const double analytic = leaves[i].grad();
      EXPECT_NEAR(analytic, numeric, 1e-5 * std::max(1.0, std::abs(numeric)))
          << "Exercise " << exercise << ": in random expression number " << seed
          << ", d(root)/d(leaf " << i << ") from the grad_fns is " << analytic
          << " but finite differences give " << numeric
          << ": some op's backward (chapters 2 and 3) is wrong on a graph in which values feed "
             "several ops. Its own exercise's tests may say which.";
    }
  }
}

}  // namespace micrograd::chain_rule
