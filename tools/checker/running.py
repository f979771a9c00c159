"""Running the student's test programs so that a verdict can be trusted on any machine:

- time is CPU time, not the clock: a correct answer on a machine whose cores are all busy takes
  longer on the clock but not in CPU time, so it passes;
- memory is bounded twice: the test program's address space (a runaway allocation ends as
  std::bad_alloc, not in swap), and what the checker keeps of its output (a loop that prints
  forever fills neither the checker's memory nor the disk);
- nothing outlives the checker: every program runs in a process group of its own, and Ctrl-C,
  SIGTERM and SIGHUP (the terminal closed) kill those groups before the checker exits.

What the programs print is read by gtest_output.py.
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import re
import resource
import select
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from checker.gtest_output import ConsoleDigest, TestResult, results_from_json

# What a stub throws (NotImplemented, engine/errors.cpp): exercise 2.2 "mul backward" is not
# implemented yet: ...
NOT_IMPLEMENTED = re.compile(r'exercise (\d+\.\d+) "(.*?)" is not implemented yet')
SUITE_NAME = re.compile(r"^(?:\w+/)?Ex(\d+)_(\d+)_\w*(?:/\d+)?$")
ISOLATED_SUITE = "IsolatedOp"  # tests named IsolatedOp.ExC_N_...: exercise C.N checked on its own

SIGNAL_NAMES = {
    signal.SIGSEGV: "a segmentation fault (SIGSEGV)",
    signal.SIGABRT: "an abort (SIGABRT)",
    signal.SIGFPE: "an arithmetic error (SIGFPE)",
    signal.SIGBUS: "a bus error (SIGBUS)",
    signal.SIGILL: "an illegal instruction (SIGILL)",
    signal.SIGKILL: "SIGKILL (out of memory?)",
}


def exercise_of_suite(suite: str) -> str | None:
    """"Ex2_5_PowerBackward" -> "2.5"; None for a suite that belongs to no exercise."""
    match = SUITE_NAME.match(suite)
    return f"{int(match.group(1))}.{int(match.group(2))}" if match else None


# ---- limits ------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Limits:
    """How much one test program may use. `cpu_seconds` is the verdict: a run that needs more is
    too slow. It is stopped at `stop_factor` times that (so a run that is merely slow finishes
    and can be told apart from one that never ends), or by the wall-clock backstop for a program
    that waits without using the CPU at all."""
    cpu_seconds: float
    memory_gigabytes: float = 4.0
    stop_factor: float = 2.0
    wall_backstop: float | None = None  # default: ten times the CPU time, at least two minutes
    # A program that prints without end spends its time blocked on the pipe, not on the CPU: it
    # is stopped once it has printed this much (GoogleTest's own output is a few kilobytes).
    max_output_bytes: int = 64 * 2**20

    @property
    def stop_cpu_seconds(self) -> float:
        return self.cpu_seconds * self.stop_factor

    @property
    def wall_seconds(self) -> float:
        if self.wall_backstop is not None:
            return self.wall_backstop
        return max(120.0, 10.0 * self.stop_cpu_seconds)

    def scaled(self, factor: float) -> "Limits":
        return dataclasses.replace(self, cpu_seconds=self.cpu_seconds * factor)


MAX_TIMEOUT = 86400.0  # a day: more is a typo, and would overflow the kernel's limits


def parse_seconds(text: str) -> float:
    """--timeout: a finite, positive number of seconds (nan, inf, 0 and -1 are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"--timeout takes a number of seconds, not '{text}'") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_TIMEOUT:
        raise ValueError(f"--timeout must be a positive number of seconds up to "
                         f"{MAX_TIMEOUT:g}, not '{text}' (the default is 20)")
    return value


# ---- every child in a group of its own, killed with the checker --------------------------------

_live_groups: set[int] = set()
# Re-entrant: the signal handler takes it too, and may run while the main thread holds it.
_live_lock = threading.RLock()
_stopping = threading.Event()
# A signal that came while the main thread was starting a program: raised once it is registered
# (raising inside Popen could leave a child nobody knows about).
_spawning = threading.local()
_deferred_signals: list[int] = []


class Stopped(Exception):
    """The checker is being stopped (Ctrl-C, SIGTERM, SIGHUP): start nothing new."""


def kill_all_children() -> None:
    _stopping.set()
    with _live_lock:
        groups = list(_live_groups)
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


def install_signal_handlers() -> None:
    """Ctrl-C, SIGTERM and SIGHUP kill every program the checker started, then end it."""
    def handler(number: int, _frame: object) -> None:
        kill_all_children()
        if getattr(_spawning, "active", False):
            _deferred_signals.append(number)
            return
        raise_for(number)

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, handler)


def raise_for(number: int) -> None:
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + number)


def spawn(command: list[str], **options: object) -> subprocess.Popen:
    """Starts a program in a process group of its own, registered to be killed with the
    checker. The caller must call `forget` once it has been waited for."""
    if _stopping.is_set():
        raise Stopped()
    _spawning.active = True
    try:
        process = subprocess.Popen(command, start_new_session=True, **options)  # type: ignore
        with _live_lock:
            _live_groups.add(process.pid)
    finally:
        _spawning.active = False
    if _stopping.is_set():  # a signal came while it was starting
        kill_all_children()
        if _deferred_signals:
            raise_for(_deferred_signals.pop())
    return process


def forget(process: subprocess.Popen) -> None:
    with _live_lock:
        _live_groups.discard(process.pid)


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def end(process: subprocess.Popen) -> None:
    """After a program started by `spawn` ended, or was given up on: kills its group if it is
    still running, waits for it and forgets it."""
    if process.poll() is None:
        kill_group(process)
        process.wait()
    forget(process)


# ---- one program, limited ----------------------------------------------------------------------

@dataclasses.dataclass
class Finished:
    returncode: int        # negative: the signal that ended it
    cpu_seconds: float
    wall_seconds: float
    stopped: str | None    # None, "cpu" (used the CPU limit), "wall" (the backstop) or
                           # "output" (printed more than the limit)
    digest: ConsoleDigest


def cpu_seconds_of(pid: int) -> float:
    """CPU time a running process has used so far (Linux /proc; 0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime and stime


def run_limited(command: list[str], limits: Limits, on_slow: Callable[[float], None] | None = None,
                tail_lines: int = ConsoleDigest.TAIL_LINES) -> Finished:
    """Runs a program to its end, or stops it when it has used `limits.stop_cpu_seconds` of CPU
    time or `limits.wall_seconds` on the clock. `on_slow` is called once when it passes
    `limits.cpu_seconds` and keeps going. Of its output, the last `tail_lines` lines are kept."""
    digest = ConsoleDigest(tail_lines)
    started = time.monotonic()
    process = spawn(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL)
    stopped = None
    try:
        # The kernel enforces the same limits in case the checker cannot (RLIMIT_CPU ends the
        # program with SIGXCPU a little after our own stop; RLIMIT_AS makes new fail).
        # Each limit on its own: one the system refuses (a lower hard limit set by a grader's
        # ulimit) must not cost the other.
        with contextlib.suppress(OSError, ValueError, OverflowError):
            set_soft_limit(process.pid, resource.RLIMIT_CPU,
                           math.ceil(limits.stop_cpu_seconds) + 2)
        if limits.memory_gigabytes > 0:
            with contextlib.suppress(OSError, ValueError, OverflowError):
                set_soft_limit(process.pid, resource.RLIMIT_AS,
                               int(limits.memory_gigabytes * 2**30))
        assert process.stdout is not None
        reader = threading.Thread(target=_drain, args=(process.stdout, digest), daemon=True)
        reader.start()
        stopped = _watch(process, limits, started, on_slow, digest)
        reader.join(timeout=10)
        digest.finish()
    finally:
        if process.returncode is None:
            kill_group(process)
            # A signal may have come between wait4 and setting returncode: already reaped.
            with contextlib.suppress(ChildProcessError):
                _reap(process)
        forget(process)
        if process.stdout is not None:
            process.stdout.close()
    cpu = getattr(process, "cpu_seconds", 0.0)
    return Finished(process.returncode, cpu, time.monotonic() - started, stopped, digest)


def set_soft_limit(pid: int, limit: int, wanted: int) -> None:
    """Lowers a running process's soft limit to `wanted`, within its hard limit."""
    hard = resource.prlimit(pid, limit)[1]
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.prlimit(pid, limit, (wanted, hard))


def _drain(stream, digest: ConsoleDigest) -> None:
    fd = stream.fileno()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        digest.feed(chunk)


def _reap(process: subprocess.Popen, block: bool = True) -> bool:
    """Waits for the process with wait4, which also says how much CPU time it used."""
    pid, status, usage = os.wait4(process.pid, 0 if block else os.WNOHANG)
    if pid == 0:
        return False
    process.returncode = os.waitstatus_to_exitcode(status)
    process.cpu_seconds = usage.ru_utime + usage.ru_stime  # type: ignore[attr-defined]
    return True


def _watch(process: subprocess.Popen, limits: Limits, started: float,
           on_slow: Callable[[float], None] | None,
           digest: ConsoleDigest | None = None) -> str | None:
    """Waits for the end of the process, checking its CPU time and how much it printed a few
    times a second."""
    try:
        exit_signal = os.pidfd_open(process.pid)  # readable when the process ends (Linux 5.3)
    except (AttributeError, OSError):
        exit_signal = None
    warned = False
    interval = 0.02
    try:
        while not _reap(process, block=False):
            if exit_signal is not None:
                select.select([exit_signal], [], [], interval)
            else:
                time.sleep(interval)
            interval = min(0.25, interval * 1.5)
            used = cpu_seconds_of(process.pid)
            if digest is not None and digest.bytes_seen > limits.max_output_bytes:
                kill_group(process)
                _reap(process)
                return "output"
            if used > limits.stop_cpu_seconds:
                kill_group(process)
                _reap(process)
                return "cpu"
            if time.monotonic() - started > limits.wall_seconds:
                kill_group(process)
                _reap(process)
                return "wall"
            if used > limits.cpu_seconds and not warned and on_slow is not None:
                warned = True
                on_slow(used)
    finally:
        if exit_signal is not None:
            os.close(exit_signal)
    if process.returncode == -signal.SIGXCPU:
        return "cpu"
    return None


# ---- gtest programs ----------------------------------------------------------------------------

@dataclasses.dataclass
class ProgramRun:
    program: Path
    tests: list[TestResult]
    problem: str | None = None     # None, "crashed", "timeout" or "too_slow"
    unfinished: str | None = None  # the test that was running when it crashed or hung
    how: str = ""                  # "a segmentation fault (SIGSEGV)", "exit status 3", ...
    output: str = ""               # the last lines it printed
    cpu_seconds: float = 0.0
    before_first_test: bool = False  # it could not even list its tests


def describe_stop(finished: Finished, limits: Limits) -> tuple[str | None, str]:
    """(problem, how) of a finished program; (None, "") when it ended normally."""
    if finished.stopped == "cpu":
        return "timeout", f"did not finish within {limits.stop_cpu_seconds:g} s of CPU time"
    if finished.stopped == "output":
        return "timeout", (f"did not finish, and printed more than "
                           f"{limits.max_output_bytes // 2**20} MB: a loop that prints and never "
                           "ends")
    if finished.stopped == "wall":
        return "timeout", (f"did not finish within {limits.wall_seconds:g} s on the clock, "
                           f"though it used only {finished.cpu_seconds:.1f} s of CPU time: is it "
                           "waiting for something?")
    if finished.returncode < 0:
        number = -finished.returncode
        return "crashed", SIGNAL_NAMES.get(number, f"signal {number}")
    if finished.cpu_seconds > limits.cpu_seconds:
        return "too_slow", (f"took {finished.cpu_seconds:.0f} s of CPU time, more than the "
                            f"{limits.cpu_seconds:g} s allowed")
    return None, ""


def run_tests(program: Path, suites: list[str], limits: Limits, scratch: Path,
              on_slow: Callable[[float], None] | None = None) -> ProgramRun:
    """Runs the given suites of one program in one process and collects every test's result."""
    scratch.mkdir(parents=True, exist_ok=True)
    handle, report_name = tempfile.mkstemp(suffix=".json", dir=scratch)
    os.close(handle)
    os.unlink(report_name)
    report = Path(report_name)
    # A suite runs whole; a name with a dot ("Suite.Test") is one test.
    command = [str(program), "--gtest_filter=" + ":".join(
                   suite if "." in suite else f"{suite}.*" for suite in suites),
               f"--gtest_output=json:{report}", "--gtest_color=no"]
    try:
        finished = run_limited(command, limits, on_slow=on_slow)
        tests = results_from_json(report) if report.exists() else None
    finally:
        with contextlib.suppress(FileNotFoundError):
            report.unlink()
    digest = finished.digest
    run = ProgramRun(program, tests if tests is not None else digest.tests,
                     output=digest.output, cpu_seconds=finished.cpu_seconds)
    run.problem, run.how = describe_stop(finished, limits)
    if run.problem is None and tests is None:
        run.problem = "crashed"
        run.how = f"the program exited with status {finished.returncode} before its tests finished"
    if run.problem in ("crashed", "timeout"):
        run.unfinished = digest.running
    return run


class ProgramBroken(Exception):
    """A test program that cannot even list its tests: it hangs or crashes before main (a
    global variable's initialiser in the student's code)."""

    def __init__(self, run: ProgramRun):
        super().__init__(run.how)
        self.run = run


def list_tests(program: Path, limits: Limits) -> dict[str, list[str]]:
    """The test suites of one program and the names of their tests."""
    # A listing has one line per suite and per test: a few hundred lines.
    finished = run_limited([str(program), "--gtest_list_tests"], limits, tail_lines=50000)
    problem, how = describe_stop(finished, limits)
    if problem == "too_slow":
        problem = None
    if problem is None and finished.returncode != 0:
        problem, how = "crashed", f"exited with status {finished.returncode}"
    if problem is not None:
        run = ProgramRun(program, [], problem, None, f"{how} before its first test",
                         finished.digest.output, finished.cpu_seconds, before_first_test=True)
        raise ProgramBroken(run)
    suites: dict[str, list[str]] = {}
    current = None
    for line in finished.digest.tail:
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = line.split("#")[0].strip().rstrip(".")
            suites[current] = []
        elif current is not None:
            suites[current].append(line.split("#")[0].strip())
    return suites


@dataclasses.dataclass
class TestIndex:
    """Which program holds which suites of which exercise."""
    suites: dict[str, list[tuple[Path, str]]]  # exercise id -> [(program, suite)]
    test_counts: dict[tuple[Path, str], int]
    # exercise id -> (program, "IsolatedOp.Ex2_5_PowerBackward"): the op checked on its own, run
    # to find the cause when a later exercise fails (see blame)
    isolated: dict[str, tuple[Path, str]] = dataclasses.field(default_factory=dict)
    # programs that could not list their tests, and why
    broken: list[ProgramRun] = dataclasses.field(default_factory=list)

    @staticmethod
    def discover(programs: list[Path], limits: Limits) -> "TestIndex":
        index = TestIndex({}, {}, {})
        for program in programs:
            try:
                listed = list_tests(program, limits)
            except ProgramBroken as error:
                index.broken.append(error.run)
                continue
            for suite, tests in listed.items():
                if suite == ISOLATED_SUITE:
                    for test in tests:
                        identifier = exercise_of_suite(test)
                        if identifier:
                            index.isolated[identifier] = (program, f"{suite}.{test}")
                    continue
                identifier = exercise_of_suite(suite)
                if identifier:
                    index.suites.setdefault(identifier, []).append((program, suite))
                    index.test_counts[(program, suite)] = len(tests)
        return index

    def by_program(self, identifiers: list[str]) -> dict[Path, list[str]]:
        grouped: dict[Path, list[str]] = {}
        for identifier in identifiers:
            for program, suite in self.suites.get(identifier, []):
                grouped.setdefault(program, []).append(suite)
        return grouped

