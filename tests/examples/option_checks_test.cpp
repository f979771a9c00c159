// The demos' shared check of the --out folder (examples/common/option_checks.hpp).
#include "examples/common/option_checks.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/files.hpp"

namespace micrograd::examples {
namespace {

namespace fs = std::filesystem;
using micrograd::testing::ScratchDir;

bool says(const std::string& problem, const std::string& words) {
  return problem.find(words) != std::string::npos;
}

TEST(OutputFolderProblem, AMissingFolderIsMadeWithItsParents) {
  ScratchDir scratch;
  EXPECT_EQ(output_folder_problem(scratch / "a/b/c"), "");
  EXPECT_TRUE(fs::is_directory(scratch / "a/b/c"));
  EXPECT_TRUE(fs::is_empty(scratch / "a/b/c")) << "the file written to check it is removed";
  EXPECT_EQ(output_folder_problem(scratch / "a/b/c"), "") << "an existing folder is fine too";
}

TEST(OutputFolderProblem, AFileIsNotAFolder) {
  ScratchDir scratch;
  micrograd::testing::write_text(scratch / "notes.txt", "not a folder");
  const std::string file = output_folder_problem(scratch / "notes.txt");
  EXPECT_TRUE(says(file, "'" + (scratch / "notes.txt").string() + "' is a file, not a folder"))
      << file;
  const std::string below = output_folder_problem(scratch / "notes.txt/run");
  EXPECT_TRUE(says(
      below, "cannot be made: '" + (scratch / "notes.txt").string() + "' is a file, not a folder"))
      << below;
  EXPECT_TRUE(says(output_folder_problem(""), "is empty"));
}

// Root may write in a read-only folder (and then the demo can too): only for other users.
TEST(OutputFolderProblem, AFolderThatCannotBeWrittenInIsAProblem) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes in read-only folders";
  ScratchDir scratch;
  fs::create_directory(scratch / "read_only");
  fs::permissions(scratch / "read_only", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string problem = output_folder_problem(scratch / "read_only");
  fs::permissions(scratch / "read_only", fs::perms::owner_all);
  EXPECT_TRUE(says(problem, "cannot be written in (Permission denied)")) << problem;
}

}  // namespace
}  // namespace micrograd::examples
