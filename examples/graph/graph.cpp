// Drawing what backward() did: micrograd's README expression, a graph that uses a node twice and
// the lecture's tanh neuron, each before and after backward(), as SVG (or --format png|pdf); the
// neuron's backward pass step by step, as a web page with a slider (open
// neuron_watch_backward/backward.html); and a graph recorded on a tape, its nodes numbered in the
// order they were made (chapter 11).
//
//   ./build/release/examples/graph/graph [--out out/graph] [--format svg|png|pdf]
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include <micrograd/engine/tape.hpp>
#include <micrograd/engine/value.hpp>
#include <micrograd/viz/graphviz.hpp>
#include "../common/command_line.hpp"
#include "../common/option_checks.hpp"
#include "../common/picture_format.hpp"

using micrograd::Value;
namespace viz = micrograd::viz;

// micrograd's README example, op for op. Every `+=` makes a new node (c, then c', then c''), so
// the picture shows each rebinding as its own box.
Value readme_expression() {
  Value a = Value(-4.0).label("a");
  Value b = Value(2.0).label("b");
  Value c = (a + b).label("c");
  Value d = (a * b + b.pow(3)).label("d");
  c += c + 1;
  c.label("c'");
  c += 1 + c + (-a);
  c.label("c''");
  d += d * 2 + (b + a).relu();
  d.label("d'");
  d += 3 * d + (b - a).relu();
  d.label("d''");
  Value e = (c - d).label("e");
  Value f = e.pow(2).label("f");
  Value g = (f / 2.0).label("g");
  g += 10.0 / f;
  return g.label("g'");
}

// The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b), with b chosen so that n = 0.8814 and
// o = 0.7071, which makes do/dn = 1 - o^2 = 0.5 exactly.
Value tanh_neuron() {
  Value x1 = Value(2.0).label("x1");
  Value x2 = Value(0.0).label("x2");
  Value w1 = Value(-3.0).label("w1");
  Value w2 = Value(1.0).label("w2");
  Value b = Value(6.8813735870195432).label("b");
  Value x1w1 = (x1 * w1).label("x1*w1");
  Value x2w2 = (x2 * w2).label("x2*w2");
  Value sum = (x1w1 + x2w2).label("x1*w1 + x2*w2");
  Value n = (sum + b).label("n");
  return n.tanh().label("o");
}

// The lecture's bug hunt: a and b are each used twice (by d = a*b and by e = a+b), so each gets
// two shares of gradient, which backward() must add (+=), not overwrite:
// df/da = e*b + d = 1*3 + (-6) = -3 and df/db = e*a + d = 1*(-2) + (-6) = -8.
Value used_twice() {
  Value a = Value(-2.0).label("a");
  Value b = Value(3.0).label("b");
  Value d = (a * b).label("d");
  Value e = (a + b).label("e");
  return (d * e).label("f");
}

// The same graph recorded on a tape (chapter 11), each node labelled with its place on the tape:
// the order the ops ran in. Every arrow runs from a smaller number to a larger one, because an op's
// inputs exist before the op does: creation order is a topological order, and walking the tape
// backwards from the root is a valid order for backward(). `g` is made too but not used by f, so
// the sweep skips it (and the picture, drawn from f, does not show it).
Value used_twice_on_a_tape(const micrograd::TapeGuard& guard) {
  const micrograd::Tape& tape = guard.tape();
  const auto place = [&](const Value& value, const std::string& name) {
    return value.label("#" + std::to_string(tape.position_of(value.node())) + " " + name);
  };
  Value a = place(Value(-2.0), "a");
  Value b = place(Value(3.0), "b");
  Value d = place(a * b, "d = a*b");
  Value e = place(a + b, "e = a+b");
  place(a - b, "g = a-b (unused)");
  return place(d * e, "f = d*e");
}

// Draws `root` before and after backward() into <out>/<name>_forward.<format> and _backward.
void draw_before_and_after(const Value& root, const std::filesystem::path& out,
                           const std::string& name, const std::string& format) {
  const std::filesystem::path forward =
      micrograd::examples::picture_path(out, name + "_forward", format);
  const std::filesystem::path backward =
      micrograd::examples::picture_path(out, name + "_backward", format);
  viz::render(root, forward);
  root.backward();
  viz::render(root, backward);
  std::cout << "  " << forward.string() << "   (data only: every grad is 0)\n"
            << "  " << backward.string() << "  (after backward(): every grad filled in)\n";
}

int main(int argc, char** argv) {
  std::filesystem::path out = "out/graph";
  CLI::App app(
      "Draws micrograd graphs before and after backward() (SVG, or --format png or pdf), and a "
      "page that "
      "replays backward step by step.",
      "graph");
  micrograd::examples::use_demo_conventions(app);
  app.add_option("--out", out, "the folder for the pictures");
  // The step-by-step page stays SVG whatever the format: a browser shows it, frame by frame.
  std::string format = "svg";
  micrograd::examples::add_format_option(app, format);
  micrograd::examples::parse_or_exit(app, argc, argv);
  // Before drawing anything: a bad --out is a usage error.
  if (const std::string problem = micrograd::examples::output_folder_problem(out);
      !problem.empty()) {
    micrograd::examples::usage_error(app, "--out " + problem);
  }
  try {
    std::filesystem::create_directories(out);
    std::cout << "micrograd's README expression:\n";
    draw_before_and_after(readme_expression(), out, "readme", format);

    std::cout << "a node used twice (its grad adds up):\n";
    draw_before_and_after(used_twice(), out, "used_twice", format);

    std::cout << "the tanh neuron:\n";
    const Value neuron = tanh_neuron();
    draw_before_and_after(neuron, out, "neuron", format);
    // watch_backward replays backward from zero and restores the grads afterwards.
    const viz::BackwardAnimation steps = viz::watch_backward(neuron, out / "neuron_watch_backward");
    std::cout << "  " << steps.page.string() << "  (" << steps.frames.size()
              << " frames: open it in a browser, step with the arrow keys)\n";
    std::cout << "a node used twice, on a tape (each label starts with the node's place on it):\n";
    {
      const micrograd::TapeGuard guard;
      const Value root = used_twice_on_a_tape(guard);
      root.backward();
      const std::filesystem::path tape =
          micrograd::examples::picture_path(out, "tape_order", format);
      viz::render(root, tape);
      std::cout << "  " << tape.string()
                << "  (every arrow goes from a smaller place to a larger)\n";
    }
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "graph: " << error.what() << "\n";
    return 1;
  }
}
