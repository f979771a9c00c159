"""Deep graphs from Python: a chain of a million ops builds, backpropagates and is freed without
recursion, so neither Python's recursion limit nor the C stack limits its depth (micrograd's
recursive build_topo stops at about a thousand)."""
import gc
import itertools
import resource
import sys
import unittest
import weakref

import micrograd
from micrograd.engine import Value

DEPTH = 1_000_000


def chain(x, depth=DEPTH):
    """x + x + ... + x: `depth` additions, each one's output the next one's input."""
    return sum(itertools.repeat(x, depth))


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class DeepGraphs(unittest.TestCase):
    def test_a_million_op_chain_backpropagates_and_is_freed(self):
        limit = sys.getrecursionlimit()
        x = Value(0.5)
        y = chain(x)
        self.assertEqual(y.data, 0.5 * DEPTH)
        y.backward()
        self.assertEqual(x.grad, DEPTH, "each of the million + passes 1 to x")
        self.assertEqual(micrograd.graph_stats(y).depth, DEPTH + 1)
        self.assertEqual(sys.getrecursionlimit(), limit, "nothing raised the recursion limit")
        root = weakref.ref(y)
        y = None  # the chain's teardown runs here, in a loop
        self.assertIsNone(root())
        self.assertEqual((x.data, x.grad), (0.5, DEPTH), "the leaf Python still holds is intact")

    def test_a_deep_graph_in_a_reference_cycle_is_collected_and_its_memory_reused(self):
        x = Value(1.0)
        peaks = []
        for _ in range(2):
            holder = [chain(x)]
            holder.append(holder)  # a cycle: only the garbage collector frees it
            root = weakref.ref(holder[0])
            del holder
            gc.collect()
            self.assertIsNone(root(), "the collector freed the cycle and, with it, the graph")
            peaks.append(peak_rss_mib())
        # The nodes of the first graph were freed (iteratively) and their memory used again by
        # the second: the peak does not grow by another graph's worth (over 100 MiB).
        self.assertLess(peaks[1] - peaks[0], 20, f"peak memory in MiB after each graph: {peaks}")


if __name__ == "__main__":
    unittest.main()
