#!/bin/sh
# ./check demo builds an example with the micrograd library made from the student's files: on the
# stubs the example stops at the first exercise it needs and the checker names it; once the files
# are finished the same build runs the example to the end.
#
#   demo_test.sh <python3> <repository> <work folder> [<CMake argument>...]
set -eu
python="$1"
repository="$2"
work="$3"
shift 3
cmake_args=""  # the checker's --cmake-arg options, one a line
for argument in "$@"; do
  cmake_args="$cmake_args--cmake-arg=$argument
"
done

fail() {
  printf 'FAIL: %s\n%s\n' "$1" "$output" >&2
  exit 1
}

# demo NAME [ARGUMENTS...]: ./check demo NAME -- ARGUMENTS on the student's files.
demo() {
  name="$1"
  shift
  status=0
  # The CMake arguments are split at newlines only: an argument may hold spaces.
  old_ifs=$IFS
  IFS='
'
  # shellcheck disable=SC2086
  output=$("$python" "$repository/tools/check.py" demo "$name" --build-dir "$work/build" \
             --exercises-dir "$work/exercises" $cmake_args --no-color -- "$@" 2>&1) || status=$?
  IFS=$old_ifs
}

rm -rf "$work/exercises"
mkdir -p "$work"
cp -R "$repository/exercises" "$work/exercises"

demo readme
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
demo readme
[ "$status" -eq 0 ] || fail "on finished exercises, ./check demo readme exited with $status"
printf '%s\n' "$output" | grep -q 'dg/da = 138.8338' || fail "the example printed wrong gradients"
printf '%s\n' "$output" | grep -q 'backward() agrees with finite differences.' ||
  fail "gradcheck did not agree"
echo "ok   on finished exercises the example runs to the end with micrograd's numbers"

# The speed demo on an engine whose chapter 9 is not written: it times the op-for-op step, then
# says which exercise the fused one needs; once chapter 9 is written it times both.
cp "$repository/exercises/engine/many_inputs.cpp" "$work/exercises/engine/many_inputs.cpp"
demo speed --steps 2
[ "$status" -eq 1 ] || fail "without chapter 9, ./check demo speed exited with $status, expected 1"
printf '%s\n' "$output" | grep -q 'op for op .* ms per step' ||
  fail "without chapter 9, the speed demo did not time the op-for-op step"
printf '%s\n' "$output" | grep -q 'needs exercise 9\.[12] ".*", which is not written yet' ||
  fail "without chapter 9, the checker did not name the exercise the fused step needs"
cp "$repository/solutions/engine/many_inputs.cpp" "$work/exercises/engine/many_inputs.cpp"
demo speed --steps 2
[ "$status" -eq 0 ] || fail "with chapter 9 written, ./check demo speed exited with $status"
printf '%s\n' "$output" | grep -q 'fused is .*x faster' || fail "the speed demo gave no speed-up"
printf '%s\n' "$output" | grep -q 'the same losses to the last bit' ||
  fail "the speed demo did not find the same losses fused and op for op"
printf '%s\n' "$output" | grep -q 'the tape is .*x faster' || fail "the speed demo gave no tape speed-up"
echo "ok   ./check demo speed names chapter 9 until it is written, then times both forms"

# The same for chapter 11: without the sweep it times the sorted forms, then names the exercise
# the tape needs; the training demos fall back to the sort and say why.
cp "$repository/exercises/engine/sweep.cpp" "$work/exercises/engine/sweep.cpp"
demo speed --steps 2
[ "$status" -eq 1 ] || fail "without chapter 11, ./check demo speed exited with $status, expected 1"
printf '%s\n' "$output" | grep -q 'fused .* ms per step' ||
  fail "without chapter 11, the speed demo did not time the fused step"
printf '%s\n' "$output" | grep -q 'needs exercise 11\.[12] ".*", which is not written yet' ||
  fail "without chapter 11, the checker did not name the exercise the tape needs"
demo moons --steps 2
[ "$status" -eq 0 ] || fail "without chapter 11, ./check demo moons exited with $status"
printf '%s\n' "$output" | grep -q 'backward: sort (the tape needs chapter 11' ||
  fail "without chapter 11, the moons demo did not say it sorts instead"
cp "$repository/solutions/engine/sweep.cpp" "$work/exercises/engine/sweep.cpp"
echo "ok   without chapter 11 the speed demo names it and moons trains with the sort"

# Every demo of examples/demos.txt (the list the checker offers) must be a target it can build
# (graph needs Graphviz, as viz does).
names=$(grep '^[a-z]' "$repository/examples/demos.txt" | cut -d' ' -f1)
for name in $names; do
  demo "$name" --help
  printf '%s\n' "$output" | grep -q "Running .*examples/$name/$name" ||
    fail "./check demo $name did not build and start examples/$name"
done
echo "ok   ./check demo builds and starts every demo:" $names
