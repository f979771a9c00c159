#include "plots/plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace micrograd::plots {

using datasets::LabeledPoint;
using datasets::Points;

namespace {

constexpr int kTitleHeight = 24;
constexpr int kTitleScale = 2;

std::string format_tick(double value) {
  if (std::abs(value) < 1e-12) return "0";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

void draw_title(Canvas& canvas, const std::string& title) {
  if (title.empty()) return;
  const int x = (canvas.width() - Canvas::text_width(title, kTitleScale)) / 2;
  canvas.draw_text(std::max(x, 2), 5, title, colors::black, kTitleScale);
}

// A rectangle of the canvas showing [x_min, x_max] x [y_min, y_max], y up.
struct Frame {
  int left = 0;
  int top = 0;
  int width = 1;
  int height = 1;
  double x_min = 0.0;
  double x_max = 1.0;
  double y_min = 0.0;
  double y_max = 1.0;

  double to_pixel_x(double x) const { return left + (x - x_min) / (x_max - x_min) * (width - 1); }
  double to_pixel_y(double y) const { return top + (y_max - y) / (y_max - y_min) * (height - 1); }
  double to_data_x(double pixel) const {
    return x_min + (pixel - left) / (width - 1) * (x_max - x_min);
  }
  double to_data_y(double pixel) const {
    return y_max - (pixel - top) / (height - 1) * (y_max - y_min);
  }
};

int round_to_int(double value) {
  constexpr double limit = 1e6;  // far outside any canvas, and safe to convert
  if (std::isnan(value)) return -static_cast<int>(limit);
  return static_cast<int>(std::lround(std::clamp(value, -limit, limit)));
}

// The frame's border, ticks with labels on the left and bottom, and the axis labels. Tick labels
// come from label_of, so a log axis can print 10^t.
void draw_axes(Canvas& canvas, const Frame& frame, const std::vector<double>& x_ticks,
               const std::vector<double>& y_ticks, const std::string& x_label,
               const std::string& y_label,
               const std::function<std::string(double)>& y_label_of = format_tick) {
  canvas.draw_rect(frame.left - 1, frame.top - 1, frame.width + 2, frame.height + 2,
                   colors::dark_gray);
  const int bottom = frame.top + frame.height;
  for (double tick : x_ticks) {
    const int x = round_to_int(frame.to_pixel_x(tick));
    canvas.fill_rect(x, bottom, 1, 5, colors::dark_gray);
    const std::string text = format_tick(tick);
    canvas.draw_text(x - Canvas::text_width(text) / 2, bottom + 8, text, colors::black);
  }
  for (double tick : y_ticks) {
    const int y = round_to_int(frame.to_pixel_y(tick));
    canvas.fill_rect(frame.left - 6, y, 5, 1, colors::dark_gray);
    const std::string text = y_label_of(tick);
    canvas.draw_text(frame.left - 9 - Canvas::text_width(text), y - 3, text, colors::black);
  }
  if (!x_label.empty()) {
    canvas.draw_text(frame.left + (frame.width - Canvas::text_width(x_label)) / 2, bottom + 22,
                     x_label, colors::black);
  }
  if (!y_label.empty()) {
    canvas.draw_text(4, frame.top - 12, y_label, colors::black);
  }
}

// Ticks at whole numbers only (steps, epochs): a step below 1 is raised to 1.
std::vector<double> integer_ticks(double low, double high, int target) {
  std::vector<double> ticks = nice_ticks(low, high, target);
  if (ticks.size() >= 2 && ticks[1] - ticks[0] < 1.0) {
    ticks.clear();
    for (double tick = std::floor(low); tick <= std::ceil(high); tick += 1.0) ticks.push_back(tick);
  }
  return ticks;
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int target) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0.0, 1.0};
  if (low > high) std::swap(low, high);
  if (high - low < 1e-12 * std::max(1.0, std::abs(low))) {  // one value: widen around it
    const double half = std::abs(low) > 0.0 ? std::abs(low) * 0.1 : 1.0;
    low -= half;
    high += half;
  }
  // A step of 1, 2 or 5 times a power of ten, the smallest that needs at most `target` intervals.
  const double rough = (high - low) / std::max(target, 1);
  if (!std::isfinite(rough) || rough <= 0.0) return {low, high};  // a range beyond doubles
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = 10.0 * power;
  for (double multiple : {1.0, 2.0, 5.0}) {
    if (multiple * power >= rough * (1.0 - 1e-9)) {
      step = multiple * power;
      break;
    }
  }
  const double first = std::floor(low / step + 1e-9) * step;
  const double last = std::ceil(high / step - 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0; i <= 2 * std::max(target, 1) + 2; ++i) {  // bounded, whatever rounding does
    const double tick = first + i * step;
    if (tick > last + step * 1e-6) break;
    ticks.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return ticks;
}

Canvas line_plot(const std::vector<Series>& series, const LinePlotOptions& options) {
  Canvas canvas(options.width, options.height);
  auto shown_y = [&](double y) { return options.log_y ? std::log10(y) : y; };
  auto usable = [&](double y) { return std::isfinite(y) && (!options.log_y || y > 0.0); };

  double x_low = std::numeric_limits<double>::infinity();
  double x_high = -x_low;
  double y_low = x_low;
  double y_high = -x_low;
  bool integer_x = true;
  for (const Series& curve : series) {
    if (!curve.x.empty() && curve.x.size() != curve.y.size()) {
      throw std::invalid_argument(
          "line_plot: series \"" + curve.name + "\" has " + std::to_string(curve.x.size()) +
          " x values but " + std::to_string(curve.y.size()) +
          " y values; give one x per y, or none to plot y against 0, 1, ..");
    }
    for (std::size_t i = 0; i < curve.y.size(); ++i) {
      if (!usable(curve.y[i])) continue;
      const double x = curve.x.empty() ? static_cast<double>(i) : curve.x[i];
      if (!std::isfinite(x)) continue;
      integer_x = integer_x && x == std::floor(x);
      x_low = std::min(x_low, x);
      x_high = std::max(x_high, x);
      y_low = std::min(y_low, shown_y(curve.y[i]));
      y_high = std::max(y_high, shown_y(curve.y[i]));
    }
  }
  if (x_low > x_high) {  // nothing to draw
    x_low = 0.0;
    x_high = 1.0;
    y_low = 0.0;
    y_high = 1.0;
  }
  if (options.y_min) y_low = shown_y(*options.y_min);
  if (options.y_max) y_high = shown_y(*options.y_max);

  const std::vector<double> x_ticks =
      integer_x ? integer_ticks(x_low, x_high, 8) : nice_ticks(x_low, x_high, 8);
  // On a log axis, whole decades (1, 0.1, 0.01) once the data spans one.
  const std::vector<double> y_ticks = options.log_y && y_high - y_low >= 1.0
                                          ? integer_ticks(y_low, y_high, 6)
                                          : nice_ticks(y_low, y_high, 6);
  Frame frame;
  frame.left = 64;
  frame.top = options.title.empty() ? 22 : kTitleHeight + 14;
  frame.width = std::max(options.width - frame.left - 16, 2);
  frame.height = std::max(options.height - frame.top - 40, 2);
  frame.x_min = x_ticks.front();
  frame.x_max = x_ticks.back();
  frame.y_min = options.y_min ? y_low : y_ticks.front();
  frame.y_max = options.y_max ? y_high : y_ticks.back();
  if (frame.x_max <= frame.x_min) frame.x_max = frame.x_min + 1.0;
  if (frame.y_max <= frame.y_min) frame.y_max = frame.y_min + 1.0;

  for (double tick : y_ticks) {  // light grid lines first, so the curves lie on top
    const int y = round_to_int(frame.to_pixel_y(tick));
    if (y >= frame.top && y < frame.top + frame.height) {
      canvas.fill_rect(frame.left, y, frame.width, 1, colors::light_gray);
    }
  }
  for (std::size_t index = 0; index < series.size(); ++index) {
    const Series& curve = series[index];
    const Color color = curve.color.value_or(palette(static_cast<int>(index)));
    bool have_previous = false;
    int previous_x = 0;
    int previous_y = 0;
    for (std::size_t i = 0; i < curve.y.size(); ++i) {
      const double x = curve.x.empty() ? static_cast<double>(i) : curve.x[i];
      if (!usable(curve.y[i]) || !std::isfinite(x)) {
        have_previous = false;
        continue;
      }
      const int px = round_to_int(frame.to_pixel_x(x));
      const int py = round_to_int(frame.to_pixel_y(shown_y(curve.y[i])));
      if (have_previous) {
        canvas.draw_line(previous_x, previous_y, px, py, color, 2);
      } else {
        canvas.fill_rect(px - 1, py - 1, 2, 2, color);
      }
      if (curve.y.size() <= 30) canvas.fill_circle(px, py, 2, color);  // few points: mark them
      have_previous = true;
      previous_x = px;
      previous_y = py;
    }
  }
  // Curves may leave the frame when the caller fixed the range: clear the margins again.
  const Color background = colors::white;
  canvas.fill_rect(0, 0, options.width, frame.top - 1, background);
  canvas.fill_rect(0, frame.top + frame.height + 1, options.width, options.height, background);
  canvas.fill_rect(0, 0, frame.left - 1, options.height, background);
  canvas.fill_rect(frame.left + frame.width + 1, 0, options.width, options.height, background);

  auto y_label_of = [&](double tick) {
    return options.log_y ? format_tick(std::pow(10.0, tick)) : format_tick(tick);
  };
  draw_axes(canvas, frame, x_ticks, y_ticks, options.x_label, options.y_label, y_label_of);
  draw_title(canvas, options.title);

  // Legend, top right inside the frame.
  std::vector<std::size_t> named;
  int legend_width = 0;
  for (std::size_t index = 0; index < series.size(); ++index) {
    if (series[index].name.empty()) continue;
    named.push_back(index);
    legend_width = std::max(legend_width, Canvas::text_width(series[index].name));
  }
  if (!named.empty()) {
    const int box_width = legend_width + 34;
    const int box_height = static_cast<int>(named.size()) * 12 + 6;
    const int box_left = frame.left + frame.width - box_width - 6;
    const int box_top = frame.top + 6;
    canvas.fill_rect(box_left, box_top, box_width, box_height, colors::white);
    canvas.draw_rect(box_left, box_top, box_width, box_height, colors::gray);
    for (std::size_t row = 0; row < named.size(); ++row) {
      const Series& curve = series[named[row]];
      const int y = box_top + 5 + static_cast<int>(row) * 12;
      canvas.fill_rect(box_left + 6, y + 2, 18, 3,
                       curve.color.value_or(palette(static_cast<int>(named[row]))));
      canvas.draw_text(box_left + 28, y, curve.name, colors::black);
    }
  }
  return canvas;
}

namespace {

// The frame of a decision plot: the points' bounding box plus padding, widened along one axis so
// that both axes have the same scale (circles stay round).
Frame decision_frame(const Points& points, const DecisionPlotOptions& options) {
  Frame frame;
  frame.left = 56;
  frame.top = options.title.empty() ? 14 : kTitleHeight + 10;
  frame.width = std::max(options.width - frame.left - 14, 2);
  frame.height = std::max(options.height - frame.top - 40, 2);
  double x_low = -1.0;
  double x_high = 1.0;
  double y_low = -1.0;
  double y_high = 1.0;
  if (!points.empty()) {
    x_low = y_low = std::numeric_limits<double>::infinity();
    x_high = y_high = -x_low;
    for (const LabeledPoint& point : points) {
      x_low = std::min(x_low, point.x0);
      x_high = std::max(x_high, point.x0);
      y_low = std::min(y_low, point.x1);
      y_high = std::max(y_high, point.x1);
    }
  }
  const double padding = std::max(options.padding, 0.0);
  x_low -= padding;
  x_high += padding;
  y_low -= padding;
  y_high += padding;
  if (x_high - x_low < 1e-9) x_high = x_low + 1.0;
  if (y_high - y_low < 1e-9) y_high = y_low + 1.0;
  const double units_per_pixel =
      std::max((x_high - x_low) / frame.width, (y_high - y_low) / frame.height);
  const double x_center = (x_low + x_high) / 2;
  const double y_center = (y_low + y_high) / 2;
  frame.x_min = x_center - units_per_pixel * frame.width / 2;
  frame.x_max = x_center + units_per_pixel * frame.width / 2;
  frame.y_min = y_center - units_per_pixel * frame.height / 2;
  frame.y_max = y_center + units_per_pixel * frame.height / 2;
  return frame;
}

// Ticks inside the frame's range only (the frame is not rounded out to ticks here).
std::vector<double> ticks_inside(double low, double high) {
  std::vector<double> ticks;
  for (double tick : nice_ticks(low, high, 6)) {
    if (tick >= low && tick <= high) ticks.push_back(tick);
  }
  return ticks;
}

// Draws the background from a per-pixel colour and a per-pixel region id (the boundary is where
// the region of a pixel differs from its right or lower neighbour), then the points and axes.
template <typename RegionOf, typename ColorOf>
Canvas draw_regions(const Points& points, const DecisionPlotOptions& options, const Frame& frame,
                    RegionOf region_of, ColorOf color_of) {
  Canvas canvas(options.width, options.height);
  const auto width = static_cast<std::size_t>(frame.width);
  std::vector<int> regions(width * static_cast<std::size_t>(frame.height));
  for (int row = 0; row < frame.height; ++row) {
    for (int column = 0; column < frame.width; ++column) {
      regions[static_cast<std::size_t>(row) * width + static_cast<std::size_t>(column)] =
          region_of(column, row);
      canvas.set_pixel(frame.left + column, frame.top + row, color_of(column, row));
    }
  }
  for (int row = 0; row < frame.height; ++row) {
    for (int column = 0; column < frame.width; ++column) {
      const std::size_t at =
          static_cast<std::size_t>(row) * width + static_cast<std::size_t>(column);
      const bool right_differs = column + 1 < frame.width && regions[at] != regions[at + 1];
      const bool below_differs = row + 1 < frame.height && regions[at] != regions[at + width];
      if (right_differs || below_differs) {
        canvas.set_pixel(frame.left + column, frame.top + row, colors::dark_gray);
      }
    }
  }
  for (const LabeledPoint& point : points) {
    canvas.draw_marker(round_to_int(frame.to_pixel_x(point.x0)),
                       round_to_int(frame.to_pixel_y(point.x1)), options.marker_radius,
                       palette(point.label), colors::black);
  }
  // Markers at the edge spill over the frame: clear the margins before drawing the axes.
  canvas.fill_rect(0, 0, options.width, frame.top - 1, colors::white);
  canvas.fill_rect(0, frame.top + frame.height + 1, options.width, options.height, colors::white);
  canvas.fill_rect(0, 0, frame.left - 1, options.height, colors::white);
  canvas.fill_rect(frame.left + frame.width + 1, 0, options.width, options.height, colors::white);
  draw_axes(canvas, frame, ticks_inside(frame.x_min, frame.x_max),
            ticks_inside(frame.y_min, frame.y_max), "x0", "x1");
  draw_title(canvas, options.title);
  return canvas;
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

}  // namespace

Canvas decision_plot(const Points& points, const ScoreFunction& score,
                     const DecisionPlotOptions& options) {
  const int grid = checked_grid(options);
  const Frame frame = decision_frame(points, options);
  // Evaluate the model on grid x grid points spanning the frame, then interpolate bilinearly for
  // each pixel: smooth boundaries for a fraction of the cost of one evaluation per pixel.
  const auto side = static_cast<std::size_t>(grid);
  std::vector<double> scores(side * side);
  for (std::size_t j = 0; j < side; ++j) {
    for (std::size_t i = 0; i < side; ++i) {
      const double x = frame.x_min + (frame.x_max - frame.x_min) * static_cast<double>(i) /
                                         static_cast<double>(side - 1);
      const double y = frame.y_min + (frame.y_max - frame.y_min) * static_cast<double>(j) /
                                         static_cast<double>(side - 1);
      const double value = score(x, y);
      scores[j * side + i] = std::isfinite(value) ? value : 0.0;
    }
  }
  const auto width = static_cast<std::size_t>(frame.width);
  std::vector<double> pixel_scores(width * static_cast<std::size_t>(frame.height));
  for (int row = 0; row < frame.height; ++row) {
    const double gy = (frame.to_data_y(frame.top + row) - frame.y_min) /
                      (frame.y_max - frame.y_min) * static_cast<double>(side - 1);
    for (int column = 0; column < frame.width; ++column) {
      const double gx = (frame.to_data_x(frame.left + column) - frame.x_min) /
                        (frame.x_max - frame.x_min) * static_cast<double>(side - 1);
      const auto i = std::min(static_cast<std::size_t>(std::clamp(gx, 0.0, 1e9)), side - 2);
      const auto j = std::min(static_cast<std::size_t>(std::clamp(gy, 0.0, 1e9)), side - 2);
      const double fx = std::clamp(gx - static_cast<double>(i), 0.0, 1.0);
      const double fy = std::clamp(gy - static_cast<double>(j), 0.0, 1.0);
      const double bottom = (1 - fx) * scores[j * side + i] + fx * scores[j * side + i + 1];
      const double top =
          (1 - fx) * scores[(j + 1) * side + i] + fx * scores[(j + 1) * side + i + 1];
      pixel_scores[static_cast<std::size_t>(row) * width + static_cast<std::size_t>(column)] =
          (1 - fy) * bottom + fy * top;
    }
  }
  auto score_at = [&](int column, int row) {
    return pixel_scores[static_cast<std::size_t>(row) * width + static_cast<std::size_t>(column)];
  };
  return draw_regions(
      points, options, frame,
      [&](int column, int row) { return score_at(column, row) > 0 ? 1 : 0; },
      [&](int column, int row) {
        const double value = score_at(column, row);
        const double confidence = std::min(std::abs(value), 1.0);
        return mix(colors::white, palette(value > 0 ? 1 : 0), 0.12 + 0.3 * confidence);
      });
}

Canvas decision_plot_classes(const Points& points, const ClassFunction& predict,
                             const DecisionPlotOptions& options) {
  const int grid = checked_grid(options);
  const Frame frame = decision_frame(points, options);
  const auto side = static_cast<std::size_t>(grid);
  std::vector<int> classes(side * side);
  for (std::size_t j = 0; j < side; ++j) {
    for (std::size_t i = 0; i < side; ++i) {
      const double x = frame.x_min + (frame.x_max - frame.x_min) * (static_cast<double>(i) + 0.5) /
                                         static_cast<double>(side);
      const double y = frame.y_min + (frame.y_max - frame.y_min) * (static_cast<double>(j) + 0.5) /
                                         static_cast<double>(side);
      classes[j * side + i] = predict(x, y);
    }
  }
  // Each pixel takes the class of the grid cell it lies in.
  auto class_at = [&](int column, int row) {
    const auto i = std::min(
        static_cast<std::size_t>(column) * side / static_cast<std::size_t>(frame.width), side - 1);
    const auto j = std::min(static_cast<std::size_t>(frame.height - 1 - row) * side /
                                static_cast<std::size_t>(frame.height),
                            side - 1);
    return classes[j * side + i];
  };
  return draw_regions(points, options, frame, class_at, [&](int column, int row) {
    return mix(colors::white, palette(class_at(column, row)), 0.3);
  });
}

Canvas digit_grid(const std::vector<DigitTile>& tiles, const DigitGridOptions& options) {
  const std::size_t image_size = options.image_rows * options.image_cols;
  if (image_size == 0 || options.columns < 1 || options.scale < 1) {
    throw std::invalid_argument(
        "digit_grid: image_rows, image_cols, columns and scale must all "
        "be at least 1");
  }
  const int scale = options.scale;
  const int image_width = static_cast<int>(options.image_cols) * scale;
  const int image_height = static_cast<int>(options.image_rows) * scale;
  int tile_width = image_width;
  int caption_height = 0;
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    if (tiles[index].pixels.size() != image_size) {
      throw std::invalid_argument("digit_grid: tile " + std::to_string(index) + " has " +
                                  std::to_string(tiles[index].pixels.size()) +
                                  " pixels, expected " + std::to_string(options.image_rows) + "x" +
                                  std::to_string(options.image_cols) + " = " +
                                  std::to_string(image_size));
    }
    tile_width = std::max(tile_width, Canvas::text_width(tiles[index].caption));
    caption_height = std::max(caption_height, Canvas::text_height(tiles[index].caption));
  }
  constexpr int gap = 8;
  const int tile_height = image_height + (caption_height > 0 ? caption_height + 4 : 0);
  const int columns = std::max(1, std::min(options.columns, static_cast<int>(tiles.size())));
  const int rows = (static_cast<int>(tiles.size()) + columns - 1) / columns;
  const int top = options.title.empty() ? gap : kTitleHeight + gap;
  const int width = std::max(gap + columns * (tile_width + gap),
                             Canvas::text_width(options.title, kTitleScale) + 2 * gap);
  const int height = top + std::max(rows, 1) * (tile_height + gap);
  Canvas canvas(width, height);
  draw_title(canvas, options.title);
  if (tiles.empty()) canvas.draw_text(gap, top, "(no images)", colors::gray);
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    const int column = static_cast<int>(index) % columns;
    const int row = static_cast<int>(index) / columns;
    const int tile_left = gap + column * (tile_width + gap);
    const int tile_top = top + row * (tile_height + gap);
    const int image_left = tile_left + (tile_width - image_width) / 2;
    for (std::size_t r = 0; r < options.image_rows; ++r) {
      for (std::size_t c = 0; c < options.image_cols; ++c) {
        const double ink = std::clamp(tiles[index].pixels[r * options.image_cols + c], 0.0, 1.0);
        const auto gray = static_cast<std::uint8_t>(std::lround(255.0 * (1.0 - ink)));
        canvas.fill_rect(image_left + static_cast<int>(c) * scale,
                         tile_top + static_cast<int>(r) * scale, scale, scale, {gray, gray, gray});
      }
    }
    canvas.draw_rect(image_left - 1, tile_top - 1, image_width + 2, image_height + 2,
                     colors::light_gray);
    const std::string& caption = tiles[index].caption;
    canvas.draw_text(tile_left + (tile_width - Canvas::text_width(caption)) / 2,
                     tile_top + image_height + 4, caption, tiles[index].caption_color);
  }
  return canvas;
}

}  // namespace micrograd::plots
