// Conv2D's fused form (Module::use_fused_ops, chapter 9): each output element as one dot() node.
//
// It does not spell out the convolution, which is exercise 8.1: it learns from forward() itself
// which (weight, input) pairs each output adds up, and in which order. Once per input shape it
// runs the op-for-op forward on a probe image of fresh leaves and reads each output's graph back:
// bias + w*x + w*x + ... is a chain of "+" nodes, each adding one "*" node of a weight and an
// input. The pairs, kept as indices, then make every fused forward of that shape: dot() adds
// bias + w0*x0 + w1*x1 + ... in the chain's order, so the numbers are the op-for-op graph's to
// the last bit, with one node per output element instead of two per multiply-add. A forward whose
// graph does not read as such a chain (a sum started elsewhere than at the bias) stays op for op.
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/many_inputs.hpp"
#include "engine/modes.hpp"
#include "engine/tape.hpp"
#include "nn/conv.hpp"

namespace micrograd::nn {

// For one input shape: output element e adds the pairs [offsets[e], offsets[e + 1]) of
// weights/inputs (indices into the weight tensor and the input tensor) to bias[e].
// weights_in_a_row[e]: its weights are consecutive in the weight tensor (a window clear of the
// padding, for a forward that walks the kernel in the tensor's order), so dot() can read them in
// place instead of from copies (each copy of a Value counts a reference).
struct Conv2D::FusedPlan {
  std::vector<std::size_t> bias, offsets, weights, inputs;
  std::vector<bool> weights_in_a_row;
};

struct Conv2D::FusedPlans {
  std::mutex mutex;
  // By input shape; null where forward()'s graph is not a chain the fused form can read. Shared
  // pointers: a plan handed out stays valid while another thread adds the plan of a new shape.
  std::vector<std::pair<Shape, std::shared_ptr<const FusedPlan>>> by_shape;
};

std::shared_ptr<Conv2D::FusedPlans> Conv2D::no_fused_plans_yet() {
  return std::make_shared<FusedPlans>();
}

namespace {

// The probe's graph is an ordinary one whatever this thread is doing: recorded (grad mode on)
// and off any tape, which would keep its nodes until the tape ends.
class ProbeScope {
 public:
  ProbeScope()
      : grad_mode_(std::exchange(detail::grad_mode, true)),
        recording_(std::exchange(detail::recording, detail::Recording{})) {}
  ~ProbeScope() {
    detail::grad_mode = grad_mode_;
    detail::recording = recording_;
  }
  ProbeScope(const ProbeScope&) = delete;
  ProbeScope& operator=(const ProbeScope&) = delete;

 private:
  bool grad_mode_;
  detail::Recording recording_;
};

using Index = std::unordered_map<const Node*, std::size_t>;

Index index_of(const std::vector<Value>& values) {
  Index index;
  for (std::size_t i = 0; i < values.size(); ++i) index.emplace(&values[i].node(), i);
  return index;
}

bool is_op(const Node& node, const char* op) {
  return std::strcmp(node.op, op) == 0 && node.parent_count == 2;
}

}  // namespace

Tensor Conv2D::forward_fused(const Tensor& input, const Shape& out_shape) const {
  std::shared_ptr<const FusedPlan> plan;
  {
    const std::lock_guard lock(fused_plans_->mutex);
    auto& plans = fused_plans_->by_shape;
    auto found = plans.begin();
    while (found != plans.end() && found->first != input.shape()) ++found;
    if (found == plans.end()) {
      std::optional<FusedPlan> read = plan_for(input.shape());
      plans.emplace_back(input.shape(),
                         read ? std::make_shared<const FusedPlan>(std::move(*read)) : nullptr);
      found = plans.end() - 1;
    }
    plan = found->second;
  }
  if (plan == nullptr) return Conv2D(weight_, bias_, stride_, padding_).forward(input);

  const std::vector<Value>& image = input.values();
  const std::vector<Value>& weight = weight_.values();
  std::vector<Value> outputs;
  outputs.reserve(element_count(out_shape));
  std::vector<Value> copied_weights, inputs;  // one output's pairs, reused from output to output
  for (std::size_t e = 0; e + 1 < plan->offsets.size(); ++e) {
    const std::size_t first = plan->offsets[e];
    const std::size_t count = plan->offsets[e + 1] - first;
    inputs.clear();
    for (std::size_t p = first; p < first + count; ++p) inputs.push_back(image[plan->inputs[p]]);
    std::span<const Value> weights;
    if (count > 0 && plan->weights_in_a_row[e]) {
      weights = std::span<const Value>(weight).subspan(plan->weights[first], count);
    } else {
      copied_weights.clear();
      for (std::size_t p = first; p < first + count; ++p) {
        copied_weights.push_back(weight[plan->weights[p]]);
      }
      weights = copied_weights;
    }
    const Value& bias = bias_[plan->bias[e]];
    // A window made only of padding has no pair: op for op its output is the bias itself.
    outputs.push_back(count == 0 ? bias : dot(weights, inputs, bias));
  }
  return {out_shape, std::move(outputs)};
}

std::optional<Conv2D::FusedPlan> Conv2D::plan_for(const Shape& shape) const {
  const ProbeScope scope;
  std::vector<Value> leaves;
  leaves.reserve(element_count(shape));
  for (std::size_t i = 0; i < element_count(shape); ++i) leaves.emplace_back(0.0);
  const Tensor probe(shape, leaves);
  const Tensor output = Conv2D(weight_, bias_, stride_, padding_).forward(probe);

  const Index weight_index = index_of(weight_.values());
  const Index input_index = index_of(leaves);
  const Index bias_index = index_of(bias_);
  FusedPlan plan;
  plan.offsets.push_back(0);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // one output's, last first
  for (const Value& element : output.values()) {
    pairs.clear();
    const Node* node = &element.node();
    while (!bias_index.contains(node)) {
      if (!is_op(*node, "+")) return std::nullopt;
      // The product is the side that is a "*" of a weight and an input, in either order.
      const bool product_first = is_op(node->parent(0), "*") && !is_op(node->parent(1), "*");
      const Node& product = node->parent(product_first ? 0 : 1);
      if (!is_op(product, "*")) return std::nullopt;
      const Node* left = &product.parent(0);
      const Node* right = &product.parent(1);
      if (!weight_index.contains(left)) std::swap(left, right);
      if (!weight_index.contains(left) || !input_index.contains(right)) return std::nullopt;
      pairs.emplace_back(weight_index.at(left), input_index.at(right));
      node = &node->parent(product_first ? 1 : 0);
    }
    plan.bias.push_back(bias_index.at(node));
    bool in_a_row = true;
    for (auto pair = pairs.rbegin(); pair != pairs.rend(); ++pair) {
      in_a_row = in_a_row && (pair == pairs.rbegin() || pair->first == plan.weights.back() + 1);
      plan.weights.push_back(pair->first);
      plan.inputs.push_back(pair->second);
    }
    plan.offsets.push_back(plan.weights.size());
    plan.weights_in_a_row.push_back(in_a_row);
  }
  return plan;
}

}  // namespace micrograd::nn
