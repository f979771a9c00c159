// Checks whose failure reads "X is A, expected B", for the tests the checker (./check) grades:
// where gtest would print "Value of: ... Actual: false", a pointer, or its remark on tolerances
// below a double's spacing, these say what was computed, its value and the value expected.
//
// Each is a predicate-formatter: EXPECT_PRED_FORMAT1/2/3 report its message and nothing else, and
// a reason streamed after it (<< "why") follows on the next line. Values are named by the test
// (NodeNames), numbers are printed as short as they read back exactly (0.1, not 0.10000000000000001).
#pragma once

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "engine/value.hpp"

namespace micrograd::messages {

// The shortest text that reads back as `value`: 0.1, 12, 1e-15, inf; any NaN is "nan" (its sign
// bit means nothing, and "-nan" only confuses).
inline std::string number(double value) {
  if (std::isnan(value)) return "nan";
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

// EXPECT_PRED_FORMAT3(near, actual, expected, tolerance): |actual - expected| <= tolerance, as
// EXPECT_NEAR, told as "x.grad() is 24, expected 12 (give or take 1e-15)" whatever the tolerance.
inline ::testing::AssertionResult near(const char* actual_text, const char*, const char*,
                                       double actual, double expected, double tolerance) {
  if (std::fabs(actual - expected) <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << actual_text << " is " << number(actual) << ", expected " << number(expected)
         << " (give or take " << number(tolerance) << ")";
}

// EXPECT_PRED_FORMAT2(same_number, actual, expected): exactly equal, infinities included (nan
// matches nan), told as "zero.grad() is nan, expected 0". For the special points (0, inf, nan)
// where PyTorch's number is exact and "give or take" would read oddly.
inline ::testing::AssertionResult same_number(const char* actual_text, const char*, double actual,
                                              double expected) {
  if (actual == expected || (std::isnan(actual) && std::isnan(expected))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << actual_text << " is " << number(actual) << ", expected " << number(expected);
}

// EXPECT_PRED_FORMAT1(is_finite, x): "right.data() is nan, expected a finite number".
inline ::testing::AssertionResult is_finite(const char* text, double value) {
  if (std::isfinite(value)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << text << " is " << number(value) << ", expected a finite number";
}

// EXPECT_PRED_FORMAT1(is_nan, x): "Value(-1.0).log().data() is 0, expected nan".
inline ::testing::AssertionResult is_nan(const char* text, double value) {
  if (std::isnan(value)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text << " is " << number(value) << ", expected nan";
}

// The name of a grad_fn of chapter 2, for messages: "add_backward", "none (a leaf's)".
inline std::string grad_fn_name(GradFn grad_fn) {
  const std::pair<GradFn, const char*> known[] = {
      {&add_backward, "add_backward"}, {&mul_backward, "mul_backward"},
      {&neg_backward, "neg_backward"}, {&sub_backward, "sub_backward"},
      {&pow_backward, "pow_backward"}, {&div_backward, "div_backward"}};
  if (grad_fn == nullptr) return "none (a leaf's)";
  for (const auto& [function, name] : known) {
    if (function == grad_fn) return name;
  }
  return "a function of its own (none of add_backward, mul_backward, neg_backward, sub_backward, "
         "pow_backward, div_backward)";
}

// EXPECT_PRED_FORMAT2(same_grad_fn, c.node().grad_fn, &add_backward):
// "c.node().grad_fn is mul_backward, expected add_backward".
inline ::testing::AssertionResult same_grad_fn(const char* actual_text, const char*, GradFn actual,
                                               GradFn expected) {
  if (actual == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << actual_text << " is " << grad_fn_name(actual)
                                       << ", expected " << grad_fn_name(expected);
}

inline const Node* node_of(const Value& value) {
  return &value.node();
}
inline const Node* node_of(const Node* node) {
  return node;
}

// The test's names for the nodes of its graph: {{"a", a}, {"b", b}, {"a*b", c}}. A node without a
// name is described by what it holds: "a leaf holding 2", "a \"*\" node holding 6".
class NodeNames {
 public:
  NodeNames() = default;
  NodeNames(std::initializer_list<std::pair<std::string, Value>> named) : named_(named) {}

  void add(std::string name, const Value& value) { named_.emplace_back(std::move(name), value); }

  bool has_name(const Node* node) const {
    for (const auto& [name, value] : named_) {
      if (&value.node() == node) return true;
    }
    return false;
  }

  std::string operator()(const Node* node) const {
    if (node == nullptr) return "a null pointer";
    for (const auto& [name, value] : named_) {
      if (&value.node() == node) return name;
    }
    if (node->is_leaf()) return "a leaf holding " + number(node->data);
    return "a \"" + std::string(node->op) + "\" node holding " + number(node->data);
  }
  std::string operator()(const Value& value) const { return (*this)(&value.node()); }

  // "[a, b, a*b]"; a long list ends with "... (2000001 in all)".
  template <typename NodeOrValue>
  std::string operator()(const std::vector<NodeOrValue>& nodes) const {
    constexpr std::size_t kShown = 12;
    std::string text = "[";
    for (std::size_t i = 0; i < nodes.size() && i < kShown; ++i) {
      text += (i > 0 ? ", " : "") + (*this)(node_of(nodes[i]));
    }
    if (nodes.size() > kShown) text += ", ... (" + std::to_string(nodes.size()) + " in all)";
    return text + "]";
  }

 private:
  std::vector<std::pair<std::string, Value>> named_;
};

// A predicate-formatter for EXPECT_PRED_FORMAT2(same_node(names), actual, expected), for Values
// and Node pointers: "c.parents()[0] is b, expected a". `label` replaces the text of `actual`
// ("parameters()[3]" where the test wrote params[index]).
inline auto same_node(const NodeNames& names, std::string label = "") {
  return [&names, label](const char* actual_text, const char*, const auto& actual,
                         const auto& expected) -> ::testing::AssertionResult {
    const Node* got = node_of(actual);
    const Node* wanted = node_of(expected);
    if (got == wanted) return ::testing::AssertionSuccess();
    std::string what = names(got);
    if (got != nullptr && wanted != nullptr && !names.has_name(got) && got->data == wanted->data) {
      what = std::string(got->is_leaf() ? "a new leaf" : "a new node") +
             " holding the same number as " + names(wanted) + " (" + number(got->data) + ")";
    }
    return ::testing::AssertionFailure() << (label.empty() ? std::string(actual_text) : label)
                                         << " is " << what << ", expected " << names(wanted);
  };
}

}  // namespace micrograd::messages
