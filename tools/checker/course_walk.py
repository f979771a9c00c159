"""For course maintainers: the course walked as a student would (`./check walk`), and every
wrong answer of the catalogue built in place of its exercise (`./check mutants`). Both work in a
scratch copy of exercises/, never in exercises/ itself."""
from __future__ import annotations

import time
from pathlib import Path

from checker import course_notes, exercise_files
from checker.building import TEST_TARGET, Build, BuildFailed, explain_build_failure
from checker.commands import Context
from checker.exercises import Exercise, find_exercise, load_exercises
from checker.explaining import summary
from checker.files import sync_tree
from checker.grading import CourseProblem, Runner, stubs_reached
from checker.output import UserError
from checker.paths import DEFAULT_EXERCISES_DIR, SOLUTIONS_DIR, absolute, shown, unroot
from checker.running import TestIndex, TestResult

# the fewest wrong answers an exercise's catalogue may hold
MUTANTS_PER_EXERCISE = 3


def scratch_copy(build: Build, command: str) -> Path:
    """The scratch folder walk and mutants rewrite, refreshed from exercises/ (never exercises/
    itself: a student's work there would be overwritten)."""
    scratch = build.exercises_dir
    if absolute(scratch) == DEFAULT_EXERCISES_DIR:
        raise UserError(f"{command} rewrites the exercises it is given: pass --exercises-dir "
                        "SCRATCH")
    sync_tree(DEFAULT_EXERCISES_DIR, scratch)
    return scratch


def command_walk(context: Context, build: Build) -> int:
    """Fills the exercises in one at a time in a scratch copy and checks, after each one, that its
    tests pass, that every later exercise still fails, and that the next exercise's tests reach
    its stub. Exit status 1 if the course is broken anywhere."""
    style = context.style
    started = time.monotonic()
    scratch = scratch_copy(build, "walk")
    print(f"Walking the course in {shown(scratch)} (build: {shown(build.build_dir)})", flush=True)
    try:
        build.configure()
        build.build([TEST_TARGET])
    except BuildFailed as error:
        print(explain_build_failure(error, scratch, style)[1])
        return 1
    exercises = load_exercises()
    runner = Runner(build, TestIndex.discover(build.test_programs(), context.limits),
                    context.limits)
    problems: list[str] = []
    without_tests: set[str] = set()  # reported once, then left out
    early_suites: set[str] = set()   # suites passing before their exercise: reported once

    def problem(text: str) -> None:
        problems.append(text)
        print(style.red(f"  {style.failed} {text}"), flush=True)

    def first_failure(tests: list[TestResult]) -> str:
        for test in tests:
            if not test.passed:
                return f"{test.name}: {summary(test)}"
        return ""

    def run_later(solved: str, later: list[Exercise]) -> dict[str, list[TestResult]]:
        try:
            return runner.run_together(later)
        except CourseProblem as error:
            problem(f"solved through {solved}: {error}")
            return {}

    def check_later(solved: str, later: list[Exercise], results: dict[str, list[TestResult]],
                    strict: bool = False) -> None:
        """After solving through `solved`: every later exercise's suites fail (with `strict`,
        every test, each at a stub), and the next exercise's tests reach its own stub."""
        for position, exercise in enumerate(later):
            tests = results.get(exercise.id, [])
            if not tests:
                if exercise.id not in without_tests:
                    without_tests.add(exercise.id)
                    problem(f"exercise {exercise.name()} has no tests (no suite "
                            f"{exercise.suite_prefix}*)")
                continue
            if strict:
                for test in tests:
                    if test.passed:
                        early_suites.add(test.name.split(".")[0])
                        problem(f"{test.name} passes with every exercise a stub")
                    elif not stubs_reached(test):
                        problem(f"{test.name} fails without reaching a stub: "
                                f"{first_failure([test])}")
            else:
                suites: dict[str, bool] = {}
                for test in tests:
                    suite = test.name.split(".")[0]
                    suites[suite] = suites.get(suite, True) and test.passed
                for suite, all_pass in suites.items():
                    if all_pass and suite not in early_suites:
                        early_suites.add(suite)
                        problem(f"{suite} passes with exercise {exercise.id} still a stub "
                                f"(solved through {solved}): its tests do not exercise "
                                f"{exercise.id}")
            if position == 0 and not any(exercise.id in stubs_reached(t) for t in tests):
                reached = sorted({stub for test in tests for stub in stubs_reached(test)})
                problem(f"no test of exercise {exercise.id} reaches its stub when it is next "
                        f"(solved through {solved}; they reach {', '.join(reached) or 'no stub'})")

    # 1. Every stub in place: every test of every exercise fails with NotImplemented, and the
    #    first exercise's tests reach its stub.
    step_started = time.monotonic()
    check_later("nothing", exercises, run_later("nothing", exercises), strict=True)
    print(f"[{0:>2}/{len(exercises)}] every stub in place: every test fails with NotImplemented "
          f"({time.monotonic() - step_started:.1f} s)", flush=True)

    # 2. One exercise at a time.
    for position, exercise in enumerate(exercises, start=1):
        step_started = time.monotonic()
        exercise_files.generate(SOLUTIONS_DIR, scratch, solved_through=exercise.id)
        try:
            build.build([TEST_TARGET])
        except BuildFailed as error:
            problem(f"solved through {exercise.id}, the build fails: "
                    f"{explain_build_failure(error, scratch, style, exercises)[0]}")
            break  # every later step would fail the same way
        built = time.monotonic() - step_started
        outcome = runner.run(exercise)
        if outcome.state != "passed" and exercise.id not in without_tests:
            detail = (first_failure(outcome.tests) if outcome.state in ("failed", "not_started")
                      else outcome.message)
            reason = ""
            if outcome.state == "not_started":
                later = [stub for stub in outcome.blocked_by if stub != exercise.id]
                reason = f" (its tests use exercise {', '.join(later)}, which comes later)"
            problem(f"exercise {exercise.name()} does not pass with exercises up to "
                    f"{exercise.id} solved{reason}: {unroot(detail)}")
        later = exercises[position:]
        check_later(exercise.id, later, run_later(exercise.id, later))
        print(f"[{position:>2}/{len(exercises)}] {exercise.id:<5} {exercise.title:<24} "
              f"{outcome.state:<11} build {built:4.1f} s, "
              f"total {time.monotonic() - step_started:4.1f} s",
              flush=True)

    elapsed = time.monotonic() - started
    if problems:
        print(style.red(f"\n{len(problems)} problem(s) in the course ({elapsed:.0f} s):"))
        for text in problems:
            print(f"  - {text}")
        return 1
    print(style.green(f"\nThe course walks: {len(exercises)} exercises, each passes with its "
                      f"solution and no earlier one needs a later one ({elapsed:.0f} s)."))
    return 0


def command_mutants(context: Context, build: Build, only: str | None) -> int:
    """Builds every wrong answer of the catalogue (solutions/*.course.md) in place of its exercise,
    with every other exercise solved, and requires that exercise's own tests to fail on it.
    Exit status 1 if a mutant survives its exercise, or the catalogue is broken."""
    style = context.style
    started = time.monotonic()
    scratch = scratch_copy(build, "mutants")
    exercises = load_exercises()
    if only is not None:
        find_exercise(exercises, only)
    exercise_files.generate(SOLUTIONS_DIR, scratch, solved_through=exercises[-1].id)
    try:
        notes = course_notes.load_notes(SOLUTIONS_DIR, [e.source for e in exercises])
    except course_notes.NotesError as error:
        print(style.red(f"{style.failed} {error}"))
        return 1
    problems: list[str] = []

    def problem(text: str) -> None:
        problems.append(text)
        print(style.red(f"  {style.failed} {text}"), flush=True)

    chosen = [exercise for exercise in exercises if only in (None, exercise.id)]
    for exercise in chosen:
        count = len(notes[exercise.id].mutants) if exercise.id in notes else 0
        if count < MUTANTS_PER_EXERCISE:
            problem(f"exercise {exercise.name()} has {count} mutant(s) in "
                    f"solutions/{exercise.source}{course_notes.NOTES_SUFFIX}; every exercise "
                    f"needs at least {MUTANTS_PER_EXERCISE}")
    try:
        build.configure()
        build.build([TEST_TARGET])
    except BuildFailed as error:
        print(explain_build_failure(error, scratch, style, exercises)[1])
        return 1
    runner = Runner(build, TestIndex.discover(build.test_programs(), context.limits),
                    context.limits)
    by_id = {exercise.id: exercise for exercise in exercises}
    rows: list[tuple[str, str, str, str]] = []  # mutant, exercise, caught where, message
    total = sum(len(notes[e.id].mutants) for e in chosen if e.id in notes)
    print(f"Building {total} wrong answers, each in place of its exercise "
          f"(in {shown(scratch)}):", flush=True)
    done = 0
    for source in sorted({exercise.source for exercise in chosen}):
        path = scratch / source
        solved = path.read_text()
        try:
            for exercise in [e for e in chosen if e.source == source]:
                for mutant in notes[exercise.id].mutants if exercise.id in notes else []:
                    done += 1
                    step_started = time.monotonic()
                    try:
                        path.write_text(course_notes.apply_mutant(solved, exercise.id, mutant))
                    except course_notes.MutantDoesNotApply as error:
                        problem(str(error))
                        continue
                    programs = sorted({program.name for program, _ in
                                       runner.index.suites.get(exercise.id, [])})
                    try:
                        build.build(programs or [TEST_TARGET])
                    except BuildFailed as error:
                        problem(f"mutant {mutant.id} ({mutant.where}) does not compile: "
                                f"{explain_build_failure(error, scratch, style, exercises)[0]}")
                        continue
                    outcome = runner.run(exercise)
                    if outcome.state != "passed":
                        where = f"{exercise.id} (its own)"
                    else:
                        where = mutant_caught_later(build, runner, exercise, exercises)
                        problem(f"mutant {mutant.id} ({mutant.description}) passes exercise "
                                f"{exercise.id}'s tests; " + (f"only {where} catches it" if where
                                                              else "no exercise catches it"))
                        where = where or "nowhere"
                    message = (unroot(outcome.explanation or outcome.message)
                               if outcome.state != "passed" else "-")
                    rows.append((mutant.id, mutant.description, where, message))
                    print(f"  [{done:>3}/{total}] {mutant.id:<32} caught at {where:<16} "
                          f"({time.monotonic() - step_started:4.1f} s)", flush=True)
        finally:
            path.write_text(solved)

    print("\nmutant | what the student wrote | caught at | message shown")
    print("---|---|---|---")
    for mutant_id, description, where, message in rows:
        print(f"{mutant_id} | {description} | {where} | {message[:300]}")
    caught = sum(1 for row in rows if row[2].endswith("(its own)"))
    elapsed = time.monotonic() - started
    totals = (f"{len(rows)} mutants, {caught} caught at their own exercise "
               f"({len(chosen)} exercises, {elapsed:.0f} s)")
    if problems:
        print(style.red(f"\n{totals}; {len(problems)} problem(s):"))
        for text in problems:
            print(f"  - {text}")
        return 1
    print(style.green(f"\n{totals}."))
    return 0


def mutant_caught_later(build: Build, runner: Runner, exercise: Exercise,
                        exercises: list[Exercise]) -> str:
    """The later exercises whose tests fail on a mutant that passed its own exercise."""
    build.build([TEST_TARGET])
    later = [other for other in exercises if other.key > exercise.key]
    try:
        results = runner.run_together(later)
    except CourseProblem as error:
        return f"a crash ({error})"
    failing = [identifier for identifier, tests in results.items()
               if any(not test.passed for test in tests)]
    return ", ".join(failing)
