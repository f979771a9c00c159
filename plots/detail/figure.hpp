// What the plots share: the fonts, the title, the frame that maps data to pixels, the axes with
// their ticks, a legend box, and the check of a series' lengths. Defined in figure.cpp.
//
// Internal to micrograd::plots (not installed).
#pragma once

#include <string>
#include <vector>

#include "plots/canvas.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots::detail {

inline const Font kTitleFont{15.0, true};
inline const Font kLabelFont{12.0};  // axis labels, legends, captions
inline const Font kTickFont{11.0};   // tick labels
inline constexpr double kMargin = 8.0;

// The title, centred at the top; the y below it where the rest may start (kMargin without a
// title), which title_bottom() tells without drawing.
double draw_title(Canvas& canvas, const std::string& title);
double title_bottom(const std::string& title);

// A rectangle of whole pixels showing [x_min, x_max] x [y_min, y_max], y up. Data map to the
// continuous pixel plane: x_min is `inset` pixels right of the frame's left edge, x_max as far
// left of its right edge (left + width), so that a curve or a marker at the end of the range is
// not drawn over the border.
struct Frame {
  int left = 0;
  int top = 0;
  int width = 1;
  int height = 1;
  double x_min = 0.0;
  double x_max = 1.0;
  double y_min = 0.0;
  double y_max = 1.0;
  double inset = 0.0;

  int right() const { return left + width; }
  int bottom() const { return top + height; }
  double to_pixel_x(double x) const {
    return left + inset + (x - x_min) / (x_max - x_min) * (width - 2 * inset);
  }
  double to_pixel_y(double y) const {
    return top + inset + (y_max - y) / (y_max - y_min) * (height - 2 * inset);
  }
  // The data point at the centre of pixel (column, row) of a frame without inset.
  double data_x(int column) const { return x_min + (column + 0.5) / width * (x_max - x_min); }
  double data_y(int row) const { return y_max - (row + 0.5) / height * (y_max - y_min); }
};

// nice_ticks for whole numbers only (steps, epochs): a step below 1 is raised to 1.
std::vector<double> integer_ticks(double low, double high, int target);

// "0.25", "1e+04", and "−2" with a true minus sign (U+2212), as typeset numbers have.
std::string format_tick(double value);

struct Axes {
  std::vector<double> x_ticks;
  std::vector<double> y_ticks;
  std::vector<std::string> x_tick_labels;
  std::vector<std::string> y_tick_labels;
  std::string x_label;
  std::string y_label;
};

// The space the axes take around a frame: left (y tick labels), top (the y label, above the
// frame's top-left corner), bottom (x tick labels and the x label), right (half the last x tick
// label).
struct Margins {
  double left = 0.0;
  double top = 0.0;
  double bottom = 0.0;
  double right = 0.0;
};
Margins axes_margins(const Axes& axes);

// Light grid lines at the y ticks, inside the frame (drawn before the data).
void draw_grid(Canvas& canvas, const Frame& frame, const std::vector<double>& y_ticks);
// The frame's border, ticks with labels left and below, and the axis labels.
void draw_axes(Canvas& canvas, const Frame& frame, const Axes& axes);

// One line of a legend: a short stroke of the series' colour or a marker of the class's colour,
// then its name.
struct LegendEntry {
  enum class Swatch { line, marker };
  std::string name;
  Color color;
  Swatch swatch = Swatch::line;
};
struct Box {
  double left = 0.0;
  double top = 0.0;
  double width = 0.0;
  double height = 0.0;
};
// The size of the legend's box; then drawing it with its top-left corner at (left, top).
Box legend_box(const std::vector<LegendEntry>& entries);
void draw_legend(Canvas& canvas, const std::vector<LegendEntry>& entries, double left, double top,
                 bool framed);

// Throws std::invalid_argument, naming `who`, when a series has x values but not one per y.
void check_lengths(const std::vector<Series>& series, const char* who);

}  // namespace micrograd::plots::detail
