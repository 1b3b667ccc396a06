"""``Tensor``: a differentiable n-dimensional array on the same engine as ``Scalar`` (course Module 2).

A Tensor holds a :class:`~minitorch.tensor_data.TensorData` (storage, shape, strides), a backend that
computes on it, and a :class:`~minitorch.tensor_functions.History`. It follows the engine's
``Variable`` protocol exactly as a Scalar does, so :func:`~minitorch.backpropagate` runs it unchanged.

Every binary operation broadcasts (NumPy's rule); reductions keep the reduced dimension with size 1
(``sum(0)`` of a ``(3, 2)`` tensor has shape ``(1, 2)``), and ``sum()`` of everything has shape
``(1,)``, as in the course.

Examples:
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad.to_numpy().tolist()
    [[2.0, 4.0], [6.0, 8.0]]
    >>> f"{y:.1f}"
    '30.0'
"""

from __future__ import annotations

import itertools
import math
import numbers
import random
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt

from .autodiff import Variable, backpropagate
from .checks import is_real, wrong_derivative_count
from .numpy_ops import NumpyBackend
from .tensor_data import (
    IndexingError,
    Shape,
    Storage,
    Strides,
    TensorData,
    UserIndex,
    UserShape,
    checked_index,
    checked_shape,
)
from .tensor_functions import (
    EQ,
    LT,
    Add,
    All,
    Copy,
    Exp,
    History,
    Inv,
    IsClose,
    Log,
    MatMul,
    MeanAll,
    Mul,
    Neg,
    Permute,
    ReLU,
    Sigmoid,
    Sub,
    Sum,
    SumAll,
    View,
)
from .tensor_ops import TensorBackend, TensorProtocol, broadcast_shape_for, check_backend

__all__ = ["Tensor", "TensorLike", "History", "tensor", "zeros", "rand", "tensor_from_numpy"]

TensorLike: TypeAlias = "float | int | Tensor"

# The one process-wide id counter of tensors (owned by this module).
_unique_ids: itertools.count[int] = itertools.count(1)


class Tensor:
    """A multidimensional array that records how it was computed.

    Build tensors with :func:`tensor`, :func:`zeros` or :func:`rand` rather than with this class.

    Args:
        v: the numbers, shape and strides.
        back: the history (``None`` for a constant, ``History()`` for a leaf that requires grad).
        name: a label for drawings and reprs.
        backend: the backend that computes on it (the NumPy backend when omitted).

    Raises:
        TypeError: if ``v`` is not a TensorData, ``back`` not a History, ``name`` not a string or
            ``backend`` not a TensorBackend.
    """

    backend: TensorBackend
    history: History | None
    grad: Tensor | None
    _tensor: TensorData
    unique_id: int
    name: str

    def __init__(
        self,
        v: TensorData,
        back: History | None = None,
        name: str | None = None,
        backend: TensorBackend | None = None,
    ) -> None:
        if not isinstance(v, TensorData):
            raise TypeError(
                f"Tensor() expects a TensorData, got {type(v).__name__}; build tensors with "
                "minitorch.tensor(data)"
            )
        if back is not None and not isinstance(back, History):
            raise TypeError(
                f"Tensor(back) must be a History or None, got {type(back).__name__} {back!r}"
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Tensor(name) must be a string or None, got {type(name).__name__}")
        backend = NumpyBackend if backend is None else check_backend(backend, "Tensor(backend)")
        self._fill(v, back, backend, name)

    def _fill(
        self, v: TensorData, back: History | None, backend: TensorBackend, name: str | None
    ) -> None:
        """Set the fields from values already checked (``__init__`` checks them; ``_new`` trusts
        what its tensor holds)."""
        self.unique_id = next(_unique_ids)
        self._tensor = v
        self.history = back
        self.backend = self.f = backend
        self.grad = None
        self.name = str(self.unique_id) if name is None else name

    # ## Gradient bookkeeping

    def requires_grad_(self, x: bool = True) -> Tensor:
        """Make this tensor a leaf that receives a gradient (or, with ``False``, a constant).

        As in the course, a tensor computed by a function becomes a new leaf: it is cut from the
        graph that made it (``grad_check(f, t.sum(0))`` relies on this).

        Raises:
            TypeError: if ``x`` is not a bool.
        """
        if not isinstance(x, (bool, np.bool_)):
            raise TypeError(f"requires_grad_(x): x must be True or False, got {type(x).__name__} {x!r}")
        if not x:
            self.history = None
        elif not self.is_leaf():
            self.history = History()
        return self

    def requires_grad(self) -> bool:
        """True if gradients flow into this tensor (a leaf marked by ``requires_grad_`` or a result
        computed from one)."""
        return self.history is not None

    def zero_grad_(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None

    def detach(self) -> Tensor:
        """The same numbers as a constant (no history); the storage is shared."""
        return self._new(self._tensor)

    # ## Shape and conversion

    @property
    def shape(self) -> tuple[int, ...]:
        """The size of each dimension."""
        return self._tensor.shape

    @property
    def size(self) -> int:
        """The number of elements."""
        return self._tensor.size

    @property
    def dims(self) -> int:
        """The number of dimensions."""
        return self._tensor.dims

    def to_numpy(self) -> npt.NDArray[np.float64]:
        """A new NumPy array with the same numbers and shape."""
        return np.array(self._tensor.numpy_view(), dtype=np.float64)

    def item(self) -> float:
        """The number held by a one-element tensor.

        Raises:
            ValueError: if the tensor has more than one element.
        """
        if self.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, got shape {self.shape}; index it "
                "(t[i, j]) or reduce it (t.sum()) first"
            )
        return float(self._tensor._storage[self._tensor.index((0,) * self.dims)])

    def __format__(self, spec: str) -> str:
        if self.size == 1:
            return format(self.item(), spec)
        if spec:
            raise ValueError(
                f"format spec {spec!r} needs a one-element tensor, got shape {self.shape}; format "
                "t.item() or the elements instead"
            )
        return str(self)

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(
                f"the truth value of a tensor of shape {self.shape} is ambiguous; use .all() or "
                "compare one element"
            )
        return self.item() != 0.0

    def __hash__(self) -> int:
        # ``==`` builds a graph node (the course's semantics), yet tensors hash by identity.
        return id(self)

    def __repr__(self) -> str:
        body = np.array2string(self._tensor.numpy_view(), separator=", ", prefix="tensor(")
        if self.history is None:
            return f"tensor({body})"
        if self.history.last_fn is None:
            return f"tensor({body}, requires_grad=True)"
        return f"tensor({body}, grad_fn={self.history.last_fn.__name__})"

    def __getitem__(self, key: int | UserIndex) -> float:
        """The number at ``key`` (``t[i, j]``; an int for a 1-D tensor).

        Raises:
            TypeError: if ``key`` is not an int or a tuple of ints.
            IndexingError: if it has the wrong length or is out of range (negative included).
        """
        return self._tensor.get(self._key(key))

    def __setitem__(self, key: int | UserIndex, val: float) -> None:
        """Store the real number ``val`` at ``key`` (``t[i, j] = 2.0``).

        Raises:
            TypeError: if ``key`` is not an int or a tuple of ints, or ``val`` is not a real number.
            IndexingError: if ``key`` has the wrong length or is out of range.
        """
        if not is_real(val):
            raise TypeError(
                f"t[{key!r}] = val: val must be a real number, got {type(val).__name__} {val!r:.80}"
                + ("; use .item() for a one-element tensor" if isinstance(val, Tensor) else "")
            )
        self._tensor.set(self._key(key), val)

    @staticmethod
    def _key(key: int | UserIndex) -> tuple[int, ...]:
        if isinstance(key, list):
            raise TypeError(f"tensor index {key!r} is a list; index with a tuple of ints: t[i, j]")
        return checked_index(key, "tensor index")

    # ## Making tensors like this one

    @staticmethod
    def make(
        storage: Storage | Sequence[float],
        shape: UserShape,
        strides: Sequence[int] | None = None,
        backend: TensorBackend | None = None,
    ) -> Tensor:
        """A new constant tensor from storage, shape and optional strides."""
        return Tensor(TensorData(storage, shape, strides), backend=backend)

    def _new(self, tensor_data: TensorData) -> Tensor:
        """A constant Tensor of ``tensor_data`` on this backend (``Tensor(tensor_data,
        backend=self.backend)`` without re-checking what this tensor already holds)."""
        out: Tensor = object.__new__(Tensor)
        out._fill(tensor_data, None, self.backend, None)
        return out

    def zeros(self, shape: UserShape | None = None) -> Tensor:
        """A constant tensor of zeros on this backend (this tensor's shape when omitted)."""
        return zeros(self.shape if shape is None else shape, backend=self.backend)

    def _ensure_tensor(self, b: TensorLike, operation: str = "a Tensor operation") -> Tensor:
        """Turn a number into a one-element tensor on this backend; pass a tensor through.

        Raises:
            TypeError: naming ``operation``, if ``b`` is neither a Tensor nor a real number.
            OverflowError: if ``b`` is an integer too large for a float.
        """
        if isinstance(b, Tensor):
            return b
        if isinstance(b, numbers.Real) and not isinstance(b, bool):
            try:
                value = float(b)
            except OverflowError:
                raise OverflowError(
                    f"{operation}: the integer {b!r:.40} is too large for a float64"
                ) from None
            return Tensor.make([value], (1,), backend=self.backend)
        hint = "; wrap lists and arrays with minitorch.tensor(...)" if isinstance(
            b, (list, tuple, np.ndarray)) else ""
        raise TypeError(
            f"{operation} expects a Tensor or a real number, got {type(b).__name__} {b!r:.80}{hint}"
        )

    # ## Operators (each broadcasts)

    def __add__(self, b: TensorLike) -> Tensor:
        return Add.apply(self, self._ensure_tensor(b, "t + b"))

    def __radd__(self, b: TensorLike) -> Tensor:
        return Add.apply(self._ensure_tensor(b, "b + t"), self)

    def __sub__(self, b: TensorLike) -> Tensor:
        return Sub.apply(self, self._ensure_tensor(b, "t - b"))

    def __rsub__(self, b: TensorLike) -> Tensor:
        return Sub.apply(self._ensure_tensor(b, "b - t"), self)

    def __mul__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self, self._ensure_tensor(b, "t * b"))

    def __rmul__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self._ensure_tensor(b, "b * t"), self)

    def __truediv__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self, Inv.apply(self._ensure_tensor(b, "t / b")))

    def __rtruediv__(self, b: TensorLike) -> Tensor:
        return Mul.apply(self._ensure_tensor(b, "b / t"), Inv.apply(self))

    def __matmul__(self, b: Tensor) -> Tensor:
        return MatMul.apply(self, self._ensure_tensor(b, "t @ b"))

    def __lt__(self, b: TensorLike) -> Tensor:
        return LT.apply(self, self._ensure_tensor(b, "t < b"))

    def __gt__(self, b: TensorLike) -> Tensor:
        return LT.apply(self._ensure_tensor(b, "t > b"), self)

    def __eq__(self, b: TensorLike) -> Tensor:  # type: ignore[override]  # a graph node, as in the course
        return EQ.apply(self, self._ensure_tensor(b, "t == b"))

    def __neg__(self) -> Tensor:
        return Neg.apply(self)

    # ## Functions

    def sigmoid(self) -> Tensor:
        """Elementwise logistic function."""
        return Sigmoid.apply(self)

    def relu(self) -> Tensor:
        """Elementwise ``max(x, 0)``."""
        return ReLU.apply(self)

    def log(self) -> Tensor:
        """Elementwise natural logarithm."""
        return Log.apply(self)

    def exp(self) -> Tensor:
        """Elementwise ``e^x``."""
        return Exp.apply(self)

    def is_close(self, y: Tensor) -> Tensor:
        """Elementwise ``|x - y| < 1e-2`` as 1.0/0.0 (broadcasting)."""
        return IsClose.apply(self, self._ensure_tensor(y, "is_close(y)"))

    def _dim(self, dim: int, operation: str) -> int:
        """Check a dimension argument; negative values count from the end."""
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"{operation}(dim={dim!r}): dim must be an int")
        if not -self.dims <= dim < self.dims:
            raise IndexingError(
                f"{operation}(dim={dim}) is out of range for a tensor of shape {self.shape}"
            )
        return int(dim) % self.dims

    def _flat(self) -> Tensor:
        """All elements as one dimension (a contiguous copy first when needed)."""
        source = self if self._tensor.is_contiguous() else self.contiguous()
        return source.view(self.size)

    def sum(self, dim: int | None = None) -> Tensor:
        """Sum over ``dim`` (kept with size 1), or over everything into shape ``(1,)``.

        Raises:
            TypeError: if ``dim`` is not an int.
            IndexingError: if ``dim`` is out of range (``-dims <= dim < dims``).
        """
        if dim is None:
            return SumAll.apply(self)
        return Sum.apply(self, self._ensure_tensor(self._dim(dim, "sum")))

    def mean(self, dim: int | None = None) -> Tensor:
        """Mean over ``dim`` (kept with size 1), or over everything into shape ``(1,)``.

        Raises:
            TypeError: if ``dim`` is not an int.
            IndexingError: if ``dim`` is out of range (``-dims <= dim < dims``).
        """
        if dim is None:
            return MeanAll.apply(self)
        d = self._dim(dim, "mean")
        # A product with the float 1/n: one function in the graph where a division has two. The
        # mean over an empty dimension is NaN, as in NumPy and PyTorch.
        n = self.shape[d]
        return self.sum(d) * (1.0 / n if n else math.nan)

    def all(self, dim: int | None = None) -> Tensor:
        """1.0 where every element (along ``dim``, or everywhere) is non-zero.

        Raises:
            TypeError: if ``dim`` is not an int.
            IndexingError: if ``dim`` is out of range (``-dims <= dim < dims``).
        """
        if dim is None:
            return All.apply(self._flat(), self._ensure_tensor(0))
        return All.apply(self, self._ensure_tensor(self._dim(dim, "all")))

    def permute(self, *order: int) -> Tensor:
        """Reorder the dimensions: new dimension ``k`` is old dimension ``order[k]`` (no copy).

        ``t.permute(1, 0)`` and, as in PyTorch, ``t.permute((1, 0))`` are the same.

        Raises:
            TypeError: if an entry of ``order`` is not an int.
            IndexingError: if ``order`` is not a permutation of ``0 .. dims - 1``.
        """
        dims = checked_index(_one_sequence(order), "permute(order)")
        if sorted(dims) != list(range(self.dims)):
            raise IndexingError(
                f"permute{dims}: the order must name each dimension of shape {self.shape} once "
                f"(a permutation of 0..{self.dims - 1})"
            )
        return Permute.apply(self, tensor([float(k) for k in dims]))

    def view(self, *shape: int) -> Tensor:
        """The same numbers under a new shape of the same size (needs a contiguous tensor).

        ``t.view(2, 3)`` and, as in PyTorch, ``t.view((2, 3))`` are the same; ``-1`` is not
        inferred.

        Raises:
            TypeError: if a size is not an int.
            IndexingError: if a size is negative or the sizes multiply to another number of
                elements.
            ValueError: if the tensor is not contiguous (call ``.contiguous()`` first).
        """
        sizes = checked_shape(_one_sequence(shape), "view(shape)")
        return View.apply(self, tensor([float(s) for s in sizes]))

    def contiguous(self) -> Tensor:
        """A row-major copy of the numbers (differentiable)."""
        return Copy.apply(self)

    # ## The Variable protocol

    def expand(self, other: Tensor) -> Tensor:
        """Sum a gradient ``other`` of a broadcast shape back to this tensor's shape.

        A gradient that is smaller than this tensor (a reduction's) is first broadcast up; the
        dimensions this tensor was broadcast along are then summed out.
        """
        if other.shape == self.shape:
            return other
        true_shape = broadcast_shape_for("expand", self.shape, other.shape)
        out: TensorProtocol = other
        if other.shape != true_shape:
            out = _broadcast_view(other, true_shape)
        extra = len(true_shape) - self.dims
        for d, size in enumerate(true_shape):
            if size != 1 and (d < extra or self.shape[d - extra] == 1):
                out = self.backend.add_reduce(out, d)
        if out.shape != self.shape:
            if not out._tensor.is_contiguous() or len(out._tensor._storage) != out.size:
                out = self.backend.id_map(out)
            out = out._new(TensorData.row_major(out._tensor._storage, self.shape))
        return cast(Tensor, out)

    def accumulate_derivative(self, x: Tensor) -> None:
        """Add ``x`` to this leaf's gradient.

        Raises:
            ValueError: if this tensor is not a leaf, or ``x`` has another shape.
            TypeError: if ``x`` is not a Tensor.
        """
        if not self.is_leaf():
            raise ValueError(
                "accumulate_derivative: only leaves (tensors made by the user) keep a gradient"
            )
        if not isinstance(x, Tensor):
            raise TypeError(f"accumulate_derivative(x): x must be a Tensor, got {type(x).__name__}")
        if x.shape != self.shape:
            raise ValueError(
                f"accumulate_derivative(x): x has shape {x.shape}, the leaf has shape {self.shape}"
            )
        if self.grad is None:
            # chain_rule and backward have already copied a gradient that others share.
            self.grad = x.detach() if _owns_layout(x) else cast(Tensor, self.backend.id_map(x))
        else:
            self.grad = cast(Tensor, self.backend.add_zip(self.grad, x))

    def is_leaf(self) -> bool:
        """True for a tensor made by the user that requires grad (no function made it)."""
        return self.history is not None and self.history.last_fn is None

    def is_constant(self) -> bool:
        """True for a tensor that never receives a gradient."""
        return self.history is None

    @property
    def parents(self) -> Iterable[Variable]:
        """The non-constant inputs of the function that made this tensor."""
        if self.history is None:
            return []
        inputs = cast("Sequence[Tensor]", self.history.inputs)
        return [t for t in inputs if not t.is_constant()]

    def chain_rule(self, d_output: Tensor) -> Iterable[tuple[Variable, Any]]:
        """One ``(input, gradient)`` pair per input, each gradient summed to that input's shape."""
        h = self.history
        if h is None or h.last_fn is None or h.ctx is None:
            raise ValueError(
                f"chain_rule: tensor {self.name} was not made by a Function (it is a leaf or a "
                "constant)"
            )
        grads = h.last_fn._backward(h.ctx, d_output)
        name = h.last_fn.__name__
        if len(grads) != len(h.inputs):
            if len(grads) == 1 and grads[0] is None:
                raise TypeError(
                    f"{name}.backward returned None; return one gradient per forward argument"
                )
            raise wrong_derivative_count(name, grads, h.inputs)
        pairs: list[tuple[Variable, Any]] = []
        # Storages that a leaf's gradient must not share: d_output's (passed through by Add, Sum,
        # Copy, views) and those already handed to another input.
        handed = [d_output._tensor._storage]
        for i, (inp, grad) in enumerate(zip(cast("Sequence[Tensor]", h.inputs), grads, strict=True)):
            if inp.is_constant():
                pairs.append((inp, grad))
                continue
            g = grad if type(grad) is Tensor else self._ensure_tensor(
                grad, f"{name}.backward, gradient {i}"
            )
            try:
                g = inp.expand(g)
            except IndexingError:
                raise IndexingError(
                    f"{name}.backward, gradient {i} has shape {g.shape}, which does not broadcast "
                    f"to the input's shape {inp.shape}; return a gradient of the input's (or the "
                    "output's) shape"
                ) from None
            storage = g._tensor._storage
            if inp.is_leaf() and (not _owns_layout(g) or any(storage is other for other in handed)):
                g = cast(Tensor, self.backend.id_map(g))
            handed.append(storage)
            pairs.append((inp, g))
        return pairs

    def backward(self, grad_output: Tensor | None = None) -> None:
        """Backpropagate from this tensor into the leaves' ``.grad``.

        Args:
            grad_output: the gradient of the final quantity with respect to this tensor, of its
                shape; may be omitted for a one-element tensor (it is then 1).

        Raises:
            ValueError: without ``grad_output`` on a tensor of more than one element, with a
                ``grad_output`` of another shape, or on a constant.
            TypeError: if ``grad_output`` is not a Tensor.
        """
        if self.is_constant():
            raise ValueError(
                "backward() on a constant tensor: nothing requires grad; create the inputs with "
                "requires_grad=True or call .requires_grad_()"
            )
        if grad_output is None:
            if self.size != 1:
                raise ValueError(
                    f"backward() on a tensor of shape {self.shape} needs grad_output, a tensor of "
                    f"that shape (the gradient of the final value with respect to this one); or "
                    "call .sum().backward()"
                )
            grad_output = Tensor.make([1.0], self.shape, backend=self.backend)
        elif not isinstance(grad_output, Tensor):
            raise TypeError(
                f"backward(grad_output): grad_output must be a Tensor of shape {self.shape}, got "
                f"{type(grad_output).__name__}; wrap it with minitorch.tensor(...)"
            )
        elif self.is_leaf() and grad_output.shape == self.shape:
            grad_output = cast(Tensor, self.backend.id_map(grad_output))  # not the caller's array
        elif grad_output.shape != self.shape:
            raise ValueError(
                f"backward(): grad_output has shape {grad_output.shape}, but the tensor has shape "
                f"{self.shape}; they must match"
            )
        backpropagate(self, grad_output)

    # Last in the class: below this line ``tuple`` would name the method, not the builtin.
    def tuple(self) -> tuple[Storage, Shape, Strides]:
        """``(storage, shape, strides)`` as arrays (what the low-level loops take)."""
        return self._tensor.tuple()


# ## Building tensors


def _one_sequence(values: tuple[Any, ...]) -> Any:
    """``(2, 3)`` from ``f(2, 3)`` or ``f((2, 3))``: the PyTorch habit of passing one sequence."""
    if len(values) == 1 and isinstance(values[0], (tuple, list)):
        return values[0]
    return values


def _checked_array(data: Any, function: str) -> npt.NDArray[np.float64]:
    """``data`` as a float64 array, or a TypeError naming ``function``'s argument."""
    if isinstance(data, Tensor):
        raise TypeError(
            f"{function}(data=...): got a Tensor; use t.detach() to share it or "
            f"{function}(t.to_numpy()) to copy it"
        )
    try:
        raw = np.asarray(data)
    except ValueError as error:  # ragged nested lists
        raise TypeError(
            f"{function}(data=...): expects nested lists of equal lengths or a NumPy array: {error}"
        ) from None
    if raw.dtype == object and raw.size and all(type(v) is int for v in raw.reshape(-1)):
        raise OverflowError(
            f"{function}(data=...): an integer is too large for a float64: {data!r:.80}"
        )
    if raw.dtype.kind not in "biuf":
        raise TypeError(
            f"{function}(data=...): expects numbers (nested lists of floats or a numeric NumPy "
            f"array), got {type(data).__name__} holding {raw.dtype} values: {data!r:.80}"
        )
    return raw.astype(np.float64)


def tensor_from_numpy(
    array: npt.NDArray[Any], backend: TensorBackend | None = None, requires_grad: bool = False
) -> Tensor:
    """A tensor holding a float64 copy of a NumPy array (one vectorised copy).

    Raises:
        TypeError: if the array holds something other than numbers (strings, objects, complex
            numbers), ``backend`` is not a TensorBackend or ``requires_grad`` not a bool.
        OverflowError: if it holds an integer too large for a float64.

    Examples:
        >>> tensor_from_numpy(np.ones((2, 3))).shape
        (2, 3)
    """
    function = "tensor" if isinstance(array, (list, tuple)) else "tensor_from_numpy"
    values = _checked_array(array, function)
    _check_options(function, backend, requires_grad)
    out = Tensor.make(values.reshape(-1), values.shape, backend=backend)
    return out.requires_grad_(requires_grad)


def _check_options(function: str, backend: object, requires_grad: object) -> None:
    """Refuse a ``backend`` that is not a TensorBackend and a ``requires_grad`` that is not a bool."""
    if backend is not None:
        check_backend(backend, f"{function}(backend)")
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(
            f"{function}(requires_grad) must be True or False, got {type(requires_grad).__name__} "
            f"{requires_grad!r}"
        )


def tensor(ls: Any, backend: TensorBackend | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor from nested lists of numbers or a NumPy array (copied).

    Args:
        ls: the numbers; nested lists give the shape.
        backend: the backend (the NumPy backend when omitted).
        requires_grad: make it a leaf that receives gradients.

    Raises:
        TypeError: if ``ls`` holds something that is not a number (a string, None, a complex
            number, a Tensor), or ragged lists; if ``backend`` is not a TensorBackend or
            ``requires_grad`` not a bool.
        OverflowError: if it holds an integer too large for a float64.

    Examples:
        >>> tensor([[1, 2, 3], [4, 5, 6]]).shape
        (2, 3)
    """
    return tensor_from_numpy(ls, backend=backend, requires_grad=requires_grad)


def _owns_layout(t: Tensor) -> bool:
    """True if ``t`` is row-major over exactly its own storage (no view with strides or repeats)."""
    data = t._tensor
    return data.is_contiguous() and len(data._storage) == data.size


def _broadcast_view(t: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``t`` read at the broadcast ``shape`` without copying: stride 0 along each broadcast dimension.

    The view shares ``t``'s storage and repeats its numbers, so it is for reading only (the
    backends' operations always write new tensors).
    """
    data = t._tensor
    extra = len(shape) - data.dims
    strides = [0] * extra + [
        0 if size == 1 and shape[extra + k] != 1 else stride
        for k, (size, stride) in enumerate(zip(data.shape, data.strides, strict=True))
    ]
    return t._new(TensorData.strided(data._storage, shape, tuple(strides)))


def zeros(shape: UserShape, backend: TensorBackend | None = None) -> Tensor:
    """A constant tensor of zeros.

    Raises:
        TypeError: if ``shape`` is not a tuple of ints or ``backend`` not a TensorBackend.
        IndexingError: if a size is negative.

    Examples:
        >>> zeros((2, 2)).to_numpy().tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    shape = checked_shape(shape, "zeros(shape)")
    _check_options("zeros", backend, False)
    size = 1
    for s in shape:
        size *= s
    return Tensor.make(np.zeros(size), shape, backend=backend)


def rand(
    shape: UserShape, backend: TensorBackend | None = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of numbers drawn uniformly from [0, 1).

    The generator is seeded from Python's ``random``, so ``random.seed`` makes it reproducible.

    Raises:
        TypeError: if ``shape`` is not a tuple of ints, ``backend`` not a TensorBackend or
            ``requires_grad`` not a bool.
        IndexingError: if a size is negative.

    Examples:
        >>> t = rand((3, 4))
        >>> t.shape, bool((t < 1.0).all())
        ((3, 4), True)
    """
    shape = checked_shape(shape, "rand(shape)")
    _check_options("rand", backend, requires_grad)
    size = 1
    for s in shape:
        size *= s
    generator = np.random.default_rng(random.getrandbits(64))
    out = Tensor.make(generator.random(size), shape, backend=backend)
    return out.requires_grad_(requires_grad)

