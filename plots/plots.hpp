// The demos' pictures, drawn on a Canvas (Cairo): curves, decision regions and a grid of digits,
// saved as PNG, SVG or PDF; and a line plot's numbers as CSV, to plot them with other tools.
//
//   LinePlotOptions options;
//   options.title = "moons: training loss";
//   const std::vector<Series> curves = {Series("loss", losses)};
//   line_plot(curves, options).save("out/loss.png");  // or .svg, .pdf
//   write_csv("out/loss.csv", curves);
//   decision_plot(points, [&](double x0, double x1) { return model({x0, x1}).data(); })
//       .save("out/moons.png");
//   digit_grid({DigitTile(test.image(i), "7 → 1", colors::red)}).save("out/wrong.png");
//
// The option structs have defaults for every field: set the ones you need by name, as above.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "datasets/points.hpp"
#include "plots/canvas.hpp"

namespace micrograd::plots {

// One curve: y[i] drawn at x[i], or at i when x is empty. Non-finite values (a NaN loss) leave a
// gap. Without a colour, the curve takes palette(its index).
struct Series {
  Series(std::string series_name, std::vector<double> y_values,
         std::optional<Color> line_color = std::nullopt)
      : name(std::move(series_name)), y(std::move(y_values)), color(line_color) {}
  Series(std::string series_name, std::vector<double> x_values, std::vector<double> y_values,
         std::optional<Color> line_color = std::nullopt)
      : name(std::move(series_name)),
        y(std::move(y_values)),
        x(std::move(x_values)),
        color(line_color) {}

  std::string name;
  std::vector<double> y;
  std::vector<double> x;
  std::optional<Color> color;
};

struct LinePlotOptions {
  int width = 640;
  int height = 400;
  std::string title;
  std::string x_label = "step";
  std::string y_label;
  bool log_y = false;  // a log10 axis (values <= 0 are left out): for losses
  // Values the y axis reaches at least (an accuracy axis up to 100). The axis always shows every
  // point as well: a plot never hides data.
  std::optional<double> y_min;
  std::optional<double> y_max;
};

// Curves on one pair of axes with ticks at round numbers and, when a series has a name, a legend:
// in the corner of the plot where it covers no curve, or beside the plot when every corner would.
// Throws std::invalid_argument when a series' x and y differ in length.
Canvas line_plot(const std::vector<Series>& series, const LinePlotOptions& options = {});

// The numbers of a line plot, for matplotlib, gnuplot or a spreadsheet: a CSV file with the
// header "series,x,y" and one row per value, series after series (x is 0, 1, ... for a series
// without x values; a non-finite value is written nan, inf or -inf). Numbers are written in the
// shortest form that reads back as the same double. Written atomically, creating missing folders.
// Throws std::invalid_argument as line_plot does, base::WriteError when it cannot be written.
void write_csv(const std::filesystem::path& path, const std::vector<Series>& series);

struct DecisionPlotOptions {
  int width = 640;
  int height = 520;
  std::string title;
  int grid = 100;        // the model is evaluated on grid x grid points, then interpolated
  double padding = 0.5;  // space around the points, in data units
  int marker_radius = 4;
  std::vector<std::string> class_names;  // the legend's name of class i; "class i" when missing
};

// A binary classifier's view of the plane: the background shows which class it predicts (class 1
// where score(x0, x1) > 0, as with micrograd's SVM loss), paler near the boundary, full colour
// where |score| >= 1 (outside the margin); the boundary score = 0 is a dark line; the points are
// drawn on top in the colours of their true classes (palette(label)). Both axes share one scale.
// Beside the plot: a legend of the classes and a colour bar that reads a colour as a score.
using ScoreFunction = std::function<double(double x0, double x1)>;
Canvas decision_plot(const datasets::Points& points, const ScoreFunction& score,
                     const DecisionPlotOptions& options = {});

// The same for any number of classes: predict(x0, x1) returns a class index. Beside the plot, a
// legend of the classes (those of the points and those predicted).
using ClassFunction = std::function<int(double x0, double x1)>;
Canvas decision_plot_classes(const datasets::Points& points, const ClassFunction& predict,
                             const DecisionPlotOptions& options = {});

// One image of a grid: pixels in [0, 1] (0 background, 1 ink), row after row, and a caption
// below it (UTF-8, lines separated by '\n').
struct DigitTile {
  DigitTile(std::span<const double> image, std::string text = "", Color text_color = colors::black)
      : pixels(image), caption(std::move(text)), caption_color(text_color) {}

  std::span<const double> pixels;
  std::string caption;
  Color caption_color = colors::black;
};

struct DigitGridOptions {
  std::size_t image_rows = 28;
  std::size_t image_cols = 28;
  int scale = 2;  // screen pixels per image pixel
  int columns = 10;
  std::string title;
};

// Images in rows of options.columns, ink dark on white, each with its caption. Throws
// std::invalid_argument for a tile whose pixel count is not image_rows * image_cols.
Canvas digit_grid(const std::vector<DigitTile>& tiles, const DigitGridOptions& options = {});

// 0, 0.25, 0.5, ... : about `target` round numbers (1, 2 or 5 times a power of ten apart) that
// cover [low, high]. Used for axis ticks.
std::vector<double> nice_ticks(double low, double high, int target = 5);

}  // namespace micrograd::plots
