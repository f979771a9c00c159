"""Blame: the earlier exercise a failure comes from. Exercise 5.1 can fail because 2.5's backward
is wrong in a way 2.5's own tests did not reach; each op also has a check on its own (suite
IsolatedOp, 50 random points against a reference), and when an exercise fails those of the
earlier exercises name the probable cause."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from checker.exercises import Exercise
from checker.explaining import summary
from checker.grading import PROBLEMS, Outcome, Runner, stubs_reached
from checker.running import TestResult, run_tests


@dataclasses.dataclass
class Cause:
    exercise: Exercise
    explanation: str  # what its isolated check says


def isolated_failures(runner: Runner, exercises: list[Exercise]) -> list[Cause]:
    """The given exercises whose ops fail their isolated checks (IsolatedOp.ExC_N_...), in
    course order. A stub that is not written yet is not a cause: it is not started."""
    wanted = [exercise for exercise in exercises if exercise.id in runner.index.isolated]
    by_program: dict[Path, list[str]] = {}
    for exercise in wanted:
        program, test = runner.index.isolated[exercise.id]
        by_program.setdefault(program, []).append(test)
    results: dict[str, TestResult] = {}
    for program, tests in by_program.items():
        run = run_tests(program, tests, runner.limits, runner.scratch)
        for test in run.tests:
            results[test.name] = test
    causes = []
    for exercise in wanted:
        test = results.get(runner.index.isolated[exercise.id][1])
        if test is None or test.passed or stubs_reached(test):
            continue
        causes.append(Cause(exercise, summary(test)))
    return causes


def blame(runner: Runner, outcome: Outcome, exercises: list[Exercise]) -> Cause | None:
    """For an exercise that fails: the earliest exercise before it whose op fails on its own,
    the probable cause of this failure. None when every earlier op checks out."""
    if outcome.state not in ("failed",) + PROBLEMS:
        return None
    earlier = [e for e in exercises if e.key < outcome.exercise.key]
    causes = isolated_failures(runner, earlier)
    return causes[0] if causes else None


def attribute_failures(runner: Runner, outcomes: list[Outcome]) -> None:
    """verify: marks each failing exercise whose failure probably follows from an earlier one
    (an earlier exercise that fails its own tests, or whose op fails on its own), so one mistake
    is reported once, at its root."""
    causes = {cause.exercise.id for cause in
              isolated_failures(runner, [outcome.exercise for outcome in outcomes])}
    broken: list[str] = []
    failing = ("failed",) + PROBLEMS
    for outcome in outcomes:
        charged_to_itself = outcome.exercise.id in runner.stubbed  # its own test hung or crashed
        if outcome.state in failing and broken and outcome.follows_from is None and \
                not charged_to_itself:
            outcome.follows_from = broken[0]
        if outcome.state in failing + ("build_error", "blocked") or outcome.exercise.id in causes:
            broken.append(outcome.exercise.id)
