"""What NumPy calls do on traced arrays: the tables behind ``ArrayTensor``'s dispatch protocols.

:class:`~minitorch.tensor_numpy.ArrayTensor` looks a ufunc up in :data:`UFUNCS` and any other
NumPy function in :data:`FUNCTIONS`; each entry builds the call from the array functions
(:mod:`minitorch.array_functions`, :mod:`minitorch.array_shape_functions`) with NumPy's semantics:
a reduction drops its axes unless ``keepdims``, ``matmul`` promotes 1-D operands as NumPy does,
comparisons give plain boolean arrays. :func:`lift` turns an object array of traced values (what
``np.full(shape, t)`` or ``np.array([t1, t2])`` build) into one traced array.

Examples:
    >>> import numpy as np
    >>> np.add in UFUNCS and np.sum in FUNCTIONS
    True
"""


from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import array_functions as fn
from . import array_shape_functions as sf
from .array_trace import innermost_array

__all__ = [
    "UFUNCS", "FUNCTIONS", "REDUCE_METHODS", "lift", "unsupported_numpy", "reduction", "matmul", "dot",
    "reshape", "check_no_extra_arguments",
]


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


def unsupported_numpy(name: str, kind: str, supported: list[str]) -> TypeError:
    """The error for a NumPy call with no differentiable version: the words of the Scalars' one
    (``kind`` is ``"ufuncs"`` or ``"functions"``)."""
    return TypeError(
        f"{name} has no differentiable version in minitorch; supported {kind}: "
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


def matmul(a: Any, b: Any) -> Any:
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


def dot(a: Any, b: Any) -> Any:
    """``np.dot``: a product with a number, else ``matmul`` (arrays of at most 2 dimensions)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return fn.Mul.apply(a, b)
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise TypeError(
            "numpy.dot of arrays with more than 2 dimensions is not supported on traced arrays; "
            "use np.matmul (batched) or reshape to 2-D first"
        )
    return matmul(a, b)


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
    np.matmul: matmul,
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


def reduction(kind: str) -> Callable[..., Any]:
    def reduce(a: Any, axis: Any = None, keepdims: bool = False, **rest: Any) -> Any:
        check_no_extra_arguments(f"numpy.{kind}", rest)
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


def check_no_extra_arguments(name: str, rest: dict[str, Any]) -> None:
    used = sorted(k for k, v in rest.items() if v is not None and v is not np._NoValue)
    if used:
        raise TypeError(
            f"{name}: the argument(s) {', '.join(used)} are not supported on traced arrays; "
            "remove them"
        )


def reshape(a: Any, shape: Any = None, order: str = "C", **rest: Any) -> Any:
    if order != "C":
        raise TypeError("numpy.reshape: only order='C' is supported on traced arrays")
    shape = rest.pop("newshape", shape)
    check_no_extra_arguments("numpy.reshape", rest)
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
    check_no_extra_arguments("numpy.concatenate", rest)
    return sf.Concatenate.apply(axis, *(lift(a) for a in arrays))


def _stack(arrays: Any, axis: int = 0, **rest: Any) -> Any:
    check_no_extra_arguments("numpy.stack", rest)
    return sf.Stack.apply(axis, *(lift(a) for a in arrays))


def _where(condition: Any, x: Any = None, y: Any = None) -> Any:
    if x is None or y is None:
        raise TypeError("numpy.where(condition) with one argument is not supported on traced arrays")
    return fn.Where.apply(np.asarray(innermost_array(condition), dtype=bool), lift(x), lift(y))


def _clip(a: Any, a_min: Any = None, a_max: Any = None, **rest: Any) -> Any:
    a_min, a_max = rest.pop("min", a_min), rest.pop("max", a_max)
    check_no_extra_arguments("numpy.clip", rest)
    out = a if a_min is None else _maximum(a, a_min)
    return out if a_max is None else _minimum(out, a_max)


def _outer(a: Any, b: Any) -> Any:
    return fn.Mul.apply(sf.Reshape.apply(a, (-1, 1)), sf.Reshape.apply(b, (1, -1)))


def _broadcast_to(a: Any, shape: Any, subok: bool = False) -> Any:
    return sf.BroadcastTo.apply(lift(a), tuple(np.broadcast_shapes(np.shape(a), tuple(np.atleast_1d(shape)))))


FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {
    np.sum: reduction("sum"),
    np.mean: reduction("mean"),
    np.prod: reduction("prod"),
    np.max: reduction("max"),
    np.amax: reduction("max"),
    np.min: reduction("min"),
    np.amin: reduction("min"),
    np.dot: dot,
    np.matmul: matmul,
    np.outer: _outer,
    np.reshape: reshape,
    np.ravel: lambda a, order="C": reshape(a, (-1,), order),
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

REDUCE_METHODS: dict[np.ufunc, str] = {
    np.add: "sum", np.multiply: "prod", np.maximum: "max", np.minimum: "min",
}
