"""Small checks and conversions shared by several modules: one public helper for each idea.

- :func:`is_real`: a real number that is not a bool (the inputs the engine accepts);
- :func:`innermost`: the float at the bottom of a value (a Scalar's ``data`` may be a Scalar);
- :func:`as_derivative_tuple`: what a ``backward`` returned, as a tuple of derivatives;
- :func:`wrong_derivative_count`: the error for a ``backward`` with too few or too many derivatives;
- :func:`object_array`: a 1-D NumPy object array holding given items (never unpacked by NumPy);
- :func:`user_frame`: the innermost stack frame outside the minitorch package;
- :func:`check_real` / :func:`check_int`: an argument that must be a finite real number in an
  interval, or an int, refused with a message naming the function and the argument.

This module sits at the bottom of the package: it imports nothing from minitorch.

Examples:
    >>> is_real(2), is_real(True), is_real("2")
    (True, False, False)
    >>> as_derivative_tuple(1.5), as_derivative_tuple([1.0, 2.0])
    ((1.5,), (1.0, 2.0))
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any

import numpy as np

__all__ = [
    "is_real", "innermost", "as_derivative_tuple", "wrong_derivative_count", "object_array",
    "user_frame", "PACKAGE_DIR", "check_real", "check_int",
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


def check_real(value: object, where: str, *, low: float = -math.inf, high: float = math.inf,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float if it is a finite real number in the interval, else raise.

    Args:
        value: the argument to check (booleans, strings and NaN are refused).
        where: ``"Class(argument)"``, used in the message.
        low: the lower bound (included unless ``low_open``).
        high: the upper bound (included unless ``high_open``).
        low_open: exclude ``low`` itself.
        high_open: exclude ``high`` itself.

    Raises:
        TypeError: if ``value`` is not a real number (or is a bool).
        ValueError: if it is NaN, infinite or outside the interval.

    Examples:
        >>> check_real(0.1, "SGD(lr)", low=0.0)
        0.1
        >>> check_real("0.1", "SGD(lr)", low=0.0)
        Traceback (most recent call last):
        ...
        TypeError: SGD(lr) expects a real number, got str '0.1'; pass a float such as 0.1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{where} expects a real number, got {type(value).__name__} {value!r}; "
            "pass a float such as 0.1"
        )
    number = float(value)
    too_low = number <= low if low_open else number < low
    too_high = number >= high if high_open else number > high
    if not math.isfinite(number) or too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        raise ValueError(
            f"{where} must be a finite number in {left}{low:g}, {high:g}{right}, got {value!r}"
        )
    return number


def check_int(value: object, where: str, *, low: int | None = None) -> int:
    """Return ``value`` if it is an int (not a bool) of at least ``low``, else raise naming ``where``.

    Raises:
        TypeError: if ``value`` is not an int.
        ValueError: if it is below ``low``.

    Examples:
        >>> check_int(2, "check_grads(order)", low=1)
        2
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where} expects an int, got {type(value).__name__} {value!r}")
    if low is not None and value < low:
        raise ValueError(f"{where} must be at least {low}, got {value}")
    return value
