// The exceptions the datasets library throws, one type per kind of failure.
//
// Every one is a std::runtime_error whose message names the file, says what was wrong and what to
// try, so a demo can print e.what() and stop. Catch DataNotFound to offer a download; catch
// DatasetError for everything else that went wrong with a file.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace micrograd::base {
class WriteError;
}

namespace micrograd::datasets {

// A file could not be read or written as the dataset it should be. what() is
// "<path>: <message>", so the message itself need not repeat the path.
class DatasetError : public std::runtime_error {
 public:
  DatasetError(std::filesystem::path path, const std::string& message);
  // A file the atomic writer (base/atomic_file.hpp) could not write: what failed, why, what to try.
  explicit DatasetError(const base::WriteError& error);
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// The file or folder is not there (or cannot be opened): fetch the data, or point --data at it.
class DataNotFound : public DatasetError {
 public:
  using DatasetError::DatasetError;
};

// The file is there but its contents are wrong: bad magic number, truncated data, a CSV row that
// is not x0,x1,label, images and labels of different counts.
class FormatError : public DatasetError {
 public:
  using DatasetError::DatasetError;
};

}  // namespace micrograd::datasets
