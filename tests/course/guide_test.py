"""The guide (exercises/README.md) cannot drift from the checker: its sample of what `./check`
prints on a fresh clone is compared with what the checker's own code prints for the first
exercise, and its sentences about chapter 1 are checked against the solutions. Run by ctest
(label course); no C++ is built: the sample is the checker's text for an exercise not started.
"""
import contextlib
import io
import re
import sys
import unittest
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from checker import commands, exercise_files, hints, student_files  # noqa: E402
from checker.exercises import load_exercises  # noqa: E402
from checker.grading import Outcome  # noqa: E402
from checker.output import Style  # noqa: E402

GUIDE = ROOT / "exercises" / "README.md"
SAMPLE_INTRO = "The checker then says which exercise is next and where:"


def sample_in_guide() -> list[str]:
    """The indented block after SAMPLE_INTRO, without its 4-space indentation."""
    lines = GUIDE.read_text(encoding="utf-8").split("\n")
    start = lines.index(SAMPLE_INTRO) + 1
    while lines[start] == "":
        start += 1
    block = []
    for line in lines[start:]:
        if line and not line.startswith("    "):
            break
        block.append(line[4:])
    while block and block[-1] == "":
        block.pop()
    return block


def checker_output_for_first_exercise() -> list[str]:
    """What ./check prints about exercise 1.1 on a fresh clone (no hint asked yet), uncoloured."""
    exercises = load_exercises()
    first = exercises[0]
    context = mock.Mock(style=Style(color=False), exercises_dir=ROOT / "exercises")
    outcome = Outcome(first, "not_started", [], [], blocked_by=[first.id])
    printed = io.StringIO()
    with mock.patch.object(hints, "hint_levels_seen", return_value={}), \
            contextlib.redirect_stdout(printed):
        commands.print_outcome_details(context, outcome)
    lines = printed.getvalue().split("\n")
    while lines and lines[0] == "":
        lines.pop(0)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


class GuideSampleTest(unittest.TestCase):
    def test_the_first_sample_is_what_the_checker_prints(self):
        expected = checker_output_for_first_exercise()
        self.assertEqual(
            sample_in_guide(), expected,
            "\nexercises/README.md's sample after '" + SAMPLE_INTRO + "' is not what ./check "
            "prints for exercise 1.1 on a fresh clone. Paste this block there, indented by 4 "
            "spaces:\n\n" + "\n".join("    " + line for line in expected))


class GuideSentencesTest(unittest.TestCase):
    def test_chapter_1_says_how_many_nodes_each_op_makes_and_what_pow_keeps(self):
        # Every op of chapter 1 makes its node with Value::from_op; pow also stores its exponent,
        # so "each is a single from_op call" is wrong for it: the guide must say so.
        text = GUIDE.read_text(encoding="utf-8")
        chapter = text[text.index("## Chapter 1"):text.index("## Chapter 2")]
        self.assertNotRegex(chapter, r"[Ee]ach one\s+is a single `Value::from_op",
                            "chapter 1 of the guide says every op is one from_op call; 1.5 pow "
                            "also stores its exponent in the node's constant")
        solutions = exercise_files.read_solutions(ROOT / "solutions")
        pow_region = next(region for solution in solutions for region in solution.regions
                          if region.info.id == "1.5")
        if any("constant" in line for line in pow_region.solution):
            self.assertRegex(chapter, r"1\.5[^.]*constant",
                             "chapter 1 of the guide must say that 1.5 (pow) keeps its exponent "
                             "in the node's constant, as its solution does")

    def test_no_stale_location_of_an_exercise(self):
        # Every `exercises/<file>:<line>  exercise C.N` the guide shows names the line the checker
        # would name for that exercise.
        text = GUIDE.read_text(encoding="utf-8")
        exercises = {exercise.id: exercise for exercise in load_exercises()}
        found = re.findall(r"(exercises/\S+):(\d+)\s+exercise (\d+\.\d+)", text)
        self.assertTrue(found, "the guide shows no exercise location any more: update this test")
        for path, line, identifier in found:
            region = student_files.find_regions_in(ROOT / path).get(identifier)
            self.assertIsNotNone(region, f"the guide names {path} for exercise {identifier}")
            self.assertEqual(int(line), region.code,
                             f"the guide shows {path}:{line} for exercise {identifier}; the "
                             f"checker says {path}:{region.code}")


if __name__ == "__main__":
    unittest.main()
