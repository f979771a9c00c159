// Reads a PNG with libpng, independently of the Canvas that wrote it.
#pragma once

#include <gtest/gtest.h>
#include <png.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace micrograd::datasets::testing {

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

}  // namespace micrograd::datasets::testing
