// Helpers for the plots tests: counting a colour's pixels on a canvas, and reading a PNG back with
// libpng, independently of the Canvas that wrote it.
#pragma once

#include <gtest/gtest.h>
#include <png.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "plots/canvas.hpp"

namespace micrograd::testing {

inline int count_pixels(const plots::Canvas& canvas, plots::Color color) {
  int count = 0;
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) count += canvas.pixel(x, y) == color ? 1 : 0;
  }
  return count;
}

struct PngPixels {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // row after row, 3 bytes per pixel
};

inline PngPixels read_png(const std::filesystem::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  PngPixels pixels;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0) {
    ADD_FAILURE() << "libpng cannot read " << path << ": " << image.message;
    return pixels;
  }
  image.format = PNG_FORMAT_RGB;
  pixels.width = static_cast<int>(image.width);
  pixels.height = static_cast<int>(image.height);
  pixels.rgb.resize(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.rgb.data(), 0, nullptr) == 0) {
    ADD_FAILURE() << "libpng cannot decode " << path << ": " << image.message;
  }
  return pixels;
}

}  // namespace micrograd::testing
