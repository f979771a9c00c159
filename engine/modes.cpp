// No-grad and anomaly modes, and the messages anomaly mode gives.
#include "engine/modes.hpp"

#include <cmath>
#include <deque>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/value.hpp"

namespace micrograd {
namespace {
using detail::anomaly_mode;
using detail::grad_mode;

// NaN prints as "nan" whatever its sign bit: "-nan" only confuses.
std::string format_number(double x) {
  if (std::isnan(x)) return "nan";
  std::ostringstream text;
  text << x;
  return text.str();
}

std::string describe(const Node& node) {
  std::ostringstream text;
  if (node.label) text << '"' << *node.label << "\" ";
  text << "(data=" << format_number(node.data);
  if (!node.is_leaf()) text << ", made by \"" << node.op << '"';
  text << ')';
  return text.str();
}

// Labels of the nodes `start` was computed from (breadth-first, nearest first): what the student
// named on the way to the failing op.
std::string labels_upstream(std::span<const Node* const> start) {
  std::deque<const Node*> queue(start.begin(), start.end());
  std::unordered_set<const Node*> seen(start.begin(), start.end());
  std::vector<std::string> labels;
  while (!queue.empty() && labels.size() < 12) {
    const Node* node = queue.front();
    queue.pop_front();
    if (node->label) labels.push_back('"' + *node->label + '"');
    for (std::uint32_t i = 0; i < node->parent_count; ++i) {
      if (seen.insert(&node->parent(i)).second) queue.push_back(&node->parent(i));
    }
  }
  std::string joined;
  for (const auto& label : labels) joined += (joined.empty() ? "" : ", ") + label;
  return joined.empty() ? "(no labels: name values with .label(\"x\") to see them here)" : joined;
}

// The nodes on a path from `root` down to `target`, root first: a node by its label, or else by
// its op ("(*)"), so the path reads even when nothing is labelled.
std::string labels_from_root(const Node& root, const Node& target) {
  std::unordered_map<const Node*, const Node*> child_of{{&root, nullptr}};
  std::deque<const Node*> queue{&root};
  while (!queue.empty() && child_of.find(&target) == child_of.end()) {
    const Node* node = queue.front();
    queue.pop_front();
    for (std::uint32_t i = 0; i < node->parent_count; ++i) {
      if (child_of.emplace(&node->parent(i), node).second) {
        queue.push_back(&node->parent(i));
      }
    }
  }
  std::string path;
  for (const Node* node = &target; node != nullptr; node = child_of[node]) {
    const std::string name = node->label       ? '"' + *node->label + '"'
                             : node->is_leaf() ? std::string("(leaf)")
                                               : "(" + std::string(node->op) + ")";
    path = path.empty() ? name : name + " <- " + path;
  }
  return path;
}
}  // namespace

NoGradGuard::NoGradGuard() : previous_(grad_mode) {
  grad_mode = false;
}
NoGradGuard::~NoGradGuard() {
  grad_mode = previous_;
}

AnomalyGuard::AnomalyGuard(bool enabled) : previous_(anomaly_mode) {
  anomaly_mode = enabled;
}
AnomalyGuard::~AnomalyGuard() {
  anomaly_mode = previous_;
}

namespace detail {

void check_forward(double result, const char* op, std::span<const Node* const> inputs) {
  if (std::isfinite(result)) return;
  std::ostringstream message;
  message << "anomaly: op \"" << op << "\" produced " << format_number(result) << " from input";
  // An op of many inputs (a sum of 100,000) is described by a few: those that are not finite
  // first, then the first ones; every input would make a message of megabytes.
  constexpr std::size_t kListedInFull = 8;
  constexpr std::size_t kShown = 4;
  if (inputs.size() <= kListedInFull) {
    message << (inputs.size() > 1 ? "s " : " ");
    const char* separator = "";
    for (const Node* input : inputs) {
      message << separator << describe(*input);
      separator = " and ";
    }
  } else {
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < inputs.size() && shown.size() < kShown; ++i) {
      if (!std::isfinite(inputs[i]->data)) shown.push_back(i);
    }
    const std::size_t not_finite = shown.size();
    for (std::size_t i = 0; i < inputs.size() && shown.size() < kShown; ++i) {
      if (std::isfinite(inputs[i]->data)) shown.push_back(i);
    }
    message << "s: " << inputs.size() << " inputs, "
            << (not_finite == 0 ? "all finite" : "not all finite") << "; among them ";
    for (std::size_t k = 0; k < shown.size(); ++k) {
      message << (k > 0 ? ", " : "") << "input " << shown[k] << ' ' << describe(*inputs[shown[k]]);
    }
    message << " and " << inputs.size() - shown.size() << " more";
  }
  message << ". Computed from: " << labels_upstream(inputs)
          << ". Check the inputs' range (log of 0 or a negative, division by 0, exp of a large"
             " number) or lower the learning rate if values grew during training.";
  throw std::domain_error(message.str());
}

void run_grad_fn_checked(Node& node, const Node& root) {
  std::vector<bool> finite_before(node.parent_count);
  for (std::uint32_t i = 0; i < node.parent_count; ++i) {
    finite_before[i] = std::isfinite(node.parent(i).grad);
  }
  node.grad_fn(node);
  for (std::uint32_t i = 0; i < node.parent_count; ++i) {
    const Node& input = node.parent(i);
    if (!finite_before[i] || std::isfinite(input.grad)) continue;
    std::ostringstream message;
    message << "anomaly in backward: op \"" << node.op << "\" at " << describe(node)
            << " with grad " << format_number(node.grad) << " passed a gradient of "
            << format_number(input.grad) << " to its input " << i << ' ' << describe(input)
            << ". Path from the root: " << labels_from_root(root, input)
            << ". Either the op's local derivative is not finite at these inputs (log or pow at"
               " 0, division by a tiny number: keep inputs away from that point) or the gradient"
               " overflowed (lower the learning rate or scale the loss).";
    throw std::domain_error(message.str());
  }
}

void throw_backward_without_graph(const Node& root) {
  throw std::logic_error(
      "backward() was called on " + describe(root) +
      ", which was computed while a NoGradGuard was active: no graph was recorded (no parents, no "
      "grad_fn), so no gradient can reach the values it came from, and the training step would "
      "change nothing. Compute the loss you train on outside the guard: keep NoGradGuard around "
      "evaluation only, in a scope of its own, and check that none is left in scope around the "
      "training step.");
}

}  // namespace detail
}  // namespace micrograd
