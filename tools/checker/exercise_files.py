"""The exercise markers: how a solution file fences the code a student writes, and how the
student's copy marks where that code goes. Every file of solutions/ holds regions like

    Value operator*(const Value& a, const Value& b) {
      // EXERCISE 2.2 "multiply": forward value and local derivatives.
      //   d(a*b)/da = b and d(a*b)/db = a.
      // BEGIN SOLUTION
      ...the reference code...
      // END SOLUTION
    }

and its twin in exercises/ (generated, then the student's) has, in each region's place,

      // EXERCISE 2.2 "multiply": forward value and local derivatives.
      //   d(a*b)/da = b and d(a*b)/db = a.
      // BEGIN EXERCISE 2.2 -- your code, from here to the END line
      throw NotImplemented("2.2", "multiply", __FILE__, __LINE__);
      // END EXERCISE 2.2

The EXERCISE line names the exercise (chapter.number), its title in quotes and, after a colon,
the task; the comment lines under it continue the task. A solution file breaks the format (a
GeneratorError naming file and line) when an EXERCISE line is not followed by comment lines and
then BEGIN SOLUTION, a BEGIN SOLUTION is nested or never closed, an END SOLUTION closes nothing,
an id is not like 2.3 or is used twice in solutions/, or a line holds `TODO` or `NotImplemented(`
(a stub left in the reference). Files named *.course.md (the course notes) are not exercises.

The student's side (finding the regions in a student's file, forgivingly, since a student deletes
lines; stubbing one; putting a stub back) is student_files.py.

These two are the only parser of the markers: tools/make_exercises.py (writes exercises/ from
solutions/, --check, --list, --reset) and the checker (./check) use them.
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from .course_notes import NOTES_SUFFIX
from .files import atomic_write_text

HEADER = ("// Generated from solutions/{source} by make_exercises.\n"
          "// Students: write your code here. Instructors: edit the solution file instead.\n")

# The solution side. re.ASCII: \s and \d mean what they meant to the C++ generator's std::regex
# (this module replaced it byte for byte); [^\r\n] because its `.` did not match a carriage return.
EXERCISE_LINE = re.compile(r'(\s*)// EXERCISE (\S+) "([^"]+)"([^\r\n]*)', re.ASCII)
BEGIN_SOLUTION = re.compile(r"\s*// BEGIN SOLUTION\s*", re.ASCII)
END_SOLUTION = re.compile(r"\s*// END SOLUTION\s*", re.ASCII)
COMMENT = re.compile(r"\s*//", re.ASCII)
EXERCISE_ID = re.compile(r"(\d+)\.(\d+)", re.ASCII)
DESCRIPTION_TRIM = re.compile(r"^\s*:?\s*|\s+$", re.ASCII)
COMMENT_OPENING = re.compile(r"^\s*//\s?", re.ASCII)
FORBIDDEN_IN_SOLUTIONS = ("NotImplemented(", "TODO")


class GeneratorError(Exception):
    """A solution file that breaks the format, or an exercise file that cannot be fixed up.

    `where` is "path:line" or "path" when the problem has a place; str() then reads like a
    compiler's diagnostic ("solutions/case.cpp:4: error: ..."), which editors can open."""

    def __init__(self, message: str, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: error: {message}" if where else message)


class RegionError(GeneratorError):
    """The markers of an exercise in a student's file are broken: its code cannot be found."""


# ---- the solution side -------------------------------------------------------------------------

@dataclasses.dataclass
class ExerciseInfo:
    """One exercise, as `make_exercises --list` shows it."""
    id: str            # "2.1"
    chapter: int       # 2
    number: int        # 1
    title: str         # "add backward"
    source: str        # "engine/ops.cpp", relative to solutions/ and exercises/
    line: int          # the line of the EXERCISE comment in the solution file
    comments: list[str]  # the comment lines under it, without their `// `: the task, continued
    description: str   # the EXERCISE line after the title and its colon: the task

    @property
    def key(self) -> tuple[int, int]:
        return (self.chapter, self.number)

    @property
    def stub(self) -> str:
        """The statement that stands for the student's code until they write it."""
        return stub_statement(self.id, self.title)


@dataclasses.dataclass
class SolutionRegion:
    info: ExerciseInfo
    indent: str            # the EXERCISE line's, given to the stub lines
    begin: int             # the BEGIN SOLUTION line (1-based)
    end: int               # the END SOLUTION line
    solution: list[str]    # the lines between them


@dataclasses.dataclass
class SolutionFile:
    source: str            # "engine/ops.cpp"
    lines: list[str]
    regions: list[SolutionRegion]


def parse_exercise_id(text: str) -> tuple[int, int] | None:
    """(2, 3) for "2.3"; None for anything else."""
    match = EXERCISE_ID.fullmatch(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def id_text(key: tuple[int, int]) -> str:
    return f"{key[0]}.{key[1]}"


def split_lines(text: str) -> list[str]:
    """The lines of a file as the compiler counts them: split at "\\n" only (a "\\r" stays in its
    line), a last line without "\\n" still a line, and no empty line after a final "\\n"."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def read_text(path: Path) -> str:
    """A file's text exactly: no newline translation, and bytes that are not UTF-8 kept as they
    are (written back unchanged by atomic_write_text)."""
    return path.read_bytes().decode("utf-8", "surrogateescape")


def parse_solution(text: str, source: str, shown: str,
                   seen: dict[tuple[int, int], str] | None = None) -> SolutionFile:
    """Parses one solution file. `shown` names it in messages ("solutions/engine/ops.cpp");
    `seen` (id -> "file:line" of its EXERCISE line) carries the ids of the files read before, so
    that an id used twice in solutions/ is caught. Raises GeneratorError."""
    seen = {} if seen is None else seen
    lines = split_lines(text)
    regions: list[SolutionRegion] = []
    pending: SolutionRegion | None = None  # EXERCISE seen, BEGIN SOLUTION not yet
    inside: SolutionRegion | None = None   # between BEGIN SOLUTION and END SOLUTION

    def fail(number: int, message: str) -> None:
        raise GeneratorError(message, f"{shown}:{number}")

    for number, line in enumerate(lines, start=1):
        if any(word in line for word in FORBIDDEN_IN_SOLUTIONS):
            fail(number,
                 "a solution file must not contain a stub or a TODO; write the solution here")
        exercise = EXERCISE_LINE.fullmatch(line)
        if exercise:
            if inside:
                fail(number, "EXERCISE inside an unfinished BEGIN SOLUTION region")
            if pending:
                fail(pending.info.line,
                     f"EXERCISE {pending.info.id} has no BEGIN SOLUTION after it")
            indent, written_id, title, rest = exercise.groups()
            key = parse_exercise_id(written_id)
            if key is None:
                fail(number, f"exercise id must look like 2.3, got '{written_id}'")
            assert key is not None
            if key in seen:
                fail(number, f"duplicate exercise id {id_text(key)} (first at {seen[key]})")
            seen[key] = f"{shown}:{number}"
            info = ExerciseInfo(id_text(key), key[0], key[1], title, source, number, [],
                                DESCRIPTION_TRIM.sub("", rest))
            pending = SolutionRegion(info, indent, 0, 0, [])
        elif BEGIN_SOLUTION.fullmatch(line):
            if inside:
                fail(number, f"nested BEGIN SOLUTION (the region opened at line {inside.begin} "
                             "is not closed)")
            if not pending:
                fail(number, "BEGIN SOLUTION without an EXERCISE line before it")
            assert pending is not None
            inside, pending = pending, None
            inside.begin = number
            regions.append(inside)
        elif END_SOLUTION.fullmatch(line):
            if not inside:
                fail(number, "END SOLUTION without a BEGIN SOLUTION")
            assert inside is not None
            inside.end = number
            inside = None
        elif inside:
            inside.solution.append(line)
        elif pending and COMMENT.match(line):
            pending.info.comments.append(COMMENT_OPENING.sub("", line, count=1))
        elif pending:
            fail(pending.info.line, f"EXERCISE {pending.info.id} must be followed by comment "
                                    "lines and then BEGIN SOLUTION")
    if inside:
        fail(inside.begin, "BEGIN SOLUTION is never closed by END SOLUTION")
    if pending:
        fail(pending.info.line, f"EXERCISE {pending.info.id} has no BEGIN SOLUTION after it")
    return SolutionFile(source, lines, regions)


def solution_paths(solutions_dir: Path) -> list[Path]:
    """Every solution file (course notes aside), in a fixed order whatever the file system's:
    sorted by path components, as the C++ generator did."""
    if not solutions_dir.is_dir():
        raise GeneratorError("no such folder", str(solutions_dir))
    found = []
    for folder, _, names in os.walk(solutions_dir):
        for name in names:
            path = Path(folder) / name
            # The course notes (hints and wrong answers, read by the checker) stay with the
            # solutions.
            if path.is_file() and not name.endswith(NOTES_SUFFIX):
                found.append(path)
    return sorted(found, key=lambda path: path.relative_to(solutions_dir).parts)


def read_solutions(solutions_dir: Path | str) -> list[SolutionFile]:
    """Parses every solution file under solutions_dir. Raises GeneratorError."""
    solutions_dir = Path(solutions_dir)
    # Messages name a file by the folder's own name ("solutions/engine/ops.cpp"): short, and
    # the same wherever the repository is.
    folder_name = Path(os.path.abspath(solutions_dir)).name
    seen: dict[tuple[int, int], str] = {}
    files = []
    for path in solution_paths(solutions_dir):
        source = path.relative_to(solutions_dir).as_posix()
        try:
            text = read_text(path)
        except OSError:
            raise GeneratorError("cannot open for reading", str(path)) from None
        files.append(parse_solution(text, source, f"{folder_name}/{source}", seen))
    return files


def list_exercises(solutions_dir: Path | str) -> list[ExerciseInfo]:
    """Every exercise of the course, by chapter and number. Raises GeneratorError."""
    infos = [region.info for file in read_solutions(solutions_dir) for region in file.regions]
    return sorted(infos, key=lambda info: info.key)


# ---- the exercise files ------------------------------------------------------------------------

def stub_statement(exercise_id: str, title: str) -> str:
    """throw NotImplemented("2.1", "add backward", __FILE__, __LINE__);"""
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'throw NotImplemented("{exercise_id}", "{escaped}", __FILE__, __LINE__);'


def begin_marker(exercise_id: str) -> str:
    return f"// BEGIN EXERCISE {exercise_id}"


def end_marker(exercise_id: str) -> str:
    return f"// END EXERCISE {exercise_id}"


def stub_lines(region: SolutionRegion) -> list[str]:
    """What a region becomes in exercises/: the markers around the stub."""
    info, indent = region.info, region.indent
    return [f"{indent}{begin_marker(info.id)} -- your code, from here to the END line",
            f"{indent}{info.stub}",
            f"{indent}{end_marker(info.id)}"]


def solved_key(solved_through: str | None) -> tuple[int, int] | None:
    if solved_through is None:
        return None
    key = parse_exercise_id(solved_through)
    if key is None:
        raise GeneratorError(f"exercise id must look like 2.3, got '{solved_through}'")
    return key


def render_exercise(solution: SolutionFile, solved_through: str | None = None) -> str:
    """The exercises/ twin of one solution file: each region a stub, except the regions up to
    and including exercise `solved_through` (the course walk), which keep their solution."""
    through = solved_key(solved_through)
    opened_at = {region.begin: region for region in solution.regions}
    replaced = {number for region in solution.regions
                for number in range(region.begin, region.end + 1)}
    out = [HEADER.format(source=solution.source)]
    for number, line in enumerate(solution.lines, start=1):
        region = opened_at.get(number)
        if region is not None:
            solved = through is not None and region.info.key <= through
            out.extend(text + "\n" for text in (region.solution if solved else stub_lines(region)))
        elif number not in replaced:
            out.append(line + "\n")
    return "".join(out)


def write_if_changed(path: Path, text: str) -> bool:
    """Writes only when the text changed, so an incremental build recompiles only what changed."""
    try:
        if read_text(path) == text:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    return True


def generate(solutions_dir: Path | str, exercises_dir: Path | str,
             solved_through: str | None = None) -> list[Path]:
    """Writes exercises/ from solutions/; returns the files it wrote (those whose text changed).
    Every solution file is parsed before anything is written. Raises GeneratorError."""
    exercises_dir = Path(exercises_dir)
    texts = [(exercises_dir / file.source, render_exercise(file, solved_through))
             for file in read_solutions(solutions_dir)]
    return [target for target, text in texts if write_if_changed(target, text)]


def is_ignored_in_exercises(relative: Path) -> bool:
    """Files of exercises/ that have no solution file: the guides (*.md) and the checker's
    state (dotfiles, and anything in a dot-folder)."""
    return relative.suffix == ".md" or any(part.startswith(".") for part in relative.parts)


def check_up_to_date(solutions_dir: Path | str, exercises_dir: Path | str,
                     solved_through: str | None = None) -> list[str]:
    """What differs between exercises/ and what solutions/ generates, one message each; an empty
    list when exercises/ is current. Raises GeneratorError on a broken solution file."""
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    problems = []
    for file in read_solutions(solutions_dir):
        target = exercises_dir / file.source
        try:
            current = read_text(target) == render_exercise(file, solved_through)
        except OSError:
            current = False
        if not current:
            problems.append(f"{target}: out of date with solutions/{file.source}")
    extra = []
    for folder, _, names in os.walk(exercises_dir):
        for name in names:
            path = Path(folder) / name
            relative = path.relative_to(exercises_dir)
            if (path.is_file() and not is_ignored_in_exercises(relative)
                    and not (solutions_dir / relative).exists()):
                extra.append(relative)
    for relative in sorted(extra, key=lambda relative: relative.parts):
        problems.append(f"{exercises_dir / relative}: has no solution file "
                        f"solutions/{relative.as_posix()}")
    return problems
