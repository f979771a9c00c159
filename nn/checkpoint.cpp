// Saving and loading checkpoints as JSON (nlohmann/json), atomically (base/atomic_file.hpp); see
// checkpoint.hpp.
#include "nn/checkpoint.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "base/atomic_file.hpp"
#include "base/detail/json_input.hpp"

namespace micrograd::nn {
namespace {

using Json = nlohmann::ordered_json;  // keeps the parameters in the model's order

constexpr std::string_view kFormat = "micrograd.cpp checkpoint";
constexpr int kVersion = 1;
// The document, "parameters", a tensor, then one level per dimension of its data: 64 leaves room
// for tensors of any rank this library makes (at most 4) and refuses a file nested deeper.
constexpr int kMaxDepth = 64;

using base::detail::describe;

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

// ---- saving -------------------------------------------------------------------------------------

// The nested arrays of one tensor's data: dimension `dim` of `shape`, from values[offset...].
Json nested_data(const std::vector<Value>& values, const Shape& shape, std::size_t dim,
                 std::size_t& offset) {
  if (dim == shape.size()) return values[offset++].data();
  Json array = Json::array();
  for (std::size_t i = 0; i < shape[dim]; ++i)
    array.push_back(nested_data(values, shape, dim + 1, offset));
  return array;
}

// One section of the file, "parameters" or "buffers": each tensor by name, with its shape and
// nested data. `kind` ("parameter" or "buffer") names the tensors in messages; `count` receives
// how many numbers they hold.
Json section_json(const Module& model, const std::vector<NamedTensor>& tensors,
                  const std::string& kind, std::size_t& count) {
  Json section = Json::object();
  count = 0;
  for (const NamedTensor& tensor : tensors) {
    if (section.contains(tensor.name)) {
      throw CheckpointError("save_checkpoint: two " + kind + " tensors of " + model.describe() +
                            " are both named '" + tensor.name + "'; names must be unique");
    }
    if (tensor.values.size() != element_count(tensor.shape)) {
      throw CheckpointError("save_checkpoint: " + kind + " '" + tensor.name + "' of shape " +
                            shape_string(tensor.shape) + " should hold " +
                            std::to_string(element_count(tensor.shape)) + " values, holds " +
                            std::to_string(tensor.values.size()));
    }
    for (std::size_t i = 0; i < tensor.values.size(); ++i) {
      if (!std::isfinite(tensor.values[i].data())) {
        std::ostringstream message;
        message << "save_checkpoint: " << kind << " '" << tensor.name << "' element " << i << " is "
                << tensor.values[i].data()
                << "; a checkpoint holds finite numbers only (the training diverged: try a smaller "
                   "learning rate, or find the first NaN with micrograd::AnomalyGuard)";
        throw std::domain_error(message.str());
      }
    }
    std::size_t offset = 0;
    Json shape = Json::array();
    for (std::size_t size : tensor.shape) shape.push_back(size);
    section[tensor.name] = Json{{"shape", std::move(shape)},
                                {"data", nested_data(tensor.values, tensor.shape, 0, offset)}};
    count += tensor.values.size();
  }
  return section;
}

// The optimizer must step the model's own parameters: its state is per parameter.
void check_optimizer_of(const Module& model, const Optimizer& optimizer, const char* function) {
  std::unordered_set<const Node*> model_nodes;
  for (const Value& parameter : model.parameters()) model_nodes.insert(&parameter.node());
  const std::vector<Value>& stepped = optimizer.parameters();
  for (std::size_t i = 0; i < stepped.size(); ++i) {
    if (!model_nodes.contains(&stepped[i].node())) {
      throw std::invalid_argument(std::string(function) + ": the optimizer's parameter " +
                                  std::to_string(i) + " is not a parameter of " + model.describe() +
                                  "; make the optimizer from model.parameters()");
    }
  }
}

Json optimizer_json(const Optimizer& optimizer) {
  const OptimizerState state = optimizer.state();
  Json values = Json::object();
  for (const auto& [name, numbers] : state.values) {
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      if (!std::isfinite(numbers[i])) {
        throw std::domain_error("save_checkpoint: the optimizer's \"" + name + "\" element " +
                                std::to_string(i) +
                                " is not finite; a checkpoint holds finite numbers only (the "
                                "training diverged: try a smaller learning rate)");
      }
    }
    values[name] = numbers;
  }
  return Json{{"type", state.type},
              {"learning_rate", state.learning_rate},
              {"parameter_count", optimizer.parameters().size()},
              {"state", std::move(values)}};
}

std::string checkpoint_text(const Module& model, const Optimizer* optimizer = nullptr) {
  std::size_t count = 0;
  Json parameters = section_json(model, model.named_parameters(), "parameter", count);
  Json document = {{"format", kFormat},
                   {"version", kVersion},
                   {"architecture", model.describe()},
                   {"parameter_count", count},
                   {"parameters", std::move(parameters)}};
  // Only a model with buffers writes the section: the file of any other model is what it always
  // was, and a reader that predates buffers still reads it.
  const std::vector<NamedTensor> buffers = model.named_buffers();
  if (!buffers.empty()) {
    std::size_t buffer_count = 0;
    document["buffers"] = section_json(model, buffers, "buffer", buffer_count);
  }
  if (optimizer != nullptr) document["optimizer"] = optimizer_json(*optimizer);
  return document.dump() + "\n";
}

// ---- loading ------------------------------------------------------------------------------------

class Loader {
 public:
  explicit Loader(const std::filesystem::path& path) : path_(path) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw CheckpointError("load_checkpoint: " + quoted(path_) + ": " + what +
                          "; the model was not changed");
  }

  Json parse() const {
    std::error_code ignored;  // a path that cannot be inspected is opened below and reported
    if (std::filesystem::is_directory(path_, ignored)) {
      fail(
          "it is a folder, not a checkpoint file; give the path of the .json file that "
          "save_checkpoint wrote");
    }
    const std::filesystem::file_status status = std::filesystem::status(path_, ignored);
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
      // A device or a pipe: /dev/zero would be read until the memory ran out.
      fail(
          "it is not a regular file (a device or a pipe?); give the path of the .json file that "
          "save_checkpoint wrote");
    }
    std::ifstream in(path_, std::ios::binary);
    if (!in) fail(std::string("cannot open it: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) fail("cannot read it");
    const std::string contents = text.str();
    if (contents.empty()) fail("the file is empty (an interrupted copy?)");
    try {
      return base::detail::parse_json<Json>(contents, kMaxDepth);
    } catch (const Json::exception& error) {  // parse_error, or out_of_range for 1e999
      fail(std::string("not valid JSON (truncated or corrupted?): ") + error.what());
    } catch (const base::detail::JsonTooDeep& error) {
      fail(std::string("not a checkpoint: ") + error.what());
    }
  }

  const Json& member(const Json& object, const char* key, const std::string& where) const {
    const auto found = object.find(key);
    if (found == object.end()) fail(where + " has no \"" + key + "\" entry");
    return *found;
  }

  // Appends the numbers of `data` to `out`, checking it is nested exactly as `shape` says.
  void flatten(const Json& data, const Shape& shape, std::size_t dim, const std::string& where,
               std::vector<double>& out) const {
    if (dim == shape.size()) {
      if (!data.is_number()) fail(where + " is " + describe(data) + ", expected a number");
      const double number = data.get<double>();
      if (!std::isfinite(number)) fail(where + " is not a finite number");
      out.push_back(number);
      return;
    }
    if (!data.is_array() || data.size() != shape[dim]) {
      fail(where + " should be a list of " + std::to_string(shape[dim]) + " entries (dimension " +
           std::to_string(dim) + " of shape " + shape_string(shape) + "), got " +
           (data.is_array() ? std::to_string(data.size()) + " entries" : data.type_name()));
    }
    for (std::size_t i = 0; i < shape[dim]; ++i) {
      flatten(data[i], shape, dim + 1, where + "[" + std::to_string(i) + "]", out);
    }
  }

  Shape shape_of(const Json& shape, const std::string& where) const {
    if (!shape.is_array()) fail(where + " \"shape\" should be a list of sizes");
    Shape result;
    for (const Json& size : shape) {
      if (!size.is_number_unsigned()) {
        fail(where + " \"shape\" should hold sizes (integers >= 0), got " + describe(size));
      }
      result.push_back(size.get<std::size_t>());
    }
    return result;
  }

  // The numbers of every tensor of `tensors` from `section` ("parameters" or "buffers" of the
  // file), checked: each name present, of the model's shape, finite, and no name the model lacks.
  // `kind` is "parameter" or "buffer", for messages; `count` receives how many numbers there are.
  std::vector<std::vector<double>> section(const Module& model, const Json& section,
                                           const std::vector<NamedTensor>& tensors,
                                           const std::string& kind, std::size_t& count) const {
    if (!section.is_object()) fail("\"" + kind + "s\" should be an object of named tensors");
    std::vector<std::vector<double>> staged;
    staged.reserve(tensors.size());
    std::set<std::string> expected_names;
    count = 0;
    for (const NamedTensor& tensor : tensors) {
      expected_names.insert(tensor.name);
      const std::string where = kind + " '" + tensor.name + "'";
      const auto found = section.find(tensor.name);
      if (found == section.end()) {
        fail(where + " (shape " + shape_string(tensor.shape) + ") of the model is missing");
      }
      if (!found->is_object()) fail(where + " should be an object with \"shape\" and \"data\"");
      const Shape shape = shape_of(member(*found, "shape", where), where);
      if (shape != tensor.shape) {
        fail(where + " has shape " + shape_string(shape) + " in the file, but the model's is " +
             shape_string(tensor.shape));
      }
      std::vector<double> numbers;
      numbers.reserve(tensor.values.size());
      flatten(member(*found, "data", where), tensor.shape, 0, tensor.name, numbers);
      if (numbers.size() != tensor.values.size()) {
        fail(where + " of shape " + shape_string(tensor.shape) + " should hold " +
             std::to_string(tensor.values.size()) + " values, holds " +
             std::to_string(numbers.size()));
      }
      count += numbers.size();
      staged.push_back(std::move(numbers));
    }
    for (const auto& entry : section.items()) {
      if (!expected_names.contains(entry.key())) {
        fail("it has a " + kind + " '" + entry.key() + "' that the model (" + model.describe() +
             ") does not have");
      }
    }
    return staged;
  }

  // The optimizer's state from the "optimizer" section, checked against `optimizer`.
  OptimizerState optimizer_state(const Json& document, const Optimizer& optimizer) const {
    const auto found = document.find("optimizer");
    if (found == document.end()) {
      fail(
          "it holds no optimizer state (it was saved without the optimizer, or by an older "
          "version); load it with load_checkpoint(model, path) to start the optimizer afresh");
    }
    const Json& section = *found;
    if (!section.is_object()) fail("\"optimizer\" should be an object");
    const Json& type = member(section, "type", "\"optimizer\"");
    if (!type.is_string()) fail("the optimizer's \"type\" should be a string");
    const Json& rate = member(section, "learning_rate", "\"optimizer\"");
    if (!rate.is_number()) fail("the optimizer's \"learning_rate\" should be a number");
    const Json& count = member(section, "parameter_count", "\"optimizer\"");
    if (!count.is_number_unsigned() || count.get<std::size_t>() != optimizer.parameters().size()) {
      fail("the optimizer in the file stepped " + describe(count) + " parameters, this one steps " +
           std::to_string(optimizer.parameters().size()));
    }
    const Json& values = member(section, "state", "\"optimizer\"");
    if (!values.is_object()) fail("the optimizer's \"state\" should be an object of lists");
    OptimizerState state{type.get<std::string>(), rate.get<double>(), {}};
    for (const auto& entry : values.items()) {
      const Json& list = entry.value();
      const std::string where = "the optimizer's \"" + entry.key() + "\"";
      if (!list.is_array()) fail(where + " should be a list of numbers");
      std::vector<double> numbers;
      numbers.reserve(list.size());
      flatten(list, Shape{list.size()}, 0, where, numbers);
      state.values.emplace_back(entry.key(), std::move(numbers));
    }
    return state;
  }

 private:
  const std::filesystem::path& path_;
};

}  // namespace

namespace {

void write_checkpoint(const std::string& text, const std::filesystem::path& path) {
  try {
    base::write_atomically(path, text);
  } catch (const base::WriteError& error) {
    throw CheckpointError("save_checkpoint: " + std::string(error.what()) +
                          "; the previous checkpoint, if any, is unchanged");
  }
}

void load(Module& model, Optimizer* optimizer, const std::filesystem::path& path,
          const LoadOptions& options) {
  const Loader loader(path);
  const Json document = loader.parse();
  if (!document.is_object())
    loader.fail("expected a JSON object at the top, got " + std::string(document.type_name()));

  const Json& format = loader.member(document, "format", "the checkpoint");
  if (!format.is_string() || format.get<std::string>() != kFormat) {
    loader.fail("\"format\" is " + describe(format) + ", expected \"" + std::string(kFormat) +
                "\": not a checkpoint written by save_checkpoint");
  }
  const Json& version = loader.member(document, "version", "the checkpoint");
  if (!version.is_number_integer() || version.get<long long>() != kVersion) {
    loader.fail("version " + describe(version) + " is not supported; this library reads version " +
                std::to_string(kVersion));
  }
  const Json& architecture = loader.member(document, "architecture", "the checkpoint");
  if (!architecture.is_string()) loader.fail("\"architecture\" should be a string");
  if (options.check_architecture && architecture.get<std::string>() != model.describe()) {
    loader.fail("it was saved from " + architecture.get<std::string>() + ", but the model is " +
                model.describe() +
                " (to load matching parameter names and shapes anyway, pass "
                "LoadOptions{.check_architecture = false})");
  }
  const Json& parameters = loader.member(document, "parameters", "the checkpoint");
  if (!parameters.is_object()) loader.fail("\"parameters\" should be an object of named tensors");

  // Read and check everything first; only then touch the model.
  const std::vector<NamedTensor> tensors = model.named_parameters();
  std::size_t count = 0;
  const std::vector<std::vector<double>> staged =
      loader.section(model, parameters, tensors, "parameter", count);
  const Json& recorded_count = loader.member(document, "parameter_count", "the checkpoint");
  if (!recorded_count.is_number_unsigned() || recorded_count.get<std::size_t>() != count) {
    loader.fail("\"parameter_count\" is " + describe(recorded_count) + " but the tensors hold " +
                std::to_string(count) + " numbers");
  }
  // Buffers (BatchNorm's running statistics) came after the first checkpoints: a file without the
  // section is a model without buffers, and one with buffers then finds each of its own missing.
  const std::vector<NamedTensor> buffers = model.named_buffers();
  const auto found_buffers = document.find("buffers");
  const Json no_buffers = Json::object();
  const Json& buffer_section = found_buffers == document.end() ? no_buffers : *found_buffers;
  if (!buffer_section.is_object()) loader.fail("\"buffers\" should be an object of named tensors");
  std::size_t buffer_count = 0;
  const std::vector<std::vector<double>> staged_buffers =
      loader.section(model, buffer_section, buffers, "buffer", buffer_count);

  // The optimizer checks its state and takes it, or throws having changed nothing; then the model
  // (which cannot fail).
  if (optimizer != nullptr) {
    const OptimizerState state = loader.optimizer_state(document, *optimizer);
    try {
      optimizer->load_state(state);
    } catch (const std::invalid_argument& error) {
      loader.fail(error.what());
    }
  }
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    for (std::size_t i = 0; i < staged[t].size(); ++i) tensors[t].values[i].data() = staged[t][i];
  }
  for (std::size_t t = 0; t < buffers.size(); ++t) {
    for (std::size_t i = 0; i < staged_buffers[t].size(); ++i) {
      buffers[t].values[i].data() = staged_buffers[t][i];
    }
  }
}

}  // namespace

void save_checkpoint(const Module& model, const std::filesystem::path& path) {
  write_checkpoint(checkpoint_text(model), path);
}

void save_checkpoint(const Module& model, const Optimizer& optimizer,
                     const std::filesystem::path& path) {
  check_optimizer_of(model, optimizer, "save_checkpoint");
  write_checkpoint(checkpoint_text(model, &optimizer), path);
}

void load_checkpoint(Module& model, const std::filesystem::path& path, const LoadOptions& options) {
  load(model, nullptr, path, options);
}

void load_checkpoint(Module& model, Optimizer& optimizer, const std::filesystem::path& path,
                     const LoadOptions& options) {
  check_optimizer_of(model, optimizer, "load_checkpoint");
  load(model, &optimizer, path, options);
}

}  // namespace micrograd::nn
