"""Argument checks shared by the entry points: one function per kind of check (style rule 12).

Examples:
    >>> check_real(0.5, "Adam(betas[0])", low=0.0, high=1.0, high_open=True)
    0.5
"""

from __future__ import annotations

import math
import numbers

__all__ = ["check_real", "check_int"]


def check_real(value: object, where: str, *, low: float = -math.inf, high: float = math.inf,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float if it is a finite real number in the interval, else raise.

    Args:
        value: the argument to check (booleans, strings and NaN are refused).
        where: ``"Class(argument)"``, used in the message.
        low, high: the bounds; ``low_open``/``high_open`` exclude them.

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
