// Text for Cairo, and the settings every picture is drawn with (see text.hpp).
#include "plots/detail/text.hpp"

#include <algorithm>

namespace micrograd::plots::detail {

namespace {

constexpr const char* kFontFamily = "sans-serif";  // fontconfig picks the system's (DejaVu Sans)

}  // namespace

// Cairo refuses text that is not UTF-8, and the refusal is sticky: the context would draw nothing
// more. So every invalid byte sequence becomes U+FFFD first (as a browser shows it): a lone
// continuation byte, a cut-off sequence, an overlong form, a surrogate, a code point past U+10FFFF.
std::string valid_utf8(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code = 0;
    char32_t smallest = 0;  // below it, the form is overlong
    if (lead < 0x80) {
      out += text[i++];
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, code = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code = lead & 0x07, smallest = 0x10000;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    valid = valid && code >= smallest && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += kReplacement;
      ++i;  // resynchronise on the next byte
    }
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(valid_utf8(text.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

void select_font(cairo_t* cr, const Font& font) {
  cairo_select_font_face(cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                         font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, std::max(font.size, 1.0));
}

// How every picture is drawn: greyscale antialiasing (subpixel, coloured edges would suit one kind
// of screen only), font metrics that do not depend on the output (so text measured once lays out
// the same in PNG, SVG and PDF), round joins and caps.
void prepare(cairo_t* cr) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
}

// A context on a 1x1 image, only to measure text (one per thread, freed when it ends).
cairo_t* ruler() {
  struct Ruler {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t* cr = cairo_create(surface);
    Ruler() { prepare(cr); }
    ~Ruler() {
      cairo_destroy(cr);
      cairo_surface_destroy(surface);
    }
    Ruler(const Ruler&) = delete;
    Ruler& operator=(const Ruler&) = delete;
  };
  thread_local Ruler instance;
  return instance.cr;
}

}  // namespace micrograd::plots::detail
