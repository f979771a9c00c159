// Label text for micrograd::viz: UTF-8, what a label shows, and escaping for Graphviz and HTML.
#include "viz/detail/label_text.hpp"

#include <cmath>
#include <cstdio>

namespace micrograd::viz::detail {
namespace {

constexpr char32_t replacement_character = 0xFFFD;

}  // namespace

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, minimum = 0x80, code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, minimum = 0x800, code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, minimum = 0x10000, code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

std::string displayed_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t code_point = 0;
    const std::size_t length = decode_utf8(text, i, code_point);
    if (length == 0) {
      append_utf8(out, replacement_character);
      ++i;
      continue;
    }
    if (code_point < 0x20) {
      append_utf8(out, 0x2400 + code_point);
    } else if (code_point == 0x7F) {
      append_utf8(out, 0x2421);
    } else if ((code_point >= 0x80 && code_point <= 0x9F) || code_point == 0xFFFE ||
               code_point == 0xFFFF) {
      append_utf8(out, replacement_character);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string record_field(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  bool leading = true;
  for (const char c : displayed_text(text)) {
    if (leading && c == ' ') {
      out += "\u00A0";  // Graphviz drops leading spaces, even hard ones; a no-break space stays
      continue;
    }
    leading = false;
    switch (c) {
      case '{':
      case '}':
      case '|':
      case '<':
      case '>':
      case '\\':
        out += '\\';
        out += c;
        break;
      case ' ':
        out += "\\ ";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_number(double value, int precision) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  // Fixed notation like micrograd's %.4f, except where it would print a wall of digits.
  const char* format = std::fabs(value) < 1e9 ? "%.*f" : "%.*e";
  std::snprintf(buffer, sizeof buffer, format, precision, value);
  return buffer;
}

}  // namespace micrograd::viz::detail
