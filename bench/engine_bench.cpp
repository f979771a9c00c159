// Engine benchmarks: what a node costs to build, backpropagate and free, on a long chain and on
// micrograd's demo training step, against the same step written as plain loops.
//
//   ./build/release/bench/engine_bench
//
// After Google Benchmark's table, a summary (summary_reporter.cpp) prints ns per node, the ratio to
// hand-written loops and to PyTorch, the same step on nn::MLP op for op and fused (every neuron one
// dot node, Module::use_fused_ops), bytes per live node and the targets they are held to. Figures,
// not pass/fail: this is not a test.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/summary_reporter.hpp"
#include "engine/graph.hpp"
#include "engine/modes.hpp"
#include "engine/tape.hpp"
#include "engine/value.hpp"
#include "examples/common/micrograd_demo.hpp"
#include "nn/data_parallel.hpp"
#include "nn/loss.hpp"
#include "nn/mlp.hpp"

using micrograd::Value;

namespace {

void set_per_node_counters(benchmark::State& state, double nodes_per_iteration) {
  state.counters["nodes"] = nodes_per_iteration;
  state.counters["ns_per_node"] =
      benchmark::Counter(nodes_per_iteration * static_cast<double>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Timings on a shared machine vary from run to run: the summary reports the median of five runs
// of each timed benchmark, and the fastest of them.
void Repeated(benchmark::internal::Benchmark* bench) {
  bench->Repetitions(5)->ReportAggregatesOnly(true)->ComputeStatistics(
      "min",
      [](const std::vector<double>& runs) { return *std::min_element(runs.begin(), runs.end()); });
}

// ---- a long chain ------------------------------------------------------------------------------

Value build_chain(const Value& start, std::int64_t length) {
  Value chain = start;
  for (std::int64_t i = 0; i < length; ++i) chain = -chain;  // one node per op
  return chain;
}

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// RSS growth while a million-node chain is alive, divided by its nodes. Registered first: the node
// pool keeps the memory of freed graphs for reuse, so later it would find nothing to grow into.
void BM_Chain_BytesPerLiveNode(benchmark::State& state) {
  double bytes_per_node = 0.0;
  for (auto _ : state) {
    const long before = resident_bytes();
    Value chain = build_chain(Value(1.0), 1'000'000);
    const long after = resident_bytes();
    bytes_per_node = static_cast<double>(after - before) / 1'000'001.0;
    benchmark::DoNotOptimize(chain.data());
  }
  state.counters["bytes_per_node"] = bytes_per_node;
  state.counters["sizeof_node"] = static_cast<double>(sizeof(micrograd::Node));
}
BENCHMARK(BM_Chain_BytesPerLiveNode)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Chain_BuildBackwardFree(benchmark::State& state) {
  for (auto _ : state) {
    Value x = 1.0;
    Value chain = build_chain(x, state.range(0));
    chain.backward();
    benchmark::DoNotOptimize(x.grad());
  }
  set_per_node_counters(state, static_cast<double>(state.range(0) + 1));
}
BENCHMARK(BM_Chain_BuildBackwardFree)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Apply(Repeated);

// The ten-million-op chain: backward() alone, timed by hand around the call.
void BM_Chain10M_BackwardOnly(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    Value x = 1.0;
    Value chain = build_chain(x, 10'000'000);
    state.ResumeTiming();
    chain.backward();
    state.PauseTiming();
    benchmark::DoNotOptimize(x.grad());
    chain = Value();  // freeing ten million nodes is not part of backward
    x = Value();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Chain10M_BackwardOnly)->Iterations(2)->Unit(benchmark::kSecond);

// ---- micrograd's demo: MLP(2, [16, 16, 1]), 100 moons points, SVM loss + L2 ------------------

constexpr int kHidden = 16;
constexpr double kAlpha = 1e-4;
constexpr std::size_t kDemoNodesPerStep = 65'481;  // micrograd's count, parameters excluded

using DemoData = micrograd::examples::MicrogradDemo;

const DemoData& demo_data() {
  static const DemoData data = [] {
    try {
      return micrograd::examples::read_micrograd_demo(MICROGRAD_SOURCE_DIR "/tests/reference");
    } catch (const std::exception& error) {
      std::fprintf(stderr, "engine_bench: %s\n", error.what());
      std::exit(1);
    }
  }();
  return data;
}

// The model as micrograd holds it: one Value per parameter, neuron by neuron, weights then bias.
struct GraphMlp {
  std::vector<Value> parameters;
  GraphMlp() {
    for (double w : demo_data().initial_parameters) parameters.emplace_back(w);
  }

  // micrograd's Neuron: sum((wi*xi for wi, xi in zip(w, x)), b), then relu unless linear.
  Value neuron(std::size_t& next, const std::vector<Value>& inputs, bool relu) const {
    const std::size_t first = next;
    next += inputs.size() + 1;
    Value activation = parameters[first + inputs.size()];  // the bias starts the sum
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      activation = activation + parameters[first + i] * inputs[i];
    }
    return relu ? activation.relu() : activation;
  }

  Value forward(const std::array<double, 2>& point) const {
    std::size_t next = 0;
    std::vector<Value> layer = {Value(point[0]), Value(point[1])};
    for (int width : {kHidden, kHidden}) {
      std::vector<Value> out;
      out.reserve(static_cast<std::size_t>(width));
      for (int j = 0; j < width; ++j) out.push_back(neuron(next, layer, true));
      layer = std::move(out);
    }
    return neuron(next, layer, false);
  }

  // The notebook's loss(): SVM max-margin data loss plus L2, built op for op.
  Value loss() const {
    const DemoData& data = demo_data();
    Value data_loss = 0.0;
    for (std::size_t s = 0; s < data.points.size(); ++s) {
      const Value score = forward(data.points[s]);
      data_loss = data_loss + (1 + -data.labels[s] * score).relu();
    }
    data_loss = data_loss * (1.0 / static_cast<double>(data.points.size()));
    Value squares = 0.0;
    for (const Value& p : parameters) squares = squares + p * p;
    return data_loss + kAlpha * squares;
  }
};

// The same step as plain loops: forward, then the backward pass derived by hand.
struct LoopMlp {
  std::vector<double> parameters, grads;
  LoopMlp() : parameters(demo_data().initial_parameters), grads(parameters.size()) {}

  double step() {
    std::fill(grads.begin(), grads.end(), 0.0);
    const DemoData& data = demo_data();
    const double* w = parameters.data();
    double* g = grads.data();
    // Parameter offsets: layer 1 is 16 x (2 + 1), layer 2 is 16 x (16 + 1), layer 3 is 1 x 17.
    constexpr int kL2 = kHidden * 3, kL3 = kL2 + kHidden * (kHidden + 1);
    double data_loss = 0.0;
    const double scale = 1.0 / static_cast<double>(data.points.size());
    for (std::size_t s = 0; s < data.points.size(); ++s) {
      const double x0 = data.points[s][0], x1 = data.points[s][1];
      std::array<double, kHidden> h1{}, h2{}, d1{}, d2{};
      for (int j = 0; j < kHidden; ++j) {
        const double* n = w + 3 * j;
        h1[j] = std::max(0.0, n[2] + n[0] * x0 + n[1] * x1);
      }
      for (int j = 0; j < kHidden; ++j) {
        const double* n = w + kL2 + (kHidden + 1) * j;
        double a = n[kHidden];
        for (int i = 0; i < kHidden; ++i) a += n[i] * h1[i];
        h2[j] = std::max(0.0, a);
      }
      double score = w[kL3 + kHidden];
      for (int i = 0; i < kHidden; ++i) score += w[kL3 + i] * h2[i];
      const double margin = 1.0 - data.labels[s] * score;
      if (margin <= 0.0) continue;  // relu'(margin) = 0: no gradient from this sample
      data_loss += margin;
      const double d_score = -data.labels[s] * scale;
      g[kL3 + kHidden] += d_score;
      for (int i = 0; i < kHidden; ++i) {
        g[kL3 + i] += d_score * h2[i];
        d2[i] = h2[i] > 0.0 ? d_score * w[kL3 + i] : 0.0;
      }
      for (int j = 0; j < kHidden; ++j) {
        if (d2[j] == 0.0) continue;
        const double* n = w + kL2 + (kHidden + 1) * j;
        double* gn = g + kL2 + (kHidden + 1) * j;
        gn[kHidden] += d2[j];
        for (int i = 0; i < kHidden; ++i) {
          gn[i] += d2[j] * h1[i];
          d1[i] += d2[j] * n[i];
        }
      }
      for (int j = 0; j < kHidden; ++j) {
        if (h1[j] <= 0.0) continue;
        double* gn = g + 3 * j;
        gn[0] += d1[j] * x0;
        gn[1] += d1[j] * x1;
        gn[2] += d1[j];
      }
    }
    double squares = 0.0;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      squares += parameters[i] * parameters[i];
      grads[i] += 2.0 * kAlpha * parameters[i];
    }
    return data_loss * scale + kAlpha * squares;
  }
};

// Arg 1: on a tape (engine/tape.hpp), where each step's nodes are released together.
void BM_DemoStep_Graph(benchmark::State& state) {
  const bool on_tape = state.range(0) == 1;
  GraphMlp model;
  {
    const Value loss = model.loss();
    const std::size_t created = micrograd::graph_stats(loss).node_count - model.parameters.size();
    if (created != kDemoNodesPerStep) {
      state.SkipWithError("the demo step does not build micrograd's 65,481 nodes");
      return;
    }
  }
  for (auto _ : state) {
    std::optional<micrograd::TapeGuard> tape;
    if (on_tape) tape.emplace();
    for (Value& p : model.parameters) p.grad() = 0.0;
    Value loss = model.loss();
    loss.backward();
    benchmark::DoNotOptimize(loss.data());
  }  // each iteration's graph is freed when `loss` goes out of scope (with the tape, after it)
  set_per_node_counters(state, static_cast<double>(kDemoNodesPerStep));
}
BENCHMARK(BM_DemoStep_Graph)
    ->ArgName("tape")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Apply(Repeated);

// The same step, timed phase by phase: where the time goes. The sort is timed on its own
// (topological_order, exercise 4.1), then backward() (which sorts again, resets and propagates):
// resetting and propagating is the difference.
void BM_DemoStep_Phases(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  GraphMlp model;
  Clock::duration build{}, sort{}, backward{}, free{};
  for (auto _ : state) {
    for (Value& p : model.parameters) p.grad() = 0.0;
    const auto start = Clock::now();
    Value loss = model.loss();
    const auto built = Clock::now();
    benchmark::DoNotOptimize(micrograd::topological_order(loss).size());
    const auto sorted = Clock::now();
    loss.backward();
    const auto propagated = Clock::now();
    loss = Value();
    const auto freed = Clock::now();
    build += built - start;
    sort += sorted - built;
    backward += propagated - sorted;
    free += freed - propagated;
  }
  const auto per_node = [&](Clock::duration total) {
    return std::chrono::duration<double, std::nano>(total).count() /
           (static_cast<double>(state.iterations()) * static_cast<double>(kDemoNodesPerStep));
  };
  state.counters["build_ns"] = per_node(build);
  state.counters["sort_ns"] = per_node(sort);
  state.counters["propagate_ns"] = per_node(backward - sort);
  state.counters["free_ns"] = per_node(free);
}
BENCHMARK(BM_DemoStep_Phases)->Unit(benchmark::kMillisecond)->Apply(Repeated);

// The same step on a tape, phase by phase: build, backward (one sweep), release.
void BM_DemoStep_TapePhases(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  GraphMlp model;
  Clock::duration build{}, sweep{}, release{};
  for (auto _ : state) {
    for (Value& p : model.parameters) p.grad() = 0.0;
    auto tape = std::make_optional<micrograd::TapeGuard>();
    const auto start = Clock::now();
    Value loss = model.loss();
    const auto built = Clock::now();
    loss.backward();
    const auto swept = Clock::now();
    loss = Value();
    tape.reset();
    const auto released = Clock::now();
    build += built - start;
    sweep += swept - built;
    release += released - swept;
  }
  const auto per_node = [&](Clock::duration total) {
    return std::chrono::duration<double, std::nano>(total).count() /
           (static_cast<double>(state.iterations()) * static_cast<double>(kDemoNodesPerStep));
  };
  state.counters["build_ns"] = per_node(build);
  state.counters["backward_ns"] = per_node(sweep);
  state.counters["release_ns"] = per_node(release);
}
BENCHMARK(BM_DemoStep_TapePhases)->Unit(benchmark::kMillisecond)->Apply(Repeated);

void BM_DemoStep_HandWrittenLoops(benchmark::State& state) {
  LoopMlp model;
  // The loops must compute what the graph computes, or the ratio means nothing.
  GraphMlp reference;
  Value loss = reference.loss();
  loss.backward();
  const double loop_loss = model.step();
  double worst = std::abs(loop_loss - loss.data());
  for (std::size_t i = 0; i < model.grads.size(); ++i) {
    worst = std::max(worst, std::abs(model.grads[i] - reference.parameters[i].grad()));
  }
  if (worst > 1e-12) {
    state.SkipWithError("hand-written loops disagree with the graph");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(model.step());
  set_per_node_counters(state, static_cast<double>(kDemoNodesPerStep));
}
BENCHMARK(BM_DemoStep_HandWrittenLoops)->Unit(benchmark::kMicrosecond)->Apply(Repeated);

// The same step on the library's nn::MLP (examples/common/micrograd_demo.hpp, as examples/speed
// times it): op for op (fused 0), and fused (1), where every neuron is one dot node. Learning rate
// 0, so that every iteration is the notebook's first step; the update still runs.
void BM_DemoStep_Mlp(benchmark::State& state) {
  micrograd::examples::MicrogradDemoStep step(demo_data());
  step.model().use_fused_ops(state.range(0) == 1);
  const bool on_tape = state.range(1) == 1;
  const std::size_t nodes = step.nodes_per_step();
  for (auto _ : state) {
    std::optional<micrograd::TapeGuard> tape;
    if (on_tape) tape.emplace();
    benchmark::DoNotOptimize(step.step(0.0));
  }
  set_per_node_counters(state, static_cast<double>(nodes));
}
BENCHMARK(BM_DemoStep_Mlp)
    ->ArgNames({"fused", "tape"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Apply(Repeated);

// The same step fused, its samples spread over every core with nn::DataParallel: each thread
// builds and backpropagates its points' graphs (relu(1 - y * score) / 100 each) on a replica, the
// gradients are added in point order, and the L2 term's graph is backpropagated on this thread
// (on its tape, as in the fused step).
// (Its loss is the same sum as the fused step's, added in another order.)
void BM_DemoStep_MlpAllCores(benchmark::State& state) {
  const micrograd::examples::MicrogradDemo& demo = demo_data();
  micrograd::examples::MicrogradDemoStep step(demo);  // the notebook's model and weights
  micrograd::nn::MLP& model = step.model();
  std::vector<Value> parameters = model.parameters();
  model.use_fused_ops();
  micrograd::nn::DataParallel parallel(
      model,
      [] {
        return std::make_unique<micrograd::nn::MLP>(2, std::vector<std::size_t>{16, 16, 1});
      },
      static_cast<std::size_t>(state.range(0)));
  const double scale = 1.0 / static_cast<double>(demo.points.size());
  const auto point_loss = [&](const micrograd::nn::Module& replica, std::size_t i) {
    const auto& mlp = static_cast<const micrograd::nn::MLP&>(replica);
    const Value score = mlp({Value(demo.points[i][0]), Value(demo.points[i][1])})[0];
    return (1 + -demo.labels[i] * score).relu() * scale;
  };
  for (auto _ : state) {
    for (Value& p : parameters) p.grad() = 0.0;
    const std::vector<double> losses =
        parallel.accumulate_gradients(demo.points.size(), point_loss, 1);
    const micrograd::TapeGuard tape;  // the L2 term's graph too, as in the fused step
    Value penalty = micrograd::nn::l2_penalty(parameters, 1e-4);
    penalty.backward();
    benchmark::DoNotOptimize(losses.data());
  }
  state.counters["threads"] = static_cast<double>(parallel.thread_count());
}
BENCHMARK(BM_DemoStep_MlpAllCores)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(0)  // one per core
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Apply(Repeated);

// Evaluation only: the forward pass with and without building the graph.
void BM_DemoForward_WithGraph(benchmark::State& state) {
  GraphMlp model;
  for (auto _ : state) benchmark::DoNotOptimize(model.loss().data());
}
BENCHMARK(BM_DemoForward_WithGraph)->Unit(benchmark::kMillisecond)->Apply(Repeated);

void BM_DemoForward_NoGrad(benchmark::State& state) {
  GraphMlp model;
  micrograd::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(model.loss().data());
}
BENCHMARK(BM_DemoForward_NoGrad)->Unit(benchmark::kMillisecond)->Apply(Repeated);

}  // namespace

int main(int argc, char** argv) {
  // Every row is timed in the same threading state: once a program has started a thread,
  // libstdc++'s shared_ptr counts with atomic operations, and every threaded trainer pays that.
  std::thread([] {}).join();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  micrograd::bench::SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary();
  benchmark::Shutdown();
  return 0;
}
