"""Tests of tools/checker/exercise_files.py and student_files.py (the one parser of the exercise
markers, solution side and student side) and of their command line, tools/make_exercises.py,
which writes exercises/ from solutions/. Run by ctest."""
import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from checker import exercise_files, student_files  # noqa: E402
from checker.exercise_files import GeneratorError, RegionError  # noqa: E402

CLI = ROOT / "tools" / "make_exercises.py"

GOOD = """int f() {
  // EXERCISE 3.2 "the title": do it
  // HINT: like so
  // BEGIN SOLUTION
  return 42;
  // END SOLUTION
}
"""

GOOD_EXERCISE = """// Generated from solutions/good.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
int f() {
  // EXERCISE 3.2 "the title": do it
  // HINT: like so
  // BEGIN EXERCISE 3.2 -- your code, from here to the END line
  throw NotImplemented("3.2", "the title", __FILE__, __LINE__);
  // END EXERCISE 3.2
}
"""

# Two files, three exercises: 1.10 sorts after 1.2 (numbers, not text).
FIRST = """int one() {
  // EXERCISE 1.10 "ten": the tenth
  // BEGIN SOLUTION
  return 10;
  // END SOLUTION
}
int two() {
  // EXERCISE 1.2 "two":   the second  
  //   continued here
  // and here
  // BEGIN SOLUTION
  int a = 1;
  return a + 1;
  // END SOLUTION
}
"""
SECOND = """int three() {
    // EXERCISE 2.1 "back\\slash"
    // BEGIN SOLUTION
    return 3;
    // END SOLUTION
}
"""


def run_cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CLI), *arguments], capture_output=True, text=True)


class Scratch(unittest.TestCase):
    """A scratch folder with solutions/ (filled by write_solution) and exercises/ paths."""

    def setUp(self):
        self.scratch = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.scratch)
        self.solutions = self.scratch / "solutions"
        self.exercises = self.scratch / "exercises"
        self.solutions.mkdir()

    def write_solution(self, source: str, text: str) -> None:
        path = self.solutions / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def generate(self, *extra: str) -> subprocess.CompletedProcess:
        return run_cli("--solutions", str(self.solutions), "--exercises", str(self.exercises),
                       *extra)

    def student_file(self, source: str) -> Path:
        return self.exercises / source


class SolutionFormatTest(Scratch):
    # The cases of the former tests/project/generator_errors_test.sh, then the other rules.
    BAD = {
        "nested": ('// EXERCISE 1.1 "a"\n// BEGIN SOLUTION\nint a = 1;\n// BEGIN SOLUTION\n'
                   '// END SOLUTION\n',
                   "solutions/case.cpp:4: error: nested BEGIN SOLUTION (the region opened at "
                   "line 2 is not closed)"),
        "unclosed": ('// EXERCISE 1.1 "a"\n// BEGIN SOLUTION\nint a = 1;\n',
                     "solutions/case.cpp:2: error: BEGIN SOLUTION is never closed"),
        "duplicate": ('// EXERCISE 1.1 "a"\n// BEGIN SOLUTION\n// END SOLUTION\nint b = 2;\n'
                      '// EXERCISE 1.1 "b"\n// BEGIN SOLUTION\n// END SOLUTION\n',
                      "solutions/case.cpp:5: error: duplicate exercise id 1.1 (first at "
                      "solutions/case.cpp:1)"),
        "orphan_end": ("// END SOLUTION\n",
                       "solutions/case.cpp:1: error: END SOLUTION without a BEGIN SOLUTION"),
        "no_begin": ('// EXERCISE 1.1 "a"\n',
                     "solutions/case.cpp:1: error: EXERCISE 1.1 has no BEGIN SOLUTION after it"),
        "bad_id": ('// EXERCISE one "a"\n// BEGIN SOLUTION\n// END SOLUTION\n',
                   "solutions/case.cpp:1: error: exercise id must look like 2.3, got 'one'"),
        "todo_left": ('// EXERCISE 1.1 "a"\n// BEGIN SOLUTION\n// TODO finish\n// END SOLUTION\n',
                      "solutions/case.cpp:3: error: a solution file must not contain a stub or "
                      "a TODO"),
        "stub_left": ('// EXERCISE 1.1 "a"\n// BEGIN SOLUTION\nthrow NotImplemented("1.1");\n'
                      '// END SOLUTION\n',
                      "solutions/case.cpp:3: error: a solution file must not contain a stub"),
        "exercise_inside": ('// EXERCISE 1.1 "a"\n// BEGIN SOLUTION\n// EXERCISE 1.2 "b"\n',
                            "solutions/case.cpp:3: error: EXERCISE inside an unfinished BEGIN "
                            "SOLUTION region"),
        "two_exercise_lines": ('// EXERCISE 1.1 "a"\n// EXERCISE 1.2 "b"\n// BEGIN SOLUTION\n'
                               '// END SOLUTION\n',
                               "solutions/case.cpp:1: error: EXERCISE 1.1 has no BEGIN SOLUTION "
                               "after it"),
        "code_before_begin": ('  // EXERCISE 1.1 "a": x\n  // hint\n  int a;\n  // BEGIN SOLUTION\n'
                              '  // END SOLUTION\n',
                              "solutions/case.cpp:1: error: EXERCISE 1.1 must be followed by "
                              "comment lines and then BEGIN SOLUTION"),
        "begin_alone": ("int a;\n// BEGIN SOLUTION\n// END SOLUTION\n",
                        "solutions/case.cpp:2: error: BEGIN SOLUTION without an EXERCISE line "
                        "before it"),
    }

    def test_malformed_regions_are_rejected_with_file_and_line(self):
        for name, (text, expected) in self.BAD.items():
            with self.subTest(name):
                shutil.rmtree(self.solutions)
                shutil.rmtree(self.exercises, ignore_errors=True)
                self.write_solution("case.cpp", text)
                with self.assertRaises(GeneratorError) as raised:
                    exercise_files.read_solutions(self.solutions)
                self.assertTrue(str(raised.exception).startswith(expected),
                                str(raised.exception))
                result = self.generate()
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn(expected, result.stderr)
                self.assertFalse(self.exercises.exists(), "nothing is written on an error")

    def test_an_id_used_in_two_files_names_the_first_in_path_order(self):
        region = '// EXERCISE 4.4 "x"\n// BEGIN SOLUTION\n// END SOLUTION\n'
        self.write_solution("a-b.cpp", region)
        self.write_solution("a/x.cpp", "int a;\n" + region)
        # By path components "a/x.cpp" comes first ("a" < "a-b.cpp"); as text it would not.
        with self.assertRaises(GeneratorError) as raised:
            exercise_files.read_solutions(self.solutions)
        self.assertEqual(str(raised.exception), "solutions/a-b.cpp:1: error: duplicate exercise "
                                                "id 4.4 (first at solutions/a/x.cpp:2)")

    def test_course_notes_are_neither_parsed_nor_copied(self):
        self.write_solution("good.cpp", GOOD)
        self.write_solution("good.cpp.course.md", "## 3.2 the title\nTODO NotImplemented(\n")
        self.assertEqual(self.generate().returncode, 0)
        self.assertEqual(sorted(p.name for p in self.exercises.iterdir()), ["good.cpp"])

    def test_a_missing_solutions_folder_is_an_error(self):
        result = run_cli("--solutions", str(self.scratch / "nowhere"),
                         "--exercises", str(self.exercises))
        self.assertEqual(result.returncode, 1)
        self.assertIn("nowhere: error: no such folder", result.stderr)

    def test_usage_errors_exit_2(self):
        for arguments in (["--solutions", "s"], ["--bogus"], ["--solutions", "s", "--exercises"],
                          ["--solutions", "s", "--exercises", "e", "--reset", "two"],
                          ["--solutions", "s", "--exercises", "e", "--json"]):
            with self.subTest(arguments=arguments):
                result = run_cli(*arguments)
                self.assertEqual(result.returncode, 2)
                self.assertIn("usage: make_exercises", result.stderr)


class RenderTest(Scratch):
    def test_a_good_region_becomes_the_stub(self):
        self.write_solution("good.cpp", GOOD)
        result = self.generate()
        self.assertEqual(result.returncode, 0, result.stderr)
        generated = self.student_file("good.cpp").read_text()
        self.assertEqual(generated, GOOD_EXERCISE)
        self.assertNotIn("return 42", generated)

    def test_titles_are_escaped_and_indentation_kept(self):
        [solution] = [exercise_files.parse_solution(SECOND, "s.cpp", "solutions/s.cpp")]
        rendered = exercise_files.render_exercise(solution)
        self.assertIn('\n    throw NotImplemented("2.1", "back\\\\slash", __FILE__, __LINE__);\n',
                      rendered)
        self.assertIn("\n    // END EXERCISE 2.1\n}\n", rendered)

    def test_solved_through_keeps_the_solutions_up_to_that_exercise(self):
        self.write_solution("first.cpp", FIRST)
        self.write_solution("second.cpp", SECOND)
        result = self.generate("--solved-through", "1.10")
        self.assertEqual(result.returncode, 0, result.stderr)
        first = self.student_file("first.cpp").read_text()
        self.assertIn("  int a = 1;\n  return a + 1;\n}\n", first)          # 1.2 solved
        self.assertIn("  return 10;\n}\n", first)                            # 1.10 solved
        self.assertNotIn("BEGIN EXERCISE 1.", first)
        self.assertIn('throw NotImplemented("2.1"', self.student_file("second.cpp").read_text())
        exercise_files.generate(self.solutions, self.exercises, solved_through="1.2")
        first = self.student_file("first.cpp").read_text()
        self.assertIn('throw NotImplemented("1.10"', first)                 # 1.10 > 1.2
        self.assertNotIn('throw NotImplemented("1.2"', first)

    def test_only_changed_files_are_written(self):
        self.write_solution("first.cpp", FIRST)
        self.write_solution("second.cpp", SECOND)
        written = exercise_files.generate(self.solutions, self.exercises)
        self.assertEqual(len(written), 2)
        self.assertEqual(exercise_files.generate(self.solutions, self.exercises), [])
        self.write_solution("second.cpp", SECOND + "// more\n")
        self.assertEqual(exercise_files.generate(self.solutions, self.exercises),
                         [self.student_file("second.cpp")])


class ListTest(Scratch):
    def setUp(self):
        super().setUp()
        self.write_solution("b/first.cpp", FIRST)
        self.write_solution("a/second.cpp", SECOND)

    def test_the_fields_of_each_exercise_in_course_order(self):
        exercises = exercise_files.list_exercises(self.solutions)
        self.assertEqual([exercise.id for exercise in exercises], ["1.2", "1.10", "2.1"])
        two = exercises[0]
        self.assertEqual((two.chapter, two.number, two.title, two.source, two.line),
                         (1, 2, "two", "b/first.cpp", 8))
        self.assertEqual(two.comments, ["  continued here", "and here"])
        self.assertEqual(two.description, "the second")
        self.assertEqual(exercises[2].title, "back\\slash")
        self.assertEqual(exercises[2].description, "")

    def test_the_command_line_listing(self):
        result = run_cli("--list", "--solutions", str(self.solutions))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[0],
                         "1.2\ttwo\tb/first.cpp\t8\t  continued here\\nand here\tthe second")
        result = run_cli("--list", "--json", "--solutions", str(self.solutions))
        self.assertEqual(result.returncode, 0, result.stderr)
        listed = json.loads(result.stdout)
        self.assertEqual([item["id"] for item in listed], ["1.2", "1.10", "2.1"])
        self.assertEqual(listed[1], {"id": "1.10", "chapter": 1, "number": 10, "title": "ten",
                                     "source": "b/first.cpp", "line": 2, "comments": [],
                                     "description": "the tenth"})


class CheckTest(Scratch):
    def test_check_agrees_after_generating_and_catches_an_edit(self):
        self.write_solution("good.cpp", GOOD)
        self.assertEqual(self.generate().returncode, 0)
        result = self.generate("--check")
        self.assertEqual(result.returncode, 0, result.stderr)
        with self.student_file("good.cpp").open("a") as out:
            out.write("// edited\n")
        result = self.generate("--check")
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{self.student_file('good.cpp')}: out of date with solutions/good.cpp",
                      result.stderr)
        self.assertIn("make_exercises: 1 file(s) differ", result.stderr)

    def test_stray_and_missing_files(self):
        self.write_solution("good.cpp", GOOD)
        self.write_solution("sub/other.cpp", "int x;\n")
        exercise_files.generate(self.solutions, self.exercises)
        self.student_file("sub/other.cpp").unlink()
        (self.exercises / "stray.cpp").write_text("")
        (self.exercises / "README.md").write_text("guide")
        (self.exercises / ".hints.json").write_text("{}")
        (self.exercises / ".state").mkdir()
        (self.exercises / ".state" / "x.cpp").write_text("")
        self.assertEqual(exercise_files.check_up_to_date(self.solutions, self.exercises), [
            f"{self.exercises / 'sub/other.cpp'}: out of date with solutions/sub/other.cpp",
            f"{self.exercises / 'stray.cpp'}: has no solution file solutions/stray.cpp"])


class FindRegionsTest(unittest.TestCase):
    TEXT = GOOD_EXERCISE  # EXERCISE at line 4, BEGIN 6, stub 7, END 8

    def regions(self, text):
        return student_files.find_regions(text)

    def test_an_intact_region(self):
        region = self.regions(self.TEXT)["3.2"]
        self.assertEqual((region.first, region.code, region.last), (4, 7, 8))
        self.assertTrue(region.has_begin and region.has_end and region.intact)
        self.assertEqual(region.begin, 6)

    def test_begin_missing(self):
        region = self.regions(self.TEXT.replace("  // BEGIN EXERCISE 3.2 -- your code, from here "
                                                "to the END line\n", ""))["3.2"]
        self.assertEqual((region.has_begin, region.has_end, region.first, region.last),
                         (False, True, 4, 7))
        self.assertFalse(region.intact)
        self.assertIsNone(region.begin)

    def test_end_missing(self):
        region = self.regions(self.TEXT.replace("  // END EXERCISE 3.2\n", ""))["3.2"]
        self.assertEqual((region.has_begin, region.has_end, region.first, region.code),
                         (True, False, 4, 7))

    def test_an_end_above_its_begin_does_not_count(self):
        text = self.TEXT.replace("  // END EXERCISE 3.2\n", "").replace("int f() {\n",
                                                                        "// END EXERCISE 3.2\n")
        self.assertFalse(self.regions(text)["3.2"].has_end)

    def test_both_missing(self):
        text = "\n".join(line for line in self.TEXT.split("\n")
                         if "BEGIN EXERCISE 3.2" not in line and "END EXERCISE 3.2" not in line)
        region = self.regions(text)["3.2"]
        self.assertEqual((region.has_begin, region.has_end, region.first), (False, False, 4))
        self.assertEqual(self.regions("int f();\n"), {})

    def test_without_an_exercise_comment_the_region_starts_at_begin(self):
        region = self.regions("\n// BEGIN EXERCISE 1.1\ncode;\n// END EXERCISE 1.1\n")["1.1"]
        self.assertEqual((region.first, region.code, region.last), (2, 3, 4))

    def test_broken_files_never_raise(self):
        texts = ["", "\n\n", "// END EXERCISE 9.9", "// BEGIN EXERCISE 1.1\n// BEGIN EXERCISE 1.1",
                 "\x00\ufffd// EXERCISE 1.1 \"", "\r\n// BEGIN EXERCISE 2.2\r\n\r\n", "\udcff"]
        for text in texts:
            with self.subTest(text=text):
                self.assertIsInstance(self.regions(text), dict)
        self.assertTrue(self.regions(texts[5])["2.2"].has_begin)


class ResetTest(Scratch):
    def setUp(self):
        super().setUp()
        self.write_solution("good.cpp", GOOD)
        self.write_solution("nn/loss.cpp", FIRST)
        exercise_files.generate(self.solutions, self.exercises)
        self.target = self.student_file("good.cpp")
        # The student wrote 3.2 and added a comment elsewhere: only 3.2's code goes.
        self.student = (GOOD_EXERCISE.replace('throw NotImplemented("3.2", "the title", __FILE__, '
                                              '__LINE__);', "return 1;\n  // and more")
                        + "// my notes\n")
        self.target.write_text(self.student)

    def reset(self):
        return student_files.reset_exercise(self.solutions, self.exercises, "3.2")

    def test_an_intact_region_gets_its_stub_back(self):
        # The markers come back as generated too, whatever the student wrote after their id.
        self.target.write_text(self.student.replace("-- your code, from here to the END line", "(done!)"))
        self.assertEqual(self.reset(), f"restored the stub of exercise 3.2 in {self.target}")
        self.assertEqual(self.target.read_text(), GOOD_EXERCISE + "// my notes\n")

    def assert_refused(self, broken: str, *expected: str):
        self.target.write_text(broken)
        with self.assertRaises(RegionError) as raised:
            self.reset()
        for text in expected:
            self.assertIn(text, str(raised.exception))
        self.assertEqual(self.target.read_text(), broken, "a refused reset changes nothing")
        result = self.generate("--reset", "3.2")
        self.assertEqual(result.returncode, 1)
        self.assertIn(expected[0], result.stderr)

    def test_begin_missing(self):
        self.assert_refused(
            self.student.replace("  // BEGIN EXERCISE 3.2 -- your code, from here to the END line\n", ""),
            f"{self.target}:4: error: the line '// BEGIN EXERCISE 3.2' is gone (its "
            "'// END EXERCISE 3.2' is at line 8)",
            "put '// BEGIN EXERCISE 3.2' back, on a line of its own, just above your code")

    def test_end_missing(self):
        self.assert_refused(
            self.student.replace("  // END EXERCISE 3.2\n", ""),
            "the line '// END EXERCISE 3.2' is gone: there is none below '// BEGIN EXERCISE 3.2' "
            "(line 6)",
            "put '// END EXERCISE 3.2' back, on a line of its own, just below your code")

    def test_both_missing(self):
        self.assert_refused(
            self.student.replace("  // END EXERCISE 3.2\n", "").replace(
                "  // BEGIN EXERCISE 3.2 -- your code, from here to the END line\n", ""),
            "the lines '// BEGIN EXERCISE 3.2' and '// END EXERCISE 3.2' are both gone (the "
            "EXERCISE 3.2 comment is at line 4)",
            "put '// BEGIN EXERCISE 3.2' just above and '// END EXERCISE 3.2' just below your code")

    def test_a_missing_file_is_written_again_whole(self):
        target = self.student_file("nn/loss.cpp")
        shutil.rmtree(target.parent)
        result = self.generate("--reset", "1.2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), f"{target} was missing: wrote it again with the "
                                                "stubs of exercises 1.2, 1.10")
        self.assertEqual(exercise_files.check_up_to_date(self.solutions, self.exercises),
                         [f"{self.target}: out of date with solutions/good.cpp"])
        self.target.unlink()
        self.assertEqual(self.reset(), f"{self.target} was missing: wrote it again with the stub "
                                       "of exercise 3.2")
        self.assertEqual(exercise_files.check_up_to_date(self.solutions, self.exercises), [])

    def test_an_unknown_exercise(self):
        result = self.generate("--reset", "9.9")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.strip(),
                         "make_exercises: no exercise 9.9; run ./check list to see them")


class WithStubsTest(unittest.TestCase):
    STUDENT = """int f() {
  // EXERCISE 3.2 "the title": do it
    // BEGIN EXERCISE 3.2 -- your code, from here to the END line
  int x = 1;
  while (true) {}
  return x;
  // END EXERCISE 3.2
}
int g() {
  // EXERCISE 3.3 "other"
  // BEGIN EXERCISE 3.3
  return 2;
  // END EXERCISE 3.3
}
"""
    STUB = 'throw NotImplemented("3.2", "the title", __FILE__, __LINE__);'

    def test_the_stub_takes_the_region_and_every_line_keeps_its_number(self):
        stubbed = student_files.with_stubs(self.STUDENT, {"3.2": self.STUB})
        before, after = self.STUDENT.split("\n"), stubbed.split("\n")
        self.assertEqual(len(after), len(before))
        self.assertEqual(after[3:6], ["    " + self.STUB, "", ""])  # the BEGIN line's indentation
        self.assertEqual(after[:3] + after[6:], before[:3] + before[6:])
        self.assertEqual(student_files.find_regions(stubbed),
                         student_files.find_regions(self.STUDENT))

    def test_an_empty_region_gets_the_stub_on_its_end_line(self):
        text = "{\n  // BEGIN EXERCISE 1.1\n  // END EXERCISE 1.1\n}\n"
        self.assertEqual(student_files.with_stubs(text, {"1.1": "throw X;"}),
                         "{\n  // BEGIN EXERCISE 1.1\n  throw X;  // END EXERCISE 1.1\n}\n")

    def test_broken_markers_raise(self):
        cases = {
            "no BEGIN": (self.STUDENT.replace("    // BEGIN EXERCISE 3.2", "  // BEGUN"),
                         "exercise 3.2: the line '// BEGIN EXERCISE 3.2' is gone"),
            "no END": (self.STUDENT.replace("// END EXERCISE 3.2", ""),
                       "exercise 3.2: the line '// END EXERCISE 3.2' is gone"),
            "not there": ("int f();\n", "exercise 3.2: the lines"),
            "overlapping": (self.STUDENT.replace("  // END EXERCISE 3.2\n", "").replace(
                "  // END EXERCISE 3.3\n", "  // END EXERCISE 3.3\n  // END EXERCISE 3.2\n"),
                "holds the marker '// BEGIN EXERCISE 3.3' at line 10"),
        }
        for name, (text, expected) in cases.items():
            with self.subTest(name):
                with self.assertRaises(RegionError) as raised:
                    student_files.with_stubs(text, {"3.2": self.STUB})
                self.assertIn(expected, str(raised.exception))

    def test_a_stubbed_real_file_still_compiles(self):
        # nn/loss.cpp as a student who solved everything has it, then two exercises stubbed.
        [solution] = [file for file in exercise_files.read_solutions(ROOT / "solutions")
                      if file.source == "nn/loss.cpp"]
        text = exercise_files.render_exercise(solution)
        for region in solution.regions:
            text = text.replace(f"{region.indent}{region.info.stub}\n",
                                "".join(line + "\n" for line in region.solution))
        stubs = {region.info.id: region.info.stub for region in solution.regions[::2]}
        stubbed = student_files.with_stubs(text, stubs)
        self.assertEqual(len(stubbed.split("\n")), len(text.split("\n")))
        for identifier in stubs:
            region = student_files.find_regions(stubbed)[identifier]
            self.assertIn(f'throw NotImplemented("{identifier}"',
                          stubbed.split("\n")[region.code - 1])
        compiler = shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")
        if compiler is None:
            self.skipTest("no C++ compiler to compile the stubbed file with")
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "loss.cpp"
            source.write_text(stubbed)
            result = subprocess.run([compiler, "-std=c++20", "-fsyntax-only", f"-I{ROOT}",
                                     str(source)], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)


class RepositoryTest(unittest.TestCase):
    def test_exercises_are_what_solutions_generate(self):
        self.assertEqual(exercise_files.check_up_to_date(ROOT / "solutions", ROOT / "exercises"),
                         [])

    def test_check_catches_an_edited_copy_of_the_repositorys_exercises(self):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "exercises"
            shutil.copytree(ROOT / "exercises", copy)
            arguments = ["--check", "--solutions", str(ROOT / "solutions"), "--exercises",
                         str(copy)]
            self.assertEqual(run_cli(*arguments).returncode, 0)
            ops = copy / "engine" / "ops.cpp"
            ops.write_text(ops.read_text().replace("throw NotImplemented", "return 0; //", 1))
            result = run_cli(*arguments)
            self.assertEqual(result.returncode, 1)
            self.assertIn(f"{ops}: out of date with solutions/engine/ops.cpp", result.stderr)

    def test_every_exercise_is_listed_once_with_its_stub_in_exercises(self):
        listed = exercise_files.list_exercises(ROOT / "solutions")
        self.assertEqual(len({exercise.id for exercise in listed}), len(listed))
        for exercise in listed:
            with self.subTest(exercise.id):
                path = ROOT / "exercises" / exercise.source
                region = student_files.find_regions_in(path)[exercise.id]
                self.assertTrue(region.intact)
                stub_line = path.read_text().split("\n")[region.code - 1]
                self.assertEqual(stub_line.strip(), exercise.stub)


if __name__ == "__main__":
    unittest.main()
