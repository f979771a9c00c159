#!/usr/bin/env python3
"""The exercise checker of micrograd.cpp: builds your exercises/, runs each exercise's tests in
chapter order and tells you what passes, what is wrong and what to do next.

    ./check              build, test in chapter order, stop at the first exercise that does not pass
    ./check watch        the same again every time you save a file under exercises/ (Ctrl-C stops)
    ./check list         every exercise with its state
    ./check hint [ID]    the hint of one exercise (without ID: of the exercise you are on)
    ./check verify       every exercise; exit status 1 unless all of them pass
    ./check reset ID     put the stub of one exercise back (asks first; --yes does not)
    ./check demo NAME    build an example on your engine and run it (moons, mnist, graph, readme)
    ./check walk         for course maintainers: walk the whole course as a student would

`check` and `verify` write a report for graders with --json FILE. Exercise C.N is graded by the
GoogleTest suites named ExC_N_* in the test programs built against micrograd_exercises; each
exercise runs in a process of its own, with a timeout, so a crash or an endless loop in one
exercise is reported as such and does not hide the others.

It is not a test framework: it only drives CMake, make_exercises (the generator that knows the
exercises) and the GoogleTest programs, and explains their output. Python 3 standard library only.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import dataclasses
import datetime
import fcntl
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from checker import course_notes

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"
DEFAULT_EXERCISES_DIR = REPO_ROOT / "exercises"
DEFAULT_BUILD_DIR = REPO_ROOT / "build" / "exercises"
DEFAULT_WALK_DIR = REPO_ROOT / "build" / "course-walk"
DEFAULT_DEMO_DIR = REPO_ROOT / "build" / "demos"
# The examples ./check demo runs: name -> (CMake target, what it does).
DEMOS = {
    "readme": ("readme_example", "the README's expression: data, gradients and a gradient check"),
    "graph": ("graph_example", "draws graphs into out/graph/, before and after backward()"),
    "moons": ("moons", "trains micrograd's MLP on the moons, as its demo notebook does"),
    "mnist": ("mnist", "trains an MLP (or --model conv) on MNIST digits"),
}
PROGRAM_LIST = "exercise_test_programs.txt"  # written by tests/course/CMakeLists.txt
TEST_TARGETS = ["make_exercises", "exercise_tests"]
MUTANTS_PER_EXERCISE = 3
# Measured: `./check` from a fresh clone on a 2-core machine (see exercises/README.md).
FIRST_BUILD = "one to four minutes on two cores"
ISOLATED_SUITE = "IsolatedOp"  # tests named IsolatedOp.ExC_N_...: exercise C.N checked on its own  # the fewest wrong answers an exercise's catalogue may hold
STATES = ("passed", "failed", "not_started", "crashed", "timeout", "build_error", "no_tests")

# What a stub throws (engine/value.cpp): exercise 2.2 "mul backward" is not implemented yet: ...
NOT_IMPLEMENTED = re.compile(r'exercise (\d+\.\d+) "(.*?)" is not implemented yet')
SUITE_NAME = re.compile(r"^(?:\w+/)?Ex(\d+)_(\d+)_\w*(?:/\d+)?$")


# ---- output ------------------------------------------------------------------------------------

class Style:
    """Colors and symbols, plain when the output is not a terminal (or NO_COLOR is set)."""

    def __init__(self, color: bool):
        self.color = color
        unicode = (sys.stdout.encoding or "").lower().replace("-", "") in ("utf8", "utf16")
        self.passed = "✔" if unicode else "+"
        self.failed = "✘" if unicode else "x"
        self.pending = "·" if unicode else "."
        self.bar_full, self.bar_empty = ("█", "░") if unicode else ("#", "-")

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def green(self, text: str) -> str:
        return self._paint("32", text)

    def red(self, text: str) -> str:
        return self._paint("31", text)

    def yellow(self, text: str) -> str:
        return self._paint("33", text)

    def bold(self, text: str) -> str:
        return self._paint("1", text)

    def dim(self, text: str) -> str:
        return self._paint("2", text)

    def state_mark(self, state: str) -> str:
        if state == "passed":
            return self.green(self.passed)
        if state == "not_started":
            return self.yellow(self.pending)
        return self.red(self.failed)


def shown(path: str | Path) -> str:
    """A path as the student should see it: relative to the repository root when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(absolute)


def unroot(text: str) -> str:
    """Removes the repository's absolute prefix from paths inside a message."""
    return text.replace(str(REPO_ROOT) + os.sep, "")


def indent(lines: list[str] | str, prefix: str = "    ") -> str:
    if isinstance(lines, str):
        lines = lines.split("\n")
    return "\n".join(prefix + line if line else line for line in lines)


# ---- the exercises -----------------------------------------------------------------------------

@dataclasses.dataclass
class Exercise:
    id: str           # "2.1"
    chapter: int
    number: int
    title: str        # "add backward"
    description: str  # what to write, from the EXERCISE line
    source: str       # the file, relative to solutions/ and exercises/: "engine/ops.cpp"
    hints: list[str] = dataclasses.field(default_factory=list)  # level 1, 2, ... (course notes)

    @property
    def key(self) -> tuple[int, int]:
        return (self.chapter, self.number)

    @property
    def suite_prefix(self) -> str:
        return f"Ex{self.chapter}_{self.number}_"

    def name(self) -> str:
        return f'{self.id} "{self.title}"'


def parse_listing(text: str) -> list[Exercise]:
    """Parses `make_exercises --list`: id, title, file, line, comment lines, description."""
    exercises = []
    for row in text.splitlines():
        if not row.strip():
            continue
        fields = row.split("\t")
        identifier, title, source = fields[0], fields[1], fields[2]
        comments = fields[4].split("\\n") if len(fields) > 4 and fields[4] else []
        description = fields[5] if len(fields) > 5 else ""
        # The comment lines after the EXERCISE line continue the task; hints live in the notes.
        continued = " ".join(line.strip() for line in comments)
        description = " ".join(part for part in (description, continued) if part)
        chapter, number = (int(part) for part in identifier.split("."))
        exercises.append(Exercise(identifier, chapter, number, title, description, source))
    exercises.sort(key=lambda exercise: exercise.key)
    return exercises


def find_exercise(exercises: list[Exercise], identifier: str) -> Exercise:
    for exercise in exercises:
        if exercise.id == identifier:
            return exercise
    raise UserError(f"there is no exercise {identifier}; `./check list` shows them all")


@dataclasses.dataclass
class Region:
    """Where an exercise sits in the student's file (1-based lines)."""
    first: int  # the EXERCISE comment line
    code: int   # the first line after BEGIN EXERCISE: the stub, or the student's code
    last: int   # the END EXERCISE line


def regions_in(path: Path) -> dict[str, Region]:
    """The exercise regions of one file of exercises/, found by their markers."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    found: dict[str, Region] = {}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        match = re.match(r'// EXERCISE (\d+\.\d+) "', stripped)
        if match:
            found[match.group(1)] = Region(number, number, number)
            continue
        match = re.match(r"// (BEGIN|END) EXERCISE (\d+\.\d+)\b", stripped)
        if match:
            kind, identifier = match.groups()
            region = found.setdefault(identifier, Region(number, number, number))
            if kind == "BEGIN":
                region.code = number + 1
            else:
                region.last = number
    return found


def stub_location(exercises_dir: Path, exercise: Exercise) -> str:
    """`file:line` of the place to write the exercise, as the student's editor can open it."""
    path = exercises_dir / exercise.source
    region = regions_in(path).get(exercise.id)
    return f"{shown(path)}:{region.code}" if region else shown(path)


def exercise_at(exercises_dir: Path, path: Path, line: int) -> str | None:
    """The exercise whose region holds path:line (or the nearest one above it), if any."""
    try:
        Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(exercises_dir)))
    except ValueError:
        return None
    best = None
    for identifier, region in regions_in(path).items():
        if region.first <= line <= max(region.last, region.code):
            return identifier
        if region.first <= line and (best is None or region.first > best[1]):
            best = (identifier, region.first)
    return best[0] if best else None


# ---- building ----------------------------------------------------------------------------------

class UserError(Exception):
    """Something the person running the checker can fix; printed without a traceback."""


class BuildFailed(Exception):
    def __init__(self, stage: str, output: str):
        super().__init__(stage)
        self.stage = stage  # "configure" or "build"
        self.output = output


class Build:
    """One CMake build tree of the project with micrograd_exercises built from `exercises_dir`."""

    def __init__(self, build_dir: Path, exercises_dir: Path, build_type: str,
                 cmake_args: list[str], show_progress: bool):
        self.build_dir = build_dir
        self.exercises_dir = exercises_dir
        self.build_type = build_type
        self.cmake_args = cmake_args
        self.show_progress = show_progress

    @property
    def make_exercises(self) -> Path:
        return self.build_dir / "make_exercises"

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
        return {
            "MICROGRAD_EXERCISES_DIR": str(Path(os.path.abspath(self.exercises_dir))),
            "MICROGRAD_BUILD_EXERCISES": "ON",
            "MICROGRAD_BUILD_TESTS": "ON",
            "MICROGRAD_BUILD_BENCHMARKS": "OFF",
            "MICROGRAD_BUILD_EXAMPLES": "OFF",
            "CMAKE_BUILD_TYPE": self.build_type,
        }

    def generated_files(self) -> list[Path]:
        """Files the configure step writes that this checker reads."""
        return [self.build_dir / PROGRAM_LIST]

    def configure(self) -> None:
        wanted = self.settings()
        cached = self._cached()
        fresh = cached and all(cached.get(name) == value for name, value in wanted.items())
        if fresh and all(path.exists() for path in self.generated_files()):
            return
        # The generator is CMake's default (or $CMAKE_GENERATOR), as for the presets CI builds.
        command = ["cmake", "-S", str(REPO_ROOT), "-B", str(self.build_dir)]
        command += [f"-D{name}={value}" for name, value in wanted.items()] + self.cmake_args
        self._run(command, "configure", "configuring")

    def build(self, targets: list[str]) -> None:
        jobs = str(os.cpu_count() or 2)
        command = ["cmake", "--build", str(self.build_dir), "-j", jobs, "--target", *targets]
        self._run(command, "build", "building")

    def _run(self, command: list[str], stage: str, verb: str) -> None:
        if shutil.which("cmake") is None:
            raise UserError("cmake is not installed; run the setup script first (see README.md)")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace")
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
            if process.poll() is None:
                process.kill()
                process.wait()
            if self.show_progress:
                print("\r\033[K", end="", flush=True)
        if process.returncode != 0:
            raise BuildFailed(stage, "".join(output))

    def test_programs(self) -> list[Path]:
        listing = self.build_dir / PROGRAM_LIST
        if not listing.exists():
            raise UserError(f"{shown(listing)} is missing: the build tree is not configured with "
                            "MICROGRAD_BUILD_EXERCISES=ON (delete it and run ./check again)")
        return [Path(line) for line in listing.read_text().splitlines() if line.strip()]

    def list_exercises(self) -> list[Exercise]:
        result = subprocess.run([str(self.make_exercises), "--solutions", str(SOLUTIONS_DIR),
                                 "--list"], capture_output=True, text=True)
        if result.returncode != 0:
            raise UserError("make_exercises cannot read solutions/:\n" + result.stderr.strip())
        exercises = parse_listing(result.stdout)
        try:
            notes = course_notes.load_notes(SOLUTIONS_DIR, [e.source for e in exercises])
        except course_notes.NotesError as error:
            raise UserError(f"the course notes are damaged: {error}") from error
        for exercise in exercises:
            if exercise.id in notes:
                exercise.hints = notes[exercise.id].hints
        return exercises


class DemoBuild(Build):
    """A build tree of the examples in which the micrograd library itself is made from
    `exercises_dir` (MICROGRAD_ENGINE_DIR), so the examples run on the engine the student wrote."""

    def settings(self) -> dict[str, str]:
        return super().settings() | {
            "MICROGRAD_ENGINE_DIR": str(Path(os.path.abspath(self.exercises_dir))),
            "MICROGRAD_BUILD_EXERCISES": "OFF",
            "MICROGRAD_BUILD_TESTS": "OFF",
            "MICROGRAD_BUILD_EXAMPLES": "ON",
        }

    def generated_files(self) -> list[Path]:
        return []


@dataclasses.dataclass
class CompilerError:
    path: str      # as shown to the student
    line: int
    message: str   # the whole first diagnostic, with its source snippet
    exercise: str | None
    count: int     # how many errors the build reported


def first_compiler_error(output: str, exercises_dir: Path) -> CompilerError | None:
    """The first `path:line:col: error:` of g++/clang output, with the lines that belong to it."""
    lines = output.splitlines()
    diagnostic = re.compile(r"^(.+?):(\d+):(?:(\d+):)? (?:fatal )?error: (.*)$")
    count = sum(1 for line in lines if diagnostic.match(line))
    for index, line in enumerate(lines):
        match = diagnostic.match(line)
        if not match:
            continue
        path = Path(match.group(1))
        if not path.is_absolute():
            path = REPO_ROOT / path
        line_number = int(match.group(2))
        block = [shown(path) + line[len(match.group(1)):]]
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
        return CompilerError(shown(path), line_number, "\n".join(block),
                             exercise_at(exercises_dir, path, line_number), count)
    return None


def explain_build_failure(error: BuildFailed, exercises_dir: Path, style: Style,
                          exercises: list[Exercise] | None = None) -> tuple[str, str]:
    """(one line for reports, the full explanation for the terminal)."""
    if error.stage == "configure":
        tail = "\n".join(unroot(error.output).strip().splitlines()[-25:])
        return ("CMake could not configure the build",
                f"{style.red('CMake could not configure the build:')}\n{indent(tail)}\n\n"
                "Is everything from the setup script installed (a C++20 compiler, CMake, "
                "GoogleTest)?")
    compiler_error = first_compiler_error(error.output, exercises_dir)
    if compiler_error:
        where = ""
        if compiler_error.exercise:
            titles = {exercise.id: exercise.name() for exercise in exercises or []}
            where = f": exercise {titles.get(compiler_error.exercise, compiler_error.exercise)}"
        headline = "does not compile: " + compiler_error.message.splitlines()[0]
        text = (f"{style.red(style.failed + ' Your code does not compile')}{where}\n\n"
                f"{indent(compiler_error.message, '  ')}\n")
        more = compiler_error.count - 1
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


# ---- running tests -----------------------------------------------------------------------------

@dataclasses.dataclass
class TestResult:
    name: str           # Suite.Test
    passed: bool
    failures: list[str]  # gtest failure texts: "file:line\nmessage"


@dataclasses.dataclass
class ProgramRun:
    program: Path
    tests: list[TestResult]
    problem: str | None = None     # None, "crashed" or "timeout"
    unfinished: str | None = None  # the test that was running when it crashed or hung
    how: str = ""                  # "segmentation fault (SIGSEGV)", "exit status 3", ...
    output: str = ""


SIGNAL_NAMES = {
    signal.SIGSEGV: "a segmentation fault (SIGSEGV)",
    signal.SIGABRT: "an abort (SIGABRT)",
    signal.SIGFPE: "an arithmetic error (SIGFPE)",
    signal.SIGBUS: "a bus error (SIGBUS)",
    signal.SIGILL: "an illegal instruction (SIGILL)",
    signal.SIGKILL: "SIGKILL (out of memory?)",
}


def list_tests(program: Path) -> dict[str, list[str]]:
    """The test suites of one program and the names of their tests."""
    result = subprocess.run([str(program), "--gtest_list_tests"], capture_output=True, text=True,
                            errors="replace", timeout=60)
    if result.returncode != 0:
        raise UserError(f"{shown(program)} --gtest_list_tests failed:\n"
                        f"{indent(result.stdout + result.stderr)}")
    suites: dict[str, list[str]] = {}
    current = None
    for line in result.stdout.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = line.split("#")[0].strip().rstrip(".")
            suites[current] = []
        elif current is not None:
            suites[current].append(line.split("#")[0].strip())
    return suites


@dataclasses.dataclass
class TestIndex:
    """Which program holds which suites of which exercise."""
    suites: dict[str, list[tuple[Path, str]]]  # exercise id -> [(program, suite)]
    test_counts: dict[tuple[Path, str], int]
    # exercise id -> (program, "IsolatedOp.Ex2_5_PowerBackward"): the op checked on its own, run
    # to find the cause when a later exercise fails (see blame)
    isolated: dict[str, tuple[Path, str]] = dataclasses.field(default_factory=dict)

    @staticmethod
    def discover(programs: list[Path]) -> "TestIndex":
        suites: dict[str, list[tuple[Path, str]]] = {}
        counts: dict[tuple[Path, str], int] = {}
        isolated: dict[str, tuple[Path, str]] = {}
        for program in programs:
            for suite, tests in list_tests(program).items():
                if suite == ISOLATED_SUITE:
                    for test in tests:
                        match = SUITE_NAME.match(test)
                        if match:
                            identifier = f"{int(match.group(1))}.{int(match.group(2))}"
                            isolated[identifier] = (program, f"{suite}.{test}")
                    continue
                match = SUITE_NAME.match(suite)
                if match:
                    identifier = f"{int(match.group(1))}.{int(match.group(2))}"
                    suites.setdefault(identifier, []).append((program, suite))
                    counts[(program, suite)] = len(tests)
        return TestIndex(suites, counts, isolated)

    def by_program(self, identifiers: list[str]) -> dict[Path, list[str]]:
        grouped: dict[Path, list[str]] = {}
        for identifier in identifiers:
            for program, suite in self.suites.get(identifier, []):
                grouped.setdefault(program, []).append(suite)
        return grouped


@contextlib.contextmanager
def memory_limit(gigabytes: float):
    """Caps the address space of the test programs we start, so a runaway allocation (a
    topological sort that revisits nodes) ends as std::bad_alloc instead of swapping."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = int(gigabytes * 2**30)
    if gigabytes <= 0 or (hard != resource.RLIM_INFINITY and hard < wanted):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_tests(program: Path, suites: list[str], timeout: float, scratch: Path) -> ProgramRun:
    """Runs the given suites of one program in one process and collects every test's result."""
    scratch.mkdir(parents=True, exist_ok=True)
    handle, report_name = tempfile.mkstemp(suffix=".json", dir=scratch)
    os.close(handle)
    os.unlink(report_name)
    report = Path(report_name)
    # A suite runs whole; a name with a dot ("Suite.Test") is one test.
    command = [str(program), "--gtest_filter=" + ":".join(
                   suite if "." in suite else f"{suite}.*" for suite in suites),
               f"--gtest_output=json:{report}", "--gtest_color=no"]
    with tempfile.TemporaryFile(mode="w+", dir=scratch, errors="replace") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        timed_out = False
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.seek(0)
        output = log.read()
    tests = results_from_json(report) if report.exists() else None
    with contextlib.suppress(FileNotFoundError):
        report.unlink()
    run = ProgramRun(program, tests if tests is not None else results_from_output(output),
                     output=output)
    if timed_out:
        run.problem, run.how = "timeout", f"did not finish within {timeout:g} s"
    elif process.returncode < 0:
        run.problem = "crashed"
        run.how = SIGNAL_NAMES.get(-process.returncode, f"signal {-process.returncode}")
    elif tests is None:
        run.problem = "crashed"
        run.how = f"the program exited with status {process.returncode} before its tests finished"
    if run.problem:
        run.unfinished = unfinished_test(output)
    return run


def results_from_json(report: Path) -> list[TestResult] | None:
    try:
        data = json.loads(report.read_text(errors="replace"))
    except (OSError, ValueError):
        return None
    tests = []
    for suite in data.get("testsuites", []):
        for test in suite.get("testsuite", []):
            if test.get("result") in ("SKIPPED", "SUPPRESSED") or test.get("status") == "NOTRUN":
                continue
            failures = [failure.get("failure", "") for failure in test.get("failures", [])]
            tests.append(TestResult(f"{suite['name']}.{test['name']}", not failures, failures))
    return tests


def results_from_output(output: str) -> list[TestResult]:
    """The tests that finished before a crash or a timeout, from gtest's console output."""
    tests = []
    current: str | None = None
    failures: list[str] = []
    for line in output.splitlines():
        match = re.match(r"^\[ RUN      \] (\S+)", line)
        if match:
            current, failures = match.group(1), []
            continue
        match = re.match(r"^\[ {7}OK \] (\S+)|^\[  FAILED  \] (\S+) \(", line)
        if match and current:
            tests.append(TestResult(current, bool(match.group(1)), failures))
            current = None
            continue
        if current is None:
            continue
        match = re.match(r"^(.*?):(\d+): Failure$|^(unknown file): Failure$", line)
        if match:
            where = f"{match.group(1)}:{match.group(2)}" if match.group(1) else "unknown file"
            failures.append(where)
        elif failures:
            failures[-1] += "\n" + line
    return tests


def unfinished_test(output: str) -> str | None:
    running = None
    for line in output.splitlines():
        match = re.match(r"^\[ RUN      \] (\S+)", line)
        if match:
            running = match.group(1)
        elif re.match(r"^\[ {7}OK \] |^\[  FAILED  \] ", line):
            running = None
    return running


# ---- grading -----------------------------------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    exercise: Exercise
    state: str
    tests: list[TestResult]
    runs: list[ProgramRun]
    message: str = ""  # one line, for reports
    explanation: str = ""  # the message with the test's own sentence on why, for reports
    follows_from: str | None = None  # the earlier exercise this failure probably comes from
    blocked_by: list[str] = dataclasses.field(default_factory=list)  # stubs its tests reached
    total_tests: int = 0

    @property
    def tests_passed(self) -> int:
        return sum(1 for test in self.tests if test.passed)

    @property
    def score(self) -> float:
        if self.state == "passed":
            return 1.0
        if self.state in ("build_error", "no_tests") or self.total_tests == 0:
            return 0.0
        return round(self.tests_passed / self.total_tests, 4)

    @property
    def failing(self) -> list[TestResult]:
        return [test for test in self.tests if not test.passed]


def stubs_reached(test: TestResult) -> list[str]:
    return [match.group(1) for failure in test.failures
            for match in NOT_IMPLEMENTED.finditer(failure)]


def grade(exercise: Exercise, runs: list[ProgramRun], total_tests: int) -> Outcome:
    tests = [test for run in runs for test in run.tests]
    outcome = Outcome(exercise, "passed", tests, runs, total_tests=total_tests)
    problems = [run for run in runs if run.problem]
    if not runs:
        outcome.state = "no_tests"
        outcome.message = (f"no tests found (no suite named {exercise.suite_prefix}*): the course "
                           "is missing them, tell your instructor")
    elif problems:
        run = problems[0]
        outcome.state = run.problem or "crashed"
        where = f" in {run.unfinished}" if run.unfinished else ""
        outcome.message = (f"{'crashed with ' if run.problem == 'crashed' else ''}{run.how}"
                           f"{where}")
    elif outcome.failing:
        reached = sorted({stub for test in outcome.failing for stub in stubs_reached(test)},
                         key=lambda text: tuple(int(part) for part in text.split(".")))
        only_stubs = all(stubs_reached(test) for test in outcome.failing)
        outcome.blocked_by = reached
        if only_stubs:
            outcome.state = "not_started"
            others = [stub for stub in reached if stub != exercise.id]
            outcome.message = ("not implemented yet" if not others else
                               "its tests need exercise " + ", ".join(others) +
                               ", not implemented yet")
        else:
            outcome.state = "failed"
            test = next(test for test in outcome.failing if not stubs_reached(test))
            summary = explain_failure(test.failures[0])[1] if test.failures else ["failed"]
            outcome.message = f"{test.name}: {summary[0] if summary else 'failed'}"
            outcome.explanation = f"{test.name}: " + " ".join(line.strip() for line in summary)
    else:
        outcome.message = ("its test passes" if len(tests) == 1 else f"all {len(tests)} tests pass")
    return outcome


class Runner:
    """Runs exercises' tests: each exercise in processes of its own, in parallel when asked."""

    def __init__(self, build: Build, index: TestIndex, timeout: float, memory_gigabytes: float):
        self.build = build
        self.index = index
        self.timeout = timeout
        self.memory_gigabytes = memory_gigabytes
        self.scratch = build.build_dir / "check-results"

    def run(self, exercise: Exercise) -> Outcome:
        runs = []
        total = 0
        for program, suites in self.index.by_program([exercise.id]).items():
            total += sum(self.index.test_counts[(program, suite)] for suite in suites)
            with memory_limit(self.memory_gigabytes):
                runs.append(run_tests(program, suites, self.timeout, self.scratch))
        return grade(exercise, runs, total)

    def run_all(self, exercises: list[Exercise]) -> list[Outcome]:
        workers = max(1, min(len(exercises), os.cpu_count() or 2))
        with memory_limit(self.memory_gigabytes):
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                return list(pool.map(self._run_unlimited, exercises))

    def _run_unlimited(self, exercise: Exercise) -> Outcome:
        return Runner(self.build, self.index, self.timeout, 0).run(exercise)

    def run_together(self, exercises: list[Exercise]) -> dict[str, list[TestResult]]:
        """The tests of many exercises, one process per test program (for the walk-through)."""
        results: dict[str, list[TestResult]] = {exercise.id: [] for exercise in exercises}
        for program, suites in self.index.by_program([e.id for e in exercises]).items():
            with memory_limit(self.memory_gigabytes):
                run = run_tests(program, suites, self.timeout * len(suites), self.scratch)
            if run.problem:
                raise CourseProblem(f"{shown(program)} {run.how} while running "
                                    f"{run.unfinished or 'its tests'}")
            for test in run.tests:
                match = SUITE_NAME.match(test.name.split(".")[0])
                if match:
                    results.setdefault(f"{int(match.group(1))}.{int(match.group(2))}",
                                       []).append(test)
        return results


# ---- blame: the earlier exercise a failure comes from ------------------------------------------

@dataclasses.dataclass
class Cause:
    exercise: Exercise
    explanation: str  # what its isolated check says


def isolated_failures(runner: Runner, exercises: list[Exercise]) -> list[Cause]:
    """The given exercises whose ops fail their isolated checks (IsolatedOp.ExC_N_...), in
    course order. A stub that is not written yet is not a cause: it is not started."""
    wanted = [exercise for exercise in exercises if exercise.id in runner.index.isolated]
    by_program: dict[Path, list[str]] = {}
    for exercise in wanted:
        program, test = runner.index.isolated[exercise.id]
        by_program.setdefault(program, []).append(test)
    results: dict[str, TestResult] = {}
    for program, tests in by_program.items():
        with memory_limit(runner.memory_gigabytes):
            run = run_tests(program, tests, runner.timeout, runner.scratch)
        for test in run.tests:
            results[test.name] = test
    causes = []
    for exercise in wanted:
        test = results.get(runner.index.isolated[exercise.id][1])
        if test is None or test.passed or stubs_reached(test):
            continue
        said = explain_failure(test.failures[0])[1] if test.failures else ["failed"]
        causes.append(Cause(exercise, " ".join(line.strip() for line in said)))
    return causes


def blame(runner: Runner, outcome: Outcome, exercises: list[Exercise]) -> Cause | None:
    """For an exercise that fails: the earliest exercise before it whose op fails on its own,
    the probable cause of this failure. None when every earlier op checks out."""
    if outcome.state not in ("failed", "crashed", "timeout"):
        return None
    earlier = [e for e in exercises if e.key < outcome.exercise.key]
    causes = isolated_failures(runner, earlier)
    return causes[0] if causes else None


def attribute_failures(runner: Runner, outcomes: list[Outcome]) -> None:
    """verify: marks each failing exercise whose failure probably follows from an earlier one
    (an earlier exercise that fails its own tests, or whose op fails on its own), so one mistake
    is reported once, at its root."""
    causes = {cause.exercise.id for cause in
              isolated_failures(runner, [outcome.exercise for outcome in outcomes])}
    broken: list[str] = []
    for outcome in outcomes:
        if outcome.state in ("failed", "crashed", "timeout") and broken:
            outcome.follows_from = broken[0]
        if outcome.state in ("failed", "crashed", "timeout") or outcome.exercise.id in causes:
            broken.append(outcome.exercise.id)


# ---- failures in plain words -------------------------------------------------------------------

def is_number(text: str) -> bool:
    return re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[uUlLfF]*", text.strip()) is not None


def explain_failure(text: str) -> tuple[str | None, list[str]]:
    """A gtest failure ("file:line\\nmessage") as (location, lines in plain words)."""
    first, _, body = text.partition("\n")
    location = None if first.strip() in ("unknown file", "") else unroot(first.strip())
    lines = body.split("\n")
    head = lines[0] if lines else ""

    def rest(start: int) -> list[str]:
        return [line for line in lines[start:] if line.strip()]

    if head == "Expected equality of these values:":
        position = 1
        sides = []
        for _ in range(2):
            expression = lines[position].strip() if position < len(lines) else "?"
            position += 1
            value = expression
            if position < len(lines) and lines[position].startswith("    Which is: "):
                value = lines[position][len("    Which is: "):]
                position += 1
            sides.append((expression, value))
        if position < len(lines) and lines[position].strip() == "With diff:":
            position += 1
            while position < len(lines) and re.match(r"^(@@|[-+ ])", lines[position]):
                position += 1
        (actual_expression, actual), (expected_expression, expected) = sides
        said = f"{actual_expression} is {actual}, expected {expected}"
        if expected_expression != expected and not is_number(expected_expression):
            said += f" ({expected_expression})"
        return location, [said] + rest(position)
    # gtest 1.12 leaves out ", which exceeds TOLERANCE" in some builds: the values follow anyway.
    match = re.match(r"^The difference between (.*) and (.*) is (.*?)(?:, which exceeds (.*))?, "
                     r"where$", head)
    if match and len(lines) >= 4:
        actual_expression, _, _, tolerance = match.groups()
        values = [re.sub(r"^.* evaluates to (.*?)(,| and|\.)*$", r"\1", line)
                  for line in lines[1:4]]
        return location, [f"{actual_expression} is {values[0]}, expected {values[1]} "
                          f"(give or take {values[2]})"] + rest(4)
    match = re.match(r"^Value of: (.*)$", head)
    if match and len(lines) >= 3 and lines[1].startswith("  Actual: "):
        actual = lines[1][len("  Actual: "):]
        expected = lines[2][len("Expected: "):] if lines[2].startswith("Expected: ") else "?"
        return location, [f"{match.group(1)} is {actual}, expected {expected}"] + rest(3)
    match = re.match(r"^Expected: \((.*)\) (==|!=|<|<=|>|>=) \((.*)\), actual: (.*) vs (.*)$", head)
    if match:
        left, operator, right, left_value, right_value = match.groups()
        return location, [f"expected {left} {operator} {right}, but {left} is {left_value} and "
                          f"{right} is {right_value}"] + rest(1)
    match = re.match(r'^C\+\+ exception with description "(.*)" thrown in (.*)\.$', body, re.S)
    if match:
        description, where = match.groups()
        stub = NOT_IMPLEMENTED.search(description)
        if stub:
            return location, [f'reached the stub of exercise {stub.group(1)} "{stub.group(2)}": '
                              "not implemented yet"]
        if "bad_alloc" in description:
            return location, [f"ran out of memory ({description}) in {where}: is something "
                              "visited again and again, or a loop that keeps appending?"]
        return location, [f"threw an exception in {where}: {unroot(description)}"]
    if head == "Failed":
        return location, rest(1) or ["failed"]
    return location, [unroot(line) for line in rest(0)] or ["failed"]


# ---- the commands ------------------------------------------------------------------------------

class BuildLock:
    """One checker per build tree at a time: a second one (./check next to ./check watch) waits
    instead of rebuilding the programs the first one is running."""

    def __init__(self, build_dir: Path, style: Style):
        self.path = build_dir / "check.lock"
        self.style = style
        self.file = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "w")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(self.style.dim(f"Another ./check is using {shown(self.path.parent)}; waiting "
                                 "for it to finish…"), flush=True)
            fcntl.flock(self.file, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing releases the lock
            self.file = None


@dataclasses.dataclass
class Context:
    style: Style
    build: Build
    exercises_dir: Path
    timeout: float
    memory_gigabytes: float
    json_path: Path | None
    assume_yes: bool
    lock: BuildLock


def prepare(context: Context, progress: bool = True) -> tuple[list[Exercise], Runner]:
    """Configures and builds, then finds the exercises and their tests. Raises BuildFailed."""
    build = context.build
    if progress and not (build.build_dir / "CMakeCache.txt").exists():
        print(context.style.dim(f"Building your exercises for the first time (this takes "
                                f"{FIRST_BUILD})…"),
              end="\r" if build.show_progress else "\n", flush=True)
    build.configure()
    build.build([TEST_TARGETS[0]])  # the generator first: it lists the exercises even if yours
    build.build(TEST_TARGETS[1:])   # do not compile yet
    exercises = build.list_exercises()
    index = TestIndex.discover(build.test_programs())
    return exercises, Runner(build, index, context.timeout, context.memory_gigabytes)


def exercises_or_none(context: Context) -> list[Exercise]:
    """The exercise list even when the student's code does not compile."""
    try:
        context.build.configure()
        context.build.build([TEST_TARGETS[0]])
        return context.build.list_exercises()
    except (BuildFailed, UserError):
        return []


def progress_bar(style: Style, done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else width
    bar = style.green(style.bar_full * filled) + style.dim(style.bar_empty * (width - filled))
    return f"{bar} {done}/{total} exercises done"


def print_chapters(style: Style, outcomes: list[Outcome]) -> None:
    chapters: dict[int, list[str]] = {}
    for outcome in outcomes:
        mark = style.state_mark(outcome.state)
        chapters.setdefault(outcome.exercise.chapter, []).append(f"{mark} {outcome.exercise.id}")
    for chapter, marks in chapters.items():
        print(f"  chapter {chapter}:  " + "  ".join(marks))


def describe_exercise(context: Context, exercise: Exercise, with_hint: bool = True) -> str:
    style = context.style
    text = f"  {style.bold(stub_location(context.exercises_dir, exercise))}  " \
           f"exercise {exercise.name()}\n"
    if exercise.description:
        text += indent(textwrap.wrap(exercise.description, 92), "  ") + "\n"
    if with_hint:
        text += hint_pointer(context, exercise)
    return text


# ---- hints, one level at a time ----------------------------------------------------------------

HINT_LEVELS = ["the idea", "the approach", "the shape of the code"]
HINT_STATE = ".check-hints.json"  # in the exercises folder: how far each exercise's hints went


def hint_levels_seen(exercises_dir: Path) -> dict[str, int]:
    try:
        data = json.loads((exercises_dir / HINT_STATE).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(value, int)}


def hint_pointer(context: Context, exercise: Exercise) -> str:
    """One line that says how to get the next hint, for the exercise a student is on."""
    if not exercise.hints:
        return ""
    seen = hint_levels_seen(context.exercises_dir).get(exercise.id, 0)
    left = len(exercise.hints) - seen
    if left <= 0:
        return context.style.dim(f"  (all {len(exercise.hints)} hints shown: ./check hint "
                                 f"{exercise.id} shows them again)") + "\n"
    what = HINT_LEVELS[seen] if seen < len(HINT_LEVELS) else f"hint {seen + 1}"
    return context.style.yellow(f"  Stuck? ./check hint {exercise.id} gives {what} "
                                f"({left} of {len(exercise.hints)} hints left)") + "\n"


def crash_advice(run: ProgramRun) -> tuple[str, str]:
    """(why it probably happened, a command that shows where)."""
    test = run.unfinished or "*"
    command = f"{shown(run.program)} --gtest_filter='{test}'"
    if run.problem == "timeout":
        why = ("A test that never ends is a loop that never ends: in backward, a loop whose "
               "index never reaches the end; in a topological sort, nodes visited again and again "
               "because they are never marked as visited (a node used twice, as in a + a, is "
               "reached twice).")
        return why, f"(If your machine is just slow: ./check --timeout 60)\nRun it alone: {command}"
    why = "The test program crashed."
    long_chain = re.search(r"million|deep|long|recursion", test, re.I)
    if ("SIGSEGV" in run.how or "SIGBUS" in run.how) and long_chain:
        why = ("On a long chain this is almost always a stack overflow: a recursive function (like "
               "a recursive depth-first search) uses one stack frame per node, and a million nodes "
               "is more than the stack holds. Use a loop with your own std::vector as the stack.")
    elif "SIGSEGV" in run.how or "SIGBUS" in run.how:
        why = ("It read or wrote memory it does not own: an index past the end of a vector (an "
               "unsigned index counting down wraps around from 0 to a huge number: `i >= 0` is "
               "always true for std::size_t), a null pointer, or a reference to a Value that is "
               "gone. Deep recursion overflowing the stack does the same.")
    elif "SIGABRT" in run.how:
        why = ("Something called abort: an exception thrown where it cannot be caught (a "
               "destructor, a noexcept function), a failed assert, or a corrupted heap.")
    elif "SIGKILL" in run.how:
        why = "It was killed, probably because it used all the memory."
    return why, f"See where it happens (with gdb):\n  gdb -q -batch -ex run -ex 'bt 15' --args {command}"


def print_outcome_details(context: Context, outcome: Outcome) -> None:
    style = context.style
    exercise = outcome.exercise
    print()
    if outcome.state == "not_started":
        others = [stub for stub in outcome.blocked_by if stub != exercise.id]
        print(style.bold(f"Next up: exercise {exercise.name()}") +
              style.dim("  (not implemented yet)"))
        print(describe_exercise(context, exercise))
        if others:
            print(style.yellow(f"  Its tests also reach exercise {', '.join(others)}, which is "
                               "still a stub: finish that one too."))
        print("  Write it, save, and run ./check again (or leave ./check watch running).")
        return
    if outcome.state == "no_tests":
        print(style.red(f"{style.failed} Exercise {exercise.name()} has no tests.") +
              f" {outcome.message}")
        return
    if outcome.state in ("crashed", "timeout"):
        run = next(run for run in outcome.runs if run.problem)
        verb = "crashed" if outcome.state == "crashed" else "hangs"
        print(style.red(f"{style.failed} Exercise {exercise.name()} {verb}") +
              f": {run.how}" + (f"\n  while running {run.unfinished}" if run.unfinished else ""))
        print(describe_exercise(context, exercise, with_hint=False))
        why, how = crash_advice(run)
        print(indent(textwrap.wrap(why, 94), "  "))
        print(indent(how, "  "))
        print(hint_pointer(context, exercise), end="")
        return
    failing = outcome.failing
    print(style.red(f"{style.failed} Exercise {exercise.name()} is not right yet") +
          style.dim(f"  ({outcome.tests_passed} of {len(outcome.tests)} tests pass)"))
    print(describe_exercise(context, exercise, with_hint=False))
    shown_tests = [test for test in failing if not stubs_reached(test)][:1] or failing[:1]
    for test in shown_tests:
        for failure in test.failures[:3]:
            location, said = explain_failure(failure)
            print(f"  {style.red('Failed:')} {test.name}" +
                  (style.dim(f"  ({location})") if location else ""))
            print(indent(said, "    "))
        if len(test.failures) > 3:
            print(f"    … and {len(test.failures) - 3} more failed checks in this test")
    others = [test.name for test in failing if test not in shown_tests]
    if others:
        listed = ", ".join(others[:4]) + (", …" if len(others) > 4 else "")
        print(style.dim(f"  Also failing: {listed}"))
    late = [stub for stub in outcome.blocked_by if stub != exercise.id]
    if late:
        print(style.yellow(f"  Some of its tests reach exercise {', '.join(late)}, still a stub."))
    print(hint_pointer(context, exercise), end="")


def print_cause(context: Context, outcome: Outcome, cause: Cause) -> None:
    """An exercise fails, and an earlier op fails on its own: name the earlier one first."""
    style = context.style
    print()
    print(style.red(f"{style.failed} Exercise {outcome.exercise.name()} is not right yet") +
          f", but the mistake is probably earlier:")
    print(f"  exercise {cause.exercise.name()} passed its own tests, and yet fails a check of "
          "its op on its own:")
    print(indent(textwrap.wrap(unroot(cause.explanation), 92), "    "))
    print()
    print(describe_exercise(context, cause.exercise).rstrip())
    print(style.dim(f"  Fix {cause.exercise.id} first; {outcome.exercise.id} failed with: "
                    f"{unroot(outcome.message)}"))


def build_failure_outcomes(exercises: list[Exercise], message: str) -> list[Outcome]:
    return [Outcome(exercise, "build_error", [], [], message=message) for exercise in exercises]


def write_report(context: Context, outcomes: list[Outcome], build_message: str = "") -> None:
    if context.json_path is None:
        return
    by_state = {state: 0 for state in STATES}
    hints_seen = hint_levels_seen(context.exercises_dir)
    entries = []
    for outcome in outcomes:
        exercise = outcome.exercise
        by_state[outcome.state] += 1
        entries.append({
            "id": exercise.id,
            "title": exercise.title,
            "chapter": exercise.chapter,
            "file": stub_location(context.exercises_dir, exercise),
            "state": outcome.state,
            "score": outcome.score,
            "tests": outcome.total_tests,
            "tests_passed": outcome.tests_passed,
            "message": unroot(outcome.message),
            "explanation": unroot(outcome.explanation or outcome.message),
            "follows_from": outcome.follows_from,
            "hint_level": hints_seen.get(exercise.id, 0),
            "hints": len(exercise.hints),
            "failing_tests": [test.name for test in outcome.failing] +
                             [run.unfinished for run in outcome.runs if run.unfinished],
        })
    total = len(outcomes)
    score = round(sum(outcome.score for outcome in outcomes), 4)
    report = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "exercises_dir": shown(context.exercises_dir),
        "build": {"ok": not build_message, "message": build_message},
        "exercises": entries,
        "totals": {
            "exercises": total,
            "passed": by_state["passed"],
            "score": score,
            "max_score": total,
            "percent": round(100.0 * score / total, 1) if total else 0.0,
            "by_state": by_state,
        },
    }
    context.json_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(context.json_path, json.dumps(report, indent=2) + "\n")


def report_build_failure(context: Context, error: BuildFailed) -> int:
    exercises = exercises_or_none(context)
    headline, text = explain_build_failure(error, context.exercises_dir, context.style, exercises)
    print(text)
    write_report(context, build_failure_outcomes(exercises, headline), headline)
    if exercises:
        print(progress_bar(context.style, 0, len(exercises)).replace(" done", " done (it must "
              "compile before anything can be checked)"))
    return 1


def command_check(context: Context) -> int:
    style = context.style
    started = time.monotonic()
    try:
        exercises, runner = prepare(context)
    except BuildFailed as error:
        return report_build_failure(context, error)
    outcomes = []
    for exercise in exercises:
        outcome = runner.run(exercise)
        outcomes.append(outcome)
        if outcome.state != "passed":
            break
    done = sum(1 for outcome in outcomes if outcome.state == "passed")
    print_chapters(style, outcomes)
    if done < len(exercises):
        cause = blame(runner, outcomes[-1], exercises)
        if cause is not None:
            print_cause(context, outcomes[-1], cause)
        else:
            print_outcome_details(context, outcomes[-1])
    else:
        print("\n" + style.green(style.bold(f"{style.passed} Every exercise passes.")) +
              " You wrote an autograd engine. Now train something with it: ./check demo moons")
    print()
    print(progress_bar(style, done, len(exercises)) +
          style.dim(f"   ({time.monotonic() - started:.1f} s)"))
    if context.json_path:
        rest = runner.run_all(exercises[len(outcomes):])
        write_report(context, outcomes + rest)
    return 0 if done == len(exercises) else 1


def command_watch(context: Context) -> int:
    watched = context.exercises_dir

    def snapshot() -> dict[str, tuple[int, int]]:
        files = {}
        for path in watched.rglob("*"):
            name = path.name
            if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
                continue
            with contextlib.suppress(OSError):
                if path.is_file():
                    status = path.stat()
                    files[str(path)] = (status.st_mtime_ns, status.st_size)
        return files

    last = snapshot()
    while True:
        print("\033[2J\033[H", end="", flush=True)
        try:
            command_check(context)
        except UserError as error:
            print(context.style.red(str(error)))
        print(context.style.dim(f"\nWatching {shown(watched)}/ for changes. Save a file to check "
                                "again; Ctrl-C to stop."), flush=True)
        context.lock.release()
        while True:
            time.sleep(1.0)
            current = snapshot()
            if current != last:
                time.sleep(0.3)  # let the editor finish writing
                last = snapshot()
                break
        context.lock.acquire()


def command_list(context: Context, verbose: bool) -> int:
    style = context.style
    try:
        exercises, runner = prepare(context)
    except BuildFailed as error:
        return report_build_failure(context, error)
    outcomes = runner.run_all(exercises)
    attribute_failures(runner, outcomes)
    labels = {"passed": "done", "failed": "failing", "not_started": "not started",
              "crashed": "crashes", "timeout": "hangs", "no_tests": "no tests",
              "build_error": "build error"}
    title_width = max(len(exercise.title) for exercise in exercises) + 2
    chapter = None
    for outcome in outcomes:
        exercise = outcome.exercise
        if exercise.chapter != chapter:
            chapter = exercise.chapter
            print(style.bold(f"chapter {chapter}"))
        label = labels[outcome.state]
        print(f"  {style.state_mark(outcome.state)} {exercise.id:<5} "
              f"{exercise.title:<{title_width}} {label:<12} "
              f"{style.dim(stub_location(context.exercises_dir, exercise))}")
        if verbose and outcome.state not in ("passed", "not_started"):
            if outcome.follows_from:
                print(style.dim(f"          probably follows from exercise {outcome.follows_from}"
                                f" (fix that first): {unroot(outcome.message)}"))
            else:
                print(style.dim(f"          {unroot(outcome.message)}"))
    done = sum(1 for outcome in outcomes if outcome.state == "passed")
    print()
    print(progress_bar(style, done, len(exercises)))
    write_report(context, outcomes)
    return 0 if done == len(exercises) else 1


def command_hint(context: Context, identifier: str | None) -> int:
    if identifier is None:
        try:
            exercises, runner = prepare(context, progress=False)
        except BuildFailed as error:
            return report_build_failure(context, error)
        current = next((exercise for exercise in exercises
                        if runner.run(exercise).state != "passed"), None)
        if current is None:
            print("Every exercise passes: no hint needed.")
            return 0
    else:
        try:
            context.build.configure()
            context.build.build([TEST_TARGETS[0]])
        except BuildFailed as error:
            return report_build_failure(context, error)
        current = find_exercise(context.build.list_exercises(), identifier)
    print(describe_exercise(context, current, with_hint=False).rstrip())
    print()
    if not current.hints:
        print("  This exercise has no hints: the comment above it says it all.")
        return 0
    state = hint_levels_seen(context.exercises_dir)
    seen = state.get(current.id, 0)
    level = min(seen + 1, len(current.hints))
    for number, hint in enumerate(current.hints[:level], start=1):
        name = HINT_LEVELS[number - 1] if number <= len(HINT_LEVELS) else f"hint {number}"
        title = context.style.yellow(f"Hint {number} of {len(current.hints)}, {name}:")
        print(f"  {title}\n" + indent(hint.split("\n"), "    ") + "\n")
    if level < len(current.hints):
        print(context.style.dim(f"  Run ./check hint {current.id} again for the next one."))
    else:
        print(context.style.dim("  That is every hint. Still stuck? Read the failing test: it "
                                "says what it checks and why."))
    if level > seen:
        state[current.id] = level
        with contextlib.suppress(OSError):
            atomic_write_text(context.exercises_dir / HINT_STATE,
                              json.dumps(state, indent=2, sort_keys=True) + "\n")
    return 0


def atomic_write_text(path: Path, text: str) -> None:
    """Writes a file so that it is either the old one or the new one, never half of each."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def command_reset(context: Context, identifier: str | None) -> int:
    if identifier is None:
        raise UserError("which exercise? e.g. ./check reset 2.1")
    build = context.build
    try:
        build.configure()
        build.build([TEST_TARGETS[0]])
    except BuildFailed as error:
        return report_build_failure(context, error)
    exercise = find_exercise(build.list_exercises(), identifier)
    target = context.exercises_dir / exercise.source
    print(f"This puts the stub of exercise {exercise.name()} back in {shown(target)},")
    print("replacing what you wrote there. (A copy of the file is kept in the build folder.)")
    if not context.assume_yes:
        if not sys.stdin.isatty():
            raise UserError("not resetting without a yes: run it in a terminal, or pass --yes")
        if input("Reset it? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    backups = build.build_dir / "reset-backups"
    backups.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = backups / f"{exercise.source.replace('/', '_')}.{exercise.id}.{stamp}"
    if target.exists():
        shutil.copy2(target, backup)
    result = subprocess.run([str(build.make_exercises), "--solutions", str(SOLUTIONS_DIR),
                             "--exercises", str(context.exercises_dir), "--reset", exercise.id],
                            capture_output=True, text=True)
    if result.returncode != 0:
        with contextlib.suppress(FileNotFoundError):
            backup.unlink()
        print(context.style.red(unroot(result.stderr.strip())))
        return 1
    print(context.style.green(f"{context.style.passed} Restored.") +
          f" Start again at {stub_location(context.exercises_dir, exercise)}" +
          (f"\n  Your previous file: {shown(backup)}" if target.exists() else ""))
    return 0


# ---- the course walk-through -------------------------------------------------------------------

class CourseProblem(Exception):
    """The course itself is wrong (a test depends on a later exercise, a stub no test reaches)."""


def sync_tree(source: Path, destination: Path) -> None:
    """Makes destination a copy of source, rewriting only files that differ (keeps builds
    incremental)."""
    destination.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for path in source.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(source)
        wanted.add(relative)
        target = destination / relative
        if not target.exists() or target.read_bytes() != path.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for path in sorted(destination.rglob("*"), reverse=True):
        relative = path.relative_to(destination)
        if path.is_file() and relative not in wanted:
            path.unlink()


def command_demo(context: Context, name: str | None, arguments: list[str]) -> int:
    """Builds one example with the micrograd library made from the student's exercise files and
    runs it from the repository root, passing `arguments` on."""
    style = context.style
    if name not in DEMOS:
        listing = "\n".join(f"  {demo:<7} {what}" for demo, (_, what) in DEMOS.items())
        wrong = f"there is no demo '{name}'." if name else "which demo?"
        raise UserError(f"{wrong} ./check demo NAME builds and runs one of:\n{listing}\n"
                        "Arguments after -- go to the demo: ./check demo mnist -- --epochs 1")
    target, _ = DEMOS[name]
    build = context.build
    print(style.dim(f"Building the {name} example on your engine, {shown(context.exercises_dir)} "
                    "(the first build takes a few minutes)…"), flush=True)
    try:
        build.configure()
        build.build([target])
    except BuildFailed as error:
        print(explain_build_failure(error, context.exercises_dir, style)[1])
        return 1
    program = build.build_dir / "examples" / name / name
    if not program.exists():
        raise UserError(f"{shown(program)} was not built (a multi-config CMake generator puts "
                        "programs elsewhere; use the default generator for build/demos)")
    print(style.dim(f"Running {shown(program)} {' '.join(arguments)}".rstrip()), flush=True)
    # stderr passes through as it comes, and is kept to recognise a stub that was reached.
    process = subprocess.Popen([str(program), *arguments], cwd=REPO_ROOT, stderr=subprocess.PIPE,
                               text=True, errors="replace")
    assert process.stderr is not None
    errors = []
    for line in process.stderr:
        sys.stderr.write(line)
        sys.stderr.flush()
        errors.append(line)
    process.wait()
    if process.returncode == 0:
        return 0
    stub = NOT_IMPLEMENTED.search("".join(errors))
    if stub:
        print("\n" + style.yellow(f"The {name} example needs exercise {stub.group(1)} "
                                  f"\"{stub.group(2)}\", which is not written yet.") +
              " ./check shows what to write next.")
    elif process.returncode < 0:
        how = SIGNAL_NAMES.get(-process.returncode, f"signal {-process.returncode}")
        print("\n" + style.red(f"The {name} example stopped with {how}.") +
              " ./check runs the tests that find where.")
    else:
        print("\n" + style.red(f"The {name} example exited with status {process.returncode}."))
    return 1


def scratch_copy(build: Build, command: str) -> Path:
    """The scratch folder walk and mutants rewrite, refreshed from exercises/ (never exercises/
    itself: a student's work there would be overwritten)."""
    scratch = build.exercises_dir
    if Path(os.path.abspath(scratch)) == DEFAULT_EXERCISES_DIR:
        raise UserError(f"{command} rewrites the exercises it is given: pass --exercises-dir "
                        "SCRATCH")
    sync_tree(DEFAULT_EXERCISES_DIR, scratch)
    return scratch


def command_walk(context: Context, build: Build) -> int:
    """Fills the exercises in one at a time in a scratch copy and checks, after each one, that its
    tests pass, that every later exercise still fails, and that the next exercise's tests reach
    its stub. Exit status 1 if the course is broken anywhere."""
    style = context.style
    started = time.monotonic()
    scratch = scratch_copy(build, "walk")
    print(f"Walking the course in {shown(scratch)} (build: {shown(build.build_dir)})", flush=True)
    try:
        build.configure()
        build.build(TEST_TARGETS)
    except BuildFailed as error:
        print(explain_build_failure(error, scratch, style)[1])
        return 1
    exercises = build.list_exercises()
    runner = Runner(build, TestIndex.discover(build.test_programs()), context.timeout,
                    context.memory_gigabytes)
    problems: list[str] = []
    without_tests: set[str] = set()  # reported once, then left out
    early_suites: set[str] = set()   # suites passing before their exercise: reported once

    def problem(text: str) -> None:
        problems.append(text)
        print(style.red(f"  {style.failed} {text}"), flush=True)

    def first_failure(tests: list[TestResult]) -> str:
        for test in tests:
            if not test.passed:
                said = explain_failure(test.failures[0])[1] if test.failures else ["failed"]
                return f"{test.name}: {said[0]}"
        return ""

    def run_later(solved: str, later: list[Exercise]) -> dict[str, list[TestResult]]:
        try:
            return runner.run_together(later)
        except CourseProblem as error:
            problem(f"solved through {solved}: {error}")
            return {}

    def check_later(solved: str, later: list[Exercise], results: dict[str, list[TestResult]],
                    strict: bool = False) -> None:
        """After solving through `solved`: every later exercise's suites fail (with `strict`,
        every test, each at a stub), and the next exercise's tests reach its own stub."""
        for position, exercise in enumerate(later):
            tests = results.get(exercise.id, [])
            if not tests:
                if exercise.id not in without_tests:
                    without_tests.add(exercise.id)
                    problem(f"exercise {exercise.name()} has no tests (no suite "
                            f"{exercise.suite_prefix}*)")
                continue
            if strict:
                for test in tests:
                    if test.passed:
                        early_suites.add(test.name.split(".")[0])
                        problem(f"{test.name} passes with every exercise a stub")
                    elif not stubs_reached(test):
                        problem(f"{test.name} fails without reaching a stub: "
                                f"{first_failure([test])}")
            else:
                suites: dict[str, bool] = {}
                for test in tests:
                    suite = test.name.split(".")[0]
                    suites[suite] = suites.get(suite, True) and test.passed
                for suite, all_pass in suites.items():
                    if all_pass and suite not in early_suites:
                        early_suites.add(suite)
                        problem(f"{suite} passes with exercise {exercise.id} still a stub "
                                f"(solved through {solved}): its tests do not exercise "
                                f"{exercise.id}")
            if position == 0 and not any(exercise.id in stubs_reached(t) for t in tests):
                reached = sorted({stub for test in tests for stub in stubs_reached(test)})
                problem(f"no test of exercise {exercise.id} reaches its stub when it is next "
                        f"(solved through {solved}; they reach {', '.join(reached) or 'no stub'})")

    # 1. Every stub in place: every test of every exercise fails with NotImplemented, and the
    #    first exercise's tests reach its stub.
    step_started = time.monotonic()
    check_later("nothing", exercises, run_later("nothing", exercises), strict=True)
    print(f"[{0:>2}/{len(exercises)}] every stub in place: every test fails with NotImplemented "
          f"({time.monotonic() - step_started:.1f} s)", flush=True)

    # 2. One exercise at a time.
    for position, exercise in enumerate(exercises, start=1):
        step_started = time.monotonic()
        generate = subprocess.run(
            [str(build.make_exercises), "--solutions", str(SOLUTIONS_DIR), "--exercises",
             str(scratch), "--solved-through", exercise.id], capture_output=True, text=True)
        if generate.returncode != 0:
            problem(f"make_exercises --solved-through {exercise.id}: {generate.stderr.strip()}")
            continue
        try:
            build.build(TEST_TARGETS[1:])
        except BuildFailed as error:
            problem(f"solved through {exercise.id}, the build fails: "
                    f"{explain_build_failure(error, scratch, style, exercises)[0]}")
            break  # every later step would fail the same way
        built = time.monotonic() - step_started
        outcome = runner.run(exercise)
        if outcome.state != "passed" and exercise.id not in without_tests:
            detail = (first_failure(outcome.tests) if outcome.state in ("failed", "not_started")
                      else outcome.message)
            reason = ""
            if outcome.state == "not_started":
                later = [stub for stub in outcome.blocked_by if stub != exercise.id]
                reason = f" (its tests use exercise {', '.join(later)}, which comes later)"
            problem(f"exercise {exercise.name()} does not pass with exercises up to "
                    f"{exercise.id} solved{reason}: {unroot(detail)}")
        later = exercises[position:]
        check_later(exercise.id, later, run_later(exercise.id, later))
        print(f"[{position:>2}/{len(exercises)}] {exercise.id:<5} {exercise.title:<24} "
              f"{outcome.state:<11} build {built:4.1f} s, "
              f"total {time.monotonic() - step_started:4.1f} s",
              flush=True)

    elapsed = time.monotonic() - started
    if problems:
        print(style.red(f"\n{len(problems)} problem(s) in the course ({elapsed:.0f} s):"))
        for text in problems:
            print(f"  - {text}")
        return 1
    print(style.green(f"\nThe course walks: {len(exercises)} exercises, each passes with its "
                      f"solution and no earlier one needs a later one ({elapsed:.0f} s)."))
    return 0


def command_mutants(context: Context, build: Build, only: str | None) -> int:
    """Builds every wrong answer of the catalogue (solutions/*.course.md) in place of its exercise,
    with every other exercise solved, and requires that exercise's own tests to fail on it.
    Exit status 1 if a mutant survives its exercise, or the catalogue is broken."""
    style = context.style
    started = time.monotonic()
    scratch = scratch_copy(build, "mutants")
    try:
        build.configure()
        build.build([TEST_TARGETS[0]])
    except BuildFailed as error:
        print(explain_build_failure(error, scratch, style)[1])
        return 1
    exercises = build.list_exercises()
    if only is not None:
        find_exercise(exercises, only)
    generate = subprocess.run(
        [str(build.make_exercises), "--solutions", str(SOLUTIONS_DIR), "--exercises",
         str(scratch), "--solved-through", exercises[-1].id], capture_output=True, text=True)
    if generate.returncode != 0:
        raise UserError(f"make_exercises --solved-through: {generate.stderr.strip()}")
    try:
        notes = course_notes.load_notes(SOLUTIONS_DIR, [e.source for e in exercises])
    except course_notes.NotesError as error:
        print(style.red(f"{style.failed} {error}"))
        return 1
    problems: list[str] = []

    def problem(text: str) -> None:
        problems.append(text)
        print(style.red(f"  {style.failed} {text}"), flush=True)

    chosen = [exercise for exercise in exercises if only in (None, exercise.id)]
    for exercise in chosen:
        count = len(notes[exercise.id].mutants) if exercise.id in notes else 0
        if count < MUTANTS_PER_EXERCISE:
            problem(f"exercise {exercise.name()} has {count} mutant(s) in "
                    f"solutions/{exercise.source}{course_notes.NOTES_SUFFIX}; every exercise "
                    f"needs at least {MUTANTS_PER_EXERCISE}")
    try:
        build.build(TEST_TARGETS[1:])
    except BuildFailed as error:
        print(explain_build_failure(error, scratch, style, exercises)[1])
        return 1
    runner = Runner(build, TestIndex.discover(build.test_programs()), context.timeout,
                    context.memory_gigabytes)
    by_id = {exercise.id: exercise for exercise in exercises}
    rows: list[tuple[str, str, str, str]] = []  # mutant, exercise, caught where, message
    total = sum(len(notes[e.id].mutants) for e in chosen if e.id in notes)
    print(f"Building {total} wrong answers, each in place of its exercise "
          f"(in {shown(scratch)}):", flush=True)
    done = 0
    for source in sorted({exercise.source for exercise in chosen}):
        path = scratch / source
        solved = path.read_text()
        try:
            for exercise in [e for e in chosen if e.source == source]:
                for mutant in notes[exercise.id].mutants if exercise.id in notes else []:
                    done += 1
                    step_started = time.monotonic()
                    try:
                        path.write_text(course_notes.apply_mutant(solved, exercise.id, mutant))
                    except course_notes.MutantDoesNotApply as error:
                        problem(str(error))
                        continue
                    programs = sorted({program.name for program, _ in
                                       runner.index.suites.get(exercise.id, [])})
                    try:
                        build.build(programs or TEST_TARGETS[1:])
                    except BuildFailed as error:
                        problem(f"mutant {mutant.id} ({mutant.where}) does not compile: "
                                f"{explain_build_failure(error, scratch, style, exercises)[0]}")
                        continue
                    outcome = runner.run(exercise)
                    if outcome.state != "passed":
                        where = f"{exercise.id} (its own)"
                    else:
                        where = mutant_caught_later(build, runner, exercise, exercises)
                        problem(f"mutant {mutant.id} ({mutant.description}) passes exercise "
                                f"{exercise.id}'s tests; " + (f"only {where} catches it" if where
                                                              else "no exercise catches it"))
                        where = where or "nowhere"
                    message = (unroot(outcome.explanation or outcome.message)
                               if outcome.state != "passed" else "-")
                    rows.append((mutant.id, mutant.description, where, message))
                    print(f"  [{done:>3}/{total}] {mutant.id:<32} caught at {where:<16} "
                          f"({time.monotonic() - step_started:4.1f} s)", flush=True)
        finally:
            path.write_text(solved)

    print("\nmutant | what the student wrote | caught at | message shown")
    print("---|---|---|---")
    for mutant_id, description, where, message in rows:
        print(f"{mutant_id} | {description} | {where} | {message[:300]}")
    caught = sum(1 for row in rows if row[2].endswith("(its own)"))
    elapsed = time.monotonic() - started
    summary = (f"{len(rows)} mutants, {caught} caught at their own exercise "
               f"({len(chosen)} exercises, {elapsed:.0f} s)")
    if problems:
        print(style.red(f"\n{summary}; {len(problems)} problem(s):"))
        for text in problems:
            print(f"  - {text}")
        return 1
    print(style.green(f"\n{summary}."))
    return 0


def mutant_caught_later(build: Build, runner: Runner, exercise: Exercise,
                        exercises: list[Exercise]) -> str:
    """The later exercises whose tests fail on a mutant that passed its own exercise."""
    build.build(TEST_TARGETS[1:])
    later = [other for other in exercises if other.key > exercise.key]
    try:
        results = runner.run_together(later)
    except CourseProblem as error:
        return f"a crash ({error})"
    failing = [identifier for identifier, tests in results.items()
               if any(not test.passed for test in tests)]
    return ", ".join(failing)


# ---- main --------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="./check", description="Build and check your micrograd.cpp exercises.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent("""\
            commands:
              check        build, run in chapter order, stop at the first exercise not passing
              watch        check again whenever a file under exercises/ changes
              list         every exercise and its state
              hint [ID]    the hint of exercise ID (default: the one you are on)
              verify       check everything; exit status 1 unless every exercise passes
              reset ID     put the stub of exercise ID back (asks first)
              demo NAME    build an example on your engine and run it: moons, mnist, graph or
                           readme; arguments after -- go to it (./check demo mnist -- --epochs 1)
              walk         (maintainers) walk the course as a student would, in a scratch copy
              mutants [ID] (maintainers) build each wrong answer of the catalogue in place of
                           its exercise and check that the exercise's own tests fail on it
            """))
    parser.add_argument("command", nargs="?", default="check",
                        choices=["check", "watch", "list", "hint", "verify", "reset", "demo",
                                 "walk", "mutants"])
    parser.add_argument("id", nargs="?",
                        help="an exercise id like 2.1 (hint, reset), or a demo's name (demo)")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="write a report for graders (check, verify, list)")
    parser.add_argument("--build-dir", type=Path, metavar="DIR", help="build tree to use "
                        "(default: build/exercises; walk: build/course-walk/build; demo: "
                        "build/demos)")
    parser.add_argument("--exercises-dir", type=Path, default=DEFAULT_EXERCISES_DIR,
                        metavar="DIR", help="the exercise files to check (default: exercises/); "
                        "for walk, the scratch copy to walk in (default: "
                        "build/course-walk/exercises)")
    parser.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                        help="seconds one exercise's tests may take (default: 20)")
    parser.add_argument("--memory-limit", type=float, default=4.0, metavar="GB",
                        help="address space per test program (default: 4; 0: no limit)")
    parser.add_argument("--build-type", metavar="TYPE",
                        help="CMAKE_BUILD_TYPE (default: Debug; walk and demo: Release)")
    parser.add_argument("--cmake-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for the CMake configure step, written "
                        "--cmake-arg=-DNAME=VALUE (repeatable)")
    parser.add_argument("--yes", "-y", action="store_true", help="reset without asking")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list: show why each exercise fails")
    parser.add_argument("--no-color", action="store_true", help="plain output")
    demo_arguments = []
    if "--" in argv:  # what follows is for the demo
        demo_arguments = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    options = parser.parse_args(argv)
    if demo_arguments and options.command != "demo":
        raise UserError("arguments after -- are for ./check demo only")

    sys.stdout.reconfigure(errors="replace")  # a ✔ on a terminal that cannot show it is a ?
    interactive = sys.stdout.isatty()
    color = interactive and not options.no_color and "NO_COLOR" not in os.environ \
        and os.environ.get("TERM") != "dumb"
    style = Style(color)
    walking = options.command in ("walk", "mutants")
    demo = options.command == "demo"
    exercises_dir = Path(os.path.abspath(options.exercises_dir))
    if walking and exercises_dir == DEFAULT_EXERCISES_DIR:
        exercises_dir = DEFAULT_WALK_DIR / "exercises"
    build_dir = options.build_dir or (DEFAULT_WALK_DIR / "build" if walking else
                                      DEFAULT_DEMO_DIR if demo else DEFAULT_BUILD_DIR)
    build = (DemoBuild if demo else Build)(
        Path(os.path.abspath(build_dir)), exercises_dir,
        options.build_type or ("Release" if walking or demo else "Debug"), options.cmake_arg,
        show_progress=interactive)
    context = Context(style, build, exercises_dir, options.timeout, options.memory_limit,
                      options.json, options.yes, BuildLock(build.build_dir, style))
    if not walking and not exercises_dir.is_dir():
        raise UserError(f"{shown(exercises_dir)} is not a folder of exercises")
    if options.id is not None and not demo and not re.fullmatch(r"\d+\.\d+", options.id):
        raise UserError(f"an exercise id looks like 2.1, not '{options.id}'")

    context.lock.acquire()
    command = options.command
    if command == "check":
        return command_check(context)
    if command == "watch":
        return command_watch(context)
    if command == "list":
        return command_list(context, options.verbose)
    if command == "verify":
        return command_list(context, verbose=True)
    if command == "hint":
        return command_hint(context, options.id)
    if command == "reset":
        return command_reset(context, options.id)
    if command == "demo":
        return command_demo(context, options.id, demo_arguments)
    if command == "mutants":
        return command_mutants(context, build, options.id)
    return command_walk(context, build)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UserError as error:
        print(f"check: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\nStopped.")
        sys.exit(130 if "watch" not in sys.argv[1:] else 0)
