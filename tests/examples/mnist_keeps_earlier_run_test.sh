#!/usr/bin/env bash
# A new MNIST run never destroys an earlier one in the same --out folder:
#   1. without --resume or --overwrite it refuses to start (exit 2, the folder and both flags
#      named), and the earlier checkpoint is unchanged;
#   2. with --overwrite, Ctrl-C right after the start (before the new run has finished an epoch)
#      keeps the earlier checkpoint as it was;
#   3. with --overwrite, the new run replaces it once it has finished an epoch, and --resume then
#      continues the new run;
#   4. --resume --overwrite is a usage error.
#
#   mnist_keeps_earlier_run_test.sh <path to mnist> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
fresh_work_folder "$2"

# The checkpoint files of folder $1, each with its checksum: equal listings, equal checkpoints.
checkpoint() {
  (cd "$1" && find . -name '*.json' -type f | sort | xargs -r sha1sum)
}

tiny=(--model mlp --max-train 60 --max-test 20 --epochs 1)

# The earlier run: one finished epoch.
expect_exit 0 earlier.log "$mnist" "${tiny[@]}" --seed 1 --out run
before=$(checkpoint run)
[ -n "$before" ] || fail "the earlier run saved no checkpoint"

# --- 1. a new run without --resume or --overwrite is refused --------------------------------------
expect_exit 2 refused.log "$mnist" "${tiny[@]}" --seed 2 --out run
expect_said refused.log "'run'" "--resume" "--overwrite"
if grep -q "^training:" refused.log; then cat refused.log; fail "the refused run started training"; fi
[ "$(checkpoint run)" = "$before" ] || fail "a refused run changed the earlier checkpoint"
echo "ok: refused: $(head -n1 refused.log)"

# --- 2. --overwrite, then Ctrl-C before the new run has finished an epoch -------------------------
# A long epoch (2,000 images), interrupted as soon as training starts.
interrupt_when "^training:" interrupted.log \
  "$mnist" --model mlp --max-train 2000 --max-test 20 --epochs 1 --seed 2 --out run --overwrite
grep -q "^epoch  1/1 " interrupted.log \
  && { cat interrupted.log; fail "the epoch finished before Ctrl-C: the test needs a longer one"; }
[ "$(checkpoint run)" = "$before" ] \
  || { cat interrupted.log; fail "Ctrl-C in the first epoch of an --overwrite run changed the earlier checkpoint"; }
expect_said interrupted.log "checkpoint in run is unchanged"
echo "ok: Ctrl-C before an epoch: $(grep -m1 unchanged interrupted.log)"

# --- 3. --overwrite replaces it after one finished epoch; --resume continues the new run ----------
expect_exit 0 overwrite.log "$mnist" "${tiny[@]}" --seed 2 --out run --overwrite
grep -q '"seed": 2,' run/training_state.json || fail "--overwrite did not replace the checkpoint"
[ "$(find run -name 'model*.json' | wc -l)" = 1 ] || { ls -la run; fail "the earlier model file is left"; }
expect_exit 0 resumed.log "$mnist" --resume --epochs 2 --out run
expect_said resumed.log "resuming after 1 epoch"
echo "ok: --overwrite replaced the earlier run after an epoch, and --resume continues it"

# --- 4. --resume --overwrite ----------------------------------------------------------------------
expect_exit 2 both.log "$mnist" --resume --overwrite --out run
expect_said both.log "contradict"
echo "ok: $(head -n1 both.log)"
echo "PASS"
