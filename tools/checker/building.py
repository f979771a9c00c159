"""Building the student's exercises with CMake, and telling what a failed build means."""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

from checker import running
from checker.exercises import Exercise, exercise_at, relative_source
from checker.output import Style, UserError, indent
from checker.paths import REPO_ROOT, absolute, shown, unroot

PROGRAM_LIST = "exercise_test_programs.txt"  # written by tests/course/CMakeLists.txt
TEST_TARGET = "exercise_tests"
SUBSTITUTES_FOLDER = "exercise-substitutes"  # in the build tree, see cmake/exercises.cmake
# The student's tests are built with optimisation and with assertions: several times faster than
# -O0 (every ./check reruns every earlier chapter), and a debugger still shows the lines.
CHECK_FLAGS = "-O1 -g"


class BuildFailed(Exception):
    def __init__(self, stage: str, output: str):
        super().__init__(stage)
        self.stage = stage  # "configure" or "build"
        self.output = output


class Build:
    """One CMake build tree of the project with micrograd_exercises built from `exercises_dir`,
    except for the files in `substitutes` (relative path -> text), which are built from a copy
    in the build tree: the student's file with some exercises put back to their stubs."""

    def __init__(self, build_dir: Path, exercises_dir: Path, build_type: str,
                 cmake_args: list[str], show_progress: bool):
        self.build_dir = build_dir
        self.exercises_dir = exercises_dir
        self.build_type = build_type
        self.cmake_args = cmake_args
        self.show_progress = show_progress
        self.substitutes: dict[str, str] = {}

    @property
    def is_new(self) -> bool:
        return not (self.build_dir / "CMakeCache.txt").exists()

    def _cached(self) -> dict[str, str]:
        cache = self.build_dir / "CMakeCache.txt"
        values = {}
        if cache.exists():
            for line in cache.read_text(errors="replace").splitlines():
                match = re.match(r"^([A-Za-z_0-9]+):[A-Z_]+=(.*)$", line)
                if match:
                    values[match.group(1)] = match.group(2)
        return values

    def settings(self) -> dict[str, str]:
        """The CMake cache entries this tree is configured with."""
        wanted = {
            "MICROGRAD_EXERCISES_DIR": str(absolute(self.exercises_dir)),
            "MICROGRAD_EXERCISES_SUBSTITUTES": ";".join(sorted(self.substitutes)),
            "MICROGRAD_BUILD_EXERCISES": "ON",
            "MICROGRAD_BUILD_TESTS": "ON",
            "MICROGRAD_BUILD_BENCHMARKS": "OFF",
            "MICROGRAD_BUILD_EXAMPLES": "OFF",
            "CMAKE_BUILD_TYPE": self.build_type,
        }
        if self.build_type == "Debug":
            wanted["CMAKE_CXX_FLAGS_DEBUG"] = CHECK_FLAGS
        return wanted

    def generated_files(self) -> list[Path]:
        """Files the configure step writes that this checker reads."""
        return [self.build_dir / PROGRAM_LIST]

    def configure(self, force: bool = False) -> None:
        self._write_substitutes()
        wanted = self.settings()
        cached = self._cached()
        fresh = cached and all(cached.get(name) == value for name, value in wanted.items())
        # --cmake-arg values are not all cache entries: remember them to notice a change.
        arguments_file = self.build_dir / "check-cmake-args.txt"
        arguments = "\n".join(self.cmake_args)
        same_arguments = arguments_file.exists() and arguments_file.read_text() == arguments
        if (not force and fresh and same_arguments
                and all(path.exists() for path in self.generated_files())):
            return
        # The generator is CMake's default (or $CMAKE_GENERATOR), as for the presets CI builds.
        command = ["cmake", "-S", str(REPO_ROOT), "-B", str(self.build_dir)]
        command += [f"-D{name}={value}" for name, value in wanted.items()] + self.cmake_args
        self._run(command, "configure", "configuring")
        arguments_file.write_text(arguments)

    def _write_substitutes(self) -> None:
        folder = self.build_dir / SUBSTITUTES_FOLDER
        for source, text in self.substitutes.items():
            path = folder / source
            if not path.exists() or path.read_text(errors="replace") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)

    def build(self, targets: list[str]) -> None:
        jobs = str(os.cpu_count() or 2)
        command = ["cmake", "--build", str(self.build_dir), "-j", jobs, "--target", *targets]
        try:
            try:
                output = self._run(command, "build", "building")
            except BuildFailed as failure:
                # A target the tree does not know yet: the sources gained or renamed it since the
                # tree was configured (a `git pull`), and make checks for that only when asked
                # for a target it knows. Configure again and retry once.
                if ("No rule to make target" not in failure.output  # make
                        and "unknown target" not in failure.output):  # Ninja
                    raise
                self.configure(force=True)
                output = self._run(command, "build", "building")
        except BuildFailed as failure:
            self.record_warnings(failure.output)
            raise
        self.record_warnings(output)

    def record_warnings(self, output: str) -> None:
        """Keeps the compiler's warnings in the student's files: those of every file this build
        compiled replace what was kept for it, so a warning stays shown until its file compiles
        without it (a build that compiles nothing shows the last ones again)."""
        kept = self.kept_warnings()
        for source in compiled_sources(output, self.exercises_dir):
            kept.pop(source, None)
        for source, found in compiler_warnings(output, self.exercises_dir).items():
            kept[source] = found
        with contextlib.suppress(OSError):
            self.build_dir.mkdir(parents=True, exist_ok=True)
            (self.build_dir / WARNINGS_FILE).write_text(json.dumps(kept, indent=2, sort_keys=True))

    def kept_warnings(self) -> dict[str, list[str]]:
        """The warnings kept by record_warnings, by exercise file ("engine/ops.cpp")."""
        try:
            data = json.loads((self.build_dir / WARNINGS_FILE).read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {source: [str(line) for line in lines] for source, lines in data.items()
                if isinstance(lines, list) and (self.exercises_dir / source).is_file()}

    def _run(self, command: list[str], stage: str, verb: str) -> str:
        if shutil.which("cmake") is None:
            raise UserError("cmake is not installed; run the setup script first (see README.md)")
        process = running.spawn(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, errors="replace")
        output = []
        assert process.stdout is not None
        try:
            for line in process.stdout:
                output.append(line)
                if self.show_progress:
                    width = shutil.get_terminal_size().columns - 1
                    status = f"{verb}: {unroot(line.strip())}"[:width]
                    print(f"\r\033[K{status}", end="", flush=True)
            process.wait()
        finally:
            running.end(process)
            if self.show_progress:
                print("\r\033[K", end="", flush=True)
        if process.returncode != 0:
            raise BuildFailed(stage, "".join(output))
        return "".join(output)

    def test_programs(self) -> list[Path]:
        listing = self.build_dir / PROGRAM_LIST
        if not listing.exists():
            raise UserError(f"{shown(listing)} is missing: the build tree is not configured with "
                            "MICROGRAD_BUILD_EXERCISES=ON (delete it and run ./check again)")
        return [Path(line) for line in listing.read_text().splitlines() if line.strip()]


class DemoBuild(Build):
    """A build tree of the examples in which the micrograd library itself is made from
    `exercises_dir` (MICROGRAD_ENGINE_DIR), so the examples run on the engine the student wrote."""

    def settings(self) -> dict[str, str]:
        return super().settings() | {
            "MICROGRAD_ENGINE_DIR": str(absolute(self.exercises_dir)),
            "MICROGRAD_BUILD_EXERCISES": "OFF",
            "MICROGRAD_BUILD_TESTS": "OFF",
            "MICROGRAD_BUILD_EXAMPLES": "ON",
        }

    def generated_files(self) -> list[Path]:
        return []


# ---- compiler warnings -------------------------------------------------------------------------

WARNINGS_FILE = ".check-warnings.json"  # in the build tree: the last warnings of each file
WARNING = re.compile(r"^(.+?):(\d+):(?:(\d+):)? warning: (.*)$")
COMPILING = re.compile(r"Building CXX object (\S+)\.o\b")


def compiled_sources(output: str, exercises_dir: Path) -> set[str]:
    """The student's files ("engine/ops.cpp") that this build output compiled: their objects are
    named after them (.../exercises/engine/ops.cpp.o, or a substitute's copy of the same path)."""
    objects = [match.group(1) for match in COMPILING.finditer(output)]
    found = set()
    for path in exercises_dir.rglob("*.cpp"):
        source = path.relative_to(exercises_dir).as_posix()
        if any(name.endswith("/" + source) and ("exercise" in name) for name in objects):
            found.add(source)
    return found


def compiler_warnings(output: str, exercises_dir: Path) -> dict[str, list[str]]:
    """The warnings of g++/clang in the student's files, by file ("engine/ops.cpp"), each one line
    `exercises/engine/ops.cpp:190: warning: ...`, in the order given, each at most once."""
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        match = WARNING.match(line)
        if not match:
            continue
        path = students_path(match.group(1), exercises_dir)
        source = relative_source(exercises_dir, path)
        if source is None:
            continue
        text = f"{shown(path)}:{match.group(2)}: warning: {match.group(4)}"
        if text not in found.setdefault(source, []):
            found[source].append(text)
    return found


def warning_notes(build: "Build", style: Style) -> str:
    """The kept warnings as notes for the terminal, with the exercise each is in; "" if none."""
    kept = build.kept_warnings()
    lines = [line for source in sorted(kept) for line in kept[source]]
    if not lines:
        return ""
    text = ""
    for line in lines[:MAX_WARNINGS_SHOWN]:
        where = re.match(r"^(.+?):(\d+):", line)
        exercise = None
        if where:
            exercise = exercise_at(build.exercises_dir, REPO_ROOT / where.group(1),
                                   int(where.group(2)))
        inside = f" (in exercise {exercise})" if exercise else ""
        text += style.yellow("  note: ") + line + inside + "\n"
    if len(lines) > MAX_WARNINGS_SHOWN:
        text += style.dim(f"  note: and {len(lines) - MAX_WARNINGS_SHOWN} more warnings") + "\n"
    text += style.dim("  (A warning does not fail an exercise, but it often points at a bug: a "
                      "shadowed name, a narrowing conversion, an unused result.)") + "\n"
    return text


MAX_WARNINGS_SHOWN = 5


# ---- compiler errors ---------------------------------------------------------------------------

DIAGNOSTIC = re.compile(r"^(.+?):(\d+):(?:(\d+):)? (?:fatal )?error: (.*)$")


@dataclasses.dataclass
class CompilerError:
    path: Path          # absolute
    line: int
    message: str        # the whole first diagnostic, with its source snippet
    exercise: str | None  # the exercise whose region holds the line
    source: str | None  # the exercise file it is in ("engine/ops.cpp"), None outside exercises/
    count: int = 1      # how many errors the build reported

    @property
    def where(self) -> str:
        return f"{shown(self.path)}:{self.line}"


REQUIRED_FROM = re.compile(r"^(.+?):(\d+):(?:\d+:)?\s+required from ")


def students_path(printed: str, exercises_dir: Path) -> Path:
    """A path as the compiler printed it, made absolute; a copy in exercise-substitutes/ stands
    for the student's own file (it keeps every line where the student's file has it)."""
    path = Path(printed)
    if not path.is_absolute():
        path = REPO_ROOT / path
    path = absolute(path)
    if SUBSTITUTES_FOLDER in path.parts:
        parts = path.parts
        path = absolute(exercises_dir.joinpath(*parts[parts.index(SUBSTITUTES_FOLDER) + 1:]))
    return path


def instantiated_at(before: list[str], exercises_dir: Path) -> tuple[Path, int] | None:
    """The last "path:line:col:   required from ..." in the student's files among the lines
    printed before an error."""
    for line in reversed(before):
        match = REQUIRED_FROM.match(line)
        if match:
            path = students_path(match.group(1), exercises_dir)
            if relative_source(exercises_dir, path) is not None:
                return path, int(match.group(2))
    return None


def compiler_errors(output: str, exercises_dir: Path) -> list[CompilerError]:
    """The first `path:line:col: error:` of g++/clang output in each file, with the lines that
    belong to it, in the order the compiler reported them."""
    lines = output.splitlines()
    count = sum(1 for line in lines if DIAGNOSTIC.match(line))
    found: dict[Path, CompilerError] = {}
    for index, line in enumerate(lines):
        match = DIAGNOSTIC.match(line)
        if not match:
            continue
        path = students_path(match.group(1), exercises_dir)
        line_number = int(match.group(2))
        block = [shown(path) + line[len(match.group(1)):]]
        if relative_source(exercises_dir, path) is None:
            # An error inside a template of the standard library: the student's line is the one
            # GCC printed above it as "required from here".
            origin = instantiated_at(lines[max(0, index - 40):index], exercises_dir)
            if origin is not None:
                library = f"{path.name}:{line_number}"
                path, line_number = origin
                block[0] = (f"{shown(path)}:{line_number}: error: {match.group(4)} (inside the "
                            f"library's {library}, used from this line)")
        if path in found:
            continue
        for following in lines[index + 1:index + 14]:
            # The source snippet under a diagnostic: "   78 |   code" and "      |   ^~~".
            if re.match(r"^\s*\d*\s*\|", following) or following.strip().startswith("^"):
                block.append(following)
            else:
                break
        context = None
        if index > 0:
            context = re.match(r"^.+?: In ((?:member )?function|constructor|destructor|lambda "
                               r"function|instantiation of) (.*):$", lines[index - 1])
        if context:
            block.append(f"(in {context.group(1)} {context.group(2)})")
        found[path] = CompilerError(path, line_number, "\n".join(block),
                                    exercise_at(exercises_dir, path, line_number),
                                    relative_source(exercises_dir, path), count)
    return list(found.values())


def describe_compiler_error(error: CompilerError, exercises: list[Exercise] | None) -> str:
    """Where a compile error is, in words: "exercise 2.1 "add backward"", or "outside the
    exercises, in exercises/nn/loss.cpp:57"."""
    if error.exercise:
        titles = {exercise.id: exercise.name() for exercise in exercises or []}
        return f"exercise {titles.get(error.exercise, error.exercise)}"
    if error.source:
        return f"outside the exercises, in {error.where}"
    return f"in {error.where}, a file of the course (not one of yours)"


def explain_build_failure(error: BuildFailed, exercises_dir: Path, style: Style,
                          exercises: list[Exercise] | None = None) -> tuple[str, str]:
    """(one line for reports, the full explanation for the terminal)."""
    if error.stage == "configure":
        tail = "\n".join(unroot(error.output).strip().splitlines()[-25:])
        return ("CMake could not configure the build",
                f"{style.red('CMake could not configure the build:')}\n{indent(tail)}\n\n"
                "Is everything from the setup script installed (a C++20 compiler, CMake, "
                "GoogleTest)?")
    errors = compiler_errors(error.output, exercises_dir)
    if errors:
        first = errors[0]
        headline = "does not compile: " + first.message.splitlines()[0]
        text = (f"{style.red(style.failed + ' Your code does not compile')}: "
                f"{describe_compiler_error(first, exercises)}\n\n"
                f"{indent(first.message, '  ')}\n")
        more = first.count - 1
        if more > 0:
            text += (f"\n  ({more} more error{'s' if more > 1 else ''} after this one: fix the "
                     "first one first, the others often follow from it)\n")
        return headline, text
    undefined = re.search(r"undefined reference to [`'](.*?)'", error.output)
    if undefined:
        symbol = undefined.group(1)
        advice = (f"`{symbol}` is declared but never defined. Did you delete or rename a "
                  "function in exercises/, or change its parameters? Its name and parameters "
                  "must stay as the header declares them.")
        return (f"link error: undefined reference to {symbol}",
                f"{style.red(style.failed + ' Your code compiles but does not link:')}\n\n"
                f"{indent(textwrap.wrap(advice, 94), '  ')}\n")
    lines = unroot(error.output).strip().splitlines()
    first_error = next((line for line in lines if re.search(r"\berror\b", line, re.I)),
                       lines[-1] if lines else "")
    return (f"the build failed: {first_error}",
            f"{style.red('The build failed:')}\n{indent(lines[-25:])}")
