// line_plot: curves on one pair of axes, with a legend where it covers no data.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "plots/detail/figure.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots {

using detail::Box;
using detail::Frame;

namespace {

constexpr double kInset = 6.0;         // data never touch the frame's border (see Frame)
constexpr double kMarkerRadius = 3.0;  // a series of few points marks each of them
constexpr std::size_t kMarkedUpTo = 30;

// A series in pixels, split where a value is missing (NaN, or <= 0 on a log axis).
using Pieces = std::vector<std::vector<Point>>;

struct Ranges {
  double x_low = 0.0;
  double x_high = 1.0;
  double y_low = 0.0;
  double y_high = 1.0;
  bool integer_x = true;  // every x is a whole number: ticks at whole numbers only
};

class Transform {
 public:
  explicit Transform(bool log_y) : log_y_(log_y) {}
  bool usable(double y) const { return std::isfinite(y) && (!log_y_ || y > 0.0); }
  double shown(double y) const { return log_y_ ? std::log10(y) : y; }

 private:
  bool log_y_;
};

double x_of(const Series& curve, std::size_t i) {
  return curve.x.empty() ? static_cast<double>(i) : curve.x[i];
}

// The range of the data, widened to y_min and y_max when they are given: every point is shown.
Ranges data_ranges(const std::vector<Series>& series, const LinePlotOptions& options,
                   const Transform& transform) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  Ranges ranges{infinity, -infinity, infinity, -infinity, true};
  for (const Series& curve : series) {
    for (std::size_t i = 0; i < curve.y.size(); ++i) {
      const double x = x_of(curve, i);
      if (!transform.usable(curve.y[i]) || !std::isfinite(x)) continue;
      ranges.integer_x = ranges.integer_x && x == std::floor(x);
      ranges.x_low = std::min(ranges.x_low, x);
      ranges.x_high = std::max(ranges.x_high, x);
      ranges.y_low = std::min(ranges.y_low, transform.shown(curve.y[i]));
      ranges.y_high = std::max(ranges.y_high, transform.shown(curve.y[i]));
    }
  }
  const bool have_data = ranges.x_low <= ranges.x_high;
  if (!have_data) ranges = Ranges{};
  for (const std::optional<double>& limit : {options.y_min, options.y_max}) {
    if (!limit || !transform.usable(*limit)) continue;
    const double y = transform.shown(*limit);
    ranges.y_low = have_data ? std::min(ranges.y_low, y) : y;
    ranges.y_high = have_data ? std::max(ranges.y_high, y) : y;
  }
  if (!have_data && options.y_min && options.y_max && transform.usable(*options.y_min) &&
      transform.usable(*options.y_max)) {
    ranges.y_low = std::min(transform.shown(*options.y_min), transform.shown(*options.y_max));
    ranges.y_high = std::max(transform.shown(*options.y_min), transform.shown(*options.y_max));
  }
  return ranges;
}

Pieces pieces_of(const Series& curve, const Frame& frame, const Transform& transform) {
  Pieces pieces(1);
  for (std::size_t i = 0; i < curve.y.size(); ++i) {
    const double x = x_of(curve, i);
    if (!transform.usable(curve.y[i]) || !std::isfinite(x)) {
      if (!pieces.back().empty()) pieces.emplace_back();
      continue;
    }
    pieces.back().push_back({frame.to_pixel_x(x), frame.to_pixel_y(transform.shown(curve.y[i]))});
  }
  if (pieces.back().empty()) pieces.pop_back();
  return pieces;
}

// Whether the segment from a to b passes through the box (Liang-Barsky clipping: the part of the
// segment a + t (b - a), t in [0, 1], on the inner side of each of the four edges).
bool segment_meets_box(Point a, Point b, const Box& box) {
  double t_enter = 0.0;
  double t_leave = 1.0;
  // The points with p * t <= q are on the inner side of one edge.
  auto inside = [&](double p, double q) {
    if (p == 0.0) return q >= 0.0;  // parallel to the edge: wholly inside or wholly outside
    const double t = q / p;
    if (p < 0.0) {
      t_enter = std::max(t_enter, t);
    } else {
      t_leave = std::min(t_leave, t);
    }
    return t_enter <= t_leave;
  };
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  return inside(-dx, a.x - box.left) && inside(dx, box.left + box.width - a.x) &&
         inside(-dy, a.y - box.top) && inside(dy, box.top + box.height - a.y);
}

// How many segments (and lone points) of the curves a legend in `box` would hide.
int data_under(const std::vector<Pieces>& curves, Box box) {
  const double clearance = kMarkerRadius + 2.0;  // line width and markers reach this far
  box.left -= clearance;
  box.top -= clearance;
  box.width += 2 * clearance;
  box.height += 2 * clearance;
  int hidden = 0;
  for (const Pieces& pieces : curves) {
    for (const std::vector<Point>& piece : pieces) {
      if (piece.size() == 1) hidden += segment_meets_box(piece[0], piece[0], box) ? 1 : 0;
      for (std::size_t i = 1; i < piece.size(); ++i) {
        hidden += segment_meets_box(piece[i - 1], piece[i], box) ? 1 : 0;
      }
    }
  }
  return hidden;
}

}  // namespace

Canvas line_plot(const std::vector<Series>& series, const LinePlotOptions& options) {
  detail::check_lengths(series, "line_plot");
  Canvas canvas(options.width, options.height);
  const Transform transform(options.log_y);
  const Ranges ranges = data_ranges(series, options, transform);

  detail::Axes axes;
  axes.x_ticks = ranges.integer_x ? detail::integer_ticks(ranges.x_low, ranges.x_high, 8)
                                  : nice_ticks(ranges.x_low, ranges.x_high, 8);
  // On a log axis, whole decades (1, 0.1, 0.01) once the data span one.
  axes.y_ticks = options.log_y && ranges.y_high - ranges.y_low >= 1.0
                     ? detail::integer_ticks(ranges.y_low, ranges.y_high, 6)
                     : nice_ticks(ranges.y_low, ranges.y_high, 6);
  Frame frame;
  frame.inset = kInset;
  frame.x_min = axes.x_ticks.front();
  frame.x_max = axes.x_ticks.back();
  frame.y_min = axes.y_ticks.front();
  frame.y_max = axes.y_ticks.back();
  // A given limit beyond the data ends the axis there (an accuracy axis ends at 100, not at the
  // tick above it).
  if (options.y_max && transform.usable(*options.y_max) &&
      transform.shown(*options.y_max) >= ranges.y_high) {
    frame.y_max = transform.shown(*options.y_max);
  }
  if (options.y_min && transform.usable(*options.y_min) &&
      transform.shown(*options.y_min) <= ranges.y_low) {
    frame.y_min = transform.shown(*options.y_min);
  }
  if (frame.x_max <= frame.x_min) frame.x_max = frame.x_min + 1.0;
  if (frame.y_max <= frame.y_min) frame.y_max = frame.y_min + 1.0;
  std::erase_if(axes.y_ticks, [&](double tick) {
    const double slack = 1e-9 * (frame.y_max - frame.y_min);
    return tick < frame.y_min - slack || tick > frame.y_max + slack;
  });
  for (double tick : axes.x_ticks) axes.x_tick_labels.push_back(detail::format_tick(tick));
  for (double tick : axes.y_ticks) {
    axes.y_tick_labels.push_back(detail::format_tick(options.log_y ? std::pow(10.0, tick) : tick));
  }
  axes.x_label = options.x_label;
  axes.y_label = options.y_label;

  const double title_bottom = detail::draw_title(canvas, options.title);
  const detail::Margins margins = detail::axes_margins(axes);
  frame.left = static_cast<int>(std::ceil(margins.left));
  frame.top = static_cast<int>(std::ceil(title_bottom + margins.top));
  frame.width = std::max(options.width - frame.left - static_cast<int>(margins.right), 16);
  frame.height = std::max(options.height - frame.top - static_cast<int>(margins.bottom), 16);

  std::vector<detail::LegendEntry> legend;
  std::vector<Color> curve_colors;
  for (std::size_t index = 0; index < series.size(); ++index) {
    curve_colors.push_back(series[index].color.value_or(palette(static_cast<int>(index))));
    if (!series[index].name.empty()) legend.push_back({series[index].name, curve_colors.back()});
  }
  auto all_pieces = [&] {
    std::vector<Pieces> curves;
    for (const Series& curve : series) curves.push_back(pieces_of(curve, frame, transform));
    return curves;
  };
  std::vector<Pieces> curves = all_pieces();

  // The legend goes in the corner that hides the fewest curve segments (top right first); when
  // every corner would hide some, beside the frame, which narrows to make room.
  std::optional<Box> legend_at;
  bool legend_inside = true;
  if (!legend.empty()) {
    Box box = detail::legend_box(legend);
    constexpr double gap = 6.0;
    const double left = frame.left + gap;
    const double right = frame.right() - gap - box.width;
    const double top = frame.top + gap;
    const double bottom = frame.bottom() - gap - box.height;
    int fewest = std::numeric_limits<int>::max();
    const std::pair<double, double> corners[] = {
        {right, top}, {left, top}, {right, bottom}, {left, bottom}};
    for (const auto& [x, y] : corners) {
      box.left = x;
      box.top = y;
      const int hidden = data_under(curves, box);
      if (hidden < fewest) {
        fewest = hidden;
        legend_at = box;
      }
    }
    if (fewest > 0) {
      legend_inside = false;
      frame.width = std::max(frame.width - static_cast<int>(std::ceil(box.width + 2 * gap)), 16);
      box.left = frame.right() + 2 * gap;
      box.top = frame.top;
      legend_at = box;
      curves = all_pieces();
    }
  }

  detail::draw_grid(canvas, frame, axes.y_ticks);
  canvas.clip(frame.left, frame.top, frame.width, frame.height);
  for (std::size_t index = 0; index < series.size(); ++index) {
    const bool marked = series[index].y.size() <= kMarkedUpTo;
    const double line_width = series[index].y.size() > 100 ? 1.5 : 2.0;
    for (const std::vector<Point>& piece : curves[index]) {
      canvas.draw_polyline(piece, curve_colors[index], line_width);
      if (!marked) continue;
      for (const Point& point : piece) {
        canvas.fill_circle(point.x, point.y, kMarkerRadius, curve_colors[index]);
      }
    }
  }
  canvas.reset_clip();
  detail::draw_axes(canvas, frame, axes);
  if (legend_at)
    detail::draw_legend(canvas, legend, legend_at->left, legend_at->top, legend_inside);
  return canvas;
}

}  // namespace micrograd::plots
