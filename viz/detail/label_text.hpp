// The text of a picture: UTF-8 decoding and encoding, how a label is shown, and the escaping that
// makes Graphviz (record labels) and HTML (the watch-backward page) show exactly that text.
//
// Internal to micrograd::viz (not installed), and pure string functions: no Graphviz, no engine,
// so they can be tested on their own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace micrograd::viz::detail {

// Appends `code_point` to `out` encoded as UTF-8 (1 to 4 bytes). The caller passes a valid code
// point (at most U+10FFFF, not a surrogate).
void append_utf8(std::string& out, char32_t code_point);

// The length of the valid UTF-8 sequence at text[i] and its code point, or 0 if invalid (a stray
// continuation byte, a truncated or overlong sequence, a surrogate, or beyond U+10FFFF).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point);

// What a label looks like on the picture: valid UTF-8 as typed; control characters as their
// Unicode "control pictures" (a newline shows as U+240A, DEL as U+2421); invalid bytes, C1
// controls and the non-characters XML forbids (U+FFFE, U+FFFF) as U+FFFD.
std::string displayed_text(std::string_view text);

// One field of a record label, escaped so Graphviz shows exactly displayed_text(text): the record
// syntax characters { } | < > and the backslash (which also starts Graphviz's \N, \n, \l escapes)
// get a backslash; spaces become hard spaces (Graphviz would merge plain ones) or, at the start,
// no-break spaces (it drops even hard ones there); & becomes &amp; (Graphviz decodes HTML entities
// such as &lt; in every label). Double quotes need nothing here: agwrite() escapes them in the
// DOT text.
std::string record_field(std::string_view text);

// `text` with & < > " as HTML character references, for the watch-backward page.
std::string html_escape(std::string_view text);

// A number as a box shows it: fixed notation with `precision` digits after the point, like
// micrograd's %.4f, except beyond 1e9 (exponent notation); nan, inf and -inf as such.
std::string format_number(double value, int precision);

}  // namespace micrograd::viz::detail
