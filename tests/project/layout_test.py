#!/usr/bin/env python3
"""Layout rules that keep the tree easy to pick up, checked so later work keeps them.

  lines     no source file over 500 lines outside tests/ and exercises/ (split a long file along
            its seam, one idea per file), and README.md at most 300 lines (the detail lives in
            docs/ and CONTRIBUTING).
  includes  examples/ include micrograd as its users do: <micrograd/...> naming a public header of
            a folder the install rules ship (the folders given, MICROGRAD_HEADER_FOLDERS of
            cmake/headers.cmake, which cmake/install.cmake installs; never a detail/ header), and
            the examples' own files by a path relative to the including file
            ("../common/command_line.hpp"), never from the repository's root.

  layout_test.py lines <source dir>
  layout_test.py includes <source dir> <installed header folder>...
"""
import re
import subprocess
import sys
from pathlib import Path

SOURCE_LIMIT = 500
README_LIMIT = 300
# What counts as source: code and build scripts. Documents, pictures and data are not.
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".py", ".sh", ".cmake", ".in"}
EXEMPT_FOLDERS = ("tests/", "exercises/")  # test tables and the generated student files
# The headers the build generates, installed beside the folders.
GENERATED_HEADERS = {"micrograd.hpp", "version.hpp"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)


def tracked_files(root):
    """The files git tracks or would track (new files not ignored), that exist now."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True, text=True).stdout
    return sorted({name for name in listing.splitlines() if (root / name).is_file()})


def line_count(path):
    with open(path, "rb") as stream:
        return sum(1 for _ in stream)


def check_lines(root):
    problems = []
    for name in tracked_files(root):
        path = Path(name)
        is_source = path.suffix in SOURCE_SUFFIXES or path.name == "CMakeLists.txt"
        if not is_source or name.startswith(EXEMPT_FOLDERS):
            continue
        count = line_count(root / name)
        if count > SOURCE_LIMIT:
            problems.append(f"{name}: {count} lines, more than {SOURCE_LIMIT}: split it along "
                            "its seam (one idea per file)")
    readme_lines = line_count(root / "README.md")
    if readme_lines > README_LIMIT:
        problems.append(f"README.md: {readme_lines} lines, more than {README_LIMIT}: move the "
                        "detail to docs/ or docs/CONTRIBUTING.md and link it")
    return problems


def check_includes(root, installed_folders):
    problems = []
    examples = root / "examples"
    for name in tracked_files(root):
        if not name.startswith("examples/") or Path(name).suffix not in {".cpp", ".hpp"}:
            continue
        text = (root / name).read_text(encoding="utf-8")
        for match in INCLUDE.finditer(text):
            bracket, header = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            where = f"{name}:{line}: {match.group(0).strip()}"
            if bracket == '"':
                target = ((root / name).parent / header).resolve()
                if not target.is_file() or not target.is_relative_to(examples.resolve()):
                    problems.append(f"{where}: a quoted include names a file of the examples, by "
                                    "its path from this file; spell micrograd's headers "
                                    "<micrograd/...>")
            elif header.startswith("micrograd/"):
                inside = header[len("micrograd/"):]
                part = inside.split("/", 1)[0]
                public = (inside in GENERATED_HEADERS or
                          (part in installed_folders and (root / inside).is_file()
                           and "/detail/" not in f"/{inside}"))
                if not public:
                    problems.append(f"{where}: not a public micrograd header (installed: "
                                    f"{', '.join(installed_folders)} and their headers outside "
                                    "detail/); use what the public headers offer")
    return problems


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else None
    if not ((command == "lines" and len(sys.argv) == 3) or
            (command == "includes" and len(sys.argv) > 3)):
        sys.exit(__doc__)
    root = Path(sys.argv[2]).resolve()
    problems = (check_lines(root) if command == "lines" else
                check_includes(root, sys.argv[3:]))
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(f"FAIL: {len(problems)} problem(s)")
    print(f"ok: {command}")


if __name__ == "__main__":
    main()
