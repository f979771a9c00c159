#!/usr/bin/env python3
"""micrograd's demo training step in Python: this repository's package against micrograd itself.

    /usr/bin/python3 bench/python_demo_step.py [--build-python build/release/python]

One step is the code of micrograd's demo.ipynb: loss() over the 100 moons points (MLP(2, [16, 16,
1]) forward for each, SVM max-margin loss + 1e-4 L2), model.zero_grad(), backward(), and the SGD
update of the 337 parameters. Both packages run the very same Python code, from the same data and
weights (random.seed(1337)), each in a process of its own (both are called `micrograd`):

  micrograd      karpathy/micrograd, vendored in tests/python/micrograd_reference/
  micrograd.cpp  this repository's package from the build tree (every op in C++)

It prints the median time per step and per phase (forward = loss(), backward, update, free =
dropping the step's graph), the fastest step, the ratios, and whether both computed the same
losses (it fails if they did not). Figures, not a timed test; micrograd also runs with Python's
garbage collector off, since collecting its cyclic graphs is most of its time.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_PACKAGE = ROOT / "tests" / "python" / "micrograd_reference"
DATA = ROOT / "tests" / "reference" / "micrograd_demo_moons.txt"


def worker(steps, points, collector):
    """Runs in the child process: the demo's step `steps` times with whichever micrograd is on
    the path, and prints one JSON line of timings."""
    import gc
    import random

    if not collector:
        gc.disable()

    import micrograd
    from micrograd.engine import Value
    from micrograd.nn import MLP

    rows = [line.split() for line in DATA.read_text().splitlines()][:points]
    X = [[float(a), float(b)] for a, b, _ in rows]
    y = [int(label) for _, _, label in rows]
    random.seed(1337)
    model = MLP(2, [16, 16, 1])

    def loss():  # demo.ipynb's, full batch
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p*p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    phases = {"forward": [], "backward": [], "update": [], "free": [], "step": []}
    losses = []
    for k in range(steps):
        t0 = time.perf_counter()
        total_loss, acc = loss()
        t1 = time.perf_counter()
        model.zero_grad()
        total_loss.backward()
        t2 = time.perf_counter()
        learning_rate = 1.0 - 0.9*k/100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        t3 = time.perf_counter()
        losses.append(total_loss.data)
        del total_loss  # frees the graph (micrograd's, with its cycles, waits for the collector)
        t4 = time.perf_counter()
        for phase, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)):
            phases[phase].append(seconds)
    print(json.dumps({"package": os.path.dirname(micrograd.__file__),
                      "fastest_ms": 1000 * min(phases["step"]),
                      "median_ms": {p: 1000 * statistics.median(t) for p, t in phases.items()},
                      "losses": losses}))


def run(python_path, steps, points, collector=True):
    environment = dict(os.environ, PYTHONPATH=str(python_path), PYTHONDONTWRITEBYTECODE="1")
    output = subprocess.run([sys.executable, __file__, "--worker", str(steps), str(points),
                             str(int(collector))],
                            env=environment, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-python", type=Path, default=ROOT / "build" / "release" / "python",
                        help="the build tree's python/ folder (default: build/release/python)")
    parser.add_argument("--steps", type=int, default=20, help="steps on micrograd.cpp")
    parser.add_argument("--reference-steps", type=int, default=3,
                        help="steps on micrograd (about 1.5 s each)")
    parser.add_argument("--points", type=int, default=100, help="moons points per step")
    parser.add_argument("--worker", nargs=3, type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return worker(*options.worker)
    if not (options.build_python / "micrograd").is_dir():
        sys.exit(f"no micrograd package in {options.build_python}: build the micrograd_python "
                 "target first (see the README's Python section), or pass --build-python")

    print(f"micrograd's demo step: MLP(2, [16, 16, 1]) on {options.points} points, SVM loss + L2, "
          f"SGD; {options.reference_steps} steps of micrograd, {options.steps} of micrograd.cpp. "
          "Milliseconds, the median per phase and the fastest step:")
    runs = [("micrograd", run(REFERENCE_PACKAGE, options.reference_steps, options.points)),
            ("  gc disabled", run(REFERENCE_PACKAGE, options.reference_steps, options.points,
                                  collector=False)),
            ("micrograd.cpp", run(options.build_python, options.steps, options.points))]
    columns = ("step", "forward", "backward", "update", "free")
    print(f"{'':<16}" + "".join(f"{column:>10}" for column in columns) + f"{'fastest':>10}")
    for name, result in runs:
        times = result["median_ms"]
        print(f"{name:<16}" + "".join(f"{times[column]:>10.2f}" for column in columns) +
              f"{result['fastest_ms']:>10.2f}")
    ours = runs[2][1]["median_ms"]["step"]
    print(f"micrograd.cpp's step is {runs[0][1]['median_ms']['step'] / ours:.0f}x faster than "
          f"micrograd's ({runs[1][1]['median_ms']['step'] / ours:.0f}x with micrograd's garbage "
          "collector off: its graphs are reference cycles, which the collector walks again and "
          "again)")
    losses = [result["losses"] for _, result in runs]
    shared = min(map(len, losses))
    difference = max(abs(a - b) / abs(a) for a, b in zip(losses[0][:shared], losses[2][:shared]))
    print(f"the losses of the first {shared} steps agree to {difference:.1e} (relative)")
    if difference > 1e-9:
        sys.exit("the two packages computed different losses")


if __name__ == "__main__":
    main()
