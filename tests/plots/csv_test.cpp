#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "base/atomic_file.hpp"
#include "common/files.hpp"
#include "plots/plots.hpp"

namespace micrograd::plots {
namespace {

using testing::ScratchDir;

TEST(WriteCsv, OneRowPerValueSeriesAfterSeries) {
  ScratchDir dir;
  write_csv(dir / "curves.csv",
            {Series("loss", {0.5, 0.25, NAN}), Series("test, \"held out\"", {1, 2.5}, {90.5, 1e-7}),
             Series("", {-INFINITY, INFINITY})});
  EXPECT_EQ(testing::read_text(dir / "curves.csv"),
            "series,x,y\n"
            "loss,0,0.5\n"
            "loss,1,0.25\n"
            "loss,2,nan\n"
            "\"test, \"\"held out\"\"\",1,90.5\n"
            "\"test, \"\"held out\"\"\",2.5,1e-07\n"
            ",0,-inf\n"
            ",1,inf\n");
}

TEST(WriteCsv, NumbersReadBackExactly) {
  ScratchDir dir;
  const std::vector<double> values = {0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, -2.5e-300, 93.05};
  write_csv(dir / "exact.csv", {Series("v", values)});
  const std::string text = testing::read_text(dir / "exact.csv");
  std::size_t line = text.find('\n') + 1;
  for (double value : values) {
    const std::size_t comma = text.find(',', text.find(',', line) + 1);
    EXPECT_EQ(std::strtod(text.c_str() + comma + 1, nullptr), value);
    line = text.find('\n', comma) + 1;
  }
  EXPECT_NE(text.find(",93.05\n"), std::string::npos) << "the shortest form: " << text;
}

TEST(WriteCsv, CreatesFoldersAndLeavesNoTemporaryFile) {
  ScratchDir dir;
  write_csv(dir / "run" / "loss.csv", {Series("loss", {1, 0.5})});
  write_csv(dir / "run" / "loss.csv", {Series("loss", {1, 0.5, 0.25})});  // replaced whole
  EXPECT_EQ(testing::read_text(dir / "run" / "loss.csv"),
            "series,x,y\nloss,0,1\nloss,1,0.5\nloss,2,0.25\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "run")) {
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(WriteCsv, BadSeriesAndUnwritablePathsAreErrors) {
  ScratchDir dir;
  EXPECT_THROW(write_csv(dir / "bad.csv",
                         {Series("bad", std::vector<double>{1}, std::vector<double>{1, 2})}),
               std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.csv"));
  testing::write_text(dir / "a-file", "x");
  EXPECT_THROW(write_csv(dir / "a-file" / "loss.csv", {Series("loss", {1})}), base::WriteError);
}

}  // namespace
}  // namespace micrograd::plots
