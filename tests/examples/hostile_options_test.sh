#!/usr/bin/env bash
# Values the demos accept must work within memory proportional to the work, or be refused up front
# with a usage error (exit 2, one line) naming the option and its range; errors found later name
# what was wrong and what to do, and do not blame an option that is not the cause.
#
#   hostile_options_test.sh <mnist> <moons> <custom_op> <graph or ""> <breast_cancer> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1 moons=$2 custom_op=$3 graph=$4 breast_cancer=$5
fresh_work_folder "$6"
# No demo may reach for more than 4 GB: one that would have run out of memory fails fast here
# instead of taking the machine down with it.
ulimit -v 4000000

# expect_usage_error <text expected> <command...>: exit 2, one line on stderr, nothing on stdout.
expect_usage_error() {
  local expected=$1
  shift
  "$@" > mistake.out 2> mistake.err
  local status=$?
  local name
  name=$(basename "$1")
  [ "$status" = 2 ] || { cat mistake.out mistake.err; fail "$name ${*:2}: exit status $status, expected 2"; }
  [ "$(wc -l < mistake.err)" = 1 ] || { cat mistake.err; fail "$name ${*:2}: not one line"; }
  [ ! -s mistake.out ] || { cat mistake.out; fail "$name ${*:2}: wrote to stdout (it started)"; }
  expect_said mistake.err "$name: " "$expected"
  echo "ok: $(cat mistake.err)"
}

echo "== moons"
expect_usage_error "--alpha: must be a number from 0" "$moons" --alpha -1
expect_usage_error "--alpha: must be a number from 0" "$moons" --alpha=-1e-9
expect_usage_error "--noise: must be a number from 0" "$moons" --noise -1
expect_usage_error "--samples: must be a whole number from 1 to 10000000, got '1000000000'" \
  "$moons" --samples 1000000000 --dataset moons
expect_usage_error "--samples 10000000 with --hidden 64,64" \
  "$moons" --samples 10000000 --dataset moons --hidden 64,64 --ops op-by-op
expect_usage_error "--hidden 10000,10000" "$moons" --hidden 10000,10000
expect_usage_error "--hidden 10000,10000" "$moons" --hidden 10000,10000 --dataset circles
expect_usage_error "--noise: must be a number from 0 to 1e+06, got '1e300'" "$moons" --noise 1e300
expect_usage_error "--alpha: must be a number from 0 to 1e+06, got '1e300'" "$moons" --alpha 1e300
# Points near the largest double overflow before the first step: --lr has not acted yet.
printf 'x0,x1,label\n1.7e308,1.7e308,1\n-1.7e308,-1.7e308,0\n' > huge_points.csv
expect_exit 1 huge_points.log "$moons" --dataset huge_points.csv --steps 2 --out out_huge_points
expect_said huge_points.log "before the first step" "huge_points.csv"
if grep -q -- "Try a smaller --lr" huge_points.log; then
  cat huge_points.log
  fail "points that overflow were blamed on --lr"
fi
# A penalty so large that each step overshoots: named beside --lr.
expect_exit 1 alpha.log "$moons" --dataset moons --alpha 1e6 --steps 100 --out out_alpha
expect_said alpha.log "Try a smaller --lr" "or a smaller --alpha (it is 1e+06"
echo "ok: huge --noise and --alpha are named, not blamed on --lr"

echo "== custom_op and graph: --out checked before anything runs"
expect_usage_error "--out '/dev/null' is a file, not a folder" "$custom_op" --out /dev/null
expect_usage_error "--out is empty" "$custom_op" --out ''
expect_exit 0 steps1.log "$custom_op" --steps 1 --out out_custom
echo "ok: custom_op --steps 1 runs (too few steps to judge the fit)"
if [ -n "$graph" ]; then
  expect_usage_error "--out is empty" "$graph" --out ''
  expect_usage_error "--out '/dev/null' is a file, not a folder" "$graph" --out /dev/null
fi

echo "== breast_cancer"
expect_usage_error "--hidden 10000,10000" "$breast_cancer" --hidden 10000,10000 --out out_bc
# Features near the largest double are numbers like any other: standardised, they train.
{
  echo "40,2,small,large"
  for i in $(seq 1 20); do echo "-1.7e308,-1.$i,0"; done
  for i in $(seq 1 20); do echo "1.7e308,1.$i,1"; done
} > huge.csv
expect_exit 0 huge.log "$breast_cancer" --data huge.csv --epochs 20 --out out_huge
if grep -qi -- "nan\|diverged" huge.log; then cat huge.log; fail "features near 1.7e308 gave NaN"; fi
# A byte order mark before the header, as Excel writes it.
printf '\xEF\xBB\xBF' > bom.csv
cat huge.csv >> bom.csv
expect_exit 0 bom.log "$breast_cancer" --data bom.csv --epochs 2 --out out_bom
# A device never ends: the reader must stop at a line longer than any row, not read it whole.
expect_exit 1 zero.log "$breast_cancer" --data /dev/zero --out out_zero
expect_said zero.log "line 1: longer than"
echo "ok: breast_cancer: huge features, a byte order mark, /dev/zero"

echo "== mnist"
expect_usage_error "--threads: must be a whole number from 0 to 1024, got '100000'" \
  "$mnist" --threads 100000
expect_usage_error "--batch: must be a whole number from 1 to 1024, got '1000000000'" \
  "$mnist" --batch 1000000000
expect_usage_error "--min-accuracy: must be a number from 0 to 100, got '1000'" \
  "$mnist" --min-accuracy 1000
expect_usage_error "--min-accuracy: must be a number from 0 to 100, got '-1'" \
  "$mnist" --min-accuracy -1
expect_usage_error "--shift: must be a whole number from 0 to 8, got '100'" "$mnist" --shift 100
expect_usage_error "--hidden: must be a whole number from 1 to 1024, got '100000'" \
  "$mnist" --hidden 100000
expect_usage_error "--weight-decay: must be a number from 0 to 1, got '-0.1'" \
  "$mnist" --weight-decay -0.1
expect_usage_error "--hidden and --crop shape the MLP" "$mnist" --model conv --crop 20
# A batch of 4 uses at most 4 threads, whatever --threads asks for.
expect_exit 0 threads.log "$mnist" --threads 1000 --batch 4 --max-train 8 --max-test 8 \
  --epochs 1 --out threads
expect_said threads.log "batch 4 on 4 threads"
# A training state that is a folder is not "corrupted JSON".
mkdir -p folder_state/training_state.json
expect_exit 1 folder_state.log "$mnist" --resume --out folder_state
expect_said folder_state.log "training_state.json" "is a folder"
# Nor is a device: /dev/zero as the training state would be read until the memory ran out.
mkdir -p device_state
ln -s /dev/zero device_state/training_state.json
expect_exit 1 device_state.log "$mnist" --resume --out device_state
expect_said device_state.log "training_state.json" "not a regular file"
echo "ok: mnist: --threads, --batch, --min-accuracy, a training state that is a folder or a device"
echo "PASS"
