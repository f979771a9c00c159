// How much faster the fused form and the tape are, on the engine you wrote: micrograd's demo
// training step (MLP(2, [16, 16, 1]), its 100 moons points, SVM loss + L2, SGD) timed op for op and
// with use_fused_ops(), where every neuron is one dot() node (chapter 9), each with the reference
// backward (a topological sort, chapter 4) and on a tape (one reverse sweep, chapter 11).
//
//   ./check demo speed                       on your engine
//   build/release/examples/speed/speed       on the reference solutions
//
// Both forms train from the notebook's weights for --steps steps; the losses must agree to the last
// bit (dot adds in the same order as the chain of "+"), and the program says so. On the tape the
// first loss must be the same to the last bit too (the forward pass is the same); later ones may
// differ in the last digits, since the sweep adds a parameter's gradients in another order. Until
// chapter 9 (or 11) is written it times what it can and says what to write next.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "../common/backward_choice.hpp"
#include "../common/command_line.hpp"
#include "../common/fused_ops.hpp"
#include "../common/micrograd_demo.hpp"
#include "../common/number_text.hpp"

namespace examples = micrograd::examples;

namespace {

struct Timing {
  double ms_per_step = 0.0;  // the median step: a busy machine slows some steps, not all
  std::size_t nodes_per_step = 0;
  std::vector<double> losses;  // one per step
};

// `steps` training steps with the notebook's learning-rate schedule, after one untimed step that
// warms the node pool up.
Timing time_steps(const examples::MicrogradDemo& demo, bool fused, bool on_tape,
                  std::size_t steps) {
  using Clock = std::chrono::steady_clock;
  examples::MicrogradDemoStep step(demo);
  step.model().use_fused_ops(fused);
  Timing timing;
  timing.nodes_per_step = step.nodes_per_step();
  examples::MicrogradDemoStep warm_up(demo);
  warm_up.model().use_fused_ops(fused);
  {
    std::optional<micrograd::TapeGuard> tape;
    if (on_tape) tape.emplace();
    warm_up.step(1.0);
  }
  std::vector<double> milliseconds;
  for (std::size_t k = 0; k < steps; ++k) {
    const double learning_rate = 1.0 - 0.9 * static_cast<double>(k) / 100.0;
    const auto start = Clock::now();
    std::optional<micrograd::TapeGuard> tape;  // the step's graph, released when it ends
    if (on_tape) tape.emplace();
    timing.losses.push_back(step.step(learning_rate));
    tape.reset();
    milliseconds.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::nth_element(milliseconds.begin(), milliseconds.begin() + milliseconds.size() / 2,
                   milliseconds.end());
  timing.ms_per_step = milliseconds[milliseconds.size() / 2];
  return timing;
}

void print(const char* form, const Timing& timing) {
  std::printf("  %-17s %8.3f ms per step, %6zu nodes per step, %5.1f ns per node\n", form,
              timing.ms_per_step, timing.nodes_per_step,
              timing.ms_per_step * 1e6 / static_cast<double>(timing.nodes_per_step));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(
      "Times micrograd's demo training step op for op and fused (every neuron one dot() node, "
      "chapter 9) on this engine, and checks that both give the same losses.",
      "speed");
  examples::use_demo_conventions(app);
  std::size_t steps = 20;
  app.add_option("--steps", steps, "timed training steps of each form (1 to 100)")
      ->check(examples::whole_number(1, 100));
  examples::parse_or_exit(app, argc, argv);
  try {
    const examples::MicrogradDemo demo =
        examples::read_micrograd_demo(MICROGRAD_SOURCE_DIR "/tests/reference");
    std::printf(
        "micrograd's demo step: MLP(2, [16, 16, 1]), 100 points, SVM loss + L2, SGD; the median of "
        "%zu steps\n",
        steps);
    const Timing op_for_op = time_steps(demo, false, false, steps);
    print("op for op", op_for_op);
    if (const std::string missing = examples::fused_ops_missing(); !missing.empty()) {
      // The stub's words on stderr: ./check demo names the exercise to write from them.
      std::fflush(stdout);
      std::fprintf(stderr, "speed: the fused form needs chapter 9 (sum and dot): %s\n",
                   missing.c_str());
      return 1;
    }
    const Timing fused = time_steps(demo, true, false, steps);
    print("fused", fused);
    std::printf(
        "  fused is %.1fx faster, with %.1fx fewer nodes\n",
        op_for_op.ms_per_step / fused.ms_per_step,
        static_cast<double>(op_for_op.nodes_per_step) / static_cast<double>(fused.nodes_per_step));
    for (std::size_t k = 0; k < steps; ++k) {
      if (fused.losses[k] == op_for_op.losses[k]) continue;
      std::fprintf(stderr,
                   "speed: at step %zu the fused loss is %s, op for op it is %s: they must be the "
                   "same to the last bit. Does dot() add bias + w0*x0 + w1*x1 + ... in that order? "
                   "./check 9.2 tests it\n",
                   k, examples::fixed(fused.losses[k], 17).c_str(),
                   examples::fixed(op_for_op.losses[k], 17).c_str());
      return 1;
    }
    std::printf("  the same losses to the last bit in every step (step %zu: %s)\n", steps - 1,
                examples::fixed(fused.losses.back(), 6).c_str());

    if (const std::string missing = examples::tape_missing(); !missing.empty()) {
      std::fflush(stdout);
      std::fprintf(stderr, "speed: the tape needs chapter 11 (the sweep): %s\n", missing.c_str());
      return 1;
    }
    const Timing op_for_op_tape = time_steps(demo, false, true, steps);
    print("op for op, tape", op_for_op_tape);
    const Timing fused_tape = time_steps(demo, true, true, steps);
    print("fused, tape", fused_tape);
    std::printf(
        "  the tape is %.1fx faster op for op, %.1fx fused; fused on the tape is %.1fx "
        "faster than micrograd's graph with the sort\n",
        op_for_op.ms_per_step / op_for_op_tape.ms_per_step,
        fused.ms_per_step / fused_tape.ms_per_step, op_for_op.ms_per_step / fused_tape.ms_per_step);
    for (const Timing* tape : {&op_for_op_tape, &fused_tape}) {
      if (tape->losses[0] == op_for_op.losses[0]) continue;
      std::fprintf(stderr,
                   "speed: on the tape the first loss is %s, with the sort it is %s: the forward "
                   "pass must be the same to the last bit\n",
                   examples::fixed(tape->losses[0], 17).c_str(),
                   examples::fixed(op_for_op.losses[0], 17).c_str());
      return 1;
    }
    const double drift = std::abs(fused_tape.losses.back() - fused.losses.back());
    std::printf(
        "  on the tape: the same first loss to the last bit; step %zu differs by %.1e "
        "(gradients added in another order)\n",
        steps - 1, drift);
    return 0;
  } catch (const std::exception& error) {
    // On a student's engine, a stub of an earlier chapter not written yet ends up here.
    std::fprintf(stderr, "speed: %s\n", error.what());
    return 1;
  }
}
