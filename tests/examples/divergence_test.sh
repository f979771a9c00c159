#!/usr/bin/env bash
# A learning rate so large that training diverges (the loss stops being finite) is an error in both
# demos: a message that says so and what to try, exit status 1, and "nan", never "-nan", wherever a
# number is printed.
#
#   divergence_test.sh <path to mnist> <path to moons> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
moons=$2
fresh_work_folder "$3"

# expect_diverged <command...>: exit 1, "diverged" and "--lr" said, no "-nan" and no result.
expect_diverged() {
  expect_exit 1 diverged.log "$@"
  expect_said diverged.log "diverged" "--lr"
  if grep -q -- "-nan" diverged.log; then cat diverged.log; fail "$(basename "$1") printed -nan"; fi
  if grep -q "final accuracy" diverged.log; then cat diverged.log; fail "a result was reported"; fi
  echo "ok: $(basename "$1") --lr 1e300: $(grep -m1 diverged diverged.log)"
}

expect_diverged "$moons" --lr 1e300 --steps 5 --out moons
expect_diverged "$mnist" --lr 1e300 --model mlp --max-train 50 --max-test 10 --epochs 1 --out mnist
echo "PASS"
