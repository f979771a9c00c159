#include "datasets/errors.hpp"

#include <utility>

#include "base/atomic_file.hpp"

namespace micrograd::datasets {

DatasetError::DatasetError(std::filesystem::path path, const std::string& message)
    : std::runtime_error(path.string() + ": " + message), path_(std::move(path)) {}

DatasetError::DatasetError(const base::WriteError& error)
    : DatasetError(error.path(), error.step() + " (" + error.code().message() +
                                     "); check the path, the folder's permissions and the free "
                                     "space") {}

}  // namespace micrograd::datasets
