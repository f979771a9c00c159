"""The student's commands: check (all, or one exercise), watch, list, verify, hint, reset (demo is
in demos.py)."""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import sys
import textwrap
import time
from pathlib import Path

from checker import exercise_files, student_files
from checker.blame import Cause, attribute_failures, blame
from checker.building import (TEST_TARGET, Build, BuildFailed, explain_build_failure,
                              warning_notes)
from checker.exercises import (FORMULA_INDENT, Exercise, find_exercise, load_exercises,
                                stub_location)
from checker.explaining import crash_advice, crash_location, explain_failure
from checker.files import keep_copy
from checker.grading import (PROBLEMS, Isolation, Outcome, Runner, grade_everything,
                             stubs_reached)
from checker.hints import hint_pointer, show_next_hint
from checker.output import Style, UserError, indent
from checker.paths import BACKUPS_FOLDER, SOLUTIONS_DIR, shown, unroot
from checker.report import write_report
from checker.running import Limits, TestIndex

# Measured: `./check` from a fresh clone on a 2-core machine (see exercises/README.md).
FIRST_BUILD = "one to four minutes on two cores"


class BuildLock:
    """One checker per build tree at a time: a second one (./check next to ./check watch) waits
    instead of rebuilding the programs the first one is running."""

    def __init__(self, build_dir: Path, style: Style):
        self.path = build_dir / "check.lock"
        self.style = style
        self.file = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "w")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(self.style.dim(f"Another ./check is using {shown(self.path.parent)}; waiting "
                                 "for it to finish…"), flush=True)
            fcntl.flock(self.file, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing releases the lock
            self.file = None


@dataclasses.dataclass
class Context:
    style: Style
    build: Build
    exercises_dir: Path
    limits: Limits
    json_path: Path | None
    assume_yes: bool
    lock: BuildLock


def slow_notice(context: Context):
    """Tells a student at the terminal that a test is taking long, before it is stopped."""
    def notice(exercise: Exercise, used: float) -> None:
        if context.build.show_progress:
            print(context.style.dim(
                f"  exercise {exercise.id} is still running after {used:.0f} s of CPU time; "
                f"it is stopped at {context.limits.stop_cpu_seconds:g} s (Ctrl-C stops it now)"),
                flush=True)
    return notice


def make_runner(context: Context) -> Runner:
    index = TestIndex.discover(context.build.test_programs(), context.limits)
    return Runner(context.build, index, context.limits, slow_notice(context))


def first_build_notice(context: Context) -> None:
    if context.build.is_new:
        print(context.style.dim(f"Building your exercises for the first time (this takes "
                                f"{FIRST_BUILD})…"),
              end="\r" if context.build.show_progress else "\n", flush=True)


def prepare(context: Context, exercises: list[Exercise], progress: bool = True) -> Runner:
    """Builds, then finds the exercises' tests. A missing exercise file is built from its stubs
    (and reported); a compile error raises BuildFailed."""
    if progress:
        first_build_notice(context)
    isolation = Isolation(context.exercises_dir, exercises)
    isolation.stub_missing_files()
    context.build.substitutes = isolation.substitutes()
    context.build.configure()
    context.build.build([TEST_TARGET])
    runner = make_runner(context)
    runner.stubbed = isolation.stubbed
    return runner


@dataclasses.dataclass
class Grades:
    exercises: list[Exercise]
    outcomes: list[Outcome]
    build_message: str = ""  # why nothing could be built (a failure outside the student's files)

    def write_report(self, context: Context) -> None:
        write_report(context.json_path, context.exercises_dir, self.outcomes, self.build_message)


def grade_all(context: Context, show_build_failure: bool = True) -> Grades:
    """Every exercise graded, whatever does not compile, hangs or crashes (list, verify, the
    JSON report)."""
    exercises = load_exercises()
    first_build_notice(context)
    try:
        outcomes, runner = grade_everything(context.build, lambda: make_runner(context),
                                            exercises, context.exercises_dir)
    except BuildFailed as error:
        headline, text = explain_build_failure(error, context.exercises_dir, context.style,
                                               exercises)
        if show_build_failure:
            print(text)
        outcomes = [Outcome(e, "build_error", [], [], message=headline) for e in exercises]
        return Grades(exercises, outcomes, headline)
    attribute_failures(runner, outcomes)
    return Grades(exercises, outcomes)


def progress_bar(style: Style, done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else width
    bar = style.green(style.bar_full * filled) + style.dim(style.bar_empty * (width - filled))
    return f"{bar} {done}/{total} exercises done"


def print_chapters(style: Style, outcomes: list[Outcome]) -> None:
    chapters: dict[int, list[str]] = {}
    for outcome in outcomes:
        mark = style.state_mark(outcome.state)
        chapters.setdefault(outcome.exercise.chapter, []).append(f"{mark} {outcome.exercise.id}")
    for chapter, marks in chapters.items():
        print(f"  chapter {chapter}:  " + "  ".join(marks))


def describe_exercise(context: Context, exercise: Exercise, with_hint: bool = True) -> str:
    style = context.style
    text = f"  {style.bold(stub_location(context.exercises_dir, exercise))}  " \
           f"exercise {exercise.name()}\n"
    for line in exercise.description.split("\n") if exercise.description else []:
        laid_out = line.startswith(FORMULA_INDENT)
        text += indent([line] if laid_out else textwrap.wrap(line, 92), "  ") + "\n"
    if with_hint:
        text += hint_pointer(style, context.exercises_dir, exercise)
    return text


def print_outcome_details(context: Context, outcome: Outcome) -> None:
    style = context.style
    exercise = outcome.exercise
    print()
    if outcome.state == "passed":
        print(style.green(f"{style.passed} Exercise {exercise.name()} passes") +
              f": {outcome.message}")
        return
    if outcome.state == "not_started":
        others = [stub for stub in outcome.blocked_by if stub != exercise.id]
        print(style.bold(f"Next up: exercise {exercise.name()}") +
              style.dim("  (not implemented yet)"))
        print(describe_exercise(context, exercise))
        if others:
            print(style.yellow(f"  Its tests also reach exercise {', '.join(others)}, which is "
                               "still a stub: finish that one too."))
        print("  Write it, save, and run ./check again (or leave ./check watch running).")
        return
    if outcome.state == "blocked":
        print(style.yellow(f"Exercise {exercise.name()} cannot be checked yet") +
              f": {unroot(outcome.message)}")
        print(describe_exercise(context, exercise, with_hint=False))
        return
    if outcome.state == "no_tests":
        print(style.red(f"{style.failed} Exercise {exercise.name()} has no tests.") +
              f" {outcome.message}")
        return
    if outcome.state == "build_error":
        print(style.red(f"{style.failed} Exercise {exercise.name()}: {unroot(outcome.message)}"))
        if outcome.detail:
            print(indent(outcome.detail, "  "))
        return
    if outcome.state in PROBLEMS:
        print_problem(context, outcome)
        return
    failing = outcome.failing
    print(style.red(f"{style.failed} Exercise {exercise.name()} is not right yet") +
          style.dim(f"  ({outcome.tests_passed} of {len(outcome.tests)} tests pass)"))
    print(describe_exercise(context, exercise, with_hint=False))
    shown_tests = [test for test in failing if not stubs_reached(test)][:1] or failing[:1]
    for test in shown_tests:
        for failure in test.failures[:3]:
            location, said = explain_failure(failure)
            print(f"  {style.red('Failed:')} {test.name}" +
                  (style.dim(f"  ({location})") if location else ""))
            print(indent(said, "    "))
        if len(test.failures) > 3:
            print(f"    … and {len(test.failures) - 3} more failed checks in this test")
    others = [test.name for test in failing if test not in shown_tests]
    if others:
        listed = ", ".join(others[:4]) + (", …" if len(others) > 4 else "")
        print(style.dim(f"  Also failing: {listed}"))
    late = [stub for stub in outcome.blocked_by if stub != exercise.id]
    if late:
        print(style.yellow(f"  Some of its tests reach exercise {', '.join(late)}, still a stub."))
    print(hint_pointer(style, context.exercises_dir, exercise), end="")


def print_problem(context: Context, outcome: Outcome) -> None:
    """A crash, a hang or a run that is too slow: what happened, where, and what to try."""
    style = context.style
    exercise = outcome.exercise
    run = outcome.problem_run
    assert run is not None
    verb = {"crashed": "crashed", "timeout": "hangs", "too_slow": "is too slow"}[outcome.state]
    print(style.red(f"{style.failed} Exercise {exercise.name()} {verb}") +
          f": {run.how}" + (f"\n  while running {run.unfinished}" if run.unfinished else ""))
    print(describe_exercise(context, exercise, with_hint=False))
    if outcome.state == "crashed":
        frames = crash_location(run, context.exercises_dir)
        if frames:
            print("  Where it crashed, in your code (innermost first):")
            print(indent(frames[:5], "    "))
            print()
    if outcome.state == "timeout":
        printed = [line[:120] for line in run.output.splitlines() if line.strip()][-5:]
        if printed:
            print("  The last lines it printed:")
            print(indent(printed, "    "))
            print()
    why, how = crash_advice(run, exercise)
    print(indent(textwrap.wrap(why, 94), "  "))
    print(indent(how, "  "))
    print(hint_pointer(style, context.exercises_dir, exercise), end="")


def print_cause(context: Context, outcome: Outcome, cause: Cause) -> None:
    """An exercise fails, and an earlier op fails on its own: name the earlier one first."""
    style = context.style
    print()
    print(style.red(f"{style.failed} Exercise {outcome.exercise.name()} is not right yet") +
          ", but the mistake is probably earlier:")
    print(f"  exercise {cause.exercise.name()} passed its own tests, and yet fails a check of "
          "its op on its own:")
    print(indent(textwrap.wrap(unroot(cause.explanation), 92), "    "))
    print()
    print(describe_exercise(context, cause.exercise).rstrip())
    print(style.dim(f"  Fix {cause.exercise.id} first; {outcome.exercise.id} failed with: "
                    f"{unroot(outcome.message)}"))


def report_build_failure(context: Context, error: BuildFailed,
                         exercises: list[Exercise]) -> int:
    headline, text = explain_build_failure(error, context.exercises_dir, context.style, exercises)
    print(text)
    if exercises:
        print(progress_bar(context.style, 0, len(exercises)).replace(" done", " done (it must "
              "compile before anything can be checked)"))
    if context.json_path is not None:
        print(context.style.dim("Grading every other exercise for the report…"), flush=True)
        grade_all(context, show_build_failure=False).write_report(context)
    return 1


def every_exercise_passes(style: Style) -> str:
    return (style.green(style.bold(f"{style.passed} Every exercise passes.")) +
            " You wrote an autograd engine. Now train something with it: ./check demo moons")


def command_check(context: Context, only: str | None = None) -> int:
    """Runs the exercises in chapter order and stops at the first that does not pass; with
    `only`, runs that one exercise."""
    style = context.style
    started = time.monotonic()
    exercises = load_exercises()
    chosen = exercises if only is None else [find_exercise(exercises, only)]
    try:
        runner = prepare(context, exercises)
    except BuildFailed as error:
        return report_build_failure(context, error, exercises)
    outcomes = []
    for exercise in chosen:
        outcome = runner.run(exercise)
        outcomes.append(outcome)
        if outcome.state != "passed":
            break
    done = sum(1 for outcome in outcomes if outcome.state == "passed")
    if only is None:
        print_chapters(style, outcomes)
    notes = warning_notes(context.build, style)
    if notes:
        print("\n" + notes, end="")
    last = outcomes[-1]
    if last.state != "passed" or only is not None:
        cause = blame(runner, last, exercises)
        if cause is not None:
            print_cause(context, last, cause)
        else:
            print_outcome_details(context, last)
    else:
        print("\n" + every_exercise_passes(style))
    print()
    elapsed = style.dim(f"   ({time.monotonic() - started:.1f} s)")
    if only is None:
        print(progress_bar(style, done, len(exercises)) + elapsed)
    else:
        print(f"exercise {only}: {last.state.replace('_', ' ')}" + elapsed)
    if context.json_path:
        grade_all(context).write_report(context)
    return 0 if done == len(chosen) else 1


def command_watch(context: Context) -> int:
    watched = context.exercises_dir

    def snapshot() -> dict[str, tuple[int, int]]:
        files = {}
        for path in watched.rglob("*"):
            name = path.name
            if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
                continue
            with contextlib.suppress(OSError):
                if path.is_file():
                    status = path.stat()
                    files[str(path)] = (status.st_mtime_ns, status.st_size)
        return files

    last = snapshot()
    while True:
        print("\033[2J\033[H", end="", flush=True)
        try:
            command_check(context)
        except UserError as error:
            print(context.style.red(str(error)))
        print(context.style.dim(f"\nWatching {shown(watched)}/ for changes. Save a file to check "
                                "again; Ctrl-C to stop."), flush=True)
        context.lock.release()
        while True:
            time.sleep(1.0)
            current = snapshot()
            if current != last:
                time.sleep(0.3)  # let the editor finish writing
                last = snapshot()
                break
        context.lock.acquire()


LABELS = {"passed": "done", "failed": "failing", "not_started": "not started",
          "blocked": "blocked", "crashed": "crashes", "timeout": "hangs", "too_slow": "too slow",
          "no_tests": "no tests", "build_error": "build error"}


def command_list(context: Context, verbose: bool) -> int:
    style = context.style
    grades = grade_all(context)
    exercises, outcomes = grades.exercises, grades.outcomes
    title_width = max(len(exercise.title) for exercise in exercises) + 2
    chapter = None
    for outcome in outcomes:
        exercise = outcome.exercise
        if exercise.chapter != chapter:
            chapter = exercise.chapter
            print(style.bold(f"chapter {chapter}"))
        label = LABELS[outcome.state]
        print(f"  {style.state_mark(outcome.state)} {exercise.id:<5} "
              f"{exercise.title:<{title_width}} {label:<12} "
              f"{style.dim(stub_location(context.exercises_dir, exercise))}")
        if verbose and (outcome.state not in ("passed", "not_started") or outcome.follows_from):
            if outcome.state == "blocked":
                print(style.dim(f"          {unroot(outcome.message)}"))
            elif outcome.follows_from:
                print(style.dim(f"          probably follows from exercise {outcome.follows_from}"
                                f" (fix that first): {unroot(outcome.message)}"))
            else:
                print(style.dim(f"          {unroot(outcome.message)}"))
    done = sum(1 for outcome in outcomes if outcome.state == "passed")
    notes = warning_notes(context.build, style)
    if notes:
        print("\n" + notes, end="")
    print()
    if verbose and done == len(exercises):
        print(every_exercise_passes(style))
    print(progress_bar(style, done, len(exercises)))
    grades.write_report(context)
    return 0 if done == len(exercises) else 1


def command_hint(context: Context, identifier: str | None) -> int:
    if identifier is None:
        exercises = load_exercises()
        try:
            runner = prepare(context, exercises, progress=False)
        except BuildFailed as error:
            return report_build_failure(context, error, exercises)
        current = next((exercise for exercise in exercises
                        if runner.run(exercise).state != "passed"), None)
        if current is None:
            print("Every exercise passes: no hint needed.")
            return 0
    else:
        current = find_exercise(load_exercises(), identifier)
    print(describe_exercise(context, current, with_hint=False).rstrip())
    print()
    show_next_hint(context.style, context.exercises_dir, current)
    return 0


def command_reset(context: Context, identifier: str | None) -> int:
    if identifier is None:
        raise UserError("which exercise? e.g. ./check reset 2.1")
    exercise = find_exercise(load_exercises(), identifier)
    target = context.exercises_dir / exercise.source
    backups = context.exercises_dir / BACKUPS_FOLDER
    if target.exists():
        print(f"This puts the stub of exercise {exercise.name()} back in {shown(target)},")
        print(f"replacing what you wrote there. (A copy of the file is kept in {shown(backups)}/.)")
    else:
        print(f"{shown(target)} is missing: this writes it again, with the stubs of its "
              "exercises.")
    if not context.assume_yes:
        if not sys.stdin.isatty():
            raise UserError("not resetting without a yes: run it in a terminal, or pass --yes")
        if input("Reset it? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    backup = keep_copy(target, backups, exercise.id) if target.exists() else None
    try:
        done = student_files.reset_exercise(SOLUTIONS_DIR, context.exercises_dir, exercise.id)
    except exercise_files.GeneratorError as error:
        print(context.style.red(unroot(str(error))))
        if backup is not None:
            print(f"  Nothing was changed; the copy {shown(backup)} is not needed.")
            backup.unlink()
        return 1
    print(context.style.green(f"{context.style.passed} Restored.") + f" {unroot(done)}")
    print(f"  Start again at {stub_location(context.exercises_dir, exercise)}")
    if backup is not None:
        print(f"  Your previous file: {shown(backup)}")
    return 0
