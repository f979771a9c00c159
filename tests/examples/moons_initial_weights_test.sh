#!/usr/bin/env bash
# moons starts from the notebook's stored weights only for the notebook's own model (its data,
# MLP(2, [16, 16, 1]) and the hinge loss); any other model on the notebook's data starts from the
# seed, exactly as it does on the same points read from a CSV file, and says so. A --hidden with an
# empty size or one wider than 10,000 is a usage error.
#
#   moons_initial_weights_test.sh <path to moons> <work folder>
source "$(dirname "$0")/common.sh"
moons=$1
reference=$(cd "$(dirname "$0")/../reference" && pwd)/micrograd_demo_moons.txt
fresh_work_folder "$2"

# The notebook's 100 points as a CSV file (labels -1/+1 become 0/1): the same data by another road,
# which never loads the notebook's weights.
awk 'BEGIN { print "x0,x1,label" } { print $1 "," $2 "," ($3 > 0 ? 1 : 0) }' "$reference" \
  > notebook.csv

expect_exit 0 notebook.log "$moons" --steps 1 --out out
expect_said notebook.log "step   0 loss 0.895844" "initial weights: the notebook's"

for model in "--hidden 8" "--hidden 16,16 --loss cross_entropy" "--hidden 16,16 --loss mse" \
             "--hidden 4,4,4"; do
  read -ra flags <<< "$model"
  expect_exit 0 notebook_data.log "$moons" "${flags[@]}" --steps 1 --out out
  expect_exit 0 csv_data.log "$moons" "${flags[@]}" --steps 1 --out out --dataset notebook.csv
  expect_said notebook_data.log "initial weights: random, from --seed 1337"
  loss=$(grep "^step   0 " notebook_data.log)
  [ "$loss" = "$(grep "^step   0 " csv_data.log)" ] \
    || fail "$model on the notebook's data: '$loss', on the same points from a CSV: '$(grep "^step   0 " csv_data.log)'"
  echo "ok: $model: $loss, as on the same points from a CSV file"
done

# 1000000: once accepted, and the memory ran out building the model.
for hidden in "" "4," ",4" "4,,4" "16,1000000"; do
  expect_exit 2 usage.log "$moons" --hidden "$hidden" --steps 1 --out out
  expect_said usage.log "--hidden takes the hidden layers' sizes" "got '$hidden'"
  echo "ok: --hidden '$hidden': $(head -n1 usage.log)"
done
echo "PASS"
