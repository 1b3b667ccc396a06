"""Tensor storage: a flat float64 array read through a shape and strides (the course's task 2.1-2.2).

A tensor of shape ``(2, 3)`` keeps its six numbers in one flat NumPy array, its *storage*. The
*strides* say how far to move in the storage for one step along each dimension: the element at index
``(i, j)`` sits at position ``i * strides[0] + j * strides[1]``. Row-major ("contiguous") strides of
shape ``(2, 3)`` are ``(3, 1)``; swapping the dimensions (a transpose) only swaps shape and strides,
the storage stays where it is.

*Broadcasting* lets shapes of different sizes meet, with NumPy's rule: align the shapes on the
right, and two sizes agree when they are equal or one of them is 1 (a missing dimension counts as 1).

Examples:
    >>> td = TensorData([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], (2, 3))
    >>> td.strides
    (3, 1)
    >>> td.get((1, 0))
    4.0
    >>> td.permute(1, 0).shape
    (3, 2)
    >>> shape_broadcast((2, 1), (3,))
    (2, 3)
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable, Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from .checks import is_real

__all__ = [
    "MAX_DIMS", "IndexingError", "Storage", "Index", "OutIndex", "Shape", "Strides", "UserIndex",
    "UserShape", "UserStrides", "index_to_position", "to_index", "broadcast_index",
    "shape_broadcast", "strides_from_shape", "TensorData", "checked_shape", "checked_index",
]

MAX_DIMS = 32
"""The most dimensions a tensor may have (the course's limit)."""


class IndexingError(RuntimeError):
    """An index, a shape or a pair of strides that does not fit a tensor (the course's error)."""


Storage: TypeAlias = npt.NDArray[np.float64]
OutIndex: TypeAlias = npt.NDArray[np.int32]
Index: TypeAlias = npt.NDArray[np.int32]
Shape: TypeAlias = npt.NDArray[np.int32]
Strides: TypeAlias = npt.NDArray[np.int32]

UserIndex: TypeAlias = Sequence[int]
UserShape: TypeAlias = Sequence[int]
UserStrides: TypeAlias = Sequence[int]


def index_to_position(index: Index | UserIndex, strides: Strides | UserStrides) -> int:
    """Return the storage position of a multidimensional ``index``: ``sum(index[k] * strides[k])``.

    Args:
        index: one integer per dimension.
        strides: the tensor's strides.

    Raises:
        IndexingError: if ``index`` has fewer entries than ``strides``.

    Examples:
        >>> index_to_position((1, 2), (3, 1))
        5
    """
    # BEGIN TASK 2.1
    # The checks use constant messages: fast_ops compiles this function with numba.
    # (An index longer than the strides is allowed: the compiled kernels pass fixed-size buffers.)
    if len(index) < len(strides):
        raise IndexingError(
            "index_to_position: index has fewer entries than strides (give one per dimension)"
        )
    # A plain loop over positions (no zip): the same body compiles with numba in fast_ops.py.
    position = 0
    for k in range(len(strides)):
        position += int(index[k]) * int(strides[k])
    return position
    # END TASK 2.1


def to_index(ordinal: int, shape: Shape | UserShape, out_index: OutIndex) -> None:
    """Write into ``out_index`` the index that is number ``ordinal`` in row-major order of ``shape``.

    Enumerating ``ordinal = 0 .. size - 1`` visits every index of ``shape`` exactly once (the last
    dimension changes fastest). It is not the inverse of :func:`index_to_position` for a permuted
    layout: it counts indices, not storage positions.

    Args:
        ordinal: a number from 0 to ``size - 1``.
        shape: the tensor's shape.
        out_index: an integer array with one slot per dimension, overwritten.

    Raises:
        IndexingError: if ``ordinal`` is outside ``0 .. size - 1`` or ``out_index`` has fewer slots
            than ``shape`` has dimensions.

    Examples:
        >>> out = np.zeros(2, dtype=np.int32)
        >>> to_index(5, (2, 3), out)
        >>> out.tolist()
        [1, 2]
    """
    # BEGIN TASK 2.1
    # The checks use constant messages: fast_ops compiles this function with numba.
    if len(out_index) < len(shape):
        raise IndexingError("to_index: out_index needs one slot per dimension of shape")
    size = 1
    for s in shape:
        size *= s
    if ordinal < 0 or ordinal >= size:
        raise IndexingError(
            "to_index: ordinal must lie in 0 .. size - 1, where size is the product of shape"
        )
    remaining = int(ordinal)
    for k in range(len(shape) - 1, -1, -1):
        size = int(shape[k])
        out_index[k] = remaining % size
        remaining //= size
    # END TASK 2.1


def broadcast_index(
    big_index: Index | UserIndex,
    big_shape: Shape | UserShape,
    shape: Shape | UserShape,
    out_index: OutIndex,
) -> None:
    """Map an index of the broadcast (bigger) shape to the index of a smaller input it came from.

    The shapes are aligned on the right; along a dimension where ``shape`` has size 1 the input was
    repeated, so its index there is 0; the extra leading dimensions of ``big_shape`` are dropped.

    Args:
        big_index: an index into ``big_shape``.
        big_shape: the broadcast shape.
        shape: the smaller shape, which broadcasts to ``big_shape``.
        out_index: an integer array with one slot per dimension of ``shape``, overwritten.

    Raises:
        IndexingError: if ``shape`` does not broadcast to ``big_shape``, or an index is too short.

    Examples:
        >>> out = np.zeros(2, dtype=np.int32)
        >>> broadcast_index((4, 1, 2), (5, 3, 4), (1, 4), out)
        >>> out.tolist()
        [0, 2]
    """
    # BEGIN TASK 2.2
    # The checks use constant messages: fast_ops compiles this function with numba.
    offset = len(big_shape) - len(shape)
    if offset < 0 or len(big_index) < len(big_shape) or len(out_index) < len(shape):
        raise IndexingError(
            "broadcast_index: shape has more dimensions than big_shape, or big_index/out_index "
            "has fewer entries than its shape"
        )
    for k in range(len(shape)):
        if shape[k] == 1:
            out_index[k] = 0  # this input was repeated along dimension k
        elif shape[k] == big_shape[k + offset]:
            out_index[k] = big_index[k + offset]
        else:
            raise IndexingError(
                "broadcast_index: shape does not broadcast to big_shape (aligned on the right, "
                "each size must equal big_shape's or be 1); check with shape_broadcast first"
            )
    # END TASK 2.2


def shape_broadcast(shape1: UserShape, shape2: UserShape) -> tuple[int, ...]:
    """Return the shape that ``shape1`` and ``shape2`` broadcast to (NumPy's rule).

    Raises:
        TypeError: if a shape is not a tuple (or list) of ints.
        IndexingError: if a size is negative, or some aligned pair of sizes differs and neither
            is 1; the message names both shapes.

    Examples:
        >>> shape_broadcast((5, 1, 4), (3, 1))
        (5, 3, 4)
    """
    # BEGIN TASK 2.2
    checked_shape(shape1, "shape_broadcast(shape1)")
    checked_shape(shape2, "shape_broadcast(shape2)")
    n = max(len(shape1), len(shape2))
    padded1 = [1] * (n - len(shape1)) + [int(s) for s in shape1]
    padded2 = [1] * (n - len(shape2)) + [int(s) for s in shape2]
    out = []
    for a, b in zip(padded1, padded2, strict=True):
        if a != b and a != 1 and b != 1:
            raise IndexingError(
                f"shapes {tuple(shape1)} and {tuple(shape2)} do not broadcast: sizes {a} and {b} "
                "differ and neither is 1"
            )
        out.append(a if b == 1 else b)
    return tuple(out)
    # END TASK 2.2


def strides_from_shape(shape: UserShape) -> tuple[int, ...]:
    """Return the row-major (contiguous) strides of ``shape``.

    Raises:
        TypeError: if ``shape`` is not a tuple (or list) of ints.
        IndexingError: if a size is negative.

    Examples:
        >>> strides_from_shape((2, 3, 4))
        (12, 4, 1)
    """
    return _row_major_strides(checked_shape(shape, "strides_from_shape(shape)"))


@functools.lru_cache(maxsize=512)
def _row_major_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """:func:`strides_from_shape` for a shape already checked (remembered: every new tensor
    asks, and a program uses few shapes)."""
    strides = []
    step = 1
    for size in reversed(shape):
        strides.append(step)
        step *= size
    return tuple(reversed(strides))


def checked_shape(shape: object, where: str = "TensorData(shape)") -> tuple[int, ...]:
    """Return ``shape`` as a tuple of ints, or raise an error naming ``where``.

    Raises:
        TypeError: if ``shape`` is not a tuple or list of ints (bools and floats are refused).
        IndexingError: if a size is negative or there are more than ``MAX_DIMS`` dimensions.

    Examples:
        >>> checked_shape([2, 3])
        (2, 3)
    """
    if type(shape) is tuple and all(type(s) is int and s >= 0 for s in shape):
        if len(shape) > MAX_DIMS:
            raise IndexingError(f"{where}: shape {shape!r} has more than {MAX_DIMS} dimensions")
        return shape  # the common case, checked cheaply
    if not isinstance(shape, (tuple, list)):
        raise TypeError(
            f"{where} must be a tuple of ints such as (2, 3), got {type(shape).__name__} {shape!r}"
        )
    values = tuple(shape)
    for size in values:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(
                f"{where}: shape {values!r} must contain ints only, got {type(size).__name__} "
                f"{size!r}"
            )
        if size < 0:
            raise IndexingError(f"{where}: shape {values!r} has a negative size")
    if len(values) > MAX_DIMS:
        raise IndexingError(f"{where}: shape {values!r} has more than {MAX_DIMS} dimensions")
    return tuple(int(s) for s in values)


def checked_index(index: object, where: str) -> tuple[int, ...]:
    """Return ``index`` (an int or a tuple of ints) as a tuple of ints, or raise naming ``where``.

    Raises:
        TypeError: if ``index`` is not an int or a tuple/list of ints (bools and floats refused).

    Examples:
        >>> checked_index(2, "t[...]"), checked_index((0, 1), "t[...]")
        ((2,), (0, 1))
    """
    if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
        return (int(index),)
    if not isinstance(index, (tuple, list, np.ndarray)):
        raise TypeError(
            f"{where}: index {index!r} must be an int or a tuple of ints (one per dimension), got "
            f"{type(index).__name__}"
        )
    for i in index:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
            raise TypeError(
                f"{where}: index {tuple(index)!r} must hold ints only, got {type(i).__name__} {i!r}"
            )
    return tuple(int(i) for i in index)


def _checked_storage(storage: object) -> Storage:
    """``storage`` as a flat float64 array, or a TypeError naming ``TensorData(storage)``."""
    try:
        raw = np.asarray(storage)
    except ValueError as error:  # ragged nested lists
        raise TypeError(f"TensorData(storage) expects a flat list of numbers: {error}") from None
    if raw.dtype.kind not in "biuf":
        raise TypeError(
            f"TensorData(storage) expects numbers (a list of floats or a numeric NumPy array), got "
            f"{type(storage).__name__} holding {raw.dtype} values: {storage!r:.80}"
        )
    return np.asarray(raw, dtype=np.float64).reshape(-1)


def _checked_strides(strides: object, shape: tuple[int, ...]) -> tuple[int, ...]:
    """``strides`` as a tuple of non-negative ints, one per dimension, or an error saying why."""
    if not isinstance(strides, (tuple, list, np.ndarray)):
        raise TypeError(
            f"TensorData(strides) must be a tuple of ints, got {type(strides).__name__} {strides!r}"
        )
    for st in strides:
        if isinstance(st, bool) or not isinstance(st, (int, np.integer)):
            raise TypeError(f"TensorData(strides) {tuple(strides)!r} must contain ints only")
    values = tuple(int(st) for st in strides)
    if len(values) != len(shape):
        raise IndexingError(
            f"TensorData: strides {values} must have one entry per dimension of shape {shape}"
        )
    if any(st < 0 for st in values):
        raise IndexingError(f"TensorData: strides {values} must not be negative (shape {shape})")
    return values


class TensorData:
    """A flat float64 storage viewed through a shape and strides.

    Args:
        storage: the numbers (a list or a NumPy array; an array is used as given when it is already
            a flat float64 array, so permuted views share it).
        shape: the size of each dimension.
        strides: the storage step of each dimension (row-major when omitted).

    Raises:
        TypeError: if the storage holds something other than numbers, or shape or strides are not
            tuples of ints.
        IndexingError: if strides and shape differ in length, a size or stride is negative, or a
            position lies outside storage.

    Examples:
        >>> TensorData([0.0] * 6, (2, 3), (1, 2)).is_contiguous()
        False
    """

    _storage: Storage
    strides: tuple[int, ...]
    shape: tuple[int, ...]
    dims: int
    size: int
    _row_major: bool

    def __init__(
        self,
        storage: Sequence[float] | Storage,
        shape: UserShape,
        strides: UserStrides | None = None,
    ) -> None:
        shape = checked_shape(shape)
        if (
            isinstance(storage, np.ndarray)
            and storage.dtype == np.float64
            and storage.ndim == 1
            and storage.flags.c_contiguous
        ):
            flat = storage
        else:
            flat = _checked_storage(storage)
        row_major = strides_from_shape(shape)
        given = strides is not None
        strides = row_major if strides is None else _checked_strides(strides, shape)
        size = math.prod(shape)
        if size:
            # Row-major strides (the common case, every new result) reach position size - 1.
            last = (
                sum((s - 1) * st for s, st in zip(shape, strides, strict=True)) if given else size - 1
            )
            if last >= len(flat):
                raise IndexingError(
                    f"TensorData: shape {shape} with strides {strides} reaches position {last}, "
                    f"but the storage holds {len(flat)} numbers"
                )
        # Row-major strides over exactly ``size`` numbers: NumPy can reshape the storage as it is.
        self._fill(flat, shape, strides, size, strides == row_major and len(flat) == size)

    def _fill(
        self,
        storage: Storage,
        shape: tuple[int, ...],
        strides: tuple[int, ...],
        size: int,
        row_major: bool,
    ) -> None:
        """Set the fields from a layout already checked (``__init__`` checks it; ``row_major``
        and ``strided`` trust their caller)."""
        self._storage = storage
        self.shape = shape
        self.strides = strides
        self.dims = len(shape)
        self.size = size
        self._row_major = row_major

    @classmethod
    def row_major(cls, storage: Storage, shape: tuple[int, ...]) -> TensorData:
        """A TensorData over ``storage``, row-major, without the checks of ``__init__``.

        For results a backend has just computed: ``storage`` must be a flat, C-contiguous float64
        array holding exactly the ``shape``'s numbers, and ``shape`` a tuple of ints (NumPy's
        ``result.shape``). Anything else belongs in ``TensorData(storage, shape)``.

        Examples:
            >>> TensorData.row_major(np.zeros(6), (2, 3)).strides
            (3, 1)
        """
        data = cls.__new__(cls)
        data._fill(storage, shape, _row_major_strides(shape), len(storage), True)
        return data

    @classmethod
    def strided(
        cls, storage: Storage, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> TensorData:
        """A view of ``storage`` with ``shape`` and ``strides``, without the checks of ``__init__``.

        For layouts derived from a TensorData that was checked (a transpose, a broadcast, a new
        shape for the same row-major numbers): ``shape`` and ``strides`` must be tuples of ints
        that stay inside ``storage``. Anything else belongs in ``TensorData(storage, shape,
        strides)``.

        Examples:
            >>> TensorData.strided(np.arange(6.0), (3, 2), (1, 3)).numpy_view().tolist()
            [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
        """
        size = math.prod(shape)
        data = cls.__new__(cls)
        row_major = strides == _row_major_strides(shape) and len(storage) == size
        data._fill(storage, shape, strides, size, row_major)
        return data

    @property
    def _shape(self) -> Shape:
        """The shape as an integer array (what the low-level loops take)."""
        return np.array(self.shape, dtype=np.int32)

    @property
    def _strides(self) -> Strides:
        """The strides as an integer array (what the low-level loops take)."""
        return np.array(self.strides, dtype=np.int32)

    def is_contiguous(self) -> bool:
        """True if the layout is row-major: walking the indices in order walks storage 0, 1, 2, ...

        Dimensions of size 1 are ignored (their stride never matters).
        """
        expected = 1
        for size, stride in zip(reversed(self.shape), reversed(self.strides), strict=True):
            if size != 1 and stride != expected:
                return False
            expected *= size
        return True

    @staticmethod
    def shape_broadcast(shape_a: UserShape, shape_b: UserShape) -> tuple[int, ...]:
        """The broadcast shape of ``shape_a`` and ``shape_b`` (see :func:`shape_broadcast`)."""
        return shape_broadcast(shape_a, shape_b)

    def index(self, index: int | UserIndex) -> int:
        """Return the storage position of ``index`` (an int for a 1-D tensor, else a tuple).

        Raises:
            TypeError: if the index is not an int or a tuple of ints.
            IndexingError: if the index has the wrong length, is negative or is out of range; the
                message names the index and the shape.
        """
        key = checked_index(index, "TensorData.index")
        if len(key) != self.dims:
            raise IndexingError(
                f"index {key} has {len(key)} entries but the tensor of shape {self.shape} has "
                f"{self.dims} dimensions; give one index per dimension"
            )
        for i, size in zip(key, self.shape, strict=True):
            if i < 0:
                raise IndexingError(
                    f"index {key} is negative; negative indexing is not supported (shape {self.shape})"
                )
            if i >= size:
                raise IndexingError(f"index {key} is out of range for shape {self.shape}")
        return index_to_position(key, self.strides)

    def indices(self) -> Iterable[tuple[int, ...]]:
        """Yield every index of the shape once, in row-major order."""
        out_index = np.zeros(self.dims, dtype=np.int32)
        for ordinal in range(self.size):
            to_index(ordinal, self._shape, out_index)
            yield tuple(int(i) for i in out_index)

    def sample(self) -> tuple[int, ...]:
        """Return one index drawn uniformly at random (with the ``random`` module)."""
        return tuple(random.randint(0, s - 1) for s in self.shape)

    def get(self, key: UserIndex) -> float:
        """Return the number at ``key``."""
        return float(self._storage[self.index(key)])

    def set(self, key: UserIndex, val: float) -> None:
        """Store ``val`` at ``key``.

        Raises:
            TypeError: if ``val`` is not a real number (NaN and infinities are allowed).
        """
        if not is_real(val):
            raise TypeError(
                f"TensorData.set: the value must be a real number, got {type(val).__name__} "
                f"{val!r:.80}"
            )
        self._storage[self.index(key)] = float(val)

    def tuple(self) -> tuple[Storage, Shape, Strides]:
        """Return ``(storage, shape, strides)`` as arrays: what the low-level loops take."""
        return (self._storage, self._shape, self._strides)

    def permute(self, *order: int) -> TensorData:
        """Return a view with the dimensions reordered: new dimension ``k`` is old ``order[k]``.

        The storage is shared; only shape and strides move.

        Raises:
            TypeError: if an entry of ``order`` is not an int.
            IndexingError: if ``order`` is not a permutation of ``0 .. dims - 1``.

        Examples:
            >>> TensorData([0.0] * 6, (2, 3)).permute(1, 0).strides
            (1, 3)
        """
        # BEGIN TASK 2.1
        order = checked_index(order, "permute(order)")
        if sorted(order) != list(range(self.dims)):
            raise IndexingError(
                f"permute: order {order} must name each dimension of shape {self.shape} once "
                f"(a permutation of 0..{self.dims - 1})"
            )
        return TensorData(
            self._storage,
            tuple(self.shape[k] for k in order),
            tuple(self.strides[k] for k in order),
        )
        # END TASK 2.1

    def numpy_view(self) -> Storage:
        """Return a NumPy array with this shape that shares the storage (writes go through).

        Examples:
            >>> TensorData([1.0, 2.0, 3.0, 4.0], (2, 2)).permute(1, 0).numpy_view().tolist()
            [[1.0, 3.0], [2.0, 4.0]]
        """
        storage = self._storage
        if self._row_major:
            return storage.reshape(self.shape)
        itemsize = storage.itemsize
        # ndarray over the storage's buffer: as_strided's view, built in C (a tenth of the time).
        view: Storage = np.ndarray(
            self.shape, np.float64, storage, 0, tuple(s * itemsize for s in self.strides)
        )
        return view

    def to_string(self) -> str:
        """Return the numbers as nested brackets, one row per line, two decimals each."""
        if self.dims == 0:
            return f"{self.get(()):3.2f}"
        text = ""
        for index in self.indices():
            opening = ""
            for k in range(self.dims - 1, -1, -1):
                if index[k] != 0:
                    break
                opening = "\n" + "\t" * k + "[" + opening
            closing = ""
            for k in range(self.dims - 1, -1, -1):
                if index[k] != self.shape[k] - 1:
                    break
                closing += "]"
            text += opening + f"{self.get(index):3.2f}" + (closing or " ")
        return text
