#!/usr/bin/env bash
# The exercise generator must refuse malformed regions with file and line, and accept a good one.
set -uo pipefail
generator=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0

expect_error() {  # name, expected text in the message, file content
  local name=$1 expected=$2 content=$3
  rm -rf "$scratch/solutions" "$scratch/exercises"
  mkdir -p "$scratch/solutions"
  printf '%s\n' "$content" > "$scratch/solutions/case.cpp"
  local output
  if output=$("$generator" --solutions "$scratch/solutions" --exercises "$scratch/exercises" 2>&1); then
    echo "FAIL $name: the generator accepted it"; failures=$((failures + 1)); return
  fi
  if [[ "$output" != *"$expected"* ]]; then
    echo "FAIL $name: expected '$expected' in: $output"; failures=$((failures + 1)); return
  fi
  echo "ok   $name: $output"
}

expect_error nested "solutions/case.cpp:4: error: nested BEGIN SOLUTION" \
'// EXERCISE 1.1 "a"
// BEGIN SOLUTION
int a = 1;
// BEGIN SOLUTION
// END SOLUTION'
expect_error unclosed "solutions/case.cpp:2: error: BEGIN SOLUTION is never closed" \
'// EXERCISE 1.1 "a"
// BEGIN SOLUTION
int a = 1;'
expect_error duplicate "solutions/case.cpp:5: error: duplicate exercise id 1.1 (first at solutions/case.cpp:1)" \
'// EXERCISE 1.1 "a"
// BEGIN SOLUTION
// END SOLUTION
int b = 2;
// EXERCISE 1.1 "b"
// BEGIN SOLUTION
// END SOLUTION'
expect_error orphan_end "solutions/case.cpp:1: error: END SOLUTION without a BEGIN SOLUTION" \
'// END SOLUTION'
expect_error no_begin "solutions/case.cpp:1: error: EXERCISE 1.1 has no BEGIN SOLUTION after it" \
'// EXERCISE 1.1 "a"'
expect_error bad_id "solutions/case.cpp:1: error: exercise id must look like 2.3" \
'// EXERCISE one "a"
// BEGIN SOLUTION
// END SOLUTION'
expect_error todo_left "solutions/case.cpp:3: error: a solution file must not contain a stub or a TODO" \
'// EXERCISE 1.1 "a"
// BEGIN SOLUTION
// TODO finish
// END SOLUTION'

# A good region becomes a stub that names the exercise, and keeps EXERCISE and HINT lines.
rm -rf "$scratch/solutions" "$scratch/exercises"
mkdir -p "$scratch/solutions"
printf '%s\n' 'int f() {' '  // EXERCISE 3.2 "the title": do it' '  // HINT: like so' \
  '  // BEGIN SOLUTION' '  return 42;' '  // END SOLUTION' '}' > "$scratch/solutions/good.cpp"
if "$generator" --solutions "$scratch/solutions" --exercises "$scratch/exercises"; then
  generated=$(cat "$scratch/exercises/good.cpp")
  for expected in '// EXERCISE 3.2 "the title": do it' '// HINT: like so' \
                  'throw NotImplemented("3.2", "the title", __FILE__, __LINE__);' '// END EXERCISE 3.2'; do
    [[ "$generated" == *"$expected"* ]] || { echo "FAIL good: missing '$expected'"; failures=$((failures + 1)); }
  done
  [[ "$generated" != *"return 42"* ]] || { echo "FAIL good: the solution leaked"; failures=$((failures + 1)); }
  "$generator" --check --solutions "$scratch/solutions" --exercises "$scratch/exercises" \
    || { echo "FAIL good: --check disagrees right after generating"; failures=$((failures + 1)); }
  echo '// edited' >> "$scratch/exercises/good.cpp"
  if "$generator" --check --solutions "$scratch/solutions" --exercises "$scratch/exercises" 2>/dev/null; then
    echo "FAIL good: --check missed an edited exercise file"; failures=$((failures + 1))
  fi
else
  echo "FAIL good: the generator rejected a valid region"; failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "all generator checks passed"
exit "$failures"
