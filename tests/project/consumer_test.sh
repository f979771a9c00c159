#!/usr/bin/env bash
# Installs the built micrograd into a scratch prefix, then uses it as outside projects do:
#   1. CMake: find_package(micrograd CONFIG REQUIRED), with the include spelling of the README and
#      the older one, and the README's first example (examples/readme) built as a user copies it:
#      it includes only installed headers; with COMPONENTS viz (drawing a graph) when this build
#      has viz;
#   2. a component the package does not have: configuring fails and says which and why;
#   3. pkg-config: micrograd.pc (and micrograd-viz.pc), with the compiler alone;
#   4. the install manifest lists every installed file, so the README's uninstall line removes
#      them all.
#
#   consumer_test.sh <build dir> <consumer dir> <C++ compiler> <flags> <viz built: ON/OFF> <example>
set -euo pipefail
build_dir=$1 consumer_dir=$2 compiler=$3 flags=${4:-} with_viz=${5:-OFF} example=${6:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$prefix" > "$scratch/install.log"

# configure_consumer <build folder> <cmake args...>
configure_consumer() {
  local build=$1
  shift
  cmake -S "$consumer_dir" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="$flags" \
        -DCMAKE_EXE_LINKER_FLAGS="$flags" "$@" > "$build.configure.log" 2>&1
}

echo "== 1. find_package"
configure_consumer "$scratch/plain" -DEXAMPLE="$example" \
  || { cat "$scratch/plain.configure.log"; fail "configure"; }
cmake --build "$scratch/plain" > "$scratch/plain.log" 2>&1 || { cat "$scratch/plain.log"; fail "build"; }
"$scratch/plain/consumer"
if [ -n "$example" ]; then
  "$scratch/plain/example" > "$scratch/example.log" \
    || { cat "$scratch/example.log"; fail "$example, built against the installed package"; }
  echo "ok: $example built against the installed package, and it runs"
fi
if [ "$with_viz" = ON ]; then
  configure_consumer "$scratch/viz" -DWITH_VIZ=ON \
    || { cat "$scratch/viz.configure.log"; fail "configure with COMPONENTS viz"; }
  cmake --build "$scratch/viz" > "$scratch/viz.log" 2>&1 || { cat "$scratch/viz.log"; fail "build with viz"; }
  "$scratch/viz/draw"
fi

echo "== 2. a component the package does not have"
if configure_consumer "$scratch/nope" -DEXTRA_COMPONENTS=plotting; then
  fail "find_package(micrograd COMPONENTS plotting) succeeded"
fi
grep -q "micrograd has no component 'plotting'" "$scratch/nope.configure.log" \
  || { cat "$scratch/nope.configure.log"; fail "the message does not name the missing component"; }
echo "ok: $(grep -m1 "no component" "$scratch/nope.configure.log" | sed 's/^ *//')"

echo "== 3. pkg-config"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pkg-config --exists micrograd || fail "pkg-config does not find micrograd.pc"
[ "$(pkg-config --modversion micrograd)" = "$(sed -n 's/^#define MICROGRAD_VERSION_STRING "\(.*\)"/\1/p' \
    "$prefix/include/micrograd/version.hpp")" ] || fail "micrograd.pc and version.hpp disagree"
# shellcheck disable=SC2046  # pkg-config's output is meant to be split into words
"$compiler" -std=c++20 $flags -DEXPECTED_VERSION="\"$(pkg-config --modversion micrograd)\"" \
  "$consumer_dir/main.cpp" "$consumer_dir/old_spelling.cpp" -o "$scratch/pc_consumer" \
  $(pkg-config --cflags --libs micrograd)
"$scratch/pc_consumer" > /dev/null || fail "the pkg-config build does not run"
if [ "$with_viz" = ON ]; then
  # shellcheck disable=SC2046
  "$compiler" -std=c++20 $flags "$consumer_dir/draw.cpp" -o "$scratch/pc_draw" \
    $(pkg-config --cflags --libs micrograd-viz)
  "$scratch/pc_draw" > /dev/null || fail "the pkg-config build with viz does not run"
fi
echo "ok: built with pkg-config --cflags --libs micrograd$([ "$with_viz" = ON ] && echo ' and micrograd-viz')"

echo "== 4. the manifest lists every installed file"
manifest=$build_dir/install_manifest.txt
installed=$(cd "$prefix" && find . -type f -o -type l | sed "s|^\.|$prefix|" | sort)
listed=$(sort "$manifest")
[ "$installed" = "$listed" ] || { diff <(echo "$listed") <(echo "$installed"); fail "manifest"; }
echo "ok: $(wc -l < "$manifest") files, all in $manifest"
echo "PASS"
