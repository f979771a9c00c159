// Text and the settings every picture is drawn with, for Cairo: invalid UTF-8 made drawable, text
// split into lines, the font, and a context that measures text without drawing. Defined in text.cpp.
//
// Internal to micrograd::plots (not installed).
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

#include "plots/canvas.hpp"

namespace micrograd::plots::detail {

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (Cairo refuses invalid text).
std::string valid_utf8(std::string_view text);
// The lines of `text` (split at '\n'), each valid UTF-8.
std::vector<std::string> lines_of(std::string_view text);
// Makes `font` the font `cr` draws and measures with.
void select_font(cairo_t* cr, const Font& font);
// The settings every picture is drawn with (antialiasing, font metrics, joins and caps).
void prepare(cairo_t* cr);
// This thread's context on a 1x1 image, prepared, only to measure text.
cairo_t* ruler();

}  // namespace micrograd::plots::detail
