#!/usr/bin/env bash
# The quickstart: install what is needed, build in release mode, and run the first demos.
# Safe to run again (it only installs what is missing and rebuilds what changed).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake --preset release > /dev/null
cmake --build --preset release -j"$(nproc)"

echo
echo "== examples/readme: micrograd's README expression, checked with gradcheck =="
build/release/examples/readme/readme
