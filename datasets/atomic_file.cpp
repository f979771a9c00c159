#include "datasets/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <string>
#include <system_error>

#include "datasets/errors.hpp"

namespace micrograd::datasets {

namespace fs = std::filesystem;

void write_atomically(const fs::path& target,
                      const std::function<void(const fs::path& temporary)>& write) {
  std::error_code error;
  const fs::path folder = target.parent_path();
  if (!folder.empty()) {
    fs::create_directories(folder, error);
    if (error) {
      throw DatasetError(target, "cannot create the folder " + folder.string() + " (" +
                                     error.message() + "); check the path and its permissions");
    }
  }
  // Unique per process and per call, so two writers never share a temporary file.
  static std::atomic<unsigned> counter{0};
  fs::path temporary = target;
  temporary += ".part-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  try {
    write(temporary);
  } catch (...) {
    fs::remove(temporary, error);
    throw;
  }
  fs::rename(temporary, target, error);
  if (error) {
    const std::string reason = error.message();
    fs::remove(temporary, error);
    throw DatasetError(target, "cannot move the finished file into place (" + reason +
                                   "); check that the folder is writable");
  }
}

}  // namespace micrograd::datasets
