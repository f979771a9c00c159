"""Grading: each exercise's tests run in processes of their own, and their results become one
state per exercise. A grader needs every exercise graded even when one of them does not compile,
hangs or crashes: such an exercise is put back to its stub (in a copy, in the build tree) and the
others are graded against that, so one mistake is charged once, to the exercise that made it."""
from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import threading
from pathlib import Path
from typing import Callable

from checker import exercise_files, student_files
from checker.building import (TEST_TARGET, Build, BuildFailed, compiler_errors,
                              describe_compiler_error)
from checker.exercises import Exercise, id_key, missing_files
from checker.explaining import explain_failure, in_one_line
from checker.paths import SOLUTIONS_DIR, shown, unroot
from checker.running import (NOT_IMPLEMENTED, Limits, ProgramRun, TestIndex, TestResult,
                             exercise_of_suite, run_tests)

# blocked: written, but its tests need an exercise that was put back to its stub (see Isolation)
STATES = ("passed", "failed", "not_started", "blocked", "crashed", "timeout", "too_slow",
          "build_error", "no_tests")
PROBLEMS = ("crashed", "timeout", "too_slow")  # the run itself went wrong, not just a check


@dataclasses.dataclass
class Outcome:
    exercise: Exercise
    state: str
    tests: list[TestResult]
    runs: list[ProgramRun]
    message: str = ""      # one line, for reports
    explanation: str = ""  # the message with the test's own sentence on why, for reports
    follows_from: str | None = None  # the earlier exercise this failure probably comes from
    blocked_by: list[str] = dataclasses.field(default_factory=list)  # stubs its tests reached
    total_tests: int = 0
    detail: str = ""       # a compile error, in full, for the terminal

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

    @property
    def problem_run(self) -> ProgramRun | None:
        return next((run for run in self.runs if run.problem), None)


def stubs_reached(test: TestResult) -> list[str]:
    return [match.group(1) for failure in test.failures
            for match in NOT_IMPLEMENTED.finditer(failure)]


@dataclasses.dataclass
class Stubbed:
    """An exercise put back to its stub so the others can be graded."""
    reason: str       # "does not compile", "hangs", "crashes", "is too slow", "is missing"
    message: str      # one line, for reports
    detail: str = ""  # the compile error in full


def grade(exercise: Exercise, runs: list[ProgramRun], total_tests: int,
          stubbed: dict[str, Stubbed] | None = None) -> Outcome:
    stubbed = stubbed or {}
    tests = [test for run in runs for test in run.tests]
    outcome = Outcome(exercise, "passed", tests, runs, total_tests=total_tests)
    problem = outcome.problem_run
    if not runs:
        outcome.state = "no_tests"
        outcome.message = (f"no tests found (no suite named {exercise.suite_prefix}*): the course "
                           "is missing them, tell your instructor")
    elif problem is not None:
        outcome.state = problem.problem or "crashed"
        where = f" in {problem.unfinished}" if problem.unfinished else ""
        prefix = "crashed with " if problem.problem == "crashed" else ""
        outcome.message = f"{prefix}{problem.how}{where}"
    elif outcome.failing:
        reached = sorted({stub for test in outcome.failing for stub in stubs_reached(test)},
                         key=id_key)
        only_stubs = all(stubs_reached(test) for test in outcome.failing)
        outcome.blocked_by = reached
        if only_stubs:
            outcome.state = "not_started"
            others = [stub for stub in reached if stub != exercise.id]
            charged = [stub for stub in others if stub in stubbed]
            if charged:
                outcome.state = "blocked"
                outcome.follows_from = charged[0]
                outcome.message = "its tests need exercise " + ", ".join(
                    f"{stub}, which {stubbed[stub].reason}" for stub in charged)
            elif others:
                outcome.message = ("its tests need exercise " + ", ".join(others) +
                                   ", not implemented yet")
            else:
                outcome.message = "not implemented yet"
        else:
            outcome.state = "failed"
            test = next(test for test in outcome.failing if not stubs_reached(test))
            summary = explain_failure(test.failures[0])[1] if test.failures else ["failed"]
            outcome.message = f"{test.name}: {summary[0] if summary else 'failed'}"
            outcome.explanation = f"{test.name}: " + in_one_line(summary)
    else:
        outcome.message = ("its test passes" if len(tests) == 1 else f"all {len(tests)} tests pass")
    return outcome


class Runner:
    """Runs exercises' tests: each exercise in processes of its own, in parallel when asked."""

    def __init__(self, build: Build, index: TestIndex, limits: Limits,
                 on_slow: Callable[[Exercise, float], None] | None = None):
        self.build = build
        self.index = index
        self.limits = limits
        self.on_slow = on_slow
        self.scratch = build.build_dir / "check-results"
        self.stubbed: dict[str, Stubbed] = {}

    def run(self, exercise: Exercise) -> Outcome:
        runs = []
        total = 0
        for program, suites in self.index.by_program([exercise.id]).items():
            total += sum(self.index.test_counts[(program, suite)] for suite in suites)
            slow = None
            if self.on_slow is not None:
                on_slow = self.on_slow
                slow = lambda used: on_slow(exercise, used)  # noqa: E731
            runs.append(run_tests(program, suites, self.limits, self.scratch, slow))
        if not runs and self.index.broken:
            # The program that holds this exercise's tests could not even list them.
            runs = self.index.broken[:1]
        outcome = grade(exercise, runs, total, self.stubbed)
        if exercise.id in self.stubbed and self.stubbed[exercise.id].reason in (
                "does not compile", "is missing"):
            why = self.stubbed[exercise.id]
            outcome = Outcome(exercise, "build_error", [], [], message=why.message,
                              explanation=why.message, detail=why.detail,
                              total_tests=outcome.total_tests)
        return outcome

    def run_all(self, exercises: list[Exercise], stop_after_problem: bool = False
                ) -> list[Outcome | None]:
        """Every exercise's outcome, in order. With `stop_after_problem`, exercises after the
        first one that hangs or crashes are not started (None): they are run again once that
        one is a stub."""
        first_problem: list[tuple[int, int]] = []
        lock = threading.Lock()

        def one(exercise: Exercise) -> Outcome | None:
            with lock:
                if stop_after_problem and first_problem and exercise.key > first_problem[0]:
                    return None
            outcome = self.run(exercise)
            if outcome.state in PROBLEMS:
                with lock:
                    first_problem[:] = sorted(first_problem + [exercise.key])[:1]
            return outcome

        workers = max(1, min(len(exercises), os.cpu_count() or 2))
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            return list(pool.map(one, exercises))

    def run_together(self, exercises: list[Exercise]) -> dict[str, list[TestResult]]:
        """The tests of many exercises, one process per test program (for the walk-through)."""
        results: dict[str, list[TestResult]] = {exercise.id: [] for exercise in exercises}
        for program, suites in self.index.by_program([e.id for e in exercises]).items():
            run = run_tests(program, suites, self.limits.scaled(len(suites)), self.scratch)
            if run.problem in ("crashed", "timeout"):
                raise CourseProblem(f"{shown(program)} {run.how} while running "
                                    f"{run.unfinished or 'its tests'}")
            for test in run.tests:
                identifier = exercise_of_suite(test.name.split(".")[0])
                if identifier:
                    results.setdefault(identifier, []).append(test)
        return results


class CourseProblem(Exception):
    """The course itself is wrong (a test depends on a later exercise, a stub no test reaches)."""


# ---- grading everything, whatever is broken ----------------------------------------------------

class Isolation:
    """The exercises put back to their stubs, and the texts of the files built in their place."""

    def __init__(self, exercises_dir: Path, exercises: list[Exercise]):
        self.exercises_dir = exercises_dir
        self.exercises = exercises
        self.stubbed: dict[str, Stubbed] = {}
        self.whole_files: set[str] = set()

    def stub_exercise(self, identifier: str, why: Stubbed) -> None:
        self.stubbed[identifier] = why

    def stub_file(self, source: str, why: Stubbed) -> None:
        self.whole_files.add(source)
        for exercise in self.exercises:
            if exercise.source == source:
                self.stubbed.setdefault(exercise.id, why)

    def stub_missing_files(self) -> None:
        """An exercise file the student deleted counts as its stubs."""
        for source in missing_files(self.exercises_dir, self.exercises):
            first = next(e for e in self.exercises if e.source == source)
            message = (f"{shown(self.exercises_dir / source)} is missing: ./check reset "
                       f"{first.id} writes it again with its stubs")
            self.stub_file(source, Stubbed("is missing", message))

    def substitutes(self) -> dict[str, str]:
        """relative path -> the text built in its place."""
        texts = {}
        sources = {e.source for e in self.exercises if e.id in self.stubbed} | self.whole_files
        for source in sorted(sources):
            text = None
            if source not in self.whole_files:
                stubs = {e.id: exercise_files.stub_statement(e.id, e.title)
                         for e in self.exercises if e.source == source and e.id in self.stubbed}
                try:
                    student = (self.exercises_dir / source).read_text(errors="replace")
                    text = student_files.with_stubs(student, stubs)
                except (OSError, exercise_files.GeneratorError):
                    text = None
            if text is None:  # the whole file counts as its stubs
                text = stub_file(source)
                self.whole_files.add(source)
            texts[source] = text
        return texts


def stub_file(source: str) -> str:
    """The exercise file as generated: every exercise a stub."""
    solution = next(file for file in exercise_files.read_solutions(SOLUTIONS_DIR)
                    if file.source == source)
    return exercise_files.render_exercise(solution)


def build_isolating(build: Build, exercises: list[Exercise], exercises_dir: Path) -> Isolation:
    """Builds the student's tests; an exercise that does not compile is put back to its stub (a
    file that does not compile outside its exercises, or is missing, counts as its stubs) until
    the rest builds. Raises BuildFailed when the failure is not in the student's files."""
    isolation = Isolation(exercises_dir, exercises)
    isolation.stub_missing_files()
    for _ in range(len(exercises) + 2):
        build.substitutes = isolation.substitutes()
        try:
            build.configure()
            build.build([TEST_TARGET])
            return isolation
        except BuildFailed as error:
            if error.stage != "build":
                raise
            progressed = False
            for found in compiler_errors(error.output, exercises_dir):
                if found.source is None:
                    continue
                why = Stubbed("does not compile", "does not compile: " +
                              found.message.splitlines()[0] + " (" +
                              describe_compiler_error(found, exercises) + ")", found.message)
                region = student_files.find_regions_in(exercises_dir / found.source).get(
                    found.exercise or "")
                can_stub_region = (found.exercise is not None and region is not None and
                                   region.has_begin and region.has_end and
                                   found.exercise not in isolation.stubbed)
                if can_stub_region:
                    isolation.stub_exercise(found.exercise, why)
                    progressed = True
                elif found.source not in isolation.whole_files:
                    isolation.stub_file(found.source, why)
                    progressed = True
            if not progressed:
                raise
    raise BuildFailed("build", "the build keeps failing after every broken exercise was "
                      "put back to its stub")


def grade_everything(build: Build, runner_for: Callable[[], Runner], exercises: list[Exercise],
                     exercises_dir: Path, rounds: int = 5) -> tuple[list[Outcome], Runner]:
    """Every exercise graded: broken ones put back to their stubs for the others' sake. An
    exercise that hangs or crashes is charged once: it is made a stub and the exercises after it
    run again, so those that only needed it say so instead of hanging too."""
    isolation = build_isolating(build, exercises, exercises_dir)
    runner = runner_for()
    runner.stubbed = isolation.stubbed
    outcomes = runner.run_all(exercises, stop_after_problem=True)
    for _ in range(rounds):
        # A program that fails before its first test (a global initialiser) is no exercise's
        # doing: making an exercise a stub cannot fix it.
        charged = next((o for o in outcomes if o is not None and o.state in PROBLEMS and
                        o.exercise.id not in isolation.stubbed and o.problem_run is not None and
                        not o.problem_run.before_first_test), None)
        if charged is None:
            break
        reason = {"timeout": "hangs", "crashed": "crashes", "too_slow": "is too slow"}
        isolation.stub_exercise(charged.exercise.id, Stubbed(reason[charged.state],
                                                             unroot(charged.message)))
        build.substitutes = isolation.substitutes()
        build.configure()
        build.build([TEST_TARGET])
        runner = runner_for()
        runner.stubbed = isolation.stubbed
        again = [position for position, outcome in enumerate(outcomes)
                 if exercises[position].key > charged.exercise.key and
                 (outcome is None or outcome.state in PROBLEMS)]
        rerun = runner.run_all([exercises[position] for position in again],
                               stop_after_problem=True)
        for position, outcome in zip(again, rerun):
            outcomes[position] = outcome
    final = []
    for exercise, outcome in zip(exercises, outcomes):
        if outcome is None:  # still waiting after the last round: grade it as it is
            outcome = runner.run(exercise)
        final.append(outcome)
    return final, runner
