"""micrograd on micrograd.cpp's C++ engine.

karpathy/micrograd's API, so that micrograd's code runs unchanged with only the import path
pointing here:

    from micrograd.engine import Value
    from micrograd.nn import Neuron, Layer, MLP, Module

Every op runs in C++ (micrograd.cpp's engine, built from solutions/). Beyond micrograd:
micrograd.nn also has losses, optimizers, schedules, checkpoints, train/eval modes, Dropout and
BatchNorm1d; micrograd.viz draws graphs; and here:

    no_grad / NoGradGuard   with no_grad(): ops build no graph (evaluation)
    AnomalyGuard            with AnomalyGuard(): the first NaN or infinity raises
    TapeGuard               with TapeGuard(): a step's graph on a tape, backward in one sweep
    gradcheck(f, point)     backward() against central differences
    graph_stats(root)       node count, ops, depth and memory of a graph
    sum(values), dot(w, x, bias=0), softplus(x)
                            ops with many inputs as one node each, and log(1 + e^x)
    manual_seed(seed)       the C++ generator (init='kaiming_uniform', ...); micrograd's own
                            init draws from Python's `random`, as micrograd does
"""
import sys as _sys

try:
    from micrograd import _core
except ImportError as _error:  # built for another interpreter, or not built
    raise ImportError(
        f"micrograd's C++ engine (micrograd/_core*.so next to {__file__}) could not be loaded "
        f"in Python {_sys.version_info.major}.{_sys.version_info.minor} ({_sys.executable}): "
        f"{_error}. It is built for the interpreter CMake chose (Debian's /usr/bin/python3 when "
        f"it exists); build it for this one with cmake -DPython_EXECUTABLE={_sys.executable}."
    ) from _error

from micrograd._core import (AnomalyGuard, NoGradGuard, TapeGuard, dot, gradcheck, graph_stats,
                             is_anomaly_enabled, is_grad_enabled, is_tape_active, softplus, sum)
from micrograd._core.nn import manual_seed
from micrograd.engine import Value

__version__ = _core.__version__
no_grad = NoGradGuard  # torch's spelling

__all__ = ["Value", "no_grad", "NoGradGuard", "AnomalyGuard", "TapeGuard", "gradcheck",
           "graph_stats", "is_grad_enabled", "is_anomaly_enabled", "is_tape_active", "manual_seed",
           "dot", "softplus"]  # not sum: `from micrograd import *` must leave Python's sum alone
