#!/usr/bin/env bash
# Runs every test program of a build under valgrind's leak checker; fails on any definite or
# indirect leak or memory error. Usage: scripts/valgrind_tests.sh build/release
#
# valgrind runs a program on one core, so the programs run side by side, one per core (about two
# minutes of valgrind in all on two cores instead of three and a half); each one's output is shown
# whole once it ends, in the order the programs are listed.
set -euo pipefail
build_dir=${1:?usage: scripts/valgrind_tests.sh <build dir>}
mapfile -t programs < <(find "$build_dir/tests" -type f -name '*_tests' -perm -u+x | sort)
[[ ${#programs[@]} -gt 0 ]] || { echo "valgrind_tests: no test programs under $build_dir/tests"; exit 1; }
# Allocations inside Graphviz and the font libraries it loads are not ours (see the file).
suppressions=$(dirname "$0")/../viz/valgrind.supp
jobs=$(nproc)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Each run: "<node pool setting> <program>". The node pool keeps freed nodes for reuse, which would
# hide a leaked graph from valgrind, so every program runs with it off. The engine's programs run
# once more with it on, so that valgrind checks the pool's own bookkeeping for reads of
# uninitialised memory and accesses outside its arenas. (To valgrind an arena is one allocation:
# that run sees neither leaked graphs nor a use of a freed node; the run with the pool off does.)
runs=()
for program in "${programs[@]}"; do runs+=("0 $program"); done
for name in engine_tests engine_node_pool_tests; do
  program=$(find "$build_dir/tests" -type f -name "$name" -perm -u+x | head -n 1)
  if [[ -n $program ]]; then runs+=("1 $program"); fi
done

# run_one <index> <node pool> <program>: its output and exit status go to $logs/<index>.*
run_one() {
  local index=$1 pool=$2 program=$3 status=0
  # Tests that drive other processes (torch, chromium) check themselves elsewhere; valgrind
  # follows only this program.
  MICROGRAD_NODE_POOL=$pool valgrind --quiet --leak-check=full --suppressions="$suppressions" \
      --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
      --error-exitcode=99 "$program" --gtest_brief=1 > "$logs/$index.out" 2>&1 || status=$?
  echo "$status" > "$logs/$index.status"
}

running=0
for index in "${!runs[@]}"; do
  if (( running >= jobs )); then
    wait -n
    running=$((running - 1))
  fi
  read -r pool program <<< "${runs[$index]}"
  run_one "$index" "$pool" "$program" &
  running=$((running + 1))
done
wait

failed=0
for index in "${!runs[@]}"; do
  read -r pool program <<< "${runs[$index]}"
  echo "valgrind: $program$([[ $pool == 1 ]] && echo " with the node pool on")"
  cat "$logs/$index.out"
  status=$(cat "$logs/$index.status" 2>/dev/null || echo "no status")
  if [[ $status != 0 ]]; then
    echo "valgrind: $program failed (exit status $status)"
    failed=$((failed + 1))
  fi
done
if (( failed > 0 )); then
  echo "valgrind: $failed of ${#runs[@]} runs failed"
  exit 1
fi
echo "valgrind: ${#programs[@]} programs, no leaks, no memory errors"
