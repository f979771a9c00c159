"""Values against PyTorch (float64) on random graphs built from Python.

Each graph is made by one function, build_graph(), run twice: once on micrograd Values and once
on torch tensors (both have + - * / **, relu(), tanh(), exp(), log(), sigmoid(), and take numbers
on either side), so both sides compute exactly the same expression. The value and every leaf's
gradient must agree to 1e-9 relative: two correct float64 engines agree to about 1e-13.

The graphs reuse nodes (x * x, a subexpression feeding several ops), put ints and floats on
either side of every operator, and keep each op where its derivative is well conditioned: log
and division only of positive numbers, pow of a negative base only with an integer exponent,
no relu at its kink.
"""
import random
import unittest

from requirements import require

torch = require("torch", "python3-torch")

from micrograd.engine import Value  # noqa: E402

GRAPHS = 150
OPS_PER_GRAPH = 25
TOLERANCE = 1e-9


def number(x):
    return x.data if isinstance(x, Value) else x.item()


def build_graph(rng, leaves):
    """Applies OPS_PER_GRAPH random ops to `leaves` (micrograd Values or torch tensors) and
    returns the root. rng decides everything, so the same seed builds the same expression."""
    nodes = list(leaves)

    def pick():
        # Recent nodes more often, so the graph grows deep as well as wide.
        return nodes[-1 - min(int(rng.expovariate(0.5)), len(nodes) - 1)]

    def positive(x):  # a positive number with a smooth derivative: x*x + 0.5
        return x * x + 0.5

    for _ in range(OPS_PER_GRAPH):
        a, b = pick(), pick()
        constant = rng.choice([2, -3, 0.5, 1.25])
        op = rng.randrange(16)
        if op == 0:
            out = a + b
        elif op == 1:
            out = a - b
        elif op == 2:
            out = a * b
        elif op == 3:
            out = a / positive(b)
        elif op == 4:
            out = constant + a
        elif op == 5:
            out = constant - a
        elif op == 6:
            out = constant * a
        elif op == 7:
            out = constant / positive(a)
        elif op == 8:
            out = a ** rng.choice([2, 3])
        elif op == 9:
            out = positive(a) ** rng.choice([0.5, -1, -1.5])
        elif op == 10:
            out = (a * 0.5).tanh()
        elif op == 11:
            out = a.tanh().exp()
        elif op == 12:
            out = positive(a).log()
        elif op == 13:
            out = a.sigmoid()
        elif op == 14:
            # relu away from its kink: within 0.25 of 0, a is moved to 0.25 and above first
            out = (a + (0.25 if abs(number(a)) < 0.25 else 0.0)).relu()
        else:
            out = -a
        nodes.append(out)
    # Sum a few nodes so that several paths reach the leaves; scale to keep numbers moderate.
    return sum(nodes[-4:]) * 0.25 + nodes[-1] * nodes[len(leaves)]


class AgainstTorch(unittest.TestCase):
    def test_random_graphs_match_torch_in_value_and_every_leaf_gradient(self):
        worst = 0.0
        for seed in range(GRAPHS):
            points = random.Random(seed).sample([-1.5, -0.75, -0.3, 0.4, 0.9, 1.6, 2.1], 3)
            ours = [Value(x) for x in points]
            root = build_graph(random.Random(seed), ours)
            root.backward()
            theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in points]
            torch_root = build_graph(random.Random(seed), theirs)
            torch_root.backward()
            pairs = [("value", root.data, torch_root.item())]
            pairs += [(f"d/dx{i}", v.grad, t.grad.item() if t.grad is not None else 0.0)
                      for i, (v, t) in enumerate(zip(ours, theirs))]
            for what, got, expected in pairs:
                error = abs(got - expected) / max(1.0, abs(expected))
                worst = max(worst, error)
                self.assertLessEqual(error, TOLERANCE,
                                     f"graph {seed}, {what}: micrograd {got!r}, torch {expected!r}")
        print(f"\n{GRAPHS} graphs of {OPS_PER_GRAPH} ops: largest relative difference {worst:.1e}")


if __name__ == "__main__":
    unittest.main()
