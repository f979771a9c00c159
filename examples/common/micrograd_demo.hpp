// micrograd's demo training step, in one place for the programs that run it (examples/moons starts
// from its weights; examples/speed and bench/engine_bench time it): the notebook's 100 moons points and 337 initial weights (stored under
// tests/reference/), MLP(2, [16, 16, 1]), the SVM max-margin loss + 1e-4 L2, and one SGD step.
//
//   const MicrogradDemo demo = read_micrograd_demo(MICROGRAD_SOURCE_DIR "/tests/reference");
//   MicrogradDemoStep step(demo);      // op for op; step.model().use_fused_ops() for dot
//   double loss = step.step(1.0);      // zero_grad, loss, backward, p -= lr * grad
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <micrograd/engine/graph.hpp>
#include <micrograd/engine/value.hpp>
#include <micrograd/nn/loss.hpp>
#include <micrograd/nn/mlp.hpp>

namespace micrograd::examples {

struct MicrogradDemo {
  std::vector<std::array<double, 2>> points;  // 100 of them
  std::vector<double> labels;                 // -1 or +1, one per point
  std::vector<double> initial_parameters;     // micrograd's parameters() order, 337 of them
};

// Reads micrograd_demo_moons.txt and micrograd_demo_init_weights.txt from `folder`. Throws
// std::runtime_error naming the file that is missing or damaged.
inline MicrogradDemo read_micrograd_demo(const std::filesystem::path& folder) {
  MicrogradDemo demo;
  const std::filesystem::path moons = folder / "micrograd_demo_moons.txt";
  std::ifstream points(moons);
  for (double x0 = 0, x1 = 0, label = 0; points >> x0 >> x1 >> label;) {
    demo.points.push_back({x0, x1});
    demo.labels.push_back(label > 0 ? 1.0 : -1.0);
  }
  const std::filesystem::path weights = folder / "micrograd_demo_init_weights.txt";
  std::ifstream numbers(weights);
  for (double w = 0; numbers >> w;) demo.initial_parameters.push_back(w);
  const auto damaged = [](const std::filesystem::path& file, const std::string& expected) {
    return std::runtime_error(file.string() + " is missing or damaged (it should hold " + expected +
                              "); restore it with git");
  };
  if (demo.points.size() != 100 || !points.eof()) throw damaged(moons, "100 points");
  if (demo.initial_parameters.size() != 337 || !numbers.eof())
    throw damaged(weights, "337 numbers");
  return demo;
}

// The notebook's model and one full-batch training step on it. Op for op, as micrograd builds it,
// unless model().use_fused_ops() is called: then every neuron is one dot() node.
class MicrogradDemoStep {
 public:
  // `demo` must outlive the step: its labels are read at every step, not copied.
  explicit MicrogradDemoStep(const MicrogradDemo& demo)
      : demo_(demo), model_(2, {16, 16, 1}), parameters_(model_.parameters()) {
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
      parameters_[i].data() = demo.initial_parameters.at(i);
    }
    for (const auto& point : demo.points) inputs_.push_back({Value(point[0]), Value(point[1])});
  }

  nn::MLP& model() { return model_; }

  // The notebook's loss(): the mean of relu(1 - y_i * score_i) over the points, plus 1e-4 * sum
  // of p^2. The graph is built, not backpropagated.
  Value loss() const {
    std::vector<Value> scores;
    scores.reserve(inputs_.size());
    for (const std::vector<Value>& input : inputs_) scores.push_back(model_(input)[0]);
    return nn::hinge_loss(scores, demo_.labels) + nn::l2_penalty(parameters_, 1e-4);
  }

  // One SGD step: zero the gradients, build the loss, backward(), p -= learning_rate * p.grad.
  // Returns the loss before the step. The graph is freed when it returns.
  double step(double learning_rate) {
    for (Value& p : parameters_) p.grad() = 0.0;
    Value total = loss();
    total.backward();
    for (Value& p : parameters_) p.data() -= learning_rate * p.grad();
    return total.data();
  }

  // The nodes one step builds, as micrograd counts them: every node of the loss's graph but the
  // parameters (65,481 op for op, as in micrograd).
  std::size_t nodes_per_step() const { return graph_stats(loss()).node_count - parameters_.size(); }

 private:
  const MicrogradDemo& demo_;
  nn::MLP model_;
  std::vector<Value> parameters_;
  std::vector<std::vector<Value>> inputs_;
};

}  // namespace micrograd::examples
