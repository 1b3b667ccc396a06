"""Plain-Python pieces that numba compiles into both the CPU (fast_ops) and the GPU (cuda_ops) kernels.

Nothing here imports numba: these are ordinary functions, written with only what numba compiles
(arithmetic, ``math``, loops over ``range``), so each backend compiles them its own way.

- :func:`kernel_function` gives the compilable form of a float function of
  :mod:`minitorch.operators`. ``log``, ``exp``, ``inv`` and their derivatives warn in plain Python
  when they leave their domain; compiled code cannot warn, so their kernel forms return the same IEEE
  values (``log(0) = -inf``, ``log(-1) = nan``, ``inv(0) = inf``) silently.
- :func:`matmul_batch_offsets` turns a batch number of a batched matrix product into the storage
  offsets of the output and of both operands, with NumPy's broadcasting of batch dimensions.

Examples:
    >>> from minitorch import operators
    >>> kernel_function(operators.log)(0.0)
    -inf
    >>> kernel_function(operators.add) is operators.add
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import operators

if TYPE_CHECKING:
    from .tensor_data import Shape, Strides

__all__ = [
    "kernel_log", "kernel_exp", "kernel_inv", "kernel_log_back", "kernel_inv_back",
    "kernel_function", "matmul_batch_offsets",
]


def kernel_log(x: float) -> float:
    """``log(x)``: ``-inf`` at 0 and ``nan`` below, as ``operators.log`` but without a warning."""
    return math.log(x) if x > 0.0 else (-math.inf if x == 0.0 else math.nan)


def kernel_exp(x: float) -> float:
    """``e^x`` (``inf`` on overflow, without a warning)."""
    return math.exp(x)


def kernel_inv(x: float) -> float:
    """``1 / x``, with ``1 / ±0 = ±inf`` (as ``operators.inv``, without a warning)."""
    return 1.0 / x if x != 0.0 else math.copysign(math.inf, x)


def kernel_log_back(x: float, d: float) -> float:
    """``d / x``: the derivative of ``log`` times ``d``."""
    # Written out rather than calling kernel_inv: a kernel can only call compiled functions.
    return d * (1.0 / x if x != 0.0 else math.copysign(math.inf, x))


def kernel_inv_back(x: float, d: float) -> float:
    """``-d / x^2``: the derivative of ``1 / x`` times ``d``."""
    return -d * (1.0 / (x * x) if x != 0.0 else math.inf)


_KERNEL_FORMS: dict[Callable[..., float], Callable[..., float]] = {
    operators.log: kernel_log,
    operators.exp: kernel_exp,
    operators.inv: kernel_inv,
    operators.log_back: kernel_log_back,
    operators.inv_back: kernel_inv_back,
}


def kernel_function(fn: Callable[..., float]) -> Callable[..., float]:
    """The form of ``fn`` that a kernel compiles: a warning-free replacement, or ``fn`` itself."""
    return _KERNEL_FORMS.get(fn, fn)


def matmul_batch_offsets(
    batch: int,
    out_shape: Shape,
    out_strides: Strides,
    a_shape: Shape,
    a_strides: Strides,
    b_shape: Shape,
    b_strides: Strides,
) -> tuple[int, int, int]:
    """Storage offsets ``(out, a, b)`` of matrix number ``batch`` of a batched product.

    ``batch`` counts the output's batch dimensions (all but the last two) in row-major order. The
    operands' batch dimensions are aligned on the right; a missing one, or one of size 1, is
    repeated, so it adds nothing to the offset.

    Examples:
        >>> import numpy as np
        >>> shape = np.array([2, 3, 4, 5]); strides = np.array([60, 20, 5, 1])
        >>> a_shape = np.array([3, 4, 6]); a_strides = np.array([24, 6, 1])
        >>> b_shape = np.array([2, 1, 6, 5]); b_strides = np.array([30, 30, 5, 1])
        >>> matmul_batch_offsets(4, shape, strides, a_shape, a_strides, b_shape, b_strides)
        (80, 24, 30)
    """
    dims = len(out_shape)
    a_extra = dims - len(a_shape)
    b_extra = dims - len(b_shape)
    out_offset, a_offset, b_offset = 0, 0, 0
    remaining = batch
    for d in range(dims - 3, -1, -1):
        position = remaining % out_shape[d]
        remaining //= out_shape[d]
        out_offset += position * out_strides[d]
        if d >= a_extra and a_shape[d - a_extra] > 1:
            a_offset += position * a_strides[d - a_extra]
        if d >= b_extra and b_shape[d - b_extra] > 1:
            b_offset += position * b_strides[d - b_extra]
    return int(out_offset), int(a_offset), int(b_offset)
