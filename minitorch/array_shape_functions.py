"""Array functions of the NumPy interop that change shapes: reductions, products, indexing.

``Sum``, ``Max`` (and min), ``Prod`` along axes, ``MatMul``, ``Reshape``, ``Transpose``,
``BroadcastTo``, ``Getitem`` and its adjoint ``ScatterAdd``, ``Concatenate``, ``Stack``. They follow
NumPy's semantics (a reduction drops its axes unless ``keepdims``), and, like the elementwise ones
(:mod:`minitorch.array_functions`), their ``backward`` uses only operations that also run on traced
arrays of a lower level, so they can be differentiated again. Non-array arguments (axes, shapes,
indices) are constant inputs; their gradient is ``None``.

Examples:
    >>> import numpy as np
    >>> from minitorch import grad
    >>> grad(lambda x: np.sum(np.max(x, axis=1)))(np.array([[1.0, 3.0], [4.0, 2.0]]))
    array([[0., 1.],
           [1., 0.]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .array_trace import ArrayFunction, innermost_array, is_traced, sum_to_shape
from .autodiff import Context

__all__ = [
    "Sum", "Max", "Prod", "MatMul", "Reshape", "Transpose", "BroadcastTo", "Getitem", "ScatterAdd",
    "Concatenate", "Stack", "normalise_axes",
]

Axis = int | tuple[int, ...] | None


def normalise_axes(axis: Axis, ndim: int, who: str) -> tuple[int, ...]:
    """``axis`` (``None``, an int or a tuple, negatives counting from the end) as sorted ints.

    Raises:
        ValueError: naming ``who`` when an axis is out of range.
    """
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= int(a) < ndim:
            raise ValueError(f"{who}: axis {a} is out of bounds for an array of {ndim} dimension(s)")
        out.append(int(a) % ndim)
    return tuple(sorted(out))


def _kept_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _dropped_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(s for i, s in enumerate(shape) if i not in axes)


class Sum(ArrayFunction):
    """``np.sum(a, axis, keepdims)``; the gradient is ``g`` broadcast back over the summed axes."""

    @staticmethod
    def forward(ctx: Context, a: Any, axis: Axis, keepdims: bool) -> Any:
        ctx.save_for_backward(a.shape, normalise_axes(axis, len(a.shape), "sum"))
        return np.sum(a, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None, None]:
        shape, axes = ctx.saved_values
        return np.broadcast_to(np.reshape(g, _kept_shape(shape, axes)), shape), None, None


class Max(ArrayFunction):
    """``np.max`` (or, with ``smallest``, ``np.min``) along axes; the gradient is shared equally by
    the elements that reach the extreme (autograd's convention)."""

    @staticmethod
    def forward(ctx: Context, a: Any, axis: Axis, keepdims: bool, smallest: bool) -> Any:
        axes = normalise_axes(axis, len(a.shape), "min" if smallest else "max")
        reduce = np.min if smallest else np.max
        kept = reduce(a, axis=axes, keepdims=True)
        plain = innermost_array(a)
        hits = (plain == innermost_array(kept)).astype(np.float64)
        ctx.save_for_backward(hits / np.sum(hits, axis=axes, keepdims=True), a.shape, axes)
        return kept if keepdims else np.reshape(kept, _dropped_shape(a.shape, axes))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None, None, None]:
        share, shape, axes = ctx.saved_values
        return np.reshape(g, _kept_shape(shape, axes)) * share, None, None, None


class Prod(ArrayFunction):
    """``np.prod`` along axes; gradient ``g prod / a`` (undefined where an element is 0)."""

    @staticmethod
    def forward(ctx: Context, a: Any, axis: Axis, keepdims: bool) -> Any:
        axes = normalise_axes(axis, len(a.shape), "prod")
        kept = np.prod(a, axis=axes, keepdims=True)
        ctx.save_for_backward(a, kept, axes)
        return kept if keepdims else np.reshape(kept, _dropped_shape(a.shape, axes))

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None, None]:
        a, kept, _ = ctx.saved_values
        return np.reshape(g, kept.shape) * kept / a, None, None


class MatMul(ArrayFunction):
    """``a @ b`` for operands of two or more dimensions (batch dimensions broadcast); gradients
    ``g @ b^T`` and ``a^T @ g``, summed over broadcast batch dimensions by the engine."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_values
        g_a = np.matmul(g, np.swapaxes(b, -1, -2)) if ctx.needs_grad(0) else None
        g_b = np.matmul(np.swapaxes(a, -1, -2), g) if ctx.needs_grad(1) else None
        return g_a, g_b


class Reshape(ArrayFunction):
    """``np.reshape(a, shape)``; the gradient is reshaped back."""

    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple[int, ...]) -> Any:
        ctx.save_for_backward(a.shape)
        return np.reshape(a, shape)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None]:
        (shape,) = ctx.saved_values
        return np.reshape(g, shape), None


class Transpose(ArrayFunction):
    """``np.transpose(a, axes)``; the gradient is transposed by the inverse permutation."""

    @staticmethod
    def forward(ctx: Context, a: Any, axes: Sequence[int] | None) -> Any:
        dims = len(a.shape)
        order = tuple(reversed(range(dims))) if axes is None else tuple(int(k) % dims for k in axes)
        ctx.save_for_backward(tuple(np.argsort(order)))
        return np.transpose(a, order)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None]:
        (inverse,) = ctx.saved_values
        return np.transpose(g, inverse), None


class BroadcastTo(ArrayFunction):
    """``np.broadcast_to(a, shape)`` (a read-only view); the gradient is summed back."""

    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple[int, ...]) -> Any:
        ctx.save_for_backward(np.shape(a) if not is_traced(a) else a.shape)
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None]:
        (shape,) = ctx.saved_values
        return sum_to_shape(g, shape), None


class Getitem(ArrayFunction):
    """``a[key]`` with NumPy's basic and integer-array indexing; the gradient is scattered back
    (added, so repeated indices accumulate)."""

    @staticmethod
    def forward(ctx: Context, a: Any, key: Any) -> Any:
        ctx.save_for_backward(a.shape, key)
        return a[key]

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, None]:
        shape, key = ctx.saved_values
        return ScatterAdd.apply(g, key, shape), None


def _is_basic(key: Any) -> bool:
    """True for an index of ints, slices, ``None`` and ``...`` only (no element is hit twice)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


class ScatterAdd(ArrayFunction):
    """Zeros of ``shape`` with ``g`` added at ``key``: the adjoint of ``Getitem``."""

    @staticmethod
    def forward(ctx: Context, g: Any, key: Any, shape: tuple[int, ...]) -> Any:
        if is_traced(g):  # a lower trace records the same scatter
            return ScatterAdd.apply(g, key, shape)
        ctx.save_for_backward(key)
        out = np.zeros(shape)
        if _is_basic(key):
            out[key] = g
        else:
            np.add.at(out, key, g)
        return out

    @staticmethod
    def backward(ctx: Context, gg: Any) -> tuple[Any, None, None]:
        (key,) = ctx.saved_values
        return gg[key], None, None


class Concatenate(ArrayFunction):
    """``np.concatenate(arrays, axis)`` (``axis`` first here); the gradient is cut into pieces."""

    @staticmethod
    def forward(ctx: Context, axis: int, *arrays: Any) -> Any:
        out = np.concatenate(arrays, axis=axis)
        shapes = [a.shape if is_traced(a) else np.shape(a) for a in arrays]
        ctx.save_for_backward(axis % len(out.shape), shapes)
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, ...]:
        axis, shapes = ctx.saved_values
        pieces: list[Any] = [None]
        start = 0
        for shape in shapes:
            key = (slice(None),) * axis + (slice(start, start + shape[axis]),)
            pieces.append(g[key])
            start += shape[axis]
        return tuple(pieces)


class Stack(ArrayFunction):
    """``np.stack(arrays, axis)`` (``axis`` first here); piece ``i`` gets the gradient's slice ``i``."""

    @staticmethod
    def forward(ctx: Context, axis: int, *arrays: Any) -> Any:
        out = np.stack(arrays, axis=axis)
        ctx.save_for_backward(axis % len(out.shape), len(arrays))
        return out

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, ...]:
        axis, count = ctx.saved_values
        return (None, *(g[(slice(None),) * axis + (i,)] for i in range(count)))
