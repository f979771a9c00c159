"""DataParallel and checkpoints for micrograd.nn's modules (imported into micrograd.nn: use them
from there). Each hands a module's C++ side to the C++ library: micrograd's own modules as they
are, a module written in Python as its named blocks of parameters."""
from micrograd import _core
from micrograd.nn import Module, _NativeModule


class DataParallel:
    """A minibatch's samples computed on several threads (threads=0: one per core), with the
    numbers one thread would give, to the last bit, and the GIL released while they work.

        parallel = DataParallel(net)
        optimizer.zero_grad()
        losses, predictions = parallel.accumulate_gradients(images, labels, loss="cross_entropy",
                                                            input_shape=[1, 28, 28])
        optimizer.step()        # net's parameters hold the batch's summed gradient

    inputs: Tensors, or rows of numbers in input_shape; targets: a class index per sample
    (loss='cross_entropy'), or the outputs wanted ('mse', 'hinge',
    'binary_cross_entropy_with_logits'). Returns each sample's loss and its argmax output.
    first_stream: the random stream of the batch's first sample (Dropout's masks; the C++
    demo passes 1 + the sample's position in the run). The model must be made of micrograd's
    modules (a Sequential of them, an MLP, ...): each thread works on a C++ replica of it.
    """

    def __init__(self, model, threads=0):
        self._model = model
        self._native = _core.nn.DataParallel(_native_module(model, "DataParallel"), threads)

    def accumulate_gradients(self, inputs, targets, loss="cross_entropy", *, input_shape=None,
                             first_stream=0):
        return self._native.accumulate_gradients(inputs, targets, loss, input_shape, first_stream)

    def predict(self, inputs, *, input_shape=None):
        """Each input's argmax output, computed on the threads without building graphs."""
        return self._native.predict(inputs, input_shape)

    thread_count = property(lambda self: self._native.thread_count)
    uses_tape = property(lambda self: self._native.uses_tape,
                         lambda self, on: setattr(self._native, "uses_tape", bool(on)))


def _native_module(model, what):
    """The C++ module behind model: micrograd's own, or a module written in Python as its named
    blocks of parameters (so checkpoints work on any Module)."""
    if isinstance(model, _NativeModule):
        return model._native
    if isinstance(model, Module) and what != "DataParallel":
        def blocks(named):
            return [(name, list(tensor.shape), tensor.values) for name, tensor in named]
        return _core.nn.ListedModule(model.describe(), blocks(model.named_parameters()),
                                     blocks(model.named_buffers()))
    raise TypeError(f"{what} works on a micrograd.nn Module, not on a {type(model).__name__}")


def save_checkpoint(model, path, *, optimizer=None):
    """Writes the model's parameters to a JSON file (atomically: a crash leaves the old file).
    Any Module: micrograd's, or one written in Python (its named_parameters(): see Module).

    With optimizer= (an SGD or Adam of model.parameters()), its state too (SGD's velocity, Adam's
    moments and step count, the learning rate), so that a resumed run is the run never stopped.
    """
    _core.nn.save_checkpoint(_native_module(model, "save_checkpoint"), path, optimizer=optimizer)


def load_checkpoint(model, path, *, optimizer=None, check_architecture=True):
    """Reads a checkpoint into the model's parameters (and into optimizer's state, if given); on
    any error neither changes."""
    _core.nn.load_checkpoint(_native_module(model, "load_checkpoint"), path, optimizer=optimizer,
                             check_architecture=check_architecture)
