// Helpers for the plots tests: finding colours on a canvas (antialiased edges are blends, so most
// checks allow a tolerance), finding a plot's frame, and reading the files back independently of
// the Cairo that wrote them: PNG with libpng, SVG with expat.
#pragma once

#include <expat.h>
#include <gtest/gtest.h>
#include <png.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "plots/canvas.hpp"

namespace micrograd::testing {

// Each channel within `tolerance` of the other colour's.
inline bool near(plots::Color a, plots::Color b, int tolerance) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
         std::abs(a.b - b.b) <= tolerance;
}

// A rectangle of pixels, both ends included; empty when no pixel was found.
struct PixelBox {
  int left = 0;
  int top = 0;
  int right = -1;
  int bottom = -1;

  bool empty() const { return right < left; }
  bool contains(int x, int y) const { return x >= left && x <= right && y >= top && y <= bottom; }
};

// The pixels of `color` (within `tolerance`) inside `within` (the whole canvas by default): how
// many, and the box around them.
struct Found {
  int count = 0;
  PixelBox box;
};

inline Found find_color(const plots::Canvas& canvas, plots::Color color, int tolerance = 0,
                        PixelBox within = {0, 0, 1 << 20, 1 << 20}) {
  Found found;
  found.box = {1 << 20, 1 << 20, -1, -1};
  for (int y = std::max(within.top, 0); y <= std::min(within.bottom, canvas.height() - 1); ++y) {
    for (int x = std::max(within.left, 0); x <= std::min(within.right, canvas.width() - 1); ++x) {
      if (!near(canvas.pixel(x, y), color, tolerance)) continue;
      ++found.count;
      found.box.left = std::min(found.box.left, x);
      found.box.top = std::min(found.box.top, y);
      found.box.right = std::max(found.box.right, x);
      found.box.bottom = std::max(found.box.bottom, y);
    }
  }
  if (found.count == 0) found.box = {};
  return found;
}

inline int count_pixels(const plots::Canvas& canvas, plots::Color color, int tolerance = 0) {
  return find_color(canvas, color, tolerance).count;
}

// A plot's frame: the box inside its 1-pixel dark grey border, found as the outermost columns and
// rows that are dark grey for at least a third of the canvas's height or width.
inline PixelBox frame_of(const plots::Canvas& canvas) {
  auto dark = [&](int x, int y) { return canvas.pixel(x, y) == plots::colors::dark_gray; };
  std::vector<int> columns;
  std::vector<int> rows;
  for (int x = 0; x < canvas.width(); ++x) {
    int count = 0;
    for (int y = 0; y < canvas.height(); ++y) count += dark(x, y) ? 1 : 0;
    if (3 * count >= canvas.height()) columns.push_back(x);
  }
  for (int y = 0; y < canvas.height(); ++y) {
    int count = 0;
    for (int x = 0; x < canvas.width(); ++x) count += dark(x, y) ? 1 : 0;
    if (3 * count >= canvas.width()) rows.push_back(y);
  }
  if (columns.size() < 2 || rows.size() < 2) {
    ADD_FAILURE() << "no frame (a dark grey border) found on the canvas";
    return {};
  }
  return {columns.front() + 1, rows.front() + 1, columns.back() - 1, rows.back() - 1};
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

// An XML document parsed by expat: "" when well-formed, else expat's complaint and where.
struct Xml {
  std::string error;
  std::string root;                          // the root element's name
  std::vector<std::string> root_attributes;  // name, value, name, value, ...
  int elements = 0;
};

inline Xml parse_xml(const std::string& text) {
  Xml xml;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &xml);
  XML_SetStartElementHandler(
      parser, [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto& document = *static_cast<Xml*>(data);
        if (document.elements++ == 0) {
          document.root = name;
          for (const XML_Char** attribute = attributes; *attribute != nullptr; ++attribute) {
            document.root_attributes.emplace_back(*attribute);
          }
        }
      });
  if (XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_ERROR) {
    xml.error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                std::to_string(XML_GetCurrentLineNumber(parser));
  }
  XML_ParserFree(parser);
  return xml;
}

// The value of the root element's attribute `name`, "" when it has none.
inline std::string root_attribute(const Xml& xml, const std::string& name) {
  for (std::size_t i = 0; i + 1 < xml.root_attributes.size(); i += 2) {
    if (xml.root_attributes[i] == name) return xml.root_attributes[i + 1];
  }
  return "";
}

// A PDF file's frame: the header it starts with, and the cross-reference pointer and end-of-file
// marker it ends with. "" when both are there, else what is missing.
inline std::string pdf_problem(const std::string& bytes) {
  if (bytes.rfind("%PDF-1.", 0) != 0) return "no %PDF-1.x header";
  const std::size_t end = bytes.rfind("%%EOF");
  if (end == std::string::npos || bytes.find_first_not_of("\r\n", end + 5) != std::string::npos) {
    return "no %%EOF at the end";
  }
  if (bytes.rfind("startxref", end) == std::string::npos) return "no startxref before %%EOF";
  return "";
}

}  // namespace micrograd::testing
