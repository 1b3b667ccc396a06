"""``ScalarFunction``, the base class of differentiable functions; ``apply``, which records a call.

The course gives this part; the built-in functions, whose formulas are tasks 1.2 and 1.4, live in
:mod:`minitorch.scalar_functions`.

A function is a class that is never instantiated: a static ``forward(ctx, *inputs)`` computes the
value from plain numbers, and a static ``backward(ctx, d_output)`` returns ``d_output`` times the
partial derivative with respect to each input. ``apply`` unwraps the inputs, gives ``forward`` a
fresh :class:`~minitorch.autodiff.Context` and returns a Scalar whose :class:`ScalarHistory`
records the call. This is the reference ``apply``; the speed layer (:mod:`minitorch.fast`) replaces
it with a faster one that gives the same results.

Examples:
    A function of two inputs; ``backward`` returns one derivative per input, in order:

    >>> from minitorch import Context, Scalar
    >>> class SumOfSquares(ScalarFunction):  # f(a, b) = a^2 + b^2
    ...     @staticmethod
    ...     def forward(ctx: Context, a: float, b: float) -> float:
    ...         ctx.save_for_backward(a, b)
    ...         return a * a + b * b
    ...     @staticmethod
    ...     def backward(ctx: Context, d_output: float) -> tuple[float, float]:
    ...         a, b = ctx.saved_values
    ...         return d_output * 2.0 * a, d_output * 2.0 * b
    >>> x = Scalar(3.0)
    >>> out = SumOfSquares.apply(x, 4.0)   # a plain number is a constant input
    >>> out.backward()
    >>> out.data, x.derivative
    (25.0, 6.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NoReturn

import numpy as np

from .autodiff import Context
from .checks import as_derivative_tuple, is_real, wrong_derivative_count
from .grad_mode import mode
from .trace import tangent_table

__all__ = [
    "ScalarFunction", "ScalarHistory", "call_function", "check_derivative", "check_forward_result",
    "explain_backward_error", "explain_forward_error",
]


class ScalarHistory:
    """How a Scalar was made: the function, its context and its inputs.

    A leaf (a Scalar the user created) has a history with no function; a constant has no history.

    Args:
        last_fn: the :class:`ScalarFunction` subclass that made the value.
        ctx: the :class:`~minitorch.autodiff.Context` its ``forward`` filled.
        inputs: the inputs given to ``apply``, in order (Scalars, or plain numbers for constants).

    Examples:
        >>> from minitorch import Scalar
        >>> y = Scalar(2.0) * 3.0
        >>> y.history.last_fn.__name__, len(y.history.inputs)
        ('Mul', 2)
    """

    __slots__ = ("last_fn", "ctx", "inputs")

    def __init__(
        self,
        last_fn: type[ScalarFunction] | None = None,
        ctx: Context | None = None,
        inputs: Sequence[Any] = (),
    ) -> None:
        self.last_fn = last_fn
        self.ctx = ctx
        self.inputs = inputs

    def backprop_step(self, d_output: Any) -> list[tuple[Any, Any]]:
        """Return ``(input, derivative)`` for each input: the backward step of this one node.

        Raises:
            ValueError: if this is a leaf's history, or if ``last_fn.backward`` returns a number of
                derivatives other than the number of inputs.
            TypeError: if a derivative is not a number.
        """
        if self.last_fn is None or self.ctx is None:
            raise ValueError(
                "ScalarHistory.backprop_step: this history belongs to a leaf, which has no function "
                "to differentiate (or was built by hand without a Context)"
            )
        derivatives = self.last_fn._backward(self.ctx, d_output)
        if len(derivatives) != len(self.inputs):
            raise wrong_derivative_count(self.last_fn.__name__, derivatives, self.inputs)
        return list(zip(self.inputs, derivatives, strict=True))

    def __repr__(self) -> str:
        name = None if self.last_fn is None else self.last_fn.__name__
        return f"ScalarHistory(last_fn={name}, inputs={list(self.inputs)!r})"


class ScalarFunction:
    """Base class of differentiable functions of Scalars; subclasses are never instantiated.

    Subclasses define ``forward(ctx, *inputs) -> float`` and
    ``backward(ctx, d_output) -> float | tuple[float, ...]`` as static methods; users call
    :meth:`apply`.
    """

    value_type: ClassVar[Any] = None
    """The class of the values ``apply`` returns: :class:`minitorch.Scalar`, which sets it when
    :mod:`minitorch.scalar` is imported. (Scalar's operators call the built-in functions, which are
    built on this module, so this module cannot import Scalar without an import circle.)"""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A subclass that forgets forward or backward gets a stand-in whose error names it.
        super().__init_subclass__(**kwargs)
        for method in ("forward", "backward"):
            if getattr(cls, method) is getattr(ScalarFunction, method):
                setattr(cls, method, staticmethod(_missing_method(cls.__name__, method)))

    def __init__(self) -> None:
        raise TypeError(
            f"{type(self).__name__} is a ScalarFunction: it is never instantiated; "
            f"call {type(self).__name__}.apply(...) instead"
        )

    @staticmethod
    def forward(ctx: Context, *inputs: Any) -> Any:
        """Compute the value from plain numbers; subclasses must override this."""
        raise NotImplementedError("a ScalarFunction subclass must define a static forward(ctx, ...)")

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        """Return one derivative per input; subclasses must override this."""
        raise NotImplementedError(
            "a ScalarFunction subclass must define a static backward(ctx, d_output)"
        )

    @classmethod
    def _forward(cls, ctx: Context, *inputs: Any) -> Any:
        """Call ``forward`` (the course's name, kept beside ``_backward``)."""
        return cls.forward(ctx, *inputs)

    @classmethod
    def _backward(cls, ctx: Context, d_output: Any) -> tuple[Any, ...]:
        """Call ``backward`` and return its derivatives as a tuple, each checked to be a number."""
        try:
            derivatives = as_derivative_tuple(cls.backward(ctx, d_output))
        except TypeError as error:
            explain_backward_error(cls, ctx, d_output, error)
        for d in derivatives:
            check_derivative(cls, d)
        if mode.anomaly is not None:  # the anomaly-detection hook (minitorch.anomaly)
            mode.anomaly.check_backward(cls, ctx, d_output, derivatives)
        return derivatives

    @classmethod
    def apply(cls, *vals: Any) -> Any:
        """Run ``forward`` on the values of ``vals`` and return a Scalar that records this call.

        Scalars are unwrapped to their values; plain numbers are passed to ``forward`` as given and
        recorded as constant inputs. If no input is a variable, the result is a constant.

        Raises:
            TypeError: if an input is not a Scalar or a real number, or if ``forward`` returns
                something that is not a number.
        """
        return call_function(cls, vals)


def call_function(fn: type[ScalarFunction], vals: Sequence[Any], prefix: tuple[Any, ...] = ()) -> Any:
    """The body of :meth:`ScalarFunction.apply`: record one call of ``fn`` on ``vals``.

    Inside a functional-API trace the inputs of the highest level are unwrapped; Scalars of lower
    levels are constants here and reach ``forward`` untouched, so their own trace records what
    ``forward`` does with them. ``prefix`` holds extra leading arguments for ``forward`` that are
    not inputs of the graph (custom primitives pass the shape of their call this way).
    """
    scalar = ScalarFunction.value_type
    values = [_strip_constant(v, scalar) for v in vals]
    level = max([v.level for v in values if isinstance(v, scalar)], default=0)
    raw: list[Any] = []
    variables = 0  # bit i is set when input i is a variable
    for i, v in enumerate(values):
        if isinstance(v, scalar) and v.level == level:
            raw.append(v.data)
            variables |= 1 << i
        elif isinstance(v, scalar) or is_real(v):
            raw.append(v)
        elif isinstance(v, np.ndarray):
            return _elementwise(fn, vals)
        else:
            raise TypeError(
                f"{fn.__name__}.apply: argument {i} is {type(v).__name__} {v!r}; "
                "expected a Scalar or a real number"
            )
    if not mode.grad_enabled:
        variables = 0
    ctx = Context(False, (), variables)
    try:
        c = fn.forward(ctx, *prefix, *raw)
    except (TypeError, AttributeError) as error:
        explain_forward_error(fn, raw, error)
    c = check_forward_result(fn, c, level)
    back = ScalarHistory(fn, ctx, tuple(vals)) if variables else None
    out = scalar(c, back, level=level)
    if mode.anomaly is not None:  # the anomaly-detection hook (minitorch.anomaly)
        mode.anomaly.check_forward(fn, raw, out)
    tangents = tangent_table(level)
    if tangents is not None and variables:  # the forward-mode hook (minitorch.functional.jvp)
        _push_tangent(fn, ctx, vals, variables, out, tangents)
    return out


def _push_tangent(
    fn: type[ScalarFunction],
    ctx: Context,
    vals: Sequence[Any],
    variables: int,
    out: Any,
    tangents: dict[int, Any],
) -> None:
    """Forward mode: ``tangent(out) = sum_i df/dx_i * tangent(x_i)`` over the variable inputs.

    The local derivatives ``df/dx_i`` come from the function's own ``backward`` with
    ``d_output = 1``, so forward mode needs nothing beyond what reverse mode already has.
    """
    partials = fn._backward(ctx, 1.0)
    total: Any = None
    for i, v in enumerate(vals):
        if variables >> i & 1:
            t = tangents.get(v.unique_id)
            if t is not None and not (type(t) is float and t == 0.0):  # 0 * (a nan partial) is 0
                term = partials[i] * t
                total = term if total is None else total + term
    if total is not None:
        tangents[out.unique_id] = total


def _elementwise(fn: type[ScalarFunction], vals: Sequence[Any]) -> Any:
    """Apply ``fn`` element by element when an input is a NumPy array (with broadcasting)."""
    scalar = ScalarFunction.value_type
    boxed = [np.asarray(v, dtype=object) if isinstance(v, scalar) else v for v in vals]
    return np.frompyfunc(fn.apply, len(vals), 1)(*boxed)


def _missing_method(name: str, method: str) -> Callable[..., Any]:
    signature = "forward(ctx, *inputs)" if method == "forward" else "backward(ctx, d_output)"

    def missing(*args: Any) -> Any:
        raise NotImplementedError(
            f"{name}.{method} is not implemented: define a static {signature} on {name}"
        )

    return missing


def check_derivative(fn: type[ScalarFunction], d: Any) -> None:
    """Raise ``TypeError`` unless ``d``, returned by ``fn.backward``, is a number or a Scalar."""
    if type(d) is not float and not is_real(d) and not isinstance(d, ScalarFunction.value_type):
        raise TypeError(
            f"{fn.__name__}.backward returned {type(d).__name__} {d!r} among its "
            "derivatives; each derivative must be a number"
        )


def check_forward_result(fn: type[ScalarFunction], c: Any, level: int) -> Any:
    """Accept a real number (as float) or a lower-level Scalar from ``forward``; reject the rest."""
    if type(c) is float:
        return c
    if isinstance(c, ScalarFunction.value_type) and c.level < level:
        return c
    if is_real(c):
        return float(c)
    raise TypeError(
        f"{fn.__name__}.forward returned {type(c).__name__} {c!r}; forward must return a float"
    )


def explain_forward_error(fn: type[ScalarFunction], raw: Sequence[Any], error: Exception) -> NoReturn:
    """Raise the error ``fn.forward`` raised, explained where it has a common cause.

    An AttributeError about ``Context``: a value was kept on ``ctx`` as an attribute. A TypeError
    on Scalars of a nested trace: a float-only formula met the functional API's Scalars.
    """
    if isinstance(error, AttributeError) and "'Context' object has no attribute" in str(error):
        raise AttributeError(
            f"{fn.__name__}.forward kept a value on ctx as an attribute ({error}); a Context keeps "
            "values for backward only through ctx.save_for_backward(...), read back from "
            "ctx.saved_values"
        ) from error
    if isinstance(error, TypeError) and any(isinstance(v, ScalarFunction.value_type) for v in raw):
        raise _not_nestable(fn, "forward", error) from error
    raise error


def explain_backward_error(
    fn: type[ScalarFunction], ctx: Context, d_output: Any, error: TypeError
) -> NoReturn:
    """Raise the TypeError ``fn.backward`` raised, explained when Scalars of a nested trace met a
    float-only formula (the functional API differentiating it again)."""
    scalar = ScalarFunction.value_type
    if any(isinstance(v, scalar) for v in (d_output, *ctx.saved_values)):
        raise _not_nestable(fn, "backward", error) from error
    raise error


def _not_nestable(fn: type[ScalarFunction], method: str, error: Exception) -> TypeError:
    """The error for a float-only formula that met the Scalars of a nested trace."""
    return TypeError(
        f"{fn.__name__}.{method} cannot be differentiated again (grad of grad, hessian, jvp of grad): "
        f"it failed on Scalar values with {type(error).__name__}: {error}. Write it with + - * / and "
        "Scalar-aware calls (x.exp(), x.log(), ...) instead of float-only ones such as math.* or "
        "operators.*"
    )


def _strip_constant(v: Any, scalar: Any) -> Any:
    """A constant Scalar has no graph at any level: compute with its plain value."""
    while isinstance(v, scalar) and v.is_constant():
        v = v.data
    return v
