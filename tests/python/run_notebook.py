"""Executes a notebook headless, as `jupyter nbconvert --execute` does, and checks what it shows.

    run_notebook.py NOTEBOOK OUTPUT_FOLDER [--in-output-folder] [--expect TEXT]...
                    [--needs MODULE:PACKAGE]...

The notebook runs in a fresh kernel of this interpreter (ipykernel), from its own folder (it may
read files beside it), or with --in-output-folder from a copy in OUTPUT_FOLDER (so files it
writes, such as trace_graph.ipynb's gout.svg, stay out of the source tree); any cell that raises
(the notebook's asserts) fails the test. The executed copy is written to OUTPUT_FOLDER, and must
show at least one picture (image/svg+xml, or a
plot's image/png) when micrograd has viz, and every --expect TEXT in some cell's text output.
Without nbconvert, ipykernel or a --needs module the test is skipped (exit status 77), not passed.
"""
import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from requirements import require

nbformat = require("nbformat", "python3-nbconvert")
require("nbconvert", "python3-nbconvert")
require("ipykernel", "python3-ipykernel")

import micrograd.viz  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", type=Path)
    parser.add_argument("output_folder", type=Path)
    parser.add_argument("--in-output-folder", action="store_true")
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--needs", action="append", default=[])
    arguments = parser.parse_args()
    for need in arguments.needs:
        require(*need.split(":"))
    notebook, output_folder = arguments.notebook.resolve(), arguments.output_folder.resolve()
    output_folder.mkdir(parents=True, exist_ok=True)
    copy = output_folder / notebook.name
    if arguments.in_output_folder:
        shutil.copyfile(notebook, copy)
        notebook = copy
    environment = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1",  # the debugger's notice
                       MPLBACKEND="agg")  # matplotlib without a display
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
               "--ExecutePreprocessor.timeout=120", "--output-dir", str(output_folder),
               str(notebook)]
    result = subprocess.run(command, env=environment, cwd=notebook.parent)
    if result.returncode != 0:
        sys.exit(f"FAIL: {notebook.name} did not run to the end (the cell that failed is above)")
    executed = nbformat.read(copy, as_version=4)
    outputs = [output for cell in executed.cells for output in cell.get("outputs", [])]
    drawings = sum(bool({"image/svg+xml", "image/png"} & set(output.get("data", {})))
                   for output in outputs)
    text = "".join(output.get("text", "") for output in outputs)
    print(f"{notebook.name}: {len(executed.cells)} cells ran, {drawings} pictures shown")
    if micrograd.viz.available and drawings == 0:
        sys.exit("FAIL: no cell showed a picture (draw_dot's, a Value's _repr_svg_ or a plot)")
    for expected in arguments.expect:
        if expected not in text:
            sys.exit(f"FAIL: no cell printed {expected!r}; the last of what they printed:\n"
                     f"{text[-600:]}")


if __name__ == "__main__":
    main()
