// Writing a file atomically and durably: a reader, a crash or a power cut leaves either the old file
// or the whole new one, never a mix or a cut-off file. The project writes its files through here:
// checkpoints, the MNIST demo's training state, IDX and CSV files, PNG pictures.
//
//   base::write_atomically("out/notes.txt", text);
//
// One policy, step by step:
//   1. create a temporary file beside the target, ".<name>.tmp.<pid>.<n>": in the same folder, so
//      on the same file system (rename is atomic only within one), and hidden, so that a file left
//      behind by a crash is not mistaken for the target. When the target exists, the temporary file
//      takes its permissions before anything is written to it (a key file kept at 600 stays 600);
//   2. write the contents, then fsync: they are on disk before they take the target's name;
//   3. rename it over the target: readers see the old file or the new one, nothing in between;
//   4. fsync the folder, so that the rename itself survives a power cut. Best effort: a file system
//      that cannot sync a folder does not fail a write that has already taken place.
// A target that is a symbolic link stays one: the file it points to is replaced. A failure at any
// step removes the temporary file and leaves the target as it was.
#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace micrograd::base {

// A file could not be written; the target is unchanged. what() is "'<path>': <step> (<reason>)",
// e.g. "'out/model.json': cannot replace it with the new file (Is a directory)".
class WriteError : public std::runtime_error {
 public:
  WriteError(std::filesystem::path path, std::string step, std::error_code code);

  // The target, as the caller named it.
  const std::filesystem::path& path() const noexcept { return path_; }
  // What failed, in words: "cannot create a temporary file beside it", "cannot replace it with the
  // new file", ...
  const std::string& step() const noexcept { return step_; }
  // Why: the system's error number (std::generic_category()).
  const std::error_code& code() const noexcept { return code_; }

 private:
  std::filesystem::path path_;
  std::string step_;
  std::error_code code_;
};

struct WriteOptions {
  // Create the target's missing folders first, as mkdir -p does. Off: a missing folder is an error.
  bool create_folders = false;
};

// Writes `bytes` to `path` as above. Throws WriteError.
void write_atomically(const std::filesystem::path& path, std::string_view bytes,
                      const WriteOptions& options = {});

// For a writer that opens the file by its name itself (libpng, zlib's gzopen, an ofstream):
// write(temporary) fills the temporary file of step 1, which exists and is empty, then steps 2 to 4
// run as above. Throws WriteError; whatever `write` throws propagates, the temporary file removed.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& temporary)>& write,
                      const WriteOptions& options = {});

namespace detail {
// For tests: called with the name of each step just before it runs: "create", "permissions" (only
// when the target exists), "write", "fsync", "rename", "fsync folder". It returns 0 to let the step
// run, or an errno value to make the step fail with that error as if the system had returned it;
// it may also throw, or end the process to simulate a crash there. nullptr (the default) for none.
using WriteStepHook = int (*)(const char* step);
void set_write_step_hook(WriteStepHook hook);
}  // namespace detail

}  // namespace micrograd::base
