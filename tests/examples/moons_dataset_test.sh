#!/usr/bin/env bash
# moons --dataset: a built-in name always means the built-in dataset, even where a file or folder of
# that name is in the current folder (as the moons executable is in its build folder); anything
# else is a path, and a path that is missing, a folder or not a CSV file of points gets its own
# message that names it and lists the built-in names.
#
#   moons_dataset_test.sh <path to moons> <work folder>
source "$(dirname "$0")/common.sh"
moons=$1
fresh_work_folder "$2"

# The folder that holds the executable: a binary file named moons, and a folder named spirals.
cp "$moons" moons
mkdir spirals
for name in moons spirals; do
  expect_exit 0 builtin.log "$moons" --dataset "$name" --steps 1 --out out
  expect_said builtin.log "$name: 100 points"
  echo "ok: --dataset $name is the built-in one: $(head -n1 builtin.log)"
done

# expect_refused <path> <status> <words>: exit <status>; the path, <words> and the names said.
expect_refused() {
  expect_exit "$2" refused.log "$moons" --dataset "$1" --steps 1 --out out
  expect_said refused.log "'$1'" "$3" "micrograd, moons, circles, spirals, xor"
  echo "ok: $(head -n1 refused.log)"
}
expect_refused nope.csv 2 "no such file"
expect_refused ./spirals 2 "is a folder"
expect_refused ./moons 1 "is not a CSV file of points: it holds binary data"
echo "bad,row" > bad.csv
expect_refused bad.csv 1 "is not a CSV file of points"
echo "PASS"
