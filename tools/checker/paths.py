"""Where the checker finds the course and keeps its build trees."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"
DEFAULT_EXERCISES_DIR = REPO_ROOT / "exercises"
DEFAULT_BUILD_DIR = REPO_ROOT / "build" / "exercises"
DEFAULT_WALK_DIR = REPO_ROOT / "build" / "course-walk"
DEFAULT_DEMO_DIR = REPO_ROOT / "build" / "demos"
# Copies of a student's file kept by `./check reset`: beside the exercises, never under build/
# (deleting a build tree must not delete anyone's work).
BACKUPS_FOLDER = ".reset-backups"


def absolute(path: str | Path) -> Path:
    """An absolute path without resolving symbolic links (the student's spelling stays)."""
    return Path(os.path.abspath(path))


def shown(path: str | Path) -> str:
    """A path as the student should see it: relative to the repository root when inside it."""
    try:
        return absolute(path).relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(absolute(path))


def unroot(text: str) -> str:
    """Removes the repository's absolute prefix from paths inside a message."""
    return text.replace(str(REPO_ROOT) + os.sep, "")
