// A picture drawn with Cairo, saved as PNG, SVG or PDF: the layer below the plots.
//
//   Canvas canvas(400, 300);
//   canvas.draw_line(10, 10, 390, 290, colors::blue, 2);
//   canvas.draw_text(20, 20, "loss → 0", colors::black, Font(14));
//   canvas.save("out/picture.svg");  // .png, .svg or .pdf, by the name's extension
//
// Coordinates are in pixels from the top-left corner, x to the right and y down, and may be
// fractional: lines, circles and text are antialiased. A pixel's square is [x, x + 1] x [y, y + 1],
// so a 1-pixel line is crisp along x = 10.5, and a rectangle with whole-number corners fills whole
// pixels. Drawing outside the canvas is clipped.
//
// What is drawn is recorded as a list of drawing commands, not turned into pixels at once: saving
// replays them onto a PNG (pixels), an SVG or a PDF (vectors; images stay images), so one picture
// gives all three. pixel() and rgb() show the PNG's pixels. Text uses Cairo's own text functions
// with the system's sans-serif font (DejaVu Sans on Debian) and takes UTF-8: "é", "α", "−" are drawn
// as themselves; a byte sequence that is not UTF-8 is drawn as U+FFFD (�).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace micrograd::plots {

struct Color {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;

  friend bool operator==(const Color&, const Color&) = default;
};

namespace colors {
inline constexpr Color black{0, 0, 0};
inline constexpr Color white{255, 255, 255};
inline constexpr Color gray{128, 128, 128};
inline constexpr Color light_gray{225, 225, 225};
inline constexpr Color dark_gray{64, 64, 64};
inline constexpr Color red{215, 48, 39};
inline constexpr Color blue{49, 130, 189};
inline constexpr Color green{35, 139, 69};
}  // namespace colors

// A palette of distinct colours for classes and curves: 0 red, 1 blue, 2 green, 3 orange, ...
// (10 colours, then it repeats).
Color palette(int index);

// (1 - t) * from + t * to, per channel, for t in [0, 1].
Color mix(Color from, Color to, double t);

struct Point {
  double x = 0.0;
  double y = 0.0;
};

// The sans-serif font at a size in pixels (the em: a capital letter is about 0.73 of it).
struct Font {
  Font(double font_size = 12.0, bool font_bold = false) : size(font_size), bold(font_bold) {}

  double size;
  bool bold;
};

// Where a text's x is: its left end, its middle or its right end.
enum class Align { left, center, right };

// The file formats a canvas saves.
enum class Format { png, svg, pdf };

class Canvas {
 public:
  // Throws std::invalid_argument unless 0 < width, height <= 16384.
  Canvas(int width, int height, Color background = colors::white);
  ~Canvas();
  Canvas(const Canvas&);
  Canvas& operator=(const Canvas&);
  Canvas(Canvas&&) noexcept;
  Canvas& operator=(Canvas&&) noexcept;

  int width() const { return width_; }
  int height() const { return height_; }

  void fill(Color color);  // the whole canvas, or what clip() leaves
  void fill_rect(double x, double y, double width, double height, Color color);
  // The outline, `line_width` wide, inside the rectangle: draw_rect(0, 0, 10, 10, c) colours the
  // outermost ring of pixels of the 10 x 10 square.
  void draw_rect(double x, double y, double width, double height, Color color,
                 double line_width = 1.0);
  void draw_line(double x0, double y0, double x1, double y1, Color color, double line_width = 1.0);
  // Joined segments through the points, with round joins (a curve of many points looks smooth).
  void draw_polyline(std::span<const Point> points, Color color, double line_width = 1.0);
  // Separate segments (a, b), (c, d), ... in one stroke: a contour made of many pieces.
  void draw_segments(std::span<const Point> ends, Color color, double line_width = 1.0);
  void fill_circle(double center_x, double center_y, double radius, Color color);
  void draw_circle(double center_x, double center_y, double radius, Color color,
                   double line_width = 1.0);
  // A scatter-plot marker: a filled circle with a 1-pixel outline.
  void draw_marker(double center_x, double center_y, double radius, Color fill, Color outline);
  // A vertical bar shading from `top` to `bottom` (a colour bar); stops at the same offset make a
  // sharp step. Each stop is (offset in [0, 1] from the top, colour).
  struct GradientStop {
    double offset = 0.0;
    Color color;
  };
  void fill_vertical_gradient(double x, double y, double width, double height,
                              std::span<const GradientStop> stops);

  // An image of columns x rows pixels (row after row), its top-left corner at (x, y), each pixel
  // drawn as a scale x scale square with sharp edges. Throws std::invalid_argument when the pixel
  // count is not columns * rows.
  void draw_image(double x, double y, int columns, int rows, std::span<const Color> pixels,
                  int scale = 1);

  // Text whose first line's top is at y (the top of its tallest letters and accents), its x given
  // by `align`; '\n' starts a new line, each line aligned on its own.
  void draw_text(double x, double y, std::string_view text, Color color, const Font& font = {},
                 Align align = Align::left);
  static double text_width(std::string_view text, const Font& font = {});   // the longest line's
  static double text_height(std::string_view text, const Font& font = {});  // all lines'

  // Everything drawn later is cut to this rectangle, until reset_clip().
  void clip(double x, double y, double width, double height);
  void reset_clip();

  // Another canvas's picture with its top-left corner at (x, y), vectors staying vectors.
  void draw_canvas(const Canvas& other, double x, double y);

  // The pixels of the PNG this canvas saves, row after row, 3 bytes (r, g, b) each.
  std::vector<std::uint8_t> rgb() const;
  Color pixel(int x, int y) const;  // throws std::out_of_range outside the canvas

  // Writes the picture atomically (base/atomic_file.hpp), creating missing folders. save() takes
  // the format from the name's extension (.png, .svg or .pdf, in any case) and throws
  // std::invalid_argument for any other; the others write their format whatever the name.
  // Throws base::WriteError when the file cannot be written.
  void save(const std::filesystem::path& path) const;
  void save(const std::filesystem::path& path, Format format) const;
  void save_png(const std::filesystem::path& path) const { save(path, Format::png); }
  void save_svg(const std::filesystem::path& path) const { save(path, Format::svg); }
  void save_pdf(const std::filesystem::path& path) const { save(path, Format::pdf); }
  // The same bytes, in memory.
  std::string encode(Format format) const;

 private:
  struct Drawing;  // the drawing commands, and the pixels they last made

  int width_;
  int height_;
  std::unique_ptr<Drawing> drawing_;
};

// The format a file name asks for: Format::png for "a.png" or "B.PNG", ... Throws
// std::invalid_argument for another extension, saying which ones work.
Format format_of(const std::filesystem::path& path);

}  // namespace micrograd::plots
