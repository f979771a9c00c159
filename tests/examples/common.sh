# shellcheck shell=bash
# What the demos' test scripts share. Each script sources it first:
#   source "$(dirname "$0")/common.sh"
set -uo pipefail

# fail <message>: the test fails, saying why.
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# fresh_work_folder <folder>: <folder>, emptied, becomes the current folder.
fresh_work_folder() {
  rm -rf "$1"
  mkdir -p "$1"
  cd "$1" || fail "cannot enter $1"
}

# expect_exit <status> <log> <command...>: runs <command>, its stdout and stderr into <log>, and
# fails (showing the log) unless it exits with <status>.
expect_exit() {
  local expected=$1 log=$2
  shift 2
  "$@" > "$log" 2>&1
  local status=$?
  [ "$status" = "$expected" ] \
    || { cat "$log"; fail "$(basename "$1") ${*:2}: exit status $status, expected $expected"; }
}

# expect_said <log> <text...>: fails (showing the log) unless <log> holds every <text>, as is.
expect_said() {
  local log=$1 text
  shift
  for text in "$@"; do
    grep -qF -- "$text" "$log" || { cat "$log"; fail "no '$text' in $log"; }
  done
}

# interrupt_when <pattern> <log> <command...>: starts <command> in the background, its stdout and
# stderr into <log>; once <log> holds a line matching <pattern> (or the command has ended; at most
# 120 s), presses Ctrl-C (SIGINT) and waits. Fails (showing the log) unless it then exits with 130.
interrupt_when() {
  local pattern=$1 log=$2
  shift 2
  "$@" > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1200); do
    grep -q -- "$pattern" "$log" && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  kill -INT "$pid" 2> /dev/null
  wait "$pid"
  local status=$?
  [ "$status" = 130 ] || { cat "$log"; fail "after Ctrl-C: exit status $status, expected 130"; }
}

# model_of <folder>: the model file of the MNIST demo's checkpoint in <folder>, as its
# training_state.json names it ("model-2-epochs.json").
model_of() {
  local name
  name=$(sed -n 's/^ "model_file": "\(.*\)",$/\1/p' "$1/training_state.json")
  [ -n "$name" ] || fail "$1/training_state.json names no model file"
  echo "$1/$name"
}
