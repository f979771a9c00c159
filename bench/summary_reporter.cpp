// engine_bench's summary (see summary_reporter.hpp), and PyTorch's step run beside it.
#include "bench/summary_reporter.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "engine/graph.hpp"
#include "engine/tape.hpp"

namespace micrograd::bench {

namespace {

// PyTorch's step (bench/torch_demo_step.py, float64, one thread, batched), measured now, while
// this program waits: {"median_ms": ..., "loss": ...}, or an empty object if python3-torch is
// missing.
nlohmann::json torch_demo_step() {
  const std::string command = "/usr/bin/python3 " MICROGRAD_SOURCE_DIR
                              "/bench/torch_demo_step.py --json --steps 2000 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return nlohmann::json::object();
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
  const int status = pclose(pipe);
  if (status != 0) return nlohmann::json::object();
  return nlohmann::json::parse(text, nullptr, false);  // a discarded value if it is not JSON
}

}  // namespace

void SummaryReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    Figures& figures = results_[run.benchmark_name()];
    figures.seconds = run.GetAdjustedRealTime() * multiplier(run.time_unit);
    for (const auto& [name, counter] : run.counters) figures.counters[name] = counter.value;
  }
  ConsoleReporter::ReportRuns(runs);
}

void SummaryReporter::PrintSummary() const {
  const auto seconds = [&](const std::string& name) { return find(name).seconds; };
  const auto counter = [&](const std::string& name, const std::string& key) {
    const auto& counters = find(name).counters;
    const auto it = counters.find(key);
    return it == counters.end() ? 0.0 : it->second;
  };
  const std::string median = "/repeats:5_median", fastest = "/repeats:5_min";
  std::printf(
      "\nSummary: medians of 5 runs, fastest run in parentheses, every row after a thread has run"
      "\n(shared_ptr then counts atomically, as in any threaded program); targets for a 2-core"
      "\nmachine in brackets\n\nmicrograd's demo step, MLP(2, [16, 16, 1]) on 100 points:\n");
  const auto row = [&](const char* what, const std::string& name) {
    std::printf("  %-34s %7.3f ms (%.3f) %6.1f ns/node, %6.0f nodes\n", what,
                seconds(name + median) * 1e3, seconds(name + fastest) * 1e3,
                counter(name + median, "ns_per_node"), counter(name + median, "nodes"));
    return seconds(name + median);
  };
  const double graph_step = row("GraphMlp, op for op, reference", "BM_DemoStep_Graph/tape:0");
  const double graph_tape = row("GraphMlp, op for op, tape", "BM_DemoStep_Graph/tape:1");
  row("nn::MLP, op for op, reference", "BM_DemoStep_Mlp/fused:0/tape:0");
  row("nn::MLP, op for op, tape", "BM_DemoStep_Mlp/fused:0/tape:1");
  const double fused_step =
      row("nn::MLP, fused (dot), reference", "BM_DemoStep_Mlp/fused:1/tape:0");
  const double fused_tape = row("nn::MLP, fused (dot), tape", "BM_DemoStep_Mlp/fused:1/tape:1");
  const std::string one_thread = "BM_DemoStep_MlpAllCores/threads:1/repeats:5/real_time_";
  const std::string every_core = "BM_DemoStep_MlpAllCores/threads:0/repeats:5/real_time_";
  const double parallel_one = seconds(one_thread + "median");
  const double all_cores = seconds(every_core + "median");
  std::printf("  %-34s %7.3f ms (%.3f)\n", "fused, tape, DataParallel, 1 thread",
              parallel_one * 1e3, seconds(one_thread + "min") * 1e3);
  std::printf("  fused, tape, DataParallel, %2.0f threads %7.3f ms (%.3f)\n",
              counter(every_core + "median", "threads"), all_cores * 1e3,
              seconds(every_core + "min") * 1e3);
  const double loop_step = seconds("BM_DemoStep_HandWrittenLoops" + median);
  std::printf("  %-34s %7.3f ms\n", "plain loops (the backward by hand)", loop_step * 1e3);
  const nlohmann::json torch = torch_demo_step();
  double torch_step = 0.0;
  if (torch.is_object() && torch.contains("median_ms")) {
    torch_step = torch["median_ms"].get<double>() * 1e-3;
    std::printf("  PyTorch %s, batched, float64, 1 thread: %.3f ms (loss %.17g)\n",
                torch.value("torch", "?").c_str(), torch_step * 1e3, torch.value("loss", 0.0));
  } else {
    std::printf(
        "  PyTorch: not measured (needs python3-torch: sudo apt-get install python3-torch)\n");
  }

  std::printf("\nPer node, GraphMlp op for op:\n");
  const std::string phases = "BM_DemoStep_Phases" + median;
  std::printf(
      "  reference: build %.1f ns, topological sort %.1f ns, reset + propagate %.1f ns, "
      "free %.1f ns\n",
      counter(phases, "build_ns"), counter(phases, "sort_ns"), counter(phases, "propagate_ns"),
      counter(phases, "free_ns"));
  const std::string tape_phases = "BM_DemoStep_TapePhases" + median;
  std::printf("  tape:      build %.1f ns, backward (one sweep) %.1f ns, release %.1f ns\n",
              counter(tape_phases, "build_ns"), counter(tape_phases, "backward_ns"),
              counter(tape_phases, "release_ns"));
  std::printf("  memory: %zu B per pooled node (node + control block), %zu B per tape node\n",
              micrograd::bytes_per_node(), micrograd::Tape::bytes_per_node());

  const double fastest_step = std::min(
      {graph_step, graph_tape, fused_step, fused_tape, all_cores > 0 ? all_cores : fused_tape});
  std::printf("\nRatios (this run):\n");
  if (torch_step > 0) {
    std::printf("  fastest demo step / PyTorch's batched step: %6.2fx   [<= 1.0]\n",
                fastest_step / torch_step);
  }
  if (loop_step > 0) {
    std::printf("  fastest demo step / plain loops:            %6.1fx   [<= 10]\n",
                fastest_step / loop_step);
  }
  std::printf("  op for op on the tape, all-in per node:     %6.1f ns  [<= 18 ns]\n",
              counter("BM_DemoStep_Graph/tape:1" + median, "ns_per_node"));
  if (graph_tape > 0) {
    std::printf("  op for op, reference / tape:                %6.2fx\n", graph_step / graph_tape);
  }
  if (fused_tape > 0) {
    std::printf("  fused, reference / tape:                    %6.2fx\n", fused_step / fused_tape);
  }
  if (all_cores > 0) {
    std::printf("  DataParallel, %.0f threads vs 1:              %6.2fx   [>= 1.6 on 2 cores]\n",
                counter(every_core + "median", "threads"), parallel_one / all_cores);
  }
  const double forward = seconds("BM_DemoForward_WithGraph" + median);
  const double no_grad = seconds("BM_DemoForward_NoGrad" + median);
  if (no_grad > 0) {
    std::printf("  forward, graph / no-grad:                   %6.2fx (%.3f ms vs %.3f ms)\n",
                forward / no_grad, forward * 1e3, no_grad * 1e3);
  }
  std::printf("\nChains:\n  1M chain build+backward+free: %5.1f ns/node\n",
              counter("BM_Chain_BuildBackwardFree/1000000" + median, "ns_per_node"));
  std::printf("  bytes per live node:          %5.1f B (sizeof(Node) = %.0f)   [<= 128 B]\n",
              counter("BM_Chain_BytesPerLiveNode/iterations:1", "bytes_per_node"),
              counter("BM_Chain_BytesPerLiveNode/iterations:1", "sizeof_node"));
  std::printf("  10M chain backward():         %5.3f s   [<= 3 s]\n",
              seconds("BM_Chain10M_BackwardOnly/iterations:2"));
}

double SummaryReporter::multiplier(benchmark::TimeUnit unit) {
  switch (unit) {
    case benchmark::kNanosecond:
      return 1e-9;
    case benchmark::kMicrosecond:
      return 1e-6;
    case benchmark::kMillisecond:
      return 1e-3;
    default:
      return 1.0;
  }
}

const SummaryReporter::Figures& SummaryReporter::find(const std::string& name) const {
  static const Figures missing;
  const auto it = results_.find(name);
  return it == results_.end() ? missing : it->second;
}

}  // namespace micrograd::bench
