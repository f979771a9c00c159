// The atomic file writer of base/atomic_file.hpp, on POSIX calls: open, fchmod, write, fsync,
// rename.
#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <string>
#include <system_error>
#include <utility>

namespace micrograd::base {

namespace fs = std::filesystem;

WriteError::WriteError(fs::path path, std::string step, std::error_code code)
    : std::runtime_error("'" + path.string() + "': " + step + " (" + code.message() + ")"),
      path_(std::move(path)),
      step_(std::move(step)),
      code_(code) {}

namespace {

std::atomic<detail::WriteStepHook> step_hook{nullptr};

// 0 to run the step, or the error number a test's hook makes it fail with.
int injected_error(const char* step) {
  const detail::WriteStepHook hook = step_hook.load();
  return hook != nullptr ? hook(step) : 0;
}

[[noreturn]] void fail(const fs::path& path, const std::string& step, int error_number) {
  throw WriteError(path, step, std::error_code(error_number, std::generic_category()));
}

// The file a write to `path` replaces: `path` itself, or the file its symbolic links lead to.
fs::path resolve_links(const fs::path& path) {
  constexpr int kMaxLinks = 40;  // Linux's limit (ELOOP)
  fs::path target = path;
  std::error_code error;
  for (int links = 0; fs::is_symlink(fs::symlink_status(target, error)); ++links) {
    if (links == kMaxLinks) fail(path, "cannot follow its symbolic links (too many)", ELOOP);
    const fs::path destination = fs::read_symlink(target, error);
    if (error) throw WriteError(path, "cannot read the symbolic link " + target.string(), error);
    target = destination.is_absolute() ? destination : target.parent_path() / destination;
  }
  return target;
}

// The temporary file of step 1. Closed, and removed unless it was renamed, when it goes.
class TemporaryFile {
 public:
  // In `folder`, the target's. `reported`: the path named in errors. `private_mode`: readable by
  // its owner only, until take_permissions gives it the target's.
  TemporaryFile(const fs::path& target, const fs::path& folder, const fs::path& reported,
                bool private_mode)
      : reported_(reported) {
    // pid and counter make the name unique; a leftover of a crashed run can still hold it.
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
      path_ = folder / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()) +
                        "." + std::to_string(counter++));
      int error = injected_error("create");
      if (error == 0) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                     private_mode ? 0600 : 0666);
        if (fd_ < 0) error = errno;
      }
      if (error == ENOENT) {
        std::error_code ignored;
        if (fs::is_directory(folder, ignored)) {
          // /proc and /sys: the folder is there, but its file system makes no files on request.
          fail(reported_,
               "its folder '" + folder.string() +
                   "' takes no new files (a virtual file system such as /proc or /sys?); choose "
                   "a path in an ordinary folder",
               error);
        }
        fail(reported_, "its folder '" + folder.string() + "' does not exist; create it first",
             error);
      }
      if (error != 0 && error != EEXIST) fail(reported_, kCreateStep, error);
    }
    if (fd_ < 0) fail(reported_, kCreateStep, EEXIST);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }

  void take_permissions(mode_t mode) {
    int error = injected_error("permissions");
    if (error == 0 && ::fchmod(fd_, mode & 07777) != 0) error = errno;
    if (error != 0) fail(reported_, "cannot give the new file the old one's permissions", error);
  }

  // Step 2's fsync, then the file is closed.
  void sync_and_close() {
    int error = injected_error("fsync");
    if (error == 0 && ::fsync(fd_) != 0) error = errno;
    if (error != 0) fail(reported_, "cannot flush the new contents to disk", error);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(reported_, "cannot close the new file", errno);
  }

  // Step 3.
  void rename_over(const fs::path& target) {
    int error = injected_error("rename");
    if (error == 0 && ::rename(path_.c_str(), target.c_str()) != 0) error = errno;
    if (error != 0) fail(reported_, "cannot replace it with the new file", error);
    renamed_ = true;
  }

 private:
  static constexpr const char* kCreateStep = "cannot create a temporary file beside it";
  const fs::path& reported_;
  fs::path path_;
  int fd_ = -1;
  bool renamed_ = false;
};

// Step 4, best effort: the file is already in place.
void sync_folder(const fs::path& folder) {
  if (injected_error("fsync folder") != 0) return;
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void write_with(const fs::path& path, const WriteOptions& options,
                const std::function<void(const TemporaryFile& temporary)>& fill) {
  if (!path.has_filename()) fail(path, "it names a folder, not a file; give a file name", EISDIR);
  const fs::path target = resolve_links(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (options.create_folders) {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) throw WriteError(path, "cannot create its folder " + folder.string(), error);
  }
  struct stat existing {};
  const bool replaces_a_file = ::stat(target.c_str(), &existing) == 0 && S_ISREG(existing.st_mode);
  TemporaryFile temporary(target, folder, path, replaces_a_file);
  if (replaces_a_file) temporary.take_permissions(existing.st_mode);
  if (const int injected = injected_error("write")) {
    fail(path, "cannot write the new contents", injected);
  }
  fill(temporary);
  temporary.sync_and_close();
  temporary.rename_over(target);
  sync_folder(folder);
}

}  // namespace

void write_atomically(const fs::path& path, std::string_view bytes, const WriteOptions& options) {
  write_with(path, options, [&](const TemporaryFile& temporary) {
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t written = ::write(temporary.fd(), data, left);
      if (written < 0) {
        if (errno == EINTR) continue;
        fail(path, "cannot write the new contents", errno);
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  });
}

void write_atomically(const fs::path& path, const std::function<void(const fs::path&)>& write,
                      const WriteOptions& options) {
  write_with(path, options, [&](const TemporaryFile& temporary) { write(temporary.path()); });
}

namespace detail {
void set_write_step_hook(WriteStepHook hook) {
  step_hook.store(hook);
}
}  // namespace detail

}  // namespace micrograd::base
