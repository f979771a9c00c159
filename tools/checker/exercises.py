"""The exercises as the checker sees them: read from solutions/ (the markers, by
exercise_files) and from the course notes (the hints), and found again in the student's files
(student_files)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from checker import course_notes, exercise_files, student_files
from checker.output import UserError
from checker.paths import SOLUTIONS_DIR, absolute, shown


@dataclasses.dataclass
class Exercise:
    id: str           # "2.1"
    chapter: int
    number: int
    title: str        # "add backward"
    description: str  # what to write, from the EXERCISE line and the comment lines after it:
                      # paragraphs, and formula lines that start with FORMULA_INDENT
    source: str       # the file, relative to solutions/ and exercises/: "engine/ops.cpp"
    hints: list[str] = dataclasses.field(default_factory=list)  # level 1, 2, ... (course notes)
    hang_advice: str = ""  # what usually makes this file's code hang (course notes)

    @property
    def key(self) -> tuple[int, int]:
        return (self.chapter, self.number)

    @property
    def suite_prefix(self) -> str:
        return f"Ex{self.chapter}_{self.number}_"

    def name(self) -> str:
        return f'{self.id} "{self.title}"'


def id_key(identifier: str) -> tuple[int, ...]:
    return tuple(int(part) for part in identifier.split("."))


FORMULA_INDENT = "    "  # a comment line indented this much more than `// ` is laid out math


def task_text(first: str, comments: list[str]) -> str:
    """The task as one text: the prose lines joined into paragraphs (the terminal wraps them), and
    each formula line (indented in the comment, as `//     g = ...`) kept as a line of its own,
    with its layout, after a newline."""
    lines: list[str] = []
    paragraph = first.strip()
    for comment in comments:
        if comment.startswith(FORMULA_INDENT) and comment.strip():
            if paragraph:
                lines.append(paragraph)
            paragraph = ""
            lines.append(comment.rstrip())
        else:
            paragraph = " ".join(part for part in (paragraph, comment.strip()) if part)
    if paragraph:
        lines.append(paragraph)
    return "\n".join(lines)


def load_exercises(solutions_dir: Path = SOLUTIONS_DIR) -> list[Exercise]:
    """Every exercise of the course in chapter order, with its hints."""
    try:
        listed = exercise_files.list_exercises(solutions_dir)
    except exercise_files.GeneratorError as error:
        raise UserError(f"solutions/ cannot be read: {error}") from error
    exercises = []
    for info in listed:
        # The comment lines after the EXERCISE line continue the task; hints live in the notes.
        description = task_text(info.description, info.comments)
        exercises.append(Exercise(info.id, info.chapter, info.number, info.title, description,
                                  info.source))
    try:
        notes = course_notes.load_notes(solutions_dir, [e.source for e in exercises])
        advice = course_notes.load_file_advice(solutions_dir, [e.source for e in exercises])
    except course_notes.NotesError as error:
        raise UserError(f"the course notes are damaged: {error}") from error
    for exercise in exercises:
        if exercise.id in notes:
            exercise.hints = notes[exercise.id].hints
        exercise.hang_advice = advice.get(exercise.source, "")
    return exercises


def find_exercise(exercises: list[Exercise], identifier: str) -> Exercise:
    for exercise in exercises:
        if exercise.id == identifier:
            return exercise
    raise UserError(f"there is no exercise {identifier}; `./check list` shows them all")


def stub_location(exercises_dir: Path, exercise: Exercise) -> str:
    """`file:line` of the place to write the exercise, as the student's editor can open it."""
    path = exercises_dir / exercise.source
    region = student_files.find_regions_in(path).get(exercise.id)
    return f"{shown(path)}:{region.code}" if region else shown(path)


def relative_source(exercises_dir: Path, path: Path) -> str | None:
    """"engine/ops.cpp" for a path inside the exercises folder, None for any other path."""
    try:
        return absolute(path).relative_to(absolute(exercises_dir)).as_posix()
    except ValueError:
        return None


def exercise_at(exercises_dir: Path, path: Path, line: int) -> str | None:
    """The exercise whose region (its EXERCISE comment to its END line) holds path:line; None
    when the line is outside every exercise."""
    if relative_source(exercises_dir, path) is None:
        return None
    for identifier, region in student_files.find_regions_in(path).items():
        if region.first <= line <= max(region.last, region.code):
            return identifier
    return None


def missing_files(exercises_dir: Path, exercises: list[Exercise]) -> list[str]:
    """The exercise files (relative) that are not in the student's folder."""
    return sorted({e.source for e in exercises if not (exercises_dir / e.source).is_file()})
