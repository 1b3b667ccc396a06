"""The speed layer: the same computations as the reference engine, faster.

What a student reads (``autodiff.py``, ``scalar.py``, ``scalar_function.py``,
``scalar_functions.py``) is the algorithm written plainly. This optional subpackage makes the same
computations faster without changing a result (up to the order of floating-point additions where
three or more paths meet), through three measured levers:

- :func:`~minitorch.fast.packed.fast_apply`: a straight-line ``apply`` for one or two inputs that
  records a call in one object, a :class:`~minitorch.fast.packed.PackedScalar`, instead of a
  Scalar, a Context, a ScalarHistory and a tuple (one object for the garbage collector to track);
- :mod:`minitorch.fast.operators`: Scalar's operators with ``apply`` bound once;
- :func:`~minitorch.fast.backprop.backpropagate_scalars`: a backpropagation loop for packed
  Scalars (no sort, pending derivatives in the nodes' own slots), which ``PackedScalar.backward``
  takes while the layer is on.

**Switching.** ``import minitorch`` turns the layer on, unless the environment variable
``MINITORCH_FAST`` is ``0``. :func:`enable` and :func:`disable` switch it at run time (process-wide:
they replace ``ScalarFunction.apply`` and a few methods of ``Scalar``, and put back the reference
ones); :func:`is_enabled` tells which is in use; ``with using(False): ...`` switches for a block.
Values made with the layer on keep working with it off (they then take the reference loop).
The student copy (``minitorch assign student``) leaves this package out; ``import minitorch`` then
uses the reference engine.

Examples:
    >>> import minitorch
    >>> from minitorch import Scalar, fast
    >>> with fast.using(False):
    ...     x = Scalar(2.0)
    ...     y = x * x
    ...     y.backward()
    >>> x.derivative, fast.is_enabled()
    (4.0, True)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..scalar import Scalar
from ..scalar_function import ScalarFunction
from .operators import OPERATORS
from .packed import fast_apply, switch

__all__ = ["enable", "disable", "is_enabled", "using", "ENVIRONMENT_VARIABLE"]

ENVIRONMENT_VARIABLE = "MINITORCH_FAST"
"""Set it to ``0`` before ``import minitorch`` to start with the reference engine."""

# The reference versions of what enable() replaces, to put back on disable().
_REFERENCE: dict[str, Any] = {name: Scalar.__dict__[name] for name in OPERATORS}
_REFERENCE_APPLY = ScalarFunction.__dict__["apply"]
_FAST_APPLY = classmethod(fast_apply)


def enable() -> None:
    """Turn the speed layer on (``ScalarFunction.apply`` and Scalar's operators become the fast ones)."""
    ScalarFunction.apply = _FAST_APPLY  # type: ignore[assignment]
    for name, method in OPERATORS.items():
        setattr(Scalar, name, method)
    switch.on = True


def disable() -> None:
    """Turn the speed layer off: the reference engine, exactly as a student reads it, runs."""
    ScalarFunction.apply = _REFERENCE_APPLY  # type: ignore[method-assign]
    for name, method in _REFERENCE.items():
        setattr(Scalar, name, method)
    switch.on = False


def is_enabled() -> bool:
    """True while the speed layer is on."""
    return switch.on


@contextmanager
def using(on: bool) -> Iterator[None]:
    """Inside the block the layer is on (``True``) or off (``False``); the previous state comes back."""
    previous = switch.on
    enable() if on else disable()
    try:
        yield
    finally:
        enable() if previous else disable()


if os.environ.get(ENVIRONMENT_VARIABLE, "1").strip() != "0":
    enable()
