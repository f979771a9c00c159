#!/bin/sh
# ./check demo builds an example with the micrograd library made from the student's files: on the
# stubs the example stops at the first exercise it needs and the checker names it; once the files
# are finished the same build runs the example to the end.
#
#   demo_test.sh <python3> <repository> <work folder> <C++ compiler>
set -eu
python="$1"
repository="$2"
work="$3"
compiler="$4"

fail() {
  printf 'FAIL: %s\n%s\n' "$1" "$output" >&2
  exit 1
}

demo() {
  status=0
  output=$("$python" "$repository/tools/check.py" demo readme --build-dir "$work/build" \
             --exercises-dir "$work/exercises" "--cmake-arg=-DCMAKE_CXX_COMPILER=$compiler" \
             --no-color 2>&1) || status=$?
}

rm -rf "$work/exercises"
mkdir -p "$work"
cp -R "$repository/exercises" "$work/exercises"

demo
[ "$status" -eq 1 ] || fail "on the stubs, ./check demo readme exited with $status, expected 1"
printf '%s\n' "$output" | grep -q 'readme: exercise 1.1 "add" is not implemented yet' ||
  fail "the example did not stop at the student's stub of exercise 1.1"
printf '%s\n' "$output" | grep -q 'needs exercise 1.1 "add", which is not written yet' ||
  fail "the checker did not name the exercise the example needs"
echo "ok   on the stubs the example stops at exercise 1.1, and the checker says so"

rm -rf "$work/prefix"
status=0
output=$(cmake --install "$work/build" --prefix "$work/prefix" 2>&1) || status=$?
[ "$status" -ne 0 ] || fail "a library made from the student's files was installed"
[ ! -e "$work/prefix" ] || fail "the refused install still copied files into $work/prefix"
echo "ok   a build made from the student's files refuses to install, and copies nothing"

# Every exercise written: the reference solutions in the student's place.
cp -R "$repository/solutions/." "$work/exercises/"
demo
[ "$status" -eq 0 ] || fail "on finished exercises, ./check demo readme exited with $status"
printf '%s\n' "$output" | grep -q 'dg/da = 138.8338' || fail "the example printed wrong gradients"
printf '%s\n' "$output" | grep -q 'backward() agrees with finite differences.' ||
  fail "gradcheck did not agree"
echo "ok   on finished exercises the example runs to the end with micrograd's numbers"

# Every demo the checker offers must be a target it can build (graph needs Graphviz, as viz does).
for name in graph moons mnist; do
  status=0
  output=$("$python" "$repository/tools/check.py" demo "$name" --build-dir "$work/build" \
             --exercises-dir "$work/exercises" --no-color -- --help 2>&1) || status=$?
  printf '%s\n' "$output" | grep -q "Running .*examples/$name/$name" ||
    fail "./check demo $name did not build and start examples/$name"
done
echo "ok   ./check demo builds and starts graph, moons and mnist"
