// The progress line of the MNIST demo (see progress.hpp).
#include "progress.hpp"

#include <cmath>
#include <cstdio>

#include "examples/common/number_text.hpp"

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
  char line[200];
  int length = 0;
  if (interactive_) {
    constexpr int kBarWidth = 20;
    std::string bar(kBarWidth, '-');
    const auto filled = static_cast<std::size_t>(fraction * kBarWidth);
    for (std::size_t i = 0; i < filled && i < bar.size(); ++i) bar[i] = '#';
    length = std::snprintf(
        line, sizeof line, "epoch %2zu/%zu [%s] %5zu/%zu  %.0f/s  ETA %s  loss %s  acc %.1f%%",
        epoch_, epochs_, bar.c_str(), position, total_, rate, eta.c_str(),
        micrograd::examples::fixed(tally.mean_loss(), 4).c_str(), tally.accuracy());
    std::printf("\r%s", line);
    for (std::size_t i = static_cast<std::size_t>(length); i < width_; ++i) std::putchar(' ');
    width_ = static_cast<std::size_t>(length);
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
