// Writing a file atomically: a reader (or a crash) sees either the old file or the whole new one.
//
// The contents go to a temporary file next to the target, which is then renamed over it; rename
// within one folder is atomic on POSIX. Used for every file this library writes (IDX, CSV, PNG).
#pragma once

#include <filesystem>
#include <functional>

namespace micrograd::datasets {

// Creates the target's folder if needed, calls write(temporary_path), then renames the temporary
// file to target. If write throws, the temporary file is removed and the exception propagates;
// the target is untouched. Errors of the library itself are DatasetError naming the target.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temporary)>& write);

}  // namespace micrograd::datasets
