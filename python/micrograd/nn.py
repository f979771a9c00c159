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

Beyond micrograd: an `activation` ('relu', 'tanh', 'sigmoid' or 'none') and an `init`
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
                                StepDecay, argmax, binary_cross_entropy_with_logits,
                                cross_entropy, hinge_loss, l2_penalty, manual_seed, mse_loss,
                                softmax)

__all__ = ["Module", "Neuron", "Layer", "MLP", "Dropout", "BatchNorm1d", "mse_loss", "hinge_loss",
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

    def _parts(self):
        for value in vars(self).values():
            if isinstance(value, Module):
                yield value
            elif isinstance(value, (list, tuple)):
                yield from (item for item in value if isinstance(item, Module))


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


def _count(value, what):
    """value as an int of at least 1, or a TypeError or ValueError that names `what`."""
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be a whole number (an int), not "
                        f"{type(value).__name__}") from None
    if number < 1:
        raise ValueError(f"{what} must be at least 1, got {number}")
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


def _native_module(model, what):
    if isinstance(model, _NativeModule):
        return model._native
    raise TypeError(f"{what} works on micrograd.nn's Neuron, Layer and MLP, not on a "
                    f"{type(model).__name__}")


def save_checkpoint(model, path, *, optimizer=None):
    """Writes the model's parameters to a JSON file (atomically: a crash leaves the old file).

    With optimizer= (an SGD or Adam of model.parameters()), its state too (SGD's velocity, Adam's
    moments and step count, the learning rate), so that a resumed run is the run never stopped.
    """
    _core.nn.save_checkpoint(_native_module(model, "save_checkpoint"), path, optimizer=optimizer)


def load_checkpoint(model, path, *, optimizer=None, check_architecture=True):
    """Reads a checkpoint into the model's parameters (and into optimizer's state, if given); on
    any error neither changes."""
    _core.nn.load_checkpoint(_native_module(model, "load_checkpoint"), path, optimizer=optimizer,
                             check_architecture=check_architecture)
