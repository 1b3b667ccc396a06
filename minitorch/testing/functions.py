"""``check_function``: test a ``ScalarFunction`` you wrote, at many points drawn by hypothesis.

Each point goes through :func:`~minitorch.testing.contract.check_function_at`: ``forward`` returns a
number and keeps nothing outside ``save_for_backward``; ``backward`` returns one number per input,
each matching a central difference of ``forward`` (scaled by ``d_output``) and forward mode
(:func:`minitorch.jvp`). Points outside the function's domain, or where it is not differentiable,
are skipped. Only this module needs hypothesis, and it imports it when ``check_function`` runs.
"""

from __future__ import annotations

import inspect
import numbers
from typing import TYPE_CHECKING, Any

from ..scalar_function import ScalarFunction
from .contract import check_class, check_function_at
from .diagnose import ATOL, EPSILON, RTOL

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from .strategies import Domain

__all__ = ["check_function"]


def check_function(
    fn: type[ScalarFunction],
    *,
    arity: int | None = None,
    domain: Domain | list[Domain] | None = None,
    points: SearchStrategy[tuple[float, ...]] | None = None,
    max_examples: int = 50,
    rtol: float = RTOL,
    atol: float = ATOL,
    epsilon: float = EPSILON,
    seed: int | None = None,
) -> None:
    """Check a ``ScalarFunction`` subclass at up to ``max_examples`` points drawn by hypothesis.

    Runs :func:`check_function_at` at each point; on a failure hypothesis shrinks the point to a
    simple one before the error is raised.

    Args:
        fn: the class (not an instance; ``apply`` is never needed).
        arity: the number of inputs; by default, the parameters of ``forward`` after ``ctx``.
        domain: where to draw each input: one ``(low, high)`` for all inputs, or one per input. By
            default ``0.1 <= |x| <= 2``, away from the kinks and poles at 0.
        points: a hypothesis strategy of tuples of ``arity`` floats, instead of ``domain``.
        max_examples: how many points to check.
        rtol: relative tolerance between ``backward`` and the central difference.
        atol: absolute tolerance (for derivatives near 0).
        epsilon: the half-width of the central difference.
        seed: a seed for hypothesis, to draw the same points on every run.

    Raises:
        AssertionError: naming the function, the argument, the point, the expected and the
            received value; or saying that no point inside the function's domain was found.
        ImportError: if hypothesis is not installed.
        TypeError: if ``fn`` is not a ``ScalarFunction`` subclass, or ``arity`` cannot be inferred.

    Examples:
        >>> from minitorch import Context, ScalarFunction
        >>> class Cube(ScalarFunction):
        ...     @staticmethod
        ...     def forward(ctx: Context, a: float) -> float:
        ...         ctx.save_for_backward(a)
        ...         return a * a * a
        ...     @staticmethod
        ...     def backward(ctx: Context, d_output: float) -> float:
        ...         (a,) = ctx.saved_values
        ...         return d_output * 3.0 * a * a
        >>> check_function(Cube)                      # passes silently
        >>> check_function(Cube, domain=(-5.0, 5.0), max_examples=20, seed=0)
    """
    check_class(fn)
    try:
        import hypothesis
        from hypothesis.errors import Unsatisfiable
    except ImportError as error:
        raise ImportError(
            f"check_function({fn.__name__}) draws its points with hypothesis, which is not installed; "
            'install it with pip install "minitorch[test]" (or pip install hypothesis), or check '
            "chosen points with check_function_at, which does not need it"
        ) from error
    from .strategies import argument_points

    n = _arity(fn) if arity is None else arity
    if points is not None and domain is not None:
        raise ValueError(f"check_function({fn.__name__}): give domain or points, not both")
    strategy = argument_points(n, domain) if points is None else points
    health_checks = [hypothesis.HealthCheck.filter_too_much, hypothesis.HealthCheck.too_slow]
    if hasattr(hypothesis.HealthCheck, "nested_given"):  # hypothesis >= 6.105
        health_checks.append(hypothesis.HealthCheck.nested_given)

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,  # a library call leaves no files behind
        report_multiple_bugs=False,  # one AssertionError, never an exception group
        suppress_health_check=health_checks,
    )
    @hypothesis.given(point=strategy)
    def check(point: Any) -> None:
        if not check_function_at(fn, *_as_point(point, n, fn), rtol=rtol, atol=atol, epsilon=epsilon):
            hypothesis.reject()

    if seed is not None:
        check = hypothesis.seed(seed)(check)
    try:
        check()
    except Unsatisfiable as error:
        raise AssertionError(
            f"check_function({fn.__name__}): found no point where {fn.__name__}.forward is finite and "
            "differentiable; pass domain=(low, high) (one per input if they differ) inside its domain"
        ) from error


# ## Arguments


def _arity(fn: type[ScalarFunction]) -> int:
    """The number of inputs of ``fn.forward``: its positional parameters after ``ctx``."""
    parameters = inspect.signature(fn.forward).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        raise TypeError(
            f"check_function({fn.__name__}): {fn.__name__}.forward takes *args (or is not "
            "implemented yet), so the number of inputs is unknown; pass arity=..."
        )
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    n = sum(1 for p in parameters if p.kind in positional) - 1
    if n < 1:
        raise TypeError(
            f"check_function({fn.__name__}): {fn.__name__}.forward must take ctx and at least one "
            "input: forward(ctx, a, ...)"
        )
    return n

def _as_point(point: Any, arity: int, fn: type[ScalarFunction]) -> tuple[float, ...]:
    values = (point,) if isinstance(point, numbers.Real) else tuple(point)
    if len(values) != arity or not all(isinstance(v, numbers.Real) for v in values):
        raise ValueError(
            f"check_function({fn.__name__}): the points strategy drew {point!r}; it must draw tuples "
            f"of {arity} float(s), one per input"
        )
    return tuple(float(v) for v in values)
