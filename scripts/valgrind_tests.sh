#!/usr/bin/env bash
# Runs every test program of a build under valgrind's leak checker; fails on any definite or
# indirect leak or memory error. Usage: scripts/valgrind_tests.sh build/release
set -euo pipefail
build_dir=${1:?usage: scripts/valgrind_tests.sh <build dir>}
mapfile -t programs < <(find "$build_dir/tests" -type f -name '*_tests' -perm -u+x | sort)
[[ ${#programs[@]} -gt 0 ]] || { echo "valgrind_tests: no test programs under $build_dir/tests"; exit 1; }
# The node pool keeps freed nodes for reuse, which would hide a leaked graph from valgrind.
export MICROGRAD_NODE_POOL=0
# Allocations inside Graphviz and the font libraries it loads are not ours (see the file).
suppressions=$(dirname "$0")/../viz/valgrind.supp
for program in "${programs[@]}"; do
  echo "valgrind: $program"
  # Tests that drive other processes (torch, chromium) check themselves elsewhere; valgrind
  # follows only this program.
  valgrind --quiet --leak-check=full --suppressions="$suppressions" --errors-for-leak-kinds=definite,indirect \
           --show-leak-kinds=definite,indirect --error-exitcode=99 \
           "$program" --gtest_brief=1
done
# Once more for the engine with the pool on, so that valgrind checks the pool's own bookkeeping for
# reads of uninitialised memory and accesses outside its arenas. (To valgrind an arena is one
# allocation: this run sees neither leaked graphs nor a use of a freed node; the run above does.)
for name in engine_tests engine_node_pool_tests; do
  program=$(find "$build_dir/tests" -type f -name "$name" -perm -u+x | head -n 1)
  [[ -n $program ]] || continue
  echo "valgrind: $program with the node pool on"
  MICROGRAD_NODE_POOL=1 valgrind --quiet --leak-check=full --suppressions="$suppressions" \
           --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
           --error-exitcode=99 "$program" --gtest_brief=1
done
echo "valgrind: ${#programs[@]} programs, no leaks, no memory errors"
