// Tests of engine/value.hpp against PyTorch: a few hundred random expression graphs, each rebuilt
// with Value, run through backward() and compared with PyTorch's root value and leaf gradients.
//
// The graphs come from tests/reference/make_engine_reference.py (its docstring gives the file
// format). They reuse nodes (x * x, a subexpression feeding several ops, an intermediate used
// twice), so they check gradient accumulation and the order backward() walks the graph, not only
// each op's derivative, which value_test.cpp checks by hand. The script keeps only graphs that do
// not amplify rounding, so two correct float64 engines agree to far better than the 1e-9 here.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include "engine/failure_messages.hpp"
#include "engine/value.hpp"

namespace micrograd {
namespace {

constexpr double kRelativeTolerance = 1e-9;
// Only so that an expected exact 0 (a leaf behind a dead relu) accepts an actual 0.
constexpr double kAbsoluteFloor = 1e-300;
// The committed file holds 300; fewer than this means it was cut short.
constexpr int kMinimumGraphs = 200;
// Enough graphs that every op meets every other in a few hundred shapes, in about a second.
constexpr int kFreshGraphs = 300;
// A broken op fails nearly every graph; the first few mismatches say all there is to say.
constexpr int kMaxReportedMismatches = 20;

constexpr std::string_view kCommittedGraphs = MICROGRAD_TEST_DATA_DIR "/engine_graphs.txt";
constexpr std::string_view kGenerator =
    MICROGRAD_SOURCE_DIR "/tests/reference/make_engine_reference.py";
constexpr std::string_view kPython = "/usr/bin/python3";  // Debian's, the one with torch

struct ReplaySummary {
  int graphs = 0;
  int comparisons = 0;
  double largest_relative_error = 0.0;
};

// The file does not follow the format: a bug in the generator, or a damaged file.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

double relative_error(double expected, double actual) {
  if (expected == actual) return 0.0;
  return std::abs(expected - actual) / std::max(std::abs(expected), std::abs(actual));
}

bool close_enough(double expected, double actual) {
  const double scale = std::max(std::abs(expected), std::abs(actual));
  return std::abs(expected - actual) <= std::max(kRelativeTolerance * scale, kAbsoluteFloor);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const std::size_t end = std::min(line.find(' '), line.size());
    fields.push_back(line.substr(0, end));
    line.remove_prefix(end);
  }
  return fields;
}

// std::from_chars reads the shortest round-trip decimal that Python's repr() writes back into
// exactly the same double, independent of the locale.
double parse_number(std::string_view text) {
  double number = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw FormatError("expected a number, got \"" + std::string(text) + "\"");
  }
  return number;
}

std::size_t parse_count(std::string_view text) {
  std::size_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw FormatError("expected a non-negative integer, got \"" + std::string(text) + "\"");
  }
  return count;
}

void expect_fields(const std::vector<std::string_view>& fields, std::size_t count,
                   std::string_view shape) {
  if (fields.size() != count) {
    throw FormatError("expected \"" + std::string(shape) + "\" (" + std::to_string(count) +
                      " fields), got " + std::to_string(fields.size()) + " fields");
  }
}

// An op's input: a node of the graph, or a constant written c:<number>.
using Operand = std::variant<Value, double>;

Value apply_binary(std::string_view name, const Operand& a, const Operand& b) {
  if (std::holds_alternative<double>(a) && std::holds_alternative<double>(b)) {
    throw FormatError(std::string(name) + " of two constants: at least one input must be a node");
  }
  // Each combination spells the op as user code does: a + b, a * 2.0, 2.0 - a.
  return std::visit(
      [name](const auto& x, const auto& y) -> Value {
        if (name == "add") return x + y;
        if (name == "sub") return x - y;
        if (name == "mul") return x * y;
        if (name == "div") return x / y;
        throw FormatError("unknown binary op \"" + std::string(name) + "\"");
      },
      a, b);
}

Value apply_unary(std::string_view name, const Value& x) {
  if (name == "neg") return -x;
  if (name == "exp") return x.exp();
  if (name == "log") return x.log();
  if (name == "tanh") return x.tanh();
  if (name == "relu") return x.relu();
  if (name == "sigmoid") return x.sigmoid();
  if (name == "abs") return x.abs();
  throw FormatError("unknown op \"" + std::string(name) + "\"");
}

// One graph of the file while it is being read.
struct OpenGraph {
  std::size_t index = 0;
  std::size_t leaf_count = 0;
  std::size_t node_count = 0;
  int first_line = 0;
  std::vector<Value> nodes;
  bool backward_done = false;
  bool value_checked = false;
  std::vector<bool> grad_checked;

  Operand operand(std::string_view text) const {
    if (text.starts_with("c:")) return parse_number(text.substr(2));
    const std::size_t id = parse_count(text);
    if (id >= nodes.size()) {
      throw FormatError("node " + std::to_string(id) + " is used before it is defined");
    }
    return nodes[id];
  }

  Value build_op(const std::vector<std::string_view>& fields) const {
    const std::string_view name = fields[2];
    const bool binary = name == "add" || name == "sub" || name == "mul" || name == "div";
    if (binary || name == "pow") {
      expect_fields(fields, 5, "op <id> <name> <arg> <arg>");
    } else {
      expect_fields(fields, 4, "op <id> <name> <arg>");
    }
    const Operand x = operand(fields[3]);
    if (binary) return apply_binary(name, x, operand(fields[4]));
    if (!std::holds_alternative<Value>(x)) {
      throw FormatError(std::string(name) + " of a constant: its input must be a node");
    }
    if (name == "pow") {
      const Operand exponent = operand(fields[4]);
      if (!std::holds_alternative<double>(exponent)) {
        throw FormatError("pow's exponent must be a constant c:<number>");
      }
      return std::get<Value>(x).pow(std::get<double>(exponent));
    }
    return apply_unary(name, std::get<Value>(x));
  }
};

// Reads the reference file, replays every graph with Value and compares it with PyTorch's numbers.
// Mismatches and format errors are reported as non-fatal gtest failures that name the graph, the
// leaf and the line; the caller checks how many graphs were read.
ReplaySummary replay_and_compare(const std::filesystem::path& path) {
  ReplaySummary summary;
  std::ifstream file(path);
  if (!file) {
    ADD_FAILURE() << "cannot open " << path << ": it is made by make_engine_reference.py";
    return summary;
  }

  int mismatches = 0;
  auto compare = [&](const OpenGraph& open, std::string_view what, double expected, double actual,
                     int expected_line) {
    ++summary.comparisons;
    const double error = relative_error(expected, actual);
    summary.largest_relative_error = std::max(summary.largest_relative_error, error);
    if (close_enough(expected, actual)) return;
    if (++mismatches > kMaxReportedMismatches) return;
    ADD_FAILURE() << std::setprecision(17) << "graph " << open.index << ", " << what << ": Value "
                  << "computes " << actual << " but PyTorch says " << expected
                  << " (relative error " << std::setprecision(3) << error << ", tolerance "
                  << kRelativeTolerance << ").\n  The graph is at " << path.string() << ":"
                  << open.first_line << "; the expected number is at line " << expected_line << ".";
  };

  std::optional<std::size_t> declared_graphs;
  std::optional<OpenGraph> graph;
  std::string line;
  int line_number = 0;
  try {
    while (std::getline(file, line)) {
      ++line_number;
      const std::vector<std::string_view> fields = split_fields(line);
      if (fields.empty() || fields[0].starts_with('#')) continue;
      const std::string_view record = fields[0];

      if (!declared_graphs) {
        if (record != "graphs") throw FormatError("the first record must be \"graphs <count>\"");
        expect_fields(fields, 2, "graphs <count>");
        declared_graphs = parse_count(fields[1]);
      } else if (record == "graph") {
        if (graph) throw FormatError("graph " + std::to_string(graph->index) + " has no \"end\"");
        expect_fields(fields, 4, "graph <index> <leaf_count> <node_count>");
        graph.emplace();
        graph->index = parse_count(fields[1]);
        graph->leaf_count = parse_count(fields[2]);
        graph->node_count = parse_count(fields[3]);
        graph->first_line = line_number;
        if (graph->index != static_cast<std::size_t>(summary.graphs)) {
          throw FormatError("graphs must be numbered 0, 1, 2, ...: expected graph " +
                            std::to_string(summary.graphs));
        }
        if (graph->leaf_count == 0 || graph->node_count <= graph->leaf_count) {
          throw FormatError("a graph needs at least one leaf and one op");
        }
        graph->grad_checked.assign(graph->leaf_count, false);
      } else if (!graph) {
        throw FormatError("\"" + std::string(record) + "\" outside a graph");
      } else if (record == "leaf" || record == "op") {
        if (graph->backward_done) throw FormatError("a node after \"root\"");
        if (fields.size() < 3)
          throw FormatError("expected \"leaf <id> <value>\" or \"op <id> ...\"");
        const std::size_t id = parse_count(fields[1]);
        if (id != graph->nodes.size()) {
          throw FormatError("nodes must be numbered 0, 1, 2, ...: expected node " +
                            std::to_string(graph->nodes.size()));
        }
        const bool is_leaf_id = id < graph->leaf_count;
        if (record == "leaf") {
          expect_fields(fields, 3, "leaf <id> <value>");
          if (!is_leaf_id) throw FormatError("more leaves than the graph's leaf_count");
          graph->nodes.emplace_back(parse_number(fields[2]));
        } else {
          if (is_leaf_id) throw FormatError("an op among the leaves: leaves come first");
          if (id >= graph->node_count) throw FormatError("more nodes than the graph's node_count");
          graph->nodes.push_back(graph->build_op(fields));
        }
      } else if (record == "root") {
        expect_fields(fields, 2, "root <id>");
        if (graph->nodes.size() != graph->node_count) {
          throw FormatError("\"root\" before all " + std::to_string(graph->node_count) +
                            " nodes are defined");
        }
        if (parse_count(fields[1]) != graph->node_count - 1) {
          throw FormatError("the root must be the last node");
        }
        graph->nodes.back().backward();
        graph->backward_done = true;
      } else if (record == "value") {
        expect_fields(fields, 2, "value <expected>");
        if (!graph->backward_done) throw FormatError("\"value\" before \"root\"");
        compare(*graph, "root value", parse_number(fields[1]), graph->nodes.back().data(),
                line_number);
        graph->value_checked = true;
      } else if (record == "grad") {
        expect_fields(fields, 3, "grad <leaf_id> <expected>");
        if (!graph->backward_done) throw FormatError("\"grad\" before \"root\"");
        const std::size_t leaf = parse_count(fields[1]);
        if (leaf >= graph->leaf_count || graph->grad_checked[leaf]) {
          throw FormatError("\"grad " + std::to_string(leaf) + "\" is not a leaf, or is repeated");
        }
        compare(*graph, "leaf " + std::to_string(leaf) + " gradient d(root)/d(leaf)",
                parse_number(fields[2]), graph->nodes[leaf].grad(), line_number);
        graph->grad_checked[leaf] = true;
      } else if (record == "end") {
        const auto& checked = graph->grad_checked;
        if (!graph->value_checked ||
            std::find(checked.begin(), checked.end(), false) != checked.end()) {
          throw FormatError("graph " + std::to_string(graph->index) +
                            " ends without its value and a gradient for every leaf");
        }
        graph.reset();
        ++summary.graphs;
      } else {
        throw FormatError("unknown record \"" + std::string(record) + "\"");
      }
    }
    if (graph) {
      throw FormatError("the file ends inside graph " + std::to_string(graph->index) +
                        ": it was cut short");
    }
    if (!declared_graphs) throw FormatError("no \"graphs <count>\" record: the file is empty");
    if (*declared_graphs != static_cast<std::size_t>(summary.graphs)) {
      throw FormatError("the file declares " + std::to_string(*declared_graphs) +
                        " graphs but holds " + std::to_string(summary.graphs) +
                        ": it was cut short");
    }
  } catch (const FormatError& error) {
    ADD_FAILURE() << path.string() << ":" << line_number << ": " << error.what()
                  << ". Regenerate the file with make_engine_reference.py (see "
                     "tests/reference/README.md).";
  }
  if (mismatches > kMaxReportedMismatches) {
    ADD_FAILURE() << "... and " << mismatches - kMaxReportedMismatches
                  << " more mismatches against PyTorch";
  }
  return summary;
}

// ---- Special points -----------------------------------------------------------------------------
// Every op at 0, +-1, +-inf and nan (tests/reference/engine_special_points.txt, from
// make_special_points_reference.py): the value and each input's gradient must be PyTorch's
// exactly, a nan where PyTorch has a nan and nowhere else.

constexpr std::string_view kSpecialPoints = MICROGRAD_TEST_DATA_DIR "/engine_special_points.txt";
// The committed file holds 233 cases (every op at every point); fewer means it was cut short.
constexpr int kMinimumSpecialPoints = 200;

bool same_number(double expected, double actual) {
  return expected == actual || (std::isnan(expected) && std::isnan(actual));
}

// One line "<op> <input>... : <value> <gradient>...": builds the op on fresh leaves, runs
// backward() and returns what differs from PyTorch's numbers ("" when nothing does).
std::string compare_special_point(const std::vector<std::string_view>& fields) {
  const auto colon = std::find(fields.begin(), fields.end(), ":");
  if (fields.empty() || colon == fields.end()) {
    throw FormatError("expected \"<op> <input>... : <value> <gradient>...\"");
  }
  const std::string_view name = fields[0];
  std::vector<Value> inputs;
  for (auto field = fields.begin() + 1; field != colon; ++field) {
    inputs.emplace_back(parse_number(*field));
  }
  const bool binary = name == "add" || name == "sub" || name == "mul" || name == "div";
  if (inputs.size() != (binary ? 2u : 1u) ||
      static_cast<std::size_t>(fields.end() - colon) != inputs.size() + 2) {
    throw FormatError("expected the op's inputs, ':', its value and one gradient per input");
  }
  Value out = binary                     ? apply_binary(name, inputs[0], inputs[1])
              : name.starts_with("pow:") ? inputs[0].pow(parse_number(name.substr(4)))
                                         : apply_unary(name, inputs[0]);
  out.backward();
  std::ostringstream differences;
  const auto check = [&](std::string_view what, std::string_view expected_text, double actual) {
    const double expected = parse_number(expected_text);
    if (!same_number(expected, actual)) {
      differences << ' ' << what << " is " << messages::number(actual) << ", PyTorch says "
                  << expected_text << ';';
    }
  };
  check("the value", *(colon + 1), out.data());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    check("d/d(input " + std::to_string(i) + ")", *(colon + 2 + i), inputs[i].grad());
  }
  return differences.str();
}

TEST(TorchReference, SpecialPointsMatch) {
  std::ifstream file{std::filesystem::path(kSpecialPoints)};
  ASSERT_TRUE(file) << "cannot open " << kSpecialPoints
                    << ": it is made by make_special_points_reference.py";
  int cases = 0;
  int line_number = 0;
  for (std::string line; std::getline(file, line);) {
    ++line_number;
    const std::vector<std::string_view> fields = split_fields(line);
    if (fields.empty() || fields[0].starts_with('#')) continue;
    ++cases;
    try {
      const std::string differences = compare_special_point(fields);
      EXPECT_EQ(differences, "") << kSpecialPoints << ":" << line_number << ": " << line;
    } catch (const FormatError& error) {
      ADD_FAILURE() << kSpecialPoints << ":" << line_number << ": " << error.what()
                    << ". Regenerate the file (tests/reference/README.md).";
    }
  }
  EXPECT_GE(cases, kMinimumSpecialPoints) << kSpecialPoints << " was cut short: regenerate it";
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Deletes the generated file however the test ends.
struct RemoveOnExit {
  std::filesystem::path path;
  ~RemoveOnExit() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

TEST(TorchReference, CommittedGraphsMatch) {
  const ReplaySummary summary = replay_and_compare(std::filesystem::path(kCommittedGraphs));
  EXPECT_GE(summary.graphs, kMinimumGraphs)
      << kCommittedGraphs << " holds too few graphs: regenerate it (tests/reference/README.md)";
  std::ostringstream largest;
  largest << summary.largest_relative_error;
  RecordProperty("largest_relative_error", largest.str());
  RecordProperty("comparisons", summary.comparisons);
}

TEST(TorchReference, FreshGraphsFromTorchMatch) {
  const std::string python(kPython);
  if (std::system((python + " -c 'import torch' >/dev/null 2>&1").c_str()) != 0) {
    GTEST_SKIP() << "python3-torch is not installed: apt-get install python3-torch to compare "
                    "against freshly generated graphs";
  }
  // A new seed every run, so that over many runs the engine meets many more graphs than the
  // committed ones; a failure prints the seed, which reproduces the graphs exactly.
  const auto seed = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  const RemoveOnExit generated{std::filesystem::temp_directory_path() /
                               ("micrograd_engine_graphs_" + std::to_string(seed) + "_" +
                                std::to_string(std::random_device{}()) + ".txt")};
  const std::string arguments =
      " --seed " + std::to_string(seed) + " --graphs " + std::to_string(kFreshGraphs) + " --out ";
  SCOPED_TRACE("fresh graphs from seed " + std::to_string(seed) + "; reproduce them with " +
               python + " tests/reference/make_engine_reference.py" + arguments + "FILE");

  const std::string command = python + " " + shell_quote(std::string(kGenerator)) + arguments +
                              shell_quote(generated.path.string());
  ASSERT_EQ(std::system(command.c_str()), 0) << "the generator failed: " << command;
  const ReplaySummary summary = replay_and_compare(generated.path);
  EXPECT_EQ(summary.graphs, kFreshGraphs);
  std::ostringstream largest;
  largest << summary.largest_relative_error;
  RecordProperty("largest_relative_error", largest.str());
}

}  // namespace
}  // namespace micrograd
