#!/usr/bin/env bash
# Opens the "watch backward" page in headless Chromium and checks that it loads and that the
# slider, the arrow keys and the buttons change the frame. chromium_check.html does the clicking
# (it loads the page, unchanged, in an iframe) and writes its verdict into the DOM, which
# Chromium's --dump-dom prints. Exit code 77 (skipped) when Chromium is not installed.
#
#   chromium_test.sh <viz_write_animation> <chromium_check.html>
set -euo pipefail
writer=$1 check_page=$2
browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" > /dev/null; then browser=$(command -v "$candidate"); break; fi
done
if [ -z "$browser" ]; then
  echo "SKIPPED: Chromium is not installed (sudo apt-get install chromium) so the page cannot be tested"
  exit 77
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$writer" "$scratch/page" > /dev/null
cp "$check_page" "$scratch/page/check.html"

# A fresh profile and no network, sync or updates: the run depends on nothing but these files.
# file:// pages may read each other only with --allow-file-access-from-files.
timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$scratch/profile" --allow-file-access-from-files \
  --virtual-time-budget=5000 --dump-dom "file://$scratch/page/check.html" \
  > "$scratch/dom.html" 2> "$scratch/chromium.log" || {
    echo "Chromium failed:"; cat "$scratch/chromium.log"; exit 1; }

result=$(sed -n '/<pre id="result">/,/<\/pre>/p' "$scratch/dom.html")
echo "$result" | sed -e 's/<[^>]*>//g'
if ! grep -q "ALL CHECKS PASSED" <<< "$result"; then
  echo "The watch-backward page failed in Chromium ($browser)."
  exit 1
fi
