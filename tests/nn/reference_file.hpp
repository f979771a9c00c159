// Reads the PyTorch reference files tests/reference/nn_*.txt (format: nn_conv_reference.py), and
// compares numbers with a message a student can act on.
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
#include <vector>

namespace micrograd::nn::test_data {

struct ReferenceTensor {
  std::vector<std::size_t> shape;
  std::vector<double> data;
};

struct ReferenceCase {
  std::string kind;
  std::map<std::string, std::string> settings;
  std::map<std::string, ReferenceTensor> tensors;
  std::string where;  // "nn_conv.txt:2: conv2d stride=1 padding=0", for messages

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
      for (std::string setting; fields >> setting;) {
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

// |expected - actual| <= tolerance * max(1, |expected|) for every element; on failure the message
// gives the first few mismatches with their index, and `hint`.
inline ::testing::AssertionResult all_close(const std::vector<double>& expected,
                                            const std::vector<double>& actual, double tolerance,
                                            const std::string& what, const std::string& hint = "") {
  if (expected.size() != actual.size()) {
    return ::testing::AssertionFailure() << what << ": expected " << expected.size()
                                         << " numbers, got " << actual.size() << ". " << hint;
  }
  std::ostringstream mismatches;
  mismatches.precision(17);
  int count = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double scale = std::max(1.0, std::abs(expected[i]));
    const bool close = std::abs(expected[i] - actual[i]) <= tolerance * scale ||
                       (expected[i] == actual[i]);  // infinities
    if (!close) {
      if (count < 5) {
        mismatches << "\n  [" << i << "] expected " << expected[i] << ", actual " << actual[i];
      }
      ++count;
    }
  }
  if (count == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << what << ": " << count << " of " << expected.size() << " numbers differ (tolerance "
         << tolerance << ")" << mismatches.str() << (hint.empty() ? "" : "\n  hint: ") << hint;
}

}  // namespace micrograd::nn::test_data
