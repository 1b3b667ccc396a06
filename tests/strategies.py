"""Hypothesis strategies and a closeness assertion shared by the test files (as in the course)."""

import math

from hypothesis import strategies as st

import minitorch

__all__ = ["assert_close", "small_floats", "small_positive_floats", "small_scalars"]

small_floats = st.floats(min_value=-100.0, max_value=100.0, allow_nan=False, allow_infinity=False)
"""Floats in [-100, 100], never nan or inf."""

small_positive_floats = st.floats(
    min_value=0.1, max_value=100.0, allow_nan=False, allow_infinity=False
)
"""Floats in [0.1, 100]: inside the domain of log, sqrt and 1/x, away from the pole at 0."""

small_scalars = small_floats.map(minitorch.Scalar)
"""Leaf Scalars holding a small float."""


def assert_close(a: float, b: float, tol: float = 1e-2) -> None:
    """Assert ``a`` and ``b`` agree within ``tol`` (relative or absolute); the message names both.

    The default tolerance is the course's (``operators.is_close`` uses ``|a - b| < 1e-2``); the
    relative part lets large values such as ``exp(100)`` be compared too.
    """
    assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), f"Failure: x={a!r} and y={b!r} differ"
