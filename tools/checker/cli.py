"""The command line of ./check."""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import textwrap
from pathlib import Path

from checker import commands, course_walk, demos, running
from checker.building import Build, DemoBuild
from checker.output import Style, UserError
from checker.paths import (DEFAULT_BUILD_DIR, DEFAULT_DEMO_DIR, DEFAULT_EXERCISES_DIR,
                           DEFAULT_WALK_DIR, absolute, shown)
from checker.report import check_writable

COMMANDS = ["check", "watch", "list", "hint", "verify", "reset", "demo", "walk", "mutants"]
EXERCISE_ID = re.compile(r"\d+\.\d+")


def timeout_seconds(text: str) -> float:
    try:
        return running.parse_seconds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="./check", description="Build and check your micrograd.cpp exercises.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent("""\
            commands:
              check [ID]   build, run in chapter order, stop at the first exercise not passing;
                           with ID (./check 2.2), check that one exercise
              watch        check again whenever a file under exercises/ changes
              list         every exercise and its state
              hint [ID]    the next hint of exercise ID (default: the one you are on)
              verify       check everything; exit status 1 unless every exercise passes
              reset ID     put the stub of exercise ID back (asks first)
              demo [NAME]  build an example on your engine and run it (without NAME: the list
                           of examples); arguments after -- go to it
                           (./check demo mnist -- --epochs 1)
              walk         (maintainers) walk the course as a student would, in a scratch copy
              mutants [ID] (maintainers) build each wrong answer of the catalogue in place of
                           its exercise and check that the exercise's own tests fail on it

            exit status: 0 every exercise checked passes, 1 some do not, 2 the command itself
            is wrong (an unknown exercise, a report path that cannot be written, ...)
            """))
    result.add_argument("command", nargs="?", default="check", choices=COMMANDS)
    result.add_argument("id", nargs="?",
                        help="an exercise id like 2.1 (check, hint, reset), or a demo's name")
    result.add_argument("--json", type=Path, metavar="FILE",
                        help="write a report for graders (check, verify, list)")
    result.add_argument("--build-dir", type=Path, metavar="DIR", help="build tree to use "
                        "(default: build/exercises; walk: build/course-walk/build; demo: "
                        "build/demos)")
    result.add_argument("--exercises-dir", type=Path, default=DEFAULT_EXERCISES_DIR,
                        metavar="DIR", help="the exercise files to check (default: exercises/); "
                        "for walk, the scratch copy to walk in (default: "
                        "build/course-walk/exercises)")
    result.add_argument("--timeout", type=timeout_seconds, default=20.0, metavar="SECONDS",
                        help="CPU time one exercise's tests may take (default: 20); a run is "
                        "stopped at twice that")
    result.add_argument("--memory-limit", type=float, default=4.0, metavar="GB",
                        help="address space per test program (default: 4; 0: no limit, which "
                        "sanitizer builds need)")
    result.add_argument("--build-type", metavar="TYPE",
                        help="CMAKE_BUILD_TYPE (default: Debug, built with -O1 -g; walk and "
                        "demo: Release)")
    result.add_argument("--cmake-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for the CMake configure step, written "
                        "--cmake-arg=-DNAME=VALUE (repeatable)")
    result.add_argument("--yes", "-y", action="store_true", help="reset without asking")
    result.add_argument("--verbose", "-v", action="store_true",
                        help="list: show why each exercise fails")
    result.add_argument("--no-color", action="store_true", help="plain output")
    return result


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The options, and the arguments after `--` (for ./check demo)."""
    demo_arguments = []
    if "--" in argv:  # what follows is for the demo
        demo_arguments = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    first = first_positional(argv)
    if first is not None and EXERCISE_ID.fullmatch(argv[first]):  # ./check 2.2: check 2.2
        argv = argv[:first] + ["check"] + argv[first:]
    return parser().parse_args(argv), demo_arguments


OPTIONS_WITH_VALUES = {"--json", "--build-dir", "--exercises-dir", "--timeout", "--memory-limit",
                       "--build-type", "--cmake-arg"}


def first_positional(argv: list[str]) -> int | None:
    """The index of the first argument that is not an option or an option's value."""
    index = 0
    while index < len(argv):
        argument = argv[index]
        if argument in OPTIONS_WITH_VALUES:
            index += 2
        elif argument.startswith("-"):
            index += 1
        else:
            return index
    return None


def wants_color(interactive: bool, no_color_flag: bool, environment) -> bool:
    """Colour on a terminal, unless --no-color, TERM=dumb, or NO_COLOR is set to something: by the
    convention (no-color.org), an empty NO_COLOR= leaves colour on."""
    return (interactive and not no_color_flag and not environment.get("NO_COLOR")
            and environment.get("TERM") != "dumb")


def main(argv: list[str]) -> int:
    options, demo_arguments = parse(argv)
    if demo_arguments and options.command != "demo":
        raise UserError("arguments after -- are for ./check demo only")
    if not 0 <= options.memory_limit <= 1e6:  # also refuses nan and inf
        raise UserError("--memory-limit is a number of gigabytes, 0 for no limit")

    sys.stdout.reconfigure(errors="replace")  # a ✔ on a terminal that cannot show it is a ?
    interactive = sys.stdout.isatty()
    style = Style(wants_color(interactive, options.no_color, os.environ))
    command = options.command
    walking = command in ("walk", "mutants")
    demo = command == "demo"
    exercises_dir = absolute(options.exercises_dir)
    if walking and exercises_dir == DEFAULT_EXERCISES_DIR:
        exercises_dir = DEFAULT_WALK_DIR / "exercises"
    build_dir = options.build_dir or (DEFAULT_WALK_DIR / "build" if walking else
                                      DEFAULT_DEMO_DIR if demo else DEFAULT_BUILD_DIR)
    build = (DemoBuild if demo else Build)(
        absolute(build_dir), exercises_dir,
        options.build_type or ("Release" if walking or demo else "Debug"), options.cmake_arg,
        show_progress=interactive)
    limits = running.Limits(options.timeout, options.memory_limit)
    context = commands.Context(style, build, exercises_dir, limits, options.json, options.yes,
                               commands.BuildLock(build.build_dir, style))
    if not walking and not exercises_dir.is_dir():
        raise UserError(f"{shown(exercises_dir)} is not a folder of exercises")
    if options.id is not None and not demo and not EXERCISE_ID.fullmatch(options.id):
        raise UserError(f"an exercise id looks like 2.1, not '{options.id}'")
    if demo:
        demos.require_demo(options.id)  # before a build folder is made for a mistyped name
    if options.id is not None and command in ("watch", "list", "verify", "walk"):
        raise UserError(f"./check {command} takes no exercise id (./check {options.id} checks "
                        "one exercise)")
    if options.json is not None:
        if command not in ("check", "list", "verify"):
            raise UserError("--json is for check, list and verify")
        check_writable(options.json)  # before the grading, not after it

    context.lock.acquire()
    if command == "check":
        return commands.command_check(context, options.id)
    if command == "watch":
        return commands.command_watch(context)
    if command == "list":
        return commands.command_list(context, options.verbose)
    if command == "verify":
        return commands.command_list(context, verbose=True)
    if command == "hint":
        return commands.command_hint(context, options.id)
    if command == "reset":
        return commands.command_reset(context, options.id)
    if command == "demo":
        return demos.command_demo(context, options.id, demo_arguments)
    if command == "mutants":
        return course_walk.command_mutants(context, build, options.id)
    return course_walk.command_walk(context, build)


def run(argv: list[str]) -> int:
    """main() with the checker's exit statuses: 2 for a mistake in the command, 130 after Ctrl-C,
    128 + N after signal N; every program it started is killed first."""
    running.install_signal_handlers()
    try:
        return main(argv)
    except UserError as error:
        print(f"check: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # ./check list | head: the reader has what it wanted
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (KeyboardInterrupt, running.Stopped):
        running.kill_all_children()
        print("\nStopped.")
        return 130 if "watch" not in argv else 0
    finally:
        running.kill_all_children()
