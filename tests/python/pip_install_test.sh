#!/usr/bin/env bash
# The package installs the way Python users install things, from a clean copy of this tree, into
# a fresh virtual environment (Debian's pip refuses to install into the system Python, PEP 668):
#
#   python3 -m venv --system-site-packages venv
#   venv/bin/pip install --no-build-isolation .        then   -e .
#   python3 -m build --no-isolation --sdist --wheel    and install the wheel
#
# Each is imported from outside the tree and must be the installed copy, not the build tree's;
# the regular install runs micrograd's own tests (test_micrograd_tests.py) and those of the
# engine, nn (with the datasets, in test_nn_modules.py) and viz, and draws graphs whenever the
# build tree's package does; the editable one must show an edit of its Python files without
# reinstalling; the wheel runs the engine's tests. The tests run once, on the regular install:
# the three routes install the same files. --system-site-packages: the venv sees Debian's
# setuptools, wheel, build, numpy and PyTorch, and nothing is downloaded (--no-build-isolation,
# --no-index).
#
# To keep it cheap the three share one copy, one venv and one CMake build folder (setup.py keeps
# it in <copy>/build/python-package): the C++ is compiled once, with every core.
#
#   pip_install_test.sh <source tree> <python> <tests/python folder>
set -euo pipefail
source_tree=$1 python=$2 tests=$3
"$python" -c "import venv, ensurepip" 2> /dev/null || {
  echo "SKIPPED: python3 -m venv needs python3-venv (scripts/install_deps.sh --test installs it)"
  exit 77
}
"$python" -c "import build" 2> /dev/null || {
  echo "SKIPPED: python3 -m build needs python3-build (scripts/install_deps.sh --test installs it)"
  exit 77
}
# MICROGRAD_KEEP_SCRATCH=1 keeps the copy, the venv and the build (to look at them afterwards).
scratch=$(mktemp -d)
[[ ${MICROGRAD_KEEP_SCRATCH:-} == 1 ]] && echo "scratch folder: $scratch" || trap 'rm -rf "$scratch"' EXIT
# Whether the build tree's package draws graphs (it is on ctest's PYTHONPATH): the installed one,
# built on the same machine, must too.
build_tree_draws=$("$python" -c "import micrograd.viz as viz; print(viz.available)" 2> /dev/null \
                   || echo unknown)
unset PYTHONPATH  # ctest points it at the build tree's package; this test must not see that one
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 CMAKE_BUILD_PARALLEL_LEVEL=$(nproc)
# -O1 instead of Release's -O3 (setup.py passes these after its own arguments): this test checks
# how the package installs and what it contains, not its speed, and the build is most of its time.
export MICROGRAD_CMAKE_ARGS="'-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG'"  # one argument (shlex)
seconds() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v start="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.1f", now - start }'; }

# A clean copy: the files git knows (committed or not), never a build folder or a venv.
copy=$scratch/micrograd.cpp
mkdir "$copy"
if git -C "$source_tree" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  git -C "$source_tree" ls-files -z --cached --others --exclude-standard \
    | (cd "$source_tree" && xargs -0 cp --parents -t "$copy" 2> /dev/null || true)
else
  tar -C "$source_tree" --exclude=./build --exclude=.git -cf - . | tar -C "$copy" -xf -
fi
[ -f "$copy/pyproject.toml" ] || { echo "FAIL: the copy has no pyproject.toml" >&2; exit 1; }

"$python" -m venv --system-site-packages "$scratch/venv"
venv_python=$scratch/venv/bin/python
outside=$scratch/outside
mkdir "$outside"
cd "$outside"  # never the source tree, so `import micrograd` finds only what pip installed

where() { "$venv_python" -c "import micrograd; print(micrograd.__file__)"; }

start=$(seconds)
"$venv_python" -m pip install -q --no-build-isolation "$copy" > "$scratch/pip.log" 2>&1 \
  || { cat "$scratch/pip.log"; echo "FAIL: pip install . did not install" >&2; exit 1; }
echo "pip install . : $(elapsed "$start") s"
site=$("$venv_python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
[[ $(where) == "$site"/micrograd/* ]] || { echo "FAIL: imported $(where), not $site" >&2; exit 1; }
distribution=$("$venv_python" -m pip show micrograd-cpp 2>&1 || true)
[[ $distribution == *"Name: micrograd-cpp"* ]] \
  || { echo "$distribution"; echo "FAIL: no distribution named micrograd-cpp" >&2; exit 1; }
"$venv_python" "$tests/test_micrograd_tests.py"
for test in engine nn nn_modules; do
  "$venv_python" "$tests/test_$test.py"
done
installed_draws=$("$venv_python" -c "import micrograd.viz; print(micrograd.viz.available)")
if [[ $build_tree_draws == True && $installed_draws != True ]]; then
  echo "FAIL: the build tree's package draws graphs, the pip-installed one cannot" >&2
  exit 1
fi
if [[ $installed_draws == True ]]; then
  "$venv_python" "$tests/test_viz.py"
  drawn=", viz"
else
  drawn=" (viz not tested: built without Graphviz)"
fi
echo "ok: pip install . ($(where)) passes micrograd's tests and those of engine, nn, datasets$drawn"

start=$(seconds)
"$venv_python" -m pip install -q --no-build-isolation -e "$copy" > "$scratch/pip.log" 2>&1 \
  || { cat "$scratch/pip.log"; echo "FAIL: pip install -e . did not install" >&2; exit 1; }
echo "pip install -e . : $(elapsed "$start") s"
[[ $(where) == "$copy"/python/micrograd/* ]] \
  || { echo "FAIL: the editable install imported $(where), not $copy/python/micrograd" >&2; exit 1; }
cp "$copy/python/micrograd/engine.py" "$scratch/engine.py"
echo "EDITED = True" >> "$copy/python/micrograd/engine.py"
"$venv_python" -c "import micrograd.engine as e; assert e.EDITED; assert (e.Value(2) * 3).data == 6"
cp "$scratch/engine.py" "$copy/python/micrograd/engine.py"
echo "ok: pip install -e . imports $copy/python/micrograd and sees its edits"

start=$(seconds)
"$venv_python" -m build --no-isolation --sdist --wheel --outdir "$scratch/dist" "$copy" \
  > "$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; echo "FAIL: python3 -m build" >&2; exit 1; }
echo "python3 -m build: $(elapsed "$start") s"
shopt -s nullglob
wheels=("$scratch"/dist/micrograd_cpp-*.whl)
sdists=("$scratch"/dist/micrograd[-_]cpp-*.tar.gz)
shopt -u nullglob
[[ ${#wheels[@]} -eq 1 && ${#sdists[@]} -eq 1 ]] \
  || { ls "$scratch/dist"; echo "FAIL: python3 -m build made no wheel and sdist" >&2; exit 1; }
wheel=${wheels[0]}
contents=$(tar -tzf "${sdists[0]}")
for needed in CMakeLists.txt setup.py pyproject.toml solutions/engine/ops.cpp python/bindings/module.cpp; do
  grep -q "/$needed\$" <<< "$contents" || { echo "FAIL: the sdist lacks $needed" >&2; exit 1; }
done
"$venv_python" -m pip install -q --no-deps --force-reinstall "$wheel" > "$scratch/pip.log" 2>&1 \
  || { cat "$scratch/pip.log"; echo "FAIL: the wheel did not install" >&2; exit 1; }
[[ $(where) == "$site"/micrograd/* ]] || { echo "FAIL: imported $(where), not the wheel's" >&2; exit 1; }
"$venv_python" "$tests/test_engine.py"
echo "ok: $(basename "$wheel") installs and passes the engine's tests"
