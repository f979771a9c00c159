"""How the checker writes to the terminal: colors and symbols when it is one, plain text when it
is not (or NO_COLOR is set to a non-empty value)."""
from __future__ import annotations

import sys


class Style:
    def __init__(self, color: bool):
        self.color = color
        unicode = (sys.stdout.encoding or "").lower().replace("-", "") in ("utf8", "utf16")
        self.passed = "✔" if unicode else "+"
        self.failed = "✘" if unicode else "x"
        self.pending = "·" if unicode else "."
        self.bar_full, self.bar_empty = ("█", "░") if unicode else ("#", "-")

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def green(self, text: str) -> str:
        return self._paint("32", text)

    def red(self, text: str) -> str:
        return self._paint("31", text)

    def yellow(self, text: str) -> str:
        return self._paint("33", text)

    def bold(self, text: str) -> str:
        return self._paint("1", text)

    def dim(self, text: str) -> str:
        return self._paint("2", text)

    def state_mark(self, state: str) -> str:
        if state == "passed":
            return self.green(self.passed)
        if state in ("not_started", "blocked"):
            return self.yellow(self.pending)
        return self.red(self.failed)


def indent(lines: list[str] | str, prefix: str = "    ") -> str:
    if isinstance(lines, str):
        lines = lines.split("\n")
    return "\n".join(prefix + line if line else line for line in lines)


class UserError(Exception):
    """Something the person running the checker can fix; printed without a traceback, exit 2."""
