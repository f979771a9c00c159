"""Reading what a GoogleTest program reports: its console output, kept in bounded memory whatever
it prints, and its JSON report (--gtest_output=json). Running the program is running.py's."""
from __future__ import annotations

import collections
import dataclasses
import json
import re
from pathlib import Path


@dataclasses.dataclass
class TestResult:
    name: str            # Suite.Test
    passed: bool
    failures: list[str]  # gtest failure texts: "file:line\nmessage"


class ConsoleDigest:
    """What the checker keeps of a test program's output, in bounded memory whatever it prints:
    the tests that finished (with their failure texts, each cut at a length), the test that was
    running when the output ended, and the last lines."""

    MAX_LINE = 2000
    MAX_FAILURE = 8000
    MAX_FAILURES = 50  # per test
    TAIL_LINES = 80

    def __init__(self, tail_lines: int = TAIL_LINES) -> None:
        self.tests: list[TestResult] = []
        self.running: str | None = None
        self.tail: collections.deque[str] = collections.deque(maxlen=tail_lines)
        self.bytes_seen = 0
        self._failures: list[str] = []
        self._partial = b""
        self._skipping = False  # inside a line longer than MAX_LINE: drop until its end
        self._skipping_failure = False  # past MAX_FAILURES in this test: drop their texts

    def feed(self, chunk: bytes) -> None:
        self.bytes_seen += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        for raw in lines:
            if self._skipping:
                self._skipping = False
                continue
            self._line(raw[:self.MAX_LINE].decode(errors="replace"))
        if len(self._partial) > self.MAX_LINE:
            if not self._skipping:
                self._line(self._partial[:self.MAX_LINE].decode(errors="replace") + " …")
            self._skipping = True
            self._partial = b""

    def finish(self) -> None:
        if self._partial and not self._skipping:
            self._line(self._partial.decode(errors="replace"))
        self._partial = b""

    @property
    def output(self) -> str:
        return "\n".join(self.tail)

    def _line(self, line: str) -> None:
        self.tail.append(line)
        match = re.match(r"^\[ RUN      \] (\S+)", line)
        if match:
            self.running, self._failures = match.group(1), []
            self._skipping_failure = False
            return
        match = re.match(r"^\[ {7}OK \] (\S+)|^\[  FAILED  \] (\S+) \(", line)
        if match and self.running:
            self.tests.append(TestResult(self.running, bool(match.group(1)), self._failures))
            self.running = None
            return
        if self.running is None:
            return
        match = re.match(r"^(.*?):(\d+): Failure$|^(unknown file): Failure$", line)
        if match:
            if len(self._failures) < self.MAX_FAILURES:
                where = f"{match.group(1)}:{match.group(2)}" if match.group(1) else "unknown file"
                self._failures.append(where)
            else:
                self._skipping_failure = True
        elif self._failures and len(self._failures[-1]) < self.MAX_FAILURE and \
                not self._skipping_failure:
            self._failures[-1] += "\n" + line


def results_from_json(report: Path) -> list[TestResult] | None:
    try:
        data = json.loads(report.read_text(errors="replace"))
    except (OSError, ValueError):
        return None
    tests = []
    for suite in data.get("testsuites", []):
        for test in suite.get("testsuite", []):
            if test.get("result") in ("SKIPPED", "SUPPRESSED") or test.get("status") == "NOTRUN":
                continue
            failures = [failure.get("failure", "") for failure in test.get("failures", [])]
            tests.append(TestResult(f"{suite['name']}.{test['name']}", not failures, failures))
    return tests
