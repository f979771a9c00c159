#!/usr/bin/env bash
# Fails, listing the files, when a C++ file of the project is not formatted with .clang-format.
# Fix with: clang-format -i <file>
set -euo pipefail
cd "$1"
# exercises/ is generated from solutions/ (and checked against it by exercises_up_to_date).
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' \
                       | grep -v '^exercises/' | sort -u)
# Files deleted in the working tree but not yet in git's index are gone: nothing to check.
existing=()
for file in "${files[@]}"; do [[ -f "$file" ]] && existing+=("$file"); done
files=("${existing[@]}")
[ "${#files[@]}" -gt 0 ] || { echo "no C++ files found under $1"; exit 1; }
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files formatted"
