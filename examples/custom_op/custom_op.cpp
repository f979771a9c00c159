// Ops of your own, defined outside the library: leaky ReLU and the Huber loss, each a type with a
// name, its forward value and its local derivative, given to micrograd::apply_op
// (engine/custom_op.hpp). The program checks both with gradcheck, trains a small net with them
// (leaky ReLU as the hidden layer's nonlinearity, Huber in the loss), and, where viz is built,
// draws a graph that uses both. (softplus and |x| are the course's exercises 9.3 and 3.6, so they
// are not shown here.)
//
//   ./build/release/examples/custom_op/custom_op [--steps 1000] [--seed 1] [--out out/custom_op]
//
// Exit status 1 if a gradcheck fails or the net does not learn.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <micrograd/base/random.hpp>
#include <micrograd/engine/custom_op.hpp>
#include <micrograd/engine/gradcheck.hpp>
#include <micrograd/engine/many_inputs.hpp>
#include <micrograd/engine/value.hpp>
#include <micrograd/nn/optim.hpp>
#ifdef MICROGRAD_EXAMPLE_HAS_VIZ
#include <micrograd/viz/graphviz.hpp>
#endif
#include "../common/backward_choice.hpp"
#include "../common/command_line.hpp"
#include "../common/option_checks.hpp"
#include "../common/picture_format.hpp"

using micrograd::Value;

// leaky_relu(x) = x for x > 0, slope * x otherwise (PyTorch's default slope, 0.01): a ReLU whose
// units never die, since a negative input still passes a gradient of `slope`.
//   d/dx = 1 for x > 0, slope otherwise (at the kink x = 0, PyTorch's choice: slope).
// The slope is a constant of the type: an op is stateless, so a second slope is a second type.
struct LeakyRelu {
  static constexpr const char* name = "leaky_relu";
  static constexpr double slope = 0.01;
  static double forward(std::span<const double> x) { return x[0] > 0 ? x[0] : slope * x[0]; }
  static void derivatives(std::span<const double> x, double, std::span<double> local) {
    local[0] = x[0] > 0 ? 1.0 : slope;
  }
};

// The Huber loss of an error r (PyTorch's huber_loss with delta = 1): r^2 / 2 for |r| <= 1, and
// |r| - 1/2 beyond, where the two pieces meet with the same slope. Small errors are squared, as in
// the mean squared error; large ones count only linearly, so a few outliers cannot dominate.
//   d/dr = r for |r| <= 1, else sign(r): r clamped to [-1, 1], a slope without a kink.
struct Huber {
  static constexpr const char* name = "huber";
  static double forward(std::span<const double> r) {
    return std::fabs(r[0]) <= 1.0 ? 0.5 * r[0] * r[0] : std::fabs(r[0]) - 0.5;
  }
  static void derivatives(std::span<const double> r, double, std::span<double> local) {
    local[0] = std::clamp(r[0], -1.0, 1.0);
  }
};

Value leaky_relu(const Value& x) {
  return micrograd::apply_op<LeakyRelu>(x);
}
Value huber(const Value& error) {
  return micrograd::apply_op<Huber>(error);
}

// gradcheck compares backward() with finite differences. The points stay away from leaky ReLU's
// kink at 0, the one place where the two legitimately differ (Huber has no kink).
bool check_gradients() {
  const auto f = [](const std::vector<Value>& x) {
    return huber(leaky_relu(x[0] * x[1]) - x[2]) + leaky_relu(x[2] - x[0]);
  };
  bool all_ok = true;
  for (const std::vector<double>& point :
       std::vector<std::vector<double>>{{1.5, 2.0, 0.5}, {-1.5, 2.0, 0.5}, {0.7, -0.3, -2.0}}) {
    const micrograd::GradcheckResult result = micrograd::gradcheck(f, point);
    std::cout << "f(a, b, c) = huber(leaky_relu(a*b) - c) + leaky_relu(c - a) at (" << point[0]
              << ", " << point[1] << ", " << point[2] << "): gradcheck "
              << (result.ok() ? "ok" : "FAILED") << " (largest error " << result.max_error()
              << ")\n";
    if (!result.ok()) std::cout << result;
    all_ok = all_ok && result.ok();
  }
  return all_ok;
}

// A net of one input, `hidden` leaky-ReLU units and one linear output.
struct TinyNet {
  std::vector<Value> hidden_weights, hidden_biases, output_weights;
  Value output_bias = 0.0;

  TinyNet(std::size_t hidden, std::mt19937_64& generator) {
    for (std::size_t i = 0; i < hidden; ++i) {
      hidden_weights.emplace_back(micrograd::base::uniform(generator, -1.0, 1.0));
      hidden_biases.emplace_back(micrograd::base::uniform(generator, -1.0, 1.0));
      output_weights.emplace_back(micrograd::base::uniform(generator, -1.0, 1.0) /
                                  std::sqrt(static_cast<double>(hidden)));
    }
  }

  Value operator()(const Value& x) const {
    std::vector<Value> units;
    for (std::size_t i = 0; i < hidden_weights.size(); ++i) {
      units.push_back(leaky_relu(hidden_weights[i] * x + hidden_biases[i]));
    }
    return micrograd::dot(output_weights, units, output_bias);
  }

  std::vector<Value> parameters() const {
    std::vector<Value> all = hidden_weights;
    all.insert(all.end(), hidden_biases.begin(), hidden_biases.end());
    all.insert(all.end(), output_weights.begin(), output_weights.end());
    all.push_back(output_bias);
    return all;
  }
};

// The mean Huber loss: Huber is the op of our own here.
Value mean_huber_loss(const TinyNet& net, const std::vector<double>& xs,
                      const std::vector<double>& ys) {
  std::vector<Value> errors;
  for (std::size_t i = 0; i < xs.size(); ++i) errors.push_back(huber(net(xs[i]) - ys[i]));
  return micrograd::sum(errors) / static_cast<double>(xs.size());
}

// Fits y = sin(2x) on [-2, 2] with plain gradient descent; true if the loss fell to half of where
// it started.
bool train(std::size_t steps, TinyNet& net, bool on_tape) {
  std::vector<double> xs, ys;
  for (int i = 0; i <= 40; ++i) {
    xs.push_back(-2.0 + 0.1 * i);
    ys.push_back(std::sin(2.0 * xs.back()));
  }
  const std::vector<Value> parameters = net.parameters();
  double first = 0.0, last = 0.0;
  for (std::size_t step = 0; step <= steps; ++step) {
    std::optional<micrograd::TapeGuard> tape;  // the step's graph, released when it ends
    if (on_tape) tape.emplace();
    const Value loss = mean_huber_loss(net, xs, ys);
    if (step == 0) first = loss.data();
    last = loss.data();
    if (step % 200 == 0 || step == steps) {
      std::cout << "step " << std::setw(4) << step << "  mean Huber loss " << std::fixed
                << std::setprecision(4) << loss.data() << std::defaultfloat << "\n";
    }
    if (step == steps) break;
    micrograd::nn::zero_grad(parameters);  // leaves accumulate: clear the last step's
    loss.backward();
    const double learning_rate =
        0.05 * (1.0 - 0.9 * static_cast<double>(step) / static_cast<double>(steps));
    for (const Value& p : parameters) p.data() -= learning_rate * p.grad();
  }
  std::cout << "mean Huber loss " << first << " -> " << last << "\n";
  return last <= 0.5 * first;
}

// The fewest steps after which the loss must have fallen to half (it does in about 100).
constexpr std::size_t kStepsToJudge = 200;

int main(int argc, char** argv) {
  std::size_t steps = 1000;
  std::uint64_t seed = 1;
  std::filesystem::path out = "out/custom_op";
  CLI::App app(
      "Ops of your own (leaky ReLU and the Huber loss) defined with apply_op: gradchecked, "
      "trained with, and drawn.",
      "custom_op");
  micrograd::examples::use_demo_conventions(app);
  app.add_option("--steps", steps, "gradient descent steps")
      ->check(micrograd::examples::whole_number(1, 100000));
  app.add_option("--seed", seed, "the initial weights' seed")
      ->check(micrograd::examples::whole_number(0));
  app.add_option("--out", out, "the folder for the picture (when viz is built)");
  std::string format = "svg";
  micrograd::examples::add_format_option(app, format);
  std::string backward = "tape";
  micrograd::examples::add_backward_option(app, backward);
  micrograd::examples::parse_or_exit(app, argc, argv);
#ifdef MICROGRAD_EXAMPLE_HAS_VIZ
  // Before training: a bad --out fails now, as a usage error, not after the last step.
  if (const std::string problem = micrograd::examples::output_folder_problem(out);
      !problem.empty()) {
    micrograd::examples::usage_error(app, "--out " + problem);
  }
#endif
  try {
    std::string backward_line;
    const bool on_tape =
        micrograd::examples::choose_tape(backward, app.count("--backward") > 0, backward_line);
    std::cout << "Checking the ops' derivatives with gradcheck:\n";
    if (!check_gradients()) {
      std::cerr << "custom_op: an op's derivative disagrees with finite differences\n";
      return 1;
    }
    std::cout << "\nFitting sin(2x) with 16 leaky-ReLU units and a Huber loss:\n";
    std::mt19937_64 generator(seed);
    TinyNet net(16, generator);
    std::cout << "backward: " << backward_line << "\n";
    const bool learned = train(steps, net, on_tape);
#ifdef MICROGRAD_EXAMPLE_HAS_VIZ
    // One sample's loss through the trained net's first unit: both ops in one picture.
    std::filesystem::create_directories(out);
    const Value x = Value(0.5).label("x");
    const Value unit = leaky_relu(net.hidden_weights[0] * x + net.hidden_biases[0]).label("unit");
    const Value loss = huber(unit - 0.8).label("huber(unit - 0.8)");
    loss.backward();
    const std::filesystem::path picture = micrograd::examples::picture_path(out, "ops", format);
    micrograd::viz::render(loss, picture);
    std::cout << "picture: " << picture.string() << "\n";
#endif
    if (steps < kStepsToJudge) {
      std::cout << "(" << steps << " steps are too few to judge the fit: from " << kStepsToJudge
                << " on, the loss must fall to half)\n";
    } else if (!learned) {
      std::cerr << "custom_op: the loss did not fall to half of where it started\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "custom_op: " << error.what() << "\n";
    return 1;
  }
}
