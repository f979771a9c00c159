#!/usr/bin/env bash
# The Python package installed (cmake --install, component python) works on its own: imported
# from the prefix, not from the build tree, it runs micrograd's README example.
#
#   install_test.sh <build dir> <python>
set -euo pipefail
build_dir=$1 python=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --component python --prefix "$scratch" > "$scratch/install.log"
site=$(find "$scratch" -type d -name site-packages)
[ -n "$site" ] || { cat "$scratch/install.log"; echo "FAIL: no site-packages under the prefix" >&2; exit 1; }
cd "$scratch"  # not the source tree, so nothing else named micrograd is on the path
PYTHONPATH=$site PYTHONDONTWRITEBYTECODE=1 "$python" - "$site" <<'PYTHON'
import sys
import micrograd
from micrograd.engine import Value
from micrograd.nn import MLP

assert micrograd.__file__.startswith(sys.argv[1]), f"imported {micrograd.__file__}"
a, b = Value(-4.0), Value(2.0)
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
g.backward()
assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == ("24.7041", "138.8338", "645.5773")
assert len(MLP(2, [16, 16, 1]).parameters()) == 337
print(f"ok: the installed package ({micrograd.__file__}) runs micrograd's README example")
PYTHON
