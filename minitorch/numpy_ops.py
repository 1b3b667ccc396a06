"""The default tensor backend: the same ``map``/``zip``/``reduce`` as :class:`SimpleOps`, vectorised.

Each tensor is read as a NumPy array that shares its storage (strides included, so a permuted tensor
is not copied), the operation runs as one NumPy call, and matrix products go to BLAS through
:func:`numpy.matmul`. The float functions of :mod:`minitorch.operators` are matched to NumPy
functions that give the same numbers, IEEE edge cases included (``relu(nan)`` is NaN as in
``operators.relu``, NumPy and PyTorch; the sigmoid overflows to the exact tail). A function
without a NumPy counterpart falls back to :class:`~minitorch.tensor_ops.SimpleOps`' loops: slower,
still correct.

Examples:
    >>> from minitorch import tensor
    >>> a = tensor([[1.0, 2.0], [3.0, 4.0]], backend=NumpyBackend)
    >>> (a @ a).to_numpy().tolist()
    [[7.0, 10.0], [15.0, 22.0]]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from . import operators
from .tensor_data import TensorData
from .tensor_ops import (
    MapProto,
    SimpleOps,
    Tensor,
    TensorBackend,
    TensorOps,
    broadcast_shape_for,
    check_dim,
    check_function,
    check_out_shape,
    check_start,
    check_tensor,
    matmul_shape,
    sigmoid_back_from_output,
)

__all__ = ["NumpyOps", "NumpyBackend", "stable_sigmoid"]

Array = npt.NDArray[np.float64]


def stable_sigmoid(x: Array) -> Array:
    """Elementwise ``1 / (1 + e^-x)``, in four in-place passes over one new array.

    Where ``x < -708`` the exponential overflows (its warning is silenced: it is expected), so
    those entries are recomputed as ``e^x``, which equals ``e^x / (1 + e^x)`` to double precision
    there; the result is then the same as :func:`minitorch.operators.sigmoid`'s, subnormals
    included. ``nan`` gives ``nan``.
    """
    out: Array = np.negative(x)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
    # One read-only pass (no mask array) in the common case where nothing is that low.
    if x.size and not x.min() >= -708.0:
        low = x < -708.0
        out[low] = np.exp(x[low])
    return out


def _relu(x: Array) -> Array:
    # As operators.relu: 0.0 where x <= 0 (-0.0 included: np.maximum gives its second argument
    # when the two are equal), x elsewhere (a NaN stays NaN). One fast pass: np.where on a mask of
    # random signs takes about ten times as long.
    out: Array = np.maximum(x, 0.0)
    return out


def _copy(x: Array) -> Array:
    return np.array(x, dtype=np.float64)


def _lt(x: Array, y: Array) -> Array:
    out: Array = (x < y).astype(np.float64)
    return out


def _eq(x: Array, y: Array) -> Array:
    out: Array = (x == y).astype(np.float64)
    return out


def _is_close(x: Array, y: Array) -> Array:
    out: Array = (np.abs(x - y) < 1e-2).astype(np.float64)
    return out


def _relu_back(x: Array, d: Array) -> Array:
    # As operators.relu_back: 0 where x <= 0, d elsewhere (NaN included, as PyTorch). A product
    # with the 0/1 mask is several times faster than np.where; it differs only where d is inf or
    # nan at x <= 0 (inf * 0 = nan). Any NaN in the product makes its sum NaN (a sum without a
    # temporary array), and then np.where redoes it: rare, and exact either way.
    keep = np.less_equal(x, 0.0)
    np.logical_not(keep, out=keep)
    with np.errstate(invalid="ignore", over="ignore"):
        out: Array = d * keep
        if np.isnan(np.add.reduce(out, axis=None)):
            out = np.where(keep, d, 0.0)
    return out


def _sigmoid_back(s: Array, d: Array) -> Array:
    """``d * s * (1 - s)`` in three passes over one new array."""
    out: Array = np.subtract(1.0, s)
    out *= s
    if np.broadcast_shapes(out.shape, d.shape) == out.shape:
        out *= d
        return out
    product: Array = out * d
    return product


def _log_back(x: Array, d: Array) -> Array:
    return d / x


def _inv_back(x: Array, d: Array) -> Array:
    return -d / (x * x)


# The NumPy counterpart of each float function of ``operators`` that the backends use.
_MAPS: dict[Callable[[float], float], Callable[[Array], Array]] = {
    operators.neg: np.negative,
    operators.id: _copy,
    operators.sigmoid: stable_sigmoid,
    operators.relu: _relu,
    operators.log: np.log,
    operators.exp: np.exp,
    operators.inv: np.reciprocal,
}
_ZIPS: dict[Callable[[float, float], float], Callable[[Array, Array], Array]] = {
    operators.add: np.add,
    operators.mul: np.multiply,
    operators.lt: _lt,
    operators.eq: _eq,
    operators.is_close: _is_close,
    operators.relu_back: _relu_back,
    operators.log_back: _log_back,
    operators.inv_back: _inv_back,
    sigmoid_back_from_output: _sigmoid_back,
}
_REDUCES: dict[Callable[[float, float], float], Callable[..., Array]] = {
    operators.add: np.add.reduce,
    operators.mul: np.multiply.reduce,
    operators.max: np.maximum.reduce,
}


def _wrap(result: Array, like: Tensor) -> Tensor:
    """A new tensor (``like``'s class and backend) owning ``result``'s numbers, row-major."""
    if type(result) is np.ndarray and result.dtype == np.float64 and result.flags.c_contiguous:
        return like._new(TensorData.row_major(result.reshape(-1), result.shape))  # common, no copy
    flat = np.ascontiguousarray(result, dtype=np.float64).reshape(-1)
    return like._new(TensorData(flat, tuple(int(s) for s in np.shape(result))))


class NumpyOps(TensorOps):
    """Vectorised ``map``/``zip``/``reduce``/``matrix_multiply`` on NumPy views of the storage."""

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        """Return ``fn_map(a, out=None)``, one NumPy call per use."""
        check_function(fn, "NumpyOps.map(fn)")
        vectorised = _MAPS.get(fn)
        if vectorised is None:
            return SimpleOps.map(fn)

        where = f"{fn.__name__} map"  # named in errors

        def ret(a: Tensor, out: Tensor | None = None) -> Tensor:
            check_tensor(a, where)
            result = vectorised(a._tensor.numpy_view())
            if out is None:
                return _wrap(result, a)
            check_out_shape(fn.__name__, out, a)
            out._tensor.numpy_view()[...] = result
            return out

        return ret

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        """Return ``fn_zip(a, b)`` over the broadcast shape, one NumPy call per use."""
        check_function(fn, "NumpyOps.zip(fn)")
        vectorised = _ZIPS.get(fn)
        if vectorised is None:
            return SimpleOps.zip(fn)

        where = f"{fn.__name__} zip"  # named in errors

        def ret(a: Tensor, b: Tensor) -> Tensor:
            check_tensor(a, where)
            check_tensor(b, where)
            broadcast_shape_for(fn.__name__, a.shape, b.shape)
            return _wrap(vectorised(a._tensor.numpy_view(), b._tensor.numpy_view()), a)

        return ret

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        """Return ``fn_reduce(a, dim)``, keeping ``dim`` with size 1."""
        check_function(fn, "NumpyOps.reduce(fn)")
        check_start(start, "NumpyOps.reduce(start)")
        vectorised = _REDUCES.get(fn)
        if vectorised is None:
            return SimpleOps.reduce(fn, start)

        where = f"{fn.__name__} reduce"  # named in errors

        def ret(a: Tensor, dim: int) -> Tensor:
            check_tensor(a, where)
            dim = check_dim(dim, a, where)
            return _wrap(
                vectorised(a._tensor.numpy_view(), axis=dim, keepdims=True, initial=start), a
            )

        return ret

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched matrix product through :func:`numpy.matmul` (BLAS)."""
        check_tensor(a, "matrix_multiply(a)")
        check_tensor(b, "matrix_multiply(b)")
        matmul_shape(a.shape, b.shape)
        return _wrap(np.matmul(a._tensor.numpy_view(), b._tensor.numpy_view()), a)


NumpyBackend = TensorBackend(NumpyOps)
"""The default backend: :class:`NumpyOps`."""
