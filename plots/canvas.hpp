// A tiny RGB canvas that saves PNG files: enough to draw the demos' pictures, nothing more.
//
// Pixels are addressed (x, y) from the top-left corner, x to the right and y down. Drawing outside
// the canvas is clipped silently, so a marker at the edge is simply cut. Text uses a built-in 5x7
// bitmap font (printable ASCII, with descenders below the 7 rows; anything else draws as '?'),
// each character 6 pixels wide and 9 high including spacing, times the scale. PNG files are
// written with libpng, atomically.
#pragma once

#include <cstdint>
#include <filesystem>
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

class Canvas {
 public:
  // Throws std::invalid_argument unless 0 < width, height <= 16384.
  Canvas(int width, int height, Color background = colors::white);

  int width() const { return width_; }
  int height() const { return height_; }
  bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width_ && y < height_; }

  Color pixel(int x, int y) const;  // throws std::out_of_range outside the canvas
  void set_pixel(int x, int y, Color color);

  void fill(Color color);
  void fill_rect(int x, int y, int width, int height, Color color);
  void draw_rect(int x, int y, int width, int height, Color color);  // the outline, 1 pixel
  // Bresenham's line; thickness > 1 stamps a square of that size at every step.
  void draw_line(int x0, int y0, int x1, int y1, Color color, int thickness = 1);
  void fill_circle(int center_x, int center_y, int radius, Color color);
  void draw_circle(int center_x, int center_y, int radius, Color color);  // the outline
  // A scatter-plot marker: a filled circle with a 1-pixel outline.
  void draw_marker(int center_x, int center_y, int radius, Color fill, Color outline);

  // Text with its top-left corner at (x, y); '\n' starts a new line.
  void draw_text(int x, int y, std::string_view text, Color color, int scale = 1);
  static int text_width(std::string_view text, int scale = 1);   // of the longest line
  static int text_height(std::string_view text, int scale = 1);  // of all lines

  // Copies another canvas with its top-left corner at (x, y) (clipped).
  void draw_canvas(const Canvas& other, int x, int y);

  // The pixels, row after row, 3 bytes (r, g, b) each.
  const std::vector<std::uint8_t>& rgb() const { return rgb_; }

  // Writes an 8-bit RGB PNG, atomically (base/atomic_file.hpp); creates the folder if needed.
  // Throws base::WriteError.
  void save_png(const std::filesystem::path& path) const;

 private:
  int width_;
  int height_;
  std::vector<std::uint8_t> rgb_;
};

}  // namespace micrograd::plots
