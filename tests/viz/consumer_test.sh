#!/usr/bin/env bash
# Installs the built micrograd into a scratch prefix, then builds and runs an outside project that
# finds it with find_package(micrograd CONFIG REQUIRED) and draws with micrograd::viz.
#
#   consumer_test.sh <build dir> <consumer dir> <C++ compiler>
set -euo pipefail
build_dir=$1 consumer_dir=$2 compiler=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" > "$scratch/install.log"
cmake -S "$consumer_dir" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
      -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=Release > "$scratch/configure.log" 2>&1 \
  || { cat "$scratch/configure.log"; exit 1; }
cmake --build "$scratch/build" > "$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; exit 1; }
"$scratch/build/consumer"
