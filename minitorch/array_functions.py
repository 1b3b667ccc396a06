"""Elementwise array functions of the NumPy interop: arithmetic, ``exp log tanh sin ...``, ``where``.

Each is an :class:`~minitorch.array_trace.ArrayFunction`: a stateless class whose static
``forward`` computes with NumPy and whose static ``backward`` returns one gradient per input,
written with NumPy operations too (``g * out``, ``g / a``), so that it runs on plain arrays and,
when a derivative is differentiated again, on traced arrays of a lower level. Branch decisions
(``abs``, ``maximum``, ``relu``) look at the plain numbers underneath, like the Scalars' ones.
Gradients of broadcast inputs are summed back to the input's shape by the engine
(:func:`~minitorch.array_trace.sum_to_shape`), so ``backward`` may return the broadcast shape.

The course's tensor functions (`minitorch.tensor_functions`) stay as they are: they compute
with a backend on tensor storage. These compute with NumPy on values that may be traced.

Examples:
    >>> import numpy as np
    >>> from minitorch import grad
    >>> grad(lambda x: np.sum(np.log1p(x * x)))(np.array([1.0, 2.0]))
    array([1. , 0.8])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .array_trace import ArrayFunction, innermost_array
from .autodiff import Context

__all__ = [
    "Add", "Sub", "Mul", "Div", "Neg", "Pow", "Exp", "Log", "Log1p", "Expm1", "Tanh", "Sin", "Cos",
    "Sqrt", "Abs", "Sigmoid", "ReLU", "Where",
]


class Add(ArrayFunction):
    """``a + b``; each input receives the gradient."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any]:
        return g, g


class Sub(ArrayFunction):
    """``a - b``; gradients ``g`` and ``-g``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any]:
        return g, -g


class Mul(ArrayFunction):
    """``a * b``; gradients ``g b`` and ``g a``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_values
        return g * b, g * a


class Div(ArrayFunction):
    """``a / b``; gradients ``g / b`` and ``-g (a / b) / b``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = a / b
        ctx.save_for_backward(b, out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any]:
        b, out = ctx.saved_values
        g_a = g / b
        return g_a, -g_a * out


class Neg(ArrayFunction):
    """``-a``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return -g


class Pow(ArrayFunction):
    """``a ** b``; gradients ``g b a^(b-1)`` and ``g a^b log(a)``.

    The exponent's gradient is computed only when the exponent is a variable, so a constant power
    of a negative base (``(1 - x) ** 2``) never takes the logarithm of a negative number; where
    ``a <= 0`` it is taken as 0 (the limit of ``a^b log a`` at 0 for ``b > 0``).
    """

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = a**b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any]:
        a, b, out = ctx.saved_values
        g_a = g * b * a ** (b - 1.0) if ctx.needs_grad(0) else None
        g_b = None
        if ctx.needs_grad(1):
            positive = innermost_array(a) > 0
            g_b = g * np.where(positive, out, 0.0) * np.log(np.where(positive, a, 1.0))
        return g_a, g_b


class Exp(ArrayFunction):
    """``e^a``; gradient ``g e^a``, the output itself."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (out,) = ctx.saved_values
        return g * out


class Expm1(ArrayFunction):
    """``e^a - 1``, accurate near 0; gradient ``g (out + 1)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (out,) = ctx.saved_values
        return g * (out + 1.0)


class Log(ArrayFunction):
    """``log(a)``; gradient ``g / a``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (a,) = ctx.saved_values
        return g / a


class Log1p(ArrayFunction):
    """``log(1 + a)``, accurate near 0; gradient ``g / (1 + a)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (a,) = ctx.saved_values
        return g / (a + 1.0)


class Tanh(ArrayFunction):
    """``tanh(a)``; gradient ``g (1 - out^2)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (out,) = ctx.saved_values
        return g * (1.0 - out * out)


class Sin(ArrayFunction):
    """``sin(a)``; gradient ``g cos(a)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (a,) = ctx.saved_values
        return g * np.cos(a)


class Cos(ArrayFunction):
    """``cos(a)``; gradient ``-g sin(a)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (a,) = ctx.saved_values
        return -g * np.sin(a)


class Sqrt(ArrayFunction):
    """``sqrt(a)``; gradient ``g / (2 out)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (out,) = ctx.saved_values
        return g * 0.5 / out


class Abs(ArrayFunction):
    """``|a|``; gradient ``g sign(a)`` (0 at 0, PyTorch's and autograd's choice)."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(np.sign(innermost_array(a)))
        return np.abs(a)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (sign,) = ctx.saved_values
        return g * sign


class Sigmoid(ArrayFunction):
    """``1 / (1 + e^-a)``, computed stably; gradient ``g s (1 - s)``."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = 0.5 * np.tanh(0.5 * a) + 0.5  # = sigmoid(a), with no overflow for large |a|
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (s,) = ctx.saved_values
        return g * (s - s * s)


class ReLU(ArrayFunction):
    """``max(a, 0)``; gradient ``g`` where ``a > 0``, else 0."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        positive = innermost_array(a) > 0
        ctx.save_for_backward(positive)
        return np.where(positive, a, 0.0)

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        (positive,) = ctx.saved_values
        return g * positive


class Where(ArrayFunction):
    """``np.where(condition, a, b)`` for a constant boolean ``condition``; the gradient goes to
    ``a`` where the condition holds and to ``b`` elsewhere."""

    elementwise = True

    @staticmethod
    def forward(ctx: Context, condition: Any, a: Any, b: Any) -> Any:
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any, Any]:
        (condition,) = ctx.saved_values
        return None, np.where(condition, g, 0.0), np.where(condition, 0.0, g)
