// Numbers as the demos print them. printf writes a NaN whose sign bit is set as "-nan" (0 * inf and
// inf - inf give one on x86, so a diverged loss often is one), but a NaN has no sign: every NaN is
// printed "nan", as Python and PyTorch print it. Infinities keep their sign: "inf", "-inf".
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace micrograd::examples {

// `value` with `decimals` digits after the point, as printf's "%.<decimals>f": "0.8958", "nan".
inline std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "nan";
  const int length = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  if (length <= 0) return "?";
  std::string text(static_cast<std::size_t>(length), '\0');
  std::snprintf(text.data(), text.size() + 1, "%.*f", decimals, value);
  return text;
}

}  // namespace micrograd::examples
