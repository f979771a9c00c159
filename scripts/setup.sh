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

echo
echo "== examples/moons: micrograd's demo, MLP(2, [16, 16, 1]) on the notebook's moons =="
build/release/examples/moons/moons --out out/moons | sed -n '1,3p;/^step  99/,$p'

echo
echo "== examples/graph: the graph of an expression and of a neuron, before and after backward() =="
build/release/examples/graph/graph --out out/graph

echo
echo "Pictures: out/moons/ (decision boundary, loss curve) and out/graph/ (open the .svg files,"
echo "or out/graph/neuron_watch_backward/backward.html to step through backward)."
echo "MNIST: build/release/examples/mnist/mnist (fetches the digits the first time)."
echo "Tests: scripts/test.sh"
