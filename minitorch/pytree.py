"""Nested containers of numbers ("pytrees"): walk them, map over their leaves, flatten them.

A pytree is a float, an int, a NumPy number or array, a :class:`~minitorch.scalar.Scalar`, or a
list, tuple or dict of pytrees. Containers are rebuilt with their own type (a tuple stays a tuple,
a dict keeps its key order). Anything else, such as a string or ``None``, is not a leaf: functions
here raise a ``TypeError`` that names its path, like ``params['layer1'][2]``.

Ints are treated as real numbers: ``flatten`` turns them into floats and gradients with respect to
them are floats. Booleans are not numbers here (they are rejected), since a derivative with respect
to a flag means nothing.

Examples:
    >>> vec, unflatten = flatten({"w": [1.0, 2.0], "b": 3.0})
    >>> vec
    array([1., 2., 3.])
    >>> unflatten(vec * 2)
    {'w': [2.0, 4.0], 'b': 6.0}
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .array_trace import TracedTensor
from .scalar import Scalar

__all__ = ["flatten", "tree_map", "tree_leaves", "is_leaf", "leaves_like"]

Leaf = Any  # a real number, a Scalar, or a NumPy array of them


def is_leaf(value: Any) -> bool:
    """True for the leaves of a pytree: real numbers (not bool), Scalars, NumPy arrays and the
    traced arrays of the functional API."""
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (numbers.Real, Scalar, np.ndarray, TracedTensor))


def _check_array(value: np.ndarray, path: str) -> None:
    if value.dtype.kind not in "fiuO":
        raise TypeError(
            f"the array at {path} has dtype {value.dtype}; only float, int or object arrays "
            "(of Scalars) can be differentiated"
        )


def tree_map(fn: Callable[[Leaf, str], Any], value: Any, path: str = "args") -> Any:
    """Rebuild ``value`` with every leaf replaced by ``fn(leaf, path)``.

    Recursion here is over the nesting of containers (which is shallow), never over a graph.

    Raises:
        TypeError: at the first thing that is neither a container nor a leaf, naming its path.
    """
    if isinstance(value, (list, tuple)):
        items = [tree_map(fn, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, tuple):
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
        return items
    if isinstance(value, dict):
        return {k: tree_map(fn, v, f"{path}[{k!r}]") for k, v in value.items()}
    if is_leaf(value):
        if isinstance(value, np.ndarray):
            _check_array(value, path)
        return fn(value, path)
    raise TypeError(
        f"{path} is {type(value).__name__} {value!r}, which cannot be differentiated; arguments "
        "must be floats, ints, NumPy arrays, or lists, tuples and dicts of them"
    )


def tree_leaves(value: Any) -> list[Leaf]:
    """The leaves of ``value`` in the order :func:`flatten` uses."""
    leaves: list[Leaf] = []
    tree_map(lambda leaf, _: leaves.append(leaf), value)
    return leaves


def leaves_like(value: Any, like: Any, path: str = "value", whole: bool = False) -> list[Any]:
    """The numbers of ``value``, taken in the order of the numbers of ``like`` (same structure).

    With ``whole``, each leaf of ``value`` is returned as it is (an array stays one item) instead of
    being split into its numbers: the array path of the functional API pairs whole arrays.

    Dicts are matched by key, not by insertion order: ``{"b": 1, "a": 2}`` laid out like
    ``{"a": 0.0, "b": 0.0}`` gives ``[2, 1]``. An array in ``like`` takes an array (or number)
    with as many elements; anything in ``like`` that is not a container or a leaf (a string, ``None``)
    takes nothing.

    Raises:
        ValueError: naming the path where the structures differ (missing or extra keys, lengths,
            sizes).

    Examples:
        >>> leaves_like({"b": 1.0, "a": [2.0, 3.0]}, {"a": [0.0, 0.0], "b": 0.0})
        [2.0, 3.0, 1.0]
    """
    if isinstance(like, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(like):
            length = f" of {len(value)}" if isinstance(value, (list, tuple)) else ""
            raise ValueError(
                f"{path} should be a sequence of {len(like)} item(s) like the value it goes with, "
                f"got {type(value).__name__}{length}"
            )
        return [
            x for i, (v, w) in enumerate(zip(value, like, strict=True))
            for x in leaves_like(v, w, f"{path}[{i}]", whole)
        ]
    if isinstance(like, dict):
        if not isinstance(value, dict) or set(value) != set(like):
            got = (
                f"the keys {', '.join(sorted(map(repr, value)))}" if isinstance(value, dict)
                else type(value).__name__
            )
            raise ValueError(
                f"{path} should be a dict with the keys {', '.join(sorted(map(repr, like)))} of the "
                f"value it goes with, got {got}"
            )
        return [x for k, w in like.items() for x in leaves_like(value[k], w, f"{path}[{k!r}]", whole)]
    if not is_leaf(like):
        return []
    if whole:
        return [value]
    size = _size(like)
    items = list(np.ravel(value)) if isinstance(value, (np.ndarray, list, tuple)) else [value]
    if len(items) != size:
        raise ValueError(f"{path} has {len(items)} number(s) where the value it goes with has {size}")
    return items


def _size(leaf: Leaf) -> int:
    return int(leaf.size) if isinstance(leaf, np.ndarray) else 1


def flatten(value: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """Flatten a pytree of numbers into a 1-D float array, and return the way back.

    Returns:
        ``(vector, unflatten)``: ``vector`` holds every number of ``value`` in order (arrays in
        C order, dicts in key order); ``unflatten(v)`` rebuilds the structure from any vector of the
        same length, with floats where ``value`` had numbers and float arrays of the original shapes
        where it had arrays.

    Raises:
        TypeError: naming the path of a leaf that is not a number or a float/int array.
        ValueError: from ``unflatten`` when the vector has the wrong length.

    Examples:
        >>> import numpy as np
        >>> vec, unflatten = flatten((np.zeros((2, 2)), [5, 6.5]))
        >>> vec.shape
        (6,)
        >>> unflatten(vec)[1]
        [5.0, 6.5]
    """

    def as_floats(leaf: Leaf, path: str) -> np.ndarray:
        holds_scalars = isinstance(leaf, np.ndarray) and leaf.dtype == object
        if isinstance(leaf, (Scalar, TracedTensor)) or holds_scalars:
            raise TypeError(
                f"flatten: {path} holds Scalars; flatten works on plain numbers and arrays"
            )
        return np.asarray(leaf, dtype=float).ravel()

    parts = tree_leaves(tree_map(as_floats, value, "flatten: value"))
    vector = np.concatenate(parts) if parts else np.zeros(0)
    total = vector.size

    def unflatten(flat: np.ndarray) -> Any:
        flat = np.asarray(flat, dtype=float).ravel()
        if flat.size != total:
            raise ValueError(
                f"unflatten: expected a vector of {total} numbers, got {flat.size}; pass a vector "
                "of the length flatten returned"
            )
        position = 0

        def take(leaf: Leaf, _: str) -> Any:
            nonlocal position
            n = _size(leaf)
            chunk = flat[position : position + n]
            position += n
            if isinstance(leaf, np.ndarray):
                return chunk.reshape(leaf.shape).copy()
            return float(chunk[0])

        return tree_map(take, value)

    return vector, unflatten
