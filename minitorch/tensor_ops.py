"""Tensor backends: ``map``, ``zip`` and ``reduce`` over strided storage (the course's task 2.3).

A :class:`TensorBackend` turns the float functions of :mod:`minitorch.operators` into tensor
functions (``neg_map``, ``add_zip``, ``add_reduce``, ...) with the help of a :class:`TensorOps`
class. :class:`SimpleOps` is the teaching backend: plain Python loops over every index, reading each
input through its strides and broadcasting it to the output's shape. The vectorised NumPy backend,
the default, lives in :mod:`minitorch.numpy_ops`.

Examples:
    >>> from minitorch import tensor
    >>> a = tensor([[1.0, 2.0], [3.0, 4.0]], backend=SimpleBackend)
    >>> SimpleBackend.add_reduce(a, 0).to_numpy().tolist()
    [[4.0, 6.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import numpy as np

from . import operators
from .tensor_data import (
    IndexingError,
    Shape,
    Storage,
    Strides,
    TensorData,
    UserIndex,
    UserShape,
    broadcast_index,
    index_to_position,
    shape_broadcast,
    to_index,
)

__all__ = [
    "TensorProtocol", "Tensor", "TensorT", "MapProto", "TensorOps", "TensorBackend", "SimpleOps",
    "SimpleBackend", "tensor_map", "tensor_zip", "tensor_reduce", "tensor_matrix_multiply",
    "broadcast_shape_for", "matmul_shape", "sigmoid_back_from_output", "map_with_kernel",
    "zip_with_kernel", "reduce_with_kernel", "check_tensor", "check_backend", "check_dim",
    "check_function", "check_out_shape", "check_start",
]


TensorT = TypeVar("TensorT", bound="TensorProtocol")
"""A tensor type that a method returns unchanged (``zeros`` of a Tensor is a Tensor)."""


class TensorProtocol(Protocol):
    """What the backends and the tensor functions use of a tensor (:class:`minitorch.Tensor` has it).

    The backends and functions sit below ``minitorch.tensor`` in the import order, so they name the
    tensor through this protocol (as ``Tensor``) instead of importing the class.
    """

    _tensor: TensorData
    backend: TensorBackend
    f: TensorBackend
    history: Any
    grad: Any

    @property
    def shape(self) -> tuple[int, ...]: ...

    @property
    def size(self) -> int: ...

    @property
    def dims(self) -> int: ...

    def _new(self: TensorT, tensor_data: TensorData) -> TensorT: ...

    def zeros(self: TensorT, shape: UserShape | None = None) -> TensorT: ...

    def tuple(self) -> tuple[Storage, Shape, Strides]: ...

    def detach(self: TensorT) -> TensorT: ...

    def requires_grad(self) -> bool: ...

    def requires_grad_(self: TensorT, x: bool = True) -> TensorT: ...

    def zero_grad_(self) -> None: ...

    def item(self) -> float: ...

    def is_constant(self) -> bool: ...

    def expand(self: TensorT, other: TensorT) -> TensorT: ...

    def sum(self: TensorT, dim: int | None = None) -> TensorT: ...

    def backward(self, grad_output: Any = None) -> None: ...

    def __getitem__(self, key: int | UserIndex) -> float: ...

    def __setitem__(self, key: int | UserIndex, val: float) -> None: ...

    def __add__(self: TensorT, b: Any) -> TensorT: ...

    def __sub__(self: TensorT, b: Any) -> TensorT: ...


Tensor = TensorProtocol
"""The course's name for a tensor in the signatures of this layer (see :class:`TensorProtocol`)."""


class MapProto(Protocol):
    """A tensor map: ``fn_map(a)`` or ``fn_map(a, out)`` (``out`` filled in, ``a`` broadcast to it)."""

    def __call__(self, x: Tensor, out: Tensor | None = ..., /) -> Tensor: ...


def sigmoid_back_from_output(s: float, d: float) -> float:
    """Return ``d * s * (1 - s)``: the gradient through a sigmoid whose output was ``s``."""
    return d * s * (1.0 - s)


def broadcast_shape_for(operation: str, shape1: UserShape, shape2: UserShape) -> tuple[int, ...]:
    """The broadcast shape of two operands of ``operation``; the error names the operation.

    Raises:
        IndexingError: if the shapes do not broadcast.

    Examples:
        >>> broadcast_shape_for("add", (2, 1), (3,))
        (2, 3)
    """
    if tuple(shape1) == tuple(shape2):
        return tuple(shape1)
    try:
        return shape_broadcast(shape1, shape2)
    except IndexingError as error:
        raise IndexingError(f"{operation}: {error}") from None


def check_tensor(value: object, where: str) -> None:
    """Refuse anything that is not a tensor (an object holding a TensorData), naming ``where``.

    Raises:
        TypeError: if ``value`` is not a tensor.
    """
    if not isinstance(getattr(value, "_tensor", None), TensorData):
        raise TypeError(
            f"{where} expects a Tensor, got {type(value).__name__} {value!r:.60}; make one with "
            "minitorch.tensor(...)"
        )


def check_dim(dim: object, a: Tensor, where: str) -> int:
    """Return ``dim`` as a dimension of ``a`` (negative counts from the end), or raise naming ``where``.

    Raises:
        TypeError: if ``dim`` is not an int.
        IndexingError: if it is out of range for ``a``'s shape.
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{where}: dim must be an int, got {type(dim).__name__} {dim!r}")
    if not -a.dims <= dim < a.dims:
        raise IndexingError(f"{where}: dim={dim} is out of range for a tensor of shape {a.shape}")
    return int(dim) % a.dims


def check_function(fn: object, where: str) -> None:
    """Refuse a ``fn`` that is not callable, naming ``where``.

    Raises:
        TypeError: if ``fn`` is not callable.
    """
    if not callable(fn):
        raise TypeError(
            f"{where} expects a float function such as operators.neg, got {type(fn).__name__} "
            f"{fn!r:.60}"
        )


def check_backend(backend: object, where: str) -> TensorBackend:
    """Return ``backend`` if it is a :class:`TensorBackend`, else raise a TypeError naming ``where``.

    Raises:
        TypeError: for anything else (a TensorOps class, a string such as ``"numpy"``).
    """
    if isinstance(backend, TensorBackend):
        return backend
    hint = (
        f"; wrap an ops class with TensorBackend({backend.__name__})"
        if isinstance(backend, type) else "; use minitorch.NumpyBackend or minitorch.SimpleBackend"
    )
    raise TypeError(f"{where} must be a TensorBackend, got {type(backend).__name__} {backend!r}{hint}")


def matmul_shape(shape1: UserShape, shape2: UserShape) -> tuple[int, ...]:
    """The shape of ``a @ b``: batch dimensions broadcast, then ``(n, m) @ (m, p) -> (n, p)``.

    Raises:
        IndexingError: if an operand has fewer than two dimensions or the inner sizes differ.

    Examples:
        >>> matmul_shape((5, 2, 3), (3, 4))
        (5, 2, 4)
    """
    if len(shape1) < 2 or len(shape2) < 2:
        raise IndexingError(
            f"matmul: shapes {tuple(shape1)} and {tuple(shape2)}: both operands need at least two "
            "dimensions; use view(1, n) or view(n, 1) to make a vector a matrix"
        )
    if shape1[-1] != shape2[-2]:
        raise IndexingError(
            f"matmul: shapes {tuple(shape1)} and {tuple(shape2)} do not match: the last size of "
            f"the first ({shape1[-1]}) must equal the second-to-last of the second ({shape2[-2]})"
        )
    batch = broadcast_shape_for("matmul", shape1[:-2], shape2[:-2])
    return (*batch, int(shape1[-2]), int(shape2[-1]))


def check_out_shape(name: str, out: Tensor, a: Tensor) -> None:
    """Refuse an ``out`` of a map whose shape ``a`` does not broadcast to, naming the map.

    Raises:
        TypeError: if ``out`` is not a tensor.
        IndexingError: if ``a``'s shape does not broadcast to ``out``'s.
    """
    check_tensor(out, f"{name} map(out)")
    if broadcast_shape_for(name, out.shape, a.shape) != tuple(out.shape):
        raise IndexingError(
            f"{name} map: the input of shape {a.shape} does not broadcast to out's shape {out.shape}"
        )


def check_start(start: object, where: str) -> None:
    """Refuse a reduction's start value that is not a real number.

    Raises:
        TypeError: if ``start`` is not a real number.
    """
    if isinstance(start, bool) or not isinstance(start, (int, float, np.floating, np.integer)):
        raise TypeError(f"{where} must be a real number, got {type(start).__name__} {start!r}")


class TensorOps:
    """The interface a backend implements: higher-order ``map``, ``zip``, ``reduce`` and matmul."""

    cuda = False

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        """Return a tensor function applying ``fn`` to every element."""
        raise NotImplementedError("TensorOps.map: a backend must implement map")

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        """Return a tensor function applying ``fn`` to pairs of elements, broadcasting."""
        raise NotImplementedError("TensorOps.zip: a backend must implement zip")

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        """Return a tensor function folding ``fn`` along one dimension (kept with size 1)."""
        raise NotImplementedError("TensorOps.reduce: a backend must implement reduce")

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched matrix product of ``a`` and ``b``."""
        raise NotImplementedError("TensorOps.matrix_multiply: a backend must implement it")


class TensorBackend:
    """The tensor functions built from one :class:`TensorOps` class.

    Args:
        ops: the class providing ``map``, ``zip``, ``reduce`` and ``matrix_multiply``.

    Raises:
        TypeError: if ``ops`` is not a class with those four static methods (a backend, a string
            or an instance is refused).
    """

    def __init__(self, ops: type[TensorOps]) -> None:
        if isinstance(ops, TensorBackend):
            raise TypeError(
                f"TensorBackend(ops): got {ops!r}, which is already a backend; pass the ops class "
                f"itself, TensorBackend({ops.ops.__name__}), or use the backend as it is"
            )
        needed = ("map", "zip", "reduce", "matrix_multiply")
        missing = [m for m in needed if not callable(getattr(ops, m, None))]
        if not isinstance(ops, type) or missing:
            raise TypeError(
                f"TensorBackend(ops) expects a TensorOps class such as NumpyOps or SimpleOps, got "
                f"{type(ops).__name__} {ops!r:.60}"
                + (f" (it has no {', '.join(missing)})" if missing else "")
            )
        self.ops = ops
        # Maps
        self.neg_map = ops.map(operators.neg)
        self.sigmoid_map = ops.map(operators.sigmoid)
        self.relu_map = ops.map(operators.relu)
        self.log_map = ops.map(operators.log)
        self.exp_map = ops.map(operators.exp)
        self.id_map = ops.map(operators.id)
        self.inv_map = ops.map(operators.inv)
        # Zips
        self.add_zip = ops.zip(operators.add)
        self.mul_zip = ops.zip(operators.mul)
        self.lt_zip = ops.zip(operators.lt)
        self.eq_zip = ops.zip(operators.eq)
        self.is_close_zip = ops.zip(operators.is_close)
        self.relu_back_zip = ops.zip(operators.relu_back)
        self.log_back_zip = ops.zip(operators.log_back)
        self.inv_back_zip = ops.zip(operators.inv_back)
        self.sigmoid_back_zip = ops.zip(sigmoid_back_from_output)
        # Reductions
        self.add_reduce = ops.reduce(operators.add, 0.0)
        self.mul_reduce = ops.reduce(operators.mul, 1.0)
        self.matrix_multiply = ops.matrix_multiply
        self.cuda = ops.cuda

    def __repr__(self) -> str:
        return f"TensorBackend({self.ops.__name__})"


def map_with_kernel(name: str, kernel: Callable[..., None]) -> MapProto:
    """Wrap a low-level map kernel as ``fn_map(a, out=None)`` (shared by SimpleOps and FastOps).

    The kernel is called as ``kernel(*out.tuple(), *a.tuple())``; ``out`` defaults to a new tensor of
    ``a``'s shape, and a given ``out`` must be a shape ``a`` broadcasts to (the error names ``name``).
    """

    where = f"{name} map"  # named in errors

    def ret(a: Tensor, out: Tensor | None = None) -> Tensor:
        check_tensor(a, where)
        if out is None:
            out = a.zeros(a.shape)
        else:
            check_out_shape(name, out, a)
        kernel(*out.tuple(), *a.tuple())
        return out

    return ret


def zip_with_kernel(name: str, kernel: Callable[..., None]) -> Callable[[Tensor, Tensor], Tensor]:
    """Wrap a low-level zip kernel as ``fn_zip(a, b)``, whose output has the broadcast shape."""

    where = f"{name} zip"  # named in errors

    def ret(a: Tensor, b: Tensor) -> Tensor:
        check_tensor(a, where)
        check_tensor(b, where)
        out = a.zeros(broadcast_shape_for(name, a.shape, b.shape))
        kernel(*out.tuple(), *a.tuple(), *b.tuple())
        return out

    return ret


def reduce_with_kernel(
    kernel: Callable[..., None], start: float, name: str = "reduce"
) -> Callable[[Tensor, int], Tensor]:
    """Wrap a low-level reduce kernel as ``fn_reduce(a, dim)``: the output is ``a``'s shape with
    ``dim`` of size 1, filled with ``start`` before the kernel folds ``a`` into it (errors name
    ``name``)."""
    where = f"{name} reduce"

    def ret(a: Tensor, dim: int) -> Tensor:
        check_tensor(a, where)
        dim = check_dim(dim, a, where)
        out_shape = list(a.shape)
        out_shape[dim] = 1
        out = a.zeros(tuple(out_shape))
        out._tensor._storage[:] = start
        kernel(*out.tuple(), *a.tuple(), dim)
        return out

    return ret


class SimpleOps(TensorOps):
    """The teaching backend: every element visited by a Python loop over indices."""

    @staticmethod
    def map(fn: Callable[[float], float]) -> MapProto:
        """Return ``fn_map(a, out=None)``: ``out[i] = fn(a[i])``, with ``a`` broadcast to ``out``."""
        check_function(fn, "SimpleOps.map(fn)")
        return map_with_kernel(fn.__name__, tensor_map(fn))

    @staticmethod
    def zip(fn: Callable[[float, float], float]) -> Callable[[Tensor, Tensor], Tensor]:
        """Return ``fn_zip(a, b)``: ``out[i] = fn(a[i], b[i])`` over the broadcast shape."""
        check_function(fn, "SimpleOps.zip(fn)")
        return zip_with_kernel(fn.__name__, tensor_zip(fn))

    @staticmethod
    def reduce(
        fn: Callable[[float, float], float], start: float = 0.0
    ) -> Callable[[Tensor, int], Tensor]:
        """Return ``fn_reduce(a, dim)``: fold ``fn`` from ``start`` along ``dim`` (kept as size 1)."""
        check_function(fn, "SimpleOps.reduce(fn)")
        check_start(start, "SimpleOps.reduce(start)")
        return reduce_with_kernel(tensor_reduce(fn), start, fn.__name__)

    @staticmethod
    def matrix_multiply(a: Tensor, b: Tensor) -> Tensor:
        """Batched matrix product with Python loops (batch dimensions broadcast)."""
        check_tensor(a, "matrix_multiply(a)")
        check_tensor(b, "matrix_multiply(b)")
        out = a.zeros(matmul_shape(a.shape, b.shape))
        tensor_matrix_multiply(*out.tuple(), *a.tuple(), *b.tuple())
        return out


def tensor_map(
    fn: Callable[[float], float],
) -> Callable[[Storage, Shape, Strides, Storage, Shape, Strides], None]:
    """Low-level map: fill ``out`` with ``fn`` of the input, which broadcasts to ``out_shape``.

    Both layouts may have any strides (a permuted input works).
    """

    def _map(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        in_storage: Storage,
        in_shape: Shape,
        in_strides: Strides,
    ) -> None:
        # BEGIN TASK 2.3
        out_index = np.zeros(len(out_shape), dtype=np.int32)
        in_index = np.zeros(len(in_shape), dtype=np.int32)
        size = int(np.prod(out_shape))
        for ordinal in range(size):
            to_index(ordinal, out_shape, out_index)
            broadcast_index(out_index, out_shape, in_shape, in_index)
            value = in_storage[index_to_position(in_index, in_strides)]
            out[index_to_position(out_index, out_strides)] = fn(float(value))
        # END TASK 2.3

    return _map


def tensor_zip(
    fn: Callable[[float, float], float],
) -> Callable[[Storage, Shape, Strides, Storage, Shape, Strides, Storage, Shape, Strides], None]:
    """Low-level zip: fill ``out`` with ``fn`` of two inputs that broadcast to ``out_shape``."""

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
        # BEGIN TASK 2.3
        out_index = np.zeros(len(out_shape), dtype=np.int32)
        a_index = np.zeros(len(a_shape), dtype=np.int32)
        b_index = np.zeros(len(b_shape), dtype=np.int32)
        size = int(np.prod(out_shape))
        for ordinal in range(size):
            to_index(ordinal, out_shape, out_index)
            broadcast_index(out_index, out_shape, a_shape, a_index)
            broadcast_index(out_index, out_shape, b_shape, b_index)
            a = a_storage[index_to_position(a_index, a_strides)]
            b = b_storage[index_to_position(b_index, b_strides)]
            out[index_to_position(out_index, out_strides)] = fn(float(a), float(b))
        # END TASK 2.3

    return _zip


def tensor_reduce(
    fn: Callable[[float, float], float],
) -> Callable[[Storage, Shape, Strides, Storage, Shape, Strides, int], None]:
    """Low-level reduce: ``out`` is ``a``'s shape with ``reduce_dim`` of size 1, pre-filled with the
    start value; fold every element of ``a`` along ``reduce_dim`` into it with ``fn``."""

    def _reduce(
        out: Storage,
        out_shape: Shape,
        out_strides: Strides,
        a_storage: Storage,
        a_shape: Shape,
        a_strides: Strides,
        reduce_dim: int,
    ) -> None:
        # BEGIN TASK 2.3
        out_index = np.zeros(len(out_shape), dtype=np.int32)
        size = int(np.prod(out_shape))
        for ordinal in range(size):
            to_index(ordinal, out_shape, out_index)
            position = index_to_position(out_index, out_strides)
            a_index = out_index.copy()
            for j in range(int(a_shape[reduce_dim])):
                a_index[reduce_dim] = j
                value = a_storage[index_to_position(a_index, a_strides)]
                out[position] = fn(float(out[position]), float(value))
        # END TASK 2.3

    return _reduce


def tensor_matrix_multiply(
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
    """Low-level batched matmul: ``out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]``.

    The batch dimensions of ``a`` and ``b`` broadcast to those of ``out`` (as in :func:`tensor_zip`).
    """
    dims = len(out_shape)
    out_index = np.zeros(dims, dtype=np.int32)
    a_index = np.zeros(len(a_shape), dtype=np.int32)
    b_index = np.zeros(len(b_shape), dtype=np.int32)
    inner = int(a_shape[-1])
    for ordinal in range(int(np.prod(out_shape))):
        to_index(ordinal, out_shape, out_index)
        broadcast_index(out_index[:-2], out_shape[:-2], a_shape[:-2], a_index)
        broadcast_index(out_index[:-2], out_shape[:-2], b_shape[:-2], b_index)
        a_index[-2] = out_index[-2]
        b_index[-1] = out_index[-1]
        total = 0.0
        for k in range(inner):
            a_index[-1] = k
            b_index[-2] = k
            total += float(a_storage[index_to_position(a_index, a_strides)]) * float(
                b_storage[index_to_position(b_index, b_strides)]
            )
        out[index_to_position(out_index, out_strides)] = total


SimpleBackend = TensorBackend(SimpleOps)
"""The teaching backend: :class:`SimpleOps`' loops."""
