"""micrograd.datasets: the data the C++ demos train on, made and read by the same C++ code.

    X, y = make_moons(100, noise=0.1, seed=1)     # as sklearn's make_moons: X rows, y classes
    mnist = load_mnist("data/mnist")              # MNIST's IDX files; mnist.train.image(0), ...
    table = read_sklearn_csv(path)                # a tabular CSV (breast cancer), then
    train, test = split_train_test(table, 0.2, seed=0); Standardizer(train).apply(test)

The toy sets: make_moons, make_circles, make_spirals, make_xor, the same numbers as the C++
library's for the same seed on every platform. A missing file is FileNotFoundError, a malformed
one ValueError.
"""
from micrograd import _core

if not _core.has_datasets:
    raise ImportError("micrograd was built without its datasets (they need zlib): "
                      "sudo apt-get install zlib1g-dev, then build again")

from micrograd._core.datasets import (Mnist, MnistSplit, Standardizer, Table,  # noqa: E402
                                      load_mnist, make_circles, make_moons, make_spirals,
                                      make_xor, point_dataset_names, read_idx, read_sklearn_csv,
                                      split_train_test)

__all__ = ["make_moons", "make_circles", "make_spirals", "make_xor", "point_dataset_names",
           "load_mnist", "Mnist", "MnistSplit", "read_idx", "read_sklearn_csv", "Table",
           "split_train_test", "Standardizer"]
