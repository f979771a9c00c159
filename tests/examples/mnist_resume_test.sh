#!/usr/bin/env bash
# Checkpoints of the MNIST demo, end to end:
#   1. one epoch, then --resume for a second, gives the same model file, byte for byte, as two
#      epochs straight, and the epoch counter carries on (epoch 2/2);
#   2. Ctrl-C mid-epoch saves a checkpoint, exits with 130 and says how to resume; resuming gives
#      the same model as a run never stopped;
#   3. a damaged model file or training_state.json (truncated, or nested 100,000 deep), a missing
#      checkpoint, a fingerprint mismatch and another --model give a clear error (exit status 1,
#      the file named), never a crash.
#
#   mnist_resume_test.sh <path to mnist> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
fresh_work_folder "$2"

# run <log> <args...>: runs mnist, stdout and stderr to <log>; returns its exit status.
run() {
  local log=$1
  shift
  "$mnist" "$@" > "$log" 2>&1
}
# expect_error <what> <pattern> <args...>: mnist must exit with 1 and print <pattern>.
expect_error() {
  local what=$1 pattern=$2
  shift 2
  run error.log "$@"
  local status=$?
  [ "$status" = 1 ] || { cat error.log; fail "$what: exit status $status, expected 1"; }
  grep -q -- "$pattern" error.log || { cat error.log; fail "$what: no '$pattern' in the message"; }
  echo "ok: $what: $(grep -m1 -- "$pattern" error.log)"
}

small=(--model mlp --max-train 300 --max-test 100 --seed 7)

# --- 1. one epoch + one resumed == two straight -------------------------------------------------
# At a constant rate: the default cosine spans the run's --epochs, so a run of 1 epoch extended to
# 2 follows another schedule than a run of 2 (part 2 resumes a cosine run where it stopped).
small+=(--schedule constant)
run straight.log "${small[@]}" --epochs 2 --out straight || { cat straight.log; fail "straight run"; }
run first.log "${small[@]}" --epochs 1 --out resumed || { cat first.log; fail "first epoch"; }
grep -q '"epochs_done": 1' resumed/training_state.json || fail "no epochs_done 1 after one epoch"
cp -r resumed after_one_epoch
run second.log --resume --epochs 2 --out resumed || { cat second.log; fail "resumed run"; }
grep -q "resuming after 1 epoch and 0 samples" second.log || { cat second.log; fail "no resume"; }
grep -q "^epoch  2/2 " second.log || { cat second.log; fail "the resumed run did not train epoch 2"; }
if grep -q "^epoch  1/" second.log; then cat second.log; fail "the resumed run trained epoch 1 again"; fi
grep -q '"epochs_done": 2' resumed/training_state.json || fail "no epochs_done 2 after resuming"
cmp -s "$(model_of straight)" "$(model_of resumed)" \
  || fail "one epoch + one resumed gave another model than two epochs straight"
[ "$(grep '^test accuracy' straight.log)" = "$(grep '^test accuracy' second.log)" ] \
  || fail "test accuracy differs: $(grep '^test accuracy' straight.log) vs $(grep '^test accuracy' second.log)"
echo "ok: one epoch + --resume == two epochs straight ($(grep '^test accuracy' second.log))"

# --- 2. Ctrl-C mid-epoch, then --resume ---------------------------------------------------------
# With the default recipe: the cosine schedule and the shifts pick up where they stopped.
longer=(--model mlp --max-train 3000 --max-test 100 --seed 3 --epochs 1)
run uninterrupted.log "${longer[@]}" --out uninterrupted || fail "uninterrupted run"
# Ctrl-C once the first tenth of the epoch is done (the output is a file: a line per tenth).
interrupt_when "^epoch 1/1  10%" interrupted.log "$mnist" "${longer[@]}" --out interrupted
grep -q "resume with: .*--resume" interrupted.log || { cat interrupted.log; fail "no resume hint"; }
position=$(sed -n 's/^ "position": \([0-9]*\),$/\1/p' interrupted/training_state.json)
{ [ -n "$position" ] && [ "$position" -gt 0 ] && [ "$position" -lt 3000 ]; } \
  || fail "after Ctrl-C the checkpoint is at sample '$position', expected one mid-epoch"
run resumed_after_interrupt.log "${longer[@]}" --out interrupted --resume \
  || { cat resumed_after_interrupt.log; fail "resuming after Ctrl-C"; }
grep -q "resuming after 0 epochs and $position samples" resumed_after_interrupt.log \
  || { cat resumed_after_interrupt.log; fail "the resumed run did not start at sample $position"; }
cmp -s "$(model_of uninterrupted)" "$(model_of interrupted)" \
  || fail "Ctrl-C at sample $position + --resume gave another model than an uninterrupted run"
echo "ok: Ctrl-C at sample $position of 3000 + --resume == uninterrupted"

# --- 3. clear errors ----------------------------------------------------------------------------
expect_error "no checkpoint" "no checkpoint to resume" --resume --out empty
expect_error "another model" "trained with --model mlp" --resume --model conv --out resumed
cp -r resumed truncated_model
head -c 200 "$(model_of resumed)" > "$(model_of truncated_model)"
expect_error "truncated model file" "$(model_of truncated_model).*not valid JSON" \
  --resume --epochs 3 --out truncated_model
cp -r resumed damaged_state
echo '{"format": "micrograd.cpp mnist training state", "version": 1, "model": ' \
  > damaged_state/training_state.json
expect_error "truncated training_state.json" "damaged_state/training_state.json: not valid JSON" \
  --resume --epochs 3 --out damaged_state
# A list nested 100,000 deep where the state's "model" should be (before: a stack overflow).
cp -r resumed deep_state
{
  printf '{"format": "micrograd.cpp mnist training state", "version": 1, "model": '
  head -c 100000 /dev/zero | tr '\0' '['
  head -c 100000 /dev/zero | tr '\0' ']'
  printf '}\n'
} > deep_state/training_state.json
expect_error "deeply nested training_state.json" "deep_state/training_state.json.*nested deeper than" \
  --resume --epochs 3 --out deep_state
cp -r resumed other_model
# epoch 1's weights under epoch 2's state
cp "$(model_of after_one_epoch)" "$(model_of other_model)"
expect_error "mismatched model file" "is not the model" --resume --epochs 3 --out other_model
cp -r resumed wrong_architecture
sed -i 's/"architecture":"MLP(400, \[128, 10\], relu)"/"architecture":"MLP(400, [16, 10], relu)"/' \
  "$(model_of wrong_architecture)"
expect_error "another architecture in the model file" "saved from MLP(400, \[16, 10\], relu)" \
  --resume --epochs 3 --out wrong_architecture
expect_error "below --min-accuracy" "below --min-accuracy 100" \
  "${small[@]}" --epochs 1 --out min_accuracy --min-accuracy 100
echo "PASS"
