"""The student's side of the exercise markers (exercise_files.py has the format and the solution
side): where each exercise sits in a file of exercises/, read forgivingly (find_regions never
raises: a student deletes lines), what is wrong with its markers and how to fix them, the file
with some exercises stubbed (to grade the rest), and a stub put back (./check reset)."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path

from .exercise_files import (GeneratorError, RegionError, begin_marker, end_marker,
                             parse_exercise_id, read_solutions, read_text, render_exercise,
                             split_lines, stub_lines, write_if_changed)
from .files import atomic_write_text

# Matched against a line without its surrounding whitespace.
STUDENT_EXERCISE = re.compile(r'// EXERCISE (\d+\.\d+) "', re.ASCII)
STUDENT_MARKER = re.compile(r"// (BEGIN|END) EXERCISE (\d+\.\d+)\b", re.ASCII)


@dataclasses.dataclass
class StudentRegion:
    """Where an exercise sits in the student's file, found by its markers (1-based lines).

    Without BEGIN, `code` is `first`; without END, `last` is `code`: a caller pointing at the
    region still gets a sensible line. Check has_begin/has_end (or `intact`) before trusting the
    code to lie between code and last."""
    id: str
    first: int       # the `// EXERCISE ID "` comment; without one, the BEGIN (else END) marker
    code: int        # the line after `// BEGIN EXERCISE ID`: the stub, or the student's code
    last: int        # the `// END EXERCISE ID` line
    has_begin: bool
    has_end: bool

    @property
    def intact(self) -> bool:
        return self.has_begin and self.has_end

    @property
    def begin(self) -> int | None:
        """The `// BEGIN EXERCISE ID` line, if there is one."""
        return self.code - 1 if self.has_begin else None


def find_regions(text: str) -> dict[str, StudentRegion]:
    """The exercise regions of one file of exercises/, by id. Never raises: a region is listed
    when any of its EXERCISE comment, BEGIN or END marker is there. With several of a kind, the
    first EXERCISE comment and BEGIN count, and the first END below that BEGIN."""
    exercise_lines: dict[str, int] = {}
    begins: dict[str, int] = {}
    ends: dict[str, list[int]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        match = STUDENT_EXERCISE.match(stripped)
        if match:
            exercise_lines.setdefault(match.group(1), number)
            continue
        match = STUDENT_MARKER.match(stripped)
        if match:
            kind, identifier = match.groups()
            if kind == "BEGIN":
                begins.setdefault(identifier, number)
            else:
                ends.setdefault(identifier, []).append(number)
    regions = {}
    for identifier in sorted(set(exercise_lines) | set(begins) | set(ends),
                             key=lambda identifier: parse_exercise_id(identifier) or (0, 0)):
        begin = begins.get(identifier)
        end = next((number for number in ends.get(identifier, [])
                    if begin is None or number > begin), None)
        first = exercise_lines.get(identifier, begin if begin is not None else end)
        assert first is not None
        code = begin + 1 if begin is not None else first
        regions[identifier] = StudentRegion(identifier, first, code,
                                            end if end is not None else code,
                                            begin is not None, end is not None)
    return regions


def find_regions_in(path: Path) -> dict[str, StudentRegion]:
    """find_regions of a file; {} when it cannot be read."""
    try:
        return find_regions(read_text(path))
    except OSError:
        return {}


def marker_problem(exercise_id: str, region: StudentRegion | None) -> str | None:
    """What is wrong with the markers of an exercise in the student's file, in words; None when
    both are there."""
    begin, end = begin_marker(exercise_id), end_marker(exercise_id)
    if region is None:
        return (f"the lines '{begin}' and '{end}' are both gone, and so is the comment "
                f"'// EXERCISE {exercise_id} ...' above them")
    if not region.has_begin and not region.has_end:
        return (f"the lines '{begin}' and '{end}' are both gone (the EXERCISE {exercise_id} "
                f"comment is at line {region.first})")
    if not region.has_begin:
        return f"the line '{begin}' is gone (its '{end}' is at line {region.last})"
    if not region.has_end:
        return f"the line '{end}' is gone: there is none below '{begin}' (line {region.begin})"
    return None


def marker_fix(exercise_id: str, region: StudentRegion | None) -> str:
    """How to repair what marker_problem says, for the student."""
    begin, end = begin_marker(exercise_id), end_marker(exercise_id)
    code = f"your code for exercise {exercise_id}"
    if region is not None and region.has_end:
        return f"put '{begin}' back, on a line of its own, just above {code}"
    if region is not None and region.has_begin:
        return f"put '{end}' back, on a line of its own, just below {code}"
    return f"put '{begin}' just above and '{end}' just below {code}, each on a line of its own"


def with_stubs(student_text: str, stubs: Mapping[str, str]) -> str:
    """The student's file with the code of some exercises replaced by a stub, every line keeping
    its number: the checker grades the rest of a file this way when one exercise does not
    compile or hangs, and compiler messages and test output still point at the student's lines.

    `stubs` maps exercise ids to the statement that stands for their code (ExerciseInfo.stub).
    The stub takes the first line between the markers, indented like the BEGIN marker, and the
    other lines of the region become empty. A region with no line between its markers gets the
    stub at the start of its END marker's line.

    Raises RegionError (naming the exercise and the marker) when a region's markers are broken,
    missing, or enclose another exercise's markers: such code cannot be told from the rest."""
    lines = student_text.split("\n")
    regions = find_regions(student_text)
    for identifier, statement in stubs.items():
        region = regions.get(identifier)
        problem = marker_problem(identifier, region)
        if problem is not None:
            raise RegionError(f"exercise {identifier}: {problem}")
        assert region is not None and region.begin is not None
        body = range(region.code, region.last)  # 1-based lines between the markers
        for number in body:
            found = STUDENT_MARKER.match(lines[number - 1].strip())
            if found:
                raise RegionError(f"exercise {identifier}: its region (lines {region.begin}-"
                                  f"{region.last}) holds the marker '{found.group(0)}' at line "
                                  f"{number}")
        opening = lines[region.begin - 1]
        indent = opening[:len(opening) - len(opening.lstrip())]
        if len(body) == 0:
            closing = lines[region.last - 1]
            lines[region.last - 1] = f"{indent}{statement}  {closing.lstrip()}"
            continue
        lines[region.code - 1] = indent + statement
        for number in body[1:]:
            lines[number - 1] = ""
    return "\n".join(lines)


def reset_exercise(solutions_dir: Path | str, exercises_dir: Path | str,
                   exercise_id: str) -> str:
    """Puts the stub of one exercise back between its markers in the student's file, keeping the
    rest of the file; when the file is gone, writes it again whole (every exercise a stub).
    Returns what was done, in a sentence; raises GeneratorError (RegionError when the markers
    are broken) with what is wrong and how to fix it."""
    files = read_solutions(solutions_dir)
    found = [(file, region) for file in files for region in file.regions
             if region.info.id == exercise_id]
    if not found:
        raise GeneratorError(f"no exercise {exercise_id}; run ./check list to see them")
    [(solution, region)] = found
    target = Path(exercises_dir) / solution.source
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, render_exercise(solution))
        ids = sorted((other.info for other in solution.regions), key=lambda info: info.key)
        names = ", ".join(info.id for info in ids)
        stubs = f"stubs of exercises {names}" if len(ids) > 1 else f"stub of exercise {names}"
        return f"{target} was missing: wrote it again with the {stubs}"
    try:
        text = read_text(target)
    except OSError:
        raise GeneratorError("cannot open for reading", str(target)) from None
    student = find_regions(text).get(exercise_id)
    problem = marker_problem(exercise_id, student)
    if problem is not None:
        raise RegionError(f"{problem}, so the stub cannot be put back in place: "
                          f"{marker_fix(exercise_id, student)}, then reset again (or copy the "
                          "whole file from a fresh checkout)",
                          f"{target}:{student.first}" if student else str(target))
    assert student is not None and student.begin is not None
    lines = split_lines(text)
    lines[student.begin - 1:student.last] = stub_lines(region)
    write_if_changed(target, "".join(line + "\n" for line in lines))
    return f"restored the stub of exercise {exercise_id} in {target}"
