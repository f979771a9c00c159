// The MNIST demo's progress line fits the terminal (examples/mnist/progress.hpp). Before, it was
// about 85 columns wide whatever the window, and a narrower terminal wrapped it at every redraw.
#include "examples/mnist/progress.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mnist_demo {
namespace {

const std::string kBefore = "epoch  3/10 ";
const std::string kAfter = "  3712/8000  171/s  ETA 0:25  loss 0.2641  acc 92.1%";

TEST(ProgressLine, AWideTerminalGetsTheWholeBar) {
  const std::string line = fit_progress_line(kBefore, 0.5, kAfter, 120);
  EXPECT_EQ(line, kBefore + "[##########----------]" + kAfter);
}

TEST(ProgressLine, NeverReachesTheLastColumn) {
  for (std::size_t columns = 1; columns <= 120; ++columns) {
    const std::string line = fit_progress_line(kBefore, 0.3, kAfter, columns);
    EXPECT_LT(line.size(), columns) << "a line of " << line.size() << " in " << columns;
  }
}

TEST(ProgressLine, TheBarShrinksBeforeTheNumbersAreCut) {
  // 80 columns: 79 for the line, so what the text and the brackets leave for the bar.
  const std::size_t bar = 79 - kBefore.size() - kAfter.size() - 2;
  ASSERT_LT(bar, 20u);
  const std::string line = fit_progress_line(kBefore, 1.0, kAfter, 80);
  EXPECT_EQ(line, kBefore + "[" + std::string(bar, '#') + "]" + kAfter);
  const std::string narrow = fit_progress_line(kBefore, 1.0, kAfter, 70);
  EXPECT_EQ(narrow, kBefore + kAfter.substr(1)) << "no room for 5: no bar";
  const std::string cut = fit_progress_line(kBefore, 1.0, kAfter, 40);
  EXPECT_EQ(cut, (kBefore + kAfter.substr(1)).substr(0, 39));
}

}  // namespace
}  // namespace mnist_demo
