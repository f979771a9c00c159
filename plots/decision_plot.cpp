// decision_plot and decision_plot_classes: a classifier's view of the plane, the data on top, and
// beside it a legend of the classes (and, for a score, a colour bar).
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "plots/detail/figure.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots {

using datasets::LabeledPoint;
using datasets::Points;
using detail::Frame;

namespace {

constexpr double kPanelGap = 18.0;  // between the frame and the legend beside it
constexpr double kBarWidth = 16.0;
constexpr double kBarHeight = 160.0;

// The background of a binary plot: the predicted class's colour, paler inside the margin
// |score| < 1, from 0.12 of the way to the class colour at the boundary to 0.42 at |score| >= 1.
Color score_color(double score) {
  const double confidence = std::min(std::abs(score), 1.0);
  return mix(colors::white, palette(score > 0 ? 1 : 0), 0.12 + 0.3 * confidence);
}

Color class_color(int label) {
  return mix(colors::white, palette(label), 0.3);
}

std::string class_name(const DecisionPlotOptions& options, int label) {
  if (label >= 0 && static_cast<std::size_t>(label) < options.class_names.size()) {
    return options.class_names[static_cast<std::size_t>(label)];
  }
  return "class " + std::to_string(label);
}

int checked_grid(const DecisionPlotOptions& options) {
  if (options.grid < 2 || options.grid > 2000) {
    throw std::invalid_argument(
        "decision_plot: grid is the number of model evaluations per axis; "
        "it must be in 2..2000, got " +
        std::to_string(options.grid));
  }
  return options.grid;
}

// The points' bounding box plus padding.
struct Bounds {
  double x_low = -1.0;
  double x_high = 1.0;
  double y_low = -1.0;
  double y_high = 1.0;
};

// A point with a coordinate that is not finite cannot be drawn; it is left out.
bool drawable(const LabeledPoint& point) {
  return std::isfinite(point.x0) && std::isfinite(point.x1);
}

Bounds padded_bounds(const Points& points, double padding) {
  Bounds bounds;
  if (std::any_of(points.begin(), points.end(), drawable)) {
    bounds.x_low = bounds.y_low = std::numeric_limits<double>::infinity();
    bounds.x_high = bounds.y_high = -bounds.x_low;
    for (const LabeledPoint& point : points) {
      if (!drawable(point)) continue;
      bounds.x_low = std::min(bounds.x_low, point.x0);
      bounds.x_high = std::max(bounds.x_high, point.x0);
      bounds.y_low = std::min(bounds.y_low, point.x1);
      bounds.y_high = std::max(bounds.y_high, point.x1);
    }
  }
  padding = std::max(padding, 0.0);
  bounds.x_low -= padding;
  bounds.x_high += padding;
  bounds.y_low -= padding;
  bounds.y_high += padding;
  if (bounds.x_high - bounds.x_low < 1e-9) bounds.x_high = bounds.x_low + 1.0;
  if (bounds.y_high - bounds.y_low < 1e-9) bounds.y_high = bounds.y_low + 1.0;
  return bounds;
}

// Ticks inside [low, high] only (the frame is not rounded out to ticks here).
std::vector<double> ticks_inside(double low, double high) {
  std::vector<double> ticks;
  for (double tick : nice_ticks(low, high, 6)) {
    if (tick >= low && tick <= high) ticks.push_back(tick);
  }
  return ticks;
}

detail::Axes axes_for(double x_low, double x_high, double y_low, double y_high) {
  detail::Axes axes;
  axes.x_ticks = ticks_inside(x_low, x_high);
  axes.y_ticks = ticks_inside(y_low, y_high);
  for (double tick : axes.x_ticks) axes.x_tick_labels.push_back(detail::format_tick(tick));
  for (double tick : axes.y_ticks) axes.y_tick_labels.push_back(detail::format_tick(tick));
  axes.x_label = "x0";
  axes.y_label = "x1";
  return axes;
}

// What goes beside the frame: the classes, the boundary, and for a score the colour bar.
struct Panel {
  std::vector<detail::LegendEntry> legend;
  bool color_bar = false;
};

const char* const kBarTicks[] = {"1", "0", "\u22121"};  // 1, 0, −1 (a minus sign)

double panel_width(const Panel& panel) {
  double width = detail::legend_box(panel.legend).width;
  if (panel.color_bar) {
    double labels = Canvas::text_width("score", detail::kLabelFont);
    for (const char* tick : kBarTicks) {
      labels = std::max(labels, kBarWidth + 9 + Canvas::text_width(tick, detail::kTickFont));
    }
    width = std::max(width, labels + 6);
  }
  return width;
}

// The frame: as large as the canvas allows beside the panel, showing the points' padded bounding
// box widened along one axis so that both axes have the same scale (circles stay round).
Frame decision_frame(const Points& points, const DecisionPlotOptions& options, const Panel& panel) {
  const Bounds bounds = padded_bounds(points, options.padding);
  // The margins depend on the tick labels, which depend on the frame: estimate them from the
  // bounding box (widening it adds ticks of the same kind).
  const detail::Margins margins =
      detail::axes_margins(axes_for(bounds.x_low, bounds.x_high, bounds.y_low, bounds.y_high));
  Frame frame;
  frame.left = static_cast<int>(std::ceil(margins.left));
  frame.top = static_cast<int>(std::ceil(detail::title_bottom(options.title) + margins.top));
  frame.width =
      std::max(options.width - frame.left -
                   static_cast<int>(std::ceil(kPanelGap + panel_width(panel) + detail::kMargin)),
               16);
  frame.height = std::max(options.height - frame.top - static_cast<int>(margins.bottom), 16);
  const double units_per_pixel = std::max((bounds.x_high - bounds.x_low) / frame.width,
                                          (bounds.y_high - bounds.y_low) / frame.height);
  const double x_center = (bounds.x_low + bounds.x_high) / 2;
  const double y_center = (bounds.y_low + bounds.y_high) / 2;
  frame.x_min = x_center - units_per_pixel * frame.width / 2;
  frame.x_max = x_center + units_per_pixel * frame.width / 2;
  frame.y_min = y_center - units_per_pixel * frame.height / 2;
  frame.y_max = y_center + units_per_pixel * frame.height / 2;
  return frame;
}

// The bar spans scores from 1.5 (top) to -1.5 (bottom): beyond +-1 the colour no longer changes,
// and the flat ends show it.
void draw_color_bar(Canvas& canvas, double left, double top) {
  const Font& label_font = detail::kLabelFont;
  canvas.draw_text(left, top, "score", colors::black, label_font);
  const double bar_top = top + Canvas::text_height("score", label_font) + 6;
  auto offset_of = [](double score) { return (1.5 - score) / 3.0; };
  // A sharp step at 0, where the predicted class changes.
  const Canvas::GradientStop stops[] = {
      {offset_of(1.5), score_color(1.0)},   {offset_of(1.0), score_color(1.0)},
      {offset_of(0.0), score_color(1e-9)},  {offset_of(0.0), score_color(0.0)},
      {offset_of(-1.0), score_color(-1.0)}, {offset_of(-1.5), score_color(-1.0)}};
  canvas.fill_vertical_gradient(left, bar_top, kBarWidth, kBarHeight, stops);
  canvas.draw_rect(left, bar_top, kBarWidth, kBarHeight, colors::gray);
  const double tick_height = Canvas::text_height("0", detail::kTickFont);
  for (int i = 0; i < 3; ++i) {
    const double score = 1.0 - i;
    const double y = std::floor(bar_top + offset_of(score) * kBarHeight) + 0.5;
    canvas.draw_line(left + kBarWidth, y, left + kBarWidth + 4, y, colors::dark_gray);
    canvas.draw_text(left + kBarWidth + 7, y - tick_height / 2, kBarTicks[i], colors::black,
                     detail::kTickFont);
  }
}

// The picture from a colour per pixel of the frame and the boundary's segments (in pixels), then
// the points, the axes and the panel.
Canvas draw_regions(Canvas canvas, const Points& points, const DecisionPlotOptions& options,
                    const Frame& frame, const std::vector<Color>& background,
                    const std::vector<Point>& boundary, const Panel& panel) {
  canvas.draw_image(frame.left, frame.top, frame.width, frame.height, background);
  canvas.clip(frame.left, frame.top, frame.width, frame.height);
  canvas.draw_segments(boundary, colors::dark_gray, 1.5);
  for (const LabeledPoint& point : points) {
    if (!drawable(point)) continue;
    canvas.draw_marker(frame.to_pixel_x(point.x0), frame.to_pixel_y(point.x1),
                       options.marker_radius, palette(point.label), colors::black);
  }
  canvas.reset_clip();
  detail::draw_title(canvas, options.title);
  detail::draw_axes(canvas, frame, axes_for(frame.x_min, frame.x_max, frame.y_min, frame.y_max));
  const double panel_left = frame.right() + kPanelGap;
  detail::draw_legend(canvas, panel.legend, panel_left, frame.top, true);
  if (panel.color_bar) {
    draw_color_bar(canvas, panel_left + 2,
                   frame.top + detail::legend_box(panel.legend).height + 16);
  }
  return canvas;
}

// The legend: the classes, in order, and the boundary.
std::vector<detail::LegendEntry> legend_entries(const std::set<int>& labels,
                                                const DecisionPlotOptions& options) {
  std::vector<detail::LegendEntry> entries;
  for (int label : labels) {
    entries.push_back(
        {class_name(options, label), palette(label), detail::LegendEntry::Swatch::marker});
  }
  entries.push_back({"boundary", colors::dark_gray, detail::LegendEntry::Swatch::line});
  return entries;
}

// Marching squares: the segments of the contour score = 0 through a grid of side x side scores
// (row j is y, column i is x), in grid units. In each cell, the contour crosses an edge whose ends
// are on different sides, at the point where the linear interpolation along it is 0.
std::vector<Point> zero_contour(const std::vector<double>& scores, std::size_t side) {
  std::vector<Point> segments;
  auto at = [&](std::size_t i, std::size_t j) { return scores[j * side + i]; };
  for (std::size_t j = 0; j + 1 < side; ++j) {
    for (std::size_t i = 0; i + 1 < side; ++i) {
      const double corner[4] = {at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)};
      const Point position[4] = {{double(i), double(j)},
                                 {double(i + 1), double(j)},
                                 {double(i + 1), double(j + 1)},
                                 {double(i), double(j + 1)}};
      // Edge k joins corner k and corner k + 1 (bottom, right, top, left).
      Point crossing[4];
      bool crossed[4];
      int count = 0;
      for (int k = 0; k < 4; ++k) {
        const int next = (k + 1) % 4;
        crossed[k] = (corner[k] > 0) != (corner[next] > 0);
        if (!crossed[k]) continue;
        const double t = corner[k] / (corner[k] - corner[next]);
        crossing[k] = {position[k].x + t * (position[next].x - position[k].x),
                       position[k].y + t * (position[next].y - position[k].y)};
        ++count;
      }
      if (count == 2) {
        for (int k = 0; k < 4; ++k) {
          if (crossed[k]) segments.push_back(crossing[k]);
        }
      } else if (count == 4) {
        // A saddle: corners 0 and 2 on one side, 1 and 3 on the other. The centre's side says
        // which pair is joined through the middle; the contour cuts off the other two corners.
        const bool center_inside = (corner[0] + corner[1] + corner[2] + corner[3]) / 4 > 0;
        const bool joined_02 = center_inside == (corner[0] > 0);
        const int pairs[2][2][2] = {{{0, 1}, {2, 3}}, {{3, 0}, {1, 2}}};  // edges around a corner
        for (const auto& pair : pairs[joined_02 ? 0 : 1]) {
          segments.push_back(crossing[pair[0]]);
          segments.push_back(crossing[pair[1]]);
        }
      }
    }
  }
  return segments;
}

}  // namespace

Canvas decision_plot(const Points& points, const ScoreFunction& score,
                     const DecisionPlotOptions& options) {
  const int grid = checked_grid(options);
  Canvas canvas(options.width, options.height);
  Panel panel;
  std::set<int> classes = {0, 1};
  for (const LabeledPoint& point : points) classes.insert(point.label);
  panel.legend = legend_entries(classes, options);
  panel.color_bar = true;
  const Frame frame = decision_frame(points, options, panel);

  // Evaluate the model on grid x grid points spanning the frame, then interpolate bilinearly for
  // each pixel: smooth regions for a fraction of the cost of one evaluation per pixel.
  const auto side = static_cast<std::size_t>(grid);
  const double cells = static_cast<double>(side - 1);
  std::vector<double> scores(side * side);
  for (std::size_t j = 0; j < side; ++j) {
    for (std::size_t i = 0; i < side; ++i) {
      const double x = frame.x_min + (frame.x_max - frame.x_min) * static_cast<double>(i) / cells;
      const double y = frame.y_min + (frame.y_max - frame.y_min) * static_cast<double>(j) / cells;
      const double value = score(x, y);
      scores[j * side + i] = std::isfinite(value) ? value : 0.0;
    }
  }
  std::vector<Color> background;
  background.reserve(static_cast<std::size_t>(frame.width) *
                     static_cast<std::size_t>(frame.height));
  for (int row = 0; row < frame.height; ++row) {
    const double gy = (frame.data_y(row) - frame.y_min) / (frame.y_max - frame.y_min) * cells;
    const auto j = std::min(static_cast<std::size_t>(std::clamp(gy, 0.0, cells)), side - 2);
    const double fy = std::clamp(gy - static_cast<double>(j), 0.0, 1.0);
    for (int column = 0; column < frame.width; ++column) {
      const double gx = (frame.data_x(column) - frame.x_min) / (frame.x_max - frame.x_min) * cells;
      const auto i = std::min(static_cast<std::size_t>(std::clamp(gx, 0.0, cells)), side - 2);
      const double fx = std::clamp(gx - static_cast<double>(i), 0.0, 1.0);
      const double lower = (1 - fx) * scores[j * side + i] + fx * scores[j * side + i + 1];
      const double upper =
          (1 - fx) * scores[(j + 1) * side + i] + fx * scores[(j + 1) * side + i + 1];
      background.push_back(score_color((1 - fy) * lower + fy * upper));
    }
  }
  // The boundary from grid units to pixels: grid point (i, j) is at the data point evaluated.
  std::vector<Point> boundary = zero_contour(scores, side);
  for (Point& point : boundary) {
    point = {frame.left + point.x / cells * frame.width,
             frame.bottom() - point.y / cells * frame.height};
  }
  return draw_regions(std::move(canvas), points, options, frame, background, boundary, panel);
}

Canvas decision_plot_classes(const Points& points, const ClassFunction& predict,
                             const DecisionPlotOptions& options) {
  const int grid = checked_grid(options);
  const auto side = static_cast<std::size_t>(grid);
  Canvas canvas(options.width, options.height);
  std::vector<int> classes(side * side);
  std::set<int> shown;  // the legend's classes
  for (const LabeledPoint& point : points) shown.insert(point.label);
  Panel panel;
  Frame frame;
  // The frame's size depends on the legend's width, which depends on the classes predicted, which
  // depend on the frame. Lay it out with the points' classes and evaluate the model; only when it
  // predicts a class no point has, lay out again with that class and evaluate once more.
  for (int pass = 0; pass < 2; ++pass) {
    panel.legend = legend_entries(shown, options);
    frame = decision_frame(points, options, panel);
    bool new_class = false;
    for (std::size_t j = 0; j < side; ++j) {
      for (std::size_t i = 0; i < side; ++i) {
        const double x = frame.x_min + (frame.x_max - frame.x_min) *
                                           (static_cast<double>(i) + 0.5) /
                                           static_cast<double>(side);
        const double y = frame.y_min + (frame.y_max - frame.y_min) *
                                           (static_cast<double>(j) + 0.5) /
                                           static_cast<double>(side);
        classes[j * side + i] = predict(x, y);
        new_class = shown.insert(classes[j * side + i]).second || new_class;
      }
    }
    if (!new_class) break;
  }
  // A class first predicted on the second pass still gets its line (the legend is only taller).
  panel.legend = legend_entries(shown, options);

  // Each pixel takes the class of the grid cell it lies in.
  const auto cell_of = [&](double fraction) {
    return std::min(static_cast<std::size_t>(std::max(fraction, 0.0) * static_cast<double>(side)),
                    side - 1);
  };
  std::vector<Color> background;
  background.reserve(static_cast<std::size_t>(frame.width) *
                     static_cast<std::size_t>(frame.height));
  for (int row = 0; row < frame.height; ++row) {
    const std::size_t j = cell_of((frame.height - 0.5 - row) / frame.height);
    for (int column = 0; column < frame.width; ++column) {
      const std::size_t i = cell_of((column + 0.5) / frame.width);
      background.push_back(class_color(classes[j * side + i]));
    }
  }
  // The boundary: the cell edges between cells of different classes.
  std::vector<Point> boundary;
  const auto x_of = [&](std::size_t i) {
    return frame.left + static_cast<double>(i) / static_cast<double>(side) * frame.width;
  };
  const auto y_of = [&](std::size_t j) {
    return frame.bottom() - static_cast<double>(j) / static_cast<double>(side) * frame.height;
  };
  for (std::size_t j = 0; j < side; ++j) {
    for (std::size_t i = 0; i < side; ++i) {
      const int here = classes[j * side + i];
      if (i + 1 < side && classes[j * side + i + 1] != here) {
        boundary.push_back({x_of(i + 1), y_of(j)});
        boundary.push_back({x_of(i + 1), y_of(j + 1)});
      }
      if (j + 1 < side && classes[(j + 1) * side + i] != here) {
        boundary.push_back({x_of(i), y_of(j + 1)});
        boundary.push_back({x_of(i + 1), y_of(j + 1)});
      }
    }
  }
  return draw_regions(std::move(canvas), points, options, frame, background, boundary, panel);
}

}  // namespace micrograd::plots
