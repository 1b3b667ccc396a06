"""Local derivative checks: does one function's ``backward`` agree with its own ``forward``?

A ``ScalarFunction`` is correct at a point when, for every input ``i`` and every ``d_output``,
``backward(ctx, d_output)[i] == d_output * df/dx_i``, where ``df/dx_i`` is measured by a central
difference of ``forward`` alone. This module checks that one function at a time:

- :func:`numeric_partials` measures ``df/dx_i`` of ``forward``, and leaves out the inputs where
  ``forward`` is not finite or not differentiable (a kink or a jump within ``epsilon``);
- :func:`compare_backward` calls ``backward`` with ``d_output = 1`` and ``d_output = -1.5`` (so a
  ``backward`` that forgets to multiply by ``d_output`` is caught) and returns the first
  :class:`WrongDerivative`;
- :func:`find_wrong_backward` walks a finished graph, from the inputs towards the output, and
  applies that check to every node at the values it saw. :func:`derivative_check` calls
  it when a composite derivative is wrong, to name the function at fault.

Examples:
    >>> from minitorch import Context, Scalar, ScalarFunction
    >>> class BadSquare(ScalarFunction):
    ...     @staticmethod
    ...     def forward(ctx: Context, a: float) -> float:
    ...         ctx.save_for_backward(a)
    ...         return a * a
    ...     @staticmethod
    ...     def backward(ctx: Context, d_output: float) -> float:
    ...         (a,) = ctx.saved_values
    ...         return d_output * a          # should be 2 * a
    >>> y = (BadSquare.apply(Scalar(3.0)) + 1.0).sin()
    >>> wrong = find_wrong_backward(y)
    >>> wrong.function, wrong.argument, wrong.point, round(wrong.expected, 6), wrong.received
    ('BadSquare', 0, (3.0,), 6.0, 3.0)
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..autodiff import Context, central_difference, topological_sort
from ..checks import innermost, is_real
from ..scalar import Scalar

if TYPE_CHECKING:
    from ..scalar_function import ScalarFunction

__all__ = [
    "WrongDerivative", "numeric_partials", "compare_backward", "find_wrong_backward",
    "explain_wrong_derivative", "derivative_check", "RTOL", "ATOL", "EPSILON", "D_OUTPUTS",
]

RTOL = 1e-4
"""Default relative tolerance between ``backward`` and the central difference."""

ATOL = 1e-6
"""Default absolute tolerance (for derivatives near 0)."""

EPSILON = 1e-6
"""Default half-width of the central difference ``(f(x + eps) - f(x - eps)) / (2 eps)``."""

D_OUTPUTS = (1.0, -1.5)
"""The ``d_output`` values ``backward`` is called with: 1 gives the local derivative itself; -1.5
checks that ``backward`` multiplies by ``d_output`` (and keeps its sign)."""

SMOOTHNESS = 1e-2
"""How far the one-sided differences ``(f(x+eps) - f(x)) / eps`` and ``(f(x) - f(x-eps)) / eps`` may
disagree, relative to ``1 + |central difference|``, before the point counts as a kink or a jump
(where ``f`` has no derivative to compare with). For a smooth ``f`` they differ by about
``eps * |f''|``, far below this except within about ``1e-4`` of a pole such as ``1/x`` at 0."""


@dataclass(frozen=True)
class WrongDerivative:
    """A ``backward`` that disagrees with its ``forward`` at one point.

    Attributes:
        function: the name of the ``ScalarFunction``.
        argument: the index of the input whose derivative is wrong.
        point: the inputs of ``forward``.
        d_output: the ``d_output`` given to ``backward``.
        expected: ``d_output`` times the central difference of ``forward``.
        received: what ``backward`` returned for that input.
    """

    function: str
    argument: int
    point: tuple[float, ...]
    d_output: float
    expected: float
    received: float

    def __str__(self) -> str:
        hint = (
            "; backward must return d_output times the local derivative"
            if self.d_output != 1.0
            else ""
        )
        return (
            f"{self.function}.backward(ctx, d_output={self.d_output!r}) at the point {self.point!r} "
            f"returned {self.received!r} for argument {self.argument}, but the expected value "
            f"(d_output times the central difference of {self.function}.forward) is "
            f"{self.expected!r}{hint}"
        )


def numeric_partials(
    fn: type[ScalarFunction], point: tuple[float, ...], arguments: Iterable[int], epsilon: float = EPSILON
) -> dict[int, float]:
    """``df/dx_i`` of ``fn.forward`` at ``point`` by central differences, for each ``i`` in ``arguments``.

    An input is left out when ``forward`` is not finite at ``x_i`` or ``x_i +- epsilon``, or when
    the one-sided differences disagree (see :data:`SMOOTHNESS`): there ``f`` has no derivative for
    ``backward`` to match (``relu`` at 0, ``lt`` where its inputs are equal).
    """

    def f(*values: float) -> float:
        value = fn.forward(Context(), *values)
        return float(value) if isinstance(value, numbers.Real) else math.nan

    partials: dict[int, float] = {}
    center = f(*point)
    for i in arguments:
        up, down = list(point), list(point)
        up[i] += epsilon
        down[i] -= epsilon
        above, below = f(*up), f(*down)
        if not all(math.isfinite(v) for v in (center, above, below)):
            continue
        central = (above - below) / (2.0 * epsilon)
        one_sided_gap = abs((above - center) - (center - below)) / epsilon
        if one_sided_gap <= SMOOTHNESS * (1.0 + abs(central)):
            partials[i] = central
    return partials


def compare_backward(
    fn: type[ScalarFunction],
    point: tuple[float, ...],
    partials: dict[int, float],
    saved_values: tuple[Any, ...],
    variable_inputs: int = -1,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> WrongDerivative | None:
    """Call ``fn.backward`` for each of :data:`D_OUTPUTS` and return the first wrong derivative.

    Each call gets a fresh :class:`~minitorch.autodiff.Context` holding ``saved_values`` (what
    ``forward`` saved), so one call cannot disturb the next. Only the inputs in ``partials`` are
    compared; a derivative that is not a number counts as wrong.
    """
    for d_output in D_OUTPUTS:
        result = fn.backward(Context(False, saved_values, variable_inputs), d_output)
        received = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        for i, partial in partials.items():
            expected = d_output * partial
            got = received[i] if i < len(received) else None
            if not _is_close(got, expected, rtol, atol):
                value = float(got) if got is not None and is_real(got) else math.nan
                return WrongDerivative(fn.__name__, i, point, d_output, expected, value)
    return None


def find_wrong_backward(
    output: Scalar, rtol: float = RTOL, atol: float = ATOL, epsilon: float = EPSILON
) -> WrongDerivative | None:
    """The first function in ``output``'s graph whose ``backward`` disagrees with its ``forward``.

    Walks the graph in evaluation order (inputs first, from the reversed topological order, with no
    recursion) and checks each node's function at the values its inputs had, with the values its
    ``forward`` saved, against central differences of its ``forward``. Only variable inputs are
    checked (a constant never receives a derivative). Returns ``None`` if every node agrees.
    """
    with warnings.catch_warnings():
        # Probing forward near the edge of its domain may warn (log(0)); those points are skipped.
        warnings.simplefilter("ignore", RuntimeWarning)
        for node in reversed(topological_sort(output)):
            history = node.history if isinstance(node, Scalar) else None
            if history is None or history.last_fn is None or history.ctx is None:
                continue  # a leaf
            fn, ctx = history.last_fn, history.ctx
            point = tuple(innermost(x) for x in history.inputs)
            arguments = [
                i for i, x in enumerate(history.inputs) if isinstance(x, Scalar) and not x.is_constant()
            ]
            try:
                partials = numeric_partials(fn, point, arguments, epsilon)
                saved, mask = ctx.saved_values, ctx.variable_inputs
                wrong = compare_backward(fn, point, partials, saved, mask, rtol, atol)
            except Exception:  # a node that cannot be re-run says nothing either way
                continue
            if wrong is not None:
                return wrong
    return None


def explain_wrong_derivative(output: Scalar) -> str:
    """A sentence for :func:`derivative_check`'s error: which function is at fault."""
    try:
        wrong = find_wrong_backward(output)
    except Exception as error:  # the diagnosis must never hide the error it explains
        return f"the backward of some function in the graph is wrong (no diagnosis: {error!r})"
    if wrong is not None:
        return f"the function at fault is {wrong.function}: {wrong}"
    return (
        "every function in the graph has a backward that agrees with central differences of its "
        "own forward at the values it saw, so the error is in how the derivatives are combined "
        "(topological_sort, backpropagate, chain_rule), or f is not differentiable at this point"
    )


def _is_close(got: Any, expected: float, rtol: float, atol: float) -> bool:
    return is_real(got) and math.isclose(float(got), expected, rel_tol=rtol, abs_tol=atol)



def derivative_check(f: Callable[..., Scalar], *scalars: Scalar, tol: float = 1e-2) -> None:
    """Check the derivatives of ``f`` at ``scalars`` by backpropagation against central differences.

    Resets the ``derivative`` of each input, runs ``f(*scalars).backward()`` and compares each
    input's derivative with :func:`~minitorch.autodiff.central_difference`. When one disagrees,
    the error also names the function of the graph whose ``backward`` is at fault, if one is.

    Args:
        f: a function of Scalars returning a Scalar.
        *scalars: the point (leaf Scalars).
        tol: the relative and absolute tolerance.

    Raises:
        AssertionError: naming the argument, the point, the expected and the received derivative.

    Examples:
        >>> derivative_check(lambda x, y: x * y + x.exp(), Scalar(0.5), Scalar(2.0))
    """
    for x in scalars:
        x.zero_grad()
    out = f(*scalars)
    out.backward()
    point = [x.data for x in scalars]
    for i, x in enumerate(scalars):
        expected = innermost(central_difference(f, *scalars, arg=i))
        received = x.derivative
        got = 0.0 if received is None else innermost(received)  # None: no path reached x
        if not math.isclose(got, expected, rel_tol=tol, abs_tol=tol):
            raise AssertionError(
                f"derivative_check: the derivative of {getattr(f, '__name__', 'f')} with respect to "
                f"argument {i} at {point} was {received!r} by backpropagation but {expected!r} "
                f"by central difference; {explain_wrong_derivative(out)}"
            )
