"""Float math on plain Python numbers: the prelude every other layer uses (course task 0.1 and 0.3).

Every function here takes and returns plain ``float`` values. The differentiable versions that work on
``Scalar`` live in :mod:`minitorch.scalar_functions`; they use these functions for their float work.

Domain errors follow IEEE float semantics, like NumPy: ``log(0.0)`` is ``-inf``, ``log(-1.0)`` and
``sqrt(-1.0)`` are ``nan``, ``inv(0.0)`` is ``inf`` (with the sign of the zero), ``sin(inf)`` is
``nan``. Each of these results also emits a :class:`RuntimeWarning` that names the function and the
argument, so a NaN never appears silently. Turn the warning into an error with
``warnings.simplefilter("error", RuntimeWarning)``. A NaN argument gives NaN without a warning (it was
already reported where it appeared), and NaN propagates through ``max`` and ``relu`` as in NumPy and
PyTorch. Signed zeros are kept as NumPy keeps them: ``abs(-0.0)`` is ``0.0``, ``neg(0.0)`` is
``-0.0``. An integer too large for a float raises :class:`OverflowError` naming the function.

Examples:
    >>> from minitorch import operators
    >>> operators.mul(3.0, 4.0)
    12.0
    >>> operators.sum([1.0, 2.0, 3.5])
    6.5
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Callable, Iterable

__all__ = [
    "mul", "id", "add", "neg", "lt", "eq", "max", "is_close", "sigmoid", "relu", "log", "exp", "inv",
    "log_back", "inv_back", "relu_back", "sigmoid_back", "pow", "tanh", "sqrt", "sin", "cos", "abs",
    "log1p", "expm1", "div", "to_float",
    "map", "zipWith", "reduce", "negList", "addLists", "sum", "prod",
]

_builtin_abs = abs


def _domain_warning(
    function: str, args: str, result: float, problem: str = "is outside the function's domain"
) -> float:
    """Warn that ``function(args)`` left its domain (or overflowed) and return the IEEE ``result``."""
    warnings.warn(
        f"operators.{function}({args}) {problem}; returning {result!r}",
        RuntimeWarning,
        stacklevel=_first_user_frame(),
    )
    return result


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _first_user_frame() -> int:
    """The ``stacklevel`` that points a warning at the first line of code outside minitorch."""
    level, frame = 2, sys._getframe(2)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def to_float(x: float, where: str) -> float:
    """``float(x)``, or an OverflowError naming ``where`` for an integer too large for a float.

    Examples:
        >>> to_float(2, "pow")
        2.0
        >>> to_float(10**400, "pow")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        OverflowError: pow: the integer 1000...000 (401 digits) is too large for a float ...
    """
    try:
        return float(x)
    except OverflowError:
        digits = str(x)
        shown = f"{digits[:4]}...{digits[-3:]} ({len(digits.lstrip('-'))} digits)"
        raise OverflowError(
            f"{where}: the integer {shown} is too large for a float (the largest is about 1.8e308); "
            "use a float such as float('inf') if that is what you mean"
        ) from None


# ## Task 0.1: basic functions


def mul(x: float, y: float) -> float:
    """Return ``x * y``."""
    # BEGIN TASK 0.1
    return x * y
    # END TASK 0.1


def id(x: float) -> float:  # noqa: A001 - the course's name for the identity
    """Return ``x`` unchanged (the identity function)."""
    # BEGIN TASK 0.1
    return x
    # END TASK 0.1


def add(x: float, y: float) -> float:
    """Return ``x + y``."""
    # BEGIN TASK 0.1
    return x + y
    # END TASK 0.1


def neg(x: float) -> float:
    """Return ``-x``."""
    # BEGIN TASK 0.1
    return -x
    # END TASK 0.1


def lt(x: float, y: float) -> float:
    """Return 1.0 if ``x < y`` else 0.0."""
    # BEGIN TASK 0.1
    return 1.0 if x < y else 0.0
    # END TASK 0.1


def eq(x: float, y: float) -> float:
    """Return 1.0 if ``x == y`` else 0.0."""
    # BEGIN TASK 0.1
    return 1.0 if x == y else 0.0
    # END TASK 0.1


def max(x: float, y: float) -> float:  # noqa: A001 - the course's name
    """Return the larger of ``x`` and ``y`` (``x`` when they are equal); NaN if either is NaN."""
    # BEGIN TASK 0.1
    if x != x:  # NaN is the one float not equal to itself
        return x
    return x if x >= y else y
    # END TASK 0.1


def is_close(x: float, y: float) -> float:
    """Return 1.0 if ``|x - y| < 1e-2`` else 0.0 (the course's loose closeness test)."""
    # BEGIN TASK 0.1
    return 1.0 if _builtin_abs(x - y) < 1e-2 else 0.0
    # END TASK 0.1


def sigmoid(x: float) -> float:
    """Return the logistic function ``1 / (1 + e^-x)``.

    Computed as ``1 / (1 + e^-x)`` for ``x >= 0`` and as ``e^x / (1 + e^x)`` for ``x < 0``, so that
    the exponential never overflows: both forms are equal, and each only exponentiates a number <= 0.
    """
    # BEGIN TASK 0.1
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
    # END TASK 0.1


def relu(x: float) -> float:
    """Return ``x`` if ``x > 0`` else 0.0; NaN stays NaN (as in NumPy and PyTorch)."""
    # BEGIN TASK 0.1
    return 0.0 if x <= 0.0 else x  # a comparison with NaN is False, so NaN is returned
    # END TASK 0.1


def log(x: float) -> float:
    """Return the natural logarithm of ``x`` (``-inf`` at 0 and ``nan`` below, with a warning)."""
    # BEGIN TASK 0.1
    if x > 0.0 or x != x:  # NaN in, NaN out
        return math.log(x)
    if x == 0.0:
        return _domain_warning("log", repr(x), -math.inf)
    return _domain_warning("log", repr(x), math.nan)
    # END TASK 0.1


def exp(x: float) -> float:
    """Return ``e^x`` (``inf`` with a warning when it overflows, like NumPy)."""
    # BEGIN TASK 0.1
    try:
        return math.exp(x)
    except OverflowError:
        return _domain_warning("exp", repr(x), math.inf, "overflows")
    # END TASK 0.1


def inv(x: float) -> float:
    """Return ``1 / x`` (``inf`` with the sign of the zero at 0, with a warning)."""
    # BEGIN TASK 0.1
    if x != 0.0:
        return 1.0 / x
    return _domain_warning("inv", repr(x), math.copysign(math.inf, x))
    # END TASK 0.1


def div(x: float, y: float) -> float:
    """Return ``x / y`` rounded once (``x * inv(y)`` rounds twice, and ``inv`` of a subnormal
    ``y`` overflows); at ``y = 0`` the IEEE value, ``±inf`` or ``nan``, with a warning."""
    if y != 0.0:
        return x / y
    if x != x or x == 0.0:
        return _domain_warning("div", f"{x!r}, {y!r}", math.nan)
    return _domain_warning("div", f"{x!r}, {y!r}", math.copysign(math.inf, x) * math.copysign(1.0, y))


def log_back(x: float, d: float) -> float:
    """Return ``d * log'(x) = d / x``."""
    # BEGIN TASK 0.1
    return d * inv(x)
    # END TASK 0.1


def inv_back(x: float, d: float) -> float:
    """Return ``d * inv'(x) = -d / x^2``."""
    # BEGIN TASK 0.1
    return -d * inv(x * x)
    # END TASK 0.1


def relu_back(x: float, d: float) -> float:
    """Return ``d * relu'(x)``, taking ``relu'(0) = 0`` (the subgradient PyTorch also uses)."""
    # BEGIN TASK 0.1
    return 0.0 if x <= 0.0 else d  # at NaN: d, as PyTorch's relu backward
    # END TASK 0.1


def sigmoid_back(x: float, d: float) -> float:
    """Return ``d * sigmoid'(x) = d * s * (1 - s)`` with ``s = sigmoid(x)``."""
    s = sigmoid(x)
    return d * s * (1.0 - s)


def pow(x: float, y: float) -> float:  # noqa: A001 - mirrors math.pow
    """Return ``x ** y`` as a real number, with IEEE results and a warning where none is finite.

    A negative base with a non-integer exponent gives ``nan`` (Python's own ``**`` would return a
    complex number, which an autodiff engine cannot use); a zero base with a negative exponent gives
    ``inf`` (``-inf`` for ``-0.0`` and an odd integer exponent), like ``inv(0.0)``; overflow gives
    ``inf`` (``-inf`` for a negative base and an odd exponent). Each of these warns.
    """
    if type(x) is int:
        x = to_float(x, "pow")
    if type(y) is int:
        y = to_float(y, "pow")
    if y == 0.5 and (x == 0.0 or x == -math.inf):
        # NumPy and PyTorch compute x ** 0.5 as sqrt(x): sqrt(-0.0) is -0.0 and sqrt(-inf) nan.
        return x if x == 0.0 else _domain_warning("pow", f"{x!r}, {y!r}", math.nan)
    try:
        return math.pow(x, y)
    except ValueError:
        if x == 0.0:
            result = math.copysign(math.inf, x) if _odd(y) else math.inf
            return _domain_warning("pow", f"{x!r}, {y!r}", result)
        return _domain_warning("pow", f"{x!r}, {y!r}", math.nan)
    except OverflowError:
        result = -math.inf if x < 0.0 and _odd(y) else math.inf
        return _domain_warning("pow", f"{x!r}, {y!r}", result, "overflows")


def _odd(y: float) -> bool:
    return float(y).is_integer() and y % 2 == 1


def tanh(x: float) -> float:
    """Return the hyperbolic tangent of ``x``."""
    return math.tanh(x)


def sqrt(x: float) -> float:
    """Return the square root of ``x`` (``nan`` below 0, with a warning; ``sqrt(-0.0)`` is ``-0.0``)."""
    if x >= 0.0 or x != x:
        return math.sqrt(x)
    return _domain_warning("sqrt", repr(x), math.nan)


def sin(x: float) -> float:
    """Return the sine of ``x`` (radians); ``nan`` with a warning at ``±inf``."""
    if math.isinf(x):
        return _domain_warning("sin", repr(x), math.nan)
    return math.sin(x)


def cos(x: float) -> float:
    """Return the cosine of ``x`` (radians); ``nan`` with a warning at ``±inf``."""
    if math.isinf(x):
        return _domain_warning("cos", repr(x), math.nan)
    return math.cos(x)


def abs(x: float) -> float:  # noqa: A001 - mirrors the builtin
    """Return ``|x|`` (``abs(-0.0)`` is ``0.0``, as in NumPy)."""
    return math.fabs(x)


def log1p(x: float) -> float:
    """Return ``ln(1 + x)``, accurate for tiny ``x`` (``-inf`` at -1 and ``nan`` below, with a warning).

    Computing ``log(1.0 + x)`` loses every digit of ``x`` below 1e-16; ``math.log1p`` does not.
    """
    if x > -1.0 or x != x:
        return math.log1p(x)
    if x == -1.0:
        return _domain_warning("log1p", repr(x), -math.inf)
    return _domain_warning("log1p", repr(x), math.nan)


def expm1(x: float) -> float:
    """Return ``e^x - 1``, accurate for tiny ``x`` (``inf`` with a warning when it overflows)."""
    try:
        return math.expm1(x)
    except OverflowError:
        return _domain_warning("expm1", repr(x), math.inf, "overflows")


# ## Task 0.3: higher-order functions


def map(fn: Callable[[float], float]) -> Callable[[Iterable[float]], list[float]]:  # noqa: A001
    """Return a function that applies ``fn`` to every element of a list.

    Examples:
        >>> map(neg)([1.0, -2.0])
        [-1.0, 2.0]
    """
    # BEGIN TASK 0.3

    def apply_to_each(ls: Iterable[float]) -> list[float]:
        return [fn(x) for x in ls]

    return apply_to_each
    # END TASK 0.3


def zipWith(  # noqa: N802 - the course's name
    fn: Callable[[float, float], float],
) -> Callable[[Iterable[float], Iterable[float]], list[float]]:
    """Return a function that combines two lists element by element with ``fn``.

    The lists must have the same length; a mismatch raises ``ValueError`` giving both lengths.

    Examples:
        >>> zipWith(add)([1.0, 2.0], [10.0, 20.0])
        [11.0, 22.0]
        >>> zipWith(add)([1.0, 2.0], [10.0])
        Traceback (most recent call last):
        ...
        ValueError: zipWith: the two lists have different lengths (2 and 1); pass lists of equal length
    """
    # BEGIN TASK 0.3

    def combine(ls1: Iterable[float], ls2: Iterable[float]) -> list[float]:
        xs, ys = list(ls1), list(ls2)
        if len(xs) != len(ys):
            raise ValueError(
                f"zipWith: the two lists have different lengths ({len(xs)} and {len(ys)}); "
                "pass lists of equal length"
            )
        return [fn(x, y) for x, y in zip(xs, ys, strict=True)]

    return combine
    # END TASK 0.3


def reduce(
    fn: Callable[[float, float], float], start: float
) -> Callable[[Iterable[float]], float]:
    """Return a function that folds a list into one value: ``fn(...fn(fn(start, x0), x1)..., xn)``.

    Examples:
        >>> reduce(add, 0.0)([1.0, 2.0, 3.0])
        6.0
    """
    # BEGIN TASK 0.3

    def fold(ls: Iterable[float]) -> float:
        acc = start
        for x in ls:
            acc = fn(acc, x)
        return acc

    return fold
    # END TASK 0.3


def negList(ls: Iterable[float]) -> list[float]:  # noqa: N802 - the course's name
    """Negate every element of ``ls`` (built with :func:`map`)."""
    # BEGIN TASK 0.3
    return map(neg)(ls)
    # END TASK 0.3


def addLists(ls1: Iterable[float], ls2: Iterable[float]) -> list[float]:  # noqa: N802
    """Add two lists element by element (built with :func:`zipWith`)."""
    # BEGIN TASK 0.3
    return zipWith(add)(ls1, ls2)
    # END TASK 0.3


def sum(ls: Iterable[float]) -> float:  # noqa: A001 - the course's name
    """Sum a list (built with :func:`reduce`); the sum of an empty list is 0.0."""
    # BEGIN TASK 0.3
    return reduce(add, 0.0)(ls)
    # END TASK 0.3


def prod(ls: Iterable[float]) -> float:
    """Multiply the elements of a list (built with :func:`reduce`); the empty product is 1.0.

    Raises:
        TypeError: if ``ls`` is not an iterable (or is a string), or an element is a string, a
            bool, ``None`` or something else that cannot be multiplied.
    """
    # BEGIN TASK 0.3
    if isinstance(ls, (str, bytes)) or not isinstance(ls, Iterable):
        raise TypeError(f"prod: ls must be a list of numbers, got {type(ls).__name__} {ls!r:.60}")
    ls = list(ls)
    for i, x in enumerate(ls):
        if isinstance(x, (str, bytes, bool)) or x is None or not hasattr(x, "__mul__"):
            raise TypeError(
                f"prod: element {i} is {type(x).__name__} {x!r:.60}; pass numbers only"
            )
    return reduce(mul, 1.0)(ls)
    # END TASK 0.3
