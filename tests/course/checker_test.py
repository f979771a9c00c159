"""Tests of the checker (tools/checker/): what it does when a student's code, machine or command
line misbehaves. Test programs are stood in for by small Python scripts that behave like a
GoogleTest program (list, run, crash, hang, print forever), so no C++ is built here. Run by ctest;
each case names the defect it guards against."""
from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from checker import (building, cli, commands, exercise_files, explaining, files,  # noqa: E402
                     grading, report, running, student_files)
from checker.exercises import Exercise, load_exercises  # noqa: E402
from checker.output import Style, UserError  # noqa: E402

CHECK = [sys.executable, str(REPO / "tools" / "check.py")]

# A stand-in for a GoogleTest program: lists one suite, and when run does what BEHAVIOUR says.
FAKE_PROGRAM = """#!{python}
import json, os, sys, time
BEHAVIOUR = {behaviour!r}
args = sys.argv[1:]
if "--gtest_list_tests" in args:
    if BEHAVIOUR == "hang_before_main":
        while True:
            pass
    print("Ex1_1_Add.\\n  Works")
    sys.exit(0)
report = next(a.split("json:", 1)[1] for a in args if a.startswith("--gtest_output=json:"))
pid_file = os.environ.get("FAKE_PID_FILE")
if pid_file:
    with open(pid_file, "w") as out:
        out.write(str(os.getpid()))
print("[ RUN      ] Ex1_1_Add.Works", flush=True)
if BEHAVIOUR == "spin":
    while True:
        pass
if BEHAVIOUR == "sleep":
    time.sleep(1.5)
if BEHAVIOUR.startswith("burn"):
    end = time.process_time() + float(BEHAVIOUR[4:])
    while time.process_time() < end:
        pass
if BEHAVIOUR == "print_forever":
    while True:
        sys.stdout.write("the same line again and again\\n")
if BEHAVIOUR == "print_forever_waiting":
    # Like a program blocked on the pipe: it prints a lot, using little CPU time.
    while True:
        sys.stdout.write("debug: i = 42\\n" * 20000)
        sys.stdout.flush()
        time.sleep(0.005)
if BEHAVIOUR == "one_endless_line":
    while True:
        sys.stdout.write("x" * 65536)
if BEHAVIOUR == "segfault":
    os.kill(os.getpid(), 11)
print("[       OK ] Ex1_1_Add.Works (0 ms)", flush=True)
with open(report, "w") as out:
    json.dump({{"testsuites": [{{"name": "Ex1_1_Add", "testsuite": [
        {{"name": "Works", "status": "RUN", "result": "COMPLETED"}}]}}]}}, out)
"""


def fake_program(folder: Path, behaviour: str) -> Path:
    path = folder / f"fake_{behaviour}"
    path.write_text(FAKE_PROGRAM.format(python=sys.executable, behaviour=behaviour))
    path.chmod(0o755)
    return path


def an_exercise(identifier: str = "1.1", source: str = "engine/ops.cpp") -> Exercise:
    chapter, number = (int(part) for part in identifier.split("."))
    return Exercise(identifier, chapter, number, f"title {identifier}", "", source)


class Scratch(unittest.TestCase):
    def setUp(self) -> None:
        self.folder_handle = tempfile.TemporaryDirectory()
        self.folder = Path(self.folder_handle.name)

    def tearDown(self) -> None:
        self.folder_handle.cleanup()


class TimeIsCpuTime(Scratch):
    def test_a_program_that_waits_is_not_charged_for_the_wait(self):
        # Before: a 20 s wall-clock limit failed correct code on a busy machine.
        program = fake_program(self.folder, "sleep")
        run = running.run_tests(program, ["Ex1_1_Add"], running.Limits(cpu_seconds=1.0),
                                self.folder)
        self.assertIsNone(run.problem, run.how)
        self.assertTrue(run.tests and all(test.passed for test in run.tests))

    def test_a_correct_run_passes_while_every_core_is_busy(self):
        burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                   for _ in range(2 * (os.cpu_count() or 2))]
        try:
            program = fake_program(self.folder, "burn0.5")
            started = time.monotonic()
            run = running.run_tests(program, ["Ex1_1_Add"], running.Limits(cpu_seconds=1.5),
                                    self.folder)
            wall = time.monotonic() - started
        finally:
            for burner in burners:
                burner.kill()
                burner.wait()
        self.assertIsNone(run.problem, f"{run.how} (wall {wall:.1f} s)")
        self.assertGreaterEqual(run.cpu_seconds, 0.4)

    def test_an_endless_loop_is_stopped_by_cpu_time(self):
        program = fake_program(self.folder, "spin")
        run = running.run_tests(program, ["Ex1_1_Add"], running.Limits(cpu_seconds=0.5),
                                self.folder)
        self.assertEqual(run.problem, "timeout")
        self.assertIn("of CPU time", run.how)
        self.assertEqual(run.unfinished, "Ex1_1_Add.Works")

    def test_a_run_that_is_merely_slow_is_told_apart_from_a_hang(self):
        program = fake_program(self.folder, "burn1.2")
        slow_calls = []
        run = running.run_tests(program, ["Ex1_1_Add"], running.Limits(cpu_seconds=0.8),
                                self.folder, on_slow=slow_calls.append)
        self.assertEqual(run.problem, "too_slow", run.how)
        self.assertRegex(run.how, r"^took [\d.]+ s of CPU time, more than the 0.8 s allowed$")
        self.assertEqual(len(slow_calls), 1)
        why, what_to_do = explaining.crash_advice(run, an_exercise())
        self.assertIn("--timeout", what_to_do)
        self.assertNotIn("never ends", why)

    def test_a_program_that_crashes_is_reported_with_its_signal(self):
        program = fake_program(self.folder, "segfault")
        run = running.run_tests(program, ["Ex1_1_Add"], running.Limits(cpu_seconds=5),
                                self.folder)
        self.assertEqual(run.problem, "crashed")
        self.assertIn("SIGSEGV", run.how)
        self.assertEqual(run.unfinished, "Ex1_1_Add.Works")


class BoundedOutput(Scratch):
    def grow_in_kilobytes(self, behaviour: str) -> tuple[float, running.ProgramRun]:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        program = fake_program(self.folder, behaviour)
        run = running.run_tests(program, ["Ex1_1_Add"], running.Limits(cpu_seconds=1.0),
                                self.folder)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, run

    def test_a_test_that_prints_forever_does_not_fill_the_checkers_memory(self):
        # Before: MemoryError in results_from_output after 4 GB of output.
        grown, run = self.grow_in_kilobytes("print_forever")
        self.assertEqual(run.problem, "timeout")
        self.assertLess(grown, 100 * 1024, "the checker kept the output")
        self.assertLessEqual(len(run.output.splitlines()), running.ConsoleDigest.TAIL_LINES)
        self.assertEqual(run.unfinished, "Ex1_1_Add.Works")

    def test_a_test_that_prints_forever_is_stopped_within_seconds_by_what_it_printed(self):
        # Before: a debug print in an endless loop was called a hang after 342 s on the clock:
        # blocked on the pipe, it used an eighth of a CPU, and only CPU time was counted.
        program = fake_program(self.folder, "print_forever_waiting")
        started = time.monotonic()
        run = running.run_tests(program, ["Ex1_1_Add"],
                                running.Limits(cpu_seconds=60.0, max_output_bytes=4 * 2**20),
                                self.folder)
        wall = time.monotonic() - started
        self.assertEqual(run.problem, "timeout", run.how)
        self.assertIn("printed more than 4 MB", run.how)
        self.assertLess(wall, 20.0, "stopped by the clock's backstop, not by the output")
        self.assertEqual(run.unfinished, "Ex1_1_Add.Works")
        self.assertIn("debug: i = 42", run.output, "the last lines it printed are shown")
        why, what_to_do = explaining.crash_advice(run, an_exercise())
        self.assertIn("loop", why)
        self.assertIn("head", what_to_do)
        style = Style(False)
        context = commands.Context(style, mock.Mock(), self.folder, running.Limits(20), None,
                                   False, commands.BuildLock(self.folder, style))
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            commands.print_problem(context, grading.Outcome(an_exercise(), "timeout", [], [run]))
        self.assertIn("The last lines it printed:\n    debug: i = 42", printed.getvalue())

    def test_one_endless_line_is_cut(self):
        grown, run = self.grow_in_kilobytes("one_endless_line")
        self.assertEqual(run.problem, "timeout")
        self.assertLess(grown, 100 * 1024)
        self.assertTrue(all(len(line) <= running.ConsoleDigest.MAX_LINE + 2
                            for line in run.output.splitlines()))

    def test_the_digest_reads_gtest_output_in_pieces(self):
        digest = running.ConsoleDigest()
        text = (b"[ RUN      ] A.B\nx.cpp:3: Failure\nExpected equality\n[  FAILED  ] A.B (1 ms)\n"
                b"[ RUN      ] A.C\n")
        for index in range(0, len(text), 7):
            digest.feed(text[index:index + 7])
        digest.finish()
        self.assertEqual([(t.name, t.passed) for t in digest.tests], [("A.B", False)])
        self.assertEqual(digest.tests[0].failures, ["x.cpp:3\nExpected equality"])
        self.assertEqual(digest.running, "A.C")


class ListingHangs(Scratch):
    def test_a_program_that_hangs_before_main_is_a_hang_not_a_traceback(self):
        # Before: subprocess.TimeoutExpired traceback from --gtest_list_tests.
        program = fake_program(self.folder, "hang_before_main")
        index = running.TestIndex.discover([program], running.Limits(cpu_seconds=0.3))
        self.assertEqual(len(index.broken), 1)
        self.assertEqual(index.broken[0].problem, "timeout")
        self.assertIn("before its first test", index.broken[0].how)
        runner = grading.Runner(mock.Mock(build_dir=self.folder), index,
                                running.Limits(cpu_seconds=0.3))
        outcome = runner.run(an_exercise())
        self.assertEqual(outcome.state, "timeout")
        self.assertIn("before its first test", outcome.message)


class NoOrphans(Scratch):
    def hanging_checker(self) -> tuple[subprocess.Popen, int]:
        program = fake_program(self.folder, "spin")
        pid_file = self.folder / "pid"
        driver = textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(REPO / 'tools')!r})
            from pathlib import Path
            from checker import running
            running.install_signal_handlers()
            running.run_tests(Path({str(program)!r}), ["Ex1_1_Add"],
                              running.Limits(cpu_seconds=600), Path({str(self.folder)!r}))
            """)
        environment = dict(os.environ, FAKE_PID_FILE=str(pid_file))
        checker = subprocess.Popen([sys.executable, "-c", driver], env=environment)
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()):
            self.assertLess(time.monotonic(), deadline, "the fake test never started")
            time.sleep(0.05)
        return checker, int(pid_file.read_text())

    def assert_killed_with_the_checker(self, number: int) -> None:
        # Before: SIGTERM or SIGHUP left the test program spinning at 100% CPU forever.
        checker, test_pid = self.hanging_checker()
        checker.send_signal(number)
        self.assertEqual(checker.wait(timeout=60), 128 + number)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(test_pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.kill(test_pid, signal.SIGKILL)
        self.fail(f"the test program outlived the checker after signal {number}")

    def test_a_signal_while_the_checker_registers_a_program_does_not_deadlock(self):
        # Before: the handler waited for a lock the interrupted main thread held: Ctrl-C hung.
        driver = textwrap.dedent(f"""
            import os, signal, sys, time
            sys.path.insert(0, {str(REPO / 'tools')!r})
            from checker import running
            running.install_signal_handlers()
            with running._live_lock:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(30)
            """)
        result = subprocess.run([sys.executable, "-c", driver], timeout=60)
        self.assertEqual(result.returncode, 128 + signal.SIGTERM)

    def test_sigterm_kills_the_test_program(self):
        self.assert_killed_with_the_checker(signal.SIGTERM)

    def test_sighup_kills_the_test_program(self):
        self.assert_killed_with_the_checker(signal.SIGHUP)


class CommandLine(Scratch):
    def check(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(CHECK + list(arguments), capture_output=True, text=True,
                              timeout=300, cwd=REPO)

    def test_timeouts_that_are_not_positive_finite_numbers_are_refused(self):
        # Before: nan disabled the timeout; 0 and -1 made every exercise "hang".
        for value in ("nan", "inf", "-inf", "0", "-1", "soon", "1e19", "1e308"):
            with self.subTest(value=value):
                result = self.check("list", "--timeout", value)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("--timeout", result.stderr)

    def test_a_report_path_that_is_a_folder_is_refused_before_grading(self):
        # Before: a traceback after the whole grading run, and exit status 1.
        started = time.monotonic()
        result = self.check("verify", "--json", str(self.folder), "--build-dir",
                            str(self.folder / "never-built"))
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("is a folder", result.stderr)
        self.assertFalse((self.folder / "never-built").exists(), "it started building")
        self.assertLess(time.monotonic() - started, 60)

    def test_a_report_path_in_a_missing_or_unwritable_folder_is_refused(self):
        result = self.check("verify", "--json", str(self.folder / "nowhere" / "r.json"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("does not exist", result.stderr)
        if os.geteuid() != 0:  # root writes anywhere
            locked = self.folder / "locked"
            locked.mkdir(mode=0o500)
            result = self.check("verify", "--json", str(locked / "r.json"))
            self.assertEqual(result.returncode, 2)
            self.assertIn("cannot write", result.stderr)

    def test_demo_offers_every_demo_of_the_shared_list(self):
        # Before: the checker kept a list of its own, without custom_op and breast_cancer.
        result = self.check("demo", "--build-dir", str(self.folder / "never-built"))
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        names = [line.split()[0] for line in (REPO / "examples" / "demos.txt").read_text()
                 .splitlines() if line.strip() and not line.startswith("#")]
        self.assertEqual(len(names), 7, names)
        for name in names:
            self.assertRegex(result.stderr, rf"\n  {name} +\S", name)
            self.assertTrue((REPO / "examples" / name / "CMakeLists.txt").is_file(), name)
        self.assertFalse((self.folder / "never-built").exists(), "it started building")

    def test_one_exercise_can_be_checked_by_its_id(self):
        # Before: ./check 2.2 was refused.
        options, _ = cli.parse(["2.2"])
        self.assertEqual((options.command, options.id), ("check", "2.2"))
        options, _ = cli.parse(["2.2", "--no-color"])
        self.assertEqual((options.command, options.id), ("check", "2.2"))
        options, _ = cli.parse(["--no-color", "--timeout", "30", "2.2"])
        self.assertEqual((options.command, options.id, options.timeout), ("check", "2.2", 30.0))

    def test_an_empty_no_color_leaves_colour_on(self):
        # Before: NO_COLOR= (set, but empty) turned colour off; the convention says only a
        # non-empty value does.
        self.assertTrue(cli.wants_color(True, False, {"NO_COLOR": "", "TERM": "xterm"}))
        self.assertFalse(cli.wants_color(True, False, {"NO_COLOR": "1", "TERM": "xterm"}))
        self.assertFalse(cli.wants_color(True, True, {"TERM": "xterm"}))
        self.assertFalse(cli.wants_color(True, False, {"TERM": "dumb"}))
        self.assertFalse(cli.wants_color(False, False, {"TERM": "xterm"}), "not a terminal")
        self.assertTrue(cli.wants_color(True, False, {"TERM": "xterm"}))

    def test_reset_twice_in_a_second_keeps_both_copies(self):
        # Before: both backups had the same name, so the student's code was gone.
        exercises = self.folder / "exercises"
        exercise_files.generate(REPO / "solutions", exercises)
        target = exercises / "engine" / "ops.cpp"
        texts = []
        for attempt in range(2):
            text = target.read_text().replace("// BEGIN EXERCISE 1.1",
                                              f"// attempt {attempt}\n// BEGIN EXERCISE 1.1")
            target.write_text(text)
            texts.append(text)
            result = self.check("reset", "1.1", "--yes", "--exercises-dir", str(exercises))
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        backups = sorted((exercises / ".reset-backups").iterdir())
        self.assertEqual(len(backups), 2)
        self.assertEqual(sorted(path.read_text() for path in backups), sorted(texts))
        self.assertIn(".reset-backups", result.stdout)

    def test_reset_writes_a_deleted_file_again(self):
        exercises = self.folder / "exercises"
        exercise_files.generate(REPO / "solutions", exercises)
        (exercises / "nn" / "loss.cpp").unlink()
        result = self.check("reset", "6.1", "--yes", "--exercises-dir", str(exercises))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("was missing", result.stdout)
        self.assertEqual(exercise_files.check_up_to_date(REPO / "solutions", exercises), [])

    def test_reset_with_only_the_end_marker_gone_says_so(self):
        # Before: it said both markers were gone.
        exercises = self.folder / "exercises"
        exercise_files.generate(REPO / "solutions", exercises)
        target = exercises / "engine" / "ops.cpp"
        target.write_text(target.read_text().replace("// END EXERCISE 1.1\n", ""))
        result = self.check("reset", "1.1", "--yes", "--exercises-dir", str(exercises))
        self.assertEqual(result.returncode, 1)
        self.assertIn("'// END EXERCISE 1.1' is gone", result.stdout)
        self.assertNotIn("both", result.stdout)
        self.assertFalse((exercises / ".reset-backups").exists() and
                         any((exercises / ".reset-backups").iterdir()))


class Reports(Scratch):
    def test_the_report_keeps_the_explanation(self):
        outcome = grading.Outcome(an_exercise(), "failed", [], [], message="A.B: x is 1",
                                  explanation="A.B: x is 1, expected 2: because")
        path = self.folder / "report.json"
        report.write_report(path, self.folder, [outcome])
        entry = json.loads(path.read_text())["exercises"][0]
        self.assertEqual(entry["explanation"], "A.B: x is 1, expected 2: because")

    def test_a_full_disk_is_a_clear_error_and_the_old_report_stays(self):
        path = self.folder / "report.json"
        path.write_text("the old report\n")
        outcome = grading.Outcome(an_exercise(), "passed", [], [])
        full = OSError(28, "No space left on device")
        with mock.patch("os.fsync", side_effect=full):
            with self.assertRaises(UserError) as raised:
                report.write_report(path, self.folder, [outcome])
        self.assertIn("No space left on device", str(raised.exception))
        self.assertEqual(path.read_text(), "the old report\n")
        self.assertEqual(sorted(p.name for p in self.folder.iterdir()), ["report.json"])

    def test_copies_never_overwrite_each_other(self):
        source = self.folder / "ops.cpp"
        names = set()
        for attempt in range(3):
            source.write_text(f"version {attempt}\n")
            names.add(files.keep_copy(source, self.folder / "copies", "1.1"))
        self.assertEqual(len(names), 3)
        self.assertEqual(sorted(path.read_text() for path in names),
                         [f"version {attempt}\n" for attempt in range(3)])


class Messages(Scratch):
    def test_an_assertion_with_its_own_message_reads_as_that_message(self):
        # Before: "all_close(...) is false (output: 9 of 9 ..., expected ?" and a trace dump.
        failure = ("conv_test.cpp:88\nValue of: all_close(output, expected)\n"
                   "  Actual: false (output[0][1] is 3.5, expected 4.25: 9 of 9 numbers differ)\n"
                   "Expected: true\nGoogle Test trace:\nconv_test.cpp:80: stride 2, padding 1\n")
        location, said = explaining.explain_failure(failure)
        text = "\n".join(said)
        self.assertIn("output[0][1] is 3.5, expected 4.25", text)
        self.assertNotIn("expected ?", text)
        self.assertNotIn("Google Test trace", text)
        self.assertIn("stride 2, padding 1", text)
        self.assertEqual(location, "conv_test.cpp:88")

    def test_a_multi_line_assertion_message_keeps_its_expected_value(self):
        failure = ("t.cpp:1\nValue of: f()\n  Actual: false (first line\nsecond line)\n"
                   "Expected: true\n")
        said = explaining.explain_failure(failure)[1]
        self.assertEqual(said, ["first line", "second line"])

    def test_numbers_read_as_written_and_the_why_follows_a_colon(self):
        # Before: "expected 0.94999999999999996", and the reason joined with a plain space.
        failure = ("t.cpp:1\nExpected equality of these values:\n  p\n    Which is: 1.05\n  0.95\n"
                   "    Which is: 0.94999999999999996\np -= lr * grad\n")
        said = explaining.explain_failure(failure)[1]
        self.assertEqual(said[0], "p is 1.05, expected 0.95")
        test = running.TestResult("A.B", False, [failure])
        self.assertEqual(explaining.summary(test), "p is 1.05, expected 0.95: p -= lr * grad")

    def test_a_tolerance_below_a_doubles_spacing_is_cut_to_its_value(self):
        failure = ("t.cpp:1\nThe difference between x and 12.0 is 12, where\nx evaluates to 24,\n"
                   "12.0 evaluates to 12.\nThe abs_error parameter 1e-15 evaluates to "
                   "1.0000000000000001e-15 which is smaller than the minimum distance between "
                   "doubles for numbers of this magnitude which is 1.7e-15, thus making this "
                   "EXPECT_NEAR check equivalent to EXPECT_EQUAL.\nd/dx x^n\n")
        said = explaining.explain_failure(failure)[1]
        self.assertEqual(said, ["x is 24, expected 12 (give or take 1e-15)", "d/dx x^n"])

    def test_an_expected_literal_is_not_echoed(self):
        failure = ("t.cpp:1\nExpected equality of these values:\n  g\n    Which is: { 0, 0 }\n"
                   "  (std::vector<double>{0, 3})\n    Which is: { 0, 3 }\nwhy\n")
        self.assertEqual(explaining.explain_failure(failure)[1][0], "g is { 0, 0 }, expected { 0, 3 }")

    def test_a_compile_error_outside_every_exercise_says_so(self):
        # Before: loss.cpp:57 outside any region was labelled "exercise 6.3".
        exercises = self.folder / "exercises"
        exercise_files.generate(REPO / "solutions", exercises)
        loss = exercises / "nn" / "loss.cpp"
        regions = student_files.find_regions(loss.read_text())
        outside = max(region.last for region in regions.values()) + 1
        output = f"{loss}:{outside}:5: error: 'oops' was not declared in this scope\n"
        [found] = building.compiler_errors(output, exercises)
        self.assertIsNone(found.exercise)
        self.assertEqual(found.source, "nn/loss.cpp")
        said = building.describe_compiler_error(found, [])
        self.assertTrue(said.startswith("outside the exercises, in "), said)
        inside = regions["6.2"].code
        output = f"{loss}:{inside}:5: error: 'oops' was not declared in this scope\n"
        self.assertEqual(building.compiler_errors(output, exercises)[0].exercise, "6.2")

    def test_an_error_inside_a_library_template_is_placed_at_the_students_line(self):
        # Before: blamed "a file of the course" in /usr/include and stopped all grading.
        exercises = self.folder / "exercises"
        ops = exercises / "engine" / "ops.cpp"
        output = textwrap.dedent(f"""\
            /usr/include/c++/12/bits/alloc_traits.h: In instantiation of 'construct(...)':
            /usr/include/c++/12/bits/vector.tcc:117:30:   required from 'emplace_back(...)'
            {ops}:5:22:   required from here
            /usr/include/c++/12/bits/alloc_traits.h:518:28: error: no matching function for call
            """)
        [found] = building.compiler_errors(output, exercises)
        self.assertEqual((found.source, found.line), ("engine/ops.cpp", 5))
        self.assertIn("no matching function", found.message.splitlines()[0])

    def test_the_first_build_notice_is_only_for_a_new_tree(self):
        # Before: "the first build takes a few minutes" on every run.
        style = Style(False)
        build = building.Build(self.folder / "tree", self.folder, "Debug", [], False)
        context = commands.Context(style, build, self.folder, running.Limits(20), None, False,
                                   commands.BuildLock(self.folder, style))
        for exists, expected in ((False, True), (True, False)):
            if exists:
                (self.folder / "tree").mkdir()
                (self.folder / "tree" / "CMakeCache.txt").write_text("")
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                commands.first_build_notice(context)
            self.assertEqual("first time" in printed.getvalue(), expected)

    def test_the_students_tests_are_built_optimised_with_assertions(self):
        # Before: -O0, and a rerun of every earlier chapter took 42-47 s at chapter 7.
        build = building.Build(self.folder, self.folder, "Debug", [], False)
        flags = build.settings()["CMAKE_CXX_FLAGS_DEBUG"].split()
        self.assertIn("-O1", flags)
        self.assertIn("-g", flags)
        self.assertNotIn("-DNDEBUG", flags)

    def test_a_crash_shows_the_frames_of_the_students_files(self):
        # Before: gdb's bt 15 showed standard-library frames before the student's.
        exercises = self.folder / "exercises"
        student = exercises / "engine" / "backward.cpp"
        backtrace = textwrap.dedent(f"""\
            #0  0x00005555 in std::vector<int>::operator[] (this=0x1, n=9) at /usr/include/c++/12/bits/stl_vector.h:1123
            #1  0x00005556 in std::__detail::helper () at /usr/include/c++/12/bits/stl_algo.h:10
            #2  0x00005557 in micrograd::topological_order (root=...) at {student}:42
            #3  0x00005558 in micrograd::backward (root=...) at {student}:80
            #4  0x00005559 in Ex4_2_Backward_Works_Test::TestBody (this=0x2) at /repo/tests/engine/backward_test.cpp:12
            """)
        frames = explaining.frames_in(backtrace, exercises)
        self.assertEqual(len(frames), 2)
        self.assertTrue(frames[0].endswith("backward.cpp:42 in micrograd::topological_order"))
        self.assertTrue(frames[1].endswith("backward.cpp:80 in micrograd::backward"))

    def test_hang_advice_covers_loops_and_names_no_internal_function(self):
        # Before: chapter 1's advice said the ops have no loops and pointed to make_node.
        for exercise in load_exercises():
            advice = exercise.hang_advice
            if advice:
                self.assertIn("loop", advice, f"the hang advice of {exercise.id}")
                self.assertNotIn("make_node", advice, f"the hang advice of {exercise.id}")

    def test_warnings_in_the_students_files_are_kept_until_the_file_compiles_clean(self):
        # Before: -Wshadow's "declaration of 's' shadows a previous local" in a student's 3.5
        # was never shown.
        exercises = self.folder / "exercises"
        exercise_files.generate(REPO / "solutions", exercises)
        ops = exercises / "engine" / "ops.cpp"
        inside = student_files.find_regions(ops.read_text())["3.5"].code
        build = building.Build(self.folder / "tree", exercises, "Debug", [], False)
        compiled = (f"[ 40%] Building CXX object CMakeFiles/micrograd_exercises.dir{exercises}"
                    "/engine/ops.cpp.o\n")
        warned = (compiled + f"{ops}:{inside}:16: warning: declaration of 's' shadows a previous "
                  "local [-Wshadow]\n/usr/include/c++/12/x.h:3:1: warning: not the student's\n")
        build.record_warnings(warned)
        notes = building.warning_notes(build, Style(False))
        self.assertIn(f"engine/ops.cpp:{inside}: warning: declaration of 's' shadows", notes)
        self.assertIn("(in exercise 3.5)", notes)
        self.assertNotIn("not the student's", notes)
        self.assertIn("does not fail", notes)
        build.record_warnings("[100%] Built target exercise_tests\n")  # nothing compiled
        self.assertIn("shadows", building.warning_notes(build, Style(False)))
        build.record_warnings(compiled)  # compiled again, without the warning
        self.assertEqual(building.warning_notes(build, Style(False)), "")

    def test_verify_ends_with_the_line_check_prints_when_everything_passes(self):
        # Before: verify ended with the bar alone.
        exercises = load_exercises()[:2]
        outcomes = [grading.Outcome(exercise, "passed", [], []) for exercise in exercises]
        style = Style(False)
        build = building.Build(self.folder / "tree", self.folder, "Debug", [], False)
        context = commands.Context(style, build, REPO / "exercises", running.Limits(20), None,
                                   False, commands.BuildLock(self.folder, style))
        printed = io.StringIO()
        with mock.patch.object(commands, "grade_all",
                               return_value=commands.Grades(exercises, outcomes)), \
                mock.patch.object(commands.Grades, "write_report"), \
                contextlib.redirect_stdout(printed):
            status = commands.command_list(context, verbose=True)
        self.assertEqual(status, 0)
        self.assertIn(commands.every_exercise_passes(style), printed.getvalue())

    def test_a_crash_from_chapter_4_on_names_the_parents_beyond_the_second(self):
        # Before: a sort walking node->parents[i] crashed 9.1 with no word on the cause.
        exercises = {exercise.id: exercise for exercise in load_exercises()}
        run = running.ProgramRun(Path("engine_exercises"), [], "crashed",
                                 "Ex4_1_TopologicalOrder.NodesWithThreeOrMoreParents",
                                 "a segmentation fault (SIGSEGV)")
        self.assertIn("parent(i)", explaining.crash_advice(run, exercises["4.1"])[0])
        self.assertNotIn("parent(i)", explaining.crash_advice(run, exercises["2.1"])[0])

    def test_hang_advice_fits_the_chapter(self):
        # Before: the hang advice for exercise 1.1 talked about the topological sort.
        exercises = {exercise.id: exercise for exercise in load_exercises()}
        run = running.ProgramRun(Path("engine_exercises"), [], "timeout", "Ex1_1_Add.Works",
                                 "did not finish")
        first = explaining.crash_advice(run, exercises["1.1"])[0]
        sort = explaining.crash_advice(run, exercises["4.1"])[0]
        self.assertNotIn("topological", first)
        self.assertIn("topological", sort)
        self.assertNotEqual(explaining.crash_advice(run, exercises["8.1"])[0], first)


# ---- grading survives one broken file ----------------------------------------------------------

class FakeBuild:
    """Stands in for building.Build: the build fails with `errors` (source -> compiler output)
    until those files are substituted."""

    def __init__(self, folder: Path, errors: dict[str, str]):
        self.build_dir = folder
        self.errors = errors
        self.substitutes: dict[str, str] = {}
        self.builds = 0

    def configure(self) -> None:
        pass

    def build(self, targets: list[str]) -> None:
        self.builds += 1
        for source, output in self.errors.items():
            if source not in self.substitutes or "oops" in self.substitutes[source]:
                raise building.BuildFailed("build", output)


class Isolation(Scratch):
    def setUp(self) -> None:
        super().setUp()
        self.exercises_dir = self.folder / "exercises"
        exercise_files.generate(REPO / "solutions", self.exercises_dir)  # markers and stubs
        self.exercises = load_exercises()

    def test_a_compile_error_in_one_exercise_stubs_only_that_exercise(self):
        # Before: one compile error anywhere graded 0 of 32.
        ops = self.exercises_dir / "engine" / "ops.cpp"
        region = student_files.find_regions(ops.read_text())["2.1"]
        lines = ops.read_text().split("\n")
        lines[region.code - 1] += " oops"
        ops.write_text("\n".join(lines))
        output = f"{ops}:{region.code}:3: error: 'oops' was not declared in this scope\n"
        build = FakeBuild(self.folder, {"engine/ops.cpp": output})
        isolation = grading.build_isolating(build, self.exercises, self.exercises_dir)
        self.assertEqual(list(isolation.stubbed), ["2.1"])
        self.assertEqual(isolation.stubbed["2.1"].reason, "does not compile")
        substitute = build.substitutes["engine/ops.cpp"]
        self.assertEqual(len(substitute.split("\n")), len(ops.read_text().split("\n")),
                         "the substitute moved the student's lines")
        self.assertNotIn("oops", substitute)
        self.assertIn('NotImplemented("2.1"', substitute)
        changed = [number for number, (mine, built) in enumerate(
            zip(ops.read_text().split("\n"), substitute.split("\n")), start=1) if mine != built]
        self.assertEqual(changed, [region.code], "lines outside exercise 2.1 were changed")

    def test_a_compile_error_outside_the_exercises_stubs_the_whole_file(self):
        loss = self.exercises_dir / "nn" / "loss.cpp"
        text = loss.read_text() + "\noops\n"
        loss.write_text(text)
        line = len(text.split("\n")) - 1
        output = f"{loss}:{line}:1: error: 'oops' does not name a type\n"
        build = FakeBuild(self.folder, {"nn/loss.cpp": output})
        isolation = grading.build_isolating(build, self.exercises, self.exercises_dir)
        loss_ids = [e.id for e in self.exercises if e.source == "nn/loss.cpp"]
        self.assertEqual(sorted(isolation.stubbed), loss_ids)
        self.assertIn("outside the exercises", isolation.stubbed[loss_ids[0]].message)
        self.assertNotIn("oops", build.substitutes["nn/loss.cpp"])

    def test_a_missing_file_counts_as_its_stubs(self):
        (self.exercises_dir / "nn" / "optim.cpp").unlink()
        build = FakeBuild(self.folder, {})
        isolation = grading.build_isolating(build, self.exercises, self.exercises_dir)
        self.assertEqual(sorted(isolation.stubbed), ["7.1", "7.2", "7.3"])
        self.assertIn("./check reset 7.1", isolation.stubbed["7.1"].message)
        self.assertIn("nn/optim.cpp", build.substitutes)

    def test_a_hang_is_charged_to_the_exercise_whose_test_hung(self):
        # Before: one hang turned 12 later, correct exercises into timeouts.
        chosen = [e for e in self.exercises if e.chapter in (4, 5)]
        hung = chosen[0]  # 4.1: its own test hangs; every later one needs it

        class FakeRunner:
            def __init__(self) -> None:
                self.stubbed: dict[str, grading.Stubbed] = {}
                self.ran: list[str] = []

            def run(self, exercise: Exercise) -> grading.Outcome:
                self.ran.append(exercise.id)
                if exercise.id != hung.id:
                    time.sleep(0.05)  # the hang is found while the next exercise runs
                if exercise.id == hung.id or hung.id not in self.stubbed:
                    run = running.ProgramRun(Path("p"), [], "timeout", "T.t", "did not finish")
                    return grading.grade(exercise, [run], 1, self.stubbed)
                stub = (f'exercise {hung.id} "{hung.title}" is not implemented yet')
                test = running.TestResult(f"{exercise.suite_prefix}X.Y", False, [f"f:1\n{stub}"])
                return grading.grade(exercise, [running.ProgramRun(Path("p"), [test])], 1,
                                     self.stubbed)

            def run_all(self, exercises, stop_after_problem=False):
                return grading.Runner.run_all(self, exercises, stop_after_problem)

        runners: list[FakeRunner] = []

        def runner_for() -> FakeRunner:
            runners.append(FakeRunner())
            return runners[-1]

        build = FakeBuild(self.folder, {})
        outcomes, _ = grading.grade_everything(build, runner_for, chosen, self.exercises_dir)
        states = {o.exercise.id: o.state for o in outcomes}
        self.assertEqual(states[hung.id], "timeout")
        for outcome in outcomes[1:]:
            self.assertEqual(outcome.state, "blocked", outcome.exercise.id)
            self.assertEqual(outcome.follows_from, hung.id)
            self.assertIn(f"{hung.id}, which hangs", outcome.message)
        ran_while_hanging = len(runners[0].ran)
        self.assertLess(ran_while_hanging, len(chosen), "every exercise waited for its timeout")


if __name__ == "__main__":
    unittest.main()
