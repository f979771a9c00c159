#!/usr/bin/env bash
# The breast cancer demo trains a classifier that beats a coin by far, on the real Wisconsin data
# when Debian's python3-sklearn is installed (scripts/install_deps.sh --test installs it; a correct
# engine reaches 95-98% on the 114 held-out rows), and otherwise on a small generated table in
# the same layout (two clouds of points in 5 dimensions), so that it never passes unrun. A table
# with three classes and a missing file are clear errors.
#
#   breast_cancer_test.sh <path to breast_cancer> <work folder>
source "$(dirname "$0")/common.sh"
demo=$1
fresh_work_folder "$2"
real=/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv

# accuracy_of <log>: the test accuracy the demo printed, as a whole number of percent.
accuracy_of() {
  sed -n 's/^test accuracy \([0-9.]*\)%.*/\1/p' "$1" | cut -d. -f1
}

if [ -f "$real" ]; then
  echo "the real data: $real"
  data=()
  least=90
else
  echo "python3-sklearn is not installed: a generated table instead of the real data"
  # 200 rows: class 0 around +1, class 1 around -1 in every feature, with a uniform spread of 1.6
  # (the clouds overlap a little). awk's rand() with a fixed seed: the same file every time.
  awk 'BEGIN { srand(7); print "200,5,left,right";
               for (i = 0; i < 200; ++i) { c = i % 2; line = "";
                 for (f = 0; f < 5; ++f) line = line sprintf("%.4f,", (c ? -1 : 1) + 3.2 * (rand() - 0.5));
                 print line c } }' > generated.csv
  data=(--data generated.csv)
  least=90
fi

# expect_learns <log>: the run in <log> printed a test accuracy of at least $least%.
expect_learns() {
  local accuracy
  accuracy=$(accuracy_of "$1")
  [ -n "$accuracy" ] || { cat "$1"; fail "no test accuracy printed"; }
  [ "$accuracy" -ge "$least" ] || { cat "$1"; fail "test accuracy $accuracy% < $least%"; }
  echo "ok: $(grep '^test accuracy' "$1")"
}

expect_exit 0 real.log "$demo" "${data[@]}" --out out --epochs 60
expect_learns real.log
expect_said real.log "precision" "recall" "confusion matrix" "picture: out/loss.png"
[ -f out/loss.png ] || fail "no loss curve"

# BatchNorm1d and Dropout after the hidden layer: they train, and the test metrics (eval mode)
# still beat a coin by far.
expect_exit 0 layers.log "$demo" "${data[@]}" --out out --epochs 60 --batchnorm --dropout 0.2
expect_said layers.log "a BatchNorm1d after each hidden layer, then Dropout(p=0.2)"
expect_learns layers.log
expect_exit 2 dropout_one.log "$demo" "${data[@]}" --dropout 1
expect_said dropout_one.log "--dropout" "below 1, got 1;"

printf '3,1,a,b,c\n0.5,0\n1.5,1\n2.5,2\n' > three_classes.csv
expect_exit 1 three.log "$demo" --data three_classes.csv --out out
expect_said three.log "3 classes" "two classes"
expect_exit 1 missing.log "$demo" --data nope.csv --out out
expect_said missing.log "nope.csv" "cannot open"
echo "ok: $(head -n1 three.log)"
echo "PASS"
