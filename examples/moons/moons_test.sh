#!/usr/bin/env bash
# Runs the moons demo and checks micrograd's losses, the final accuracy and the pictures.
set -euo pipefail
moons=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=$("$moons" --out "$out")
for expected in "step   0 loss 0.895844" "step   1 loss 1.723591" "step  50 loss 0.098751" \
                "step  99 loss 0.010978" "final accuracy 100%"; do
  grep -qF "$expected" <<< "$log" || { echo "missing '$expected' in:"; echo "$log"; exit 1; }
done
for picture in decision_boundary.png loss.png; do
  [[ $(head -c 8 "$out/$picture" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] \
    || { echo "$picture is not a PNG file"; exit 1; }
done
# A bad flag is a usage error (exit 2), not a crash.
if "$moons" --steps zero > /dev/null 2>&1; then echo "--steps zero was accepted"; exit 1; fi
"$moons" --dataset spirals --loss cross_entropy --optimizer adam --steps 30 --out "$out" > /dev/null
echo "moons demo: micrograd's losses, 100% accuracy, pictures written"
