#!/usr/bin/env bash
# Both demos check their --out folder before they train: an --out that is a file, that lies below a
# file, or (when not root: root may write anywhere) that is read-only is a usage error (exit 2) that
# names the path, not a failure after an epoch (mnist) or after all the steps (moons).
#
#   out_folder_test.sh <path to mnist> <path to moons> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
moons=$2
fresh_work_folder "$3"

# expect_refused <path> <command...>: exit 2 before training, naming the path.
expect_refused() {
  local path=$1
  shift
  expect_exit 2 refused.log "$@" --out "$path"
  expect_said refused.log "--out '$path'"
  if grep -qE "^(training:|step )" refused.log; then
    cat refused.log
    fail "$(basename "$1") --out $path: it trained before checking the folder"
  fi
  echo "ok: $(head -n1 refused.log)"
}

echo "not a folder" > a_file
mkdir read_only
chmod 555 read_only
mnist_run=("$mnist" --model mlp --max-train 50 --max-test 10 --epochs 1)
moons_run=("$moons" --steps 2)

for path in a_file a_file/below; do
  expect_refused "$path" "${mnist_run[@]}"
  expect_refused "$path" "${moons_run[@]}"
done
if [ "$(id -u)" != 0 ]; then
  expect_refused read_only "${mnist_run[@]}"
  expect_refused read_only "${moons_run[@]}"
else
  echo "skipped: the read-only folder (root may write in it)"
fi
chmod 755 read_only

# A folder that does not exist yet is made, as before.
expect_exit 0 made.log "${moons_run[@]}" --out new/moons
[ -f new/moons/loss.png ] || fail "moons did not write into the folder it made"
echo "PASS"
