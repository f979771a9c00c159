// micrograd's demo: a small MLP learns to separate two interleaving half moons.
//
//   build/release/examples/moons/moons
//       micrograd's notebook, number for number
//   build/release/examples/moons/moons --dataset spirals --loss cross_entropy --optimizer adam
//       another dataset, loss and optimizer (--help lists them all)
//   build/release/examples/moons/moons --ops op-by-op
//       micrograd's own graph, one node per + and *; the default is fused (every neuron one dot
//       node), the same numbers to the last digit in a fraction of the time
//   build/release/examples/moons/moons --backward sort
//       the reference engine's backward (a topological sort every step); the default records each
//       step on a tape and sweeps it backwards (engine/tape.hpp): the same digits, faster
//
// By default it is the notebook exactly: its 100 points and initial weights (stored under
// tests/reference/), MLP(2, [16, 16, 1]), SVM max-margin loss + 1e-4 L2, SGD with
// lr = 1.0 - 0.9 k / 100 for 100 full-batch steps; micrograd prints loss 0.895844 at step 0 and
// reaches 100% accuracy. It writes the decision boundary and the loss curve as PNG files. Any
// other model (another --hidden or --loss) starts from random weights drawn from --seed, and a
// loss that stops being finite (too large an --lr) ends the run with an error.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <micrograd/datasets/datasets.hpp>
#include <micrograd/engine/modes.hpp>
#include <micrograd/nn/nn.hpp>
#include <micrograd/plots/plots.hpp>
#include "../common/backward_choice.hpp"
#include "../common/fused_ops.hpp"
#include "../common/memory_check.hpp"
#include "../common/micrograd_demo.hpp"
#include "../common/number_text.hpp"
#include "../common/option_checks.hpp"
#include "../common/picture_format.hpp"
#include "options.hpp"

namespace fs = std::filesystem;
using micrograd::Value;
namespace ds = micrograd::datasets;
namespace nn = micrograd::nn;
namespace plots = micrograd::plots;
using moons_demo::dataset_choices;
using moons_demo::is_builtin_dataset;
using moons_demo::is_notebook_model;
using moons_demo::Options;

namespace {

// The notebook's 100 points (labels -1/+1 become classes 0/1) and its 337 initial parameters,
// read as examples/speed and bench/ read them.
const micrograd::examples::MicrogradDemo& micrograd_demo() {
  static const micrograd::examples::MicrogradDemo demo =
      micrograd::examples::read_micrograd_demo(MICROGRAD_SOURCE_DIR "/tests/reference");
  return demo;
}

ds::Points micrograd_points() {
  const micrograd::examples::MicrogradDemo& demo = micrograd_demo();
  ds::Points points;
  for (std::size_t i = 0; i < demo.points.size(); ++i) {
    points.push_back({demo.points[i][0], demo.points[i][1], demo.labels[i] > 0 ? 1 : 0});
  }
  return points;
}

// The notebook's initial weights, for the notebook's model only (is_notebook_model).
void load_micrograd_weights(const nn::MLP& model) {
  const std::vector<double>& weights = micrograd_demo().initial_parameters;
  const std::vector<Value> parameters = model.parameters();
  for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].data() = weights.at(i);
}

// Whether the file's first bytes hold a NUL byte: a program or an image, not a CSV file.
bool looks_binary(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  char start[4096];
  file.read(start, sizeof start);
  return std::string_view(start, static_cast<std::size_t>(file.gcount())).find('\0') !=
         std::string_view::npos;
}

ds::Points load_points(const Options& options) {
  if (options.dataset == "micrograd") return micrograd_points();
  if (is_builtin_dataset(options.dataset)) {
    return ds::make_points(options.dataset, options.samples, options.noise, options.seed);
  }
  const std::string named = "--dataset '" + options.dataset + "'";
  if (looks_binary(options.dataset)) {
    throw std::runtime_error(named + " is not a CSV file of points: it holds binary data (" +
                             dataset_choices() + ")");
  }
  try {
    return ds::read_points_csv(options.dataset);
  } catch (const ds::FormatError& error) {
    throw std::runtime_error(named + " is not a CSV file of points: " + error.what() + " (" +
                             dataset_choices() + ")");
  } catch (const ds::DatasetError& error) {
    throw std::runtime_error(named + " cannot be read: " + error.what() + " (" + dataset_choices() +
                             ")");
  }
}

struct Evaluation {
  Value loss;
  double accuracy = 0.0;
};

class Trainer {
 public:
  Trainer(const Options& options, const ds::Points& points)
      : options_(options), points_(points), classes_(std::max(2, ds::num_classes(points))) {
    const bool one_output = options.loss != "cross_entropy";
    if (one_output && classes_ > 2) {
      throw std::invalid_argument("the " + options.dataset + " dataset has " +
                                  std::to_string(classes_) +
                                  " classes; --loss cross_entropy handles more than two");
    }
    std::vector<std::size_t> sizes = options.hidden;
    sizes.push_back(one_output ? 1 : static_cast<std::size_t>(classes_));
    model_ = std::make_unique<nn::MLP>(2, sizes);
    if (is_notebook_model(options)) load_micrograd_weights(*model_);
    for (const auto& point : points) inputs_.push_back({Value(point.x0), Value(point.x1)});
  }

  // The notebook's loss(): data loss over the whole batch plus the L2 penalty, and accuracy.
  Evaluation evaluate() const {
    std::vector<Value> scores;
    std::vector<std::vector<Value>> logits;
    std::size_t correct = 0;
    for (std::size_t i = 0; i < points_.size(); ++i) {
      std::vector<Value> output = (*model_)(inputs_[i]);
      const int label = points_[i].label;
      if (options_.loss == "cross_entropy") {
        correct += nn::argmax(output) == static_cast<std::size_t>(label);
        logits.push_back(std::move(output));
      } else {
        correct += (output[0].data() > 0) == (label == 1);
        scores.push_back(output[0]);
      }
    }
    Value data_loss;
    if (options_.loss == "hinge") {
      data_loss = nn::hinge_loss(scores, targets(-1.0));
    } else if (options_.loss == "mse") {
      data_loss = nn::mse_loss(scores, targets(-1.0));
    } else if (options_.loss == "bce") {
      data_loss = nn::binary_cross_entropy_with_logits(scores, targets(0.0));
    } else {
      std::vector<std::size_t> labels;
      for (const auto& point : points_) labels.push_back(static_cast<std::size_t>(point.label));
      data_loss = nn::cross_entropy(logits, labels);
    }
    const Value total = data_loss + nn::l2_penalty(model_->parameters(), options_.alpha);
    return {total, static_cast<double>(correct) / static_cast<double>(points_.size())};
  }

  // Class-1 targets are +1; class-0 targets are `negative` (-1 for hinge and mse, 0 for bce).
  std::vector<double> targets(double negative) const {
    std::vector<double> result;
    for (const auto& point : points_) result.push_back(point.label == 1 ? 1.0 : negative);
    return result;
  }

  int predict(double x0, double x1) const {
    micrograd::NoGradGuard no_graph;
    const std::vector<Value> output = (*model_)({Value(x0), Value(x1)});
    if (options_.loss == "cross_entropy") return static_cast<int>(nn::argmax(output));
    return output[0].data() > 0 ? 1 : 0;
  }

  double score(double x0, double x1) const {
    micrograd::NoGradGuard no_graph;
    return (*model_)({Value(x0), Value(x1)})[0].data();
  }

  const nn::MLP& model() const { return *model_; }
  void use_fused_ops(bool on) { model_->use_fused_ops(on); }
  bool binary_scores() const { return options_.loss != "cross_entropy"; }

 private:
  const Options& options_;
  const ds::Points& points_;
  int classes_;
  std::unique_ptr<nn::MLP> model_;
  std::vector<std::vector<Value>> inputs_;
};

}  // namespace

namespace {

// What a loss that stopped being finite says about the options. Before the first step the learning
// rate has not acted yet: the points or the penalty overflow.
std::string divergence_advice(const Options& options, std::size_t step) {
  const auto shown = [](double number) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", number);
    return std::string(text);
  };
  if (step == 0) {
    const std::string points =
        is_builtin_dataset(options.dataset)
            ? "the points (--noise " + shown(options.noise) + ")"
            : "the points of --dataset '" + options.dataset + "' (scale them down)";
    return ", before the first step, so --lr is not the cause: " + points +
           " or the L2 penalty (--alpha " + shown(options.alpha) + ") overflow the model";
  }
  std::string advice = ": training diverged. Try a smaller --lr (it is " + shown(options.lr) + ")";
  // A penalty step of 2 * lr * alpha * p above the parameter itself grows it, whatever the data.
  if (options.alpha * options.lr > 0.5) {
    advice += " or a smaller --alpha (it is " + shown(options.alpha) +
              ": with this --lr the penalty alone makes each step overshoot)";
  }
  return advice;
}

// Why a training step over `points` would not fit in memory, as a usage error ("" if it fits).
std::string memory_problem(const Options& options, const ds::Points& points) {
  namespace examples = micrograd::examples;
  std::vector<std::size_t> sizes = options.hidden;
  sizes.push_back(options.loss == "cross_entropy"
                      ? static_cast<std::size_t>(std::max(2, ds::num_classes(points)))
                      : 1);
  const bool fused = options.ops == "fused";
  const auto node = static_cast<double>(micrograd::bytes_per_node());
  // Per point: its two input leaves, the graph through the model, and a few nodes of the loss.
  const double per_point = examples::mlp_graph_bytes_per_sample(2, sizes, fused) + 12 * node;
  const double bytes = static_cast<double>(points.size()) * per_point +
                       examples::mlp_parameter_count(2, sizes) * node;
  const std::string problem = examples::memory_problem(bytes);
  if (problem.empty()) return "";
  std::string hidden;
  for (std::size_t size : options.hidden) {
    hidden += (hidden.empty() ? "" : ",") + std::to_string(size);
  }
  const std::string what =
      is_builtin_dataset(options.dataset)
          ? "--samples " + std::to_string(points.size())
          : "--dataset '" + options.dataset + "' (" + std::to_string(points.size()) + " points)";
  return what + " with --hidden " + hidden + " (--ops " + options.ops + ") " + problem +
         " for each step's graphs; use fewer points or smaller --hidden";
}

}  // namespace

// Where the initial weights come from, for the output.
std::string initial_weights(const Options& options) {
  if (is_notebook_model(options)) {
    return "the notebook's (tests/reference/micrograd_demo_init_weights.txt)";
  }
  std::string text = "random, from --seed " + std::to_string(options.seed);
  if (options.dataset == "micrograd") {
    text += " (the notebook's are for its own model: --hidden 16,16 --loss hinge)";
  }
  return text;
}

int main(int argc, char** argv) {
  const Options options = moons_demo::parse(argc, argv);
  // Before training: a bad --out fails now, not after the last step.
  if (const std::string problem = micrograd::examples::output_folder_problem(options.out);
      !problem.empty()) {
    std::fprintf(stderr, "moons: --out %s\n", problem.c_str());
    return 2;
  }
  try {
    nn::manual_seed(options.seed);
    const ds::Points points = load_points(options);
    if (const std::string problem = memory_problem(options, points); !problem.empty()) {
      std::fprintf(stderr, "moons: %s; run with --help\n", problem.c_str());
      return 2;
    }
    Trainer trainer(options, points);
    std::printf("%s: %zu points, %s, %zu parameters, %s loss, %s\n", options.dataset.c_str(),
                points.size(), trainer.model().describe().c_str(),
                trainer.model().parameter_count(), options.loss.c_str(), options.optimizer.c_str());
    std::printf("initial weights: %s\n", initial_weights(options).c_str());
    std::string graph;
    trainer.use_fused_ops(
        micrograd::examples::choose_fused_ops(options.ops, options.ops_given, graph));
    std::printf("graph: %s\n", graph.c_str());
    std::string backward;
    const bool on_tape =
        micrograd::examples::choose_tape(options.backward, options.backward_given, backward);
    std::printf("backward: %s\n", backward.c_str());

    const std::vector<Value> parameters = trainer.model().parameters();
    std::unique_ptr<nn::Optimizer> optimizer;
    if (options.optimizer == "adam") {
      nn::AdamOptions adam;
      adam.lr = options.lr;
      optimizer = std::make_unique<nn::Adam>(parameters, adam);
    } else {
      nn::SGDOptions sgd;
      sgd.lr = options.lr;
      optimizer = std::make_unique<nn::SGD>(parameters, sgd);
    }
    // The notebook's schedule: lr = 1.0 - 0.9 k / 100, i.e. from lr down to lr/10.
    const nn::LinearDecay schedule(options.lr, options.lr * 0.1, options.steps);

    std::vector<double> losses, accuracies;
    double accuracy = 0.0;
    for (std::size_t step = 0; step < options.steps; ++step) {
      std::optional<micrograd::TapeGuard> tape;  // the step's graph, released when it ends
      if (on_tape) tape.emplace();
      Evaluation result = trainer.evaluate();
      if (!std::isfinite(result.loss.data())) {
        throw std::runtime_error("the loss is " +
                                 micrograd::examples::fixed(result.loss.data(), 6) + " at step " +
                                 std::to_string(step) + divergence_advice(options, step));
      }
      optimizer->zero_grad();
      result.loss.backward();
      if (options.optimizer == "sgd") optimizer->set_learning_rate(schedule(step));
      optimizer->step();
      losses.push_back(result.loss.data());
      accuracies.push_back(result.accuracy * 100);
      accuracy = result.accuracy;
      std::printf("step %3zu loss %s, accuracy %.0f%%\n", step,
                  micrograd::examples::fixed(result.loss.data(), 6).c_str(), result.accuracy * 100);
    }

    fs::create_directories(options.out);
    const fs::path boundary =
        micrograd::examples::picture_path(options.out, "decision_boundary", options.format);
    const fs::path curve = micrograd::examples::picture_path(options.out, "loss", options.format);
    plots::DecisionPlotOptions plot;
    plot.title = options.dataset + ": " + trainer.model().describe();
    if (trainer.binary_scores()) {
      plots::decision_plot(
          points, [&](double x0, double x1) { return trainer.score(x0, x1); }, plot)
          .save(boundary);
    } else {
      plots::decision_plot_classes(
          points, [&](double x0, double x1) { return trainer.predict(x0, x1); }, plot)
          .save(boundary);
    }
    plots::LinePlotOptions line;
    line.title = "training loss";
    line.y_label = "loss";
    line.log_y = true;
    const std::vector<plots::Series> loss = {plots::Series("loss", losses)};
    plots::line_plot(loss, line).save(curve);
    const fs::path numbers = options.out / "loss.csv";  // for matplotlib or gnuplot
    plots::write_csv(numbers, loss);
    std::printf("final accuracy %.0f%%\npictures: %s %s\nnumbers: %s\n", accuracy * 100,
                boundary.string().c_str(), curve.string().c_str(), numbers.string().c_str());
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "moons: %s\n", error.what());
    return 1;
  }
}
