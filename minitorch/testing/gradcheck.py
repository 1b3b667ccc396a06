"""``check_grads``: check the derivatives of any function along random directions (autograd's name).

Works on every function the functional API accepts (floats, nested containers, NumPy arrays), and
checks forward mode, reverse mode and, with ``order=2``, the derivatives of those derivatives.

Examples:
    >>> import numpy as np
    >>> check_grads(lambda x, y: np.sin(x) * y, modes=("fwd", "rev"), order=2)(0.3, 2.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..array_trace import TracedTensor, innermost_array
from ..checks import check_int, check_real, innermost
from ..functional import check_transform, jvp, vjp
from ..pytree import flatten, tree_leaves, tree_map
from ..scalar import Scalar

__all__ = ["check_grads"]


def _dot(tree: Any, direction: np.ndarray) -> Any:
    """``sum_i leaf_i * direction_i`` over the numbers of ``tree`` (Scalars allowed)."""
    total: Any = 0.0
    position = 0
    for leaf in tree_leaves(tree):
        if isinstance(leaf, TracedTensor):  # a whole traced array: one product and one sum
            n = leaf.size
            chunk = direction[position : position + n].reshape(leaf.shape)
            total = total + np.sum(leaf * chunk)
            position += n
            continue
        for x in np.ravel(leaf) if isinstance(leaf, np.ndarray) else [leaf]:
            total = total + x * float(direction[position])
            position += 1
    return total


def check_grads(
    fun: Callable[..., Any],
    modes: Sequence[str] = ("fwd", "rev"),
    order: int = 2,
    atol: float = 1e-5,
    rtol: float = 1e-5,
    eps: float = 1e-6,
    seed: int = 0,
) -> Callable[..., None]:
    """Return a checker that compares ``fun``'s derivatives with central differences.

    Along a random input direction ``v`` (and, for reverse mode, a random output direction ``u``)
    drawn from a generator seeded with ``seed``, forward mode's ``jvp`` and reverse mode's ``vjp``
    must match ``(f(x + eps v) - f(x - eps v)) / (2 eps)``. With ``order=2`` the same check runs on
    those directional derivatives themselves, so second derivatives are checked too.

    Raises:
        AssertionError: naming the mode, the order, the point and both values.
        TypeError: at once, if ``fun`` is not callable or a setting has the wrong type.
        ValueError: at once, for an unknown mode, an order below 1, a negative tolerance or an
            ``eps`` that is not above 0.

    Examples:
        >>> import numpy as np
        >>> check_grads(lambda x: np.sum(np.tanh(x) * x), order=2)(np.array([0.3, -1.2]))
    """
    check_transform(fun, "check_grads")
    if isinstance(modes, str) or not isinstance(modes, Sequence):
        raise TypeError(f"check_grads: modes must be a tuple such as ('fwd', 'rev'), got {modes!r}")
    unknown = [m for m in modes if m not in ("fwd", "rev")]
    if unknown or not modes:
        raise ValueError(f"check_grads: modes must be drawn from ('fwd', 'rev'), got {tuple(modes)!r}")
    check_int(order, "check_grads(order)", low=1)
    check_int(seed, "check_grads(seed)")
    for name, value in (("atol", atol), ("rtol", rtol)):
        check_real(value, f"check_grads({name})", low=0.0)
    check_real(eps, "check_grads(eps)", low=0.0, low_open=True)

    name = getattr(fun, "__name__", type(fun).__name__)

    def checker(*args: Any) -> None:
        tree_map(lambda x, _: x, args, "check_grads: args")  # refuse non-numbers, naming their path
        _check_at(fun, args, tuple(modes), order, 1, (atol, rtol, eps), np.random.default_rng(seed), name)

    return checker


def _check_at(
    fun: Callable[..., Any],
    args: tuple[Any, ...],
    modes: tuple[str, ...],
    order: int,
    current: int,
    tolerances: tuple[float, float, float],
    rng: np.random.Generator,
    name: str,
) -> None:
    atol, rtol, eps = tolerances
    x, unflatten = flatten(args)
    v = rng.standard_normal(x.size)
    out_vec, unflatten_out = flatten(_plain(fun(*args)))
    u = rng.standard_normal(out_vec.size)
    up = flatten(_plain(fun(*unflatten(x + eps * v))))[0]
    down = flatten(_plain(fun(*unflatten(x - eps * v))))[0]
    numeric_vec = (up - down) / (2.0 * eps)
    for mode in modes:
        if mode == "fwd":

            def directional(*a: Any) -> Any:
                return _dot(jvp(fun, a, unflatten(v))[1], u)

        else:

            def directional(*a: Any) -> Any:
                return _dot(vjp(fun, *a)[1](unflatten_out(u)), v)

        analytic = innermost(innermost_array(directional(*args)))
        numeric = float(np.dot(u, numeric_vec))
        if not np.isclose(analytic, numeric, atol=atol, rtol=rtol):
            raise AssertionError(
                f"check_grads({name}): {mode} mode, order {current}: at the point {args!r} the derivative "
                f"along a random direction is {analytic!r} by autodiff but {numeric!r} by central "
                f"differences (eps={eps}, atol={atol}, rtol={rtol})"
            )
        if order > 1:
            _check_at(directional, args, (mode,), order - 1, current + 1, tolerances, rng, name)


def _plain(value: Any) -> Any:
    """An output with every Scalar replaced by its float value (for central differences)."""

    def to_float(leaf: Any, _: str) -> Any:
        if isinstance(leaf, np.ndarray) and leaf.dtype == object:
            return np.array([innermost(x) for x in leaf.ravel()]).reshape(leaf.shape)
        if isinstance(leaf, TracedTensor):
            return np.asarray(innermost_array(leaf), dtype=float)
        return innermost(leaf) if isinstance(leaf, Scalar) else leaf

    return tree_map(to_float, value, "output")

