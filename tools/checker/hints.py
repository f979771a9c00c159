"""Hints one level at a time: the idea, then the approach, then the shape of the code. How far a
student went is kept in the exercises folder (and reported to graders)."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path

from checker.exercises import Exercise
from checker.files import atomic_write_text
from checker.output import Style, indent

HINT_LEVELS = ["the idea", "the approach", "the shape of the code"]
HINT_STATE = ".check-hints.json"  # in the exercises folder: how far each exercise's hints went


def hint_levels_seen(exercises_dir: Path) -> dict[str, int]:
    try:
        data = json.loads((exercises_dir / HINT_STATE).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(value, int)}


def level_name(number: int) -> str:
    return HINT_LEVELS[number - 1] if number <= len(HINT_LEVELS) else f"hint {number}"


def hint_pointer(style: Style, exercises_dir: Path, exercise: Exercise) -> str:
    """One line that says how to get the next hint, for the exercise a student is on."""
    if not exercise.hints:
        return ""
    seen = hint_levels_seen(exercises_dir).get(exercise.id, 0)
    left = len(exercise.hints) - seen
    if left <= 0:
        return style.dim(f"  (all {len(exercise.hints)} hints shown: ./check hint "
                         f"{exercise.id} shows them again)") + "\n"
    return style.yellow(f"  Stuck? ./check hint {exercise.id} gives {level_name(seen + 1)} "
                        f"({left} of {len(exercise.hints)} hints left)") + "\n"


def show_next_hint(style: Style, exercises_dir: Path, exercise: Exercise) -> None:
    """Prints the hints seen so far and one more, and remembers it."""
    if not exercise.hints:
        print("  This exercise has no hints: the comment above it says it all.")
        return
    state = hint_levels_seen(exercises_dir)
    seen = state.get(exercise.id, 0)
    level = min(seen + 1, len(exercise.hints))
    for number, hint in enumerate(exercise.hints[:level], start=1):
        title = style.yellow(f"Hint {number} of {len(exercise.hints)}, {level_name(number)}:")
        print(f"  {title}\n" + indent(hint.split("\n"), "    ") + "\n")
    if level < len(exercise.hints):
        print(style.dim(f"  Run ./check hint {exercise.id} again for the next one."))
    else:
        print(style.dim("  That is every hint. Still stuck? Read the failing test: it says what "
                        "it checks and why."))
    if level > seen:
        state[exercise.id] = level
        with contextlib.suppress(OSError):
            atomic_write_text(exercises_dir / HINT_STATE,
                              json.dumps(state, indent=2, sort_keys=True) + "\n")
