// micrograd's demo: a small MLP learns to separate two interleaving half moons.
//
//   build/release/examples/moons/moons
//       micrograd's notebook, number for number
//   build/release/examples/moons/moons --dataset spirals --loss cross_entropy --optimizer adam
//       another dataset, loss and optimizer (--help lists them all)
//
// By default it is the notebook exactly: its 100 points and initial weights (stored under
// tests/reference/), MLP(2, [16, 16, 1]), SVM max-margin loss + 1e-4 L2, SGD with
// lr = 1.0 - 0.9 k / 100 for 100 full-batch steps; micrograd prints loss 0.895844 at step 0 and
// reaches 100% accuracy. It writes the decision boundary and the loss curve as PNG files.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "datasets/datasets.hpp"
#include "engine/modes.hpp"
#include "examples/common/command_line.hpp"
#include "examples/common/number_text.hpp"
#include "examples/common/option_checks.hpp"
#include "nn/nn.hpp"
#include "plots/plots.hpp"

namespace fs = std::filesystem;
using micrograd::Value;
namespace ds = micrograd::datasets;
namespace nn = micrograd::nn;
namespace plots = micrograd::plots;

namespace {

struct Options {
  std::string dataset = "micrograd";  // the notebook's points, or a generator's name
  std::size_t samples = 100;
  double noise = 0.1;
  std::uint64_t seed = 1337;
  std::size_t steps = 100;
  std::vector<std::size_t> hidden = {16, 16};
  std::string loss = "hinge";  // hinge, mse, bce, cross_entropy
  std::string optimizer = "sgd";
  double lr = 1.0;  // SGD decays it linearly to 10%, as the notebook does
  double alpha = 1e-4;
  fs::path out = "out/moons";
};

const char* kUsage = R"(usage: moons [options]
  --dataset NAME     micrograd (the notebook's 100 points, default), moons, circles, spirals, xor,
                     or a CSV file of x0,x1,label rows
  --samples N        points to generate (default 100)
  --noise X          Gaussian noise of generated points (default 0.1)
  --seed N           seed for the points and the weights (default 1337)
  --steps N          full-batch training steps (default 100)
  --hidden A,B,...   hidden layer sizes (default 16,16)
  --loss NAME        hinge (default), mse, bce, cross_entropy
  --optimizer NAME   sgd (default; lr decays linearly to 10%) or adam
  --lr X             initial learning rate (default 1.0 for sgd, 0.05 for adam)
  --alpha X          L2 penalty (default 1e-4)
  --out DIR          where to write the pictures (default out/moons)
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "moons: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

double parse_number(const std::string& flag, const std::string& text) {
  return micrograd::examples::parse_number(flag, text, usage_error);
}

std::size_t parse_count(const std::string& flag, const std::string& text) {
  const std::uint64_t value = micrograd::examples::parse_whole(flag, text, 1, usage_error);
  if (value > 1'000'000'000) usage_error(flag + " takes at most 1000000000, got '" + text + "'");
  return static_cast<std::size_t>(value);
}

Options parse(int argc, char** argv) {
  Options options;
  bool lr_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) usage_error(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--dataset") {
      options.dataset = value;
    } else if (flag == "--samples") {
      options.samples = parse_count(flag, value);
    } else if (flag == "--noise") {
      options.noise = parse_number(flag, value);
    } else if (flag == "--seed") {
      options.seed = micrograd::examples::parse_whole(flag, value, 0, usage_error);
    } else if (flag == "--steps") {
      options.steps = parse_count(flag, value);
    } else if (flag == "--hidden") {
      options.hidden.clear();
      std::stringstream sizes(value);
      for (std::string size; std::getline(sizes, size, ',');) {
        options.hidden.push_back(parse_count(flag, size));
      }
    } else if (flag == "--loss") {
      options.loss = value;
    } else if (flag == "--optimizer") {
      options.optimizer = value;
    } else if (flag == "--lr") {
      options.lr = parse_number(flag, value);
      const std::string problem = micrograd::examples::learning_rate_problem(options.lr);
      if (!problem.empty()) usage_error("--lr " + problem + ", got '" + value + "'");
      lr_given = true;
    } else if (flag == "--alpha") {
      options.alpha = parse_number(flag, value);
    } else if (flag == "--out") {
      options.out = value;
    } else {
      usage_error("unknown option " + flag);
    }
  }
  if (options.loss != "hinge" && options.loss != "mse" && options.loss != "bce" &&
      options.loss != "cross_entropy") {
    usage_error("--loss must be hinge, mse, bce or cross_entropy, got '" + options.loss + "'");
  }
  if (options.optimizer != "sgd" && options.optimizer != "adam") {
    usage_error("--optimizer must be sgd or adam, got '" + options.optimizer + "'");
  }
  if (options.optimizer == "adam" && !lr_given) options.lr = 0.05;
  return options;
}

// The notebook's inputs: 100 points with labels -1/+1 and the 337 initial parameters.
ds::Points micrograd_points() {
  std::ifstream file(MICROGRAD_SOURCE_DIR "/tests/reference/micrograd_demo_moons.txt");
  ds::Points points;
  double x0 = 0, x1 = 0, label = 0;
  while (file >> x0 >> x1 >> label) points.push_back({x0, x1, label > 0 ? 1 : 0});
  if (points.size() != 100) {
    throw std::runtime_error(
        "tests/reference/micrograd_demo_moons.txt is missing or damaged; restore it with git");
  }
  return points;
}

void load_micrograd_weights(const nn::MLP& model) {
  std::ifstream file(MICROGRAD_SOURCE_DIR "/tests/reference/micrograd_demo_init_weights.txt");
  const std::vector<Value> parameters = model.parameters();
  std::size_t loaded = 0;
  for (double w = 0; loaded < parameters.size() && file >> w; ++loaded) {
    parameters[loaded].data() = w;
  }
  if (loaded != parameters.size()) {
    throw std::runtime_error(
        "tests/reference/micrograd_demo_init_weights.txt is missing or damaged; restore it with "
        "git");
  }
}

ds::Points load_points(const Options& options) {
  if (options.dataset == "micrograd") return micrograd_points();
  if (fs::exists(options.dataset)) return ds::read_points_csv(options.dataset);
  return ds::make_points(options.dataset, options.samples, options.noise, options.seed);
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
    if (options.dataset == "micrograd") load_micrograd_weights(*model_);
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
  bool binary_scores() const { return options_.loss != "cross_entropy"; }

 private:
  const Options& options_;
  const ds::Points& points_;
  int classes_;
  std::unique_ptr<nn::MLP> model_;
  std::vector<std::vector<Value>> inputs_;
};

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  // Before training: a bad --out fails now, not after the last step.
  if (const std::string problem = micrograd::examples::output_folder_problem(options.out);
      !problem.empty()) {
    std::fprintf(stderr, "moons: --out %s\n", problem.c_str());
    return 2;
  }
  try {
    nn::manual_seed(options.seed);
    const ds::Points points = load_points(options);
    Trainer trainer(options, points);
    std::printf("%s: %zu points, %s, %zu parameters, %s loss, %s\n", options.dataset.c_str(),
                points.size(), trainer.model().describe().c_str(),
                trainer.model().parameter_count(), options.loss.c_str(), options.optimizer.c_str());

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
      Evaluation result = trainer.evaluate();
      if (!std::isfinite(result.loss.data())) {
        char lr[32];
        std::snprintf(lr, sizeof lr, "%g", options.lr);
        throw std::runtime_error(
            "the loss is " + micrograd::examples::fixed(result.loss.data(), 6) + " at step " +
            std::to_string(step) + ": training diverged. Try a smaller --lr (it is " + lr + ")");
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
    const fs::path boundary = options.out / "decision_boundary.png";
    const fs::path curve = options.out / "loss.png";
    plots::DecisionPlotOptions plot;
    plot.title = options.dataset + ": " + trainer.model().describe();
    if (trainer.binary_scores()) {
      plots::decision_plot(
          points, [&](double x0, double x1) { return trainer.score(x0, x1); }, plot)
          .save_png(boundary);
    } else {
      plots::decision_plot_classes(
          points, [&](double x0, double x1) { return trainer.predict(x0, x1); }, plot)
          .save_png(boundary);
    }
    plots::LinePlotOptions line;
    line.title = "training loss";
    line.y_label = "loss";
    line.log_y = true;
    plots::line_plot({plots::Series("loss", losses)}, line).save_png(curve);
    std::printf("final accuracy %.0f%%\npictures: %s %s\n", accuracy * 100,
                boundary.string().c_str(), curve.string().c_str());
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "moons: %s\n", error.what());
    return 1;
  }
}
