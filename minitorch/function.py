"""``ScalarFunction``, the base class of differentiable functions, and ``apply``, which records a call.

The course gives this part; the built-in functions, whose formulas are tasks 1.2 and 1.4, live in
:mod:`minitorch.scalar_functions`.

A function is a class that is never instantiated: a static ``forward(ctx, *inputs)`` computes the
value from plain numbers, and a static ``backward(ctx, d_output)`` returns ``d_output`` times the
partial derivative with respect to each input. ``apply`` unwraps the inputs, gives ``forward`` a
:class:`~minitorch.autodiff.Context` and returns a Scalar that records the call.

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

import numbers
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np

from . import trace
from .autodiff import Context, grad_mode
from .scalar import Scalar, ScalarLike, _unique_ids, make_scalar

__all__ = ["ScalarFunction", "as_derivative_tuple", "reraise_backward_error"]


class ScalarFunction:
    """Base class of differentiable functions of Scalars; subclasses are never instantiated.

    Subclasses define ``forward(ctx, *inputs) -> float`` and
    ``backward(ctx, d_output) -> float | tuple[float, ...]`` as static methods; users call
    :meth:`apply`.
    """

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
    def _backward(cls, ctx: Context, d_output: Any) -> tuple[Any, ...]:
        """Call ``backward`` and always return a tuple, checking that each entry is a number."""
        try:
            returned = cls.backward(ctx, d_output)
        except TypeError as error:
            reraise_backward_error(cls, ctx, d_output, error)
        result: tuple[Any, ...]
        if type(returned) is float:  # one input: the common unary case, already checked
            result = (returned,)
        else:
            result = returned if type(returned) is tuple else as_derivative_tuple(returned)
            for d in result:
                if type(d) is not float:
                    cls._check_derivative(d)
        if grad_mode.anomaly is not None:
            grad_mode.anomaly.check_backward(cls, ctx, d_output, result)
        return result

    @classmethod
    def _check_derivative(cls, d: Any) -> None:
        """Raise ``TypeError`` unless ``d``, returned by ``backward``, is a number or a Scalar."""
        if not isinstance(d, (numbers.Real, Scalar)) or isinstance(d, bool):
            raise TypeError(
                f"{cls.__name__}.backward returned {type(d).__name__} {d!r} among its "
                "derivatives; each derivative must be a number"
            )

    @classmethod
    def _forward(cls, ctx: Context, *inputs: Any) -> Any:
        """Call ``forward`` (kept for symmetry with ``_backward`` and the course's API)."""
        return cls.forward(ctx, *inputs)

    @classmethod
    def apply(cls, *vals: ScalarLike) -> Scalar:
        """Run ``forward`` on the values of ``vals`` and return a Scalar that records this call.

        Scalars are unwrapped to their values; plain numbers are passed to ``forward`` as given and
        recorded as constant inputs. If no input is a variable, the result is a constant.

        Raises:
            TypeError: if an input is not a Scalar or a real number, or if ``forward`` returns
                something that is not a number.
        """
        # The common case in straight-line code: one or two inputs, each a float or a Scalar at
        # level 0 (no functional-API trace), and no anomaly detection. Everything else, and any
        # surprise on the way, goes through _apply_general, which handles every case.
        arity = len(vals)
        if arity == 2:
            a, b = vals
            if type(a) is Scalar and not a.level:
                raw_a = a.data
                variables = 0 if a._inputs is None else 1  # bit i: input i is a variable
            elif type(a) is float:
                raw_a, variables = a, 0
            else:
                return cls._apply_general(vals)
            if type(b) is Scalar and not b.level:
                raw_b = b.data
                if b._inputs is not None:
                    variables |= 2
            elif type(b) is float:
                raw_b = b
            else:
                return cls._apply_general(vals)
        elif arity == 1:
            (a,) = vals
            if type(a) is not Scalar or a.level:
                return cls._apply_general(vals)
            raw_a = a.data
            variables = 0 if a._inputs is None else 1
        else:
            return cls._apply_general(vals)
        if grad_mode.anomaly is not None:
            return cls._apply_general(vals)
        if variables and grad_mode.enabled:
            # Context(False, (), variables) without the call to __init__: this is the hot path.
            ctx = _new_object(Context)
            ctx.saved_values = ()
            ctx.variable_inputs = variables
        else:  # nothing to differentiate (constants, or no_grad): compute the value only
            variables = 0
            ctx = _VALUE_ONLY
        try:
            c = cls.forward(ctx, raw_a, raw_b) if arity == 2 else cls.forward(ctx, raw_a)
        except AttributeError as error:
            raise _explain_attribute_error(cls, error) from error
        if type(c) is not float:
            c = _check_forward_result(cls, c, 0)
        # make_scalar(c, cls, ctx, vals, 0), inlined for the same reason; the one or two inputs
        # go in two slots, so that no tuple is kept (see Scalar).
        out = _new_object(Scalar)
        out.data = c
        out.derivative = None
        out.unique_id = _next_id()
        out.level = 0
        out._name = None
        if not variables:
            out._fn = out._ctx = out._inputs = out._saved = None
            return out
        # Keep what forward saved (one or two values in slots, so that no tuple is kept) and a
        # Context shared by the calls with these variable inputs, not this call's Context:
        # Scalar._context rebuilds it for backward.
        saved = ctx.saved_values
        n_saved = len(saved)
        if n_saved == 2:
            out._saved = 2
            out._saved0, out._saved1 = saved
        elif n_saved == 1:
            out._saved = 1
            out._saved0 = saved[0]
        else:
            out._saved = saved
        out._ctx = _SHARED_CONTEXTS.get(variables) or _SharedContext.for_inputs(variables)
        out._fn = cls
        out._inputs = arity
        out._input0 = a
        if arity == 2:
            out._input1 = b
        return out

    @classmethod
    def _apply_general(cls, vals: tuple[Any, ...], prefix: tuple[Any, ...] = ()) -> Scalar:
        """``apply`` for any mix of inputs: numbers of any real type, and Scalars of any level.

        Inside a functional-API trace the inputs of the highest level are unwrapped; Scalars of
        lower levels are constants here and reach ``forward`` untouched, so their own trace records
        what ``forward`` does with them. ``prefix`` holds extra leading arguments for ``forward``
        that are not inputs of the graph (custom primitives pass the shape of their call this way).
        """
        # A constant Scalar has no graph at any level: compute with its plain value.
        values = [_strip_constant(v) for v in vals]
        level = 0
        for v in values:
            if isinstance(v, Scalar) and v.level > level:
                level = v.level
        raw: list[Any] = []
        variables = 0
        for i, v in enumerate(values):
            if isinstance(v, Scalar):
                if v.level == level:
                    raw.append(v.data)
                    if v._inputs is not None:
                        variables |= 1 << i
                else:
                    raw.append(v)
            elif isinstance(v, numbers.Real):
                raw.append(v)
            elif isinstance(v, np.ndarray):
                return _elementwise(cls, vals)  # type: ignore[no-any-return]  # an object array
            else:
                raise TypeError(
                    f"{cls.__name__}.apply: argument {i} is {type(v).__name__} {v!r}; "
                    "expected a Scalar or a real number"
                )
        if not grad_mode.enabled:
            variables = 0
        ctx = Context(False, (), variables)
        try:
            c = cls.forward(ctx, *prefix, *raw)
        except TypeError as error:
            if any(isinstance(v, Scalar) for v in raw):
                raise _not_nestable(cls, "forward", error) from error
            raise
        except AttributeError as error:
            raise _explain_attribute_error(cls, error) from error
        if type(c) is not float:
            c = _check_forward_result(cls, c, level)
        out = make_scalar(c, cls, ctx, vals, level) if variables else make_scalar(c, None, None, None, level)
        if grad_mode.anomaly is not None:
            grad_mode.anomaly.check_forward(cls, raw, out)
        tangents = trace.forward_tangents.get(level) if variables else None
        if tangents is not None:
            _push_tangent(cls, ctx, vals, variables, out, tangents)
        return out


_new_object = object.__new__
_next_id = _unique_ids.__next__

# The context of every call that records nothing: its save_for_backward is a no-op, so one
# shared instance serves them all and saves an allocation per operation.
_VALUE_ONLY = Context(no_grad=True)


class _SharedContext(Context):
    """The Context a Scalar made by ``apply``'s fast path keeps: only which inputs are variables.

    The calls with the same mask of variable inputs share one, read-only; the values a call's
    ``forward`` saved are kept in the Scalar, and ``Scalar._context`` rebuilds the call's Context
    from both for ``backward``. The graph keeps one object fewer per operation, which the
    garbage collector notices.
    """

    __slots__ = ()

    def __init__(self, variable_inputs: int) -> None:
        object.__setattr__(self, "saved_values", ())
        object.__setattr__(self, "variable_inputs", variable_inputs)

    @staticmethod
    def for_inputs(variable_inputs: int) -> Context:
        """The shared Context of ``variable_inputs``, made on first use."""
        return _SHARED_CONTEXTS.setdefault(variable_inputs, _SharedContext(variable_inputs))

    def __reduce__(self) -> tuple[Any, ...]:
        # copy, deepcopy and pickle give the shared instance of the same mask, never a new one.
        return (_SharedContext.for_inputs, (self.variable_inputs,))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"Context.{name} cannot be set after forward: this call's forward saved nothing, so "
            "its Context is shared with every such call; save what backward needs in forward "
            "with ctx.save_for_backward(...)"
        )


_SHARED_CONTEXTS: dict[int, Context] = {}


def _push_tangent(
    fn: type[ScalarFunction],
    ctx: Context,
    vals: tuple[Any, ...],
    variables: int,
    out: Scalar,
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


def _elementwise(fn: type[ScalarFunction], vals: tuple[Any, ...]) -> Any:
    """Apply ``fn`` element by element when an input is a NumPy array (with broadcasting)."""
    boxed = [np.asarray(v, dtype=object) if isinstance(v, Scalar) else v for v in vals]
    return np.frompyfunc(fn.apply, len(vals), 1)(*boxed)


def _missing_method(name: str, method: str) -> Callable[..., Any]:
    signature = "forward(ctx, *inputs)" if method == "forward" else "backward(ctx, d_output)"

    def missing(*args: Any) -> Any:
        raise NotImplementedError(
            f"{name}.{method} is not implemented: define a static {signature} on {name}"
        )

    return missing


def reraise_backward_error(
    fn: type[ScalarFunction], ctx: Context, d_output: Any, error: TypeError
) -> NoReturn:
    """Raise the TypeError ``fn.backward`` raised, explained when Scalars of a nested trace met a
    float-only formula (the functional API differentiating it again)."""
    if any(isinstance(v, Scalar) for v in (d_output, *ctx.saved_values)):
        raise _not_nestable(fn, "backward", error) from error
    raise error


def as_derivative_tuple(result: Any) -> tuple[Any, ...]:
    """What ``backward`` returned, as a tuple: a list is converted, a single value is wrapped."""
    return tuple(result) if isinstance(result, list) else (result,)


def _explain_attribute_error(fn: type[ScalarFunction], error: AttributeError) -> AttributeError:
    """Explain the AttributeError of ``ctx.name = value``: a Context keeps values only one way."""
    if "'Context' object has no attribute" not in str(error):
        return error
    return AttributeError(
        f"{fn.__name__}.forward kept a value on ctx as an attribute ({error}); a Context keeps "
        "values for backward only through ctx.save_for_backward(...), read back from "
        "ctx.saved_values"
    )


def _not_nestable(fn: type[ScalarFunction], method: str, error: Exception) -> TypeError:
    """The error for a float-only formula that met the Scalars of a nested trace."""
    return TypeError(
        f"{fn.__name__}.{method} cannot be differentiated again (grad of grad, hessian, jvp of grad): "
        f"it failed on Scalar values with {type(error).__name__}: {error}. Write it with + - * / and "
        "Scalar-aware calls (x.exp(), x.log(), ...) instead of float-only ones such as math.* or "
        "operators.*"
    )


def _strip_constant(v: Any) -> Any:
    while isinstance(v, Scalar) and v._inputs is None:
        v = v.data
    return v


def _check_forward_result(fn: type[ScalarFunction], c: Any, level: int) -> Any:
    """Accept a real number (as float) or a lower-level Scalar from ``forward``; reject the rest."""
    if isinstance(c, Scalar) and c.level < level:
        return c
    if isinstance(c, numbers.Real) and not isinstance(c, bool):
        return float(c)
    raise TypeError(
        f"{fn.__name__}.forward returned {type(c).__name__} {c!r}; forward must return a float"
    )
