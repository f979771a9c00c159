#!/usr/bin/env python3
"""micrograd's demo training step in PyTorch, batched: the baseline engine_bench compares with.

    /usr/bin/python3 bench/torch_demo_step.py [--steps 2000] [--json]

The same step as engine_bench's BM_DemoStep_*: MLP(2, [16, 16, 1]) with ReLU, micrograd's initial
weights (tests/reference/micrograd_demo_init_weights.txt), its 100 moons points
(tests/reference/micrograd_demo_moons.txt), the SVM max-margin loss mean(relu(1 - y * score)) plus
1e-4 times the sum of the squared parameters, zero_grad() and backward(). The weights stay at
micrograd's (no update), as in the C++ benchmark, so every step computes the same numbers.

PyTorch runs it as a framework would: the 100 points as one [100, 2] matrix, each layer one matrix
multiply (the whole batch in a handful of kernels), float64 like the engine, on ONE thread
(torch.set_num_threads(1)), so the comparison is one core against one core.

It prints the median and fastest time per step and the loss (engine_bench checks that it is its
own loss, so the two time the same computation); --json prints one JSON line instead, for
engine_bench to read. Figures, not a test. Needs Debian's python3-torch.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference"
HIDDEN = 16
ALPHA = 1e-4


def load():
    """The points [100, 2], the labels [100] (-1 or +1) and the 337 initial parameters."""
    rows = [line.split() for line in (REFERENCE / "micrograd_demo_moons.txt").read_text().splitlines()
            if line.strip()]
    points = [[float(row[0]), float(row[1])] for row in rows]
    labels = [float(row[2]) for row in rows]
    weights = [float(word) for word in (REFERENCE / "micrograd_demo_init_weights.txt").read_text().split()]
    return points, labels, weights


def layers_from(weights, torch):
    """micrograd's parameter order (layer by layer, neuron by neuron, weights then bias) as
    (weight [out, in], bias [out]) leaf tensors."""
    result, offset = [], 0
    for fan_in, fan_out in ((2, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, 1)):
        rows = []
        for _ in range(fan_out):
            rows.append(weights[offset:offset + fan_in + 1])
            offset += fan_in + 1
        table = torch.tensor(rows, dtype=torch.float64)
        weight = table[:, :fan_in].clone().requires_grad_(True)
        bias = table[:, fan_in].clone().requires_grad_(True)
        result.append((weight, bias))
    if offset != len(weights):
        sys.exit(f"torch_demo_step: expected {offset} parameters, the file has {len(weights)}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=2000, help="timed steps (default 2000)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    options = parser.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("torch_demo_step: PyTorch is missing: sudo apt-get install python3-torch "
                 "(and run this with /usr/bin/python3)")
    torch.set_num_threads(1)
    points, labels, weights = load()
    x = torch.tensor(points, dtype=torch.float64)
    y = torch.tensor(labels, dtype=torch.float64)
    layers = layers_from(weights, torch)
    parameters = [tensor for layer in layers for tensor in layer]

    def step():
        for parameter in parameters:
            parameter.grad = None  # zero_grad(set_to_none=True), PyTorch's default
        hidden = x
        for index, (weight, bias) in enumerate(layers):
            hidden = torch.addmm(bias, hidden, weight.t())
            if index + 1 < len(layers):
                hidden = torch.relu(hidden)
        score = hidden.squeeze(1)
        data_loss = torch.relu(1 - y * score).mean()
        reg_loss = ALPHA * sum((p * p).sum() for p in parameters)
        loss = data_loss + reg_loss
        loss.backward()
        return loss.item()

    loss = step()
    for _ in range(min(200, options.steps)):  # warm-up: allocator caches, first-call dispatch
        step()
    times = []
    for _ in range(options.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    result = {"median_ms": statistics.median(times) * 1e3, "fastest_ms": min(times) * 1e3,
              "loss": loss, "steps": options.steps, "torch": torch.__version__}
    if options.json:
        print(json.dumps(result))
    else:
        print(f"PyTorch {torch.__version__}, float64, 1 thread, batched: "
              f"{result['median_ms']:.3f} ms per step (median of {options.steps}; fastest "
              f"{result['fastest_ms']:.3f} ms), loss {loss!r}")


if __name__ == "__main__":
    main()
