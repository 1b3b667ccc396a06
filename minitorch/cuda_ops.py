"""The GPU backend: ``map``, ``zip``, ``reduce`` and matmul as numba.cuda kernels (tasks 3.3, 3.4).

Each kernel is launched on a grid of blocks of threads. ``map`` and ``zip`` give each output
element one thread. ``reduce`` gives each output element one block: its threads fold interleaved
slices of the reduced dimension, then combine their partial results pairwise in shared memory. The
matrix product works tile by tile: a block computes a ``TILE x TILE`` square of the output, loading
matching tiles of both operands into shared memory so that each number is read from global memory
once per block. ``sum_practice`` and ``mm_practice`` are the course's warm-up kernels for both ideas.

NumPy arrays handed to a kernel are copied to the GPU and back on every launch: simple and correct,
not fast. Without a GPU, numba's CUDA *simulator* runs the same kernels in Python threads: set
``NUMBA_ENABLE_CUDASIM=1`` before numba is first imported (the test suite does so when the machine
has no NVIDIA driver). It is slow, so use it on small tensors. numba is an optional extra:
``pip install "minitorch[cuda]"``.

Examples:
    >>> from minitorch import tensor
    >>> a = tensor([[1.0, 2.0], [3.0, 4.0]], backend=CudaBackend)  # doctest: +SKIP
    >>> (a @ a).to_numpy().tolist()  # doctest: +SKIP
    [[7.0, 10.0], [15.0, 22.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

try:
    import numba
    from numba import cuda
except ModuleNotFoundError as missing:  # pragma: no cover - exercised in a venv without numba
    raise ImportError(
        "minitorch's CudaOps backend needs numba, which is an optional extra: "
        'pip install "minitorch[cuda]" (or pip install numba)'
    ) from missing

from . import kernel_helpers, tensor_data
from .kernel_helpers import kernel_function
from .tensor_data import MAX_DIMS, Shape, Storage, Strides, TensorData
from .tensor_ops import MapProto, Tensor, TensorBackend, TensorOps, broadcast_shape_for, matmul_shape

__all__ = [
    "CudaOps", "CudaBackend", "sum_practice", "mm_practice", "tensor_map", "tensor_zip",
    "tensor_reduce", "tensor_matrix_multiply", "map_kernel", "zip_kernel", "reduce_kernel",
    "THREADS_PER_BLOCK", "REDUCE_THREADS", "TILE",
]

THREADS_PER_BLOCK = 32
"""Threads per block of ``map``, ``zip`` and ``sum_practice`` (one warp)."""

REDUCE_THREADS = 256
"""The most threads of a ``reduce`` block (a power of two: the pairwise combining halves it)."""

TILE = 32
"""The largest side of the square tiles of the matrix product (``TILE * TILE`` threads per block),
and the side of ``mm_practice``'s one block."""

# The index helpers of tensor_data.py and kernel_helpers.py, compiled as device functions.
to_index = cuda.jit(device=True)(tensor_data.to_index)
index_to_position = cuda.jit(device=True)(tensor_data.index_to_position)
broadcast_index = cuda.jit(device=True)(tensor_data.broadcast_index)
matmul_batch_offsets = cuda.jit(device=True)(kernel_helpers.matmul_batch_offsets)


def _row_major_storage(a: Tensor) -> Storage:
    """``a``'s numbers in row-major order (its own storage when it already is)."""
    return np.ascontiguousarray(a._tensor.numpy_view()).reshape(-1)


def _blocks(size: int, threads: int) -> int:
    """How many blocks of ``threads`` cover ``size`` elements."""
    return (size + threads - 1) // threads


def _power_of_two_cover(length: int, most: int) -> int:
    """The smallest power of two >= ``length``, at most ``most``: a block just big enough."""
    threads = 1
    while threads < min(length, most):
        threads *= 2
    return threads


class CudaOps(TensorOps):
    """``map``/``zip``/``reduce``/``matrix_multiply`` as CUDA kernels (see the module docstring)."""

    cuda = True

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        """Return ``fn_map(a, out=None)``: one thread per output element."""
        f = map_kernel(fn)

        def ret(a: Tensor, out: Tensor | None = None) -> Tensor:
            if out is None:
                out = a.zeros(a.shape)
            else:
                broadcast_shape_for(fn.__name__, out.shape, a.shape)
            if out.size:
                f[_blocks(out.size, THREADS_PER_BLOCK), THREADS_PER_BLOCK](
                    *out.tuple(), out.size, *a.tuple()
                )
            return out

        return ret

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        """Return ``fn_zip(a, b)``: one thread per element of the broadcast shape."""
        f = zip_kernel(fn)

        def ret(a: Tensor, b: Tensor) -> Tensor:
            out = a.zeros(broadcast_shape_for(fn.__name__, a.shape, b.shape))
            if out.size:
                f[_blocks(out.size, THREADS_PER_BLOCK), THREADS_PER_BLOCK](
                    *out.tuple(), out.size, *a.tuple(), *b.tuple()
                )
            return out

        return ret

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        """Return ``fn_reduce(a, dim)``: one block per output element.

        ``start`` must be an identity of ``fn`` (0 for ``add``, 1 for ``mul``): each thread starts
        its partial result from it.
        """
        f = reduce_kernel(fn)

        def ret(a: Tensor, dim: int) -> Tensor:
            out_shape = list(a.shape)
            out_shape[dim] = 1
            out = a.zeros(tuple(out_shape))
            if out.size:
                threads = _power_of_two_cover(a.shape[dim], REDUCE_THREADS)
                f[out.size, threads](*out.tuple(), out.size, *a.tuple(), dim, float(start))
            return out

        return ret

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched matrix product: one block per output tile and matrix of the batch.

        Tiles are ``TILE x TILE``, or smaller for small matrices (the smallest power of two that
        covers them), so that no block is mostly idle.
        """
        out = a.zeros(matmul_shape(a.shape, b.shape))
        if out.size:
            rows, cols = out.shape[-2], out.shape[-1]
            tile = _power_of_two_cover(max(rows, cols), TILE)
            grid = (_blocks(rows, tile), _blocks(cols, tile), out.size // (rows * cols))
            tensor_matrix_multiply[grid, (tile, tile, 1)](
                *out.tuple(), out.size, *a.tuple(), *b.tuple()
            )
        return out


# ## The kernels


def tensor_map(fn: Callable[[float], float]) -> Any:
    """Compile a CUDA map kernel for the device function ``fn``.

    Thread number ``cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x`` computes that output
    ordinal (if it is below ``out_size``), keeping its indices in per-thread buffers
    ``cuda.local.array(MAX_DIMS, numba.int32)``.

    Returns:
        ``kernel[blocks, threads](out, out_shape, out_strides, out_size, in_storage, in_shape,
        in_strides)``.
    """

    def _map(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        out_size: int,
        in_storage: Storage,
        in_shape: Shape,
        in_strides: Strides,
    ) -> None:
        # BEGIN TASK 3.3
        out_index = cuda.local.array(MAX_DIMS, numba.int32)
        in_index = cuda.local.array(MAX_DIMS, numba.int32)
        i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
        if i < out_size:
            to_index(i, out_shape, out_index)
            broadcast_index(out_index, out_shape, in_shape, in_index)
            value = in_storage[index_to_position(in_index, in_strides)]
            out[index_to_position(out_index, out_strides)] = fn(value)
        # END TASK 3.3

    return cuda.jit()(_map)


def tensor_zip(fn: Callable[[float, float], float]) -> Any:
    """Compile a CUDA zip kernel for the device function ``fn``: as :func:`tensor_map`, with two
    inputs broadcast to the output.

    Returns:
        ``kernel[blocks, threads](out, out_shape, out_strides, out_size, a_storage, a_shape,
        a_strides, b_storage, b_shape, b_strides)``.
    """

    def _zip(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        out_size: int,
        a_storage: Storage,
        a_shape: Shape,
        a_strides: Strides,
        b_storage: Storage,
        b_shape: Shape,
        b_strides: Strides,
    ) -> None:
        # BEGIN TASK 3.3
        out_index = cuda.local.array(MAX_DIMS, numba.int32)
        a_index = cuda.local.array(MAX_DIMS, numba.int32)
        b_index = cuda.local.array(MAX_DIMS, numba.int32)
        i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
        if i < out_size:
            to_index(i, out_shape, out_index)
            broadcast_index(out_index, out_shape, a_shape, a_index)
            broadcast_index(out_index, out_shape, b_shape, b_index)
            a = a_storage[index_to_position(a_index, a_strides)]
            b = b_storage[index_to_position(b_index, b_strides)]
            out[index_to_position(out_index, out_strides)] = fn(a, b)
        # END TASK 3.3

    return cuda.jit()(_zip)


def _sum_practice(out: Storage, a: Storage, size: int) -> None:
    """Practice kernel: block ``k`` writes the sum of ``a[32k : 32k + 32]`` to ``out[k]``.

    Each thread loads one number into shared memory, ``cuda.shared.array(THREADS_PER_BLOCK,
    numba.float64)`` (0 past the end of ``a``); the block then adds
    pairs at distance 16, 8, 4, 2, 1, synchronising between steps, and thread 0 writes the total.
    """
    # BEGIN TASK 3.3
    cache = cuda.shared.array(THREADS_PER_BLOCK, numba.float64)
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    pos = cuda.threadIdx.x
    cache[pos] = a[i] if i < size else 0.0
    cuda.syncthreads()
    stride = THREADS_PER_BLOCK // 2
    while stride > 0:
        if pos < stride:
            cache[pos] += cache[pos + stride]
        cuda.syncthreads()
        stride //= 2
    if pos == 0:
        out[cuda.blockIdx.x] = cache[0]
    # END TASK 3.3


jit_sum_practice = cuda.jit()(_sum_practice)


def sum_practice(a: Tensor) -> TensorData:
    """Sum each run of 32 numbers of a 1-D tensor (the warm-up for ``reduce``).

    Returns:
        One number per block of 32: their total is ``a.sum()``.

    Raises:
        ValueError: if ``a`` is not one-dimensional.
    """
    if a.dims != 1:
        raise ValueError(f"sum_practice: expects a 1-D tensor, got shape {a.shape}")
    (size,) = a.shape
    blocks = max(_blocks(size, THREADS_PER_BLOCK), 1)
    out = TensorData([0.0] * blocks, (blocks,))
    jit_sum_practice[blocks, THREADS_PER_BLOCK](out._storage, _row_major_storage(a), size)
    return out


def tensor_reduce(fn: Callable[[float, float], float]) -> Any:
    """Compile a CUDA reduce kernel for the device function ``fn``.

    Block ``cuda.blockIdx.x`` computes output ordinal ``cuda.blockIdx.x``. Its threads fold
    interleaved elements of the reduced dimension, starting from ``reduce_value`` (an identity of
    ``fn``), store their partial results in ``cuda.shared.array(REDUCE_THREADS, numba.float64)``,
    and combine them pairwise (distance ``blockDim / 2``, then half that, ...), calling
    ``cuda.syncthreads()`` between steps; thread 0 writes the result.

    Returns:
        ``kernel[out_size, threads](out, out_shape, out_strides, out_size, a_storage, a_shape,
        a_strides, reduce_dim, reduce_value)``, ``threads`` a power of two up to
        :data:`REDUCE_THREADS`.
    """

    def _reduce(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        out_size: int,
        a_storage: Storage,
        a_shape: Shape,
        a_strides: Strides,
        reduce_dim: int,
        reduce_value: float,
    ) -> None:
        # BEGIN TASK 3.3
        cache = cuda.shared.array(REDUCE_THREADS, numba.float64)
        out_index = cuda.local.array(MAX_DIMS, numba.int32)
        out_pos = cuda.blockIdx.x
        pos = cuda.threadIdx.x
        to_index(out_pos, out_shape, out_index)
        # out_index is 0 along reduce_dim: it is also the index of the first element to fold.
        start = index_to_position(out_index, a_strides)
        step = a_strides[reduce_dim]
        acc = reduce_value
        for j in range(pos, a_shape[reduce_dim], cuda.blockDim.x):
            acc = fn(acc, a_storage[start + j * step])
        cache[pos] = acc
        cuda.syncthreads()
        stride = cuda.blockDim.x // 2
        while stride > 0:
            if pos < stride:
                cache[pos] = fn(cache[pos], cache[pos + stride])
            cuda.syncthreads()
            stride //= 2
        if pos == 0:
            out[index_to_position(out_index, out_strides)] = cache[0]
        # END TASK 3.3

    return cuda.jit()(_reduce)


def _mm_practice(out: Storage, a: Storage, b: Storage, size: int) -> None:
    """Practice kernel: ``out = a @ b`` for square row-major matrices of side ``size <= 32``.

    One block of ``32 x 32`` threads: thread ``(i, j)`` (``cuda.threadIdx.x``, ``.y``) copies
    ``a[i, j]`` and ``b[i, j]`` into shared memory (``cuda.shared.array((TILE, TILE),
    numba.float64)``, one per operand), waits for the block, and computes ``out[i, j]`` from
    shared memory alone, so each number of ``a`` and ``b`` is read from global memory once and
    ``out`` is written once.
    """
    # BEGIN TASK 3.4
    a_shared = cuda.shared.array((TILE, TILE), numba.float64)
    b_shared = cuda.shared.array((TILE, TILE), numba.float64)
    i = cuda.threadIdx.x
    j = cuda.threadIdx.y
    if i < size and j < size:
        a_shared[i, j] = a[i * size + j]
        b_shared[i, j] = b[i * size + j]
    cuda.syncthreads()
    if i < size and j < size:
        total = 0.0
        for k in range(size):
            total += a_shared[i, k] * b_shared[k, j]
        out[i * size + j] = total
    # END TASK 3.4


jit_mm_practice = cuda.jit()(_mm_practice)


def mm_practice(a: Tensor, b: Tensor) -> TensorData:
    """Multiply two square matrices of the same side, at most 32 (the warm-up for matmul).

    Raises:
        ValueError: if the shapes are not ``(n, n)`` and ``(n, n)`` with ``n <= 32``.
    """
    if a.dims != 2 or a.shape[0] != a.shape[1] or b.shape != a.shape or a.shape[0] > TILE:
        raise ValueError(
            f"mm_practice: expects two square matrices of the same side, at most {TILE}; got "
            f"shapes {a.shape} and {b.shape}"
        )
    size = a.shape[0]
    out = TensorData([0.0] * (size * size), (size, size))
    jit_mm_practice[1, (TILE, TILE)](
        out._storage, _row_major_storage(a), _row_major_storage(b), size
    )
    return out


def _tensor_matrix_multiply(
    out: Storage,
    out_shape: Shape,
    out_strides: Strides,
    out_size: int,
    a_storage: Storage,
    a_shape: Shape,
    a_strides: Strides,
    b_storage: Storage,
    b_shape: Shape,
    b_strides: Strides,
) -> None:
    """Batched matmul kernel: block ``(x, y, z)`` computes output tile ``(x, y)`` of matrix ``z``.

    Blocks are square, ``t x t`` threads with ``t <= TILE`` (``cuda.blockDim.x``); ``t`` is the
    tile's side; shared tiles are ``cuda.shared.array((TILE, TILE), numba.float64)``. The block
    walks the shared dimension one tile at a time: its threads copy a ``t x t`` tile of ``a`` and
    one of ``b`` into shared memory (0 past the edges), synchronise, add the tile's products to
    their own total, and synchronise again before the next tile. Each thread
    writes its output number once, at the end.
    """
    # BEGIN TASK 3.4
    a_shared = cuda.shared.array((TILE, TILE), numba.float64)
    b_shared = cuda.shared.array((TILE, TILE), numba.float64)
    batch = cuda.blockIdx.z
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    j = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    pi = cuda.threadIdx.x
    pj = cuda.threadIdx.y
    dims, a_dims, b_dims = len(out_shape), len(a_shape), len(b_shape)
    rows, cols, inner = out_shape[dims - 2], out_shape[dims - 1], a_shape[a_dims - 1]
    out_start, a_start, b_start = matmul_batch_offsets(
        batch, out_shape, out_strides, a_shape, a_strides, b_shape, b_strides
    )
    tile = cuda.blockDim.x
    total = 0.0
    for k0 in range(0, inner, tile):
        # Thread (pi, pj) loads a[i, k0 + pj] and b[k0 + pi, j].
        if i < rows and k0 + pj < inner:
            a_position = a_start + i * a_strides[a_dims - 2] + (k0 + pj) * a_strides[a_dims - 1]
            a_shared[pi, pj] = a_storage[a_position]
        else:
            a_shared[pi, pj] = 0.0
        if k0 + pi < inner and j < cols:
            b_position = b_start + (k0 + pi) * b_strides[b_dims - 2] + j * b_strides[b_dims - 1]
            b_shared[pi, pj] = b_storage[b_position]
        else:
            b_shared[pi, pj] = 0.0
        cuda.syncthreads()
        for k in range(min(tile, inner - k0)):
            total += a_shared[pi, k] * b_shared[k, pj]
        cuda.syncthreads()
    if i < rows and j < cols:
        out[out_start + i * out_strides[dims - 2] + j * out_strides[dims - 1]] = total
    # END TASK 3.4


tensor_matrix_multiply = cuda.jit()(_tensor_matrix_multiply)


# One compiled kernel per float function, shared by every backend built from CudaOps.
@cache
def map_kernel(fn: Callable[[float], float]) -> Any:
    """The compiled map kernel of ``fn`` (built on first use, then reused)."""
    return tensor_map(cuda.jit(device=True)(kernel_function(fn)))


@cache
def zip_kernel(fn: Callable[[float, float], float]) -> Any:
    """The compiled zip kernel of ``fn`` (built on first use, then reused)."""
    return tensor_zip(cuda.jit(device=True)(kernel_function(fn)))


@cache
def reduce_kernel(fn: Callable[[float, float], float]) -> Any:
    """The compiled reduce kernel of ``fn`` (built on first use, then reused)."""
    return tensor_reduce(cuda.jit(device=True)(kernel_function(fn)))


CudaBackend = TensorBackend(CudaOps)
"""The CUDA backend: :class:`CudaOps`."""
