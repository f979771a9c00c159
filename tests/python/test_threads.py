"""Values from several Python threads.

Every call into the engine holds the GIL from start to end, so threads take turns op by op and a
graph is never changed while another thread reads it. Nodes come from a per-thread pool (a node
freed on another thread goes back to its owner, and a thread that ends leaves its memory to the
next): these tests make threads build, share and free each other's nodes, and check every number.
"""
import queue
import random
import sys
import threading
import unittest

import micrograd
from micrograd.engine import Value
from micrograd.nn import MLP

THREADS = 4


def setUpModule():
    # Switch threads every 10 microseconds instead of 5 ms, so they interleave op by op.
    global switch_interval
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)


def tearDownModule():
    sys.setswitchinterval(switch_interval)


def run_threads(target, count=THREADS):
    errors = []

    def guarded(index):
        try:
            target(index)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class Threads(unittest.TestCase):
    def test_threads_training_their_own_models_get_the_single_threaded_numbers(self):
        def make_model(seed):  # on this thread: `random` is one generator for all threads
            random.seed(seed)
            return MLP(3, [8, 8, 1])

        def train(model):
            points = [[0.1 * i, -0.2 * i, 0.3] for i in range(8)]
            losses = []
            for _ in range(15):
                loss = sum((model(x) - (i % 2)) ** 2 for i, x in enumerate(points))
                model.zero_grad()
                loss.backward()
                for p in model.parameters():
                    p.data -= 0.01 * p.grad
                losses.append(loss.data)
            return losses

        expected = [train(make_model(seed)) for seed in range(THREADS)]
        models = [make_model(seed) for seed in range(THREADS)]
        results = {}
        run_threads(lambda i: results.__setitem__(i, train(models[i])))
        self.assertEqual([results[i] for i in range(THREADS)], expected)

    def test_threads_sharing_a_leaf_add_up_every_gradient(self):
        w = Value(3.0)
        rounds = 300

        def use(index):
            for _ in range(rounds):
                y = w * w + index  # dy/dw = 2w = 6, whatever the thread
                y.backward()

        run_threads(use)
        self.assertEqual(w.grad, 6.0 * rounds * THREADS, "no backward() lost or doubled")

    def test_values_outlive_the_thread_that_made_them(self):
        made = queue.Queue()

        def make(index):
            x = Value(float(index))
            made.put((index, x, (x * 2 + 1).tanh(), sum(Value(1.0) for _ in range(20_000))))

        for _ in range(3):  # threads end; their nodes live on, then are freed on this thread
            run_threads(make)
            while not made.empty():
                index, x, y, long_sum = made.get()
                y.backward()
                self.assertEqual(x.data, float(index))
                self.assertEqual(long_sum.data, 20_000.0)
            del x, y, long_sum

    def test_a_graph_made_on_one_thread_is_freed_on_another(self):
        graphs = queue.Queue()
        x = Value(1.0)

        def build(_):
            graphs.put(sum(x * i for i in range(50_000)))

        def free(_):
            graph = graphs.get()
            graph.backward()
            del graph

        for _ in range(2):
            run_threads(build, 2)
            run_threads(free, 2)
        self.assertEqual(x.grad, 2 * 2 * sum(range(50_000)))

    def test_no_grad_is_per_thread(self):
        entered, checked = threading.Event(), threading.Event()
        seen = {}

        def evaluate(_):
            with micrograd.no_grad():
                entered.set()
                checked.wait(10)
                seen["in the block"] = (Value(2.0) * 3)._op

        thread = threading.Thread(target=evaluate, args=(0,))
        thread.start()
        entered.wait(10)
        seen["other thread"] = (Value(2.0) * 3)._op  # while the block is open on that thread
        checked.set()
        thread.join()
        self.assertEqual(seen, {"in the block": "", "other thread": "*"})


if __name__ == "__main__":
    unittest.main()
