#include "plots/detail/figure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace micrograd::plots::detail {

namespace {

constexpr double kTickLength = 5.0;
constexpr double kTickGap = 3.0;  // between a tick and its label

// A pixel's centre line, where a 1-pixel line is crisp instead of smeared over two pixels.
double crisp(double coordinate) {
  return std::floor(coordinate) + 0.5;
}

double widest(const std::vector<std::string>& texts, const Font& font) {
  double width = 0.0;
  for (const std::string& text : texts) width = std::max(width, Canvas::text_width(text, font));
  return width;
}

}  // namespace

double title_bottom(const std::string& title) {
  return title.empty() ? kMargin : kMargin + Canvas::text_height(title, kTitleFont) + 6.0;
}

double draw_title(Canvas& canvas, const std::string& title) {
  if (!title.empty()) {
    canvas.draw_text(canvas.width() / 2.0, kMargin, title, colors::black, kTitleFont,
                     Align::center);
  }
  return title_bottom(title);
}

std::string format_tick(double value) {
  if (std::abs(value) < 1e-12) return "0";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  std::string formatted = text;
  if (formatted.front() == '-') formatted.replace(0, 1, "\u2212");
  return formatted;
}

Margins axes_margins(const Axes& axes) {
  const double tick_height = Canvas::text_height("0", kTickFont);
  Margins margins;
  margins.left = kMargin + widest(axes.y_tick_labels, kTickFont) + kTickGap + kTickLength;
  margins.top = axes.y_label.empty() ? tick_height / 2 + 2.0
                                     : Canvas::text_height(axes.y_label, kLabelFont) + 8.0;
  margins.bottom = kTickLength + kTickGap + tick_height + kMargin;
  if (!axes.x_label.empty()) margins.bottom += Canvas::text_height(axes.x_label, kLabelFont) + 4.0;
  const double last_label =
      axes.x_tick_labels.empty() ? 0.0 : Canvas::text_width(axes.x_tick_labels.back(), kTickFont);
  margins.right = std::max(kMargin, last_label / 2 + 4.0);
  return margins;
}

void draw_grid(Canvas& canvas, const Frame& frame, const std::vector<double>& y_ticks) {
  for (double tick : y_ticks) {
    const double y = crisp(frame.to_pixel_y(tick));
    if (y > frame.top + 1 && y < frame.bottom() - 1) {
      canvas.draw_line(frame.left, y, frame.right(), y, colors::light_gray);
    }
  }
}

void draw_axes(Canvas& canvas, const Frame& frame, const Axes& axes) {
  canvas.draw_rect(frame.left - 1, frame.top - 1, frame.width + 2, frame.height + 2,
                   colors::dark_gray);
  const double tick_height = Canvas::text_height("0", kTickFont);
  const double bottom = frame.bottom() + 1;
  for (std::size_t i = 0; i < axes.x_ticks.size(); ++i) {
    const double x = crisp(frame.to_pixel_x(axes.x_ticks[i]));
    canvas.draw_line(x, bottom, x, bottom + kTickLength, colors::dark_gray);
    canvas.draw_text(x, bottom + kTickLength + kTickGap, axes.x_tick_labels[i], colors::black,
                     kTickFont, Align::center);
  }
  const double left = frame.left - 1;
  for (std::size_t i = 0; i < axes.y_ticks.size(); ++i) {
    const double y = crisp(frame.to_pixel_y(axes.y_ticks[i]));
    canvas.draw_line(left - kTickLength, y, left, y, colors::dark_gray);
    canvas.draw_text(left - kTickLength - kTickGap, y - tick_height / 2, axes.y_tick_labels[i],
                     colors::black, kTickFont, Align::right);
  }
  if (!axes.x_label.empty()) {
    canvas.draw_text(frame.left + frame.width / 2.0,
                     bottom + kTickLength + kTickGap + tick_height + 4, axes.x_label, colors::black,
                     kLabelFont, Align::center);
  }
  if (!axes.y_label.empty()) {
    canvas.draw_text(kMargin, frame.top - Canvas::text_height(axes.y_label, kLabelFont) - 6,
                     axes.y_label, colors::black, kLabelFont);
  }
}

namespace {

constexpr double kLegendPadding = 6.0;
constexpr double kSwatchWidth = 22.0;

double legend_row_height() {
  return Canvas::text_height("Ag", kLabelFont) + 4.0;
}

}  // namespace

Box legend_box(const std::vector<LegendEntry>& entries) {
  double names = 0.0;
  for (const LegendEntry& entry : entries) {
    names = std::max(names, Canvas::text_width(entry.name, kLabelFont));
  }
  Box box;
  box.width = kLegendPadding + kSwatchWidth + kLegendPadding + names + kLegendPadding + 2;
  box.height = 2 * kLegendPadding + static_cast<double>(entries.size()) * legend_row_height();
  return box;
}

void draw_legend(Canvas& canvas, const std::vector<LegendEntry>& entries, double left, double top,
                 bool framed) {
  const Box box = legend_box(entries);
  if (framed) {
    canvas.fill_rect(left, top, box.width, box.height, colors::white);
    canvas.draw_rect(left, top, box.width, box.height, colors::gray);
  }
  const double row_height = legend_row_height();
  for (std::size_t row = 0; row < entries.size(); ++row) {
    const LegendEntry& entry = entries[row];
    const double row_top = top + kLegendPadding + static_cast<double>(row) * row_height;
    const double middle = row_top + row_height / 2;
    const double swatch_left = left + kLegendPadding;
    if (entry.swatch == LegendEntry::Swatch::line) {
      canvas.draw_line(swatch_left + 1, middle, swatch_left + kSwatchWidth - 1, middle, entry.color,
                       2.5);
    } else {
      canvas.draw_marker(swatch_left + kSwatchWidth / 2, middle, 4.5, entry.color, colors::black);
    }
    canvas.draw_text(swatch_left + kSwatchWidth + kLegendPadding,
                     middle - Canvas::text_height(entry.name, kLabelFont) / 2, entry.name,
                     colors::black, kLabelFont);
  }
}

void check_lengths(const std::vector<Series>& series, const char* who) {
  for (const Series& curve : series) {
    if (!curve.x.empty() && curve.x.size() != curve.y.size()) {
      throw std::invalid_argument(
          std::string(who) + ": series \"" + curve.name + "\" has " +
          std::to_string(curve.x.size()) + " x values but " + std::to_string(curve.y.size()) +
          " y values; give one x per y, or none to plot y against 0, 1, ..");
    }
  }
}

}  // namespace micrograd::plots::detail
