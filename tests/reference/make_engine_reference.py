#!/usr/bin/python3
"""Random scalar expression graphs with PyTorch's value and gradients, for the engine's tests.

tests/engine/value_torch_test.cpp rebuilds every graph with micrograd::Value, runs backward() and
compares the root's value and every leaf's gradient with what PyTorch computed here, to a relative
1e-9. It is the engine's end-to-end check: each op's math, gradient accumulation where a node is
used several times, and the order backward() visits the graph.

This is not a gradient checker and does not test PyTorch. The graphs are made to be well
conditioned, so that two correct float64 engines, which may round each op differently in the last
bit, agree to far better than 1e-9; a graph that does not pass that check is thrown away and
another one drawn. A seed fully determines the file for a given PyTorch.

Run it with Debian's python, which has torch (apt-get install python3-torch):
    /usr/bin/python3 tests/reference/make_engine_reference.py --seed 20261122 --graphs 300 \\
        --out tests/reference/engine_graphs.txt

File format, one record a line, fields separated by one space, '#' lines are comments:
    graphs <count>                            first line that is not a comment
    graph <index> <leaf_count> <node_count>   node ids are 0 .. node_count-1, leaves first
    leaf <id> <value>
    op <id> <name> <arg> [<arg>]              an arg is a node id, or c:<number> for a constant
    root <id>
    value <expected root value>
    grad <leaf id> <expected d(root)/d(leaf)>  one line per leaf
    end
Op names: add sub mul div (two args; either one may be a constant), neg exp log tanh relu sigmoid abs
(one arg), pow (a node and a constant exponent). Numbers are Python repr(): the shortest decimal
that reads back as exactly the same double.
"""

import argparse
import math
import os
import random
import sys

# Bounds that keep every number far from overflow, underflow and the edges of each op's domain.
MAX_NODE_MAGNITUDE = 1e6
MIN_RESULT_MAGNITUDE = 1e-6  # root value and nonzero leaf gradients
MAX_RESULT_MAGNITUDE = 1e8
MIN_DIVISOR = 0.05
MIN_LOG_ARGUMENT = 1e-2
MIN_POW_BASE = 0.05
EXP_RANGE = (-20.0, 12.0)
MAX_TANH_ARGUMENT = 3.0  # beyond it 1 - tanh^2 cancels: the derivative loses digits
MAX_SIGMOID_ARGUMENT = 8.0  # the same for s * (1 - s)
MIN_KINK_DISTANCE = 1e-3  # relu and abs have a kink at 0: keep off it

# The conditioning check: every rounding op's result is perturbed by a relative JITTER and the
# graph is replayed; a graph whose value or gradients then move by more than MAX_DEVIATION is
# amplifying rounding errors too much for a 1e-9 comparison between two engines to be fair.
# Two real engines differ by about 1e-16 per rounding, a thousand times less than JITTER, so on a
# graph that is kept they differ by about MAX_DEVIATION / 1000 = 1e-13: far inside 1e-9.
JITTER = 1e-13
MAX_DEVIATION = 1e-10
JITTER_TRIALS = 2

BINARY_OPS = ("add", "sub", "mul", "div")
UNARY_OPS = ("neg", "pow", "exp", "log", "tanh", "relu", "sigmoid", "abs")
# Ops whose forward result is exact (never rounded), and whose local derivative is +-1 or 0, so
# that multiplying out.grad by it is exact.
EXACT_FORWARD = frozenset(("neg", "relu", "abs"))
EXACT_BACKWARD = frozenset(("add", "sub", "neg", "relu", "abs"))

OP_WEIGHTS = {
    "add": 5, "sub": 4, "mul": 6, "div": 3, "neg": 1, "pow": 3,
    "exp": 2, "log": 2, "tanh": 3, "relu": 2, "sigmoid": 2, "abs": 1,
}
INTEGER_EXPONENTS = (-3.0, -2.0, -1.0, 2.0, 3.0, 4.0)
FRACTIONAL_EXPONENTS = (0.5, -0.5, 1.5, -1.5, 2.5, 1.0 / 3.0, 0.25)


class Rejected(Exception):
    """The graph drawn is unfit for an exact comparison; draw another."""


class Graph:
    """Leaves are nodes 0 .. len(leaves)-1; op k is node len(leaves)+k; the last op is the root.

    An arg is ("node", id) or ("const", value).
    """

    def __init__(self, leaves):
        self.leaves = leaves
        self.ops = []  # (name, [args])

    @property
    def node_count(self):
        return len(self.leaves) + len(self.ops)


def sigmoid(x):
    # e^-|x| never overflows; the same formula as the engine's.
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)


def forward(name, x, y=None):
    if name == "add":
        return x + y
    if name == "sub":
        return x - y
    if name == "mul":
        return x * y
    if name == "div":
        return x / y
    if name == "neg":
        return -x
    if name == "pow":
        return math.pow(x, y)
    if name == "exp":
        return math.exp(x)
    if name == "log":
        return math.log(x)
    if name == "tanh":
        return math.tanh(x)
    if name == "relu":
        return x if x > 0.0 else 0.0
    if name == "sigmoid":
        return sigmoid(x)
    if name == "abs":
        return abs(x)
    raise ValueError(f"unknown op {name!r}")


def local_derivatives(name, x, y, out):
    """d(out)/d(arg) for each arg, as the engine writes them."""
    if name == "add":
        return (1.0, 1.0)
    if name == "sub":
        return (1.0, -1.0)
    if name == "mul":
        return (y, x)
    if name == "div":
        return (1.0 / y, -x / (y * y))
    if name == "neg":
        return (-1.0,)
    if name == "pow":
        return (y * math.pow(x, y - 1.0),)
    if name == "exp":
        return (out,)
    if name == "log":
        return (1.0 / x,)
    if name == "tanh":
        return (1.0 - out * out,)
    if name == "relu":
        return (1.0 if out > 0.0 else 0.0,)
    if name == "sigmoid":
        return (out * (1.0 - out),)
    if name == "abs":
        return (1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0,)
    raise ValueError(f"unknown op {name!r}")


def arg_value(arg, values):
    kind, payload = arg
    return values[payload] if kind == "node" else payload


def evaluate(graph, jitter_rng=None):
    """The root's value and every leaf's gradient in plain Python floats.

    With jitter_rng, every rounded result is perturbed by up to JITTER (relative), to measure how
    much the graph amplifies rounding differences.
    """

    def jitter(x):
        if jitter_rng is None:
            return x
        return x * (1.0 + jitter_rng.uniform(-JITTER, JITTER))

    values = list(graph.leaves)
    for name, args in graph.ops:
        out = forward(name, *(arg_value(a, values) for a in args))
        values.append(out if name in EXACT_FORWARD else jitter(out))

    # Two engines may add a node's contributions in different orders, and the rounding of a sum
    # depends on its order: adding s, then -A, then +A loses the digits of s below A's last bit,
    # while adding -A, +A, then s keeps s exactly. The rounding of a sum in any order is bounded by
    # the sum of its terms' magnitudes, so that is what the jitter scales with: a gradient that is
    # the small remainder of large contributions that cancel is then seen to be ill-conditioned.
    grads = [0.0] * graph.node_count
    magnitudes = [0.0] * graph.node_count  # sum of |contribution| per node
    contributions = [0] * graph.node_count
    grads[-1] = 1.0

    def summed_grad(node):
        if contributions[node] < 2:
            return grads[node]  # a single contribution is not a sum: nothing to reorder
        return grads[node] + magnitudes[node] * (jitter(1.0) - 1.0)

    first_op = len(graph.leaves)
    for k in reversed(range(len(graph.ops))):
        name, args = graph.ops[k]
        out_grad = summed_grad(first_op + k)
        operands = [arg_value(a, values) for a in args] + [None]
        derivatives = local_derivatives(name, operands[0], operands[1], values[first_op + k])
        for (kind, target), derivative in zip(args, derivatives):
            if kind != "node":
                continue
            contribution = derivative * out_grad
            if name not in EXACT_BACKWARD:
                contribution = jitter(contribution)
            grads[target] += contribution
            magnitudes[target] += abs(contribution)
            contributions[target] += 1
    return values[-1], [summed_grad(leaf) for leaf in range(first_op)]


def relative_deviation(reference, other):
    if reference == other:
        return 0.0
    if reference == 0.0:
        return math.inf
    return abs(other - reference) / abs(reference)


def check_conditioning(graph, value, grads, jitter_rng):
    for _ in range(JITTER_TRIALS):
        jittered_value, jittered_grads = evaluate(graph, jitter_rng)
        if relative_deviation(value, jittered_value) > MAX_DEVIATION:
            raise Rejected("the root value amplifies rounding errors")
        for grad, jittered in zip(grads, jittered_grads):
            if relative_deviation(grad, jittered) > MAX_DEVIATION:
                raise Rejected("a leaf gradient amplifies rounding errors")


def check_magnitudes(value, grads):
    if not MIN_RESULT_MAGNITUDE <= abs(value) <= MAX_RESULT_MAGNITUDE:
        raise Rejected(f"root value {value!r} is too small or too large")
    # An exact zero is fine: it is a leaf behind a dead relu, and both engines give exactly 0.
    if all(g == 0.0 for g in grads):
        raise Rejected("every leaf gradient is zero")
    for g in grads:
        if g != 0.0 and not MIN_RESULT_MAGNITUDE <= abs(g) <= MAX_RESULT_MAGNITUDE:
            raise Rejected(f"leaf gradient {g!r} is too small or too large")


def op_is_fit(name, x, y):
    """Whether name(x, y) stays inside the domain and the bounds above; y is pow's exponent."""
    if name == "div" and abs(y) < MIN_DIVISOR:
        return False
    if name == "log" and x < MIN_LOG_ARGUMENT:
        return False
    if name == "pow":
        if abs(x) < MIN_POW_BASE:
            return False
        if y != math.floor(y) and x <= 0.0:
            return False  # a fractional power of a negative number is not real
    if name == "exp" and not EXP_RANGE[0] <= x <= EXP_RANGE[1]:
        return False
    if name == "tanh" and abs(x) > MAX_TANH_ARGUMENT:
        return False
    if name == "sigmoid" and abs(x) > MAX_SIGMOID_ARGUMENT:
        return False
    if name in ("relu", "abs") and abs(x) < MIN_KINK_DISTANCE:
        return False  # near the kink, a rounding of x could flip the slope
    try:
        out = forward(name, x, y)
    except (OverflowError, ValueError, ZeroDivisionError):
        return False
    return math.isfinite(out) and abs(out) <= MAX_NODE_MAGNITUDE


def random_leaf(rng):
    magnitude = math.exp(rng.uniform(math.log(0.1), math.log(4.0)))
    # Mostly positive, so that log and fractional powers have something to work on.
    return magnitude if rng.random() < 0.7 else -magnitude


def random_constant(rng):
    # Numbers a person would type, like 2.5 or -0.3; never 0.
    c = round(rng.uniform(0.1, 4.0), rng.choice((0, 1, 2)))
    c = c if c != 0.0 else 1.0
    return c if rng.random() < 0.7 else -c


def pick_node(rng, uses):
    # Prefer nodes nobody uses yet (so the graph stays connected) and recent ones (so it grows
    # deep), but any node may be picked again: that is how shared subexpressions arise.
    count = len(uses)
    weights = [1.0 + (3.0 if uses[i] == 0 else 0.0) + (2.0 if i >= count - 3 else 0.0)
               for i in range(count)]
    return rng.choices(range(count), weights)[0]


def random_op(rng, values, uses):
    """One op on existing nodes, as (name, args), or None if the draw is out of bounds."""
    name = rng.choices(list(OP_WEIGHTS), list(OP_WEIGHTS.values()))[0]
    if name in BINARY_OPS:
        shape = rng.random()
        if shape < 0.2:
            args = [("node", pick_node(rng, uses)), ("const", random_constant(rng))]
        elif shape < 0.35:
            args = [("const", random_constant(rng)), ("node", pick_node(rng, uses))]
        else:
            first = pick_node(rng, uses)
            # x * x and x + x: one node as both inputs, whose grad gets two contributions.
            same = name in ("add", "mul") and rng.random() < 0.15
            args = [("node", first), ("node", first if same else pick_node(rng, uses))]
    elif name == "pow":
        exponents = INTEGER_EXPONENTS if rng.random() < 0.6 else FRACTIONAL_EXPONENTS
        args = [("node", pick_node(rng, uses)), ("const", rng.choice(exponents))]
    else:
        args = [("node", pick_node(rng, uses))]
    operands = [arg_value(a, values) for a in args] + [None]
    if not op_is_fit(name, operands[0], operands[1]):
        return None
    return name, args


def random_graph(rng):
    graph = Graph([random_leaf(rng) for _ in range(rng.randint(1, 6))])
    values = list(graph.leaves)
    uses = [0] * len(values)

    def add_op(name, args):
        graph.ops.append((name, args))
        values.append(forward(name, *(arg_value(a, values) for a in args)))
        uses.append(0)
        for kind, payload in args:
            if kind == "node":
                uses[payload] += 1

    op_count = rng.randint(2, 40)
    attempts = 0
    while len(graph.ops) < op_count:
        attempts += 1
        if attempts > 50 * op_count:
            raise Rejected("no op fits the values drawn")
        op = random_op(rng, values, uses)
        if op is not None:
            add_op(*op)

    # Join every node nobody uses into the root, so that every leaf reaches it.
    while True:
        unused = [i for i in range(len(uses)) if uses[i] == 0]
        if len(unused) == 1:
            break
        a, b = rng.sample(unused, 2)
        for name in rng.sample(("add", "sub", "mul"), 3):
            if op_is_fit(name, values[a], values[b]):
                add_op(name, [("node", a), ("node", b)])
                break
        else:
            raise Rejected("cannot join two nodes into the root")
    return graph


def torch_reference(graph):
    """The root value and every leaf's gradient, computed by PyTorch in float64."""
    import torch

    leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in graph.leaves]
    nodes = list(leaves)

    def operand(arg):
        kind, payload = arg
        # A constant is a tensor without grad: the same op as the engine's constant leaf, rather
        # than PyTorch's scalar overloads (2 / x is reciprocal(x) * 2 there).
        return nodes[payload] if kind == "node" else torch.tensor(payload, dtype=torch.float64)

    functions = {
        "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
        "neg": torch.neg, "exp": torch.exp, "log": torch.log, "tanh": torch.tanh,
        "relu": torch.relu, "sigmoid": torch.sigmoid, "abs": torch.abs,
    }
    for name, args in graph.ops:
        if name == "pow":
            # The exponent stays a Python float, as it is a plain double in Value::pow.
            nodes.append(torch.pow(operand(args[0]), args[1][1]))
        else:
            nodes.append(functions[name](*(operand(a) for a in args)))

    root = nodes[-1]
    root.backward()
    grads = []
    for i, leaf in enumerate(leaves):
        if leaf.grad is None:
            raise RuntimeError(f"leaf {i} does not reach the root: the generator has a bug")
        grads.append(leaf.grad.item())
    return root.item(), grads


def checked_graph(rng, jitter_rng):
    """A random graph fit for the comparison, with PyTorch's results."""
    while True:
        try:
            graph = random_graph(rng)
            value, grads = evaluate(graph)
            check_magnitudes(value, grads)
            check_conditioning(graph, value, grads, jitter_rng)
        except Rejected:
            continue
        torch_value, torch_grads = torch_reference(graph)
        # The plain-Python replay above and PyTorch must agree far inside the test's tolerance; if
        # they do not, this script's idea of an op differs from PyTorch's.
        for mine, theirs in zip([value] + grads, [torch_value] + torch_grads):
            if relative_deviation(theirs, mine) > 1e-11:
                raise RuntimeError(f"Python replay {mine!r} != torch {theirs!r}: generator bug")
        return graph, torch_value, torch_grads


def format_arg(arg):
    kind, payload = arg
    return str(payload) if kind == "node" else "c:" + repr(payload)


def write_graph(out, index, graph, value, grads):
    out.write(f"graph {index} {len(graph.leaves)} {graph.node_count}\n")
    for i, leaf in enumerate(graph.leaves):
        out.write(f"leaf {i} {leaf!r}\n")
    for k, (name, args) in enumerate(graph.ops):
        out.write(f"op {len(graph.leaves) + k} {name} {' '.join(map(format_arg, args))}\n")
    out.write(f"root {graph.node_count - 1}\n")
    out.write(f"value {value!r}\n")
    for i, grad in enumerate(grads):
        out.write(f"grad {i} {grad!r}\n")
    out.write("end\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, required=True, help="fully determines the graphs")
    parser.add_argument("--graphs", type=int, default=300, help="how many graphs (default 300)")
    parser.add_argument("--out", required=True, help="file to write")
    options = parser.parse_args()
    if options.graphs < 1:
        parser.error("--graphs must be at least 1")

    try:
        import torch
    except ImportError:
        sys.exit("make_engine_reference.py needs PyTorch: run it with /usr/bin/python3 after "
                 "apt-get install python3-torch")
    torch.set_num_threads(1)

    rng = random.Random(options.seed)
    jitter_rng = random.Random(f"jitter {options.seed}")
    # Written beside the destination and renamed at the end, so that a run that fails halfway
    # leaves the old file as it was rather than cut short.
    partial = options.out + ".partial"
    try:
        with open(partial, "w", encoding="ascii", newline="\n") as out:
            out.write("# Graphs for tests/engine/value_torch_test.cpp. Generated: do not edit.\n")
            out.write(f"# made by tests/reference/make_engine_reference.py --seed {options.seed} "
                      f"--graphs {options.graphs}\n")
            out.write(f"# torch {torch.__version__}, float64, python {sys.version.split()[0]}\n")
            out.write("# format: see the docstring of make_engine_reference.py\n")
            out.write(f"graphs {options.graphs}\n")
            for index in range(options.graphs):
                graph, value, grads = checked_graph(rng, jitter_rng)
                write_graph(out, index, graph, value, grads)
        os.replace(partial, options.out)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


if __name__ == "__main__":
    main()
