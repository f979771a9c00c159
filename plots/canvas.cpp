// Canvas (canvas.hpp): drawing calls recorded as commands and replayed onto a Cairo surface for
// each output (PNG pixels, SVG, PDF). Its text helpers are detail/text.cpp.
#include "plots/canvas.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>

#include "base/atomic_file.hpp"
#include "plots/detail/text.hpp"

namespace micrograd::plots {

using detail::lines_of;
using detail::prepare;
using detail::ruler;
using detail::select_font;

namespace {

constexpr int kMaxSide = 16384;

void check_side(const char* name, int value) {
  if (value <= 0 || value > kMaxSide) {
    throw std::invalid_argument(std::string("Canvas: ") + name + " must be in 1.." +
                                std::to_string(kMaxSide) + ", got " + std::to_string(value));
  }
}

void set_color(cairo_t* cr, Color color) {
  cairo_set_source_rgb(cr, color.r / 255.0, color.g / 255.0, color.b / 255.0);
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The one place a Cairo error becomes an exception (out of memory, mostly: the inputs are checked).
void check_status(cairo_status_t status, const char* what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("Canvas: Cairo cannot ") + what + ": " +
                             cairo_status_to_string(status));
  }
}

// A circle as the path to fill or stroke, in `color`.
void circle_path(cairo_t* cr, double center_x, double center_y, double radius, Color color) {
  set_color(cr, color);
  cairo_new_sub_path(cr);  // no line from wherever the last path ended
  cairo_arc(cr, center_x, center_y, radius, 0.0, 2 * std::numbers::pi);
}

using SharedSurface = std::shared_ptr<cairo_surface_t>;

}  // namespace

// What was drawn, as a list of commands replayed on each output (a PNG's pixels, an SVG, a PDF),
// and the pixels last made from them, kept until the next drawing call (tests and callers read
// many pixels one by one). Commands draw straight onto the output: Cairo 1.16's SVG writer keeps
// memory for every recording surface painted into it, so a Cairo recording surface would leak.
struct Canvas::Drawing {
  std::vector<std::function<void(cairo_t*)>> commands;
  int open_clips = 0;                // clip() calls not yet ended by reset_clip()
  std::vector<std::uint8_t> pixels;  // rgb(), empty when out of date

  void add(std::function<void(cairo_t*)> command) {
    pixels.clear();
    commands.push_back(std::move(command));
  }
  void replay(cairo_t* cr) const {
    cairo_save(cr);
    for (const auto& command : commands) command(cr);
    for (int i = 0; i < open_clips; ++i) cairo_restore(cr);
    cairo_restore(cr);
  }
};

Color palette(int index) {
  static constexpr Color colours[] = {
      {215, 48, 39}, {49, 130, 189}, {35, 139, 69}, {253, 141, 60}, {117, 107, 177},
      {140, 81, 10}, {221, 52, 151}, {99, 99, 99},  {188, 189, 34}, {23, 190, 207},
  };
  constexpr int count = sizeof colours / sizeof colours[0];
  return colours[((index % count) + count) % count];
}

Color mix(Color from, Color to, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto channel = [t](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround((1.0 - t) * a + t * b));
  };
  return {channel(from.r, to.r), channel(from.g, to.g), channel(from.b, to.b)};
}

Canvas::Canvas(int width, int height, Color background)
    : width_(width), height_(height), drawing_(std::make_unique<Drawing>()) {
  check_side("width", width);
  check_side("height", height);
  fill(background);
}

Canvas::~Canvas() = default;
Canvas::Canvas(Canvas&&) noexcept = default;
Canvas& Canvas::operator=(Canvas&&) noexcept = default;
Canvas::Canvas(const Canvas& other)
    : width_(other.width_),
      height_(other.height_),
      drawing_(std::make_unique<Drawing>(*other.drawing_)) {}
Canvas& Canvas::operator=(const Canvas& other) {
  if (this != &other) *this = Canvas(other);
  return *this;
}

void Canvas::fill(Color color) {
  drawing_->add([=](cairo_t* cr) {
    set_color(cr, color);
    cairo_paint(cr);
  });
}

void Canvas::fill_rect(double x, double y, double width, double height, Color color) {
  if (!(width > 0 && height > 0)) return;
  drawing_->add([=](cairo_t* cr) {
    set_color(cr, color);
    cairo_rectangle(cr, x, y, width, height);
    cairo_fill(cr);
  });
}

void Canvas::draw_rect(double x, double y, double width, double height, Color color,
                       double line_width) {
  if (!(width > 0 && height > 0 && line_width > 0)) return;
  const double inset = std::min({line_width, width, height}) / 2;  // the stroke's centre line
  drawing_->add([=](cairo_t* cr) {
    cairo_save(cr);
    set_color(cr, color);
    cairo_set_line_width(cr, 2 * inset);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);  // square corners
    cairo_rectangle(cr, x + inset, y + inset, width - 2 * inset, height - 2 * inset);
    cairo_stroke(cr);
    cairo_restore(cr);
  });
}

void Canvas::draw_line(double x0, double y0, double x1, double y1, Color color, double line_width) {
  const Point ends[] = {{x0, y0}, {x1, y1}};
  draw_polyline(ends, color, line_width);
}

void Canvas::draw_polyline(std::span<const Point> points, Color color, double line_width) {
  if (points.empty() || !(line_width > 0)) return;
  drawing_->add(
      [points = std::vector<Point>(points.begin(), points.end()), color, line_width](cairo_t* cr) {
        set_color(cr, color);
        cairo_set_line_width(cr, line_width);
        cairo_move_to(cr, points[0].x, points[0].y);
        // A single point still shows: a zero-length segment with round caps is a dot.
        for (std::size_t i = points.size() == 1 ? 0 : 1; i < points.size(); ++i) {
          cairo_line_to(cr, points[i].x, points[i].y);
        }
        cairo_stroke(cr);
      });
}

void Canvas::draw_segments(std::span<const Point> ends, Color color, double line_width) {
  if (ends.size() < 2 || !(line_width > 0)) return;
  drawing_->add(
      [ends = std::vector<Point>(ends.begin(), ends.end()), color, line_width](cairo_t* cr) {
        set_color(cr, color);
        cairo_set_line_width(cr, line_width);
        for (std::size_t i = 0; i + 1 < ends.size(); i += 2) {
          cairo_move_to(cr, ends[i].x, ends[i].y);
          cairo_line_to(cr, ends[i + 1].x, ends[i + 1].y);
        }
        cairo_stroke(cr);
      });
}

void Canvas::fill_circle(double center_x, double center_y, double radius, Color color) {
  if (!(radius > 0)) return;
  drawing_->add([=](cairo_t* cr) {
    circle_path(cr, center_x, center_y, radius, color);
    cairo_fill(cr);
  });
}

void Canvas::draw_circle(double center_x, double center_y, double radius, Color color,
                         double line_width) {
  if (!(radius > 0 && line_width > 0)) return;
  drawing_->add([=](cairo_t* cr) {
    cairo_set_line_width(cr, line_width);
    circle_path(cr, center_x, center_y, radius, color);
    cairo_stroke(cr);
  });
}

void Canvas::draw_marker(double center_x, double center_y, double radius, Color fill,
                         Color outline) {
  fill_circle(center_x, center_y, radius, fill);
  draw_circle(center_x, center_y, radius, outline, 1.0);
}

void Canvas::fill_vertical_gradient(double x, double y, double width, double height,
                                    std::span<const GradientStop> stops) {
  if (!(width > 0 && height > 0) || stops.empty()) return;
  drawing_->add([x, y, width, height,
                 stops = std::vector<GradientStop>(stops.begin(), stops.end())](cairo_t* cr) {
    cairo_pattern_t* gradient = cairo_pattern_create_linear(0.0, y, 0.0, y + height);
    for (const GradientStop& stop : stops) {
      cairo_pattern_add_color_stop_rgb(gradient, std::clamp(stop.offset, 0.0, 1.0),
                                       stop.color.r / 255.0, stop.color.g / 255.0,
                                       stop.color.b / 255.0);
    }
    cairo_set_source(cr, gradient);
    cairo_rectangle(cr, x, y, width, height);
    cairo_fill(cr);
    cairo_pattern_destroy(gradient);
  });
}

void Canvas::draw_image(double x, double y, int columns, int rows, std::span<const Color> pixels,
                        int scale) {
  check_side("image columns", columns);
  check_side("image rows", rows);
  if (pixels.size() != static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows)) {
    throw std::invalid_argument("Canvas::draw_image: " + std::to_string(pixels.size()) +
                                " pixels for a " + std::to_string(columns) + "x" +
                                std::to_string(rows) + " image; give columns * rows of them");
  }
  scale = std::max(scale, 1);
  const SharedSurface image(cairo_image_surface_create(CAIRO_FORMAT_RGB24, columns, rows),
                            cairo_surface_destroy);
  check_status(cairo_surface_status(image.get()), "make an image");
  cairo_surface_flush(image.get());
  unsigned char* data = cairo_image_surface_get_data(image.get());
  const int stride = cairo_image_surface_get_stride(image.get());
  for (int row = 0; row < rows; ++row) {
    for (int column = 0; column < columns; ++column) {
      const Color color = pixels[static_cast<std::size_t>(row) * static_cast<std::size_t>(columns) +
                                 static_cast<std::size_t>(column)];
      // RGB24: one 32-bit word per pixel in the machine's byte order, 0x00RRGGBB.
      const std::uint32_t word =
          (std::uint32_t{color.r} << 16) | (std::uint32_t{color.g} << 8) | std::uint32_t{color.b};
      std::memcpy(data + static_cast<std::ptrdiff_t>(row) * stride + column * 4, &word, 4);
    }
  }
  cairo_surface_mark_dirty(image.get());
  drawing_->add([=](cairo_t* cr) {
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, image.get(), 0.0, 0.0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);  // sharp pixels
    cairo_rectangle(cr, 0.0, 0.0, columns, rows);
    cairo_fill(cr);
    cairo_restore(cr);
  });
}

void Canvas::draw_text(double x, double y, std::string_view text, Color color, const Font& font,
                       Align align) {
  // Laid out now, with the ruler: the commands hold where each line starts.
  cairo_t* measure = ruler();
  select_font(measure, font);
  cairo_font_extents_t font_extents;
  cairo_font_extents(measure, &font_extents);
  struct Line {
    std::string text;
    double left;
    double baseline;
  };
  std::vector<Line> lines;
  double baseline = y + font_extents.ascent;
  for (std::string& line : lines_of(text)) {
    cairo_text_extents_t extents;
    cairo_text_extents(measure, line.c_str(), &extents);
    double left = x;
    if (align == Align::center) left -= extents.x_advance / 2;
    if (align == Align::right) left -= extents.x_advance;
    lines.push_back({std::move(line), left, baseline});
    baseline += font_extents.height;
  }
  drawing_->add([lines = std::move(lines), color, font](cairo_t* cr) {
    select_font(cr, font);
    set_color(cr, color);
    for (const Line& line : lines) {
      cairo_move_to(cr, line.left, line.baseline);
      cairo_show_text(cr, line.text.c_str());
    }
    cairo_new_path(cr);
  });
}

double Canvas::text_width(std::string_view text, const Font& font) {
  cairo_t* measure = ruler();
  select_font(measure, font);
  double widest = 0.0;
  for (const std::string& line : lines_of(text)) {
    cairo_text_extents_t extents;
    cairo_text_extents(measure, line.c_str(), &extents);
    widest = std::max(widest, extents.x_advance);
  }
  return widest;
}

double Canvas::text_height(std::string_view text, const Font& font) {
  if (text.empty()) return 0.0;
  cairo_t* measure = ruler();
  select_font(measure, font);
  cairo_font_extents_t extents;
  cairo_font_extents(measure, &extents);
  const auto lines = static_cast<double>(std::count(text.begin(), text.end(), '\n') + 1);
  return (lines - 1) * extents.height + extents.ascent + extents.descent;
}

void Canvas::clip(double x, double y, double width, double height) {
  ++drawing_->open_clips;
  drawing_->add([=](cairo_t* cr) {
    cairo_save(cr);  // reset_clip() restores it
    cairo_rectangle(cr, x, y, std::max(width, 0.0), std::max(height, 0.0));
    cairo_clip(cr);
  });
}

void Canvas::reset_clip() {
  const int open = std::exchange(drawing_->open_clips, 0);
  if (open == 0) return;
  drawing_->add([open](cairo_t* cr) {
    for (int i = 0; i < open; ++i) cairo_restore(cr);
  });
}

void Canvas::draw_canvas(const Canvas& other, double x, double y) {
  drawing_->add(
      [picture = *other.drawing_, x, y, width = other.width_, height = other.height_](cairo_t* cr) {
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rectangle(cr, 0.0, 0.0, width, height);
        cairo_clip(cr);
        picture.replay(cr);
        cairo_restore(cr);
      });
}

namespace {

// Replays the commands onto a new target and returns the status of drawing there.
cairo_status_t replay_onto(cairo_surface_t* target, const std::function<void(cairo_t*)>& replay) {
  cairo_t* cr = cairo_create(target);
  prepare(cr);
  replay(cr);
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  return status;
}

}  // namespace

std::vector<std::uint8_t> Canvas::rgb() const {
  std::vector<std::uint8_t>& pixels = drawing_->pixels;
  if (!pixels.empty()) return pixels;
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_, height_);
  const cairo_status_t status = replay_onto(image, [&](cairo_t* cr) { drawing_->replay(cr); });
  cairo_surface_flush(image);
  if (status == CAIRO_STATUS_SUCCESS) {
    const unsigned char* data = cairo_image_surface_get_data(image);
    const int stride = cairo_image_surface_get_stride(image);
    pixels.reserve(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 3);
    for (int row = 0; row < height_; ++row) {
      for (int column = 0; column < width_; ++column) {
        std::uint32_t word;
        std::memcpy(&word, data + static_cast<std::ptrdiff_t>(row) * stride + column * 4, 4);
        pixels.push_back(static_cast<std::uint8_t>(word >> 16));
        pixels.push_back(static_cast<std::uint8_t>(word >> 8));
        pixels.push_back(static_cast<std::uint8_t>(word));
      }
    }
  }
  cairo_surface_destroy(image);
  check_status(status, "turn the picture into pixels");
  return pixels;
}

Color Canvas::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) {
    throw std::out_of_range("Canvas::pixel(" + std::to_string(x) + ", " + std::to_string(y) +
                            ") is outside the " + std::to_string(width_) + "x" +
                            std::to_string(height_) + " canvas");
  }
  if (drawing_->pixels.empty()) rgb();
  const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                          static_cast<std::size_t>(x)) *
                         3;
  const std::vector<std::uint8_t>& pixels = drawing_->pixels;
  return {pixels[at], pixels[at + 1], pixels[at + 2]};
}

std::string Canvas::encode(Format format) const {
  std::string bytes;
  cairo_surface_t* target = nullptr;
  switch (format) {
    case Format::png:
      target = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_, height_);
      break;
    case Format::svg:
      target = cairo_svg_surface_create_for_stream(append_to_string, &bytes, width_, height_);
      // Pixels, not the default points, so that a browser shows it at the size of the PNG.
      cairo_svg_surface_set_document_unit(target, CAIRO_SVG_UNIT_PX);
      break;
    case Format::pdf:
      target = cairo_pdf_surface_create_for_stream(append_to_string, &bytes, width_, height_);
      break;
  }
  cairo_status_t status = replay_onto(target, [&](cairo_t* cr) { drawing_->replay(cr); });
  if (format == Format::png && status == CAIRO_STATUS_SUCCESS) {
    status = cairo_surface_write_to_png_stream(target, append_to_string, &bytes);
  }
  cairo_surface_finish(target);  // SVG and PDF write their last bytes here
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(target);
  cairo_surface_destroy(target);
  check_status(status, "encode the picture");
  return bytes;
}

Format format_of(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") return Format::png;
  if (extension == ".svg") return Format::svg;
  if (extension == ".pdf") return Format::pdf;
  throw std::invalid_argument("Canvas::save: cannot tell the format of " + path.string() +
                              " from its extension; name it .png, .svg or .pdf, or call "
                              "save_png, save_svg or save_pdf");
}

void Canvas::save(const std::filesystem::path& path) const {
  save(path, format_of(path));
}

void Canvas::save(const std::filesystem::path& path, Format format) const {
  base::write_atomically(path, encode(format), {.create_folders = true});
}

}  // namespace micrograd::plots
