// The check of the --out folder that the demos make after reading their flags (it makes the
// folder, so it is not a CLI11 validator: --help must not make folders). It returns what is wrong,
// in words, or "" when nothing is; the caller names the flag: "--out " + problem.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

namespace micrograd::examples {

// Whether the program can write its output into `folder`, checked before any training so that a
// bad --out fails in a second, not after an epoch. A missing folder is made (with its parents),
// then a small file is written in it and removed: writing is the only test that tells for sure
// (permissions, a read-only file system, root, who may write anywhere).
inline std::string output_folder_problem(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  const std::string named = "'" + folder.string() + "'";
  if (folder.empty()) return "is empty; give a folder";
  // The nearest part of the path that exists must be a folder: 'notes.txt/run' cannot be made.
  for (fs::path part = folder; !part.empty(); part = part.parent_path()) {
    std::error_code error;
    const fs::file_status status = fs::status(part, error);
    if (fs::exists(status)) {
      if (fs::is_directory(status)) break;
      if (part == folder) {
        return named + " is a file, not a folder; give a folder (it is made when missing)";
      }
      return named + " cannot be made: '" + part.string() + "' is a file, not a folder";
    }
    if (part == part.parent_path()) break;  // the root
  }
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) return named + " cannot be made (" + error.message() + ")";
  const fs::path probe = folder / (".write-test." + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::error_code reason(errno, std::generic_category());
    return named + " cannot be written in (" + reason.message() + ")";
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

}  // namespace micrograd::examples
