"""The checker grading a student's folder in which one exercise does not compile, one hangs, one
file does not compile outside its exercises and one file is missing: `./check verify --json`
must grade every other exercise, charge the hang once, and say what happened to each. Builds
real C++ (in the course walk's tree, which ctest runs before this).

    checker_grading_test.py BUILD_DIR EXERCISES_DIR [CMAKE ARGUMENTS...]
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from checker import exercise_files, student_files  # noqa: E402

SOLUTIONS = REPO / "solutions"
HANG = "for (volatile int spin = 0;; spin = spin + 1) {  // never ends"


def write_solved_with_markers(exercises_dir: Path) -> None:
    """The student's folder once every exercise is written: the markers stay, the code between
    them is the solution's."""
    exercise_files.generate(SOLUTIONS, exercises_dir)
    for solution in exercise_files.read_solutions(SOLUTIONS):
        path = exercises_dir / solution.source
        text = path.read_text()
        for region in solution.regions:
            text = text.replace(region.indent + region.info.stub, "\n".join(region.solution))
        path.write_text(text)


def insert_into(path: Path, exercise: str, line: str) -> None:
    """Adds a line at the start of an exercise's code, as a student would write it."""
    lines = path.read_text().split("\n")
    region = student_files.find_regions("\n".join(lines))[exercise]
    lines.insert(region.code - 1, line)
    path.write_text("\n".join(lines))


class GradingSurvivesBrokenFiles(unittest.TestCase):
    build_dir: Path
    exercises_dir: Path
    cmake_arguments: list[str]

    def test_every_exercise_is_graded_and_each_mistake_charged_once(self):
        folder = self.exercises_dir
        write_solved_with_markers(folder)
        insert_into(folder / "engine" / "ops.cpp", "2.1", "  oops;  // a typo")
        insert_into(folder / "engine" / "backward.cpp", "4.1", HANG + "\n  }")
        loss = folder / "nn" / "loss.cpp"
        loss.write_text(loss.read_text() + "\nnot C++ at all\n")
        (folder / "nn" / "conv.cpp").unlink()
        with tempfile.TemporaryDirectory() as scratch:
            report_path = Path(scratch) / "report.json"
            command = [sys.executable, str(REPO / "tools" / "check.py"), "verify", "--no-color",
                       "--build-dir", str(self.build_dir), "--exercises-dir", str(folder),
                       "--build-type", "Release", "--timeout", "5", "--json", str(report_path)]
            command += [f"--cmake-arg={argument}" for argument in self.cmake_arguments]
            result = subprocess.run(command, capture_output=True, text=True, timeout=1500)
            print(result.stdout[-6000:], result.stderr[-3000:])
            self.assertEqual(result.returncode, 1, "verify must fail, and not as an error (2)")
            report = json.loads(report_path.read_text())
        entries = {entry["id"]: entry for entry in report["exercises"]}
        states = {identifier: entry["state"] for identifier, entry in entries.items()}

        for identifier in ("1.1", "1.6", "2.2", "2.5", "3.1"):
            self.assertEqual(states[identifier], "passed", identifier)
        self.assertEqual(states["2.1"], "build_error")
        self.assertIn("oops", entries["2.1"]["message"])
        self.assertIn('exercise 2.1 "add backward"', entries["2.1"]["message"])

        self.assertEqual(states["4.1"], "timeout")
        self.assertIn("of CPU time", entries["4.1"]["message"])
        self.assertIsNone(entries["4.1"]["follows_from"], "a hang in 4.1's own code is 4.1's")
        self.assertEqual(list(states.values()).count("timeout"), 1, "the hang was charged twice")
        self.assertEqual(states["4.2"], "blocked")
        self.assertEqual(entries["4.2"]["follows_from"], "4.1")
        self.assertIn("4.1, which hangs", entries["4.2"]["message"])

        for identifier in ("6.1", "6.2", "6.3"):
            self.assertEqual(states[identifier], "build_error", identifier)
            self.assertIn("outside the exercises", entries[identifier]["message"])
        for identifier in ("8.1", "8.2", "8.3"):
            self.assertEqual(states[identifier], "build_error", identifier)
            self.assertIn("is missing", entries[identifier]["message"])
        self.assertEqual(report["totals"]["exercises"],
                         len(exercise_files.list_exercises(SOLUTIONS)), "every exercise graded")
        self.assertEqual(len(entries), report["totals"]["exercises"])


if __name__ == "__main__":
    GradingSurvivesBrokenFiles.build_dir = Path(sys.argv[1]).resolve()
    GradingSurvivesBrokenFiles.exercises_dir = Path(sys.argv[2]).resolve()
    GradingSurvivesBrokenFiles.cmake_arguments = sys.argv[3:]
    unittest.main(argv=sys.argv[:1])
