#!/usr/bin/env bash
# Runs the moons demo and checks micrograd's losses, the final accuracy and the pictures, on the
# fused graph (the default) and on micrograd's op-by-op graph, on the tape (the default) and with
# the reference engine's sort: every printed digit the same.
set -euo pipefail
moons=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
op_by_op=$("$moons" --ops op-by-op --out "$out")
sorted=$("$moons" --backward sort --out "$out")
log=$("$moons" --out "$out")
grep -qF "backward: tape" <<< "$log" || { echo "the default is not the tape:"; echo "$log"; exit 1; }
grep -qF "backward: sort" <<< "$sorted" || { echo "--backward sort was not used:"; echo "$sorted"; exit 1; }
grep -qF "graph: fused" <<< "$log" || { echo "the default is not the fused graph:"; echo "$log"; exit 1; }
grep -qF "graph: op by op" <<< "$op_by_op" || { echo "--ops op-by-op was not used:"; echo "$op_by_op"; exit 1; }
for expected in "step   0 loss 0.895844" "step   1 loss 1.723591" "step  50 loss 0.098751" \
                "step  99 loss 0.010978" "final accuracy 100%"; do
  grep -qF "$expected" <<< "$log" || { echo "missing '$expected' in:"; echo "$log"; exit 1; }
done
if ! diff <(grep "^step" <<< "$op_by_op") <(grep "^step" <<< "$log"); then
  echo "fused (>) and op by op (<) printed different losses"
  exit 1
fi
if ! diff <(grep "^step" <<< "$sorted") <(grep "^step" <<< "$log"); then
  echo "the tape (>) and the sort (<) printed different losses"
  exit 1
fi
for picture in decision_boundary.png loss.png; do
  [[ $(head -c 8 "$out/$picture" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] \
    || { echo "$picture is not a PNG file"; exit 1; }
done
# A bad flag is a usage error (exit 2), not a crash.
if "$moons" --steps zero > /dev/null 2>&1; then echo "--steps zero was accepted"; exit 1; fi
"$moons" --dataset spirals --loss cross_entropy --optimizer adam --steps 30 --out "$out" > /dev/null
echo "moons demo: micrograd's losses fused and op by op, on the tape and sorted, 100% accuracy, pictures written"
