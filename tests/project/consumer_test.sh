#!/usr/bin/env bash
# Installs the built micrograd into a scratch prefix, then uses it as outside projects do:
#   1. CMake: find_package(micrograd CONFIG REQUIRED), with the include spelling of the README and
#      the older one, and the README's first example (examples/readme) built as a user copies it;
#      with COMPONENTS viz (drawing a graph) when this build has viz; with COMPONENTS datasets
#      plots, the moons demo (examples/moons), which must reach micrograd's 100% and draw its
#      pictures; every <micrograd/...> header the examples include is in the prefix;
#   2. a component the package does not have: configuring fails and says which and why;
#   3. pkg-config: micrograd.pc (and micrograd-viz.pc, micrograd-plots.pc), with the compiler alone;
#   4. the install manifest lists every installed file, so the README's uninstall line removes
#      them all.
#
#   consumer_test.sh <build dir> <consumer dir> <C++ compiler> <flags> <components> <examples>
#     <components>  the optional parts to use, those this build has: "viz datasets plots" or fewer
#     <examples>    micrograd's examples/ folder, to build examples from; "" when not built here
set -euo pipefail
build_dir=$1 consumer_dir=$2 compiler=$3 flags=${4:-} components=${5:-} examples=${6:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }
uses() { [[ " $components " == *" $1 "* ]]; }

cmake --install "$build_dir" --prefix "$prefix" > "$scratch/install.log"

# configure_consumer <build folder> <cmake args...>
# Without optimisation (no CMAKE_BUILD_TYPE): what is checked is that the programs compile, link
# against the installed (optimised) libraries and run, and -O0 compiles the examples in about
# two thirds of the time.
configure_consumer() {
  local build=$1
  shift
  cmake -S "$consumer_dir" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="$flags" \
        -DCMAKE_EXE_LINKER_FLAGS="$flags" "$@" > "$build.configure.log" 2>&1
}

echo "== 1. find_package"
readme=()
[ -n "$examples" ] && readme=(-DEXAMPLES="$examples/readme")
configure_consumer "$scratch/plain" "${readme[@]}" \
  || { cat "$scratch/plain.configure.log"; fail "configure"; }
cmake --build "$scratch/plain" > "$scratch/plain.log" 2>&1 || { cat "$scratch/plain.log"; fail "build"; }
"$scratch/plain/consumer"
if [ -n "$examples" ]; then
  "$scratch/plain/readme" > "$scratch/readme.log" \
    || { cat "$scratch/readme.log"; fail "readme, built against the installed package"; }
  echo "ok: readme built against the installed package, and it runs"
fi
# The optional parts in one more project: viz draws a graph; datasets and plots build the moons.
parts=()
uses viz && parts+=(-DWITH_VIZ=ON)
moons=OFF
if uses datasets && uses plots && [ -n "$examples" ]; then
  moons=ON
  parts+=(-DEXAMPLES="$examples/moons" "-DEXAMPLE_COMPONENTS=datasets;plots"
          -DMICROGRAD_SOURCE_DIR="$(dirname "$examples")")
fi
if [ ${#parts[@]} -gt 0 ]; then
  configure_consumer "$scratch/parts" "${parts[@]}" \
    || { cat "$scratch/parts.configure.log"; fail "configure with COMPONENTS $components"; }
  cmake --build "$scratch/parts" > "$scratch/parts.log" 2>&1 \
    || { cat "$scratch/parts.log"; fail "build with COMPONENTS $components"; }
  if uses viz; then "$scratch/parts/draw"; fi
fi
if [ "$moons" = ON ]; then
  "$scratch/parts/moons" --out "$scratch/moons_out" > "$scratch/moons.log" \
    || { cat "$scratch/moons.log"; fail "moons, built against the installed package"; }
  grep -qF "final accuracy 100%" "$scratch/moons.log" \
    || { cat "$scratch/moons.log"; fail "moons, built against the package, is not at 100%"; }
  for picture in decision_boundary.png loss.png; do
    [ -s "$scratch/moons_out/$picture" ] || fail "moons did not draw $picture"
  done
  echo "ok: moons built against the installed package (datasets, plots): 100%, pictures drawn"
fi
if [ -n "$examples" ] && uses viz && uses datasets && uses plots; then
  # Every part is installed here, so every header an example names must be in the prefix.
  missing=$(grep -rhoE --include='*.cpp' --include='*.hpp' '^\s*#\s*include\s*<micrograd/[^>]+>' \
              "$examples" | sed -E 's/.*<(micrograd\/[^>]+)>.*/\1/' | sort -u \
            | while read -r header; do
                [ -f "$prefix/include/$header" ] || echo "$header"
              done)
  [ -z "$missing" ] || fail "the examples include headers that are not installed: $missing"
  echo "ok: every header the examples include is installed"
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
if uses viz; then
  # shellcheck disable=SC2046
  "$compiler" -std=c++20 $flags "$consumer_dir/draw.cpp" -o "$scratch/pc_draw" \
    $(pkg-config --cflags --libs micrograd-viz)
  "$scratch/pc_draw" > /dev/null || fail "the pkg-config build with viz does not run"
fi
pc_parts=micrograd
if uses viz; then pc_parts+=" and micrograd-viz"; fi
if uses datasets && uses plots; then
  # micrograd-plots.pc requires micrograd-datasets.pc, which requires micrograd.pc.
  # shellcheck disable=SC2046
  "$compiler" -std=c++20 $flags "$consumer_dir/plot.cpp" -o "$scratch/pc_plot" \
    $(pkg-config --cflags --libs micrograd-plots)
  "$scratch/pc_plot" "$scratch/pc_plot.png" > /dev/null \
    || fail "the pkg-config build with datasets and plots does not run"
  pc_parts+=" and micrograd-plots"
fi
echo "ok: built with pkg-config --cflags --libs $pc_parts"

echo "== 4. the manifest lists every installed file"
manifest=$build_dir/install_manifest.txt
installed=$(cd "$prefix" && find . -type f -o -type l | sed "s|^\.|$prefix|" | sort)
listed=$(sort "$manifest")
[ "$installed" = "$listed" ] || { diff <(echo "$listed") <(echo "$installed"); fail "manifest"; }
echo "ok: $(wc -l < "$manifest") files, all in $manifest"
echo "PASS"
