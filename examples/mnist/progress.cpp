// The progress line of the MNIST demo (see progress.hpp).
#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../common/number_text.hpp"

namespace mnist_demo {

std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
  }
  return text;
}

std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const long value = std::strtol(columns, nullptr, 10);
    if (value > 0) return static_cast<std::size_t>(value);
  }
  return 80;
}

std::string fit_progress_line(const std::string& before, double fraction, const std::string& after,
                              std::size_t columns) {
  constexpr std::size_t kWidestBar = 20;
  constexpr std::size_t kNarrowestBar = 5;
  // A terminal wraps a line that reaches its last column: stay one short of it.
  const std::size_t room = columns > 1 ? columns - 1 : 0;
  const std::size_t text = before.size() + after.size();
  if (text + 2 + kNarrowestBar <= room) {
    const std::size_t width = std::min(kWidestBar, room - text - 2);
    const auto filled =
        static_cast<std::size_t>(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(width));
    return before + "[" + std::string(filled, '#') + std::string(width - filled, '-') + "]" + after;
  }
  std::string line = before + after.substr(after.empty() ? 0 : 1);  // no bar: no double space
  if (line.size() > room) line.resize(room);
  return line;
}

EpochProgress::EpochProgress(std::size_t epoch, std::size_t epochs, std::size_t total,
                             std::size_t start, bool interactive)
    : epoch_(epoch),
      epochs_(epochs),
      total_(total),
      start_(start),
      interactive_(interactive),
      started_(Clock::now()),
      last_draw_(started_),
      next_tenth_(total > 0 ? start * 10 / total + 1 : 11) {}

void EpochProgress::update(std::size_t position, const Tally& tally) {
  if (interactive_) {
    const Clock::time_point now = Clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(200) && position < total_) return;
    last_draw_ = now;
    draw(position, tally);
  } else if (next_tenth_ <= 10 && position * 10 >= next_tenth_ * total_) {
    while (next_tenth_ <= 10 && position * 10 >= next_tenth_ * total_) ++next_tenth_;
    draw(position, tally);
  }
}

void EpochProgress::draw(std::size_t position, const Tally& tally) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  const double rate = elapsed > 0 ? static_cast<double>(position - start_) / elapsed : 0.0;
  const std::string eta =
      rate > 0 ? format_duration(static_cast<double>(total_ - position) / rate) : "?";
  const double fraction =
      total_ > 0 ? static_cast<double>(position) / static_cast<double>(total_) : 1.0;
  if (interactive_) {
    char before[32];
    std::snprintf(before, sizeof before, "epoch %2zu/%zu ", epoch_, epochs_);
    char after[160];
    std::snprintf(after, sizeof after, " %5zu/%zu  %.0f/s  ETA %s  loss %s  acc %.1f%%", position,
                  total_, rate, eta.c_str(),
                  micrograd::examples::fixed(tally.mean_loss(), 4).c_str(), tally.accuracy());
    const std::string text = fit_progress_line(before, fraction, after, terminal_columns());
    std::printf("\r%s", text.c_str());
    for (std::size_t i = text.size(); i < width_; ++i) std::putchar(' ');
    width_ = text.size();
  } else {
    std::printf(
        "epoch %zu/%zu %3.0f%%  %zu/%zu  %.0f samples/s  ETA %s  loss %s  accuracy %.1f%%\n",
        epoch_, epochs_, 100 * fraction, position, total_, rate, eta.c_str(),
        micrograd::examples::fixed(tally.mean_loss(), 4).c_str(), tally.accuracy());
  }
  std::fflush(stdout);
}

void EpochProgress::testing(std::size_t test_size) {
  if (!interactive_) return;
  const int length =
      std::printf("\repoch %2zu/%zu: evaluating %zu test images...", epoch_, epochs_, test_size);
  for (std::size_t i = static_cast<std::size_t>(length > 0 ? length - 1 : 0); i < width_; ++i) {
    std::putchar(' ');
  }
  width_ = static_cast<std::size_t>(length > 0 ? length - 1 : 0);
  std::fflush(stdout);
}

void EpochProgress::clear() {
  if (!interactive_ || width_ == 0) return;
  std::printf("\r%*s\r", static_cast<int>(width_), "");
  width_ = 0;
  std::fflush(stdout);
}

}  // namespace mnist_demo
