#!/usr/bin/python3
"""Tests of tests/reference/make_engine_reference.py's conditioning check.

The generator keeps only graphs on which two correct float64 engines agree to far better than the
1e-9 that value_torch_test.cpp asks of Value against PyTorch. A graph it wrongly keeps makes that
test fail on a correct engine: it once kept a graph where a leaf's gradient was a small term added
to +A and -A, large contributions that cancel (from abs(u) - u). PyTorch added the two large ones
first and kept the small term exactly; Value added the small term first and lost its last digits
below A's last bit (relative error 1.7e-6, seed 1796667526334485, graph 180).
"""

import math
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import make_engine_reference as generator  # noqa: E402


def node(i):
    return ("node", i)


def const(x):
    return ("const", x)


def conditioning_verdict(graph):
    """None when the generator keeps the graph, else why it throws it away."""
    value, grads = generator.evaluate(graph)
    try:
        generator.check_magnitudes(value, grads)
        generator.check_conditioning(graph, value, grads, random.Random(1))
    except generator.Rejected as reason:
        return str(reason)
    return None


class ConditioningCheck(unittest.TestCase):
    def test_a_gradient_left_over_from_contributions_that_cancel_is_thrown_away(self):
        # u = 3x; root = (|u| - u) * 1e6 + u * 1e-6. u's gradient is 1e-6 + 1e6 - 1e6: which
        # digits of 1e-6 survive depends on the order the three are added in.
        graph = generator.Graph([2.0])
        graph.ops = [
            ("mul", [node(0), const(3.0)]),  # 1: u
            ("mul", [node(1), const(1e-6)]),  # 2: the small term, made before the large ones
            ("abs", [node(1)]),  # 3
            ("sub", [node(3), node(1)]),  # 4: |u| - u = 0 exactly
            ("mul", [node(4), const(1e6)]),  # 5
            ("add", [node(5), node(2)]),  # 6: root
        ]
        value, grads = generator.evaluate(graph)
        self.assertEqual(value, 6e-6)
        self.assertTrue(math.isclose(grads[0], 3e-6, rel_tol=1e-12))
        self.assertIn("gradient amplifies rounding", conditioning_verdict(graph) or "kept")

    def test_a_well_conditioned_graph_with_reuse_is_kept(self):
        # x * x + 3x + tanh(x): x reaches the root along three paths, none of them cancelling.
        graph = generator.Graph([0.7])
        graph.ops = [
            ("mul", [node(0), node(0)]),  # 1
            ("mul", [node(0), const(3.0)]),  # 2
            ("tanh", [node(0)]),  # 3
            ("add", [node(1), node(2)]),  # 4
            ("add", [node(4), node(3)]),  # 5: root
        ]
        self.assertIsNone(conditioning_verdict(graph))

    def test_the_graph_that_made_value_torch_test_fail_is_no_longer_drawn(self):
        # Seed 1796667526334485 drew it as graph 180: a single leaf at 2.2177796934620777.
        rng = random.Random(1796667526334485)
        jitter_rng = random.Random("jitter 1796667526334485")  # as main() seeds it
        leaves = []
        for _ in range(181):
            graph = self.draw_without_torch(rng, jitter_rng)
            leaves.append(graph.leaves)
        self.assertNotIn([2.2177796934620777], leaves)

    @staticmethod
    def draw_without_torch(rng, jitter_rng):
        while True:
            try:
                graph = generator.random_graph(rng)
                value, grads = generator.evaluate(graph)
                generator.check_magnitudes(value, grads)
                generator.check_conditioning(graph, value, grads, jitter_rng)
                return graph
            except generator.Rejected:
                continue


if __name__ == "__main__":
    unittest.main()
