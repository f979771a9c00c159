// Tests of base/atomic_file.hpp: what a write leaves on disk (contents, permissions, symbolic links,
// folders), and, through the step hook, what a failure or a crash at each step leaves: the old file
// byte for byte, and no temporary file (but after a crash, which nothing can clean up after).
#include "base/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/files.hpp"

namespace micrograd::base {
namespace {

namespace fs = std::filesystem;
using testing::read_text;

fs::perms permissions(const fs::path& path) {
  return fs::status(path).permissions();
}

// What the step hook does: record the steps, fail one of them, or end the process at one.
std::vector<std::string> steps_seen;
std::string failing_step;
int failing_error = 0;
int record_and_fail(const char* step) {
  steps_seen.emplace_back(step);
  return failing_step == step ? failing_error : 0;
}

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    steps_seen.clear();
    failing_step.clear();
    failing_error = 0;
  }
  void TearDown() override { detail::set_write_step_hook(nullptr); }
  // The names in the test's folder, sorted: a temporary file left behind shows here.
  std::vector<std::string> names() const { return scratch_.file_names(); }

  testing::ScratchDir scratch_;
  const fs::path& folder_ = scratch_.path();
};

// ---- what a write leaves ------------------------------------------------------------------------

TEST_F(AtomicFileTest, WritesANewFileAndReplacesAnOldOne) {
  const fs::path path = folder_ / "notes.txt";
  write_atomically(path, "first\n");
  EXPECT_EQ(read_text(path), "first\n");
  write_atomically(path, std::string("second, longer\n"));
  EXPECT_EQ(read_text(path), "second, longer\n");
  write_atomically(path, "");
  EXPECT_EQ(read_text(path), "");
  EXPECT_EQ(names(), std::vector<std::string>{"notes.txt"}) << "no temporary file left behind";
}

TEST_F(AtomicFileTest, TheStepsRunInOrder) {
  detail::set_write_step_hook(record_and_fail);
  write_atomically(folder_ / "a.txt", "a");
  EXPECT_EQ(steps_seen,
            (std::vector<std::string>{"create", "write", "fsync", "rename", "fsync folder"}));
  steps_seen.clear();
  write_atomically(folder_ / "a.txt", "b");
  EXPECT_EQ(steps_seen, (std::vector<std::string>{"create", "permissions", "write", "fsync",
                                                  "rename", "fsync folder"}))
      << "replacing a file gives the new one its permissions first";
}

TEST_F(AtomicFileTest, ANewFileGetsTheUsualPermissions) {
  const mode_t mask = ::umask(022);
  write_atomically(folder_ / "new.txt", "x");
  ::umask(mask);
  EXPECT_EQ(permissions(folder_ / "new.txt"), fs::perms(0644)) << "0666 less the umask, as open()";
}

TEST_F(AtomicFileTest, KeepsTheOldFilesPermissions) {
  for (const fs::perms mode : {fs::perms(0600), fs::perms(0640), fs::perms(0755)}) {
    const fs::path path = folder_ / "kept";
    write_atomically(path, "old");
    fs::permissions(path, mode);
    write_atomically(path, "new");
    EXPECT_EQ(permissions(path), mode);
    EXPECT_EQ(read_text(path), "new");
  }
}

// The new contents are never readable by more people than the old ones were.
fs::path watched_folder;
fs::perms temporary_permissions = fs::perms::unknown;
int look_at_the_temporary_file(const char* step) {
  if (std::string(step) != "write") return 0;
  for (const auto& entry : fs::directory_iterator(watched_folder)) {
    if (entry.path().filename().string().starts_with(".")) {
      temporary_permissions = permissions(entry.path());
    }
  }
  return 0;
}

TEST_F(AtomicFileTest, TheTemporaryFileHasTheOldPermissionsBeforeAnythingIsWritten) {
  const fs::path path = folder_ / "secret";
  write_atomically(path, "old");
  fs::permissions(path, fs::perms(0600));
  watched_folder = folder_;
  detail::set_write_step_hook(look_at_the_temporary_file);
  write_atomically(path, "new");
  EXPECT_EQ(temporary_permissions, fs::perms(0600));
}

TEST_F(AtomicFileTest, WritesThroughSymbolicLinksAndKeepsThem) {
  fs::create_directories(folder_ / "real");
  write_atomically(folder_ / "real" / "file.txt", "old");
  fs::permissions(folder_ / "real" / "file.txt", fs::perms(0600));
  fs::create_symlink("real/file.txt", folder_ / "link");  // relative to the link's folder
  fs::create_symlink(folder_ / "link", folder_ / "link-to-link");
  write_atomically(folder_ / "link-to-link", "new");
  EXPECT_TRUE(fs::is_symlink(folder_ / "link-to-link"));
  EXPECT_TRUE(fs::is_symlink(folder_ / "link"));
  EXPECT_EQ(read_text(folder_ / "real" / "file.txt"), "new");
  EXPECT_EQ(permissions(folder_ / "real" / "file.txt"), fs::perms(0600));
  EXPECT_EQ(names(), (std::vector<std::string>{"link", "link-to-link", "real"}));

  // A link to a file that does not exist yet: the file is made where the link points.
  fs::create_symlink("real/later.txt", folder_ / "dangling");
  write_atomically(folder_ / "dangling", "made");
  EXPECT_TRUE(fs::is_symlink(folder_ / "dangling"));
  EXPECT_EQ(read_text(folder_ / "real" / "later.txt"), "made");
}

TEST_F(AtomicFileTest, AMissingFolderIsAnErrorUnlessAskedToCreateIt) {
  const fs::path path = folder_ / "a" / "b" / "file.txt";
  try {
    write_atomically(path, "x");
    FAIL() << "the folder a/b does not exist";
  } catch (const WriteError& error) {
    EXPECT_EQ(error.path(), path);
    EXPECT_EQ(error.code(), std::errc::no_such_file_or_directory);
    EXPECT_EQ(error.step(), "its folder '" + (folder_ / "a" / "b").string() +
                                "' does not exist; create it first");
  }
  write_atomically(path, "x", {.create_folders = true});
  EXPECT_EQ(read_text(path), "x");

  write_atomically(folder_ / "plain", "x");
  EXPECT_THROW(write_atomically(folder_ / "plain" / "file.txt", "x", {.create_folders = true}),
               WriteError)
      << "a file stands where the folder should be";
}

TEST_F(AtomicFileTest, AFolderIsNotReplaced) {
  fs::create_directories(folder_ / "taken" / "inside");
  try {
    write_atomically(folder_ / "taken", "x");
    FAIL() << "writing over a folder must fail";
  } catch (const WriteError& error) {
    EXPECT_EQ(error.step(), "cannot replace it with the new file");
    EXPECT_EQ(std::string(error.what()), "'" + (folder_ / "taken").string() +
                                             "': cannot replace it with the new file (" +
                                             error.code().message() + ")");
  }
  EXPECT_TRUE(fs::is_directory(folder_ / "taken" / "inside"));
  EXPECT_EQ(names(), std::vector<std::string>{"taken"});

  try {
    write_atomically(folder_ / "dir/", "x");
    FAIL() << "a path that ends in / names a folder";
  } catch (const WriteError& error) {
    EXPECT_EQ(error.code(), std::errc::is_a_directory);
  }
}

// ---- writers that open the file themselves ------------------------------------------------------

TEST_F(AtomicFileTest, AWriterFillsTheTemporaryFileByItsName) {
  const fs::path path = folder_ / "streamed.csv";
  write_atomically(path, "old");
  fs::permissions(path, fs::perms(0640));
  write_atomically(path, [&](const fs::path& temporary) {
    EXPECT_EQ(temporary.parent_path(), folder_);
    EXPECT_TRUE(temporary.filename().string().starts_with(".streamed.csv.tmp."));
    EXPECT_EQ(fs::file_size(temporary), 0u);
    std::ofstream out(temporary, std::ios::binary);
    out << "x0,x1\n1,2\n";
  });
  EXPECT_EQ(read_text(path), "x0,x1\n1,2\n");
  EXPECT_EQ(permissions(path), fs::perms(0640)) << "reopening by name keeps the permissions";
  EXPECT_EQ(names(), std::vector<std::string>{"streamed.csv"});
}

TEST_F(AtomicFileTest, WhatAWriterThrowsPropagatesAndLeavesTheOldFile) {
  const fs::path path = folder_ / "data.idx";
  write_atomically(path, "old");
  EXPECT_THROW(write_atomically(path,
                                [](const fs::path& temporary) {
                                  std::ofstream(temporary) << "half";
                                  throw std::length_error("the writer's own error");
                                }),
               std::length_error);
  EXPECT_EQ(read_text(path), "old");
  EXPECT_EQ(names(), std::vector<std::string>{"data.idx"});
}

// ---- failures and crashes -----------------------------------------------------------------------

struct FailedStep {
  const char* step;
  const char* what_failed;
};

TEST_F(AtomicFileTest, AFailedStepLeavesTheOldFileIntact) {
  const fs::path path = folder_ / "model.json";
  write_atomically(path, "the old contents\n");
  detail::set_write_step_hook(record_and_fail);
  for (const FailedStep expected :
       {FailedStep{"create", "cannot create a temporary file beside it"},
        FailedStep{"permissions", "cannot give the new file the old one's permissions"},
        FailedStep{"write", "cannot write the new contents"},
        FailedStep{"fsync", "cannot flush the new contents to disk"},
        FailedStep{"rename", "cannot replace it with the new file"}}) {
    SCOPED_TRACE(expected.step);
    failing_step = expected.step;
    failing_error = EIO;
    try {
      write_atomically(path, "the new contents, which must not appear\n");
      ADD_FAILURE() << "the write succeeded";
    } catch (const WriteError& error) {
      EXPECT_EQ(error.path(), path);
      EXPECT_EQ(error.step(), expected.what_failed);
      EXPECT_EQ(error.code(), std::errc::io_error);
    }
    EXPECT_EQ(read_text(path), "the old contents\n") << "the old file must be byte for byte intact";
    EXPECT_EQ(names(), std::vector<std::string>{"model.json"})
        << "the temporary file must be removed when a write fails";
  }
}

TEST_F(AtomicFileTest, AFailedStepOfAWriterThatOpensTheFileItselfLeavesNothing) {
  const fs::path path = folder_ / "plot.png";
  detail::set_write_step_hook(record_and_fail);
  for (const char* step : {"create", "write", "fsync", "rename"}) {
    SCOPED_TRACE(step);
    failing_step = step;
    failing_error = ENOSPC;
    EXPECT_THROW(write_atomically(
                     path, [](const fs::path& temporary) { std::ofstream(temporary) << "png"; }),
                 WriteError);
    EXPECT_TRUE(names().empty());
  }
}

int first_name_taken(const char* step) {
  steps_seen.emplace_back(step);
  const bool first_try = std::count(steps_seen.begin(), steps_seen.end(), "create") == 1;
  return std::string(step) == "create" && first_try ? EEXIST : 0;
}

TEST_F(AtomicFileTest, ANameLeftByAnotherRunIsSkipped) {
  detail::set_write_step_hook(first_name_taken);
  write_atomically(folder_ / "busy.txt", "x");
  EXPECT_EQ(read_text(folder_ / "busy.txt"), "x");
  EXPECT_EQ(std::count(steps_seen.begin(), steps_seen.end(), "create"), 2);

  steps_seen.clear();
  detail::set_write_step_hook(record_and_fail);
  failing_step = "create";
  failing_error = EEXIST;  // every name taken: after 100 tries, give up
  try {
    write_atomically(folder_ / "busy.txt", "y");
    FAIL() << "no name was free";
  } catch (const WriteError& error) {
    EXPECT_EQ(error.code(), std::errc::file_exists);
  }
  EXPECT_EQ(std::count(steps_seen.begin(), steps_seen.end(), "create"), 100);
  EXPECT_EQ(names(), std::vector<std::string>{"busy.txt"});
}

TEST_F(AtomicFileTest, AFolderThatCannotBeSyncedDoesNotFailTheWrite) {
  detail::set_write_step_hook(record_and_fail);
  failing_step = "fsync folder";
  failing_error = EINVAL;  // what some file systems answer for a folder
  write_atomically(folder_ / "done.txt", "in place");
  EXPECT_EQ(read_text(folder_ / "done.txt"), "in place");
}

int crash_before_rename(const char* step) {
  if (std::string(step) == "rename") _exit(3);
  return 0;
}

// A real crash: the process dies with the new file written and synced but not yet renamed. The old
// file is intact; the temporary file stays behind (nothing can clean up after a crash), under a
// name that starts with '.' and cannot be mistaken for the target.
TEST_F(AtomicFileTest, ACrashLeavesTheOldFileIntact) {
  const fs::path path = folder_ / "model.json";
  write_atomically(path, "old");
  EXPECT_EXIT(
      {
        detail::set_write_step_hook(crash_before_rename);
        write_atomically(path, "new");
      },
      ::testing::ExitedWithCode(3), "");
  EXPECT_EQ(read_text(path), "old");
  const std::vector<std::string> found = names();
  ASSERT_EQ(found.size(), 2u) << "the target and the crashed write's temporary file";
  EXPECT_TRUE(found[0].starts_with(".model.json.tmp.")) << found[0];
  EXPECT_EQ(read_text(folder_ / found[0]), "new");
}

}  // namespace
}  // namespace micrograd::base
