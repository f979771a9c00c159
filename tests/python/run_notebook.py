"""Executes a notebook headless, as `jupyter nbconvert --execute` does, and checks what it shows.

    run_notebook.py NOTEBOOK OUTPUT_FOLDER

The notebook runs in a fresh kernel of this interpreter (ipykernel), from its own folder; any
cell that raises (the notebook's asserts) fails the test. The executed copy is written to
OUTPUT_FOLDER, and must show at least one drawing (image/svg+xml) when micrograd has viz.
Without nbconvert or ipykernel the test is skipped (exit status 77), not passed.
"""
import os
import subprocess
import sys
from pathlib import Path

from requirements import require

nbformat = require("nbformat", "python3-nbconvert")
require("nbconvert", "python3-nbconvert")
require("ipykernel", "python3-ipykernel")

import micrograd.viz  # noqa: E402


def main(notebook, output_folder):
    notebook, output_folder = Path(notebook).resolve(), Path(output_folder).resolve()
    environment = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")  # the debugger's notice
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
               "--ExecutePreprocessor.timeout=120", "--output-dir", str(output_folder),
               str(notebook)]
    result = subprocess.run(command, env=environment, cwd=notebook.parent)
    if result.returncode != 0:
        sys.exit(f"FAIL: {notebook.name} did not run to the end (the cell that failed is above)")
    executed = nbformat.read(output_folder / notebook.name, as_version=4)
    drawings = sum("image/svg+xml" in output.get("data", {})
                   for cell in executed.cells for output in cell.get("outputs", []))
    print(f"{notebook.name}: {len(executed.cells)} cells ran, {drawings} drawings shown")
    if micrograd.viz.available and drawings == 0:
        sys.exit("FAIL: no cell showed a drawing (draw_dot's or a Value's _repr_svg_)")


if __name__ == "__main__":
    main(*sys.argv[1:])
