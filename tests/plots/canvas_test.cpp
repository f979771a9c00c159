#include "plots/canvas.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "base/atomic_file.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "pictures.hpp"

namespace micrograd::plots {
namespace {

using testing::count_pixels;
using testing::find_color;
using testing::ScratchDir;

// Pixels that are neither white nor `ink`: the blended edges of antialiased drawing.
int blended_pixels(const Canvas& canvas, Color ink) {
  int count = 0;
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      const Color color = canvas.pixel(x, y);
      count += color != colors::white && color != ink ? 1 : 0;
    }
  }
  return count;
}

TEST(Canvas, StartsFilledAndFillsRectanglesOfWholePixels) {
  Canvas canvas(4, 3, colors::blue);
  EXPECT_EQ(canvas.width(), 4);
  EXPECT_EQ(canvas.height(), 3);
  EXPECT_EQ(canvas.rgb().size(), 36u);
  EXPECT_EQ(count_pixels(canvas, colors::blue), 12);
  canvas.fill_rect(3, 2, 1, 1, colors::red);
  EXPECT_EQ(canvas.pixel(3, 2), colors::red);
  EXPECT_EQ(canvas.rgb()[(2 * 4 + 3) * 3], colors::red.r);
  canvas.fill_rect(3, -5, 10, 6, colors::green);  // clipped to the canvas
  EXPECT_EQ(count_pixels(canvas, colors::green), 1);
  EXPECT_THROW(canvas.pixel(4, 0), std::out_of_range);
  canvas.fill(colors::white);
  EXPECT_EQ(count_pixels(canvas, colors::white), 12);
}

TEST(Canvas, RejectsImpossibleSizes) {
  EXPECT_THROW(Canvas(0, 10), std::invalid_argument);
  EXPECT_THROW(Canvas(10, -1), std::invalid_argument);
  EXPECT_THROW(Canvas(100000, 10), std::invalid_argument);
}

TEST(Canvas, RectangleOutlinesAreCrispInsideTheBox) {
  Canvas canvas(10, 10);
  canvas.draw_rect(1, 1, 4, 3, colors::black);
  EXPECT_EQ(count_pixels(canvas, colors::black), 10);  // the outline of a 4x3 box, no blending
  EXPECT_EQ(blended_pixels(canvas, colors::black), 0);
  EXPECT_EQ(canvas.pixel(1, 1), colors::black);
  EXPECT_EQ(canvas.pixel(4, 3), colors::black);
  EXPECT_EQ(canvas.pixel(2, 2), colors::white);
}

TEST(Canvas, LinesAreAntialiasedAndStayNearTheirSegment) {
  Canvas canvas(40, 30);
  const double x0 = 3, y0 = 4.3, x1 = 35, y1 = 22.8;
  canvas.draw_line(x0, y0, x1, y1, colors::black, 1.5);
  EXPECT_GT(blended_pixels(canvas, colors::black), 20) << "smooth edges, not a staircase";
  const double length = std::hypot(x1 - x0, y1 - y0);
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      if (canvas.pixel(x, y) == colors::white) continue;
      // The pixel's centre is within the half width, the round cap and half a pixel's diagonal.
      const double px = x + 0.5 - x0;
      const double py = y + 0.5 - y0;
      const double along = std::clamp((px * (x1 - x0) + py * (y1 - y0)) / length, 0.0, length);
      const double distance =
          std::hypot(px - along * (x1 - x0) / length, py - along * (y1 - y0) / length);
      ASSERT_LT(distance, 0.75 + 0.75) << "ink at (" << x << ", " << y << ")";
    }
  }
  const Point points[] = {{2, 2}, {20, 25}, {38, 2}};
  canvas.fill(colors::white);
  canvas.draw_polyline(points, colors::blue, 3);
  EXPECT_GT(count_pixels(canvas, colors::blue), 60);
  EXPECT_EQ(canvas.pixel(20, 24), colors::blue);  // the joint
}

TEST(Canvas, CirclesAreRoundAndSymmetric) {
  Canvas canvas(21, 21);
  canvas.fill_circle(10.5, 10.5, 6, colors::black);
  for (int y = 0; y < 21; ++y) {
    for (int x = 0; x < 21; ++x) {
      ASSERT_TRUE(testing::near(canvas.pixel(x, y), canvas.pixel(20 - x, y), 2)) << x << "," << y;
      ASSERT_TRUE(testing::near(canvas.pixel(x, y), canvas.pixel(y, x), 2)) << x << "," << y;
    }
  }
  // Its area: pi r^2 = 113 pixels of ink, counting a blended pixel by how dark it is.
  double ink = 0.0;
  for (int y = 0; y < 21; ++y) {
    for (int x = 0; x < 21; ++x) ink += 1.0 - canvas.pixel(x, y).r / 255.0;
  }
  EXPECT_NEAR(ink, M_PI * 36, 2.0);
  canvas.fill(colors::white);
  canvas.draw_marker(10.5, 10.5, 5, colors::red, colors::black);
  EXPECT_EQ(canvas.pixel(10, 10), colors::red);
  EXPECT_TRUE(testing::near(canvas.pixel(10, 5), colors::black, 100));  // the outline
}

TEST(Canvas, TextStaysInItsMeasuredBox) {
  Canvas canvas(120, 60);
  const std::string text = "Ab0.5g\n-9";
  const double width = canvas.text_width(text);
  const double height = canvas.text_height(text);
  EXPECT_GT(width, 25);
  EXPECT_GT(height, canvas.text_height("Ab0.5g") + 8) << "two lines are taller than one";
  EXPECT_GT(canvas.text_width("Ab0.5g", Font(24)), 1.8 * canvas.text_width("Ab0.5g"));
  canvas.draw_text(3, 4, text, colors::black);
  int inside = 0;
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      if (canvas.pixel(x, y) == colors::white) continue;
      ASSERT_GE(x, 3);
      ASSERT_LE(x, 3 + width);
      ASSERT_GE(y, 4);
      ASSERT_LE(y, 4 + height);
      ++inside;
    }
  }
  EXPECT_GT(inside, 40);

  canvas.fill(colors::white);
  canvas.draw_text(100, 10, "right", colors::black, Font(), Align::right);
  canvas.draw_text(50, 30, "centre", colors::black, Font(), Align::center);
  const testing::Found right = find_color(canvas, colors::black, 200, {0, 0, 119, 25});
  EXPECT_LE(right.box.right, 100);
  EXPECT_GE(right.box.right, 97);
  const testing::Found centre = find_color(canvas, colors::black, 200, {0, 26, 119, 59});
  EXPECT_NEAR((centre.box.left + centre.box.right) / 2.0, 50, 2);
}

// The old canvas drew every byte of a non-ASCII character as '?'.
TEST(Canvas, Utf8TextIsDrawnAsItsCharacters) {
  auto draw = [](const char* text) {
    Canvas canvas(40, 24);
    canvas.draw_text(2, 2, text, colors::black, Font(16));
    return canvas.rgb();
  };
  const auto accented = draw("é");
  EXPECT_NE(accented, draw("e")) << "the accent is drawn";
  EXPECT_NE(accented, draw("?"));
  EXPECT_NE(accented, draw("??"));
  EXPECT_NE(draw("α"), draw("??"));
  EXPECT_NE(draw("α"), draw("a"));
  EXPECT_NE(draw("\u2212"), draw("-")) << "a minus sign is not a hyphen";
}

TEST(Canvas, TextThatIsNotUtf8DoesNotStopTheDrawing) {
  Canvas canvas(80, 30);
  canvas.draw_text(2, 2, "bad \xFF\xC0\xAF byte", colors::black);
  canvas.fill_rect(70, 20, 5, 5, colors::red);  // Cairo stops drawing after an error it reports
  EXPECT_EQ(canvas.pixel(72, 22), colors::red);
  Canvas replaced(80, 30);
  replaced.draw_text(2, 2, "bad \uFFFD\uFFFD\uFFFD byte", colors::black);
  replaced.fill_rect(70, 20, 5, 5, colors::red);
  EXPECT_EQ(canvas.rgb(), replaced.rgb()) << "each bad byte shows as U+FFFD";
}

TEST(Canvas, ImagesKeepTheirPixelsAndScaleSharply) {
  Canvas canvas(10, 8);
  const Color pixels[] = {colors::red,   colors::green, colors::blue,
                          colors::black, {10, 20, 30},  colors::white};
  canvas.draw_image(1, 1, 3, 2, pixels, 2);
  EXPECT_EQ(canvas.pixel(1, 1), colors::red);
  EXPECT_EQ(canvas.pixel(2, 2), colors::red);  // a 2x2 square per image pixel
  EXPECT_EQ(canvas.pixel(3, 1), colors::green);
  EXPECT_EQ(canvas.pixel(6, 2), colors::blue);
  EXPECT_EQ(canvas.pixel(4, 4), (Color{10, 20, 30}));
  EXPECT_EQ(canvas.pixel(7, 1), colors::white);
  for (int y = 0; y < canvas.height(); ++y) {  // no blurred edges, inside or out
    for (int x = 0; x < canvas.width(); ++x) {
      const Color expected = x >= 1 && x < 7 && y >= 1 && y < 5
                                 ? pixels[static_cast<std::size_t>((y - 1) / 2 * 3 + (x - 1) / 2)]
                                 : colors::white;
      ASSERT_EQ(canvas.pixel(x, y), expected) << x << ", " << y;
    }
  }
  EXPECT_THROW(canvas.draw_image(0, 0, 2, 2, pixels, 1), std::invalid_argument);
}

TEST(Canvas, GradientsClipsAndOtherCanvases) {
  Canvas canvas(10, 40);
  const Canvas::GradientStop stops[] = {
      {0.0, colors::red}, {0.5, colors::red}, {0.5, colors::blue}, {1.0, colors::blue}};
  canvas.fill_vertical_gradient(0, 0, 10, 40, stops);
  EXPECT_TRUE(testing::near(canvas.pixel(5, 2), colors::red, 2));
  EXPECT_TRUE(testing::near(canvas.pixel(5, 18), colors::red, 2));
  EXPECT_TRUE(testing::near(canvas.pixel(5, 21), colors::blue, 2)) << "a sharp step at 0.5";
  canvas.fill(colors::white);
  canvas.clip(2, 2, 3, 3);
  canvas.fill_rect(0, 0, 10, 10, colors::green);
  EXPECT_EQ(count_pixels(canvas, colors::green), 9);
  canvas.reset_clip();
  canvas.fill_rect(8, 38, 5, 5, colors::green);
  EXPECT_EQ(count_pixels(canvas, colors::green), 13);

  Canvas big(10, 10);
  const Canvas small(3, 2, colors::green);
  big.draw_canvas(small, 8, 9);  // clipped to 2 x 1
  EXPECT_EQ(count_pixels(big, colors::green), 2);
  Canvas copy = big;  // a copy draws on without changing the original
  copy.fill_rect(0, 0, 1, 1, colors::red);
  EXPECT_EQ(count_pixels(copy, colors::red), 1);
  EXPECT_EQ(count_pixels(big, colors::red), 0);
}

TEST(Canvas, MixAndPalette) {
  EXPECT_EQ(mix(colors::black, colors::white, 0.0), colors::black);
  EXPECT_EQ(mix(colors::black, colors::white, 1.0), colors::white);
  EXPECT_EQ(mix(colors::black, colors::white, 0.5), (Color{128, 128, 128}));
  EXPECT_EQ(palette(0), colors::red);
  EXPECT_EQ(palette(1), colors::blue);
  EXPECT_EQ(palette(10), palette(0));
  EXPECT_NE(palette(2), palette(3));
}

// A small picture with a line, a circle and text, for the file tests.
Canvas sample() {
  Canvas canvas(60, 40);
  canvas.draw_line(0, 20, 60, 20, colors::green, 2);
  canvas.fill_circle(30, 20, 8, colors::red);
  canvas.draw_text(2, 2, "é α", colors::black);
  return canvas;
}

TEST(CanvasFiles, PngHoldsThePixelsLibpngReadsBack) {
  ScratchDir dir;
  const Canvas canvas = sample();
  canvas.save_png(dir / "pictures" / "small.png");  // creates the folder
  const testing::PngPixels png = testing::read_png(dir / "pictures" / "small.png");
  ASSERT_EQ(png.width, 60);
  ASSERT_EQ(png.height, 40);
  EXPECT_EQ(png.rgb, canvas.rgb());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "pictures")) {
    ++files;
  }
  EXPECT_EQ(files, 1u);  // no temporary file left behind
}

TEST(CanvasFiles, SvgIsWellFormedXmlOfTheCanvasSize) {
  ScratchDir dir;
  sample().save_svg(dir / "small.svg");
  const std::string text = testing::read_text(dir / "small.svg");
  const testing::Xml xml = testing::parse_xml(text);
  EXPECT_EQ(xml.error, "");
  EXPECT_EQ(xml.root, "svg");
  EXPECT_EQ(testing::root_attribute(xml, "width"), "60px");
  EXPECT_EQ(testing::root_attribute(xml, "height"), "40px");
  EXPECT_EQ(testing::root_attribute(xml, "viewBox"), "0 0 60 40");
  EXPECT_GT(xml.elements, 5);
  EXPECT_EQ(text.find("<image"), std::string::npos) << "vectors, not a picture of pixels";
}

TEST(CanvasFiles, PdfHasItsHeaderAndTrailer) {
  ScratchDir dir;
  sample().save_pdf(dir / "small.pdf");
  const std::string bytes = testing::read_text(dir / "small.pdf");
  EXPECT_EQ(testing::pdf_problem(bytes), "");
  EXPECT_NE(bytes.find("/MediaBox [ 0 0 60 40 ]"), std::string::npos);
}

TEST(CanvasFiles, SaveTakesTheFormatFromTheExtension) {
  ScratchDir dir;
  const Canvas canvas = sample();
  canvas.save(dir / "a.PNG");
  canvas.save(dir / "b.svg");
  canvas.save(dir / "c.pdf");
  EXPECT_EQ(testing::read_text(dir / "a.PNG").rfind("\x89PNG\r\n", 0), 0u);
  EXPECT_EQ(testing::read_text(dir / "b.svg").rfind("<?xml", 0), 0u);
  EXPECT_EQ(testing::read_text(dir / "c.pdf").rfind("%PDF-", 0), 0u);
  const std::string message =
      testing::message_of<std::invalid_argument>([&] { canvas.save(dir / "d.jpg"); });
  EXPECT_NE(message.find("d.jpg"), std::string::npos) << message;
  EXPECT_NE(message.find(".png, .svg or .pdf"), std::string::npos) << message;
  EXPECT_THROW(canvas.save(dir / "no_extension"), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "d.jpg"));
  canvas.save(dir / "e.data", Format::svg);  // an explicit format, whatever the name
  EXPECT_EQ(testing::read_text(dir / "e.data").rfind("<?xml", 0), 0u);
}

TEST(CanvasFiles, AnUnwritablePathIsAWriteError) {
  ScratchDir dir;
  testing::write_text(dir / "a-file", "x");
  EXPECT_THROW(Canvas(2, 2).save_png(dir / "a-file" / "image.png"), base::WriteError);
  EXPECT_THROW(Canvas(2, 2).save_svg(dir / "a-file" / "image.svg"), base::WriteError);
}

}  // namespace
}  // namespace micrograd::plots
