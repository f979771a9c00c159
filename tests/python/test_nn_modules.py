"""micrograd.nn's Tensor modules, DataParallel, checkpoints of any Module, and micrograd.datasets,
from Python, against the numbers the C++ tests check.

The convolution and pooling cases are tests/reference/nn_conv.txt (PyTorch's numbers, which
tests/nn/conv_test.cpp holds the C++ modules to); the moons are tests/reference/datasets/
moons_seed42.csv (tests/datasets/points_test.cpp's golden file); the CSV is the C++ test's.
Run by ctest (python.nn_modules) with the build tree's package on PYTHONPATH.
"""
import gzip
import os
import struct
import tempfile
import threading
import time
import unittest
from pathlib import Path

import micrograd
from micrograd import nn
from micrograd.engine import Value
from micrograd.nn import (AvgPool2d, Conv2d, DataParallel, Flatten, Layer, MaxPool2d, Module, ReLU,
                          Sequential, Sigmoid, Tanh, Tensor)

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def reference_cases(path):
    """The cases of a tests/reference/*.txt file: [(kind, settings, {name: (shape, numbers)})]."""
    cases = []
    for line in path.read_text().splitlines():
        if line.startswith("case "):
            words = line.split()
            settings = dict(word.split("=") for word in words[2:])
            cases.append((words[1], settings, {}))
        elif " : " in line and cases:
            head, numbers = line.split(" : ")
            name, rank, *shape = head.split()
            assert int(rank) == len(shape)
            cases[-1][2][name] = ([int(size) for size in shape], [float(n) for n in numbers.split()])
    return cases


def close(test, actual, expected, tolerance=1e-12):
    test.assertEqual(len(actual), len(expected))
    for i, (a, e) in enumerate(zip(actual, expected)):
        test.assertLessEqual(abs(a - e), tolerance * max(1.0, abs(e)), f"element {i}")


class ConvolutionAndPooling(unittest.TestCase):
    def run_case(self, module, tensors):
        shape, numbers = tensors["input"]
        inputs = [Value(n) for n in numbers]
        output = module(Tensor(inputs, shape=shape))
        self.assertEqual(list(output.shape), tensors["output"][0])
        close(self, output.data, tensors["output"][1])
        upstream = tensors["grad_output"][1]
        micrograd.dot(output.values, [Value(g) for g in upstream]).backward()
        close(self, [v.grad for v in inputs], tensors["grad_input"][1])
        return output

    def test_pytorchs_numbers_as_the_cpp_tests_check_them(self):
        checked = {"conv2d": 0, "max_pool2d": 0, "avg_pool2d": 0}
        for kind, settings, tensors in reference_cases(REFERENCE / "nn_conv.txt"):
            if kind not in checked:
                continue  # the NaN cases: C++ only
            with self.subTest(kind=kind, **settings):
                stride = int(settings["stride"])
                if kind == "conv2d":
                    out_c, in_c, k, _ = tensors["weight"][0]
                    conv = Conv2d(in_c, out_c, k, stride=stride, padding=int(settings["padding"]))
                    for value, number in zip(conv.parameters(),
                                             tensors["weight"][1] + tensors["bias"][1]):
                        value.data = number
                    self.run_case(conv, tensors)
                else:
                    pool_class = MaxPool2d if kind == "max_pool2d" else AvgPool2d
                    k = int(settings["kernel_size"])
                    self.run_case(pool_class(k, stride), tensors)
                checked[kind] += 1
        self.assertTrue(all(checked.values()), checked)

    def test_cpp_spellings_and_descriptions(self):
        self.assertIs(nn.Conv2D, Conv2d)
        self.assertIs(nn.MaxPool2D, MaxPool2d)
        self.assertIs(nn.AvgPool2D, AvgPool2d)
        net = Sequential(Conv2d(1, 2, 3, stride=2, padding=1), Tanh(), MaxPool2d(2), Flatten())
        self.assertEqual(repr(net), "Sequential(Conv2D(1, 2, kernel_size=3, stride=2, padding=1), "
                                    "Tanh(), MaxPool2D(kernel_size=2, stride=2), Flatten())")
        self.assertEqual([name for name, _ in net.named_parameters()], ["0.weight", "0.bias"])
        self.assertEqual(net.named_parameters()[0][1].shape, (2, 1, 3, 3))
        with self.assertRaises(ValueError):
            Conv2d(1, 2, 0)
        with self.assertRaises(TypeError):
            Sequential(Conv2d(1, 1, 1), lambda x: x)


class SequentialNetworks(unittest.TestCase):
    def test_a_sequential_is_its_parts_applied_in_turn(self):
        micrograd.manual_seed(3)
        conv, layer = Conv2d(1, 2, 3, padding=1), Layer(2 * 4 * 4, 3, activation="none",
                                                         init="lecun_uniform")
        net = Sequential(conv, ReLU(), Flatten(), layer, Sigmoid())
        pixels = [((i * 7) % 11) / 10 for i in range(16)]
        image = [[pixels[r * 4:(r + 1) * 4] for r in range(4)]]  # nested lists, shape (1, 4, 4)
        out = net(image)
        by_hand = [v.relu() for v in conv(Tensor.from_data([1, 4, 4], pixels)).values]
        expected = [v.sigmoid().data for v in layer(Tensor(by_hand)).values]
        self.assertEqual(out.data, expected)
        self.assertEqual(len(net), 5)
        self.assertIs(net[0], conv)
        self.assertEqual(len(net.parameters()), 2 * 9 + 2 + 3 * 32 + 3)

    def test_fused_ops_give_the_same_numbers_with_a_smaller_graph(self):
        micrograd.manual_seed(5)
        net = Sequential(Conv2d(2, 3, 3, padding=1), Tanh(), Flatten())
        x = Tensor.from_data([2, 5, 5], [((i * 5) % 13) / 13 - 0.5 for i in range(50)])
        plain = micrograd.sum(net(x).values)
        self.assertIs(net.use_fused_ops(), net)
        self.assertTrue(net[0].uses_fused_ops())
        fused = micrograd.sum(net(x).values)
        self.assertEqual(fused.data, plain.data)
        plain_nodes = micrograd.graph_stats(plain).node_count
        self.assertLess(micrograd.graph_stats(fused).node_count, plain_nodes)
        fused.backward()
        fused_grads = [p.grad for p in net.parameters()]
        net.zero_grad()
        plain.backward()
        self.assertEqual(fused_grads, [p.grad for p in net.parameters()])


class TwoLayers(Module):
    """A module written in Python, as in micrograd: parts as attributes, parameters() listed."""

    def __init__(self):
        self.hidden = Layer(3, 4, activation="tanh")
        self.out = Layer(4, 2, activation="none")

    def __call__(self, x):
        return self.out(self.hidden(x))

    def parameters(self):
        return self.hidden.parameters() + self.out.parameters()


class Scalars(Module):
    """One whose parameters are Values of its own: checkpointed as one block."""

    def __init__(self):
        self.a, self.b = Value(1.5), Value(-2.0)

    def parameters(self):
        return [self.a, self.b]


class Checkpoints(unittest.TestCase):
    def round_trip(self, make):
        first, second = make(), make()
        for i, p in enumerate(first.parameters()):
            p.data = 0.25 * i - 1
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.json")
            nn.save_checkpoint(first, path)
            nn.load_checkpoint(second, path)
        self.assertEqual([p.data for p in second.parameters()],
                         [p.data for p in first.parameters()])
        return first

    def test_a_module_written_in_python(self):
        model = self.round_trip(TwoLayers)
        self.assertEqual([name for name, _ in model.named_parameters()],
                         ["hidden.weight", "hidden.bias", "out.weight", "out.bias"])
        scalars = self.round_trip(Scalars)
        self.assertEqual([(n, t.shape) for n, t in scalars.named_parameters()],
                         [("parameters", (2,))])
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.json")
            nn.save_checkpoint(TwoLayers(), path)
            with self.assertRaises(nn.CheckpointError):
                nn.load_checkpoint(Scalars(), path)

    def test_a_sequential_and_its_optimizer(self):
        def make():
            micrograd.manual_seed(1)
            return Sequential(Conv2d(1, 2, 3), Flatten(), Layer(2, 1, activation="none"))
        self.round_trip(make)


class DataParallelTraining(unittest.TestCase):
    def setUp(self):
        micrograd.manual_seed(11)
        self.net = Sequential(Conv2d(1, 2, 3, stride=2, padding=1), Tanh(), Flatten(),
                              Layer(2 * 3 * 3, 3, activation="none"))
        self.inputs = [[((i * 7 + s * 3) % 17) / 17 for i in range(36)] for s in range(12)]
        self.labels = [s % 3 for s in range(12)]

    def gradients(self, threads):
        parallel = DataParallel(self.net, threads=threads)
        self.net.zero_grad()
        losses, predictions = parallel.accumulate_gradients(self.inputs, self.labels,
                                                            input_shape=[1, 6, 6])
        return losses, predictions, [p.grad for p in self.net.parameters()]

    def test_threads_give_one_threads_numbers_to_the_last_bit(self):
        losses, predictions, grads = self.gradients(1)
        self.assertEqual(self.gradients(3), (losses, predictions, grads))
        # And the numbers of the plain loop over the samples (summed in another order: 1e-12).
        self.net.zero_grad()
        for x, label in zip(self.inputs, self.labels):
            logits = self.net(Tensor.from_data([1, 6, 6], x))
            loss = nn.cross_entropy(logits.values, label)
            loss.backward()
        close(self, [p.grad for p in self.net.parameters()], grads)
        expected_losses = [nn.cross_entropy(self.net(Tensor.from_data([1, 6, 6], x)).values,
                                            label).data
                           for x, label in zip(self.inputs, self.labels)]
        self.assertEqual(losses, expected_losses)
        self.assertEqual(DataParallel(self.net, 2).predict(self.inputs, input_shape=[1, 6, 6]),
                         predictions)

    def test_the_gil_is_released_while_the_threads_work(self):
        parallel = DataParallel(self.net, threads=2)
        inputs, labels = self.inputs * 40, self.labels * 40
        window, ticks = [], []

        def work():
            window.append(time.perf_counter())
            parallel.accumulate_gradients(inputs, labels, input_shape=[1, 6, 6])
            window.append(time.perf_counter())

        worker = threading.Thread(target=work)
        worker.start()
        while worker.is_alive():
            ticks.append(time.perf_counter())
        worker.join()
        start, end = window
        inside = sum(start < t < end for t in ticks)
        self.assertGreater(inside, 100, f"Python ran {inside} times in {end - start:.3f} s")

    def test_a_model_it_cannot_replicate_is_refused(self):
        with self.assertRaises(TypeError):
            DataParallel(TwoLayers())
        with self.assertRaises(ValueError):
            DataParallel(self.net).accumulate_gradients(self.inputs, self.labels, loss="nope",
                                                        input_shape=[1, 6, 6])
        with self.assertRaises(ValueError):
            DataParallel(self.net).accumulate_gradients(self.inputs, self.labels[:-1],
                                                        input_shape=[1, 6, 6])


class Datasets(unittest.TestCase):
    def setUp(self):
        if not micrograd._core.has_datasets:
            self.skipTest("micrograd was built without its datasets")
        from micrograd import datasets
        self.datasets = datasets

    def test_moons_are_the_cpp_golden_file(self):
        X, y = self.datasets.make_moons(100, noise=0.1, seed=42)
        rows = (REFERENCE / "datasets" / "moons_seed42.csv").read_text().split()[1:]
        expected = [tuple(float(n) for n in row.split(",")[:2]) for row in rows]
        self.assertEqual(X, expected)
        self.assertEqual(y, [int(row.split(",")[2]) for row in rows])
        for make in (self.datasets.make_circles, self.datasets.make_xor):
            X, y = make(40, noise=0.05, seed=1)
            self.assertEqual((len(X), len(y)), (40, 40))
        X, y = self.datasets.make_spirals(30, 3, noise=0.0, seed=1)
        self.assertEqual(set(y), {0, 1, 2})

    def test_mnist_idx_files(self):
        images = bytes(range(2 * 3 * 2))
        with tempfile.TemporaryDirectory() as folder:
            def write(name, magic, sizes, data, packed=False):
                payload = struct.pack(">I" + "I" * len(sizes), magic, *sizes) + data
                opener = gzip.open if packed else open
                with opener(os.path.join(folder, name), "wb") as file:
                    file.write(payload)
            write("train-images-idx3-ubyte", 0x803, [2, 3, 2], images)
            write("train-labels-idx1-ubyte.gz", 0x801, [2], bytes([7, 1]), packed=True)
            write("t10k-images-idx3-ubyte", 0x803, [1, 3, 2], images[:6])
            write("t10k-labels-idx1-ubyte", 0x801, [1], bytes([3]))
            mnist = self.datasets.load_mnist(folder)
            self.assertEqual(self.datasets.read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte")),
                             ([1], bytes([3])))
            with self.assertRaises(FileNotFoundError):
                self.datasets.load_mnist(os.path.join(folder, "nowhere"))
        self.assertEqual((len(mnist.train), mnist.train.rows, mnist.train.cols), (2, 3, 2))
        self.assertEqual(mnist.train.labels, [7, 1])
        self.assertEqual(mnist.train.image(1), [n / 255 for n in range(6, 12)])
        self.assertEqual(mnist.test.label(0), 3)

    def test_the_tabular_csv(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "t.csv")
            with open(path, "w") as file:
                file.write("4,2,red,green\n1.5,-2,0\n0.5,4,1\r\n\n+3,1e-3,1\n2,2,0\n")
            table = self.datasets.read_sklearn_csv(path)
            with open(path, "w") as file:
                file.write("oops\n")
            with self.assertRaises(ValueError):
                self.datasets.read_sklearn_csv(path)
        self.assertEqual(table.class_names, ["red", "green"])
        self.assertEqual(table.rows, [[1.5, -2.0], [0.5, 4.0], [3.0, 1e-3], [2.0, 2.0]])
        self.assertEqual(table.labels, [0, 1, 1, 0])
        train, test = self.datasets.split_train_test(table, 0.5, 1)
        self.assertEqual(len(train) + len(test), 4)
        self.datasets.Standardizer(train).apply(train)
        for column in zip(*train.rows):
            self.assertAlmostEqual(sum(column), 0.0, places=12)


class Seeds(unittest.TestCase):
    def test_manual_seed_and_seed_this_thread_repeat_the_draws(self):
        def draw():
            return [p.data for p in Conv2d(1, 2, 3).parameters()]
        micrograd.manual_seed(42)
        first = draw()
        micrograd.manual_seed(42)
        self.assertEqual(draw(), first)
        nn.seed_this_thread(7)
        masked = nn.Dropout(0.5)([1.0] * 20)
        nn.seed_this_thread(7)
        self.assertEqual([v.data for v in nn.Dropout(0.5)([1.0] * 20)], [v.data for v in masked])


if __name__ == "__main__":
    unittest.main()
