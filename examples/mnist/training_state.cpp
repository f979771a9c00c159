// training_state.json: reading and writing the MNIST demo's resumable state (see the header).
#include "training_state.hpp"

#include <bit>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <system_error>

#include <micrograd/base/atomic_file.hpp>
#include <micrograd/engine/value.hpp>
#include <micrograd/nn/checkpoint.hpp>

namespace mnist_demo {

namespace fs = std::filesystem;
namespace nn = micrograd::nn;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "micrograd.cpp mnist training state";
constexpr int kVersion = 1;
// The document, "history" or "curve", then one record: three levels.
constexpr int kMaxDepth = 3;

// Thrown by parse_state when the file nests lists or objects deeper than the format does.
class StateTooDeep : public std::runtime_error {
 public:
  StateTooDeep()
      : std::runtime_error("it has lists or objects nested deeper than " +
                           std::to_string(kMaxDepth) + " levels, more than the format ever needs") {
  }
};

// Parses the state, refusing nesting deeper than kMaxDepth as soon as it opens: nlohmann's parser
// survives any depth, but whatever walks the result recursively (dump()) runs out of stack on a
// list nested ~100,000 deep.
json parse_state(const std::string& text) {
  const auto refuse_deep = [](int depth, json::parse_event_t event, json&) {
    const bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && depth >= kMaxDepth) throw StateTooDeep();
    return true;  // keep every value
  };
  return json::parse(text, refuse_deep);
}

// A value from the file, short enough for a message: a list or object by its size, a long string
// by its length (a 100 MB string must not become a 100 MB message).
std::string describe(const json& value) {
  constexpr std::size_t kLongest = 40;
  if (value.is_array()) return "a list of " + std::to_string(value.size()) + " entries";
  if (value.is_object()) return "an object of " + std::to_string(value.size()) + " entries";
  if (value.is_string() && value.get_ref<const std::string&>().size() > kLongest) {
    return "a string of " + std::to_string(value.get_ref<const std::string&>().size()) +
           " characters";
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string hex(std::uint64_t value) {
  std::ostringstream text;
  text << std::hex << value;
  return text.str();
}

json to_json(const Tally& tally) {
  return {{"loss_sum", tally.loss_sum}, {"correct", tally.correct}, {"count", tally.count}};
}

// Reads the fields of training_state.json, failing with a message that names the file and field.
class Reader {
 public:
  explicit Reader(fs::path path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw StateError(path_.string() + ": " + what +
                     ". The file is damaged or from another program; start a new run over it with "
                     "--overwrite (or with another --out)");
  }

  const json& field(const json& object, const std::string& key) const {
    if (!object.is_object() || !object.contains(key)) fail("the entry \"" + key + "\" is missing");
    return object.at(key);
  }
  std::string text(const json& object, const std::string& key) const {
    const json& value = field(object, key);
    if (!value.is_string()) fail("\"" + key + "\" should be a string, got " + describe(value));
    return value.get<std::string>();
  }
  double number(const json& object, const std::string& key) const {
    const json& value = field(object, key);
    if (!value.is_number()) fail("\"" + key + "\" should be a number, got " + describe(value));
    return value.get<double>();
  }
  std::uint64_t count(const json& object, const std::string& key) const {
    const json& value = field(object, key);
    if (!value.is_number_unsigned()) {
      fail("\"" + key + "\" should be a whole number >= 0, got " + describe(value));
    }
    return value.get<std::uint64_t>();
  }
  const json& list(const json& object, const std::string& key) const {
    const json& value = field(object, key);
    if (!value.is_array()) fail("\"" + key + "\" should be a list, got " + describe(value));
    return value;
  }
  Tally tally(const json& object, const std::string& key) const {
    const json& value = field(object, key);
    return {number(value, "loss_sum"), count(value, "correct"), count(value, "count")};
  }

 private:
  fs::path path_;
};

}  // namespace

std::uint64_t parameter_fingerprint(const nn::Module& model) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a, 64 bits
  for (const micrograd::Value& parameter : model.parameters()) {
    const auto bits = std::bit_cast<std::uint64_t>(parameter.data());
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (bits >> (8 * byte)) & 0xffU;
      hash *= 1099511628211ULL;
    }
  }
  return hash;
}

fs::path state_path(const fs::path& folder) {
  return folder / "training_state.json";
}

fs::path model_path(const fs::path& folder, const TrainingState& state) {
  return folder / state.model_file;
}

namespace {

// The model file of the one-file layout that came before the pair: still read, replaced by the
// next save.
constexpr const char* kOldModelFile = "model.json";

// The names of the model files this program writes: "model-1-epoch.json",
// "model-3-epochs-1200-samples.json", "model-3-epochs-v2.json", and the old "model.json".
constexpr const char* kModelFileName = R"(model(-\d+-epochs?(-\d+-samples?)?(-v\d+)?)?\.json)";

bool is_model_file_name(const std::string& name) {
  static const std::regex pattern(kModelFileName);
  return std::regex_match(name, pattern);
}

// What base::write_atomically leaves of a checkpoint file when the process dies mid-write:
// ".<name>.tmp.<pid>.<n>".
bool is_leftover_of_a_write(const std::string& name) {
  static const std::regex pattern(std::string(R"(\.()") + kModelFileName +
                                  R"(|training_state\.json)\.tmp\.\d+\.\d+)");
  return std::regex_match(name, pattern);
}

std::string count_of(std::size_t count, const std::string& unit) {
  return std::to_string(count) + "-" + unit + (count == 1 ? "" : "s");
}

// A name for the model of `state` that no file in `folder` has: after the progress, so that a
// person sees at a glance what it holds, and "-v2", "-v3", ... when that name is taken (by the
// model the current state names, say, when a run saves twice at the same point).
std::string new_model_file_name(const TrainingState& state, const fs::path& folder) {
  std::string stem = "model-" + count_of(state.epochs_done, "epoch");
  if (state.position > 0) stem += "-" + count_of(state.position, "sample");
  std::string name = stem + ".json";
  std::error_code error;
  for (int version = 2; fs::exists(fs::symlink_status(folder / name, error)); ++version) {
    name = stem + "-v" + std::to_string(version) + ".json";
  }
  return name;
}

// Once training_state.json names `kept`: the other model files (the previous checkpoint's, and any
// a killed save left) and the temporary files of killed writes. Best effort: the new checkpoint is
// whole already, and what cannot be removed now is removed by a later save.
void remove_all_but(const fs::path& folder, const std::string& kept) {
  std::error_code error;
  std::vector<fs::path> stale;
  for (fs::directory_iterator entry(folder, error), end; !error && entry != end;
       entry.increment(error)) {
    const std::string name = entry->path().filename().string();
    if ((is_model_file_name(name) && name != kept) || is_leftover_of_a_write(name)) {
      stale.push_back(entry->path());
    }
  }
  for (const fs::path& path : stale) fs::remove(path, error);
}

}  // namespace

bool holds_checkpoint(const fs::path& folder) {
  std::error_code error;
  return fs::exists(fs::symlink_status(state_path(folder), error)) ||
         fs::exists(fs::symlink_status(folder / kOldModelFile, error));
}

void save_training(const nn::Module& model, TrainingState& state, const fs::path& folder) {
  fs::create_directories(folder);
  const std::string model_file = new_model_file_name(state, folder);
  nn::save_checkpoint(model, folder / model_file);
  state.fingerprint = parameter_fingerprint(model);

  json history = json::array();
  for (const EpochRecord& record : state.history) {
    history.push_back({{"epoch", record.epoch},
                       {"train_loss", record.train_loss},
                       {"train_accuracy", record.train_accuracy},
                       {"test_accuracy", record.test_accuracy},
                       {"train_seconds", record.train_seconds},
                       {"test_seconds", record.test_seconds}});
  }
  json curve = json::array();
  for (const CurvePoint& point : state.curve) {
    curve.push_back({point.epoch, point.loss, point.accuracy});
  }
  const json document = {{"format", kFormat},
                         {"version", kVersion},
                         {"model", state.model},
                         {"architecture", state.architecture},
                         {"model_file", model_file},
                         {"model_fingerprint", hex(state.fingerprint)},
                         {"seed", state.seed},
                         {"lr", state.lr},
                         {"batch", state.batch},
                         {"hidden", state.hidden},
                         {"weight_decay", state.weight_decay},
                         {"shift", state.shift},
                         {"schedule", state.schedule},
                         {"crop", state.crop},
                         {"classes", state.classes},
                         {"data", state.data},
                         {"max_train", state.max_train},
                         {"max_test", state.max_test},
                         {"train_size", state.train_size},
                         {"test_size", state.test_size},
                         {"epochs", state.epochs},
                         {"epochs_done", state.epochs_done},
                         {"position", state.position},
                         {"epoch_tally", to_json(state.epoch_tally)},
                         {"curve_tally", to_json(state.curve_tally)},
                         {"epoch_seconds", state.epoch_seconds},
                         {"history", history},
                         {"curve", curve}};
  // One entry per line, each value compact: a person can read the progress at a glance.
  std::string text = "{";
  for (const auto& [key, value] : document.items()) {
    text += (text.size() > 1 ? ",\n \"" : "\n \"") + key + "\": " + value.dump();
  }
  text += "\n}\n";

  // The moment the new pair takes effect. Until here, the folder's state names the old model.
  try {
    micrograd::base::write_atomically(state_path(folder), text);
  } catch (...) {
    std::error_code error;
    fs::remove(folder / model_file, error);
    throw;
  }
  state.model_file = model_file;
  remove_all_but(folder, model_file);
}

TrainingState load_state(const fs::path& folder) {
  const fs::path path = state_path(folder);
  std::error_code ignored;  // a path that cannot be inspected is opened below and reported
  if (fs::is_directory(path, ignored)) {
    throw StateError("--resume: " + path.string() +
                     " is a folder, not the training state file an earlier run writes there, so "
                     "there is no run to resume in " +
                     folder.string() +
                     ". Remove that folder, or start a new run with another --out");
  }
  const fs::file_status status = fs::status(path, ignored);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // A device or a pipe: /dev/zero would be read until the memory ran out.
    throw StateError("--resume: " + path.string() +
                     " is not a regular file (a device or a pipe?), so it is not the training "
                     "state an earlier run writes. Remove it, or start a new run with another "
                     "--out");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StateError("--resume: there is no checkpoint to resume in " + folder.string() + " (" +
                     path.filename().string() +
                     " is missing). Train without --resume first, or point --out at the folder "
                     "of an earlier run");
  }
  std::stringstream contents;
  contents << in.rdbuf();
  json document;
  try {
    document = parse_state(contents.str());
  } catch (const json::exception& error) {
    throw StateError(path.string() + ": not valid JSON (truncated or corrupted?): " + error.what() +
                     ". Start a new run over it with --overwrite (or with another --out)");
  } catch (const StateTooDeep& error) {
    throw StateError(path.string() + ": not a training state: " + error.what() +
                     ". Start a new run over it with --overwrite (or with another --out)");
  }
  const Reader read(path);
  if (!document.is_object() || !document.contains("format") || document["format"] != kFormat) {
    read.fail("it is not a training state of the mnist demo (no \"format\": \"" +
              std::string(kFormat) + "\")");
  }
  if (read.count(document, "version") != kVersion) {
    read.fail("version " + describe(document["version"]) +
              " is not supported (this program writes " + std::to_string(kVersion) + ")");
  }

  TrainingState state;
  state.model = read.text(document, "model");
  state.architecture = read.text(document, "architecture");
  // Only a model file beside the state: never "../elsewhere.json".
  state.model_file = read.text(document, "model_file");
  if (!is_model_file_name(state.model_file)) {
    read.fail("\"model_file\" should name a model file beside it, such as \"model-3-epochs.json\"");
  }
  const std::string fingerprint = read.text(document, "model_fingerprint");
  try {
    std::size_t used = 0;
    state.fingerprint = std::stoull(fingerprint, &used, 16);
    if (used != fingerprint.size()) throw std::invalid_argument(fingerprint);
  } catch (const std::exception&) {
    read.fail("\"model_fingerprint\" should be a hexadecimal number, got \"" + fingerprint + "\"");
  }
  state.seed = read.count(document, "seed");
  state.lr = read.number(document, "lr");
  // Written since --batch exists; the runs before it trained at batch 1.
  state.batch = document.contains("batch") ? read.count(document, "batch") : 1;
  if (state.batch == 0) read.fail("\"batch\" should be at least 1, got 0");
  // Written since the recipe has them; the runs before trained without them.
  if (document.contains("hidden")) state.hidden = read.count(document, "hidden");
  if (document.contains("weight_decay")) state.weight_decay = read.number(document, "weight_decay");
  if (document.contains("shift")) state.shift = read.count(document, "shift");
  if (document.contains("schedule")) state.schedule = read.text(document, "schedule");
  if (document.contains("crop")) state.crop = read.count(document, "crop");
  if (state.schedule != "constant" && state.schedule != "cosine") {
    read.fail("\"schedule\" should be \"constant\" or \"cosine\", got \"" + state.schedule + "\"");
  }
  state.classes = read.text(document, "classes");
  state.data = read.text(document, "data");
  state.max_train = read.count(document, "max_train");
  state.max_test = read.count(document, "max_test");
  state.train_size = read.count(document, "train_size");
  state.test_size = read.count(document, "test_size");
  state.epochs = read.count(document, "epochs");
  state.epochs_done = read.count(document, "epochs_done");
  state.position = read.count(document, "position");
  state.epoch_tally = read.tally(document, "epoch_tally");
  state.curve_tally = read.tally(document, "curve_tally");
  state.epoch_seconds = read.number(document, "epoch_seconds");
  if (state.position > state.train_size || state.epoch_tally.count != state.position) {
    read.fail("\"position\" " + std::to_string(state.position) +
              " does not fit a training set of " + std::to_string(state.train_size) +
              " images and an epoch tally of " + std::to_string(state.epoch_tally.count));
  }
  for (const json& entry : read.list(document, "history")) {
    EpochRecord record;
    record.epoch = read.count(entry, "epoch");
    record.train_loss = read.number(entry, "train_loss");
    record.train_accuracy = read.number(entry, "train_accuracy");
    record.test_accuracy = read.number(entry, "test_accuracy");
    record.train_seconds = read.number(entry, "train_seconds");
    record.test_seconds = read.number(entry, "test_seconds");
    state.history.push_back(record);
  }
  if (state.history.size() != state.epochs_done) {
    read.fail("\"history\" has " + std::to_string(state.history.size()) +
              " epochs but \"epochs_done\" is " + std::to_string(state.epochs_done));
  }
  for (const json& entry : read.list(document, "curve")) {
    if (!entry.is_array() || entry.size() != 3 || !entry[0].is_number() || !entry[1].is_number() ||
        !entry[2].is_number()) {
      read.fail("\"curve\" should hold [epoch, loss, accuracy] triples, got " + describe(entry));
    }
    state.curve.push_back({entry[0].get<double>(), entry[1].get<double>(), entry[2].get<double>()});
  }
  return state;
}

void load_model(nn::Module& model, const TrainingState& state, const fs::path& folder) {
  const fs::path path = model_path(folder, state);
  nn::load_checkpoint(model, path);  // checks the architecture too
  if (parameter_fingerprint(model) != state.fingerprint) {
    throw StateError(path.string() + " is not the model " + state_path(folder).string() +
                     " was saved with (their fingerprints differ: was the file replaced, or "
                     "copied from another run?). Start a new run with --overwrite, or with "
                     "another --out");
  }
}

}  // namespace mnist_demo
