"""Hypothesis strategies for testing code built on minitorch (needs ``pip install "minitorch[test]"``).

Numbers:

- :data:`small_floats`: floats in ``[-100, 100]``, never ``nan`` or ``inf`` (the course's range);
- :data:`small_positive_floats`: floats in ``[0.1, 100]``, inside the domain of ``log``, ``sqrt``, ``1/x``;
- :func:`nonzero_floats`: floats with ``0.1 <= |x| <= 2``, away from the kinks and poles at 0;
- :func:`argument_points`: tuples of floats, one per argument of a function (``check_function``'s points).

Scalars: :func:`scalars` and :data:`small_scalars` draw fresh leaf Scalars (a new one per example,
so derivatives never leak from one example into the next).

Graphs: :func:`expressions` draws random :class:`~minitorch.testing.graphs.Expression` s, small
straight-line programs whose values can be shared by several later steps; the same expression runs on
floats and on Scalars. :func:`expressions_with_points` draws an expression with a point to run it at.

A property test that backpropagation agrees with central differences on any graph:

```python
from hypothesis import given

from minitorch import Scalar, derivative_check
from minitorch.testing.strategies import expressions_with_points


@given(expressions_with_points())
def test_backpropagation_matches_central_differences(case):
    expression, point = case
    derivative_check(expression, *[Scalar(x) for x in point])
```

Examples:
    >>> from hypothesis import given
    >>> from minitorch.testing.strategies import expressions_with_points, small_scalars
    >>> @given(small_scalars)
    ... def test_square(x):
    ...     y = x * x
    ...     y.backward()
    ...     assert abs(x.derivative - 2 * x.data) < 1e-9
    >>> test_square()
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..scalar import Scalar
from .graphs import BINARY, OPERATIONS, UNARY, WITH_CONSTANT, Expression, Step

try:
    from hypothesis import strategies as st
except ImportError as error:  # hypothesis is an optional dependency
    raise ImportError(
        "minitorch.testing.strategies needs hypothesis, which is not installed; "
        'install it with pip install "minitorch[test]" (or pip install hypothesis)'
    ) from error

__all__ = [
    "small_floats", "small_positive_floats", "nonzero_floats", "argument_points", "scalars",
    "small_scalars", "constants", "expressions", "points", "expressions_with_points", "Domain",
]

Domain = tuple[float, float]
"""A closed interval ``(low, high)`` of finite floats."""

small_floats = st.floats(min_value=-100.0, max_value=100.0, allow_nan=False, allow_infinity=False)
"""Floats in ``[-100, 100]``, never ``nan`` or ``inf``."""

small_positive_floats = st.floats(min_value=0.1, max_value=100.0, allow_nan=False, allow_infinity=False)
"""Floats in ``[0.1, 100]``: inside the domain of ``log``, ``sqrt`` and ``1/x``, away from 0."""


def nonzero_floats(min_magnitude: float = 0.1, max_magnitude: float = 2.0) -> st.SearchStrategy[float]:
    """Floats ``x`` with ``min_magnitude <= |x| <= max_magnitude``, of either sign.

    Keeping away from 0 keeps away from the kinks of ``relu`` and ``abs`` and the poles of ``1/x``
    and ``log``; staying small keeps ``exp`` and products moderate.
    """
    _check_interval((min_magnitude, max_magnitude), "nonzero_floats")
    if min_magnitude <= 0.0:
        raise ValueError(f"nonzero_floats: min_magnitude must be positive, got {min_magnitude!r}")
    magnitude = st.floats(min_value=min_magnitude, max_value=max_magnitude)
    return st.one_of(magnitude, magnitude.map(lambda x: -x))


def argument_points(
    arity: int, domain: Domain | Sequence[Domain] | None = None
) -> st.SearchStrategy[tuple[float, ...]]:
    """Points for a function of ``arity`` arguments: tuples of ``arity`` floats.

    Args:
        arity: the number of arguments.
        domain: ``None`` for :func:`nonzero_floats` in every coordinate; one ``(low, high)`` for
            every coordinate; or one ``(low, high)`` per argument.

    Raises:
        ValueError: for an interval that is empty or not finite, or a list of the wrong length.
    """
    if arity < 1:
        raise ValueError(f"argument_points: arity must be at least 1, got {arity}")
    if domain is None:
        return st.tuples(*[nonzero_floats()] * arity)
    if len(domain) == 2 and all(isinstance(v, (int, float)) for v in domain):
        intervals: list[Domain] = [domain] * arity  # type: ignore[list-item]  # checked just above
    else:
        intervals = list(domain)  # type: ignore[arg-type]  # one interval per argument
        if len(intervals) != arity:
            raise ValueError(
                f"argument_points: domain lists {len(intervals)} interval(s) for {arity} argument(s); "
                "give one (low, high) for all arguments or one per argument"
            )
    coordinates = []
    for low, high in intervals:
        _check_interval((low, high), "argument_points")
        coordinates.append(st.floats(min_value=float(low), max_value=float(high)))
    return st.tuples(*coordinates)


def scalars(elements: st.SearchStrategy[float] = small_floats) -> st.SearchStrategy[Scalar]:
    """Fresh leaf Scalars holding values drawn from ``elements``."""
    return st.builds(Scalar, elements)


small_scalars = scalars()
"""Fresh leaf Scalars holding a :data:`small_floats` value."""

constants = st.sampled_from([-2.0, -1.5, -0.5, 0.25, 1.0, 2.0, 3.0])
"""The constants of ``scale`` and ``shift`` steps: a few readable numbers."""


@st.composite
def _programs(draw: st.DrawFn, arity: int | None, max_steps: int) -> Expression:
    n_inputs = draw(st.integers(1, 3)) if arity is None else arity
    steps: list[Step] = []
    for k in range(draw(st.integers(1, max_steps))):
        available = st.integers(0, n_inputs + k - 1)
        op = draw(st.one_of(st.sampled_from(UNARY), st.sampled_from(BINARY)))  # half binary: fan-in
        operands = tuple(draw(available) for _ in range(OPERATIONS[op].arity))
        constant = draw(constants) if op in WITH_CONSTANT else 0.0
        steps.append(Step(op, operands, constant))
    return Expression(n_inputs, steps)


def expressions(arity: int | None = None, max_steps: int = 6) -> st.SearchStrategy[Expression]:
    """Random :class:`~minitorch.testing.graphs.Expression` s with 1 to ``max_steps`` steps.

    Args:
        arity: the number of inputs; ``None`` draws 1, 2 or 3.
        max_steps: the largest number of steps (operations).
    """
    if arity is not None and arity < 1:
        raise ValueError(f"expressions: arity must be at least 1, got {arity}")
    if max_steps < 1:
        raise ValueError(f"expressions: max_steps must be at least 1, got {max_steps}")
    return _programs(arity, max_steps)


def points(arity: int, bound: float = 2.0) -> st.SearchStrategy[tuple[float, ...]]:
    """Points in ``[-bound, bound] ** arity``, where the expressions stay of moderate size."""
    return argument_points(arity, (-bound, bound))


def expressions_with_points(
    arity: int | None = None, max_steps: int = 6, bound: float = 2.0
) -> st.SearchStrategy[tuple[Expression, tuple[float, ...]]]:
    """An expression (see :func:`expressions`) and a point in ``[-bound, bound] ** arity`` for it."""
    return expressions(arity, max_steps).flatmap(lambda e: st.tuples(st.just(e), points(e.arity, bound)))


def _check_interval(interval: Sequence[float], who: str) -> None:
    low, high = interval
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(
            f"{who}: expected an interval (low, high) of finite floats with low < high, got {interval!r}"
        )
