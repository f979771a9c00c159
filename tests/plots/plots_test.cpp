#include "plots/plots.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "common/files.hpp"
#include "pictures.hpp"

namespace micrograd::plots {
namespace {

using datasets::make_moons;
using datasets::make_spirals;
using datasets::Points;
using testing::count_pixels;
using testing::ScratchDir;

// MICROGRAD_PLOTS_DIR=/some/folder keeps the pictures the tests draw, to look at them.
void keep_for_inspection(const Canvas& canvas, const std::string& name) {
  if (const char* folder = std::getenv("MICROGRAD_PLOTS_DIR")) {
    canvas.save_png(std::filesystem::path(folder) / name);
  }
}

TEST(NiceTicks, RoundNumbersCoveringTheRange) {
  EXPECT_EQ(nice_ticks(0.0, 1.0, 5),
            (std::vector<double>{0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0}));
  const std::vector<double> ticks = nice_ticks(0.13, 0.97, 5);
  EXPECT_LE(ticks.front(), 0.13);
  EXPECT_GE(ticks.back(), 0.97);
  EXPECT_NEAR(ticks[1] - ticks[0], 0.2, 1e-12);
  EXPECT_EQ(nice_ticks(-3, 97, 5), (std::vector<double>{-20, 0, 20, 40, 60, 80, 100}));
  const std::vector<double> around_five = nice_ticks(5, 5, 5);  // one value: widened around it
  EXPECT_LT(around_five.front(), 5.0);
  EXPECT_GT(around_five.back(), 5.0);
  EXPECT_EQ(nice_ticks(2, 1, 5).front(), 1.0);
  EXPECT_EQ(nice_ticks(-1e308, 1e308, 5).size(), 2u);  // a range beyond doubles: just the ends
  const std::vector<double> tiny = nice_ticks(1e-6, 3e-6, 4);
  EXPECT_NEAR(tiny.back(), 3e-6, 1e-18);
}

TEST(LinePlot, DrawsEachSeriesInItsColour) {
  std::vector<double> loss;
  std::vector<double> accuracy;
  for (int step = 0; step < 100; ++step) {
    loss.push_back(2.0 * std::exp(-step / 20.0));
    accuracy.push_back(1.0 - 0.5 * std::exp(-step / 15.0));
  }
  LinePlotOptions options;
  options.width = 500;
  options.height = 300;
  options.title = "training";
  options.y_label = "value";
  const Canvas canvas =
      line_plot({Series("loss", loss), Series("accuracy", accuracy, colors::green)}, options);
  EXPECT_EQ(canvas.width(), 500);
  EXPECT_EQ(canvas.height(), 300);
  EXPECT_GT(count_pixels(canvas, palette(0)), 150);  // the first series: palette(0)
  EXPECT_GT(count_pixels(canvas, colors::green), 150);
  keep_for_inspection(canvas, "line_plot.png");
}

TEST(LinePlot, LogAxisExplicitXAndGaps) {
  const Series loss("loss", {1, 2, 3, 4, 5, 6}, {1.0, 0.5, NAN, 0.01, 0.0, 1e-3}, colors::red);
  LinePlotOptions options;
  options.title = "log loss";
  options.x_label = "epoch";
  options.log_y = true;
  const Canvas canvas = line_plot({loss}, options);
  EXPECT_GT(count_pixels(canvas, colors::red), 50);
  keep_for_inspection(canvas, "line_plot_log.png");
  EXPECT_NO_THROW(line_plot({}));
  EXPECT_NO_THROW(line_plot({Series("empty", {})}));
  EXPECT_NO_THROW(line_plot({Series("extreme", {-1e308, 1e308, 0})}));
  LinePlotOptions fixed_range;
  fixed_range.y_min = 0;
  fixed_range.y_max = 1;
  EXPECT_NO_THROW(line_plot({Series("flat", {3, 3, 3})}, fixed_range));
  EXPECT_THROW(line_plot({Series("bad", std::vector<double>{1}, std::vector<double>{1, 2})}),
               std::invalid_argument);
}

TEST(DecisionPlot, ColoursTheTwoSidesOfTheBoundary) {
  const Points points = make_moons(100, 0.1, 42);
  // A "model" whose boundary is the vertical line x0 = 0.5.
  DecisionPlotOptions options;
  options.width = 400;
  options.height = 400;
  options.title = "moons";
  const Canvas canvas = decision_plot(
      points, [](double x0, double) { return 4 * (x0 - 0.5); }, options);
  EXPECT_EQ(canvas.width(), 400);
  // Away from points, the left edge is class 0's colour and the right edge class 1's, at full
  // strength (|score| >= 1).
  const Color left = canvas.pixel(60, 330);
  const Color right = canvas.pixel(380, 60);
  EXPECT_EQ(left, mix(colors::white, palette(0), 0.42));
  EXPECT_EQ(right, mix(colors::white, palette(1), 0.42));
  EXPECT_GT(count_pixels(canvas, colors::dark_gray), 200);  // the boundary line and the frame
  EXPECT_GT(count_pixels(canvas, palette(0)), 100);         // the markers of class 0
  EXPECT_GT(count_pixels(canvas, palette(1)), 100);
  keep_for_inspection(canvas, "decision_plot.png");
}

TEST(DecisionPlot, EvaluatesTheModelOnTheGridOnly) {
  int calls = 0;
  DecisionPlotOptions options;
  options.grid = 30;
  decision_plot(
      make_moons(20, 0.1, 1), [&](double, double) { return ++calls % 2 ? 1.0 : -1.0; }, options);
  EXPECT_EQ(calls, 900);
  options.grid = 1;
  EXPECT_THROW(decision_plot(
                   {}, [](double, double) { return 0.0; }, options),
               std::invalid_argument);
}

TEST(DecisionPlot, ManyClasses) {
  const Points spirals = make_spirals(300, 3, 0.05, 1);
  const Canvas canvas = decision_plot_classes(spirals, [](double x0, double x1) {
    const double angle = std::atan2(x1, x0) + M_PI;  // three wedges
    return static_cast<int>(angle / (2 * M_PI / 3)) % 3;
  });
  EXPECT_GT(count_pixels(canvas, palette(2)), 100);
  EXPECT_GT(count_pixels(canvas, mix(colors::white, palette(2), 0.3)), 1000);
  keep_for_inspection(canvas, "decision_plot_classes.png");
}

TEST(DigitGrid, TilesWithCaptions) {
  std::vector<double> ones(784, 1.0);
  std::vector<double> ramp(784);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i % 28) / 27.0;
  std::vector<DigitTile> tiles;
  for (int i = 0; i < 13; ++i) {
    tiles.emplace_back(i % 2 ? ones : ramp, "7 -> " + std::to_string(i % 10),
                       i % 2 ? colors::red : colors::black);
  }
  DigitGridOptions options;
  options.columns = 5;
  options.title = "misclassified";
  const Canvas canvas = digit_grid(tiles, options);
  // 5 columns of 56-pixel images with 8-pixel gaps; 3 rows.
  EXPECT_EQ(canvas.width(), 8 + 5 * (56 + 8));
  EXPECT_EQ(canvas.height(), 24 + 8 + 3 * (56 + 8 + 4 + 8));
  EXPECT_EQ(canvas.pixel(8 + 64 + 10, 32 + 10), colors::black);  // tile 1: full ink
  EXPECT_EQ(canvas.pixel(8, 32), colors::white);                 // tile 0: ramp starts at 0
  EXPECT_GT(count_pixels(canvas, colors::red), 50);              // red captions
  keep_for_inspection(canvas, "digit_grid.png");

  EXPECT_NO_THROW(digit_grid({}));
  std::vector<double> wrong(783);
  EXPECT_THROW(digit_grid({DigitTile(wrong)}), std::invalid_argument);
}

TEST(Plots, SaveAsPng) {
  ScratchDir dir;
  const Canvas canvas = line_plot({Series("y", {1, 2, 3})});
  canvas.save_png(dir / "plot.png");
  const testing::PngPixels png = testing::read_png(dir / "plot.png");
  EXPECT_EQ(png.width, canvas.width());
  EXPECT_EQ(png.rgb, canvas.rgb());
}

}  // namespace
}  // namespace micrograd::plots
