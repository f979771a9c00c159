// make_exercises: turns the reference solutions into the student's exercise files.
//
// Every file under solutions/ is copied to exercises/ with each fenced region
//
//     // EXERCISE 2.2 "multiply backward": what to write
//     // HINT: how to start
//     // BEGIN SOLUTION
//     ...reference code...
//     // END SOLUTION
//
// replaced by a stub that throws NotImplemented naming the exercise. The EXERCISE and HINT lines
// stay; the stub sits between BEGIN EXERCISE / END EXERCISE markers so tools can find it again.
//
//   make_exercises --solutions DIR --exercises DIR   write exercises/ (changed files only)
//   make_exercises ... --check                       exit 1 if exercises/ is out of date
//   make_exercises ... --solved-through 2.3   keep the solutions up to 2.3 (the course walk)
//   make_exercises ... --list                 one line per exercise, tab-separated: id, title,
//       file, line of EXERCISE in the solution, comment lines after it ("\n"-joined), and the rest
//       of the EXERCISE line after the title (what to write)
//   make_exercises ... --reset 2.3                   restore one stub in exercises/
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct ExerciseId {
  int chapter = 0;
  int number = 0;
  auto operator<=>(const ExerciseId&) const = default;
  std::string text() const { return std::to_string(chapter) + "." + std::to_string(number); }
};

std::optional<ExerciseId> parse_id(const std::string& text) {
  static const std::regex pattern(R"((\d+)\.(\d+))");
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) return std::nullopt;
  return ExerciseId{std::stoi(match[1]), std::stoi(match[2])};
}

struct Region {
  ExerciseId id;
  std::string title;
  std::string description;    // the rest of the EXERCISE line, after the title and its colon
  std::string relative_path;  // e.g. engine/ops.cpp
  int exercise_line = 0;      // 1-based line of the EXERCISE comment in the solution file
  std::string indent;
  std::vector<std::string> solution_lines;
  std::vector<std::string> hint_lines;
};

struct SourceFile {
  std::string relative_path;
  std::vector<std::string> lines;
  // For each line: the index into `regions` of the region whose body it belongs to, or -1.
  std::vector<int> region_of_line;
  std::vector<bool> is_marker;  // BEGIN/END SOLUTION lines
  // For each BEGIN SOLUTION line: the index of the region it opens, or -1 on other lines.
  std::vector<int> region_opened_at;
};

class GeneratorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail_at(const std::string& path, int line, const std::string& message) {
  throw GeneratorError(path + ":" + std::to_string(line) + ": error: " + message);
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw GeneratorError(path.string() + ": error: cannot open for reading");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::regex exercise_pattern(R"(^(\s*)// EXERCISE (\S+) "([^"]+)\"(.*)$)");
const std::regex begin_pattern(R"(^\s*// BEGIN SOLUTION\s*$)");
const std::regex end_pattern(R"(^\s*// END SOLUTION\s*$)");
const std::regex comment_pattern(R"(^\s*//)");

// Parses one solution file, appending its regions to `regions`.
SourceFile parse(const fs::path& root, const fs::path& path, std::vector<Region>& regions,
                 std::map<ExerciseId, std::string>& seen_ids) {
  SourceFile file;
  file.relative_path = fs::relative(path, root).generic_string();
  const std::string shown = (root.filename() / file.relative_path).generic_string();
  file.lines = read_lines(path);
  file.region_of_line.assign(file.lines.size(), -1);
  file.is_marker.assign(file.lines.size(), false);
  file.region_opened_at.assign(file.lines.size(), -1);

  std::optional<Region> pending;  // EXERCISE seen, BEGIN not yet
  bool inside = false;
  int begin_line = 0;
  for (std::size_t index = 0; index < file.lines.size(); ++index) {
    const std::string& line = file.lines[index];
    const int number = static_cast<int>(index) + 1;
    std::smatch match;
    if (line.find("NotImplemented(") != std::string::npos ||
        line.find("TODO") != std::string::npos) {
      fail_at(shown, number,
              "a solution file must not contain a stub or a TODO; write the solution here");
    }
    if (std::regex_match(line, match, exercise_pattern)) {
      if (inside) fail_at(shown, number, "EXERCISE inside an unfinished BEGIN SOLUTION region");
      if (pending) {
        fail_at(shown, pending->exercise_line,
                "EXERCISE " + pending->id.text() + " has no BEGIN SOLUTION after it");
      }
      const auto id = parse_id(match[2]);
      if (!id)
        fail_at(shown, number, "exercise id must look like 2.3, got '" + match[2].str() + "'");
      const auto [previous, inserted] = seen_ids.emplace(*id, shown + ":" + std::to_string(number));
      if (!inserted) {
        fail_at(shown, number,
                "duplicate exercise id " + id->text() + " (first at " + previous->second + ")");
      }
      const std::string description =
          std::regex_replace(match[4].str(), std::regex(R"(^\s*:?\s*|\s+$)"), "");
      pending = Region{*id, match[3], description, file.relative_path, number, match[1], {}, {}};
    } else if (std::regex_match(line, begin_pattern)) {
      if (inside) {
        fail_at(shown, number,
                "nested BEGIN SOLUTION (the region opened at line " + std::to_string(begin_line) +
                    " is not closed)");
      }
      if (!pending) fail_at(shown, number, "BEGIN SOLUTION without an EXERCISE line before it");
      inside = true;
      begin_line = number;
      file.is_marker[index] = true;
      regions.push_back(std::move(*pending));
      pending.reset();
      file.region_opened_at[index] = static_cast<int>(regions.size()) - 1;
    } else if (std::regex_match(line, end_pattern)) {
      if (!inside) fail_at(shown, number, "END SOLUTION without a BEGIN SOLUTION");
      inside = false;
      file.is_marker[index] = true;
    } else if (inside) {
      file.region_of_line[index] = static_cast<int>(regions.size()) - 1;
      regions.back().solution_lines.push_back(line);
    } else if (pending && std::regex_search(line, comment_pattern)) {
      pending->hint_lines.push_back(line);
    } else if (pending) {
      fail_at(shown, pending->exercise_line,
              "EXERCISE " + pending->id.text() +
                  " must be followed by comment lines and then BEGIN SOLUTION");
    }
  }
  if (inside) fail_at(shown, begin_line, "BEGIN SOLUTION is never closed by END SOLUTION");
  if (pending) {
    fail_at(shown, pending->exercise_line,
            "EXERCISE " + pending->id.text() + " has no BEGIN SOLUTION after it");
  }
  return file;
}

std::string escape_string_literal(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::vector<std::string> stub_lines(const Region& region) {
  const std::string id = region.id.text();
  return {
      region.indent + "// BEGIN EXERCISE " + id + " -- TODO: replace the line below with your code",
      region.indent + "throw NotImplemented(\"" + id + "\", \"" +
          escape_string_literal(region.title) + "\", __FILE__, __LINE__);",
      region.indent + "// END EXERCISE " + id};
}

// The exercise twin of one solution file. Regions up to `solved_through` keep their solution.
std::string render(const SourceFile& file, const std::vector<Region>& regions,
                   const std::optional<ExerciseId>& solved_through) {
  std::ostringstream out;
  out << "// Generated from solutions/" << file.relative_path << " by make_exercises.\n"
      << "// Students: write your code here. Instructors: edit the solution file instead.\n";
  for (std::size_t index = 0; index < file.lines.size(); ++index) {
    const int opened = file.region_opened_at[index];
    if (opened >= 0) {
      const Region& region = regions[static_cast<std::size_t>(opened)];
      const bool keep_solution = solved_through && region.id <= *solved_through;
      for (const auto& line : keep_solution ? region.solution_lines : stub_lines(region)) {
        out << line << '\n';
      }
      continue;
    }
    if (file.is_marker[index] || file.region_of_line[index] >= 0) continue;  // replaced above
    out << file.lines[index] << '\n';
  }
  return out.str();
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes only when the text changed, so an incremental build recompiles only what changed.
bool write_if_changed(const fs::path& path, const std::string& text) {
  if (fs::exists(path) && read_text(path) == text) return false;
  fs::create_directories(path.parent_path());
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out) throw GeneratorError(temporary.string() + ": error: cannot write");
  }
  fs::rename(temporary, path);
  return true;
}

int usage() {
  std::cerr << "usage: make_exercises --solutions DIR --exercises DIR "
               "[--check | --list | --solved-through ID | --reset ID]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path solutions_root;
  fs::path exercises_root;
  bool check = false;
  bool list = false;
  std::optional<ExerciseId> solved_through;
  std::optional<ExerciseId> reset;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw GeneratorError(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--solutions") {
        solutions_root = next();
      } else if (arg == "--exercises") {
        exercises_root = next();
      } else if (arg == "--check") {
        check = true;
      } else if (arg == "--list") {
        list = true;
      } else if (arg == "--solved-through" || arg == "--reset") {
        const std::string value = next();
        const auto id = parse_id(value);
        if (!id) throw GeneratorError(arg + " takes an exercise id like 2.3, got '" + value + "'");
        (arg == "--reset" ? reset : solved_through) = id;
      } else {
        return usage();
      }
    } catch (const GeneratorError& error) {
      std::cerr << "make_exercises: " << error.what() << '\n';
      return usage();
    }
  }
  if (solutions_root.empty() || (exercises_root.empty() && !list)) return usage();

  try {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::recursive_directory_iterator(solutions_root)) {
      // The course notes (hints and wrong answers, read by the checker) stay with the solutions.
      const bool is_notes = entry.path().filename().string().ends_with(".course.md");
      if (entry.is_regular_file() && !is_notes) paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());  // a fixed order, whatever the file system's

    std::vector<Region> regions;
    std::vector<SourceFile> files;
    std::map<ExerciseId, std::string> seen_ids;
    for (const auto& path : paths) files.push_back(parse(solutions_root, path, regions, seen_ids));

    if (list) {
      std::vector<const Region*> ordered;
      for (const auto& region : regions) ordered.push_back(&region);
      std::sort(ordered.begin(), ordered.end(),
                [](const Region* a, const Region* b) { return a->id < b->id; });
      for (const Region* region : ordered) {
        std::string hint;
        for (const auto& line : region->hint_lines) {
          std::string text = std::regex_replace(line, std::regex(R"(^\s*//\s?)"), "");
          hint += (hint.empty() ? "" : "\\n") + text;
        }
        std::cout << region->id.text() << '\t' << region->title << '\t' << region->relative_path
                  << '\t' << region->exercise_line << '\t' << hint << '\t' << region->description
                  << '\n';
      }
      return 0;
    }

    if (reset) {
      const auto region = std::find_if(regions.begin(), regions.end(),
                                       [&](const Region& r) { return r.id == *reset; });
      if (region == regions.end()) {
        throw GeneratorError("no exercise " + reset->text() + "; run ./check list to see them");
      }
      const fs::path target = exercises_root / region->relative_path;
      std::vector<std::string> lines = read_lines(target);
      const std::string id = reset->text();
      const auto is_marker = [&](const std::string& line, const std::string& word) {
        return std::regex_match(
            line, std::regex(R"(^\s*// )" + word + " EXERCISE " +
                             std::regex_replace(id, std::regex(R"(\.)"), R"(\.)") + R"(\b.*$)"));
      };
      const auto begin = std::find_if(lines.begin(), lines.end(),
                                      [&](const std::string& l) { return is_marker(l, "BEGIN"); });
      const auto end = std::find_if(begin, lines.end(),
                                    [&](const std::string& l) { return is_marker(l, "END"); });
      if (begin == lines.end() || end == lines.end()) {
        throw GeneratorError(target.string() + ": error: the markers '// BEGIN EXERCISE " + id +
                             "' and '// END EXERCISE " + id +
                             "' are gone, so the stub cannot be put back in place; restore them "
                             "around your code, or copy the whole file from a fresh checkout");
      }
      const auto stub = stub_lines(*region);
      const auto at = lines.erase(begin, end + 1);
      lines.insert(at, stub.begin(), stub.end());
      std::string text;
      for (const auto& line : lines) text += line + '\n';
      write_if_changed(target, text);
      std::cout << "restored the stub of exercise " << id << " in " << target.string() << '\n';
      return 0;
    }

    int stale = 0;
    for (const auto& file : files) {
      const std::string text = render(file, regions, solved_through);
      const fs::path target = exercises_root / file.relative_path;
      if (check) {
        if (!fs::exists(target) || read_text(target) != text) {
          std::cerr << target.string() << ": out of date with solutions/" << file.relative_path
                    << '\n';
          ++stale;
        }
      } else {
        write_if_changed(target, text);
      }
    }
    if (check && fs::exists(exercises_root)) {
      for (const auto& entry : fs::recursive_directory_iterator(exercises_root)) {
        if (!entry.is_regular_file()) continue;
        const std::string relative = fs::relative(entry.path(), exercises_root).generic_string();
        const bool is_doc = entry.path().extension() == ".md";
        const bool is_checker_state = entry.path().filename().string().starts_with(".");
        if (!is_doc && !is_checker_state && !fs::exists(solutions_root / relative)) {
          std::cerr << entry.path().string() << ": has no solution file solutions/" << relative
                    << '\n';
          ++stale;
        }
      }
    }
    if (stale > 0) {
      std::cerr << "make_exercises: " << stale
                << " file(s) differ; regenerate with: cmake --build <build> --target exercises\n";
      return 1;
    }
    return 0;
  } catch (const GeneratorError& error) {
    std::cerr << error.what() << '\n';
    return 1;
  } catch (const fs::filesystem_error& error) {
    std::cerr << "make_exercises: " << error.what() << '\n';
    return 1;
  }
}
