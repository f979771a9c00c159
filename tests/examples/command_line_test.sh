#!/usr/bin/env bash
# The demos' command lines (CLI11, examples/common/command_line.hpp), one convention for all:
#   1. --version prints the library's version, --help the generated help, both on stdout, exit 0,
#      and neither runs the demo (readme --help once ran it);
#   2. --flag=value works as --flag value does;
#   3. every mistake is one line on stderr in one style ("moons: --lr: must be a positive number,
#      got '-1'; run with --help") with exit status 2: a stray word, a negative --lr (once a usage
#      error in mnist but a runtime error in moons), --seed -1 (once 18446744073709551615),
#      an option without its value, an unknown option.
#
#   command_line_test.sh <mnist> <moons> <readme> <graph or ""> <version> <work folder> <speed>
source "$(dirname "$0")/common.sh"
mnist=$1 moons=$2 readme=$3 graph=$4 version=$5 speed=$7
fresh_work_folder "$6"
programs=("$mnist" "$moons" "$readme" "$speed")
[ -n "$graph" ] && programs+=("$graph")

echo "== 1. --version and --help"
for program in "${programs[@]}"; do
  name=$(basename "$program")
  "$program" --version > version.log 2> version.err || fail "$name --version: exit status $?"
  [ "$(cat version.log)" = "$name (micrograd.cpp $version)" ] \
    || fail "$name --version printed '$(cat version.log)'"
  [ ! -s version.err ] || fail "$name --version wrote to stderr"
  "$program" --help > help.log 2> help.err || fail "$name --help: exit status $?"
  expect_said help.log "Usage: $name" "--version" "--help"
  [ ! -s help.err ] || fail "$name --help wrote to stderr"
  if grep -qE "^(g = |step +[0-9]|epoch +[0-9]|micrograd's README expression:$|micrograd's demo step)" help.log; then
    fail "$name --help ran the demo"
  fi
  echo "ok: $name: $(cat version.log); --help: $(wc -l < help.log) lines"
done
expect_said help.log "--out"  # the last one's own option is in its help

echo "== 2. --flag=value"
expect_exit 0 equals.log "$moons" --steps=3 --hidden=4 --out=out_equals
expect_said equals.log "step   2 loss"
if grep -q "step   3 loss" equals.log; then fail "--steps=3 ran more than 3 steps"; fi
[ -f out_equals/loss.png ] || fail "--out=out_equals was not used"
echo "ok: moons --steps=3 --hidden=4 --out=out_equals"

echo "== 3. mistakes: one line, one style, exit 2"
# expect_usage_error <text expected> <command...>
expect_usage_error() {
  local expected=$1
  shift
  "$@" > mistake.out 2> mistake.err
  local status=$?
  local name
  name=$(basename "$1")
  [ "$status" = 2 ] || { cat mistake.out mistake.err; fail "$name ${*:2}: exit status $status, expected 2"; }
  [ "$(wc -l < mistake.err)" = 1 ] || { cat mistake.err; fail "$name ${*:2}: not one line"; }
  [ ! -s mistake.out ] || { cat mistake.out; fail "$name ${*:2}: wrote to stdout"; }
  expect_said mistake.err "$name: " "$expected" "; run with --help"
  echo "ok: $(cat mistake.err)"
}
for program in "$mnist" "$moons"; do
  expect_usage_error "extra" "$program" extra
  expect_usage_error "--lr: must be a positive number, got '-1'" "$program" --lr -1
  expect_usage_error "--lr: must be a positive number, got '-1'" "$program" --lr=-1
  expect_usage_error "--seed: must be a whole number >= 0, got '-1'" "$program" --seed -1
  expect_usage_error "--seed: must be a whole number >= 0, got '1.5'" "$program" --seed=1.5
  expect_usage_error "--out" "$program" --out
  expect_usage_error "--nope" "$program" --nope 1
done
expect_usage_error "--steps: must be a whole number from 1 to 1000000000, got '0'" "$moons" --steps 0
expect_usage_error "--loss" "$moons" --loss hinge2
expect_usage_error "--ops: fused2 not in {fused,op-by-op}" "$moons" --ops fused2
expect_usage_error "--ops: fused2 not in {fused,op-by-op}" "$mnist" --ops fused2
expect_usage_error "--steps: must be a whole number from 1 to 100, got '0'" "$speed" --steps 0
expect_usage_error "--model" "$mnist" --model perceptron
expect_usage_error "contradict each other" "$mnist" --resume --overwrite
expect_usage_error "extra" "$readme" extra
echo "PASS"
