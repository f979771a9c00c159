// The moons demo's command line (see options.hpp).
#include "options.hpp"

#include <charconv>
#include <stdexcept>
#include <system_error>

#include <micrograd/datasets/points.hpp>
#include "../common/backward_choice.hpp"
#include "../common/command_line.hpp"
#include "../common/hidden_sizes.hpp"
#include "../common/option_checks.hpp"
#include "../common/picture_format.hpp"

namespace moons_demo {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMaxCount = 1'000'000'000;
// Each point is a graph through the model at every step: ten million points of the notebook's
// model take about 9 GB a step, fused (the memory check below refuses what a machine cannot hold).
constexpr std::uint64_t kMaxSamples = 10'000'000;
// Far above any sensible L2 penalty or noise, and far below where their squares overflow.
constexpr double kMaxAlpha = 1e6;
constexpr double kMaxNoise = 1e6;

}  // namespace

Options parse(int argc, char** argv) {
  namespace examples = micrograd::examples;
  Options options;
  CLI::App app(
      "Trains an MLP on 2-D points, as micrograd's demo notebook does, and draws the "
      "decision boundary and the loss curve. The notebook's own model (its data, "
      "--hidden 16,16, --loss hinge) starts from the notebook's weights; any other "
      "starts from random weights drawn from --seed.",
      "moons");
  examples::use_demo_conventions(app);
  app.add_option("--dataset", options.dataset,
                 "micrograd (the notebook's 100 points), moons, circles, spirals, xor, or the "
                 "path of a CSV file of x0,x1,label rows (./moons for a file named moons)");
  app.add_option("--samples", options.samples,
                 "points to generate (1 to 10^7, as memory allows: the demo says when it does not)")
      ->check(examples::whole_number(1, kMaxSamples));
  app.add_option("--noise", options.noise, "Gaussian noise of generated points (0 to 10^6)")
      ->check(examples::number_in(0, kMaxNoise));
  app.add_option("--seed", options.seed, "seed for the points and the weights")
      ->check(examples::whole_number(0));
  app.add_option("--steps", options.steps, "full-batch training steps (1 to 10^9)")
      ->check(examples::whole_number(1, kMaxCount));
  std::string hidden = "16,16";
  app.add_option("--hidden", hidden, "hidden layer sizes, separated by commas");
  app.add_option("--loss", options.loss, "the loss")
      ->check(CLI::IsMember({"hinge", "mse", "bce", "cross_entropy"}));
  app.add_option("--optimizer", options.optimizer, "sgd (lr decays linearly to 10%) or adam")
      ->check(CLI::IsMember({"sgd", "adam"}));
  app.add_option("--lr", options.lr, "initial learning rate, > 0 (adam's default: 0.05)")
      ->check(examples::finite_number(true));
  app.add_option("--alpha", options.alpha, "L2 penalty (0 to 10^6)")
      ->check(examples::number_in(0, kMaxAlpha));
  app.add_option("--ops", options.ops,
                 "fused (each neuron one dot node: the same numbers, faster) or op-by-op "
                 "(micrograd's graph, one node per + and *)")
      ->check(CLI::IsMember({"fused", "op-by-op"}));
  examples::add_backward_option(app, options.backward);
  app.add_option("--out", options.out, "where to write the pictures");
  examples::add_format_option(app, options.format);
  examples::parse_or_exit(app, argc, argv);
  options.ops_given = app.count("--ops") > 0;
  options.backward_given = app.count("--backward") > 0;

  try {
    options.hidden = micrograd::examples::parse_hidden_sizes(hidden);
  } catch (const std::invalid_argument& error) {
    examples::usage_error(app, error.what());
  }
  if (const std::string problem = dataset_problem(options.dataset); !problem.empty()) {
    examples::usage_error(app, "--dataset " + problem);
  }
  if (options.optimizer == "adam" && app.count("--lr") == 0) options.lr = 0.05;
  return options;
}

const std::vector<std::string>& builtin_datasets() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all = {"micrograd"};
    for (const std::string& name : micrograd::datasets::point_dataset_names()) {
      all.push_back(name);
    }
    return all;
  }();
  return names;
}

bool is_builtin_dataset(const std::string& name) {
  for (const std::string& builtin : builtin_datasets()) {
    if (name == builtin) return true;
  }
  return false;
}

std::string dataset_choices() {
  std::string names;
  for (const std::string& name : builtin_datasets()) names += (names.empty() ? "" : ", ") + name;
  return "the built-in datasets are " + names +
         "; anything else is the path of a CSV file of x0,x1,label rows";
}

std::string dataset_problem(const std::string& name) {
  if (is_builtin_dataset(name)) return "";
  const std::string named = "'" + name + "'";
  std::error_code error;
  const fs::file_status status = fs::status(name, error);
  if (status.type() == fs::file_type::not_found) {
    return named + ": no such file (" + dataset_choices() + ")";
  }
  if (error) return named + " cannot be read (" + error.message() + "; " + dataset_choices() + ")";
  if (fs::is_directory(status)) {
    return named + " is a folder, not a CSV file (" + dataset_choices() + ")";
  }
  if (!fs::is_regular_file(status)) {
    return named + " is not a regular file (" + dataset_choices() + ")";
  }
  return "";
}

bool is_notebook_model(const Options& options) {
  return options.dataset == "micrograd" && options.hidden == std::vector<std::size_t>{16, 16} &&
         options.loss == "hinge";
}

}  // namespace moons_demo
