#include "datasets/errors.hpp"

#include <utility>

namespace micrograd::datasets {

DatasetError::DatasetError(std::filesystem::path path, const std::string& message)
    : std::runtime_error(path.string() + ": " + message), path_(std::move(path)) {}

}  // namespace micrograd::datasets
