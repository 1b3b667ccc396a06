"""The array path of the functional API: arguments traced as whole arrays, results read back.

When an argument of a transformation holds a NumPy array (of floats or ints), the transformation
traces every number of its differentiated arguments as an :class:`~minitorch.tensor_numpy.ArrayTensor`
of its level (a float becomes a 0-d one), so the function's NumPy code runs as whole-array
operations. Arguments made only of numbers keep the element path (Scalars), as before.
:mod:`minitorch.functional` calls the helpers here; they know the traced arrays, it knows the
transformations.

Examples:
    >>> import numpy as np
    >>> traces_arrays(({"w": np.zeros(2), "b": 0.0},))
    True
    >>> traces_arrays((1.0, [2.0]))
    False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .array_numpy_calls import lift
from .array_trace import TracedTensor, innermost_array, scalar_as_array
from .autodiff import backpropagate
from .pytree import tree_map
from .scalar import Scalar
from .tensor_numpy import ArrayTensor

__all__ = [
    "traces_arrays", "box_array_leaf", "read_array_derivative", "unbox_array", "is_array_variable",
    "array_scalar_output", "array_jacobian", "array_vjp", "array_tangent", "as_tangent",
    "lift_outputs",
]


def traces_arrays(values: tuple[Any, ...]) -> bool:
    """True when some leaf of ``values`` is a numeric NumPy array or a traced array.

    Only looks: anything else (even what cannot be differentiated) is left for the boxing to
    report with its path.
    """
    return any(_holds_array(value) for value in values)


def _holds_array(value: Any) -> bool:
    if isinstance(value, TracedTensor):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fiu"
    if isinstance(value, (list, tuple)):
        return any(_holds_array(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_array(v) for v in value.values())
    return False


def box_array_leaf(x: Any, level: int, path: str) -> ArrayTensor:
    """A leaf of trace ``level`` for the number, array or lower-level traced array ``x``."""
    if isinstance(x, TracedTensor):
        return ArrayTensor.leaf(x, level)
    if isinstance(x, Scalar):  # a number of an enclosing trace over numbers
        return ArrayTensor.leaf(scalar_as_array(x, ArrayTensor), level)
    return ArrayTensor.leaf(np.asarray(x, dtype=np.float64), level)


def read_array_derivative(original: Any, leaf: TracedTensor) -> Any:
    """The gradient of ``leaf`` shaped like ``original``: a float for a number, a float array for
    an array, or a traced array of a lower level inside an enclosing trace."""
    d = leaf.grad
    if d is None:
        return np.zeros(leaf.shape) if isinstance(original, (np.ndarray, TracedTensor)) else 0.0
    if isinstance(d, TracedTensor):
        return d
    if isinstance(original, (np.ndarray, TracedTensor)):
        return np.array(d, dtype=np.float64).reshape(leaf.shape)
    return float(d)


def lift_outputs(out: Any) -> Any:
    """A function's output with every object array of traced values (``np.array([x[0], x[1]])``)
    turned into one traced array, so that nothing of the trace hides in an object array."""
    if isinstance(out, np.ndarray) and out.dtype == object:
        return lift(out)
    if isinstance(out, (list, tuple, dict)):
        return tree_map(lambda leaf, _: lift(leaf), out, "output")
    return out


def unbox_array(value: TracedTensor, level: int) -> Any:
    """A traced array's value with this trace stripped (a float for a plain 0-d value)."""
    if value.level != level:
        return value
    inner = value.value
    if isinstance(inner, TracedTensor):
        return inner
    if np.ndim(inner) == 0:
        return float(inner)
    return np.asarray(inner)


def is_array_variable(x: Any, level: int) -> bool:
    """True for a traced array of ``level`` that depends on the trace's arguments."""
    return isinstance(x, TracedTensor) and x.level == level and not x.is_constant()


def array_scalar_output(out: TracedTensor, who: str) -> Any:
    """A one-element traced output as a 0-d one; anything larger is refused.

    Raises:
        TypeError: naming ``who`` and the shape, with the way out.
    """
    if out.shape == ():
        return out
    if len(out.shape) == 1 and out.shape[0] == 1:
        return np.reshape(out, ())  # type: ignore[call-overload]  # dispatched to the traced array
    raise TypeError(
        f"{who} needs a function with a scalar output, but it returned an array of shape "
        f"{out.shape}; for vector outputs try jacobian(fun) or vjp(fun, ...)"
    )


def array_jacobian(out: Any, leaf: TracedTensor, level: int) -> Any:
    """The Jacobian of ``out`` with respect to ``leaf``: one reverse pass per output element.

    Raises:
        TypeError: if ``out`` is neither a traced array nor numbers (a string, None, a dict).
    """
    out_shape = tuple(np.shape(out)) if not isinstance(out, TracedTensor) else out.shape
    in_shape = leaf.shape
    if not is_array_variable(out, level):
        if not isinstance(out, TracedTensor) and np.asarray(out).dtype.kind not in "biuf":
            raise TypeError(
                f"jacobian: fun returned {type(out).__name__} {out!r:.60}; it must return a number "
                "or an array of numbers"
            )
        return np.zeros(out_shape + in_shape)
    rows: list[Any] = []
    for index in np.ndindex(*out_shape):
        leaf.grad = None
        seed = np.zeros(out_shape)
        seed[index] = 1.0
        backpropagate(out, seed)
        rows.append(np.zeros(in_shape) if leaf.grad is None else leaf.grad)
    if any(isinstance(r, TracedTensor) for r in rows):
        return np.reshape(np.stack(rows), out_shape + in_shape)
    plain = [np.asarray(r, dtype=np.float64).reshape(in_shape) for r in rows]
    return np.stack(plain).reshape(out_shape + in_shape)


def as_tangent(t: Any, shape: tuple[int, ...], where: str) -> Any:
    """A tangent or cotangent for a value of ``shape``: a float array of that shape, or a traced
    array of a lower level.

    Raises:
        ValueError: naming ``where`` when the shape differs.
    """
    if isinstance(t, TracedTensor):
        found = t.shape
    else:
        t = np.asarray(innermost_array(t) if isinstance(t, TracedTensor) else t, dtype=np.float64)
        found = t.shape
    if found != shape and int(np.prod(found)) == int(np.prod(shape)) == 1:
        return np.reshape(t, shape)
    if found != shape:
        raise ValueError(
            f"{where} has shape {found} but the value it goes with has shape {shape}; give it "
            "the same shape"
        )
    return t


def array_vjp(outputs: list[Any], cotangents: list[Any], level: int) -> None:
    """Backpropagate ``sum_k <outputs[k], cotangents[k]>`` at ``level`` into the leaves.

    A single output is backpropagated from directly with its cotangent; several are combined
    into one number first.
    """
    pairs = [
        (o, as_tangent(g, o.shape, "vjp: the cotangent"))
        for o, g in zip(outputs, cotangents, strict=True)
        if is_array_variable(o, level)
    ]
    # Scalars of this level among the outputs (numbers next to arrays) join the traced total.
    scalar_terms = [
        o * float(np.asarray(g).reshape(()))
        for o, g in zip(outputs, cotangents, strict=True)
        if isinstance(o, Scalar) and o.level == level and not o.is_constant()
    ]
    if len(pairs) == 1 and not scalar_terms:
        backpropagate(pairs[0][0], pairs[0][1])
    elif pairs:
        total: Any = None
        for o, g in pairs:
            term = np.sum(o * g)
            total = term if total is None else total + term
        for term in scalar_terms:
            total = total + term
        backpropagate(total, np.ones(()))
    elif scalar_terms:
        backpropagate(sum(scalar_terms[1:], scalar_terms[0]), 1.0)


def array_tangent(x: Any, level: int, table: dict[int, Any]) -> Any:
    """The tangent of output ``x`` of a forward-mode trace (zeros where nothing flowed)."""
    if isinstance(x, TracedTensor) and x.level == level:
        t = table.get(x.unique_id)
        if t is None:
            return np.zeros(x.shape) if x.shape else 0.0
        if isinstance(t, TracedTensor):
            return t
        return float(t) if np.ndim(t) == 0 else np.asarray(t, dtype=np.float64)
    return np.zeros(np.shape(x)) if np.ndim(x) else 0.0
