// The demos' shared --format (examples/common/picture_format.hpp).
#include "examples/common/picture_format.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace micrograd::examples {
namespace {

// Parses `arguments` with a --format whose default is `fallback`: the format, or CLI11's error.
std::string parsed_format(std::vector<std::string> arguments, const std::string& fallback = "png") {
  CLI::App app("test", "demo");
  std::string format = fallback;
  add_format_option(app, format);
  arguments.insert(arguments.begin(), "demo");
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& error) {
    return std::string("error: ") + error.what();
  }
  return format;
}

TEST(PictureFormat, AFormatOrAFileNameEndingInOne) {
  EXPECT_EQ(picture_format_of("png"), "png");
  EXPECT_EQ(picture_format_of("SVG"), "svg");
  EXPECT_EQ(picture_format_of("talk/loss.Pdf"), "pdf");
  EXPECT_EQ(picture_format_of(".svg"), "svg");
  EXPECT_EQ(picture_format_of("gif"), "");
  EXPECT_EQ(picture_format_of("png.gif"), "") << "the extension decides, not a word in the name";
  EXPECT_EQ(picture_format_of(""), "");
}

TEST(PictureFormat, TheOptionKeepsTheDemosDefault) {
  EXPECT_EQ(parsed_format({}), "png");
  EXPECT_EQ(parsed_format({}, "svg"), "svg");
  EXPECT_EQ(parsed_format({"--format", "PDF"}), "pdf");
  EXPECT_EQ(parsed_format({"--format=slides/loss.svg"}), "svg");
}

TEST(PictureFormat, AnUnknownFormatSaysWhichOnesWork) {
  const std::string error = parsed_format({"--format", "gif"});
  EXPECT_NE(error.find("--format"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown picture format 'gif'"), std::string::npos) << error;
  EXPECT_NE(error.find("use png, svg or pdf"), std::string::npos) << error;
}

TEST(PictureFormat, ThePathEndsInTheFormat) {
  EXPECT_EQ(picture_path("out/moons", "loss", "svg"), std::filesystem::path("out/moons/loss.svg"));
}

}  // namespace
}  // namespace micrograd::examples
