"""micrograd.engine: Value, as in karpathy/micrograd's engine.py, on the C++ engine.

    a = Value(-4.0); b = Value(2.0)
    g = (a * b + b**3).relu() / 2.0
    g.backward()
    a.grad, b.grad

Value(data) holds a float; + - * / and ** (with a number exponent) work with ints and floats on
either side, and relu(), tanh(), exp(), log(), sigmoid(), abs() (and abs(v)) make new Values.
backward() fills in every .grad. _prev (the inputs, a set) and _op (the op's name) are there for
drawing code.

Where it differs from micrograd's Value: data and grad are always floats; a - b, a / b and -a are
one node each ('-', '/', 'neg') where micrograd builds them from + and *; calling backward() twice
gives the leaves exactly twice the gradient; graphs of any depth work (no recursion); division by
zero and log of 0 give inf and nan as in IEEE arithmetic, not ZeroDivisionError (with
micrograd.AnomalyGuard() they raise FloatingPointError). A Value has no _backward closure to
replace: its backward step is C++ (v._backward() runs it once).
"""
from micrograd._core import Value

Value.__module__ = __name__

__all__ = ["Value"]
