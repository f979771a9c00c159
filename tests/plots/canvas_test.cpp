#include "plots/canvas.hpp"

#include <gtest/gtest.h>
#include <png.h>

#include <stdexcept>

#include "base/atomic_file.hpp"
#include "common/files.hpp"
#include "pictures.hpp"

namespace micrograd::plots {
namespace {

using testing::count_pixels;
using testing::ScratchDir;

TEST(Canvas, StartsFilledAndSetsPixels) {
  Canvas canvas(4, 3, colors::blue);
  EXPECT_EQ(canvas.width(), 4);
  EXPECT_EQ(canvas.height(), 3);
  EXPECT_EQ(canvas.rgb().size(), 36u);
  EXPECT_EQ(count_pixels(canvas, colors::blue), 12);
  canvas.set_pixel(3, 2, colors::red);
  EXPECT_EQ(canvas.pixel(3, 2), colors::red);
  EXPECT_EQ(canvas.rgb()[(2 * 4 + 3) * 3], colors::red.r);
  canvas.set_pixel(4, 0, colors::red);  // outside: clipped, no error
  canvas.set_pixel(-1, -1, colors::red);
  EXPECT_EQ(count_pixels(canvas, colors::red), 1);
  EXPECT_THROW(canvas.pixel(4, 0), std::out_of_range);
  canvas.fill(colors::white);
  EXPECT_EQ(count_pixels(canvas, colors::white), 12);
}

TEST(Canvas, RejectsImpossibleSizes) {
  EXPECT_THROW(Canvas(0, 10), std::invalid_argument);
  EXPECT_THROW(Canvas(10, -1), std::invalid_argument);
  EXPECT_THROW(Canvas(100000, 10), std::invalid_argument);
}

TEST(Canvas, RectanglesAreClipped) {
  Canvas canvas(10, 10);
  canvas.fill_rect(8, 8, 5, 5, colors::black);
  EXPECT_EQ(count_pixels(canvas, colors::black), 4);
  canvas.fill(colors::white);
  canvas.draw_rect(1, 1, 4, 3, colors::black);
  EXPECT_EQ(count_pixels(canvas, colors::black), 10);  // the outline of a 4x3 box
  EXPECT_EQ(canvas.pixel(2, 2), colors::white);
}

TEST(Canvas, LinesJoinTheirEnds) {
  Canvas canvas(20, 20);
  canvas.draw_line(2, 3, 17, 11, colors::black);
  EXPECT_EQ(canvas.pixel(2, 3), colors::black);
  EXPECT_EQ(canvas.pixel(17, 11), colors::black);
  EXPECT_EQ(count_pixels(canvas, colors::black), 16);  // one pixel per step of the long axis
  canvas.fill(colors::white);
  canvas.draw_line(5, 5, 5, 5, colors::black);
  EXPECT_EQ(count_pixels(canvas, colors::black), 1);
  canvas.fill(colors::white);
  canvas.draw_line(0, 10, 19, 10, colors::black, 3);
  EXPECT_EQ(count_pixels(canvas, colors::black), 60);
}

TEST(Canvas, CirclesAreSymmetric) {
  Canvas canvas(21, 21);
  canvas.fill_circle(10, 10, 5, colors::black);
  for (int y = 0; y < 21; ++y) {
    for (int x = 0; x < 21; ++x) {
      ASSERT_EQ(canvas.pixel(x, y), canvas.pixel(20 - x, y));
      ASSERT_EQ(canvas.pixel(x, y), canvas.pixel(y, x));
    }
  }
  EXPECT_EQ(canvas.pixel(10, 5), colors::black);
  EXPECT_EQ(canvas.pixel(10, 4), colors::white);
  canvas.fill(colors::white);
  canvas.draw_marker(10, 10, 4, colors::red, colors::black);
  EXPECT_EQ(canvas.pixel(10, 10), colors::red);
  EXPECT_EQ(canvas.pixel(10, 6), colors::black);
}

TEST(Canvas, HugeCirclesCostNoMoreThanTheCanvas) {
  Canvas canvas(10, 10);
  canvas.fill_circle(5, 5, 2000000000, colors::black);
  EXPECT_EQ(count_pixels(canvas, colors::black), 100);
  canvas.fill(colors::white);
  canvas.draw_circle(-1000000, 5, 1000003, colors::black);  // its ring crosses the canvas
  EXPECT_GT(count_pixels(canvas, colors::black), 0);
  EXPECT_LT(count_pixels(canvas, colors::black), 100);
}

TEST(Canvas, TextStaysInItsBox) {
  Canvas canvas(80, 30);
  const std::string text = "Ab0.5\n-9";
  EXPECT_EQ(Canvas::text_width(text), 5 * 6 - 1);
  EXPECT_EQ(Canvas::text_height(text), 9 + 8);  // descenders take an eighth row
  canvas.draw_text(3, 4, text, colors::black);
  int inside = 0;
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      if (canvas.pixel(x, y) != colors::black) continue;
      ASSERT_GE(x, 3);
      ASSERT_LT(x, 3 + Canvas::text_width(text));
      ASSERT_GE(y, 4);
      ASSERT_LT(y, 4 + Canvas::text_height(text));
      ++inside;
    }
  }
  EXPECT_GT(inside, 40);
  EXPECT_EQ(Canvas::text_width("12", 2), 2 * 11);
}

TEST(Canvas, UnknownCharactersDrawAsQuestionMarks) {
  Canvas unknown(10, 10);
  Canvas question(10, 10);
  unknown.draw_text(0, 0, "\x01", colors::black);
  question.draw_text(0, 0, "?", colors::black);
  EXPECT_EQ(unknown.rgb(), question.rgb());
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

TEST(Canvas, DrawsAnotherCanvas) {
  Canvas big(10, 10);
  Canvas small(3, 2, colors::green);
  big.draw_canvas(small, 8, 9);  // clipped to 2 x 1
  EXPECT_EQ(count_pixels(big, colors::green), 2);
}

TEST(CanvasPng, WritesPixelsThatLibpngReadsBack) {
  ScratchDir dir;
  Canvas canvas(7, 5, colors::white);
  canvas.set_pixel(0, 0, {1, 2, 3});
  canvas.set_pixel(6, 4, {250, 128, 7});
  canvas.draw_line(0, 2, 6, 2, colors::green);
  canvas.save_png(dir / "pictures" / "small.png");  // creates the folder
  const testing::PngPixels png = testing::read_png(dir / "pictures" / "small.png");
  ASSERT_EQ(png.width, 7);
  ASSERT_EQ(png.height, 5);
  EXPECT_EQ(png.rgb, canvas.rgb());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "pictures")) {
    ++files;
  }
  EXPECT_EQ(files, 1u);  // no temporary file left behind
}

TEST(CanvasPng, AnUnwritablePathIsAWriteError) {
  ScratchDir dir;
  testing::write_text(dir / "a-file", "x");
  EXPECT_THROW(Canvas(2, 2).save_png(dir / "a-file" / "image.png"), base::WriteError);
}

}  // namespace
}  // namespace micrograd::plots
