#!/usr/bin/env bash
# The custom op demo: leaky ReLU and the Huber loss defined with apply_op pass gradcheck, a net
# built with them learns sin(2x) (mean Huber loss from about 0.21 to 0.009-0.02 for seeds 1-3 in
# 1000 steps), and the picture is drawn when viz is built.
#
#   custom_op_test.sh <path to custom_op> <work folder> <1 if viz is built, else 0>
source "$(dirname "$0")/common.sh"
demo=$1
fresh_work_folder "$2"
with_viz=$3

expect_exit 0 run.log "$demo" --out out --seed 1
[ "$(grep -c 'gradcheck ok' run.log)" = 3 ] || { cat run.log; fail "expected 3 passing gradchecks"; }
final=$(sed -n 's/^mean Huber loss [0-9.e-]* -> \([0-9.e-]*\)$/\1/p' run.log)
[ -n "$final" ] || { cat run.log; fail "no final loss printed"; }
awk -v loss="$final" 'BEGIN { exit !(loss < 0.03) }' || { cat run.log; fail "mean Huber loss $final >= 0.03"; }
if [ "$with_viz" = 1 ]; then
  expect_said run.log "picture: out/ops.svg"
  grep -q "leaky_relu" out/ops.svg && grep -q ">huber<" out/ops.svg || fail "out/ops.svg lacks the ops"
fi
expect_exit 2 bad_steps.log "$demo" --steps 0
expect_said bad_steps.log "--steps"
echo "ok: $(grep -- '->' run.log)"
