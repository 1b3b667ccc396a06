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
from .array_trace import TracedTensor, innermost_array

__all__ = ["ArrayTensor", "UFUNCS", "FUNCTIONS", "lift", "unsupported_numpy"]


def lift(x: Any) -> Any:
    """An operand ready for the array functions: an object array holding traced arrays (what
    ``np.full(shape, t)`` or ``np.array([t1, t2])`` build) becomes one traced array."""
    if not (isinstance(x, np.ndarray) and x.dtype == object):
        return x
    items = list(x.ravel())
    first = items[0] if items else None
    if items and all(item is first for item in items):
        return sf.BroadcastTo.apply(lift(first), x.shape)
    return sf.Reshape.apply(sf.Stack.apply(0, *(lift(i) for i in items)), x.shape)


def unsupported_numpy(name: str, supported: list[str]) -> TypeError:
    """The error for a NumPy call with no differentiable version (the same words as on Scalars)."""
    return TypeError(
        f"{name} has no differentiable version in minitorch for traced arrays; supported: "
        f"{', '.join(sorted(supported))}. Write it from these, or define it with "
        "minitorch.primitive and defvjp"
    )


def _maximum(a: Any, b: Any) -> Any:
    """The larger of each pair; the gradient goes to ``a`` on a tie (as on Scalars)."""
    return fn.Where.apply(innermost_array(a) >= innermost_array(b), a, b)


def _minimum(a: Any, b: Any) -> Any:
    """The smaller of each pair; the gradient goes to ``a`` on a tie."""
    return fn.Where.apply(innermost_array(a) <= innermost_array(b), a, b)


def _constant(numpy_fn: Callable[..., Any]) -> Callable[..., Any]:
    """A function with no derivative (a comparison, ``sign``) computed on the plain numbers."""

    def on_plain_values(*args: Any, **kwargs: Any) -> Any:
        return numpy_fn(*(innermost_array(a) for a in args), **kwargs)

    return on_plain_values


def _matmul(a: Any, b: Any) -> Any:
    """``np.matmul`` with NumPy's rules for 1-D operands (a vector becomes a matrix, then the
    added dimension is dropped)."""
    a_dims, b_dims = len(np.shape(a)), len(np.shape(b))
    if a_dims == 0 or b_dims == 0:
        raise ValueError("matmul: an operand is 0-d; use * for a product with a number")
    if a_dims == 1 and b_dims == 1:
        return sf.Sum.apply(fn.Mul.apply(a, b), None, False)
    a2 = sf.Reshape.apply(a, (1, np.shape(a)[0])) if a_dims == 1 else a
    b2 = sf.Reshape.apply(b, (np.shape(b)[0], 1)) if b_dims == 1 else b
    out = sf.MatMul.apply(a2, b2)
    shape = np.shape(out)
    if a_dims == 1:
        shape = shape[:-2] + shape[-1:]
    if b_dims == 1:
        shape = shape[:-1]
    return out if shape == np.shape(out) else sf.Reshape.apply(out, shape)


def _dot(a: Any, b: Any) -> Any:
    """``np.dot``: a product with a number, else ``matmul`` (arrays of at most 2 dimensions)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return fn.Mul.apply(a, b)
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise TypeError(
            "numpy.dot of arrays with more than 2 dimensions is not supported on traced arrays; "
            "use np.matmul (batched) or reshape to 2-D first"
        )
    return _matmul(a, b)


def _power(a: Any, b: Any) -> Any:
    return fn.Pow.apply(a, b)


UFUNCS: dict[np.ufunc, Callable[..., Any]] = {
    np.add: fn.Add.apply,
    np.subtract: fn.Sub.apply,
    np.multiply: fn.Mul.apply,
    np.true_divide: fn.Div.apply,
    np.negative: fn.Neg.apply,
    np.positive: lambda a: a,
    np.power: _power,
    np.float_power: _power,
    np.square: lambda a: fn.Mul.apply(a, a),
    np.reciprocal: lambda a: fn.Div.apply(1.0, a),
    np.exp: fn.Exp.apply,
    np.expm1: fn.Expm1.apply,
    np.log: fn.Log.apply,
    np.log1p: fn.Log1p.apply,
    np.tanh: fn.Tanh.apply,
    np.sin: fn.Sin.apply,
    np.cos: fn.Cos.apply,
    np.sqrt: fn.Sqrt.apply,
    np.absolute: fn.Abs.apply,
    np.maximum: _maximum,
    np.minimum: _minimum,
    np.fmax: _maximum,
    np.fmin: _minimum,
    np.matmul: _matmul,
    np.sign: _constant(np.sign),
    np.less: _constant(np.less),
    np.less_equal: _constant(np.less_equal),
    np.greater: _constant(np.greater),
    np.greater_equal: _constant(np.greater_equal),
    np.equal: _constant(np.equal),
    np.not_equal: _constant(np.not_equal),
    np.isfinite: _constant(np.isfinite),
    np.isnan: _constant(np.isnan),
    np.isinf: _constant(np.isinf),
}


def _reduction(kind: str) -> Callable[..., Any]:
    def reduce(a: Any, axis: Any = None, keepdims: bool = False, **rest: Any) -> Any:
        _no_extra_arguments(f"numpy.{kind}", rest)
        a = lift(a)
        if kind == "sum":
            return sf.Sum.apply(a, axis, keepdims)
        if kind == "mean":
            count = int(np.prod([np.shape(a)[i] for i in sf.normalise_axes(axis, np.ndim(a), "mean")]))
            return fn.Mul.apply(sf.Sum.apply(a, axis, keepdims), 1.0 / count)
        if kind == "prod":
            return sf.Prod.apply(a, axis, keepdims)
        return sf.Max.apply(a, axis, keepdims, kind == "min")

    return reduce


def _no_extra_arguments(name: str, rest: dict[str, Any]) -> None:
    used = sorted(k for k, v in rest.items() if v is not None and v is not np._NoValue)
    if used:
        raise TypeError(
            f"{name}: the argument(s) {', '.join(used)} are not supported on traced arrays; "
            "remove them"
        )


def _reshape(a: Any, shape: Any = None, order: str = "C", **rest: Any) -> Any:
    if order != "C":
        raise TypeError("numpy.reshape: only order='C' is supported on traced arrays")
    shape = rest.pop("newshape", shape)
    _no_extra_arguments("numpy.reshape", rest)
    target = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return sf.Reshape.apply(lift(a), tuple(np.empty(np.shape(a), dtype=np.bool_).reshape(target).shape))


def _transpose(a: Any, axes: Any = None) -> Any:
    return sf.Transpose.apply(lift(a), axes)


def _swapaxes(a: Any, axis1: int, axis2: int) -> Any:
    order = list(range(np.ndim(a)))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return sf.Transpose.apply(lift(a), tuple(order))


def _expand_dims(a: Any, axis: Any) -> Any:
    return sf.Reshape.apply(a, np.expand_dims(np.empty(np.shape(a), dtype=np.bool_), axis).shape)


def _squeeze(a: Any, axis: Any = None) -> Any:
    return sf.Reshape.apply(a, np.squeeze(np.empty(np.shape(a), dtype=np.bool_), axis).shape)


def _concatenate(arrays: Any, axis: int = 0, **rest: Any) -> Any:
    _no_extra_arguments("numpy.concatenate", rest)
    return sf.Concatenate.apply(axis, *(lift(a) for a in arrays))


def _stack(arrays: Any, axis: int = 0, **rest: Any) -> Any:
    _no_extra_arguments("numpy.stack", rest)
    return sf.Stack.apply(axis, *(lift(a) for a in arrays))


def _where(condition: Any, x: Any = None, y: Any = None) -> Any:
    if x is None or y is None:
        raise TypeError("numpy.where(condition) with one argument is not supported on traced arrays")
    return fn.Where.apply(np.asarray(innermost_array(condition), dtype=bool), lift(x), lift(y))


def _clip(a: Any, a_min: Any = None, a_max: Any = None, **rest: Any) -> Any:
    a_min, a_max = rest.pop("min", a_min), rest.pop("max", a_max)
    _no_extra_arguments("numpy.clip", rest)
    out = a if a_min is None else _maximum(a, a_min)
    return out if a_max is None else _minimum(out, a_max)


def _outer(a: Any, b: Any) -> Any:
    return fn.Mul.apply(sf.Reshape.apply(a, (-1, 1)), sf.Reshape.apply(b, (1, -1)))


def _broadcast_to(a: Any, shape: Any, subok: bool = False) -> Any:
    return sf.BroadcastTo.apply(lift(a), tuple(np.broadcast_shapes(np.shape(a), tuple(np.atleast_1d(shape)))))


FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {
    np.sum: _reduction("sum"),
    np.mean: _reduction("mean"),
    np.prod: _reduction("prod"),
    np.max: _reduction("max"),
    np.amax: _reduction("max"),
    np.min: _reduction("min"),
    np.amin: _reduction("min"),
    np.dot: _dot,
    np.matmul: _matmul,
    np.outer: _outer,
    np.reshape: _reshape,
    np.ravel: lambda a, order="C": _reshape(a, (-1,), order),
    np.transpose: _transpose,
    np.swapaxes: _swapaxes,
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
    np.broadcast_to: _broadcast_to,
    np.concatenate: _concatenate,
    np.stack: _stack,
    np.where: _where,
    np.clip: _clip,
    np.shape: lambda a: a.shape,
    np.ndim: lambda a: len(a.shape),
    np.size: lambda a, axis=None: int(np.prod(a.shape)) if axis is None else a.shape[axis],
    np.zeros_like: lambda a, *args, **kwargs: np.zeros(np.shape(a)),
    np.ones_like: lambda a, *args, **kwargs: np.ones(np.shape(a)),
}

_REDUCE_METHODS: dict[np.ufunc, str] = {
    np.add: "sum", np.multiply: "prod", np.maximum: "max", np.minimum: "min",
}


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
        if method == "reduce" and ufunc in _REDUCE_METHODS:
            return _reduction(_REDUCE_METHODS[ufunc])(*inputs, **kwargs)
        if method != "__call__":
            raise TypeError(
                f"{name}.{method} is not supported on traced arrays; call {name}(...) or np.sum/"
                "np.max/... instead"
            )
        _no_extra_arguments(name, kwargs)
        impl = UFUNCS.get(ufunc)
        if impl is None:
            raise unsupported_numpy(name, [f"numpy.{u.__name__}" for u in UFUNCS])
        return impl(*(lift(x) for x in inputs))

    def __array_function__(
        self, func: Callable[..., Any], types: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        impl = FUNCTIONS.get(func)
        if impl is None:
            name = f"numpy.{getattr(func, '__name__', func)}"
            raise unsupported_numpy(name, [f"numpy.{f.__name__}" for f in FUNCTIONS])
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
        return _matmul(self, lift(b))

    def __rmatmul__(self, b: Any) -> Any:
        return _matmul(lift(b), self)

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
        return _reshape(self, shape[0] if len(shape) == 1 else shape)

    def ravel(self) -> Any:
        """The elements as one dimension."""
        return _reshape(self, (-1,))

    def dot(self, b: Any) -> Any:
        """``np.dot(self, b)``."""
        return _dot(self, lift(b))

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

