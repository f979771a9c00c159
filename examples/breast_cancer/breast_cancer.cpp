// A real tabular dataset end to end: the Wisconsin breast cancer data (569 tumours, 30 measurements
// of each, malignant or benign), as scikit-learn ships it (Debian: python3-sklearn).
//
//   1. split the rows into training and test sets with a seed, keeping each class's share;
//   2. standardise every feature with the mean and deviation of the training rows only (the test
//      rows stay unseen: measuring them too would leak them into training);
//   3. train an MLP whose one output is the logit of "malignant", with binary cross-entropy on the
//      logits and Adam, full batch;
//   4. report accuracy, precision and recall of "malignant", the confusion matrix, and the loss
//      curve (out/breast_cancer/loss.png).
//
// Optionally, --batchnorm puts a BatchNorm1d after each hidden layer (normalising over the batch
// a step trains on: here the whole training set) and --dropout P a Dropout after that; both act
// only in training mode, and the metrics are taken in eval mode (running statistics, no dropout).
//
//   ./build/release/examples/breast_cancer/breast_cancer [--epochs 100] [--hidden 16] ...
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <micrograd/datasets/errors.hpp>
#include <micrograd/datasets/tabular.hpp>
#include <micrograd/nn/nn.hpp>
#include <micrograd/plots/plots.hpp>
#include "../common/backward_choice.hpp"
#include "../common/command_line.hpp"
#include "../common/hidden_sizes.hpp"
#include "../common/number_text.hpp"
#include "../common/option_checks.hpp"
#include "../common/picture_format.hpp"

namespace {

namespace ds = micrograd::datasets;
namespace fs = std::filesystem;
namespace nn = micrograd::nn;
using micrograd::Value;

struct Options {
  std::string data;  // empty: python3-sklearn's copy
  std::uint64_t seed = 1;
  double test_fraction = 0.2;
  std::vector<std::size_t> hidden = {16};
  std::size_t epochs = 100;
  double lr = 0.01;
  bool batchnorm = false;
  double dropout = 0.0;
  fs::path out = "out/breast_cancer";
  std::string format = "png";     // of the loss curve (examples/common/picture_format.hpp)
  std::string backward = "tape";  // or "sort" (examples/common/backward_choice.hpp)
  bool backward_given = false;
};

Options parse(int argc, char** argv) {
  namespace examples = micrograd::examples;
  Options options;
  CLI::App app(
      "Trains an MLP to tell malignant from benign tumours in the Wisconsin breast "
      "cancer data (scikit-learn's copy, from Debian's python3-sklearn), and reports "
      "accuracy, precision, recall and the confusion matrix on held-out rows.",
      "breast_cancer");
  examples::use_demo_conventions(app);
  app.add_option("--data", options.data,
                 "a table in sklearn's CSV layout (default: python3-sklearn's "
                 "breast_cancer.csv)");
  app.add_option("--seed", options.seed, "seed for the split and the initial weights")
      ->check(examples::whole_number(0));
  app.add_option("--test-fraction", options.test_fraction,
                 "the share of rows held out for testing (between 0 and 1)")
      ->check(CLI::Range(0.01, 0.99));
  std::string hidden = "16";
  app.add_option("--hidden", hidden, "hidden layer sizes, separated by commas");
  app.add_option("--epochs", options.epochs, "full-batch training steps")
      ->check(examples::whole_number(1, 1'000'000));
  app.add_option("--lr", options.lr, "Adam's learning rate (> 0)")
      ->check(examples::finite_number(true));
  app.add_flag("--batchnorm", options.batchnorm, "a BatchNorm1d after each hidden layer");
  app.add_option("--dropout", options.dropout,
                 "a Dropout with this probability after each hidden layer (0: none; below 1)")
      ->check(examples::finite_number());
  app.add_option("--out", options.out, "where to write the loss curve");
  examples::add_format_option(app, options.format);
  examples::add_backward_option(app, options.backward);
  examples::parse_or_exit(app, argc, argv);
  options.backward_given = app.count("--backward") > 0;
  if (!(options.dropout >= 0 && options.dropout < 1)) {
    std::ostringstream given;
    given << options.dropout;
    examples::usage_error(app,
                          "--dropout is the probability of dropping a unit: at least 0 and "
                          "below 1, got " +
                              given.str());
  }
  try {
    options.hidden = examples::parse_hidden_sizes(hidden);
  } catch (const std::invalid_argument& error) {
    examples::usage_error(app, error.what());
  }
  if (const std::string problem = examples::output_folder_problem(options.out); !problem.empty()) {
    examples::usage_error(app, "--out " + problem);
  }
  return options;
}

// The model's inputs: one Value per feature of each row, made once (they are leaves).
std::vector<std::vector<Value>> as_values(const ds::Table& table) {
  std::vector<std::vector<Value>> inputs;
  for (const std::vector<double>& row : table.rows) inputs.emplace_back(row.begin(), row.end());
  return inputs;
}

// The MLP's layers, each hidden one followed by a BatchNorm1d (with --batchnorm) and a Dropout
// (with --dropout). The parameters are the MLP's, then the BatchNorms' weights and biases.
class Classifier : public nn::Module {
 public:
  Classifier(std::size_t features, std::vector<std::size_t> hidden, bool batchnorm, double dropout)
      : mlp_(features, with_output(hidden)), dropout_(dropout) {
    if (batchnorm) {
      for (const std::size_t size : hidden) norms_.emplace_back(size);
    }
  }

  // One logit of class 0 per sample. It takes the whole batch because BatchNorm, in training,
  // normalises each feature over the batch.
  std::vector<Value> logits(const std::vector<std::vector<Value>>& batch) const {
    std::vector<std::vector<Value>> h = batch;
    const std::vector<nn::Layer>& layers = mlp_.layers();
    for (std::size_t k = 0; k < layers.size(); ++k) {
      for (std::vector<Value>& sample : h) sample = layers[k](sample);
      if (k + 1 == layers.size()) break;  // the output layer: no BatchNorm, no Dropout
      if (!norms_.empty()) h = norms_[k](h);
      if (dropout_.p() > 0) {
        for (std::vector<Value>& sample : h) sample = dropout_(sample);
      }
    }
    std::vector<Value> result;
    result.reserve(h.size());
    for (const std::vector<Value>& sample : h) result.push_back(sample[0]);
    return result;
  }

  std::vector<const Module*> children() const override {
    std::vector<const Module*> parts = {&mlp_};
    for (const nn::BatchNorm1d& norm : norms_) parts.push_back(&norm);
    if (dropout_.p() > 0) parts.push_back(&dropout_);
    return parts;
  }

  std::string describe() const override {
    std::string text = mlp_.describe();
    if (!norms_.empty()) text += ", a BatchNorm1d after each hidden layer";
    if (dropout_.p() > 0) text += ", then " + dropout_.describe();
    return text;
  }

 private:
  static std::vector<std::size_t> with_output(std::vector<std::size_t> sizes) {
    sizes.push_back(1);
    return sizes;
  }

  nn::MLP mlp_;
  std::vector<nn::BatchNorm1d> norms_;
  nn::Dropout dropout_;
};

// Counts of (true class, predicted class), class 0 being "malignant", the positive class.
struct Confusion {
  std::size_t counts[2][2] = {{0, 0}, {0, 0}};

  std::size_t total() const { return counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1]; }
  double accuracy() const { return ratio(counts[0][0] + counts[1][1], total()); }
  // Of the rows predicted malignant, the share that are.
  double precision() const { return ratio(counts[0][0], counts[0][0] + counts[1][0]); }
  // Of the malignant rows, the share found.
  double recall() const { return ratio(counts[0][0], counts[0][0] + counts[0][1]); }

  static double ratio(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
  }
};

// The model's predictions in eval mode (BatchNorm's running statistics, no Dropout), after which
// it is back in training mode.
Confusion confusion(Classifier& model, const ds::Table& table) {
  micrograd::NoGradGuard no_graph;
  model.eval();
  const std::vector<Value> logits = model.logits(as_values(table));
  model.train();
  Confusion result;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const int predicted = logits[i].data() > 0 ? 0 : 1;  // logit of class 0
    ++result.counts[table.labels[i]][predicted];
  }
  return result;
}

void print_confusion(const Confusion& matrix, const std::vector<std::string>& names) {
  std::printf("confusion matrix (rows: true class, columns: predicted):\n");
  std::printf("  %-12s %12s %12s\n", "", names[0].c_str(), names[1].c_str());
  for (int truth = 0; truth < 2; ++truth) {
    std::printf("  %-12s %12zu %12zu\n", names[static_cast<std::size_t>(truth)].c_str(),
                matrix.counts[truth][0], matrix.counts[truth][1]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    const fs::path path =
        options.data.empty() ? ds::find_breast_cancer_csv() : fs::path(options.data);
    const ds::Table table = ds::read_sklearn_csv(path);
    if (table.class_names.size() != 2) {
      throw std::invalid_argument(path.string() + " has " +
                                  std::to_string(table.class_names.size()) +
                                  " classes; this demo trains a binary classifier (two classes)");
    }
    ds::TrainTestSplit split = ds::split_train_test(table, options.test_fraction, options.seed);
    const ds::Standardizer standardize(split.train);  // the training rows only
    standardize.apply(split.train);
    standardize.apply(split.test);

    nn::manual_seed(options.seed);
    Classifier model(table.feature_count, options.hidden, options.batchnorm, options.dropout);
    std::printf("%s: %zu rows of %zu features; %zu to train, %zu to test (seed %llu)\n",
                path.string().c_str(), table.rows.size(), table.feature_count,
                split.train.rows.size(), split.test.rows.size(),
                static_cast<unsigned long long>(options.seed));
    std::printf("%s, %zu parameters; output: the logit of '%s'; BCE with logits, Adam lr %g\n",
                model.describe().c_str(), model.parameter_count(), table.class_names[0].c_str(),
                options.lr);

    const std::vector<std::vector<Value>> inputs = as_values(split.train);
    std::vector<double> targets;  // 1 for the positive class (class 0), else 0
    for (int label : split.train.labels) targets.push_back(label == 0 ? 1.0 : 0.0);
    nn::Adam optimizer(model.parameters(), {.lr = options.lr});
    std::string backward;
    const bool on_tape =
        micrograd::examples::choose_tape(options.backward, options.backward_given, backward);
    std::printf("backward: %s\n", backward.c_str());
    std::vector<double> losses;
    for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
      std::optional<micrograd::TapeGuard> tape;  // the step's graph, released when it ends
      if (on_tape) tape.emplace();
      const std::vector<Value> logits = model.logits(inputs);
      Value loss = nn::binary_cross_entropy_with_logits(logits, targets);
      if (!std::isfinite(loss.data())) {
        throw std::runtime_error("the loss is " + micrograd::examples::fixed(loss.data(), 6) +
                                 " at epoch " + std::to_string(epoch) +
                                 ": training diverged. Try a smaller --lr");
      }
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      losses.push_back(loss.data());
      if (epoch % 10 == 0 || epoch + 1 == options.epochs) {
        const Confusion test = confusion(model, split.test);
        std::printf("epoch %3zu  loss %s  test accuracy %.1f%%\n", epoch,
                    micrograd::examples::fixed(loss.data(), 4).c_str(), 100 * test.accuracy());
      }
    }

    const Confusion train = confusion(model, split.train);
    const Confusion test = confusion(model, split.test);
    std::printf("\ntraining accuracy %.1f%%\n", 100 * train.accuracy());
    std::printf("test accuracy %.1f%%, precision %.1f%%, recall %.1f%% (positive: %s)\n",
                100 * test.accuracy(), 100 * test.precision(), 100 * test.recall(),
                table.class_names[0].c_str());
    print_confusion(test, table.class_names);

    fs::create_directories(options.out);
    const fs::path curve = micrograd::examples::picture_path(options.out, "loss", options.format);
    micrograd::plots::LinePlotOptions line;
    line.title = "breast cancer: training loss";
    line.y_label = "loss";
    line.log_y = true;
    micrograd::plots::line_plot({micrograd::plots::Series("loss", losses)}, line).save(curve);
    std::printf("picture: %s\n", curve.string().c_str());
    return 0;
  } catch (const ds::DataNotFound& missing) {
    std::fprintf(stderr, "breast_cancer: %s\n", missing.what());
    return 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "breast_cancer: %s\n", error.what());
    return 1;
  }
}
