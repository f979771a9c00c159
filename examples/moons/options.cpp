// The moons demo's command line (see options.hpp).
#include "options.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

#include "datasets/points.hpp"
#include "examples/common/command_line.hpp"
#include "examples/common/option_checks.hpp"

namespace moons_demo {

namespace fs = std::filesystem;

namespace {

const char* kUsage = R"(usage: moons [options]
  --dataset NAME     micrograd (the notebook's 100 points, default), moons, circles, spirals, xor,
                     or the path of a CSV file of x0,x1,label rows (./moons for a file named moons)
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
The notebook's own model (its data, --hidden 16,16, --loss hinge) starts from the notebook's
weights; any other starts from random weights drawn from --seed.
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "moons: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

double parse_number(const std::string& flag, const std::string& text) {
  return micrograd::examples::parse_number(flag, text, usage_error);
}

constexpr std::uint64_t kMaxCount = 1'000'000'000;

std::size_t parse_count(const std::string& flag, const std::string& text) {
  const std::uint64_t value = micrograd::examples::parse_whole(flag, text, 1, usage_error);
  if (value > kMaxCount) usage_error(flag + " takes at most 1000000000, got '" + text + "'");
  return static_cast<std::size_t>(value);
}

}  // namespace

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
      try {
        options.hidden = parse_hidden_sizes(value);
      } catch (const std::invalid_argument& error) {
        usage_error(error.what());
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
  if (const std::string problem = dataset_problem(options.dataset); !problem.empty()) {
    usage_error("--dataset " + problem);
  }
  if (options.optimizer == "adam" && !lr_given) options.lr = 0.05;
  return options;
}

std::vector<std::size_t> parse_hidden_sizes(const std::string& text) {
  const std::string expected =
      "--hidden takes the hidden layers' sizes separated by commas, such as 16,16; got '" + text +
      "'";
  if (text.empty()) throw std::invalid_argument(expected);
  std::vector<std::size_t> sizes;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string size = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (size.empty()) throw std::invalid_argument(expected + ", with an empty size");
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), value);
    if (error != std::errc() || end != size.data() + size.size() || value < 1 ||
        value > kMaxCount) {
      throw std::invalid_argument(expected + ": '" + size +
                                  "' is not a whole number from 1 to 1000000000");
    }
    sizes.push_back(static_cast<std::size_t>(value));
    if (comma == std::string::npos) return sizes;
    start = comma + 1;
  }
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
