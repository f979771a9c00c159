#!/usr/bin/env bash
# The Python package installed (cmake --install, component python) works on its own: imported
# from the prefix, not from the build tree, it passes test_engine.py.
#
#   install_test.sh <build dir> <python> <tests/python folder>
set -euo pipefail
build_dir=$1 python=$2 tests=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --component python --prefix "$scratch" > "$scratch/install.log"
site=$(find "$scratch" -type d -name site-packages)
[ -n "$site" ] || { cat "$scratch/install.log"; echo "FAIL: no site-packages under the prefix" >&2; exit 1; }
export PYTHONPATH=$site PYTHONDONTWRITEBYTECODE=1
cd "$scratch"  # not the build tree
where=$("$python" -c "import micrograd; print(micrograd.__file__)")
[[ $where == "$site"/* ]] || { echo "FAIL: imported $where, not the installed package" >&2; exit 1; }
"$python" "$tests/test_engine.py"
echo "ok: the installed package ($where) passes test_engine.py"
