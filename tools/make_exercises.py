#!/usr/bin/env python3
"""make_exercises: turns the reference solutions into the student's exercise files.

Every file under solutions/ is copied to exercises/ with each fenced region (EXERCISE line, comment
lines, BEGIN SOLUTION ... END SOLUTION) replaced by a stub that throws NotImplemented naming the
exercise; the format is described, and parsed, in checker/exercise_files.py (the student's side,
which --reset uses, in checker/student_files.py).

  make_exercises.py --solutions DIR --exercises DIR   write exercises/ (changed files only)
  make_exercises.py ... --check             exit 1 if exercises/ is out of date
  make_exercises.py ... --solved-through 2.3   keep the solutions up to 2.3 (the course walk)
  make_exercises.py ... --list              one line per exercise, tab-separated: id, title,
      file, line of EXERCISE in the solution, comment lines after it ("\\n"-joined), and the rest
      of the EXERCISE line after the title (what to write); --exercises is not needed
  make_exercises.py ... --list --json       the same as a JSON array of objects
  make_exercises.py ... --reset 2.3         restore one stub in exercises/

Exit status: 0 done, 1 a broken solution file or an out-of-date exercises/, 2 a usage error.
"""
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checker import exercise_files, student_files  # noqa: E402
from checker.exercise_files import GeneratorError  # noqa: E402

USAGE = ("usage: make_exercises --solutions DIR --exercises DIR "
         "[--check | --list [--json] | --solved-through ID | --reset ID]")


def usage() -> int:
    print(USAGE, file=sys.stderr)
    return 2


def error(message: str) -> None:
    print(f"make_exercises: {message}", file=sys.stderr)


def main(argv: list[str]) -> int:
    # Titles and paths that are not UTF-8 pass through as the bytes they were.
    sys.stdout.reconfigure(errors="surrogateescape")
    sys.stderr.reconfigure(errors="surrogateescape")
    solutions = exercises = solved_through = reset = None
    check = listing = as_json = False
    arguments = iter(argv)
    for argument in arguments:
        if argument in ("--solutions", "--exercises", "--solved-through", "--reset"):
            value = next(arguments, None)
            if value is None:
                error(f"{argument} needs a value")
                return usage()
            if argument == "--solutions":
                solutions = value
            elif argument == "--exercises":
                exercises = value
            elif exercise_files.parse_exercise_id(value) is None:
                error(f"{argument} takes an exercise id like 2.3, got '{value}'")
                return usage()
            elif argument == "--reset":
                reset = value
            else:
                solved_through = value
        elif argument == "--check":
            check = True
        elif argument == "--list":
            listing = True
        elif argument == "--json":
            as_json = True
        elif argument in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            return usage()
    if not solutions or (not exercises and not listing) or (as_json and not listing):
        return usage()

    try:
        if listing:
            infos = exercise_files.list_exercises(solutions)
            if as_json:
                print(json.dumps([dataclasses.asdict(info) for info in infos], indent=2))
            for info in [] if as_json else infos:
                print("\t".join([info.id, info.title, info.source, str(info.line),
                                 "\\n".join(info.comments), info.description]))
            return 0
        if reset:
            print(student_files.reset_exercise(solutions, exercises, reset))
            return 0
        if not check:
            exercise_files.generate(solutions, exercises, solved_through)
            return 0
        problems = exercise_files.check_up_to_date(solutions, exercises, solved_through)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            error(f"{len(problems)} file(s) differ; regenerate with: "
                  "cmake --build <build> --target exercises")
            return 1
        return 0
    except GeneratorError as problem:
        # A located problem reads like a compiler's diagnostic, which editors can open.
        if problem.where:
            print(problem, file=sys.stderr)
        else:
            error(str(problem))
        return 1
    except OSError as problem:
        error(str(problem))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
