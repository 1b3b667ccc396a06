"""NumPy interop for traced arrays: ``np.exp(x)``, ``x @ w``, ``np.sum(x, axis=0)`` on an ArrayTensor.

An :class:`ArrayTensor` is what the functional API hands a function for a NumPy array argument
(see :mod:`minitorch.array_trace`). It implements NumPy's dispatch protocols
(``__array_ufunc__`` and ``__array_function__``), so plain ``import numpy as np`` code runs on it
as whole-array differentiable operations:

- ufuncs: ``+ - * / ** neg``, ``square reciprocal exp log log1p expm1 tanh sin cos sqrt abs
  maximum minimum fmax fmin sign matmul``; comparisons (``< <= > >= == !=``, ``isfinite``...)
  give plain boolean arrays, as in NumPy (they have no derivative);
- functions: ``sum mean max amax min amin prod`` (with ``axis`` and ``keepdims``), ``dot matmul
  outer``, ``reshape ravel transpose swapaxes expand_dims squeeze broadcast_to concatenate stack
  where clip``, ``shape ndim size zeros_like ones_like``; indexing and slicing ``x[...]`` (basic and
  integer-array).

**Two semantics side by side.** Inside this interop NumPy's rules hold: ``np.sum(x, axis=0)`` drops
the axis and ``np.sum(x)`` is 0-d. The Tensor methods keep the course's rules: ``x.sum(0)`` keeps
the dimension with size 1 and ``x.sum()`` has shape ``(1,)``; ``x.mean``, ``x.permute``,
``x.view`` likewise. Broadcasting is NumPy's in both.

A NumPy function or ufunc without a differentiable version raises ``TypeError`` naming it and
pointing to :func:`minitorch.primitive` / :func:`minitorch.defvjp`, as on single values.

Examples:
    >>> import numpy as np
    >>> from minitorch import grad
    >>> grad(lambda w: np.sum(np.tanh(np.array([[1.0, 2.0]]) @ w) ** 2))(np.array([[0.1], [0.2]])).round(4)
    array([[0.7269],
           [1.4537]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import array_functions as fn
from . import array_shape_functions as sf
from .array_numpy_calls import (
    FUNCTIONS,
    REDUCE_METHODS,
    UFUNCS,
    check_no_extra_arguments,
    dot,
    lift,
    matmul,
    reduction,
    reshape,
    unsupported_numpy,
)
from .array_trace import TracedTensor, innermost_array

__all__ = ["ArrayTensor"]


class ArrayTensor(TracedTensor):
    """A traced NumPy array: NumPy functions, operators and indexing on it are differentiable.

    Operators and NumPy calls follow NumPy's semantics (comparisons give boolean arrays); the
    Tensor methods (``sum``, ``mean``, ``permute``, ``view``, ``exp``...) keep the course's.
    """

    __slots__ = ()
    __array_priority__ = 1000.0

    # ## NumPy's dispatch protocols

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        name = f"numpy.{ufunc.__name__}"
        if method == "reduce" and ufunc in REDUCE_METHODS:
            return reduction(REDUCE_METHODS[ufunc])(*inputs, **kwargs)
        if method != "__call__":
            raise TypeError(
                f"{name}.{method} is not supported on traced arrays; call {name}(...) or np.sum/"
                "np.max/... instead"
            )
        check_no_extra_arguments(name, kwargs)
        impl = UFUNCS.get(ufunc)
        if impl is None:
            raise unsupported_numpy(name, "ufuncs", [u.__name__ for u in UFUNCS])
        return impl(*(lift(x) for x in inputs))

    def __array_function__(
        self, func: Callable[..., Any], types: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        impl = FUNCTIONS.get(func)
        if impl is None:
            name = f"numpy.{getattr(func, '__name__', func)}"
            raise unsupported_numpy(name, "functions on arrays", [f.__name__ for f in FUNCTIONS])
        return impl(*args, **kwargs)

    # ## Operators: NumPy's semantics

    def __add__(self, b: Any) -> Any:
        return fn.Add.apply(self, lift(b))

    def __radd__(self, b: Any) -> Any:
        return fn.Add.apply(lift(b), self)

    def __sub__(self, b: Any) -> Any:
        return fn.Sub.apply(self, lift(b))

    def __rsub__(self, b: Any) -> Any:
        return fn.Sub.apply(lift(b), self)

    def __mul__(self, b: Any) -> Any:
        return fn.Mul.apply(self, lift(b))

    def __rmul__(self, b: Any) -> Any:
        return fn.Mul.apply(lift(b), self)

    def __truediv__(self, b: Any) -> Any:
        return fn.Div.apply(self, lift(b))

    def __rtruediv__(self, b: Any) -> Any:
        return fn.Div.apply(lift(b), self)

    def __pow__(self, b: Any) -> Any:
        return fn.Pow.apply(self, lift(b))

    def __rpow__(self, b: Any) -> Any:
        return fn.Pow.apply(lift(b), self)

    def __matmul__(self, b: Any) -> Any:
        return matmul(self, lift(b))

    def __rmatmul__(self, b: Any) -> Any:
        return matmul(lift(b), self)

    def __neg__(self) -> Any:
        return fn.Neg.apply(self)

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return fn.Abs.apply(self)

    def __lt__(self, b: Any) -> Any:
        return innermost_array(self) < innermost_array(b)

    def __le__(self, b: Any) -> Any:
        return innermost_array(self) <= innermost_array(b)

    def __gt__(self, b: Any) -> Any:
        return innermost_array(self) > innermost_array(b)

    def __ge__(self, b: Any) -> Any:
        return innermost_array(self) >= innermost_array(b)

    def __eq__(self, b: Any) -> Any:
        return innermost_array(self) == innermost_array(b)

    def __ne__(self, b: Any) -> Any:
        return innermost_array(self) != innermost_array(b)

    __hash__ = TracedTensor.__hash__

    def __bool__(self) -> bool:
        return bool(innermost_array(self))

    def __format__(self, spec: str) -> str:
        return format(innermost_array(self), spec)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, TracedTensor) or (
            isinstance(key, tuple) and any(isinstance(k, TracedTensor) for k in key)
        ):
            raise TypeError(
                "indexing with a traced array is not supported: an index has no derivative; "
                "index with ints, slices or an integer array"
            )
        return sf.Getitem.apply(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        raise TypeError(
            "assignment into a traced array (x[i] = ...) cannot be differentiated; build a new "
            "array instead, with np.where, np.concatenate or np.stack"
        )

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def item(self) -> float:
        """Refused: a float would silently drop the derivative."""
        raise TypeError(
            "item() on a traced array would drop its derivative; keep computing with the array "
            "(np.sum(x), x[0]), and convert the result after grad returns"
        )

    # ## A few NumPy attributes that NumPy code reads

    @property
    def T(self) -> Any:  # noqa: N802 - NumPy's name
        """The transpose (all axes reversed)."""
        return sf.Transpose.apply(self, None)

    def reshape(self, *shape: Any) -> Any:
        """NumPy's ``reshape``: ``x.reshape(2, 3)`` or ``x.reshape((2, 3))``."""
        return reshape(self, shape[0] if len(shape) == 1 else shape)

    def ravel(self) -> Any:
        """The elements as one dimension."""
        return reshape(self, (-1,))

    def dot(self, b: Any) -> Any:
        """``np.dot(self, b)``."""
        return dot(self, lift(b))

    # ## The Tensor methods: the course's semantics

    def sum(self, dim: int | None = None, **numpy_style: Any) -> Any:
        """Sum over ``dim``, kept with size 1, or over everything into shape ``(1,)`` (the
        course's rule; ``np.sum(x, axis=...)`` gives NumPy's)."""
        if numpy_style:
            raise _course_method("sum", numpy_style)
        if dim is None:
            return sf.Reshape.apply(sf.Sum.apply(self, None, False), (1,))
        return sf.Sum.apply(self, dim, True)

    def mean(self, dim: int | None = None, **numpy_style: Any) -> Any:
        """Mean over ``dim`` (kept with size 1) or everything (shape ``(1,)``), as ``sum``."""
        if numpy_style:
            raise _course_method("mean", numpy_style)
        count = self.size if dim is None else self.shape[dim]
        return fn.Mul.apply(self.sum(dim), 1.0 / count)

    def permute(self, *order: int) -> Any:
        """Reorder the dimensions."""
        return sf.Transpose.apply(self, order)

    def view(self, *shape: int) -> Any:
        """The same numbers under a new shape of the same size."""
        return sf.Reshape.apply(self, shape)

    def contiguous(self) -> Any:
        """The array itself (values are never shared for writing)."""
        return self

    def sigmoid(self) -> Any:
        """Elementwise logistic function."""
        return fn.Sigmoid.apply(self)

    def relu(self) -> Any:
        """Elementwise ``max(x, 0)``."""
        return fn.ReLU.apply(self)

    def log(self) -> Any:
        """Elementwise natural logarithm."""
        return fn.Log.apply(self)

    def exp(self) -> Any:
        """Elementwise ``e^x``."""
        return fn.Exp.apply(self)

    def tanh(self) -> Any:
        """Elementwise ``tanh``."""
        return fn.Tanh.apply(self)

    def sin(self) -> Any:
        """Elementwise ``sin``."""
        return fn.Sin.apply(self)

    def cos(self) -> Any:
        """Elementwise ``cos``."""
        return fn.Cos.apply(self)

    def sqrt(self) -> Any:
        """Elementwise square root."""
        return fn.Sqrt.apply(self)

    def abs(self) -> Any:
        """Elementwise ``|x|``."""
        return fn.Abs.apply(self)


def _course_method(name: str, given: dict[str, Any]) -> TypeError:
    return TypeError(
        f"Tensor.{name}({', '.join(f'{k}=...' for k in given)}): Tensor.{name} takes the course's "
        f"dim argument and keeps the dimension (x.{name}(0) has size 1 there); for NumPy's "
        f"semantics call np.{name}(x, axis=..., keepdims=...)"
    )

