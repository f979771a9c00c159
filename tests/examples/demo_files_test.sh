#!/usr/bin/env bash
# Both demos write their pictures and, beside each curve, its numbers as CSV (series,x,y) for
# matplotlib or gnuplot: moons loss.csv (one row per step), mnist loss.csv and accuracy.csv (the
# training curve every 1/20 epoch, and one test row per epoch).
#
#   demo_files_test.sh <path to mnist> <path to moons> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
moons=$2
fresh_work_folder "$3"

# expect_files <folder> <name...>: each file is there and not empty.
expect_files() {
  local folder=$1 name
  shift
  for name in "$@"; do
    [ -s "$folder/$name" ] || fail "no $folder/$name"
  done
}

# rows <file> <series>: how many rows of <file> belong to <series> (quoted when it has a comma).
rows() {
  grep -c -- "^$2," "$1"
}

expect_exit 0 moons.log "$moons" --steps 3 --out moons
expect_files moons decision_boundary.png loss.png loss.csv
expect_said moons.log "numbers: moons/loss.csv"
[ "$(head -n 1 moons/loss.csv)" = "series,x,y" ] || fail "moons/loss.csv: no header: $(head -n 1 moons/loss.csv)"
[ "$(rows moons/loss.csv loss)" = 3 ] || { cat moons/loss.csv; fail "moons/loss.csv: not one row per step"; }
echo "ok: moons wrote its pictures and loss.csv"

expect_exit 0 mnist.log "$mnist" --model mlp --max-train 200 --max-test 50 --epochs 2 --seed 1 \
  --out mnist
expect_files mnist misclassified.png loss.png loss.csv accuracy.png accuracy.csv
expect_said mnist.log mnist/loss.csv mnist/accuracy.csv
[ "$(rows mnist/accuracy.csv test)" = 2 ] || { cat mnist/accuracy.csv; fail "accuracy.csv: not one test row per epoch"; }
[ "$(rows mnist/accuracy.csv '"training, every 1/20 epoch"')" -ge 20 ] \
  || { cat mnist/accuracy.csv; fail "accuracy.csv: the training curve is missing"; }
[ "$(rows mnist/loss.csv 'epoch mean')" = 2 ] || { cat mnist/loss.csv; fail "loss.csv: not one epoch mean per epoch"; }
echo "ok: mnist wrote its pictures, loss.csv and accuracy.csv"
echo "PASS"
