#!/usr/bin/env bash
# The MNIST demo on threads (nn::DataParallel):
#   1. --threads 1, 2 and 3 print the same losses and accuracies and save the same model, byte for
#      byte, for the MLP and the conv net (a batch of 8: every thread gets samples), and so does
#      --ops op-by-op (the graph of one node per + and *) against the fused default;
#   2. a run may be resumed on another thread count, and gives the model of a run never stopped;
#   3. --batch is a setting of the run: resuming with another one is an error that says so.
#
#   mnist_threads_test.sh <path to mnist> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
fresh_work_folder "$2"

# numbers_of <log>: the lines that carry the run's numbers (not its timings).
numbers_of() {
  grep -E '^epoch ' "$1" | sed -E 's/ +[0-9.]+ s \(.*//; s/ +[0-9]+ samples\/s.*//'
  grep -E '^test accuracy' "$1"
}

# --- 1. any thread count, the same numbers ------------------------------------------------------
# The MLP for two epochs (its run is resumed below), the conv net (slower per image) for one.
for model in mlp conv; do
  if [ "$model" = mlp ]; then
    small=(--model mlp --max-train 160 --max-test 50 --epochs 2 --batch 8 --seed 5)
  else
    small=(--model conv --max-train 96 --max-test 30 --epochs 1 --batch 8 --seed 5)
  fi
  for threads in 1 2 3; do
    expect_exit 0 "$model-$threads.log" "$mnist" "${small[@]}" --threads "$threads" \
      --out "$model-$threads"
    expect_said "$model-$threads.log" "batch 8 on $threads thread" "graph: fused"
  done
  expect_exit 0 "$model-op-by-op.log" "$mnist" "${small[@]}" --threads 2 --ops op-by-op \
    --out "$model-op-by-op"
  expect_said "$model-op-by-op.log" "graph: op by op"
  [ -n "$(numbers_of "$model-1.log")" ] || fail "no epoch lines in $model-1.log"
  for threads in 2 3 op-by-op; do
    [ "$(numbers_of "$model-1.log")" = "$(numbers_of "$model-$threads.log")" ] || {
      diff <(numbers_of "$model-1.log") <(numbers_of "$model-$threads.log")
      fail "$model: --threads/--ops $threads printed other numbers than --threads 1"
    }
    cmp -s "$(model_of "$model-1")" "$(model_of "$model-$threads")" \
      || fail "$model: --threads/--ops $threads saved another model than --threads 1"
  done
  echo "ok: $model: --threads 1, 2 and 3 and --ops op-by-op give the same numbers and model"
done

# --- 2. resumed on another thread count ---------------------------------------------------------
# At a constant rate: the default cosine spans the run's --epochs, so a run of 1 epoch extended to
# 2 follows another schedule than a run of 2.
small=(--model mlp --max-train 160 --max-test 50 --batch 8 --seed 5 --schedule constant)
expect_exit 0 straight.log "$mnist" "${small[@]}" --epochs 2 --threads 1 --out straight
expect_exit 0 first.log "$mnist" "${small[@]}" --epochs 1 --threads 1 --out resumed
expect_exit 0 second.log "$mnist" --resume --epochs 2 --threads 2 --out resumed
expect_said second.log "resuming after 1 epoch" "batch 8 on 2 threads"
cmp -s "$(model_of straight)" "$(model_of resumed)" \
  || fail "one epoch on 1 thread + one resumed on 2 gave another model than 2 epochs on 1 thread"
echo "ok: resumed on 2 threads after an epoch on 1: the model of a run never stopped"

# --- 3. --batch belongs to the run --------------------------------------------------------------
expect_exit 1 other_batch.log "$mnist" --resume --epochs 3 --batch 4 --out resumed
expect_said other_batch.log "trained with --batch 8, not 4"
echo "ok: $(grep -m1 -- '--batch' other_batch.log)"
echo "PASS"
