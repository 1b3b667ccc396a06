"""The strategies the test files share (from ``minitorch.testing.strategies``) and a closeness assertion.

The strategies live in one module, :mod:`minitorch.testing.strategies`, which users' tests import
too; this file only gives the course's test files the names they import, and ``assert_close``.
"""

import math

from minitorch.testing.strategies import small_floats, small_positive_floats, small_scalars

__all__ = ["assert_close", "small_floats", "small_positive_floats", "small_scalars"]


def assert_close(a: float, b: float, tol: float = 1e-2) -> None:
    """Assert ``a`` and ``b`` agree within ``tol`` (relative or absolute); the message names both.

    The default tolerance is the course's (``operators.is_close`` uses ``|a - b| < 1e-2``); the
    relative part lets large values such as ``exp(100)`` be compared too.
    """
    assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), f"Failure: x={a!r} and y={b!r} differ"
