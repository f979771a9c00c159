#!/usr/bin/env python3
"""The exercise checker of micrograd.cpp: builds your exercises/, runs each exercise's tests in
chapter order and tells you what passes, what is wrong and what to do next.

    ./check              build, test in chapter order, stop at the first exercise that does not pass
    ./check 2.2          the same for one exercise
    ./check watch        the same again every time you save a file under exercises/ (Ctrl-C stops)
    ./check list         every exercise with its state
    ./check hint [ID]    the next hint of one exercise (without ID: of the exercise you are on)
    ./check verify       every exercise; exit status 1 unless all of them pass
    ./check reset ID     put the stub of one exercise back (asks first; --yes does not)
    ./check demo [NAME]  build an example on your engine and run it (without NAME: the list)
    ./check walk         for course maintainers: walk the whole course as a student would
    ./check mutants [ID] for course maintainers: every wrong answer of the catalogue must fail

The checker itself is the package tools/checker/ (Python 3 standard library only); this file only
starts it. See tools/checker/__init__.py for how it is laid out.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checker.cli import run  # noqa: E402

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
