// engine_bench's summary: it keeps every run's figures while Google Benchmark prints its table,
// then says what they mean (see engine_bench.cpp): ns per node, ratios taken inside this one run,
// PyTorch's step measured alongside (bench/torch_demo_step.py), and the targets.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace micrograd::bench {

// Keeps each run's figures so the summary can compare benchmarks measured in this same run.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  // The summary, after every benchmark has run.
  void PrintSummary() const;

 private:
  struct Figures {
    double seconds = 0.0;
    std::map<std::string, double> counters;
  };

  static double multiplier(benchmark::TimeUnit unit);
  const Figures& find(const std::string& name) const;

  std::map<std::string, Figures> results_;
};

}  // namespace micrograd::bench
