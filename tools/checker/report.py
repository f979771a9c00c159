"""The JSON report for graders (`--json FILE`): every exercise's state, score and message."""
from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from checker.exercises import stub_location
from checker.files import atomic_write_text
from checker.grading import STATES, Outcome
from checker.hints import hint_levels_seen
from checker.output import UserError
from checker.paths import absolute, shown, unroot


def check_writable(path: Path) -> None:
    """Refuses a report path that cannot be written, before any grading is done (exit 2)."""
    path = absolute(path)
    if path.is_dir():
        raise UserError(f"--json {shown(path)} is a folder; give a file name, e.g. "
                        f"--json {shown(path / 'report.json')}")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"--json {shown(path)}: the folder {shown(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"--json {shown(path)}: cannot write there (permission denied)")


def write_report(path: Path | None, exercises_dir: Path, outcomes: list[Outcome],
                 build_message: str = "") -> None:
    if path is None:
        return
    by_state = {state: 0 for state in STATES}
    hints_seen = hint_levels_seen(exercises_dir)
    entries = []
    for outcome in outcomes:
        exercise = outcome.exercise
        by_state[outcome.state] += 1
        entries.append({
            "id": exercise.id,
            "title": exercise.title,
            "chapter": exercise.chapter,
            "file": stub_location(exercises_dir, exercise),
            "state": outcome.state,
            "score": outcome.score,
            "tests": outcome.total_tests,
            "tests_passed": outcome.tests_passed,
            "message": unroot(outcome.message),
            "explanation": unroot(outcome.explanation or outcome.message),
            "follows_from": outcome.follows_from,
            "hint_level": hints_seen.get(exercise.id, 0),
            "hints": len(exercise.hints),
            "failing_tests": [test.name for test in outcome.failing] +
                             [run.unfinished for run in outcome.runs if run.unfinished],
        })
    total = len(outcomes)
    score = round(sum(outcome.score for outcome in outcomes), 4)
    report = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "exercises_dir": shown(exercises_dir),
        "build": {"ok": not build_message, "message": build_message},
        "exercises": entries,
        "totals": {
            "exercises": total,
            "passed": by_state["passed"],
            "score": score,
            "max_score": total,
            "percent": round(100.0 * score / total, 1) if total else 0.0,
            "by_state": by_state,
        },
    }
    try:
        atomic_write_text(absolute(path), json.dumps(report, indent=2) + "\n")
    except OSError as error:
        raise UserError(f"could not write the report {shown(path)}: {error.strerror or error}; "
                        "the grading itself is done, run it again with another --json path") \
            from error
