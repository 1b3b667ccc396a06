"""Small checks and conversions shared by several modules: one public helper for each idea.

- :func:`is_real`: a real number that is not a bool (the inputs the engine accepts);
- :func:`innermost`: the float at the bottom of a value (a Scalar's ``data`` may be a Scalar);
- :func:`as_derivative_tuple`: what a ``backward`` returned, as a tuple of derivatives;
- :func:`wrong_derivative_count`: the error for a ``backward`` with too few or too many derivatives;
- :func:`object_array`: a 1-D NumPy object array holding given items (never unpacked by NumPy);
- :func:`user_frame`: the innermost stack frame outside the minitorch package.

This module sits at the bottom of the package: it imports nothing from minitorch.

Examples:
    >>> is_real(2), is_real(True), is_real("2")
    (True, False, False)
    >>> as_derivative_tuple(1.5), as_derivative_tuple([1.0, 2.0])
    ((1.5,), (1.0, 2.0))
"""

from __future__ import annotations

import numbers
import os
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any

import numpy as np

__all__ = [
    "is_real", "innermost", "as_derivative_tuple", "wrong_derivative_count", "object_array",
    "user_frame", "PACKAGE_DIR",
]

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
"""The directory of the minitorch package (frames inside it are not the user's)."""


def is_real(value: object) -> bool:
    """True for a real number (int, float, NumPy scalar, Fraction, ...) that is not a bool."""
    if type(value) is float:  # the common case, without the slower check against the ABC
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def innermost(value: Any) -> float:
    """The float at the bottom of ``value``: a number itself, or a Scalar's ``data``, repeatedly.

    Inside a nested trace of the functional API a Scalar's ``data`` is a Scalar of a lower level;
    branch decisions (relu, abs, comparisons) look at this innermost float.

    Examples:
        >>> innermost(3)
        3.0
    """
    while type(value) is not float and not isinstance(value, numbers.Real):
        value = value.data
    return float(value)


def as_derivative_tuple(result: Any) -> tuple[Any, ...]:
    """What ``backward`` returned, as a tuple: a tuple is kept, a list converted, a value wrapped."""
    if type(result) is tuple:
        return result
    return tuple(result) if isinstance(result, list) else (result,)


def wrong_derivative_count(
    function_name: str, derivatives: Sequence[Any], inputs: Sequence[Any]
) -> ValueError:
    """The error for a ``backward`` that returned a number of derivatives other than its inputs'."""
    return ValueError(
        f"{function_name}.backward returned {len(derivatives)} derivative(s) for "
        f"{len(inputs)} input(s); return one value per forward argument"
    )


def object_array(items: Sequence[Any], shape: tuple[int, ...] | None = None) -> np.ndarray[Any, Any]:
    """An object array of ``items`` (1-D, or reshaped to ``shape``), each stored as it is.

    ``np.array(items)`` would try to convert Scalars to numbers or unpack sequences; this never does.
    """
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out if shape is None else out.reshape(shape)


def user_frame(skip: int = 1) -> FrameType | None:
    """The innermost frame whose code is outside the minitorch package (``None`` if there is none).

    Args:
        skip: how many frames to skip first (1: start at the caller of this function).
    """
    frame: FrameType | None = sys._getframe(skip)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(PACKAGE_DIR):
        frame = frame.f_back
    return frame
