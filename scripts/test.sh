#!/usr/bin/env bash
# The whole test suite, as CI runs it: the release build's tests (warnings are errors), the
# sanitizer build's tests (ASan + UBSan + LeakSanitizer), a ThreadSanitizer run of the code that
# threads share (the node pool, nn::DataParallel), and a valgrind leak check.
# Installs what it needs first, so it works on a fresh Debian 12 machine. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

step() { printf '\n== %s ==\n' "$*"; }

step "dependencies"
scripts/install_deps.sh --test

step "release build and tests"
cmake --preset release > /dev/null
cmake --build --preset release -j"$jobs"
ctest --preset release

step "sanitizer build (ASan + UBSan + leak check) and tests"
cmake --preset sanitize > /dev/null
cmake --build --preset sanitize -j"$jobs"
ctest --preset sanitize

step "ThreadSanitizer build and tests (the node pool and the data-parallel trainer)"
cmake --preset tsan > /dev/null
cmake --build --preset tsan -j"$jobs"
ctest --preset tsan

step "valgrind leak check of every test program"
scripts/valgrind_tests.sh build/release

echo
echo "All tests passed."
