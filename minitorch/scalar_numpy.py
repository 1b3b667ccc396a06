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

from . import operators
from . import scalar_functions as fns
from .autodiff import Context
from .checks import innermost, is_real
from .scalar_function import ScalarFunction

__all__ = ["array_ufunc", "SUPPORTED_UFUNCS", "Div", "Log1p", "Expm1"]


# The four comparisons return one of their arguments itself, so the derivative flows to it. On a
# tie they return what NumPy's scalar ufunc returns (``b`` for maximum/minimum, ``a`` for
# fmax/fmin), which decides the sign of a zero: ``np.maximum(-0.0, 0.0)`` is ``0.0``. PyTorch splits
# the derivative of a tie evenly; here it goes to the returned argument.


def _is_nan(x: Any) -> bool:
    value = innermost(x)
    return value != value


def _maximum(a: Any, b: Any) -> Any:
    """The larger argument itself; NaN if either is NaN (``np.maximum``)."""
    if _is_nan(a):
        return a
    if _is_nan(b):
        return b
    return a if innermost(a) > innermost(b) else b


def _minimum(a: Any, b: Any) -> Any:
    """The smaller argument itself; NaN if either is NaN (``np.minimum``)."""
    if _is_nan(a):
        return a
    if _is_nan(b):
        return b
    return a if innermost(a) < innermost(b) else b


def _fmax(a: Any, b: Any) -> Any:
    """The larger argument itself, ignoring a NaN unless both are (``np.fmax``)."""
    if _is_nan(b):
        return a
    if _is_nan(a):
        return b
    return a if innermost(a) >= innermost(b) else b


def _fmin(a: Any, b: Any) -> Any:
    """The smaller argument itself, ignoring a NaN unless both are (``np.fmin``)."""
    if _is_nan(b):
        return a
    if _is_nan(a):
        return b
    return a if innermost(a) <= innermost(b) else b


def _inv(x: Any) -> Any:
    return operators.inv(x) if is_real(x) else fns.Inv.apply(x)


def _exp(x: Any) -> Any:
    return operators.exp(x) if is_real(x) else fns.Exp.apply(x)


class Log1p(ScalarFunction):
    """``f(a) = ln(1 + a)`` computed with ``math.log1p`` (exact for tiny ``a``); ``df/da = 1 / (1 + a)``."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return operators.log1p(a) if is_real(a) else Log1p.apply(a)

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        (a,) = ctx.saved_values
        return d_output * _inv(1.0 + a)


class Expm1(ScalarFunction):
    """``f(a) = e^a - 1`` computed with ``math.expm1`` (exact for tiny ``a``); ``df/da = e^a``."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return operators.expm1(a) if is_real(a) else Expm1.apply(a)

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        (a,) = ctx.saved_values
        return d_output * _exp(a)


def _div(a: Any, b: Any) -> Any:
    if is_real(a) and is_real(b):
        return operators.div(a, b)
    return Div.apply(a, b)


class Div(ScalarFunction):
    """``f(a, b) = a / b``, rounded once as NumPy does; ``df/da = 1 / b``, ``df/db = -f / b``."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = _div(a, b)
        ctx.save_for_backward(b, out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> tuple[Any, Any]:
        b, out = ctx.saved_values
        return _div(d_output, b), -_div(d_output * out, b)


def _less_equal(a: Any, b: Any) -> Any:
    """``a <= b`` as 1.0 or 0.0: (a < b) + (a == b), so a NaN gives 0.0 as in NumPy."""
    return fns.LT.apply(a, b) + fns.EQ.apply(a, b)


def _greater_equal(a: Any, b: Any) -> Any:
    """``a >= b`` as 1.0 or 0.0 (0.0 with a NaN)."""
    return fns.LT.apply(b, a) + fns.EQ.apply(a, b)


def _positive(a: Any) -> Any:
    """``+a`` is ``a`` itself (Scalar has no unary plus)."""
    return a


def _sign(a: Any) -> float:
    """The sign as a constant float (its derivative is 0 wherever it exists)."""
    value = innermost(a)
    return float(np.sign(value))


SUPPORTED_UFUNCS: dict[np.ufunc, Callable[..., Any]] = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.true_divide: Div.apply,
    np.negative: operator.neg,
    np.positive: _positive,
    np.power: operator.pow,
    np.float_power: operator.pow,
    np.square: lambda a: a * a,
    np.reciprocal: lambda a: 1.0 / a,
    np.exp: fns.Exp.apply,
    np.expm1: Expm1.apply,
    np.log: fns.Log.apply,
    np.log1p: Log1p.apply,
    np.sqrt: fns.Sqrt.apply,
    np.tanh: fns.Tanh.apply,
    np.sin: fns.Sin.apply,
    np.cos: fns.Cos.apply,
    np.absolute: fns.Abs.apply,
    np.maximum: _maximum,
    np.minimum: _minimum,
    np.fmax: _fmax,
    np.fmin: _fmin,
    np.sign: _sign,
    np.less: operator.lt,
    np.greater: operator.gt,
    np.less_equal: _less_equal,
    np.greater_equal: _greater_equal,
    np.equal: operator.eq,
}


def _defers_to(x: Any) -> bool:
    """True for an operand of another type that implements NumPy's ufunc protocol itself."""
    own = getattr(type(x), "__array_ufunc__", None)
    scalar = fns.ScalarFunction.value_type  # the Scalar class (this module sits below scalar.py)
    return own is not None and not isinstance(x, (np.ndarray, scalar))


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Evaluate ``ufunc`` on inputs that include Scalars (the body of ``Scalar.__array_ufunc__``).

    Raises:
        TypeError: for a ufunc, a ufunc method or a keyword argument that is not supported.
    """
    name = f"numpy.{ufunc.__name__}"
    if any(_defers_to(x) for x in inputs):
        return NotImplemented  # NumPy then asks that operand (a traced array of the functional API)
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
