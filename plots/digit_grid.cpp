// digit_grid: images in rows, each with its caption.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "plots/detail/figure.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots {

Canvas digit_grid(const std::vector<DigitTile>& tiles, const DigitGridOptions& options) {
  const std::size_t image_size = options.image_rows * options.image_cols;
  if (image_size == 0 || options.columns < 1 || options.scale < 1) {
    throw std::invalid_argument(
        "digit_grid: image_rows, image_cols, columns and scale must all be at least 1");
  }
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    if (tiles[index].pixels.size() != image_size) {
      throw std::invalid_argument("digit_grid: tile " + std::to_string(index) + " has " +
                                  std::to_string(tiles[index].pixels.size()) +
                                  " pixels, expected " + std::to_string(options.image_rows) + "x" +
                                  std::to_string(options.image_cols) + " = " +
                                  std::to_string(image_size));
    }
  }
  const Font& caption_font = detail::kLabelFont;
  const int scale = options.scale;
  const int image_width = static_cast<int>(options.image_cols) * scale;
  const int image_height = static_cast<int>(options.image_rows) * scale;
  double tile_width = image_width;
  double caption_height = 0.0;
  for (const DigitTile& tile : tiles) {
    tile_width = std::max(tile_width, Canvas::text_width(tile.caption, caption_font) + 4);
    caption_height = std::max(caption_height, Canvas::text_height(tile.caption, caption_font));
  }
  tile_width = std::ceil(tile_width);
  constexpr double gap = 10.0;
  const double tile_height = image_height + (caption_height > 0 ? caption_height + 5 : 0.0);
  const int columns = std::max(1, std::min(options.columns, static_cast<int>(tiles.size())));
  const int rows = (static_cast<int>(tiles.size()) + columns - 1) / columns;
  const double top = std::ceil(detail::title_bottom(options.title) + 4);
  const double width = std::max(gap + columns * (tile_width + gap),
                                Canvas::text_width(options.title, detail::kTitleFont) + 2 * gap);
  const double height = top + std::max(rows, 1) * (tile_height + gap);
  Canvas canvas(static_cast<int>(std::ceil(width)), static_cast<int>(std::ceil(height)));
  detail::draw_title(canvas, options.title);
  if (tiles.empty()) canvas.draw_text(gap, top, "(no images)", colors::gray, caption_font);

  std::vector<Color> pixels(image_size);
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    const int column = static_cast<int>(index) % columns;
    const int row = static_cast<int>(index) / columns;
    const double tile_left = gap + column * (tile_width + gap);
    const double tile_top = top + row * (tile_height + gap);
    // Whole pixels, so that the image's pixels stay sharp squares.
    const double image_left = std::floor(tile_left + (tile_width - image_width) / 2);
    for (std::size_t i = 0; i < image_size; ++i) {
      const double value = tiles[index].pixels[i];
      const double ink = std::isnan(value) ? 0.0 : std::clamp(value, 0.0, 1.0);  // NaN: no ink
      const auto gray = static_cast<std::uint8_t>(std::lround(255.0 * (1.0 - ink)));
      pixels[i] = {gray, gray, gray};
    }
    canvas.draw_image(image_left, tile_top, static_cast<int>(options.image_cols),
                      static_cast<int>(options.image_rows), pixels, scale);
    canvas.draw_rect(image_left - 1, tile_top - 1, image_width + 2, image_height + 2,
                     colors::light_gray);
    canvas.draw_text(tile_left + tile_width / 2, tile_top + image_height + 5, tiles[index].caption,
                     tiles[index].caption_color, caption_font, Align::center);
  }
  return canvas;
}

}  // namespace micrograd::plots
