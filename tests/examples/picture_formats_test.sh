#!/usr/bin/env bash
# Every demo that draws writes its pictures in the format --format asks for (png, svg or pdf, or
# the extension of a file name), each a valid file of that kind by its first bytes, and refuses an
# unknown format with a usage error. Each run is as short as the demo allows.
#
#   picture_formats_test.sh <mnist> <moons> <breast_cancer> <custom_op> <graph or ""> <work folder>
source "$(dirname "$0")/common.sh"
mnist=$1
moons=$2
breast_cancer=$3
custom_op=$4
graph=$5
fresh_work_folder "$6"

# expect_kind <file> <format>: <file> is there and starts as a file of <format> does.
expect_kind() {
  local file=$1 format=$2
  [ -s "$file" ] || fail "no $file"
  case $format in
    png) [ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ;;
    svg) head -c 400 "$file" | grep -q "<svg" ;;
    pdf) [ "$(head -c 5 "$file")" = "%PDF-" ] && tail -c 64 "$file" | grep -q "%%EOF" ;;
  esac || fail "$file is not a valid $format file: $(head -c 40 "$file" | od -c | head -n 2)"
}

for format in png svg pdf; do
  expect_exit 0 "moons_$format.log" "$moons" --steps 2 --out "moons_$format" --format "$format"
  expect_kind "moons_$format/decision_boundary.$format" "$format"
  expect_kind "moons_$format/loss.$format" "$format"
done
echo "ok: moons draws png, svg and pdf"

expect_exit 0 mnist.log "$mnist" --max-train 32 --max-test 16 --epochs 1 --out mnist \
  --format talk/curves.PDF
for name in misclassified loss accuracy; do expect_kind "mnist/$name.pdf" pdf; done
expect_said mnist.log mnist/accuracy.pdf
echo "ok: mnist draws pdf when given a file name ending in .PDF"

expect_exit 0 breast_cancer.log "$breast_cancer" --epochs 2 --out breast_cancer --format svg
expect_kind breast_cancer/loss.svg svg
echo "ok: breast_cancer draws svg"

if grep -q "picture:" <("$custom_op" --steps 1 --out custom_op --format png 2>&1); then
  expect_kind custom_op/ops.png png
  echo "ok: custom_op draws png"
fi
if [ -n "$graph" ]; then
  expect_exit 0 graph.log "$graph" --out graph --format pdf
  expect_kind graph/readme_forward.pdf pdf
  expect_kind graph/tape_order.pdf pdf
  echo "ok: graph draws pdf"
fi

expect_exit 2 unknown.log "$moons" --steps 1 --out unknown --format gif
expect_said unknown.log "moons: --format: unknown picture format 'gif'; use png, svg or pdf"
[ ! -e unknown ] || fail "an unknown --format still made the --out folder"
echo "PASS"
