"""The built-in functions, each a ``ScalarFunction`` with its derivative beside its formula.

Task 1.2 writes their ``forward``, task 1.4 their ``backward``; the base class and ``apply`` are in
:mod:`minitorch.scalar_function` (``ScalarFunction`` is importable from here too, as in the course).

The built-in formulas are written with operations that work on floats and on Scalars alike, so that
the functional API can differentiate a derivative again (``grad(grad(f))``).

Examples:
    >>> from minitorch import Scalar
    >>> x = Scalar(2.0)
    >>> y = Mul.apply(x, Exp.apply(x))
    >>> y.backward()
    >>> round(x.derivative, 6) == round(3.0 * 2.718281828459045 ** 2, 6)   # (1 + x) e^x at x = 2
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import operators
from .autodiff import Context
from .checks import innermost, is_real
from .scalar_function import ScalarFunction

# What the built-in formulas compute with: a float at first order, or, inside a nested trace of the
# functional API, a Scalar of a lower level. Their annotations say ``Value`` where either may appear.
Value = Any

__all__ = [
    "ScalarFunction", "Add", "Mul", "Inv", "Neg", "Log", "Exp", "Sigmoid", "ReLU", "LT", "EQ",
    "Pow", "Tanh", "Sin", "Cos", "Sqrt", "Abs",
]


def _unary(fn: type[ScalarFunction], on_float: Callable[[float], float], x: Any) -> Any:
    """Apply a function to a float with ``on_float``, or record it on a lower-level Scalar."""
    return on_float(x) if is_real(x) else fn.apply(x)


class Add(ScalarFunction):
    """``f(a, b) = a + b``; ``df/da = df/db = 1``."""

    @staticmethod
    def forward(ctx: Context, a: Value, b: Value) -> Value:
        # BEGIN TASK 1.2
        return a + b
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> tuple[Value, Value]:
        # BEGIN TASK 1.4
        return d_output, d_output
        # END TASK 1.4


class Mul(ScalarFunction):
    """``f(a, b) = a * b``; ``df/da = b``, ``df/db = a``."""

    @staticmethod
    def forward(ctx: Context, a: Value, b: Value) -> Value:
        # BEGIN TASK 1.2
        ctx.save_for_backward(a, b)
        return a * b
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> tuple[Value, Value]:
        # BEGIN TASK 1.4
        a, b = ctx.saved_values
        return d_output * b, d_output * a
        # END TASK 1.4


class Inv(ScalarFunction):
    """``f(a) = 1 / a``; ``df/da = -1 / a^2 = -f^2``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        # BEGIN TASK 1.2
        out = _unary(Inv, operators.inv, a)
        ctx.save_for_backward(out)
        return out
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        # BEGIN TASK 1.4
        (out,) = ctx.saved_values
        return -(d_output * out * out)
        # END TASK 1.4


class Neg(ScalarFunction):
    """``f(a) = -a``; ``df/da = -1``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        # BEGIN TASK 1.2
        return -a
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        # BEGIN TASK 1.4
        return -d_output
        # END TASK 1.4


class Log(ScalarFunction):
    """``f(a) = ln a``; ``df/da = 1 / a``. Outside the domain see :func:`minitorch.operators.log`."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        # BEGIN TASK 1.2
        ctx.save_for_backward(a)
        return _unary(Log, operators.log, a)
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        # BEGIN TASK 1.4
        (a,) = ctx.saved_values
        return d_output * _unary(Inv, operators.inv, a)
        # END TASK 1.4


class Exp(ScalarFunction):
    """``f(a) = e^a``; ``df/da = e^a = f``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        # BEGIN TASK 1.2
        out = _unary(Exp, operators.exp, a)
        ctx.save_for_backward(out)
        return out
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        # BEGIN TASK 1.4
        (out,) = ctx.saved_values
        return d_output * out
        # END TASK 1.4


class Sigmoid(ScalarFunction):
    """``f(a) = 1 / (1 + e^-a)``; ``df/da = f (1 - f)``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        # BEGIN TASK 1.2
        out = _unary(Sigmoid, operators.sigmoid, a)
        ctx.save_for_backward(out)
        return out
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        # BEGIN TASK 1.4
        (out,) = ctx.saved_values
        return d_output * out * (1.0 - out)
        # END TASK 1.4


class ReLU(ScalarFunction):
    """``f(a) = max(a, 0)``; ``df/da = 1`` for ``a > 0`` else 0 (0 at the kink, like PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        # BEGIN TASK 1.2
        ctx.save_for_backward(a)
        return _unary(ReLU, operators.relu, a)
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        # BEGIN TASK 1.4
        (a,) = ctx.saved_values
        return d_output if innermost(a) > 0.0 else 0.0
        # END TASK 1.4


class LT(ScalarFunction):
    """``f(a, b) = 1.0 if a < b else 0.0``; the derivative is 0 everywhere it exists."""

    @staticmethod
    def forward(ctx: Context, a: Value, b: Value) -> Value:
        # BEGIN TASK 1.2
        return operators.lt(innermost(a), innermost(b))
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> tuple[Value, Value]:
        # BEGIN TASK 1.4
        return 0.0, 0.0
        # END TASK 1.4


class EQ(ScalarFunction):
    """``f(a, b) = 1.0 if a == b else 0.0``; the derivative is 0 everywhere it exists."""

    @staticmethod
    def forward(ctx: Context, a: Value, b: Value) -> Value:
        # BEGIN TASK 1.2
        return operators.eq(innermost(a), innermost(b))
        # END TASK 1.2

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> tuple[Value, Value]:
        # BEGIN TASK 1.4
        return 0.0, 0.0
        # END TASK 1.4


class Pow(ScalarFunction):
    """``f(a, b) = a ** b``; ``df/da = b a^(b-1)``, ``df/db = a^b ln a``.

    The exponent's derivative is computed only when the exponent is a variable, so a constant
    exponent never takes the log of a negative base: ``(-3.0 + x) ** 2`` is ordinary code. A negative
    base with a non-integer exponent gives ``nan`` with a warning (see :func:`operators.pow`).
    """

    @staticmethod
    def forward(ctx: Context, a: Value, b: Value) -> Value:
        if not (is_real(a) and is_real(b)):
            out: Any = Pow.apply(a, b)
        else:
            out = operators.pow(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> tuple[Value, Value]:
        a, b, out = ctx.saved_values
        # b * a^(b-1) is 0 when b is 0, even at a = 0 where a^(b-1) is inf.
        da = d_output * b * _pow(a, b - 1.0) if innermost(b) != 0.0 else 0.0
        if not ctx.needs_grad(1):
            return da, 0.0
        base = innermost(a)
        if base > 0.0:
            return da, d_output * out * _unary(Log, operators.log, a)
        # d/db a^b at a = 0 is 0 for b > 0; for a < 0 a real derivative does not exist.
        return da, (0.0 if base == 0.0 else operators.log(base))


def _pow(a: Any, b: Any) -> Any:
    if not (is_real(a) and is_real(b)):
        return Pow.apply(a, b)
    return operators.pow(a, b)


class Tanh(ScalarFunction):
    """``f(a) = tanh a``; ``df/da = 1 - f^2``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        out = _unary(Tanh, operators.tanh, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        (out,) = ctx.saved_values
        return d_output * (1.0 - out * out)


class Sin(ScalarFunction):
    """``f(a) = sin a``; ``df/da = cos a``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        ctx.save_for_backward(a)
        return _unary(Sin, operators.sin, a)

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        (a,) = ctx.saved_values
        return d_output * _unary(Cos, operators.cos, a)


class Cos(ScalarFunction):
    """``f(a) = cos a``; ``df/da = -sin a``."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        ctx.save_for_backward(a)
        return _unary(Cos, operators.cos, a)

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        (a,) = ctx.saved_values
        return -(d_output * _unary(Sin, operators.sin, a))


class Sqrt(ScalarFunction):
    """``f(a) = sqrt a``; ``df/da = 1 / (2 f)`` (``inf`` at 0). Below 0 see :func:`operators.sqrt`."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        out = _unary(Sqrt, operators.sqrt, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        (out,) = ctx.saved_values
        return d_output * 0.5 * _unary(Inv, operators.inv, out)


class Abs(ScalarFunction):
    """``f(a) = |a|``; ``df/da = sign(a)``, taking 0 at ``a = 0`` (like PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Value) -> Value:
        ctx.save_for_backward(a)
        return _unary(Abs, operators.abs, a)

    @staticmethod
    def backward(ctx: Context, d_output: Value) -> Value:
        (a,) = ctx.saved_values
        value = innermost(a)
        if value > 0.0:
            return d_output
        return -d_output if value < 0.0 else 0.0
