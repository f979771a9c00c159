"""The course notes that sit beside each solution file: solutions/<path>.course.md holds, for
every exercise of solutions/<path>, its hints in stages and its catalogue of wrong answers.

    ## 2.5 power backward

    ### Hint 1
    The idea, in words.
    ### Hint 2
    The approach.
    ### Hint 3
    The shape of the code.

    ### Mutant no-chain-rule: forgets to multiply by out.grad
    ```diff
    -  a.grad += local_derivative * out.grad;
    +  a.grad += local_derivative;
    ```

A file's notes may also say, under `## When it hangs`, what usually makes code of that file never
end (the checker shows it when a test of one of its exercises does not finish).

A mutant is a wrong answer a student really writes. Its diff is applied to the exercise's solved
code (lines compared without their indentation; ` ` lines are context, `@@` starts another hunk),
and `./check mutants` requires the exercise's own tests to fail on it.

This is the only parser of the notes: hints for `./check hint`, mutants for `./check mutants`.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

NOTES_SUFFIX = ".course.md"


class NotesError(Exception):
    """A course notes file that does not follow the format above."""


@dataclasses.dataclass
class Hunk:
    before: list[str]  # context and removed lines, in order, without their indentation
    after: list[str]   # context and added lines, in order, as written (indentation kept)


@dataclasses.dataclass
class Mutant:
    exercise: str     # "2.5"
    name: str         # "no-chain-rule"
    description: str  # "forgets to multiply by out.grad"
    hunks: list[Hunk]
    where: str        # "solutions/engine/ops.cpp.course.md:41", for messages

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.name}"


@dataclasses.dataclass
class ExerciseNotes:
    exercise: str
    title: str
    hints: list[str] = dataclasses.field(default_factory=list)  # level 1, 2, 3, ...
    mutants: list[Mutant] = dataclasses.field(default_factory=list)


EXERCISE_HEADING = re.compile(r"^## (\d+\.\d+) (.+)$")
HINT_HEADING = re.compile(r"^### Hint (\d+)\s*$")
MUTANT_HEADING = re.compile(r"^### Mutant ([a-z0-9][a-z0-9-]*): (.+)$")
HANG_HEADING = "## When it hangs"


def parse_notes(text: str, where: str) -> dict[str, ExerciseNotes]:
    """The notes of one file, by exercise id. Raises NotesError on anything malformed."""
    notes: dict[str, ExerciseNotes] = {}
    current: ExerciseNotes | None = None
    hint_lines: list[str] | None = None
    mutant: Mutant | None = None
    in_diff = False
    diff_started = 0

    def fail(number: int, message: str) -> None:
        raise NotesError(f"{where}:{number}: {message}")

    def finish_hint() -> None:
        nonlocal hint_lines
        if current is not None and hint_lines is not None:
            current.hints.append("\n".join(hint_lines).strip())
        hint_lines = None

    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if in_diff:
            if line.strip() == "```":
                in_diff = False
                assert mutant is not None
                if not any(hunk.before for hunk in mutant.hunks):
                    fail(diff_started, f"mutant {mutant.id} changes nothing (no '-' lines)")
                continue
            assert mutant is not None
            if line.startswith("@@"):
                mutant.hunks.append(Hunk([], []))
                continue
            hunk = mutant.hunks[-1]
            kind, body = line[:1], line[1:]
            if kind == "-":
                hunk.before.append(body.strip())
            elif kind == "+":
                hunk.after.append(body)
            elif kind == " " or line == "":
                hunk.before.append(body.strip())
                hunk.after.append(body)
            else:
                fail(number, "a diff line starts with '-', '+', ' ' or '@@'")
            continue
        if line.strip() == HANG_HEADING:
            finish_hint()
            current, mutant = None, None  # a section of the file, not of an exercise
            continue
        heading = EXERCISE_HEADING.match(line)
        if heading:
            finish_hint()
            mutant = None
            identifier, title = heading.groups()
            if identifier in notes:
                fail(number, f"exercise {identifier} has two sections")
            current = notes[identifier] = ExerciseNotes(identifier, title.strip())
            continue
        if line.startswith("### "):
            finish_hint()
            mutant = None
            if current is None:
                fail(number, "a hint or mutant before the first '## ID title' heading")
            assert current is not None
            hint = HINT_HEADING.match(line)
            found = MUTANT_HEADING.match(line)
            if hint:
                if int(hint.group(1)) != len(current.hints) + 1:
                    fail(number, f"hints of {current.exercise} are numbered 1, 2, 3, ... in order")
                hint_lines = []
            elif found:
                name, description = found.groups()
                if any(other.name == name for other in current.mutants):
                    fail(number, f"two mutants of {current.exercise} are named {name}")
                mutant = Mutant(current.exercise, name, description.strip(), [],
                                f"{where}:{number}")
                current.mutants.append(mutant)
            else:
                fail(number, "expected '### Hint N' or '### Mutant name: description'")
            continue
        if line.strip() == "```diff":
            if mutant is None or mutant.hunks:
                fail(number, "a ```diff block belongs right under its '### Mutant' heading")
            assert mutant is not None
            mutant.hunks.append(Hunk([], []))
            in_diff, diff_started = True, number
            continue
        if hint_lines is not None:
            hint_lines.append(line)
    if in_diff:
        fail(diff_started, "this ```diff block is not closed")
    finish_hint()
    for exercise in notes.values():
        for found in exercise.mutants:
            if not found.hunks:
                fail(int(found.where.rsplit(":", 1)[1]), f"mutant {found.id} has no ```diff block")
    return notes


def notes_path(solutions_dir: Path, source: str) -> Path:
    """solutions/engine/ops.cpp -> solutions/engine/ops.cpp.course.md"""
    return solutions_dir / (source + NOTES_SUFFIX)


def load_notes(solutions_dir: Path, sources: list[str]) -> dict[str, ExerciseNotes]:
    """The notes of every exercise in the given solution files (relative paths)."""
    notes: dict[str, ExerciseNotes] = {}
    for source in sorted(set(sources)):
        path = notes_path(solutions_dir, source)
        if not path.exists():
            continue
        shown = f"solutions/{source}{NOTES_SUFFIX}"
        notes.update(parse_notes(path.read_text(), shown))
    return notes


def parse_file_advice(text: str) -> str:
    """The text under the file's `## When it hangs` heading, up to the next `## ` heading."""
    lines = text.splitlines()
    if HANG_HEADING not in (line.strip() for line in lines):
        return ""
    start = [line.strip() for line in lines].index(HANG_HEADING) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return " ".join(line.strip() for line in lines[start:end] if line.strip())


def load_file_advice(solutions_dir: Path, sources: list[str]) -> dict[str, str]:
    """The hang advice of each of the given solution files that has one."""
    advice = {}
    for source in sorted(set(sources)):
        path = notes_path(solutions_dir, source)
        if path.exists():
            text = parse_file_advice(path.read_text())
            if text:
                advice[source] = text
    return advice


class MutantDoesNotApply(Exception):
    pass


def apply_mutant(text: str, exercise: str, mutant: Mutant) -> str:
    """The file `text` (solved, so its exercise regions hold code) with the mutant's hunks applied
    inside exercise `exercise`'s part: from its `// EXERCISE ID "` line to the next exercise's."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines)
                  if line.strip().startswith(f'// EXERCISE {exercise} "')), None)
    if start is None:
        raise MutantDoesNotApply(f"{mutant.where}: no exercise {exercise} in the file")
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r'\s*// EXERCISE \d+\.\d+ "', lines[i])), len(lines))
    for hunk in mutant.hunks:
        width = len(hunk.before)
        stripped = [line.strip() for line in lines]
        places = [i for i in range(start, end - width + 1) if stripped[i:i + width] == hunk.before]
        if len(places) != 1:
            found = "not found" if not places else f"found {len(places)} times"
            raise MutantDoesNotApply(
                f"{mutant.where}: mutant {mutant.id}: the lines to replace are {found} in "
                f"exercise {exercise}:\n    " + "\n    ".join(hunk.before))
        place = places[0]
        lines[place:place + width] = hunk.after
        end += len(hunk.after) - width
    return "\n".join(lines)
