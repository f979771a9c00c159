#include "plots/plots.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "common/files.hpp"
#include "pictures.hpp"

namespace micrograd::plots {
namespace {

using datasets::LabeledPoint;
using datasets::make_moons;
using datasets::make_spirals;
using datasets::Points;
using testing::count_pixels;
using testing::find_color;
using testing::frame_of;
using testing::PixelBox;
using testing::ScratchDir;

// MICROGRAD_PLOTS_DIR=/some/folder keeps the pictures the tests draw, to look at them.
void keep_for_inspection(const Canvas& canvas, const std::string& name) {
  if (const char* folder = std::getenv("MICROGRAD_PLOTS_DIR")) {
    canvas.save(std::filesystem::path(folder) / name);
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
  // Inside the frame, left to right.
  const PixelBox frame = frame_of(canvas);
  const testing::Found green = find_color(canvas, colors::green, 0, frame);
  EXPECT_LT(green.box.left, frame.left + 10);
  EXPECT_GT(green.box.right, frame.right - 12);
  keep_for_inspection(canvas, "line_plot.png");
}

// The rows where a curve of `color` is drawn: its middle row, its lowest row.
struct Rows {
  double middle = 0;
  int lowest = 0;
};
Rows rows_of(const Canvas& canvas, Color color) {
  const testing::Found found = find_color(canvas, color);
  EXPECT_GT(found.count, 0);
  return {(found.box.top + found.box.bottom) / 2.0, found.box.bottom};
}

// The MNIST demo asked for an axis from 80 and the old plot cut every value below it off: the
// curve ran into the bottom of the frame. Now the axis is linear over every value: a dip to 10 is
// drawn 80 units below the line at 90, eight times the 10 units from 90 to 100.
TEST(LinePlot, TheAxisCoversEveryPoint) {
  const Color top{200, 0, 200};
  const Color level{0, 200, 0};
  const Color dip{0, 0, 200};
  LinePlotOptions options;
  options.y_min = 80;
  options.y_max = 100;
  const Canvas canvas =
      line_plot({Series("", {100, 100, 100, 100}, top), Series("", {90, 90, 90, 90}, level),
                 Series("", {90, 10, 10, 90}, dip)},
                options);
  keep_for_inspection(canvas, "line_plot_axis.png");
  const double at_100 = rows_of(canvas, top).middle;
  const double at_90 = rows_of(canvas, level).middle;
  const double at_10 = rows_of(canvas, dip).lowest - 1.0;  // the marker's edge; its centre is above
  ASSERT_GT(at_90, at_100);
  EXPECT_NEAR((at_10 - at_90) / (at_90 - at_100), 8.0, 0.8);
  const PixelBox frame = frame_of(canvas);
  EXPECT_LE(rows_of(canvas, dip).lowest, frame.bottom) << "the dip is inside the frame";
  EXPECT_GE(rows_of(canvas, top).middle, frame.top) << "y_max = 100 is inside the frame";
}

// Two accuracy-like curves: training rising to 97 with the epochs, test flat near 75-85.
std::vector<Series> accuracy_curves(bool named, Color training, Color test) {
  std::vector<double> x, rising, flat;
  for (int i = 0; i <= 100; ++i) {
    x.push_back(i / 10.0);
    rising.push_back(97 - 47 * std::exp(-i / 10.0));
    flat.push_back(75 + 0.1 * i);
  }
  return {Series(named ? "training, every 1/20 epoch" : "", x, rising, training),
          Series(named ? "test" : "", x, flat, test)};
}

// In both README pictures the legend sat top right over the training curve. Every pixel of a curve
// drawn without a legend must still be there with it.
TEST(LinePlot, TheLegendCoversNoData) {
  const Color training{200, 0, 200};
  const Color test{0, 150, 0};
  const Canvas named = line_plot(accuracy_curves(true, training, test));
  const Canvas unnamed = line_plot(accuracy_curves(false, training, test));
  keep_for_inspection(named, "line_plot_legend.png");
  int covered = 0;
  for (int y = 0; y < named.height(); ++y) {
    for (int x = 0; x < named.width(); ++x) {
      const Color before = unnamed.pixel(x, y);
      if ((before == training || before == test) && named.pixel(x, y) != before) ++covered;
    }
  }
  EXPECT_EQ(covered, 0) << "curve pixels hidden by the legend";
  // The legend is there: its line swatches add pixels of both colours.
  EXPECT_GT(count_pixels(named, training), count_pixels(unnamed, training) + 20);
  EXPECT_GT(count_pixels(named, test), count_pixels(unnamed, test) + 20);
}

// Curves through every corner: the legend goes beside the frame.
TEST(LinePlot, TheLegendGoesBesideThePlotWhenEveryCornerHasData) {
  std::vector<double> zigzag;
  for (int i = 0; i <= 40; ++i) zigzag.push_back(i % 2 == 0 ? 0.0 : 1.0);
  const Color color{0, 150, 0};
  const Canvas canvas = line_plot({Series("a zigzag through every corner", zigzag, color)});
  keep_for_inspection(canvas, "line_plot_legend_beside.png");
  const PixelBox frame = frame_of(canvas);
  const testing::Found swatch =
      find_color(canvas, color, 0, {frame.right + 2, 0, canvas.width() - 1, canvas.height() - 1});
  EXPECT_GT(swatch.count, 20) << "the legend's swatch, right of the frame";
  EXPECT_GT(frame.right - frame.left, canvas.width() / 2) << "the frame is still most of it";
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
  EXPECT_NO_THROW(line_plot({}, fixed_range));
  EXPECT_THROW(line_plot({Series("bad", std::vector<double>{1}, std::vector<double>{1, 2})}),
               std::invalid_argument);
}

TEST(LinePlot, SavesAsPngSvgAndPdf) {
  ScratchDir dir;
  const Canvas canvas = line_plot(accuracy_curves(true, colors::red, colors::blue));
  canvas.save(dir / "plot.png");
  canvas.save(dir / "plot.svg");
  canvas.save(dir / "plot.pdf");
  const testing::PngPixels png = testing::read_png(dir / "plot.png");
  EXPECT_EQ(png.width, canvas.width());
  EXPECT_EQ(png.rgb, canvas.rgb());
  const testing::Xml svg = testing::parse_xml(testing::read_text(dir / "plot.svg"));
  EXPECT_EQ(svg.error, "");
  EXPECT_EQ(svg.root, "svg");
  EXPECT_EQ(testing::pdf_problem(testing::read_text(dir / "plot.pdf")), "");
}

// The colours of a binary decision plot's background: full where |score| >= 1.
const Color kClass0Full = mix(colors::white, palette(0), 0.42);
const Color kClass1Full = mix(colors::white, palette(1), 0.42);

TEST(DecisionPlot, ColoursTheTwoSidesOfTheBoundary) {
  const Points points = make_moons(100, 0.1, 42);
  // A "model" whose boundary is the vertical line x0 = 0.5.
  DecisionPlotOptions options;
  options.title = "moons";
  const Canvas canvas = decision_plot(
      points, [](double x0, double) { return 4 * (x0 - 0.5); }, options);
  keep_for_inspection(canvas, "decision_plot.png");
  EXPECT_EQ(canvas.width(), 640);
  const PixelBox frame = frame_of(canvas);
  const testing::Found left = find_color(canvas, kClass0Full, 0, frame);
  const testing::Found right = find_color(canvas, kClass1Full, 0, frame);
  EXPECT_GT(left.count, 5000);
  EXPECT_GT(right.count, 5000);
  EXPECT_EQ(left.box.left, frame.left);
  EXPECT_EQ(right.box.right, frame.right);
  EXPECT_LT(left.box.right + 20, right.box.left) << "class 0 left of the boundary, class 1 right";
  // The boundary: a dark line down the frame between them.
  const testing::Found boundary =
      find_color(canvas, colors::dark_gray, 40,
                 {left.box.right, frame.top + 2, right.box.left, frame.bottom - 2});
  EXPECT_GT(boundary.box.bottom - boundary.box.top, (frame.bottom - frame.top) * 9 / 10);
  EXPECT_GT(count_pixels(canvas, palette(0)), 100);  // the markers of class 0
  EXPECT_GT(count_pixels(canvas, palette(1)), 100);
}

// Beside the frame: a marker of each class's colour and a colour bar from class 1's full colour
// (score >= 1) to class 0's (score <= -1). The model predicts class 1 everywhere and the points
// lie left, so neither class 0 colour can come from the plot itself.
TEST(DecisionPlot, HasAClassLegendAndAColourBar) {
  const Points points = {{0.0, 0.0, 0}, {0.1, 0.2, 1}, {-0.1, 0.3, 0}};
  const Canvas canvas = decision_plot(points, [](double, double) { return 10.0; });
  keep_for_inspection(canvas, "decision_plot_legend.png");
  const PixelBox frame = frame_of(canvas);
  const PixelBox beside = {frame.right + 2, 0, canvas.width() - 1, canvas.height() - 1};
  EXPECT_GT(find_color(canvas, palette(0), 0, beside).count, 20) << "class 0's marker";
  EXPECT_GT(find_color(canvas, palette(1), 0, beside).count, 20) << "class 1's marker";
  const testing::Found bar_top = find_color(canvas, kClass1Full, 3, beside);
  const testing::Found bar_bottom = find_color(canvas, kClass0Full, 3, beside);
  EXPECT_GT(bar_top.count, 40);
  EXPECT_GT(bar_bottom.count, 40);
  EXPECT_LT(bar_top.box.bottom, bar_bottom.box.top) << "score 1 above score -1";
  EXPECT_EQ(find_color(canvas, kClass0Full, 3, frame).count, 0);
  // Text (the class names, "score" and its ticks) beside the frame.
  EXPECT_GT(find_color(canvas, colors::black, 60, beside).count, 100);
}

TEST(DecisionPlot, EvaluatesTheModelOnTheGridOnly) {
  int calls = 0;
  DecisionPlotOptions options;
  options.grid = 30;
  decision_plot(
      make_moons(20, 0.1, 1), [&](double, double) { return ++calls % 2 ? 1.0 : -1.0; }, options);
  EXPECT_EQ(calls, 900);
  calls = 0;
  decision_plot_classes(
      make_moons(20, 0.1, 1), [&](double, double) { return ++calls % 2; }, options);
  EXPECT_EQ(calls, 900);
  options.grid = 1;
  EXPECT_THROW(decision_plot(
                   {}, [](double, double) { return 0.0; }, options),
               std::invalid_argument);
}

TEST(DecisionPlot, ManyClasses) {
  const Points spirals = make_spirals(300, 3, 0.05, 1);
  DecisionPlotOptions options;
  options.class_names = {"inner", "middle", "outer"};
  const Canvas canvas = decision_plot_classes(
      spirals,
      [](double x0, double x1) {
        const double angle = std::atan2(x1, x0) + M_PI;  // three wedges
        return static_cast<int>(angle / (2 * M_PI / 3)) % 3;
      },
      options);
  keep_for_inspection(canvas, "decision_plot_classes.png");
  const PixelBox frame = frame_of(canvas);
  for (int label = 0; label < 3; ++label) {
    EXPECT_GT(find_color(canvas, mix(colors::white, palette(label), 0.3), 0, frame).count, 5000);
    EXPECT_GT(find_color(canvas, palette(label), 0, frame).count, 100) << "the points";
    EXPECT_GT(find_color(canvas, palette(label), 0,
                         {frame.right + 2, 0, canvas.width() - 1, canvas.height() - 1})
                  .count,
              20)
        << "the legend's marker of class " << label;
  }
}

TEST(DecisionPlot, APredictedClassWithoutPointsIsInTheLegend) {
  const Points points = {{0.0, 0.0, 0}, {1.0, 1.0, 0}};
  const Canvas canvas =
      decision_plot_classes(points, [](double x0, double) { return x0 < 0.5 ? 0 : 4; });
  const PixelBox frame = frame_of(canvas);
  EXPECT_GT(find_color(canvas, palette(4), 0,
                       {frame.right + 2, 0, canvas.width() - 1, canvas.height() - 1})
                .count,
            20);
}

// A point that is not finite cannot be drawn: it is left out, and the others are drawn as usual.
TEST(DecisionPlot, PointsThatAreNotFiniteAreLeftOut) {
  const Points points = {{0.0, 0.0, 0}, {NAN, 1.0, 1}, {1.0, INFINITY, 1}, {1.0, 1.0, 1}};
  const Canvas canvas = decision_plot(points, [](double x0, double) { return x0 - 0.5; });
  const PixelBox frame = frame_of(canvas);
  EXPECT_GT(find_color(canvas, palette(0), 0, frame).count, 20);
  EXPECT_GT(find_color(canvas, palette(1), 0, frame).count, 20);
  EXPECT_NO_THROW(
      decision_plot_classes(points, [](double x0, double) { return x0 < 0.5 ? 0 : 1; }));
}

TEST(DigitGrid, TilesWithCaptions) {
  std::vector<double> ones(784, 1.0);
  std::vector<double> ramp(784);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i % 28) / 27.0;
  std::vector<DigitTile> tiles;
  for (int i = 0; i < 13; ++i) {
    tiles.emplace_back(i % 2 ? ones : ramp, "true 7\npred " + std::to_string(i % 10),
                       i % 2 ? colors::red : colors::black);
  }
  DigitGridOptions options;
  options.columns = 5;
  options.title = "misclassified";
  const Canvas canvas = digit_grid(tiles, options);
  keep_for_inspection(canvas, "digit_grid.png");
  // 5 columns and 3 rows of 56-pixel images with their captions below.
  EXPECT_GT(canvas.width(), 5 * 56);
  EXPECT_LT(canvas.width(), 5 * 90);
  EXPECT_GT(canvas.height(), 3 * (56 + 30));
  // The six full-ink tiles: 56 x 56 black squares, sharp.
  EXPECT_GE(count_pixels(canvas, colors::black), 6 * 56 * 56);
  // Red captions under the red tiles.
  const testing::Found red = find_color(canvas, colors::red, 80);
  EXPECT_GT(red.count, 100);
  EXPECT_THROW(digit_grid({DigitTile(std::vector<double>(783))}), std::invalid_argument);
  const std::vector<double> missing(784, NAN);  // no ink, not a random grey
  EXPECT_EQ(count_pixels(digit_grid({DigitTile(missing)}), colors::white),
            count_pixels(digit_grid({DigitTile(std::vector<double>(784, 0.0))}), colors::white));
  EXPECT_NO_THROW(digit_grid({}));
}

TEST(DigitGrid, CaptionsAreTwoReadableLines) {
  std::vector<double> blank(784, 0.0);
  DigitGridOptions options;
  const Canvas canvas = digit_grid({DigitTile(blank, "true 7\npred 1", colors::red)}, options);
  const testing::Found caption = find_color(canvas, colors::red, 120);
  // Two lines of letters at least 8 pixels tall, one below the other.
  EXPECT_GE(caption.box.bottom - caption.box.top, 2 * 8 + 4);
  EXPECT_GE(caption.box.right - caption.box.left, 30);
}

}  // namespace
}  // namespace micrograd::plots
