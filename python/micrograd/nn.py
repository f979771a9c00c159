"""micrograd.nn: Module, Neuron, Layer and MLP, as in karpathy/micrograd's nn.py, on the C++ engine.

    model = MLP(2, [16, 16, 1])        # ReLU on every layer but the last, which is linear
    score = model([1.0, -2.0])         # a Value (a list of Values when the last layer has more)
    model.zero_grad(); score.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad

Names, call semantics and reprs are micrograd's ("MLP of [Layer of [ReLUNeuron(2), ...]]"), and
so are the initial weights: each weight is random.uniform(-1, 1) from Python's `random`, drawn in
micrograd's order, so after random.seed(1337) an MLP holds exactly the weights micrograd's would.
A forward pass is one call into C++ (micrograd.cpp's nn::MLP), which builds the same graph
micrograd's Python loops do.

PyTorch's modules that map a Tensor to a Tensor, under PyTorch's names (the C++ names too):
Conv2d (Conv2D), MaxPool2d (MaxPool2D), AvgPool2d (AvgPool2D), Flatten, ReLU, Tanh, Sigmoid and
Sequential, whose whole forward pass is one call into C++:

    net = Sequential(Conv2d(1, 4, 5, stride=2, padding=2), Tanh(), Flatten(), Layer(784, 10))
    logits = net(Tensor.from_data([1, 28, 28], pixels))       # a Tensor; .values, .data, .shape

DataParallel(net) computes a minibatch's samples on every core with a built-in loss, the GIL
released. Beyond micrograd: an `activation` ('relu', 'tanh', 'sigmoid' or 'none') and an `init`
('uniform', 'kaiming_uniform', 'xavier_uniform', 'lecun_uniform', drawn by the C++ generator that
manual_seed restarts) for Neuron, Layer and MLP; losses, SGD and Adam, learning-rate schedules,
and JSON checkpoints; training and eval modes (train(), eval(), is_training(), passed on to a
module's parts as in PyTorch), Dropout and BatchNorm1d.

A module's structure is fixed when it is made: change the parameters through their .data, not by
putting other Values into .w or .layers (those are copies of the module's lists). An input of the
wrong length is a ValueError (micrograd's zip would silently use the first nin numbers).
"""
import operator
import random

from micrograd import _core
from micrograd.engine import Value
from micrograd._core.nn import (Adam, CheckpointError, CosineDecay, LinearDecay, Optimizer, SGD,
                                StepDecay, Tensor, argmax, binary_cross_entropy_with_logits,
                                cross_entropy, hinge_loss, l2_penalty, manual_seed, mse_loss,
                                seed_this_thread, softmax)

__all__ = ["Module", "Neuron", "Layer", "MLP", "Dropout", "BatchNorm1d", "Tensor", "Conv2d",
           "Conv2D", "MaxPool2d", "MaxPool2D", "AvgPool2d", "AvgPool2D", "Flatten", "ReLU", "Tanh",
           "Sigmoid", "Sequential", "DataParallel", "seed_this_thread", "mse_loss", "hinge_loss",
           "binary_cross_entropy_with_logits", "cross_entropy", "l2_penalty", "argmax", "softmax",
           "Optimizer", "SGD", "Adam", "LinearDecay", "StepDecay", "CosineDecay",
           "save_checkpoint", "load_checkpoint", "CheckpointError", "manual_seed"]

_NEURON_NAMES = {"none": "Linear", "relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


class Module:
    """Anything with parameters. Subclass it as in micrograd: override parameters().

    Every module starts in training mode; eval() switches it and its parts to eval mode (Dropout
    off, BatchNorm on its running statistics), train() back. A module's parts are its attributes
    that are Modules, or lists and tuples of Modules, as PyTorch finds them.
    """

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def parameters(self):
        return []

    def train(self, mode=True):
        self._training = bool(mode)
        for part in self._parts():
            part.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def is_training(self):
        return getattr(self, "_training", True)

    def use_fused_ops(self, on=True):
        """Conv2d's fused forward (one node per output) in this module and its parts."""
        for part in self._parts():
            part.use_fused_ops(on)
        return self

    def named_parameters(self):
        """(name, Tensor) for each block of parameters, as a checkpoint names them: a part's
        named '<attribute>.<its name>' ('layers.0.weight'), as PyTorch names them, when the parts
        hold exactly this module's parameters() (in any order: a Layer's blocks are its weights,
        then its biases); else one block of them all, 'parameters'."""
        named = [(f"{prefix}.{name}", tensor)
                 for prefix, part in self._named_parts() for name, tensor in part.named_parameters()]
        listed = {id(value) for _, tensor in named for value in tensor.values}
        parameters = list(self.parameters())
        if listed == {id(value) for value in parameters} and len(listed) == len(parameters):
            return named
        return [("parameters", Tensor(parameters))] if parameters else []

    def named_buffers(self):
        """(name, Tensor) for each block of state that is not trained (BatchNorm1d's running
        statistics), named as named_parameters() names its parts'."""
        return [(f"{prefix}.{name}", tensor)
                for prefix, part in self._named_parts() for name, tensor in part.named_buffers()]

    def describe(self):
        """What a checkpoint records as the architecture: the class and its blocks' shapes."""
        shapes = ", ".join(f"{name}={list(tensor.shape)}" for name, tensor in self.named_parameters())
        return f"{type(self).__name__}({shapes})"

    def _named_parts(self):
        for attribute, value in vars(self).items():
            if isinstance(value, Module):
                yield attribute, value
            elif isinstance(value, (list, tuple)):
                yield from ((f"{attribute}.{i}", item) for i, item in enumerate(value)
                            if isinstance(item, Module))

    def _parts(self):
        for _, part in self._named_parts():
            yield part


class _NativeModule(Module):
    """A Module whose forward pass, parameters and zero_grad are a C++ module's (self._native)."""

    def _adopt(self, native):
        self._native = native
        # Kept for the module's life, so parameters() hands out the same Value objects each time.
        self._parameters = native.parameters()

    def parameters(self):
        return list(self._parameters)

    def zero_grad(self):
        self._native.zero_grad()

    # The C++ module holds the mode and passes it to its own parts (an MLP's layers), which the
    # Python wrappers in .layers and .neurons share.
    def train(self, mode=True):
        self._native.train(bool(mode))
        return self

    def is_training(self):
        return self._native.is_training()

    def use_fused_ops(self, on=True):
        self._native.use_fused_ops(bool(on))
        return self

    def uses_fused_ops(self):
        return self._native.uses_fused_ops()

    def named_parameters(self):
        return [(block.name, Tensor(block.values, shape=block.shape))
                for block in self._native.named_parameters()]

    def named_buffers(self):
        return [(block.name, Tensor(block.values, shape=block.shape))
                for block in self._native.named_buffers()]

    def describe(self):
        return self._native.describe()


def _as_tensor(x):
    """x as a Tensor: a Tensor as it is; a numpy array or nested lists of numbers or Values in
    their shape (a list of 784 numbers is shape (784,), [[[...]]] of 1x28x28 is (1, 28, 28))."""
    if isinstance(x, Tensor):
        return x
    shape = getattr(x, "shape", None)
    if shape is not None and hasattr(x, "ravel"):  # numpy
        return Tensor(x.ravel().tolist(), shape=list(shape))
    shape, flat, level = [], [], [x]
    while level and isinstance(level[0], (list, tuple)):
        shape.append(len(level[0]))
        if any(not isinstance(item, (list, tuple)) or len(item) != shape[-1] for item in level):
            raise ValueError(f"a nested list of numbers must be rectangular; one of its lists at "
                             f"depth {len(shape)} does not hold {shape[-1]} items")
        level = [item for row in level for item in row]
    flat = level
    return Tensor(flat, shape=shape or [len(flat)])


class _TensorModule(_NativeModule):
    """A module that maps a Tensor to a Tensor (called on a Tensor, numpy array or nested list)."""

    def __call__(self, x):
        return self._native.forward(_as_tensor(x))

    def forward(self, x):
        return self(x)

    def __repr__(self):
        return self._native.describe()


def _count(value, what, minimum=1):
    """value as an int of at least `minimum`, or a TypeError or ValueError that names `what`."""
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be a whole number (an int), not "
                        f"{type(value).__name__}") from None
    if number < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {number}")
    return number


def _activation(nonlin, activation):
    if activation is not None:
        return activation
    return "relu" if nonlin else "none"


class Neuron(_NativeModule):
    """activation(b + sum(wi * xi)): nin weights from random.uniform(-1, 1) and a bias of 0.

    nonlin=False makes it linear, as in micrograd; activation= chooses another nonlinearity.
    """

    def __init__(self, nin, nonlin=True, *, activation=None, init=None, _native=None):
        if _native is None:
            nin = _count(nin, "Neuron: nin")
            activation = _activation(nonlin, activation)
            if init is None:  # micrograd's: Python's random, in micrograd's order
                weights = [Value(random.uniform(-1, 1)) for _ in range(nin)]
                _native = _core.nn.Neuron(weights, Value(0), activation)
            else:
                _native = _core.nn.Neuron(nin, activation, init)
        self._adopt(_native)

    def __call__(self, x):
        return self._native(x)

    @property
    def w(self):
        return self._parameters[:-1]

    @property
    def b(self):
        return self._parameters[-1]

    @property
    def nonlin(self):
        return self._native.activation != "none"

    @property
    def activation(self):
        return self._native.activation

    def __repr__(self):
        return f"{_NEURON_NAMES[self._native.activation]}Neuron({self._native.nin})"


class Layer(_NativeModule):
    """nout Neurons reading the same inputs. Returns a Value when nout is 1, else a list."""

    def __init__(self, nin, nout, nonlin=True, *, activation=None, init=None, _native=None):
        if _native is None:
            nin = _count(nin, "Layer: nin")
            nout = _count(nout, "Layer: nout")
            if init is None:
                neurons = [Neuron(nin, nonlin, activation=activation) for _ in range(nout)]
                _native = _core.nn.Layer([n._native for n in neurons])
            else:
                _native = _core.nn.Layer(nin, nout, _activation(nonlin, activation), init)
        self._adopt(_native)
        self.neurons = [Neuron(0, _native=n) for n in _native.neurons]

    def __call__(self, x):
        if isinstance(x, Tensor):  # inside a network of Tensors: a Tensor out
            return self._native.forward(x)
        out = self._native(x)
        return out[0] if len(out) == 1 else out

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(_NativeModule):
    """Layers nin -> nouts[0] -> nouts[1] -> ...; ReLU on every layer but the last (linear).

    Called on a list of Values or numbers, it returns a Value when the last layer has one output,
    else a list of Values, as micrograd's does.
    """

    def __init__(self, nin, nouts, *, activation="relu", init=None):
        if activation not in _NEURON_NAMES:  # checked here too: a one-layer MLP never uses it
            raise ValueError(f"activation must be one of {', '.join(map(repr, _NEURON_NAMES))}, "
                             f"not {activation!r}")
        nin = _count(nin, "MLP: nin")
        try:
            nouts = list(nouts)
        except TypeError:
            raise TypeError("MLP: nouts must be a list of layer sizes, such as [16, 16, 1], not "
                            f"{type(nouts).__name__}") from None
        if not nouts:
            raise ValueError("MLP: nouts must list at least one layer size, such as [16, 16, 1]")
        nouts = [_count(size, f"MLP: nouts[{i}]") for i, size in enumerate(nouts)]
        if init is None:
            sz = [nin] + list(nouts)
            layers = [Layer(sz[i], sz[i + 1],
                            activation=activation if i != len(nouts) - 1 else "none")
                      for i in range(len(nouts))]
            native = _core.nn.MLP([layer._native for layer in layers])
        else:
            native = _core.nn.MLP(nin, list(nouts), activation, init)
        self._adopt(native)
        self.layers = [Layer(0, 0, _native=layer) for layer in native.layers]

    def __call__(self, x):
        if isinstance(x, Tensor):
            return self._native.forward(x)
        out = self._native(x)
        return out[0] if len(out) == 1 else out

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


class Dropout(_NativeModule):
    """In training, zeroes each input with probability p and scales the others by 1 / (1 - p)
    (inverted dropout, as torch.nn.Dropout), drawing from the generator manual_seed restarts; in
    eval mode, the identity. Called on a list of Values or numbers, it returns a list."""

    def __init__(self, p=0.5):
        self._adopt(_core.nn.Dropout(p))

    def __call__(self, x):
        if isinstance(x, Tensor):
            return self._native.forward(x)
        return self._native(x)

    @property
    def p(self):
        return self._native.p

    def __repr__(self):
        return self._native.describe()


class BatchNorm1d(_NativeModule):
    """Each of `features` numbers normalised over a batch (a list of samples, each a list), then
    scaled by .weight and shifted by .bias, as torch.nn.BatchNorm1d: the batch's statistics in
    training (which also move .running_mean and .running_var), the running ones in eval mode."""

    def __init__(self, features, eps=1e-5, momentum=0.1):
        self._adopt(_core.nn.BatchNorm1d(features, eps, momentum))

    def __call__(self, batch):
        return self._native(batch)

    weight = property(lambda self: self._native.weight)
    bias = property(lambda self: self._native.bias)
    running_mean = property(lambda self: self._native.running_mean)
    running_var = property(lambda self: self._native.running_var)

    def __repr__(self):
        return self._native.describe()


class Conv2d(_TensorModule):
    """A 2-D convolution, as torch.nn.Conv2d (square kernels): a [in_channels, H, W] Tensor to
    [out_channels, H', W']. Weights [out][in][k][k] drawn by `init` from the C++ generator
    (manual_seed), biases 0."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, *,
                 init="kaiming_uniform"):
        self._adopt(_core.nn.Conv2D(_count(in_channels, "Conv2d: in_channels"),
                                    _count(out_channels, "Conv2d: out_channels"),
                                    _count(kernel_size, "Conv2d: kernel_size"),
                                    _count(stride, "Conv2d: stride"),
                                    _count(padding, "Conv2d: padding", minimum=0), init))

    in_channels = property(lambda self: self._native.in_channels)
    out_channels = property(lambda self: self._native.out_channels)
    kernel_size = property(lambda self: self._native.kernel_size)
    stride = property(lambda self: self._native.stride)
    padding = property(lambda self: self._native.padding)
    weight = property(lambda self: self._native.weight)
    bias = property(lambda self: self._native.bias)


class MaxPool2d(_TensorModule):
    """The largest element of each kernel_size x kernel_size window (stride: kernel_size)."""

    _native_class = "MaxPool2D"

    def __init__(self, kernel_size, stride=None):
        if stride is not None:
            stride = _count(stride, f"{type(self).__name__}: stride")
        native_class = getattr(_core.nn, self._native_class)
        self._adopt(native_class(_count(kernel_size, f"{type(self).__name__}: kernel_size"),
                                 stride))

    kernel_size = property(lambda self: self._native.kernel_size)
    stride = property(lambda self: self._native.stride)


class AvgPool2d(MaxPool2d):
    """The mean of each kernel_size x kernel_size window (stride: kernel_size)."""

    _native_class = "AvgPool2D"


class Flatten(_TensorModule):
    """Any Tensor as one row: shape (C, H, W) to (C * H * W,)."""

    def __init__(self):
        self._adopt(_core.nn.Flatten())


class _Activation(_TensorModule):
    def __init__(self):
        self._adopt(_core.nn.ActivationLayer(self._activation))


class ReLU(_Activation):
    """max(0, x) of every element."""
    _activation = "relu"


class Tanh(_Activation):
    """tanh(x) of every element."""
    _activation = "tanh"


class Sigmoid(_Activation):
    """1 / (1 + e^-x) of every element."""
    _activation = "sigmoid"


# The C++ library's spellings.
Conv2D, MaxPool2D, AvgPool2D = Conv2d, MaxPool2d, AvgPool2d


class Sequential(_TensorModule):
    """Modules applied in turn, as torch.nn.Sequential: Sequential(Conv2d(...), Tanh(), ...).

    Its parts are micrograd's own modules (those that take a Tensor: Conv2d, the pools, Flatten,
    the activations, Layer, MLP, Dropout, Sequential); the whole forward pass is one call into
    C++. A module written in Python cannot be a part: call it between two Sequentials instead.
    """

    def __init__(self, *modules):
        natives = []
        for i, part in enumerate(modules):
            if not (isinstance(part, _NativeModule)
                    and isinstance(part._native, _core.nn.TensorModule)):
                raise TypeError(f"Sequential: module {i} is a {type(part).__name__}; a "
                                "Sequential holds micrograd's modules that map a Tensor to a "
                                "Tensor (Conv2d, MaxPool2d, Flatten, ReLU, Layer, ...)")
            natives.append(part._native)
        self._adopt(_core.nn.Sequential(natives))
        self._modules = list(modules)

    def __len__(self):
        return len(self._modules)

    def __getitem__(self, index):
        return self._modules[index]

    def __iter__(self):
        return iter(self._modules)


# DataParallel and the checkpoints live in a file of their own (one idea per file); they are part
# of micrograd.nn. Imported last, since they build on the classes above.
from micrograd._nn_training import (DataParallel, load_checkpoint,  # noqa: E402
                                    save_checkpoint)
