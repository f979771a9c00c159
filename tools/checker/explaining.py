"""Failures in plain words: a GoogleTest failure as "X is A, expected B: why", and for a crash
or a hang, why it probably happened and where."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from checker import running
from checker.exercises import Exercise, relative_source
from checker.paths import shown, unroot
from checker.running import NOT_IMPLEMENTED, ProgramRun


def is_number(text: str) -> bool:
    return re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[uUlLfF]*", text.strip()) is not None


FLOAT = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def shortest(text: str) -> str:
    """Numbers as short as they can be and still mean the same double: GoogleTest prints 17
    digits (0.94999999999999996), Python's repr the shortest that round-trips (0.95)."""
    def one(match: re.Match) -> str:
        number = match.group(0)
        if not any(mark in number for mark in ".eE"):
            return number  # an integer stays as written
        return repr(float(number))
    return FLOAT.sub(one, text)


def same_numbers(left: str, right: str) -> bool:
    """Whether two texts spell the same numbers: "(std::vector<double>{0, 3})" and "{ 0, 3 }"."""
    return [float(n) for n in FLOAT.findall(left)] == [float(n) for n in FLOAT.findall(right)]


def without_trace(lines: list[str]) -> tuple[list[str], list[str]]:
    """Splits off GoogleTest's "Google Test trace:" section (SCOPED_TRACE), returning the lines
    before it and the trace messages (without their file:line)."""
    if "Google Test trace:" not in lines:
        return lines, []
    at = lines.index("Google Test trace:")
    traces = [re.sub(r"^\S+:\d+: ", "", line).strip() for line in lines[at + 1:] if line.strip()]
    return lines[:at], traces


def explain_failure(text: str) -> tuple[str | None, list[str]]:
    """A gtest failure ("file:line\\nmessage") as (location, lines in plain words)."""
    first, _, body = text.partition("\n")
    location = None if first.strip() in ("unknown file", "") else unroot(first.strip())
    lines, traces = without_trace(body.split("\n"))
    said = _plain_words(lines)
    if traces:
        said.append("(while checking " + "; ".join(traces) + ")")
    return location, said


def _plain_words(lines: list[str]) -> list[str]:
    head = lines[0] if lines else ""

    def rest(start: int) -> list[str]:
        return [line for line in lines[start:] if line.strip()]

    if head == "Expected equality of these values:":
        position = 1
        sides = []
        for _ in range(2):
            expression = lines[position].strip() if position < len(lines) else "?"
            position += 1
            value = expression
            if position < len(lines) and lines[position].startswith("    Which is: "):
                value = lines[position][len("    Which is: "):]
                position += 1
            sides.append((expression, value))
        if position < len(lines) and lines[position].strip() == "With diff:":
            position += 1
            while position < len(lines) and re.match(r"^(@@|[-+ ])", lines[position]):
                position += 1
        (actual_expression, actual), (expected_expression, expected) = sides
        actual, expected = shortest(actual), shortest(expected)
        said = f"{actual_expression} is {actual}, expected {expected}"
        if expected_expression != expected and not is_number(expected_expression) and \
                not same_numbers(expected_expression, expected):
            said += f" ({expected_expression})"
        return [said] + rest(position)
    # gtest 1.12 leaves out ", which exceeds TOLERANCE" in some builds: the values follow anyway.
    match = re.match(r"^The difference between (.*) and (.*) is (.*?)(?:, which exceeds (.*))?, "
                     r"where$", head)
    if match and len(lines) >= 4:
        actual_expression = match.group(1)
        # The tolerance line may go on: "... which is smaller than the minimum distance ...".
        values = [shortest(re.sub(r"^.* evaluates to (.*?)(,| and|\.)*$", r"\1",
                                  line.split(" which is smaller")[0]))
                  for line in lines[1:4]]
        return [f"{actual_expression} is {values[0]}, expected {values[1]} "
                f"(give or take {values[2]})"] + rest(4)
    match = re.match(r"^Value of: (.*)$", head)
    if match and len(lines) >= 2 and lines[1].startswith("  Actual: "):
        # "  Actual: false (an AssertionResult's message, perhaps on several lines)"
        # "Expected: true"
        expected_at = next((i for i in range(2, len(lines)) if lines[i].startswith("Expected: ")),
                           len(lines))
        actual = "\n".join([lines[1][len("  Actual: "):]] + lines[2:expected_at]).strip()
        expected = lines[expected_at][len("Expected: "):] if expected_at < len(lines) else None
        explained = re.fullmatch(r"(?:true|false) \((.*)\)", actual, re.S)
        if explained and expected in ("true", "false"):
            # The test explained itself: its words say what is wrong better than "false".
            return [line.strip() for line in explained.group(1).split("\n") if line.strip()] + \
                rest(expected_at + 1)
        said = f"{match.group(1)} is {actual}"
        if expected is not None:
            said += f", expected {expected}"
        return [said] + rest(expected_at + 1)
    match = re.match(r"^Expected: \((.*)\) (==|!=|<|<=|>|>=) \((.*)\), actual: (.*) vs (.*)$", head)
    if match:
        left, operator, right, left_value, right_value = match.groups()
        return [f"expected {left} {operator} {right}, but {left} is {left_value} and "
                f"{right} is {right_value}"] + rest(1)
    match = re.match(r'^C\+\+ exception with description "(.*)" thrown in (.*)\.$',
                     "\n".join(lines), re.S)
    if match:
        description, where = match.groups()
        stub = NOT_IMPLEMENTED.search(description)
        if stub:
            return [f'reached the stub of exercise {stub.group(1)} "{stub.group(2)}": '
                    "not implemented yet"]
        if "bad_alloc" in description:
            return [f"ran out of memory ({description}) in {where}: is something visited again "
                    "and again, or a loop that keeps appending?"]
        return [f"threw an exception in {where}: {unroot(description)}"]
    if head == "Failed":
        return rest(1) or ["failed"]
    return [unroot(line) for line in rest(0)] or ["failed"]


def in_one_line(said: list[str]) -> str:
    """A failure in plain words on one line: "x is 1, expected 2: why it should be"."""
    lines = [line.strip() for line in said if line.strip()] or ["failed"]
    return lines[0] + (": " + " ".join(lines[1:]) if len(lines) > 1 else "")


def summary(test: running.TestResult) -> str:
    """The first failure of a test, in one line."""
    return in_one_line(explain_failure(test.failures[0])[1] if test.failures else ["failed"])


# ---- crashes and hangs -------------------------------------------------------------------------

GENERIC_HANG = ("A test that never ends is a loop that never ends: a loop whose index never "
                "reaches its end (an unsigned index counting down wraps around at 0), a step of "
                "0, or a function that keeps calling itself without a stack to overflow.")


def crash_advice(run: ProgramRun, exercise: Exercise) -> tuple[str, str]:
    """(why it probably happened, what to try), fitted to the exercise's chapter."""
    test = run.unfinished or "*"
    command = f"{shown(run.program)} --gtest_filter='{test}'"
    if run.problem == "too_slow":
        why = ("Its tests finish, but take far longer than they should: each exercise's tests "
               "take a second or two with a straightforward answer. Something is done again "
               "and again (a node visited many times, a copy of a whole vector in a loop).")
        return why, ("If your machine is only slow: ./check --timeout "
                     f"{max(60, int(run.cpu_seconds * 2 + 1))}\nRun it alone: {command}")
    if run.problem == "timeout":
        why = exercise.hang_advice or GENERIC_HANG
        if "printed more than" in run.how:
            why += ("\nWhat it printed last is above: a print inside the loop shows which loop "
                    "it is and what its index does; take the print out once you know.")
            return why, f"Run it alone, showing its first lines: {command} | head -50"
        return why, ("(If it is only slow: ./check --timeout 60 allows more CPU time)\n"
                     f"Run it alone: {command}")
    why = "The test program crashed."
    long_chain = re.search(r"million|deep|long|recursion", test, re.I)
    if ("SIGSEGV" in run.how or "SIGBUS" in run.how) and long_chain:
        why = ("On a long chain this is almost always a stack overflow: a recursive function (like "
               "a recursive depth-first search) uses one stack frame per node, and a million nodes "
               "is more than the stack holds. Use a loop with your own std::vector as the stack.")
    elif "SIGSEGV" in run.how or "SIGBUS" in run.how:
        why = ("It read or wrote memory it does not own: an index past the end of a vector (an "
               "unsigned index counting down wraps around from 0 to a huge number: `i >= 0` is "
               "always true for std::size_t), a null pointer, or a reference to a Value that is "
               "gone. Deep recursion overflowing the stack does the same.")
        if exercise.chapter >= 4:
            why += (" On a node with three or more parents (sum, dot, an op of your own): "
                    "node->parents holds only the first two; parent(i) reaches every one, for "
                    "i < parent_count.")
    elif "SIGABRT" in run.how:
        why = ("Something called abort: an exception thrown where it cannot be caught (a "
               "destructor, a noexcept function), a failed assert, or a corrupted heap.")
    elif "SIGKILL" in run.how:
        why = "It was killed, probably because it used all the memory."
    return why, f"See it in the debugger:\n  gdb -q -ex run -ex bt --args {command}"


FRAME = re.compile(r"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(.*?) (?:\(.*\) )?at (\S+):(\d+)$")


def frames_in(backtrace: str, exercises_dir: Path) -> list[str]:
    """The frames of a gdb backtrace that are in the student's files, innermost first, as
    "exercises/engine/backward.cpp:42 in micrograd::topological_order"."""
    found = []
    for line in backtrace.splitlines():
        match = FRAME.match(line.strip())
        if not match:
            continue
        function, path, number = match.group(2), Path(match.group(3)), match.group(4)
        if relative_source(exercises_dir, path) is not None:
            found.append(f"{shown(path)}:{number} in {function}")
    return found


def crash_location(run: ProgramRun, exercises_dir: Path) -> list[str] | None:
    """Runs the crashed test again under gdb and returns the frames of the student's files
    (innermost first), or None when gdb is not installed or says nothing useful."""
    gdb = shutil.which("gdb")
    if gdb is None or run.unfinished is None:
        return None
    command = [gdb, "-q", "-batch", "-nx", "-ex", "set pagination off",
               "-ex", "set disable-randomization off", "-ex", "run", "-ex", "bt 64",
               "--args", str(run.program), f"--gtest_filter={run.unfinished}"]
    try:
        finished = running.run_limited(command, running.Limits(cpu_seconds=30, wall_backstop=120),
                                       tail_lines=400)
    except running.Stopped:
        return None
    frames = frames_in(finished.digest.output, exercises_dir)
    return frames or None
