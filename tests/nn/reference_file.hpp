// Reads the PyTorch reference files tests/reference/nn_*.txt (format: nn_conv_reference.py), and
// compares numbers with a message a student can act on (close_to).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/failure_messages.hpp"

namespace micrograd::nn::test_data {

struct ReferenceTensor {
  std::vector<std::size_t> shape;
  std::vector<double> data;
};

struct ReferenceCase {
  std::string kind;
  std::map<std::string, std::string> settings;
  std::map<std::string, ReferenceTensor> tensors;
  std::string where;     // "nn_conv.txt:2: case conv2d stride=1 padding=0", for messages
  std::string title;     // "conv2d stride=1 padding=0"
  std::string location;  // "tests/reference/nn_conv.txt:2"

  const ReferenceTensor& tensor(const std::string& name) const {
    const auto found = tensors.find(name);
    if (found == tensors.end()) throw std::runtime_error(where + ": no tensor '" + name + "'");
    return found->second;
  }
  double number(const std::string& key) const {
    const auto found = settings.find(key);
    if (found == settings.end()) throw std::runtime_error(where + ": no setting '" + key + "'");
    return std::stod(found->second);
  }
  std::size_t size(const std::string& key) const { return static_cast<std::size_t>(number(key)); }
};

inline double parse_number(const std::string& text, const std::string& where) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error(where + ": '" + text + "' is not a number");
  }
  return value;
}

// Every case of tests/reference/<file_name>. Throws std::runtime_error, naming the line, if the
// file is missing or does not follow the format.
inline std::vector<ReferenceCase> read_reference_cases(const std::string& file_name) {
  const std::string path = std::string(MICROGRAD_TEST_DATA_DIR) + "/" + file_name;
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot open " + path + "; regenerate it (tests/reference/README.md)");
  std::vector<ReferenceCase> cases;
  bool inside = false;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const std::string where = file_name + ":" + std::to_string(number);
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string head;
    fields >> head;
    if (head == "case") {
      if (inside) throw std::runtime_error(where + ": 'case' inside an unfinished case");
      inside = true;
      ReferenceCase next;
      fields >> next.kind;
      next.where = where + ": " + line;
      next.title = next.kind;
      next.location = "tests/reference/" + where;
      for (std::string setting; fields >> setting;) {
        next.title += " " + setting;
        const std::size_t equals = setting.find('=');
        if (equals == std::string::npos)
          throw std::runtime_error(where + ": bad setting " + setting);
        next.settings[setting.substr(0, equals)] = setting.substr(equals + 1);
      }
      cases.push_back(std::move(next));
    } else if (head == "end") {
      if (!inside) throw std::runtime_error(where + ": 'end' without 'case'");
      inside = false;
    } else {
      if (!inside) throw std::runtime_error(where + ": a tensor outside a case");
      ReferenceTensor tensor;
      std::size_t rank = 0;
      fields >> rank;
      tensor.shape.resize(rank);
      for (std::size_t& size : tensor.shape) fields >> size;
      std::string colon;
      fields >> colon;
      if (!fields || colon != ":")
        throw std::runtime_error(where + ": expected '<name> <rank> <sizes> :'");
      for (std::string text; fields >> text;) tensor.data.push_back(parse_number(text, where));
      std::size_t count = 1;
      for (std::size_t size : tensor.shape) count *= size;
      if (tensor.data.size() != count) {
        throw std::runtime_error(where + ": " + head + " should hold " + std::to_string(count) +
                                 " numbers, holds " + std::to_string(tensor.data.size()));
      }
      cases.back().tensors[head] = std::move(tensor);
    }
  }
  if (inside) throw std::runtime_error(file_name + ": the last case has no 'end' (a cut file?)");
  return cases;
}

// The index of element `flat` of a row-major tensor of `shape`, as C++ reads it: "[1][0][2]"
// ("" for a scalar).
inline std::string element_index(const std::vector<std::size_t>& shape, std::size_t flat) {
  std::string text;
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    const std::size_t size = std::max<std::size_t>(shape[axis], 1);
    text = "[" + std::to_string(flat % size) + "]" + text;
    flat /= size;
  }
  return text;
}

// `name` with an element's index: "output" gives "output[0][1][2]", and a "[]" in the name marks
// the place, "input[].grad()" giving "input[0][1][2].grad()".
inline std::string element_name(const std::string& name, const std::string& index) {
  const std::size_t place = name.find("[]");
  if (place == std::string::npos) return name + index;
  return name.substr(0, place) + index + name.substr(place + 2);
}

// A predicate-formatter that compares numbers with a tensor of a reference case, element by
// element: |expected - actual| <= tolerance * max(1, |expected|) (equal infinities pass, and so
// does NaN where PyTorch has NaN). Used as
//   EXPECT_PRED_FORMAT2(close_to(kTolerance, "output", c, hint), out.data(), c.tensor("output"));
// it fails with the first difference, where it is, and why the numbers should agree:
//   output[0][1][2] is 3.5, expected 4.25 (9 of 9 numbers differ, tolerance 1e-12; PyTorch's
//   conv2d stride=1 padding=0, tests/reference/nn_conv.txt:2): <hint>
// and a second line with the next few differences.
class CloseTo {
 public:
  CloseTo(double tolerance, std::string name, const ReferenceCase& c, std::string hint)
      : tolerance_(tolerance), name_(std::move(name)), case_(&c), hint_(std::move(hint)) {}

  ::testing::AssertionResult operator()(const char*, const char*, const std::vector<double>& actual,
                                        const ReferenceTensor& expected) const {
    const std::string why = hint_.empty() ? "" : ": " + hint_;
    if (expected.data.size() != actual.size()) {
      return ::testing::AssertionFailure()
             << element_name(name_, "") << " holds " << actual.size() << " numbers, expected "
             << expected.data.size() << " (" << source() << ")" << why;
    }
    std::vector<std::size_t> differ;
    for (std::size_t i = 0; i < actual.size(); ++i) {
      const double scale = std::max(1.0, std::abs(expected.data[i]));
      const bool close = std::abs(expected.data[i] - actual[i]) <= tolerance_ * scale ||
                         expected.data[i] == actual[i] ||  // infinities
                         (std::isnan(expected.data[i]) && std::isnan(actual[i]));
      if (!close) differ.push_back(i);
    }
    if (differ.empty()) return ::testing::AssertionSuccess();
    const auto told = [&](std::size_t i) {
      return element_name(name_, element_index(expected.shape, i)) + " is " +
             messages::number(actual[i]);
    };
    ::testing::AssertionResult failure = ::testing::AssertionFailure();
    failure << told(differ[0]) << ", expected " << messages::number(expected.data[differ[0]])
            << " (";
    if (actual.size() > 1)
      failure << differ.size() << " of " << actual.size() << " numbers differ, ";
    failure << "tolerance " << messages::number(tolerance_) << "; " << source() << ")" << why;
    constexpr std::size_t kMore = 3;
    for (std::size_t k = 1; k < differ.size() && k <= kMore; ++k) {
      failure << (k == 1 ? "\nalso " : ", ") << told(differ[k]) << " (expected "
              << messages::number(expected.data[differ[k]]) << ")";
    }
    if (differ.size() > kMore + 1) failure << ", ...";
    return failure;
  }

 private:
  std::string source() const { return "PyTorch's " + case_->title + ", " + case_->location; }

  double tolerance_;
  std::string name_;
  const ReferenceCase* case_;
  std::string hint_;
};

inline CloseTo close_to(double tolerance, std::string name, const ReferenceCase& c,
                        std::string hint = "") {
  return CloseTo(tolerance, std::move(name), c, std::move(hint));
}

}  // namespace micrograd::nn::test_data
