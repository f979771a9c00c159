// The MNIST demo's progress display: one line per epoch that redraws itself in a terminal, or a
// plain line every 10% when the output goes to a file or a pipe (a log stays readable). The
// redrawn line fits the terminal's width.
//
//   epoch  3/10 [#########-----------]  3712/8000  171/s  ETA 0:25  loss 0.2641  acc 92.1%
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "training_state.hpp"

namespace mnist_demo {

// "0:42", "12:05", "1:02:03".
std::string format_duration(double seconds);

// The width of the terminal stdout goes to (asked again at each redraw, so resizing the window
// works), else $COLUMNS, else 80.
std::size_t terminal_columns();

// The redrawn line for a terminal `columns` wide: `before`, a bar `fraction` full, `after`. The
// bar shrinks from 20 characters to 5, then goes; then the line is cut. It never reaches the last
// column, where a terminal would wrap it onto a new line at each redraw.
std::string fit_progress_line(const std::string& before, double fraction, const std::string& after,
                              std::size_t columns);

class EpochProgress {
 public:
  // `start`: samples of this epoch already trained (a resumed run). `interactive`: stdout is a
  // terminal.
  EpochProgress(std::size_t epoch, std::size_t epochs, std::size_t total, std::size_t start,
                bool interactive);

  // After each sample: `position` samples of the epoch done, `tally` their running sums. Draws at
  // most every 0.2 s (interactive) or at each tenth of the epoch (not).
  void update(std::size_t position, const Tally& tally);
  // The training part is over and the test set is being evaluated.
  void testing(std::size_t test_size);
  // Removes the bar (interactive), so that the epoch's summary line takes its place.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  void draw(std::size_t position, const Tally& tally);

  std::size_t epoch_;
  std::size_t epochs_;
  std::size_t total_;
  std::size_t start_;
  bool interactive_;
  Clock::time_point started_;
  Clock::time_point last_draw_;
  std::size_t next_tenth_;  // non-interactive: the next tenth to report (1..10)
  std::size_t width_ = 0;   // of the line drawn last, to blank it
};

}  // namespace mnist_demo
