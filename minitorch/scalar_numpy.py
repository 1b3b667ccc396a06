"""NumPy interoperability: NumPy ufuncs called on Scalars run minitorch's differentiable functions.

``Scalar.__array_ufunc__`` sends here. ``np.exp(x)`` on a Scalar becomes ``x.exp()``; on arrays that
mix Scalars and numbers the same function is applied element by element, with NumPy's
broadcasting, giving an object array of Scalars. Object arrays of Scalars also work with NumPy's
reductions and products (``np.sum``, ``np.mean``, ``np.dot``, ``np.max``), which NumPy computes with
the elements' own ``+``, ``*`` and comparisons. So plain ``import numpy as np`` code differentiates.

A ufunc without a differentiable counterpart here raises ``TypeError`` naming it.

Examples:
    >>> import numpy as np
    >>> from minitorch import Scalar
    >>> x = Scalar(0.5)
    >>> y = np.tanh(x) * np.exp(x)
    >>> y.backward()
    >>> round(x.derivative, 6)   # (1 - tanh^2) e^x + tanh e^x
    2.058535
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from . import scalar_functions as fns
from .checks import innermost

__all__ = ["array_ufunc", "SUPPORTED_UFUNCS"]


def _maximum(a: Any, b: Any) -> Any:
    """The larger argument itself, so the derivative flows to it (to ``a`` on a tie)."""
    return a if innermost(a) >= innermost(b) else b


def _minimum(a: Any, b: Any) -> Any:
    """The smaller argument itself (``a`` on a tie)."""
    return a if innermost(a) <= innermost(b) else b


def _sign(a: Any) -> float:
    """The sign as a constant float (its derivative is 0 wherever it exists)."""
    value = innermost(a)
    return float(np.sign(value))


SUPPORTED_UFUNCS: dict[np.ufunc, Callable[..., Any]] = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.true_divide: operator.truediv,
    np.negative: operator.neg,
    np.positive: operator.pos,
    np.power: operator.pow,
    np.float_power: operator.pow,
    np.square: lambda a: a * a,
    np.reciprocal: lambda a: 1.0 / a,
    np.exp: fns.Exp.apply,
    np.expm1: lambda a: fns.Exp.apply(a) - 1.0,
    np.log: fns.Log.apply,
    np.log1p: lambda a: fns.Log.apply(a + 1.0),
    np.sqrt: fns.Sqrt.apply,
    np.tanh: fns.Tanh.apply,
    np.sin: fns.Sin.apply,
    np.cos: fns.Cos.apply,
    np.absolute: fns.Abs.apply,
    np.maximum: _maximum,
    np.minimum: _minimum,
    np.fmax: _maximum,
    np.fmin: _minimum,
    np.sign: _sign,
    np.less: operator.lt,
    np.greater: operator.gt,
    np.less_equal: operator.le,
    np.greater_equal: operator.ge,
    np.equal: operator.eq,
}


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Evaluate ``ufunc`` on inputs that include Scalars (the body of ``Scalar.__array_ufunc__``).

    Raises:
        TypeError: for a ufunc, a ufunc method or a keyword argument that is not supported.
    """
    name = f"numpy.{ufunc.__name__}"
    # This module sits below scalar.py (Scalar calls it), so it knows Scalars as what the inputs are
    # when they are neither numbers nor arrays.
    lone = len(inputs) == 1 and _is_scalar(inputs[0])
    if method == "reduce" and lone and all(v in (None, False) for v in kwargs.values()):
        return inputs[0]  # reducing a single value (np.sum(x), np.max(x)) gives it back
    if method != "__call__":
        raise TypeError(
            f"{name}.{method} is not supported on minitorch Scalars; call {name}(...) directly or "
            "use an object array of Scalars"
        )
    unsupported = sorted(k for k, v in kwargs.items() if v is not None)
    if unsupported:
        raise TypeError(
            f"{name}: the keyword argument(s) {', '.join(unsupported)} are not supported on "
            "minitorch Scalars; remove them"
        )
    impl = SUPPORTED_UFUNCS.get(ufunc)
    if impl is None:
        names = ", ".join(sorted(u.__name__ for u in SUPPORTED_UFUNCS))
        raise TypeError(
            f"{name} has no differentiable version in minitorch; supported ufuncs: {names}. "
            "Write it from these, or define it with minitorch.primitive and defvjp"
        )
    # NumPy scalars become Python floats: np.float64(2) * x would otherwise call this ufunc again.
    inputs = tuple(float(x) if isinstance(x, (np.floating, np.integer)) else x for x in inputs)
    if all(not isinstance(x, np.ndarray) for x in inputs):
        return impl(*inputs)
    boxed = [np.asarray(x, dtype=object) if _is_scalar(x) else x for x in inputs]
    return np.frompyfunc(impl, len(inputs), 1)(*boxed)


def _is_scalar(x: Any) -> bool:
    """True for a ufunc input that is a Scalar: neither a number nor an array."""
    return not isinstance(x, (numbers.Number, np.ndarray, np.generic))
