"""``check_function_at``: the contract of a ``ScalarFunction``, checked at one point.

The checks, in order, each raising ``AssertionError`` that names the function, the argument, the
point, the expected and the received value:

1. ``forward`` returns a number;
2. ``forward`` keeps nothing on ``ctx`` (or on the class) outside ``ctx.save_for_backward``;
3. ``backward`` returns one number per input (checked where ``forward`` is differentiable);
4. each derivative matches a central difference of ``forward``, for ``d_output = 1`` and for
   ``d_output = -1.5`` (so ``backward`` must scale by ``d_output``);
5. forward mode agrees: :func:`minitorch.jvp` of ``apply`` along each input direction gives the same
   derivative.

A point where ``forward`` is not finite or raises ``ValueError``/``ArithmeticError`` (outside its
domain), or where it is not differentiable in any input (a kink or a jump within ``epsilon``, such
as ``relu`` at 0), is skipped. ``RuntimeWarning`` s from probing such points are silenced. Nothing
here needs hypothesis; :func:`~minitorch.testing.functions.check_function` draws many points.
"""

from __future__ import annotations

import math
import numbers
import re
import warnings
from typing import Any

from ..autodiff import Context
from ..functional import jvp
from ..scalar_function import ScalarFunction
from .diagnose import ATOL, EPSILON, RTOL, compare_backward, numeric_partials

__all__ = ["check_function_at"]


def check_function_at(
    fn: type[ScalarFunction], *point: float, rtol: float = RTOL, atol: float = ATOL, epsilon: float = EPSILON
) -> bool:
    """Run every check of :func:`~minitorch.testing.check_function` at one point, without hypothesis.

    Returns:
        True if the point was checked; False if it was skipped because ``forward`` is not finite
        or not differentiable there.

    Raises:
        AssertionError: at the first check that fails, naming the function, the argument, the
            point, the expected and the received value.

    Examples:
        >>> from minitorch import Context, ScalarFunction
        >>> class BadCube(ScalarFunction):
        ...     @staticmethod
        ...     def forward(ctx: Context, a: float) -> float:
        ...         ctx.save_for_backward(a)
        ...         return a * a * a
        ...     @staticmethod
        ...     def backward(ctx: Context, d_output: float) -> float:
        ...         (a,) = ctx.saved_values
        ...         return d_output * a * a          # forgot the 3
        >>> check_function_at(BadCube, 2.0)
        Traceback (most recent call last):
        ...
        AssertionError: check_function(BadCube): BadCube.backward(ctx, d_output=1.0) at the point (2.0,) ...
    """
    check_class(fn)
    name, where = fn.__name__, f"check_function({fn.__name__})"
    # New float objects (x * 1.0 keeps -0.0), so that an input stored on the class is always seen
    # as a change, even when the same point is drawn twice.
    point = tuple(float(x) * 1.0 for x in point)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # probing the edge of the domain
        value, saved = _run_forward(fn, point)
        if value is None:
            return False
        partials = numeric_partials(fn, point, range(len(point)), epsilon)
        if not partials:
            return False  # not differentiable here: backward may fail (hypot at the origin)
        derivatives = _run_backward(fn, point, saved)
        try:
            wrong = compare_backward(fn, point, partials, saved, rtol=rtol, atol=atol)
        except Exception as error:
            raise _raised(fn, "backward", error, point) from error
        if wrong is not None:
            raise AssertionError(f"{where}: {wrong}")
        for i, expected in partials.items():
            received = _forward_mode(fn, point, i)
            if not math.isclose(received, expected, rel_tol=rtol, abs_tol=atol):
                raise AssertionError(
                    f"{where}: forward mode (minitorch.jvp of {name}.apply along argument {i}) at the "
                    f"point {point!r} gives the derivative {received!r}, but the expected value (the "
                    f"central difference of {name}.forward) is {expected!r}; backward gave "
                    f"{derivatives[i]!r}"
                )
    return True


# ## The steps of one check


class _RecordingContext(Context):
    """A ``Context`` that accepts new attributes (it has no ``__slots__``), so that values kept on
    ``ctx`` outside ``save_for_backward`` can be found and reported instead of failing obscurely."""


def _run_forward(
    fn: type[ScalarFunction], point: tuple[float, ...]
) -> tuple[float | None, tuple[Any, ...]]:
    """``forward``'s value (``None`` outside its domain) and what it saved; checks steps 1 and 2."""
    name, where = fn.__name__, f"check_function({fn.__name__})"
    ctx = _RecordingContext()
    class_before = dict(vars(fn))
    kept = f"{where}: {name}.forward kept values on ctx outside save_for_backward"
    fix = (
        "; the context only carries what forward passes to ctx.save_for_backward(...), which "
        "backward reads back from ctx.saved_values"
    )
    try:
        value = fn.forward(ctx, *point)
    except Exception as error:
        if isinstance(error, (AttributeError, TypeError)) and any(
            word in str(error) for word in ("Context", "ctx", "save_for_backward")
        ):  # a Context that refuses new attributes (its __slots__, or a clearer error of its own)
            found = re.search(r"attribute '(\w+)'", str(error))
            attribute = f"ctx.{found[1]}: " if found else ""
            raise AssertionError(f"{kept} ({attribute}{error}) at the point {point!r}{fix}") from error
        if isinstance(error, (ArithmeticError, ValueError)):
            return None, ()  # outside the domain (math.log(-1.0), 1 / 0.0)
        raise _raised(fn, "forward", error, point) from error
    extra = vars(ctx)
    if extra:
        attributes = ", ".join(f"ctx.{key}" for key in extra)
        raise AssertionError(f"{kept} ({attributes}) at the point {point!r}{fix}")
    changed = [k for k, v in vars(fn).items() if k not in class_before or class_before[k] is not v]
    if changed:
        attributes = ", ".join(f"{name}.{key}" for key in changed)
        raise AssertionError(
            f"{where}: {name}.forward kept values on the class outside save_for_backward ({attributes}) "
            f"at the point {point!r}{fix}"
        )
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise AssertionError(
            f"{where}: {name}.forward returned {type(value).__name__} {value!r} at the point {point!r}; "
            "expected a float"
        )
    if not math.isfinite(value):
        return None, ()
    return float(value), ctx.saved_values


def _run_backward(
    fn: type[ScalarFunction], point: tuple[float, ...], saved: tuple[Any, ...]
) -> tuple[Any, ...]:
    """``backward(ctx, 1.0)`` as a tuple, after checking step 3 (one number per input)."""
    name, where = fn.__name__, f"check_function({fn.__name__})"
    try:
        result = fn.backward(Context(False, saved), 1.0)
    except Exception as error:
        raise _raised(fn, "backward", error, point) from error
    derivatives = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    if len(derivatives) != len(point):
        raise AssertionError(
            f"{where}: {name}.backward returned {len(derivatives)} derivative(s) for {len(point)} "
            f"input(s) at the point {point!r} (received {result!r}); return one value per forward "
            "argument, in order"
        )
    for i, d in enumerate(derivatives):
        if not isinstance(d, numbers.Real) or isinstance(d, bool):
            raise AssertionError(
                f"{where}: {name}.backward returned {type(d).__name__} {d!r} as the derivative for "
                f"argument {i} at the point {point!r}; expected a number"
            )
    return derivatives


def _forward_mode(fn: type[ScalarFunction], point: tuple[float, ...], argument: int) -> float:
    """The derivative along input ``argument`` by :func:`minitorch.jvp` of ``fn.apply``.

    The other inputs are passed as plain numbers (constants), not as variables with a zero tangent:
    a partial derivative that is undefined at the point (``d/db a**b`` for ``a < 0``) would
    otherwise turn ``0 * nan`` into ``nan``.
    """

    def along(x: float) -> Any:
        return fn.apply(*point[:argument], x, *point[argument + 1 :])

    try:
        _, tangent = jvp(along, (point[argument],), (1.0,))
    except Exception as error:
        raise AssertionError(
            f"check_function({fn.__name__}): minitorch.jvp of {fn.__name__}.apply raised "
            f"{_describe(error)} at the point {point!r}"
        ) from error
    return float(tangent)


# ## Arguments and messages


def check_class(fn: Any) -> None:
    """Raise ``TypeError`` unless ``fn`` is a ``ScalarFunction`` subclass (the class, not a call)."""
    if not (isinstance(fn, type) and issubclass(fn, ScalarFunction)):
        raise TypeError(
            f"check_function expects a ScalarFunction subclass (the class itself), got "
            f"{type(fn).__name__} {fn!r}"
        )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _raised(
    fn: type[ScalarFunction], method: str, error: Exception, point: tuple[float, ...]
) -> AssertionError:
    return AssertionError(
        f"check_function({fn.__name__}): {fn.__name__}.{method} raised {_describe(error)} "
        f"at the point {point!r}"
    )
