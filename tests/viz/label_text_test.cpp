// Tests of viz/detail/label_text.hpp: UTF-8 encoding and decoding, what a label shows, and the
// escaping for Graphviz record labels and for HTML. Plain string code: this suite is built with
// or without Graphviz. How the escaped text renders is tested in graphviz_test.cpp.
#include "viz/detail/label_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace micrograd::viz::detail {
namespace {

std::string utf8(char32_t code_point) {
  std::string out;
  append_utf8(out, code_point);
  return out;
}

TEST(Utf8, EncodesOneToFourBytes) {
  EXPECT_EQ(utf8(U'A'), "A");
  EXPECT_EQ(utf8(0xE9), "\xC3\xA9");             // é
  EXPECT_EQ(utf8(0x20AC), "\xE2\x82\xAC");       // €
  EXPECT_EQ(utf8(0x1F600), "\xF0\x9F\x98\x80");  // 😀
}

TEST(Utf8, DecodesWhatItEncodesAtEveryLengthBoundary) {
  for (const char32_t code_point :
       {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFFu, 0x10000u, 0x10FFFFu}) {
    const std::string text = "x" + utf8(code_point);
    char32_t decoded = 0;
    EXPECT_EQ(decode_utf8(text, 1, decoded), text.size() - 1)
        << "U+" << std::hex << static_cast<unsigned long>(code_point);
    EXPECT_EQ(static_cast<unsigned long>(decoded), static_cast<unsigned long>(code_point));
  }
}

TEST(Utf8, RejectsInvalidSequences) {
  for (const std::string& text : {
           std::string("\x80"),              // a continuation byte with no lead
           std::string("\xC0\x80"),          // overlong (U+0000 in two bytes)
           std::string("\xE0\x80\x80"),      // overlong (U+0000 in three bytes)
           std::string("\xE2\x82"),          // truncated
           std::string("\xE2\x41\xAC"),      // a continuation byte missing
           std::string("\xED\xA0\x80"),      // a surrogate (U+D800)
           std::string("\xF4\x90\x80\x80"),  // beyond U+10FFFF
           std::string("\xF5\x80\x80\x80"),  // a lead byte UTF-8 never uses
       }) {
    char32_t decoded = 0;
    EXPECT_EQ(decode_utf8(text, 0, decoded), 0u) << testing::PrintToString(text);
  }
}

TEST(DisplayedText, KeepsValidTextAndShowsControlsAsPictures) {
  EXPECT_EQ(displayed_text("x1*w1 + b"), "x1*w1 + b");
  EXPECT_EQ(displayed_text("\xCE\xB1\xE2\x82\x81"), "\xCE\xB1\xE2\x82\x81");  // α₁
  EXPECT_EQ(displayed_text("a\nb\tc"), "a\u240Ab\u2409c");
  EXPECT_EQ(displayed_text(std::string("\0", 1)), "\u2400");
  EXPECT_EQ(displayed_text("\x7F"), "\u2421");
}

TEST(DisplayedText, ReplacesInvalidBytesC1ControlsAndNonCharacters) {
  EXPECT_EQ(displayed_text("a\xFF"
                           "b"),
            "a\uFFFDb");
  EXPECT_EQ(displayed_text("\xE2\x82"), "\uFFFD\uFFFD");  // one replacement per bad byte
  EXPECT_EQ(displayed_text("\xC2\x85"), "\uFFFD");        // U+0085, a C1 control
  EXPECT_EQ(displayed_text("\xEF\xBF\xBE"), "\uFFFD");    // U+FFFE
}

TEST(RecordField, EscapesRecordSyntaxBackslashesSpacesAndAmpersands) {
  EXPECT_EQ(record_field("{a|b}"), "\\{a\\|b\\}");
  EXPECT_EQ(record_field("<p>\\N"), "\\<p\\>\\\\N");
  EXPECT_EQ(record_field("a  b"), "a\\ \\ b");
  EXPECT_EQ(record_field("&lt;"), "&amp;lt;");
  EXPECT_EQ(record_field("say \"hi\""), "say\\ \"hi\"");  // agwrite escapes the quotes
}

TEST(RecordField, LeadingSpacesBecomeNoBreakSpaces) {
  EXPECT_EQ(record_field("  a b"), "\u00A0\u00A0a\\ b");
}

TEST(RecordField, EscapesTheDisplayedText) {
  EXPECT_EQ(record_field("a\n|"), "a\u240A\\|");
}

TEST(HtmlEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("x1*w1 'ok'"), "x1*w1 'ok'");
}

TEST(FormatNumber, FixedLikeMicrogradExceptHugeNumbers) {
  EXPECT_EQ(format_number(0.5, 4), "0.5000");
  EXPECT_EQ(format_number(-3.0, 0), "-3");
  EXPECT_EQ(format_number(0.70710678, 17), "0.70710678000000005");
  EXPECT_EQ(format_number(1e10, 2), "1.00e+10");
  EXPECT_EQ(format_number(-2.5e12, 1), "-2.5e+12");
}

TEST(FormatNumber, NanAndInfinities) {
  EXPECT_EQ(format_number(std::nan(""), 4), "nan");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity(), 4), "inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity(), 4), "-inf");
}

}  // namespace
}  // namespace micrograd::viz::detail
