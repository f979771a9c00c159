"""No answer readable before it is written: fails when a line of an exercise's solution region
shows up

  - in any hint level of that exercise (solutions/*.course.md),
  - in that exercise's stub (the task comment above the region, as exercises/ shows it),
  - in the code a solution file keeps outside its regions (which exercises/ copies: the student
    reads it), whatever exercise the line answers,
  - in any file of the repository outside solutions/, exercises/ and tests/ (README, docs, bench,
    python, examples, engine, nn, ...), whatever exercise the line answers.

Lines are compared with comments and whitespace removed, and only the solution lines of at least
MIN_CHARS characters count, so that `}` or `return total;` are not answers; nor is scaffolding
that holds no expression of the answer (SCAFFOLDING: a declaration without a value, a reserve, a
counting loop's head, a stack's pop), which any loop over the same data writes alike. The text searched has
its whitespace removed (so an answer line wrapped in a hint's prose or a comment still shows) and
is searched for each answer line. Run by ctest (label course); prints every leak with its place.
"""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from checker import course_notes, exercise_files  # noqa: E402

MIN_CHARS = 16
# Where answers live or are tested: the only folders allowed to hold a line of a solution.
ANSWER_FOLDERS = ("solutions/", "exercises/", "tests/")
WHITESPACE = re.compile(r"\s+")
# Solution lines (as compared: no comment, no whitespace) that are scaffolding, not answers.
SCAFFOLDING = [
    re.compile(r"[\w:<>,*&]+;"),                            # std::vector<Value> outputs;
    re.compile(r"\w+\.reserve\(.*\);"),                     # outputs.reserve(n);
    re.compile(r"\w+\.pop_back\(\);"),                      # stack.pop_back();
    re.compile(r"while\(!\w+\.empty\(\)\)\{"),              # while (!stack.empty()) {
    re.compile(r"for\(std::size_t(\w+)=0;\1<[^;]+;\+\+\1\)\{"),  # for (... i = 0; i < n; ++i) {
]
# Answer lines known to be shown outside solutions/ by a file this branch may not change, each
# with the reason: (file, exercise, reason). Empty it as soon as the file is fixed.
KNOWN: list[tuple[str, str, str]] = []


def strip_comment(line: str) -> str:
    """The line without its // comment (a // inside a string literal is kept)."""
    in_string = None
    index = 0
    while index < len(line):
        char = line[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == in_string:
                in_string = None
        elif char in "\"'":
            in_string = char
        elif line.startswith("//", index):
            return line[:index]
        index += 1
    return line


def squeeze(text: str) -> str:
    return WHITESPACE.sub("", text)


def is_scaffolding(key: str) -> bool:
    return any(pattern.fullmatch(key) for pattern in SCAFFOLDING)


@dataclasses.dataclass
class Answer:
    exercise: str   # "2.2"
    where: str      # "solutions/engine/ops.cpp:53"
    line: str       # as written
    key: str        # without comment and whitespace


@dataclasses.dataclass
class Leak:
    place: str      # where the answer was found
    answer: Answer

    def __str__(self) -> str:
        return (f"{self.place}: shows a line of exercise {self.answer.exercise}'s answer "
                f"({self.answer.where}): {self.answer.line.strip()}")


def answers_of(solutions: list[exercise_files.SolutionFile]) -> dict[str, list[Answer]]:
    """Every counted line of every solution region, by exercise id."""
    found: dict[str, list[Answer]] = {}
    for solution in solutions:
        for region in solution.regions:
            lines = found.setdefault(region.info.id, [])
            for offset, line in enumerate(region.solution, start=1):
                key = squeeze(strip_comment(line))
                if len(key) >= MIN_CHARS and not is_scaffolding(key):
                    lines.append(Answer(region.info.id, f"solutions/{solution.source}:"
                                        f"{region.begin + offset}", line, key))
    return found


def leaks_in(text: str, place: str, answers: list[Answer]) -> list[Leak]:
    squeezed = squeeze(text)
    return [Leak(place, answer) for answer in answers if answer.key in squeezed]


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def find_leaks_unfiltered() -> list[Leak]:
    solutions = exercise_files.read_solutions(ROOT / "solutions")
    answers = answers_of(solutions)
    every_answer = [answer for lines in answers.values() for answer in lines]
    sources = [solution.source for solution in solutions]
    notes = course_notes.load_notes(ROOT / "solutions", sources)
    leaks: list[Leak] = []

    # Hints: each level against its own exercise's answer.
    for exercise, exercise_notes in notes.items():
        for level, hint in enumerate(exercise_notes.hints, start=1):
            leaks += leaks_in(hint, f"hint {level} of exercise {exercise}",
                              answers.get(exercise, []))

    for solution in solutions:
        # Stubs: the task comment (EXERCISE line and the comments under it) of each region.
        for region in solution.regions:
            info = region.info
            stub = "\n".join([info.description, *info.comments])
            leaks += leaks_in(stub, f"the stub of exercise {info.id} "
                              f"(solutions/{solution.source}:{info.line})", answers[info.id])
        # What a solution file keeps outside its regions is copied to exercises/ as it is.
        inside = {number for region in solution.regions
                  for number in range(region.begin, region.end + 1)}
        for number, line in enumerate(solution.lines, start=1):
            if number in inside:
                continue
            for leak in leaks_in(line, f"solutions/{solution.source}:{number} (outside the "
                                 "regions, copied to exercises/)", every_answer):
                leaks.append(leak)

    # Every other file of the repository.
    for name in tracked_files():
        if name.startswith(ANSWER_FOLDERS):
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a binary file (an image, a data set) holds no code to read
        for number, line in enumerate(text.split("\n"), start=1):
            leaks += leaks_in(line, f"{name}:{number}", every_answer)
        # A line wrapped over two (prose, a long call) is still the answer.
        lines = text.split("\n")
        for number in range(1, len(lines)):
            pair = lines[number - 1] + lines[number]
            seen_alone = {leak.answer.key for leak in leaks_in(lines[number - 1], "", every_answer)
                          + leaks_in(lines[number], "", every_answer)}
            leaks += [leak for leak in leaks_in(pair, f"{name}:{number}", every_answer)
                      if leak.answer.key not in seen_alone]
    return leaks


def find_leaks() -> list[Leak]:
    """Every leak but the KNOWN ones."""
    return [leak for leak in find_leaks_unfiltered()
            if not any(leak.place.startswith(f"{name}:") and leak.answer.exercise == exercise
                       for name, exercise, _ in KNOWN)]


class TheHelperTest(unittest.TestCase):
    def test_comments_and_whitespace_do_not_count(self):
        self.assertEqual(squeeze(strip_comment("  a.grad += b;  // the rule")), "a.grad+=b;")
        self.assertEqual(strip_comment('s = "//not a comment"; // one'), 's = "//not a comment"; ')

    def test_a_wrapped_answer_in_prose_is_found(self):
        answer = Answer("2.2", "x:1", "a.grad += b.data * out.grad;", "a.grad+=b.data*out.grad;")
        self.assertTrue(leaks_in("Write `a.grad +=\n b.data * out.grad;` here", "h", [answer]))
        self.assertFalse(leaks_in("Write `a.grad += ____ * out.grad;` here", "h", [answer]))

    def test_scaffolding_is_no_answer(self):
        for line in ["std::vector<Value> outputs;", "outputs.reserve(element_count(shape));",
                     "while (!stack.empty()) {", "for (std::size_t i = 0; i < n.size(); ++i) {"]:
            self.assertTrue(is_scaffolding(squeeze(line)), line)
        for line in ["for (std::size_t i = 1; i < n; ++i) total += values[i].data();",
                     "double total = bias.data();", "p.data() -= learning_rate_ * direction;"]:
            self.assertFalse(is_scaffolding(squeeze(line)), line)

    def test_known_leaks_are_still_there(self):
        # An entry of KNOWN whose leak is gone must go too, or it would excuse a new one.
        found = find_leaks_unfiltered()
        for name, exercise, _ in KNOWN:
            self.assertTrue(any(leak.place.startswith(f"{name}:") and
                                leak.answer.exercise == exercise for leak in found),
                            f"{name} no longer shows exercise {exercise}'s answer: remove it "
                            "from KNOWN in tests/course/answer_leak_test.py")


class NoAnswerLeaksTest(unittest.TestCase):
    def test_no_answer_line_outside_the_solutions(self):
        leaks = find_leaks()
        report = "\n".join(str(leak) for leak in leaks)
        exercises = sorted({leak.answer.exercise for leak in leaks},
                           key=exercise_files.parse_exercise_id)
        self.assertEqual(
            leaks, [],
            f"\n{report}\n\n{len(leaks)} answer line(s) of {len(exercises)} exercise(s) "
            f"({', '.join(exercises)}) can be read before the student writes them. A hint "
            "stops at the shape of the code (`a.grad += ____ * out.grad;`), a stub states the "
            "task in mathematical notation, and library code or docs must not spell out an "
            "exercise's answer.")


if __name__ == "__main__":
    unittest.main()
