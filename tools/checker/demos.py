"""./check demo NAME: one of the examples, built on the student's engine and run. The demos are
the ones examples/demos.txt lists, the list CMake and the tests read too."""
from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

from checker import running
from checker.building import BuildFailed, explain_build_failure
from checker.output import UserError
from checker.paths import REPO_ROOT, shown
from checker.running import NOT_IMPLEMENTED, SIGNAL_NAMES

if TYPE_CHECKING:
    from checker.commands import Context

DEMO_LIST = REPO_ROOT / "examples" / "demos.txt"


def load_demos() -> dict[str, str]:
    """The demos of examples/demos.txt, in its order: name -> what it does."""
    demos = {}
    for line in DEMO_LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, what = line.partition(" ")
            demos[name] = what.strip()
    return demos


def require_demo(name: str | None) -> None:
    """Refuses a name that is not a demo, listing the demos."""
    demos = load_demos()
    if name not in demos:
        width = max(len(demo) for demo in demos)
        listing = "\n".join(f"  {demo:<{width}}  {what}" for demo, what in demos.items())
        wrong = f"there is no demo '{name}'." if name else "which demo?"
        raise UserError(f"{wrong} ./check demo NAME builds and runs one of:\n{listing}\n"
                        "Arguments after -- go to the demo: ./check demo mnist -- --epochs 1")


def command_demo(context: Context, name: str | None, arguments: list[str]) -> int:
    """Builds one example with the micrograd library made from the student's exercise files and
    runs it from the repository root, passing `arguments` on."""
    style = context.style
    require_demo(name)
    build = context.build
    first = " (the first build takes a few minutes)" if build.is_new else ""
    print(style.dim(f"Building the {name} example on your engine, {shown(context.exercises_dir)}"
                    f"{first}…"), flush=True)
    try:
        build.configure()
        build.build([name])  # each demo's target has its name
    except BuildFailed as error:
        print(explain_build_failure(error, context.exercises_dir, style)[1])
        return 1
    program = build.build_dir / "examples" / name / name
    if not program.exists():
        raise UserError(f"{shown(program)} was not built (a multi-config CMake generator puts "
                        "programs elsewhere; use the default generator for build/demos)")
    print(style.dim(f"Running {shown(program)} {' '.join(arguments)}".rstrip()), flush=True)
    # stderr passes through as it comes, and is kept to recognise a stub that was reached.
    process = running.spawn([str(program), *arguments], cwd=REPO_ROOT, stderr=subprocess.PIPE,
                            text=True, errors="replace")
    assert process.stderr is not None
    errors = []
    try:
        for line in process.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            errors.append(line)
            del errors[:-200]  # only the end is needed: the message of a stub that was reached
        process.wait()
    finally:
        running.end(process)
    if process.returncode == 0:
        return 0
    stub = NOT_IMPLEMENTED.search("".join(errors))
    if stub:
        print("\n" + style.yellow(f"The {name} example needs exercise {stub.group(1)} "
                                  f"\"{stub.group(2)}\", which is not written yet.") +
              " ./check shows what to write next.")
    elif process.returncode < 0:
        how = SIGNAL_NAMES.get(-process.returncode, f"signal {-process.returncode}")
        print("\n" + style.red(f"The {name} example stopped with {how}.") +
              " ./check runs the tests that find where.")
    else:
        print("\n" + style.red(f"The {name} example exited with status {process.returncode}."))
    return 1
