"""Scalar's operators with ``apply`` bound once: what the speed layer puts on the Scalar class.

``x * y`` runs ``Scalar.__mul__``, which in the reference engine calls ``Mul.apply(x, y)``: looking
``apply`` up on the class makes a new bound method at every call, a measurable share of an
operation's cost. These functions call methods bound once, here.
"""

from __future__ import annotations

from types import MethodType
from typing import Any

from ..scalar_functions import Add, Exp, Inv, Log, Mul, Neg, ReLU, Sigmoid, Tanh
from .packed import fast_apply

__all__ = ["OPERATORS"]

_add = MethodType(fast_apply, Add)
_mul = MethodType(fast_apply, Mul)
_neg = MethodType(fast_apply, Neg)
_inv = MethodType(fast_apply, Inv)
_relu = MethodType(fast_apply, ReLU)
_exp = MethodType(fast_apply, Exp)
_log = MethodType(fast_apply, Log)
_sigmoid = MethodType(fast_apply, Sigmoid)
_tanh = MethodType(fast_apply, Tanh)


def add(self: Any, b: Any) -> Any:
    """``Scalar.__add__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _add(self, b)


def radd(self: Any, b: Any) -> Any:
    """``Scalar.__radd__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _add(b, self)


def sub(self: Any, b: Any) -> Any:
    """``Scalar.__sub__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _add(self, -b if type(b) is float else _neg(b))


def rsub(self: Any, b: Any) -> Any:
    """``Scalar.__rsub__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _add(b, _neg(self))


def mul(self: Any, b: Any) -> Any:
    """``Scalar.__mul__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _mul(self, b)


def rmul(self: Any, b: Any) -> Any:
    """``Scalar.__rmul__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _mul(b, self)


def truediv(self: Any, b: Any) -> Any:
    """``Scalar.__truediv__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _mul(self, _inv(b))


def rtruediv(self: Any, b: Any) -> Any:
    """``Scalar.__rtruediv__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _mul(b, _inv(self))


def neg(self: Any) -> Any:
    """``Scalar.__neg__`` with ``apply`` bound once (the same graph as the reference one)."""
    return _neg(self)


def relu(self: Any) -> Any:
    """``Scalar.relu`` with ``apply`` bound once (the same graph as the reference one)."""
    return _relu(self)


def exp(self: Any) -> Any:
    """``Scalar.exp`` with ``apply`` bound once (the same graph as the reference one)."""
    return _exp(self)


def log(self: Any) -> Any:
    """``Scalar.log`` with ``apply`` bound once (the same graph as the reference one)."""
    return _log(self)


def sigmoid(self: Any) -> Any:
    """``Scalar.sigmoid`` with ``apply`` bound once (the same graph as the reference one)."""
    return _sigmoid(self)


def tanh(self: Any) -> Any:
    """``Scalar.tanh`` with ``apply`` bound once (the same graph as the reference one)."""
    return _tanh(self)


OPERATORS = {
    "__add__": add, "__radd__": radd, "__sub__": sub, "__rsub__": rsub, "__mul__": mul,
    "__rmul__": rmul, "__truediv__": truediv, "__rtruediv__": rtruediv, "__neg__": neg,
    "relu": relu, "exp": exp, "log": log, "sigmoid": sigmoid, "tanh": tanh,
}
"""Scalar method name -> its faster version (same graph, same results)."""
