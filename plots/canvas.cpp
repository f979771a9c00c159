#include "plots/canvas.hpp"

#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

#include "base/atomic_file.hpp"

namespace micrograd::plots {

namespace {

constexpr int kMaxSide = 16384;
constexpr int kGlyphWidth = 5;
constexpr int kGlyphHeight = 8;  // 7 rows for capitals and digits, 1 more for descenders (g, p)
constexpr int kAdvance = 6;      // glyph width + 1 pixel of spacing
constexpr int kLineHeight = 9;   // glyph height + 1 pixel of spacing

// A 5x7 font with descenders: eight rows per character, top to bottom; bit 4 of a row is its
// leftmost pixel. The shapes are those of the classic HD44780 character LCD.
struct Glyph {
  char character;
  std::array<std::uint8_t, kGlyphHeight> rows;
};

constexpr Glyph kFont[] = {
    {' ', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'!', {0x04, 0x04, 0x04, 0x04, 0x00, 0x00, 0x04, 0x00}},
    {'"', {0x0A, 0x0A, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'#', {0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A, 0x00}},
    {'$', {0x04, 0x0F, 0x14, 0x0E, 0x05, 0x1E, 0x04, 0x00}},
    {'%', {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03, 0x00}},
    {'&', {0x0C, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0D, 0x00}},
    {'\'', {0x0C, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02, 0x00}},
    {')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08, 0x00}},
    {'*', {0x00, 0x04, 0x15, 0x0E, 0x15, 0x04, 0x00, 0x00}},
    {'+', {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00, 0x00}},
    {',', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08}},
    {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C, 0x00}},
    {'/', {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00, 0x00}},
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E, 0x00}},
    {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E, 0x00}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F, 0x00}},
    {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E, 0x00}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02, 0x00}},
    {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E, 0x00}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E, 0x00}},
    {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, 0x00}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E, 0x00}},
    {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C, 0x00}},
    {':', {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00, 0x00}},
    {';', {0x00, 0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x04, 0x08}},
    {'<', {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02, 0x00}},
    {'=', {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {'>', {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08, 0x00}},
    {'?', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00}},
    {'@', {0x0E, 0x11, 0x01, 0x0D, 0x15, 0x15, 0x0E, 0x00}},
    {'A', {0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x00}},
    {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E, 0x00}},
    {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E, 0x00}},
    {'D', {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C, 0x00}},
    {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F, 0x00}},
    {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10, 0x00}},
    {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F, 0x00}},
    {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11, 0x00}},
    {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E, 0x00}},
    {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C, 0x00}},
    {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11, 0x00}},
    {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F, 0x00}},
    {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11, 0x00}},
    {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x00}},
    {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E, 0x00}},
    {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10, 0x00}},
    {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D, 0x00}},
    {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11, 0x00}},
    {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E, 0x00}},
    {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00}},
    {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E, 0x00}},
    {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04, 0x00}},
    {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A, 0x00}},
    {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11, 0x00}},
    {'Y', {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x00}},
    {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F, 0x00}},
    {'[', {0x0E, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0E, 0x00}},
    {'\\', {0x00, 0x10, 0x08, 0x04, 0x02, 0x01, 0x00, 0x00}},
    {']', {0x0E, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0E, 0x00}},
    {'^', {0x04, 0x0A, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'_', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F, 0x00}},
    {'`', {0x08, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'a', {0x00, 0x00, 0x0E, 0x01, 0x0F, 0x11, 0x0F, 0x00}},
    {'b', {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1E, 0x00}},
    {'c', {0x00, 0x00, 0x0E, 0x10, 0x10, 0x11, 0x0E, 0x00}},
    {'d', {0x01, 0x01, 0x0D, 0x13, 0x11, 0x11, 0x0F, 0x00}},
    {'e', {0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E, 0x00}},
    {'f', {0x06, 0x09, 0x08, 0x1C, 0x08, 0x08, 0x08, 0x00}},
    {'g', {0x00, 0x00, 0x0F, 0x11, 0x11, 0x0F, 0x01, 0x0E}},
    {'h', {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00}},
    {'i', {0x04, 0x00, 0x0C, 0x04, 0x04, 0x04, 0x0E, 0x00}},
    {'j', {0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x12, 0x0C}},
    {'k', {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12, 0x00}},
    {'l', {0x0C, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E, 0x00}},
    {'m', {0x00, 0x00, 0x1A, 0x15, 0x15, 0x11, 0x11, 0x00}},
    {'n', {0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00}},
    {'o', {0x00, 0x00, 0x0E, 0x11, 0x11, 0x11, 0x0E, 0x00}},
    {'p', {0x00, 0x00, 0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10}},
    {'q', {0x00, 0x00, 0x0F, 0x11, 0x11, 0x0F, 0x01, 0x01}},
    {'r', {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10, 0x00}},
    {'s', {0x00, 0x00, 0x0E, 0x10, 0x0E, 0x01, 0x1E, 0x00}},
    {'t', {0x08, 0x08, 0x1C, 0x08, 0x08, 0x09, 0x06, 0x00}},
    {'u', {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0D, 0x00}},
    {'v', {0x00, 0x00, 0x11, 0x11, 0x11, 0x0A, 0x04, 0x00}},
    {'w', {0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0A, 0x00}},
    {'x', {0x00, 0x00, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x00}},
    {'y', {0x00, 0x00, 0x11, 0x11, 0x11, 0x0F, 0x01, 0x0E}},
    {'z', {0x00, 0x00, 0x1F, 0x02, 0x04, 0x08, 0x1F, 0x00}},
    {'{', {0x02, 0x04, 0x04, 0x08, 0x04, 0x04, 0x02, 0x00}},
    {'|', {0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00}},
    {'}', {0x08, 0x04, 0x04, 0x02, 0x04, 0x04, 0x08, 0x00}},
    {'~', {0x00, 0x00, 0x08, 0x15, 0x02, 0x00, 0x00, 0x00}},
};

const Glyph& glyph_for(char character) {
  static const std::array<const Glyph*, 128> table = [] {
    std::array<const Glyph*, 128> index{};
    for (const Glyph& glyph : kFont) index[static_cast<unsigned char>(glyph.character)] = &glyph;
    return index;
  }();
  const auto code = static_cast<unsigned char>(character);
  const Glyph* glyph = code < table.size() ? table[code] : nullptr;
  return glyph != nullptr ? *glyph : *table['?'];
}

void check_side(const char* name, int value) {
  if (value <= 0 || value > kMaxSide) {
    throw std::invalid_argument(std::string("Canvas: ") + name + " must be in 1.." +
                                std::to_string(kMaxSide) + ", got " + std::to_string(value));
  }
}

}  // namespace

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

Canvas::Canvas(int width, int height, Color background) : width_(width), height_(height) {
  check_side("width", width);
  check_side("height", height);
  rgb_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  fill(background);
}

Color Canvas::pixel(int x, int y) const {
  if (!contains(x, y)) {
    throw std::out_of_range("Canvas::pixel(" + std::to_string(x) + ", " + std::to_string(y) +
                            ") is outside the " + std::to_string(width_) + "x" +
                            std::to_string(height_) + " canvas");
  }
  const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                          static_cast<std::size_t>(x)) *
                         3;
  return {rgb_[at], rgb_[at + 1], rgb_[at + 2]};
}

void Canvas::set_pixel(int x, int y, Color color) {
  if (!contains(x, y)) return;
  const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                          static_cast<std::size_t>(x)) *
                         3;
  rgb_[at] = color.r;
  rgb_[at + 1] = color.g;
  rgb_[at + 2] = color.b;
}

void Canvas::fill(Color color) {
  fill_rect(0, 0, width_, height_, color);
}

void Canvas::fill_rect(int x, int y, int width, int height, Color color) {
  const int x_end = std::min(width_, x + std::max(width, 0));
  const int y_end = std::min(height_, y + std::max(height, 0));
  for (int row = std::max(y, 0); row < y_end; ++row) {
    for (int column = std::max(x, 0); column < x_end; ++column) set_pixel(column, row, color);
  }
}

void Canvas::draw_rect(int x, int y, int width, int height, Color color) {
  if (width <= 0 || height <= 0) return;
  fill_rect(x, y, width, 1, color);
  fill_rect(x, y + height - 1, width, 1, color);
  fill_rect(x, y, 1, height, color);
  fill_rect(x + width - 1, y, 1, height, color);
}

void Canvas::draw_line(int x0, int y0, int x1, int y1, Color color, int thickness) {
  // Bresenham: step along the longer axis, carrying the error of the shorter one.
  const int dx = std::abs(x1 - x0);
  const int dy = -std::abs(y1 - y0);
  const int step_x = x0 < x1 ? 1 : -1;
  const int step_y = y0 < y1 ? 1 : -1;
  const int half = (std::max(thickness, 1) - 1) / 2;
  int error = dx + dy;
  while (true) {
    if (thickness <= 1) {
      set_pixel(x0, y0, color);
    } else {
      fill_rect(x0 - half, y0 - half, thickness, thickness, color);
    }
    if (x0 == x1 && y0 == y1) return;
    const int twice = 2 * error;
    if (twice >= dy) {
      error += dy;
      x0 += step_x;
    }
    if (twice <= dx) {
      error += dx;
      y0 += step_y;
    }
  }
}

namespace {

// Calls plot(x, y) for the pixels of the canvas within `radius` of the center whose squared
// distance d from it satisfies keep(d). Only the part of the square around the circle that lies
// on the canvas is visited, so a huge circle costs no more than the canvas.
template <typename Keep, typename Plot>
void for_circle_pixels(int width, int height, int center_x, int center_y, int radius, Keep keep,
                       Plot plot) {
  if (radius < 0) return;
  const long long r = radius;  // r * r fits in a long long for any int radius
  const long long y_first = std::max<long long>(center_y - r, 0);
  const long long y_last = std::min<long long>(center_y + r, height - 1);
  const long long x_first = std::max<long long>(center_x - r, 0);
  const long long x_last = std::min<long long>(center_x + r, width - 1);
  for (long long y = y_first; y <= y_last; ++y) {
    for (long long x = x_first; x <= x_last; ++x) {
      const long long dx = x - center_x;
      const long long dy = y - center_y;
      if (keep(dx * dx + dy * dy, r)) plot(static_cast<int>(x), static_cast<int>(y));
    }
  }
}

}  // namespace

void Canvas::fill_circle(int center_x, int center_y, int radius, Color color) {
  // The pixels inside the circle of radius r + 1/2: d <= r^2 + r (+ 1/4, which integers ignore).
  for_circle_pixels(
      width_, height_, center_x, center_y, radius,
      [](long long distance, long long r) { return distance <= r * r + r; },
      [&](int x, int y) { set_pixel(x, y, color); });
}

void Canvas::draw_circle(int center_x, int center_y, int radius, Color color) {
  // The ring between the circles of radius r - 1/2 and r + 1/2.
  for_circle_pixels(
      width_, height_, center_x, center_y, radius,
      [](long long distance, long long r) { return distance <= r * r + r && distance > r * r - r; },
      [&](int x, int y) { set_pixel(x, y, color); });
}

void Canvas::draw_marker(int center_x, int center_y, int radius, Color fill, Color outline) {
  fill_circle(center_x, center_y, radius, fill);
  draw_circle(center_x, center_y, radius, outline);
}

void Canvas::draw_text(int x, int y, std::string_view text, Color color, int scale) {
  scale = std::max(scale, 1);
  int pen_x = x;
  int pen_y = y;
  for (char character : text) {
    if (character == '\n') {
      pen_x = x;
      pen_y += kLineHeight * scale;
      continue;
    }
    const Glyph& glyph = glyph_for(character);
    for (int row = 0; row < kGlyphHeight; ++row) {
      for (int column = 0; column < kGlyphWidth; ++column) {
        if ((glyph.rows[static_cast<std::size_t>(row)] >> (kGlyphWidth - 1 - column)) & 1) {
          fill_rect(pen_x + column * scale, pen_y + row * scale, scale, scale, color);
        }
      }
    }
    pen_x += kAdvance * scale;
  }
}

int Canvas::text_width(std::string_view text, int scale) {
  std::size_t longest = 0;
  std::size_t current = 0;
  for (char character : text) {
    current = character == '\n' ? 0 : current + 1;
    longest = std::max(longest, current);
  }
  // The last character needs no spacing after it.
  return longest == 0 ? 0 : (static_cast<int>(longest) * kAdvance - 1) * std::max(scale, 1);
}

int Canvas::text_height(std::string_view text, int scale) {
  if (text.empty()) return 0;
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  return ((lines - 1) * kLineHeight + kGlyphHeight) * std::max(scale, 1);
}

void Canvas::draw_canvas(const Canvas& other, int x, int y) {
  for (int row = 0; row < other.height(); ++row) {
    for (int column = 0; column < other.width(); ++column) {
      set_pixel(x + column, y + row, other.pixel(column, row));
    }
  }
}

void Canvas::save_png(const std::filesystem::path& path) const {
  const auto write_png = [&](const std::filesystem::path& temporary) {
    // libpng's simplified API: no setjmp/longjmp, which must not cross C++ frames.
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(width_);
    image.height = static_cast<png_uint_32>(height_);
    image.format = PNG_FORMAT_RGB;
    if (png_image_write_to_file(&image, temporary.c_str(), 0, rgb_.data(), 0, nullptr) == 0) {
      const std::string reason = image.message;
      png_image_free(&image);
      throw base::WriteError(path, "libpng cannot write the PNG: " + reason,
                             std::make_error_code(std::errc::io_error));
    }
  };
  base::write_atomically(path, write_png, {.create_folders = true});
}

}  // namespace micrograd::plots
