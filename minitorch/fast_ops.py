"""The numba backend: ``map``, ``zip``, ``reduce`` and matmul as parallel machine code (tasks 3.1, 3.2).

The loops are those of :class:`~minitorch.tensor_ops.SimpleOps`, compiled by numba's ``njit`` with
``parallel=True``: the outer loop over output elements becomes a ``prange`` that runs on every
core, and the index helpers of :mod:`minitorch.tensor_data` are compiled too and inlined. Two
shortcuts matter for speed: when the output and the inputs have the same shape and strides the
kernels read position ``i`` directly, without computing an index; and a reduction walks its
dimension with one stride, without index arrays.

Compilation happens on a kernel's first call, and numba's disk cache keeps the machine code (in
``__pycache__`` next to this file), so later processes load it instead of compiling again;
``docs/performance.md`` gives both times. The cache key includes the contents of every file the
kernel compiles in (:mod:`minitorch.kernel_cache`), so editing ``tensor_data.py`` or
``operators.py`` compiles the kernels again rather than loading stale ones. numba is an optional
extra: install it with ``pip install "minitorch[fast]"``. Without it, importing this module raises
an ImportError that says so.

The float functions of :mod:`minitorch.operators` that warn when they leave their domain (``log``,
``exp``, ``inv`` and their derivatives) cannot warn inside compiled code; their kernels return the
same IEEE values (``log(0) = -inf``, ``inv(0) = inf``, ...) without the warning
(:mod:`minitorch.kernel_helpers`).

Examples:
    >>> from minitorch import tensor
    >>> a = tensor([[1.0, 2.0], [3.0, 4.0]], backend=FastBackend)
    >>> (a @ a).to_numpy().tolist()
    [[7.0, 10.0], [15.0, 22.0]]
    >>> a.sum(1).to_numpy().tolist()
    [[3.0], [7.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

try:
    from numba import njit, prange
    from numba.extending import register_jitable
except ModuleNotFoundError as missing:  # pragma: no cover - exercised in a venv without numba
    raise ImportError(
        "minitorch's FastOps backend needs numba, which is an optional extra: "
        'pip install "minitorch[fast]" (or pip install numba)'
    ) from missing

from . import kernel_helpers, tensor_data
from .kernel_cache import cached_njit
from .kernel_helpers import kernel_function
from .tensor_data import MAX_DIMS, Shape, Storage, Strides
from .tensor_ops import (
    MapProto,
    Tensor,
    TensorBackend,
    TensorOps,
    map_with_kernel,
    matmul_shape,
    reduce_with_kernel,
    zip_with_kernel,
)

__all__ = [
    "FastOps", "FastBackend", "tensor_map", "tensor_zip", "tensor_reduce", "tensor_matrix_multiply",
    "map_kernel", "zip_kernel", "reduce_kernel", "compile_scalar_function", "CHUNK",
]

CHUNK = 1024
"""Elements per parallel task in the indexed loops (each task allocates its index buffers once)."""

# Run the tests without compiling (plain Python, easier to debug):
#   NUMBA_DISABLE_JIT=1 pytest tests/test_fast_ops.py -m task3_1
# The index helpers of tensor_data.py, compiled and inlined into the kernels below. They must use
# only what numba compiles (loops over range, integer arithmetic, NumPy arrays).
to_index = njit(inline="always")(tensor_data.to_index)
matmul_batch_offsets = njit(inline="always")(kernel_helpers.matmul_batch_offsets)
index_to_position = njit(inline="always")(tensor_data.index_to_position)
broadcast_index = njit(inline="always")(tensor_data.broadcast_index)


@cache
def compile_scalar_function(fn: Callable[..., float]) -> Callable[..., float]:
    """Make a float function callable from the kernels; return the function the kernels call.

    The function is registered with numba (``register_jitable``), not wrapped in a dispatcher: a
    kernel that closes over a plain module-level function can be cached on disk, while one that
    closes over a dispatcher is compiled again in every process (numba's cache key hashes the
    closure's contents, and a dispatcher pickles differently each time).

    Examples:
        >>> from minitorch import operators
        >>> compile_scalar_function(operators.log) is operators.log  # replaced: it warns
        False
        >>> compile_scalar_function(operators.add) is operators.add
        True
    """
    compilable = kernel_function(fn)
    register_jitable(compilable)
    return compilable


class FastOps(TensorOps):
    """``map``/``zip``/``reduce``/``matrix_multiply`` as numba kernels (see the module docstring)."""

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        """Return ``fn_map(a, out=None)``: ``out[i] = fn(a[i])``, ``a`` broadcast to ``out``."""
        return map_with_kernel(fn.__name__, map_kernel(fn))

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        """Return ``fn_zip(a, b)``: ``out[i] = fn(a[i], b[i])`` over the broadcast shape."""
        return zip_with_kernel(fn.__name__, zip_kernel(fn))

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        """Return ``fn_reduce(a, dim)``: fold ``fn`` from ``start`` along ``dim`` (kept as size 1)."""
        return reduce_with_kernel(reduce_kernel(fn), start, fn.__name__)

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched matrix product: ``out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]``.

        Batch dimensions broadcast (``(5, 2, 3) @ (3, 4)`` gives ``(5, 2, 4)``); both operands need
        at least two dimensions.
        """
        out = a.zeros(matmul_shape(a.shape, b.shape))
        if out.size:
            tensor_matrix_multiply(*out.tuple(), *a.tuple(), *b.tuple())
        return out


# ## The kernels


def tensor_map(
    fn: Callable[[float], float],
) -> Callable[[Storage, Shape, Strides, Storage, Shape, Strides], None]:
    """Compile a map kernel: fill ``out`` with ``fn`` of the input, broadcast to ``out_shape``.

    Args:
        fn: a compiled float function (see :func:`compile_scalar_function`).

    Returns:
        ``kernel(out, out_shape, out_strides, in_storage, in_shape, in_strides)``.
    """

    def _map(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        in_storage: Storage,
        in_shape: Shape,
        in_strides: Strides,
    ) -> None:
        # BEGIN TASK 3.1
        size = 1
        for s in out_shape:
            size *= s
        aligned = len(out_shape) == len(in_shape) and len(out) == size and len(in_storage) == size
        if aligned:
            for d in range(len(out_shape)):
                if out_shape[d] != in_shape[d] or out_strides[d] != in_strides[d]:
                    aligned = False
        if aligned:
            # Same layout: position i of the output reads position i of the input.
            for i in prange(size):
                out[i] = fn(in_storage[i])
        else:
            # Each parallel task handles a chunk of CHUNK elements with its own index buffers.
            for chunk in prange((size + CHUNK - 1) // CHUNK):
                out_index = np.empty(MAX_DIMS, np.int32)
                in_index = np.empty(MAX_DIMS, np.int32)
                for i in range(chunk * CHUNK, min(size, (chunk + 1) * CHUNK)):
                    to_index(i, out_shape, out_index)
                    broadcast_index(out_index, out_shape, in_shape, in_index)
                    value = in_storage[index_to_position(in_index, in_strides)]
                    out[index_to_position(out_index, out_strides)] = fn(value)
        # END TASK 3.1

    return cached_njit(parallel=True)(_map)  # type: ignore[no-any-return]  # numba is untyped


def tensor_zip(
    fn: Callable[[float, float], float],
) -> Callable[[Storage, Shape, Strides, Storage, Shape, Strides, Storage, Shape, Strides], None]:
    """Compile a zip kernel: fill ``out`` with ``fn`` of two inputs broadcast to ``out_shape``.

    Args:
        fn: a compiled float function of two arguments.

    Returns:
        ``kernel(out, out_shape, out_strides, a_storage, a_shape, a_strides, b_storage, ...)``.
    """

    def _zip(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        a_storage: Storage,
        a_shape: Shape,
        a_strides: Strides,
        b_storage: Storage,
        b_shape: Shape,
        b_strides: Strides,
    ) -> None:
        # BEGIN TASK 3.1
        size = 1
        for s in out_shape:
            size *= s
        aligned = (
            len(out_shape) == len(a_shape) == len(b_shape)
            and len(out) == size
            and len(a_storage) == size
            and len(b_storage) == size
        )
        if aligned:
            for d in range(len(out_shape)):
                same_shape = out_shape[d] == a_shape[d] == b_shape[d]
                if not same_shape or not out_strides[d] == a_strides[d] == b_strides[d]:
                    aligned = False
        if aligned:
            for i in prange(size):
                out[i] = fn(a_storage[i], b_storage[i])
        else:
            for chunk in prange((size + CHUNK - 1) // CHUNK):
                out_index = np.empty(MAX_DIMS, np.int32)
                a_index = np.empty(MAX_DIMS, np.int32)
                b_index = np.empty(MAX_DIMS, np.int32)
                for i in range(chunk * CHUNK, min(size, (chunk + 1) * CHUNK)):
                    to_index(i, out_shape, out_index)
                    broadcast_index(out_index, out_shape, a_shape, a_index)
                    broadcast_index(out_index, out_shape, b_shape, b_index)
                    a = a_storage[index_to_position(a_index, a_strides)]
                    b = b_storage[index_to_position(b_index, b_strides)]
                    out[index_to_position(out_index, out_strides)] = fn(a, b)
        # END TASK 3.1

    return cached_njit(parallel=True)(_zip)  # type: ignore[no-any-return]  # numba is untyped


def tensor_reduce(
    fn: Callable[[float, float], float],
) -> Callable[[Storage, Shape, Strides, Storage, Shape, Strides, int], None]:
    """Compile a reduce kernel: fold ``a`` along ``reduce_dim`` into ``out`` (pre-filled with the
    start value; ``out_shape`` is ``a_shape`` with ``reduce_dim`` of size 1).

    Args:
        fn: a compiled float function of two arguments.

    Returns:
        ``kernel(out, out_shape, out_strides, a_storage, a_shape, a_strides, reduce_dim)``.
    """

    def _reduce(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        a_storage: Storage,
        a_shape: Shape,
        a_strides: Strides,
        reduce_dim: int,
    ) -> None:
        # BEGIN TASK 3.1
        size = 1
        for s in out_shape:
            size *= s
        length = a_shape[reduce_dim]
        step = a_strides[reduce_dim]
        for chunk in prange((size + CHUNK - 1) // CHUNK):
            out_index = np.empty(MAX_DIMS, np.int32)
            for i in range(chunk * CHUNK, min(size, (chunk + 1) * CHUNK)):
                to_index(i, out_shape, out_index)
                out_position = index_to_position(out_index, out_strides)
                # out_index has 0 along reduce_dim, so it is also the index of the first element.
                a_position = index_to_position(out_index, a_strides)
                acc = out[out_position]
                for j in range(length):
                    acc = fn(acc, a_storage[a_position + j * step])
                out[out_position] = acc
        # END TASK 3.1

    return cached_njit(parallel=True)(_reduce)  # type: ignore[no-any-return]  # numba is untyped


def _tensor_matrix_multiply(
    out: Storage,
    out_shape: Shape,
    out_strides: Strides,
    a_storage: Storage,
    a_shape: Shape,
    a_strides: Strides,
    b_storage: Storage,
    b_shape: Shape,
    b_strides: Strides,
) -> None:
    """Batched matmul kernel: ``out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]``.

    ``out`` has the broadcast batch dimensions of ``a`` and ``b``; an operand's batch dimension of
    size 1 (or a missing one) is repeated. The parallel loop runs over (batch, row) pairs. Each
    builds its output row in a local buffer, adding ``a[i, k] * b[k, :]`` for every ``k``: the
    innermost loop walks a row of ``b``, one multiply and one add per step, which is contiguous
    in memory for a row-major ``b`` and so runs at vector speed. ``out`` is written once.
    """
    # BEGIN TASK 3.2
    dims, a_dims, b_dims = len(out_shape), len(a_shape), len(b_shape)
    rows = out_shape[dims - 2]
    cols = out_shape[dims - 1]
    inner = a_shape[a_dims - 1]
    batches = 1
    for d in range(dims - 2):
        batches *= out_shape[d]
    a_row, a_k = a_strides[a_dims - 2], a_strides[a_dims - 1]
    b_k, b_col = b_strides[b_dims - 2], b_strides[b_dims - 1]
    out_row, out_col = out_strides[dims - 2], out_strides[dims - 1]
    for ordinal in prange(batches * rows):
        batch, i = ordinal // rows, ordinal % rows
        out_start, a_start, b_start = matmul_batch_offsets(
            batch, out_shape, out_strides, a_shape, a_strides, b_shape, b_strides
        )
        a_start += i * a_row
        out_start += i * out_row
        row = np.zeros(cols)
        for k in range(inner):
            a_ik = a_storage[a_start + k * a_k]
            b_row = b_start + k * b_k
            for j in range(cols):
                row[j] += a_ik * b_storage[b_row + j * b_col]
        for j in range(cols):
            out[out_start + j * out_col] = row[j]
    # END TASK 3.2


tensor_matrix_multiply = cached_njit(parallel=True)(_tensor_matrix_multiply)


# One compiled kernel per float function, shared by every backend built from FastOps.
@cache
def map_kernel(fn: Callable[[float], float]) -> Any:
    """The compiled map kernel of ``fn`` (built on first use, then reused)."""
    return tensor_map(compile_scalar_function(fn))


@cache
def zip_kernel(fn: Callable[[float, float], float]) -> Any:
    """The compiled zip kernel of ``fn`` (built on first use, then reused)."""
    return tensor_zip(compile_scalar_function(fn))


@cache
def reduce_kernel(fn: Callable[[float, float], float]) -> Any:
    """The compiled reduce kernel of ``fn`` (built on first use, then reused)."""
    return tensor_reduce(compile_scalar_function(fn))


FastBackend = TensorBackend(FastOps)
"""The numba backend: :class:`FastOps`."""
