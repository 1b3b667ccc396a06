"""``Scalar``: a float that remembers how it was computed, and the history it keeps (course task 1.2).

Examples:
    >>> x = Scalar(2.0, name="x")
    >>> y = x * x + 3.0 * x
    >>> y.backward()
    >>> x.derivative      # d/dx (x^2 + 3x) = 2x + 3
    7.0
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Union

from .autodiff import Context, backpropagate, central_difference, register_specialised_backprop

if TYPE_CHECKING:
    from .function import ScalarFunction

__all__ = ["Scalar", "ScalarHistory", "ScalarLike", "derivative_check"]

ScalarLike = Union[float, int, "Scalar"]

# The one process-wide id counter (owned by this module): every Scalar takes the next integer, so
# ids are unique for the life of the process and never reused.
_unique_ids: itertools.count[int] = itertools.count(1)


class ScalarHistory:
    """How a Scalar was made: the function, its context and its inputs.

    A leaf (a Scalar the user created) has a history with no function; a constant has no history.

    Args:
        last_fn: the :class:`~minitorch.function.ScalarFunction` subclass that made the value.
        ctx: the :class:`~minitorch.autodiff.Context` its ``forward`` filled.
        inputs: the inputs given to ``apply``, in order (Scalars, or plain numbers for constants).

    Examples:
        >>> y = Scalar(2.0) * 3.0
        >>> y.history.last_fn.__name__, len(y.history.inputs)
        ('Mul', 2)
    """

    __slots__ = ("last_fn", "ctx", "inputs")

    def __init__(
        self,
        last_fn: type[ScalarFunction] | None = None,
        ctx: Context | None = None,
        inputs: Sequence[ScalarLike] = (),
    ) -> None:
        self.last_fn = last_fn
        self.ctx = ctx
        self.inputs = inputs

    def backprop_step(self, d_output: Any) -> list[tuple[ScalarLike, Any]]:
        """Return ``(input, derivative)`` for each input: the backward step of this one node.

        Raises:
            ValueError: if ``last_fn.backward`` returns a number of derivatives other than the
                number of inputs.
            TypeError: if a derivative is not a number.
        """
        fn = self.last_fn
        if fn is None or self.ctx is None:
            raise ValueError(
                "ScalarHistory.backprop_step: this history belongs to a leaf or a constant, which "
                "has no function to differentiate"
            )
        derivatives = fn._backward(self.ctx, d_output)
        if len(derivatives) != len(self.inputs):
            raise _wrong_count(fn, derivatives, self.inputs)
        return list(zip(self.inputs, derivatives, strict=True))

    def __repr__(self) -> str:
        name = None if self.last_fn is None else self.last_fn.__name__
        return f"ScalarHistory(last_fn={name}, inputs={list(self.inputs)!r})"


def _wrong_count(fn: type[ScalarFunction], derivatives: Sequence[Any], inputs: Sequence[Any]) -> ValueError:
    return ValueError(
        f"{fn.__name__}.backward returned {len(derivatives)} derivative(s) for "
        f"{len(inputs)} input(s); return one value per forward argument"
    )


# Shared by every leaf made with the default argument. It is never mutated, so sharing it is safe.
_LEAF_HISTORY = ScalarHistory()


def _as_float(v: object, where: str) -> float:
    """Convert a real number to float, or raise a TypeError that names ``where``."""
    if isinstance(v, numbers.Real):
        return float(v)
    raise TypeError(
        f"{where} expects a real number, got {type(v).__name__} {v!r}; convert it with float() first"
    )


class Scalar:
    """A real number that records the operations applied to it, so it can be differentiated.

    Args:
        v: the value (any real number; stored as float).
        back: its history. The default makes a leaf (a variable that collects a derivative);
            ``None`` makes a constant.
        name: a label for pictures and messages; defaults to the unique id.

    Attributes:
        data: the value.
        derivative: d(output)/d(self) after ``backward`` (``None`` before). ``grad`` is the same.
        history: how this value was made (``None`` for a constant).
        unique_id: an integer no other Scalar in this process shares.

    Examples:
        >>> a, b = Scalar(3.0), Scalar(4.0)
        >>> c = (a * a + b * b).sqrt()
        >>> c.backward()
        >>> c.data, round(a.grad, 12), round(b.grad, 12)
        (5.0, 0.6, 0.8)
    """

    # The history is stored unpacked (function, context, inputs) rather than as a ScalarHistory
    # object; the one or two inputs of a call made by apply sit in two slots rather than in a
    # tuple; and such a call keeps the values its forward saved, not its Context (see _context).
    # Three objects fewer per operation, which the garbage collector and memory notice.
    __slots__ = (
        "data", "derivative", "unique_id", "level", "_name", "_fn", "_ctx", "_saved", "_saved0",
        "_saved1", "_inputs", "_input0", "_input1", "__weakref__",
    )

    data: Any  # a float; inside a nested trace of the functional API, a Scalar of a lower level
    derivative: Any
    unique_id: int
    level: int
    _name: str | None
    _fn: type[ScalarFunction] | None
    _ctx: Context | None
    # None: _ctx is the call's own Context. Otherwise _ctx is a shared Context that only holds
    # which inputs are variables, and _saved the values the call's forward saved: a tuple, or the
    # number 1 or 2 when that many values are kept in _saved0 and _saved1 (see _context).
    _saved: tuple[Any, ...] | int | None
    _saved0: Any
    _saved1: Any
    # None for a constant, () for a leaf, the inputs in order, or the number 1 or 2: that many
    # inputs, kept in _input0 and _input1 (see _input_values).
    _inputs: Sequence[Any] | int | None
    _input0: Any
    _input1: Any

    def __init__(
        self,
        v: float,
        back: ScalarHistory | None = _LEAF_HISTORY,
        name: str | None = None,
    ) -> None:
        self.data = v if type(v) is float else _as_float(v, "Scalar()")
        self.derivative = None
        self.unique_id = next(_unique_ids)
        self.level = 0
        self._name = name
        self.history = back

    @property
    def history(self) -> ScalarHistory | None:
        """How this value was made (``None`` for a constant), as a :class:`ScalarHistory`."""
        if self._inputs is None:
            return None
        inputs = self._input_values()
        if self._fn is None and self._ctx is None and not inputs:
            return _LEAF_HISTORY
        return ScalarHistory(self._fn, self._context(), inputs)

    @history.setter
    def history(self, back: ScalarHistory | None) -> None:
        # Nothing of a previous history stays referenced (set by hand after apply made it).
        self._input0 = self._input1 = self._saved = self._saved0 = self._saved1 = None
        if back is None:
            self._fn, self._ctx, self._inputs = None, None, None
        else:
            self._fn, self._ctx, self._inputs = back.last_fn, back.ctx, back.inputs

    def _context(self) -> Context | None:
        """The Context of the call that made this Scalar, as its ``backward`` receives it.

        A call made by ``apply``'s fast path does not keep its Context: it keeps the values its
        ``forward`` saved, and a Context shared by the calls with the same variable inputs. The
        Context is rebuilt here from both, with the same ``saved_values`` and ``needs_grad``.
        """
        saved = self._saved
        if not saved:  # the call's own Context, or nothing saved: the shared one is the same
            return self._ctx
        if isinstance(saved, int):
            saved = (self._saved0, self._saved1) if saved == 2 else (self._saved0,)
        shared: Any = self._ctx
        return Context(False, saved, shared.variable_inputs)

    def _input_values(self) -> Sequence[Any]:
        """The inputs of the function that made this Scalar, in order (empty for a leaf or a constant)."""
        inputs = self._inputs
        if inputs is None:
            return ()
        if isinstance(inputs, int):
            return (self._input0,) if inputs == 1 else (self._input0, self._input1)
        return inputs

    # ## Names and display

    @property
    def name(self) -> str:
        """The label given at creation, or the unique id as text."""
        return str(self.unique_id) if self._name is None else self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    def __repr__(self) -> str:
        label = "" if self._name is None else f", name={self._name!r}"
        return f"Scalar({self.data!r}{label})"

    def __bool__(self) -> bool:
        return bool(_innermost(self))

    # ## Arithmetic (each builds one graph node through a ScalarFunction)

    def __add__(self, b: ScalarLike) -> Scalar:
        return _add(self, b)

    def __radd__(self, b: ScalarLike) -> Scalar:
        return _add(b, self)

    def __sub__(self, b: ScalarLike) -> Scalar:
        return _add(self, -b if type(b) is float else _neg(b))

    def __rsub__(self, b: ScalarLike) -> Scalar:
        return _add(b, _neg(self))

    def __mul__(self, b: ScalarLike) -> Scalar:
        return _mul(self, b)

    def __rmul__(self, b: ScalarLike) -> Scalar:
        return _mul(b, self)

    def __truediv__(self, b: ScalarLike) -> Scalar:
        return _mul(self, _inv(b))

    def __rtruediv__(self, b: ScalarLike) -> Scalar:
        return _mul(b, _inv(self))

    def __pow__(self, b: ScalarLike) -> Scalar:
        return _pow(self, b)

    def __rpow__(self, b: ScalarLike) -> Scalar:
        return _pow(b, self)

    def __neg__(self) -> Scalar:
        return _neg(self)

    def __abs__(self) -> Scalar:
        return _abs(self)

    # ## NumPy: ufuncs on Scalars run the differentiable functions (see scalar_numpy.py)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return _numpy.array_ufunc(ufunc, method, inputs, kwargs)

    # ## Comparisons: graph nodes with value 1.0 or 0.0 and derivative 0, as in the course

    def __lt__(self, b: ScalarLike) -> Scalar:
        return _lt(self, b)

    def __gt__(self, b: ScalarLike) -> Scalar:
        return _lt(b, self)

    def __le__(self, b: ScalarLike) -> Scalar:
        return 1.0 - _lt(b, self)

    def __ge__(self, b: ScalarLike) -> Scalar:
        return 1.0 - _lt(self, b)

    def __eq__(self, b: ScalarLike) -> Scalar:  # type: ignore[override]  # course: == is a node
        return _eq(self, b)

    # Scalars hash by identity, so they can key a dict even though == builds a graph node.
    __hash__ = object.__hash__

    # ## Functions

    def log(self) -> Scalar:
        """Natural logarithm."""
        return _log(self)

    def exp(self) -> Scalar:
        """Exponential."""
        return _exp(self)

    def sigmoid(self) -> Scalar:
        """Logistic sigmoid ``1 / (1 + e^-x)``."""
        return _sigmoid(self)

    def relu(self) -> Scalar:
        """``max(x, 0)``."""
        return _relu(self)

    def tanh(self) -> Scalar:
        """Hyperbolic tangent."""
        return _tanh(self)

    def sin(self) -> Scalar:
        """Sine."""
        return _sin(self)

    def cos(self) -> Scalar:
        """Cosine."""
        return _cos(self)

    def sqrt(self) -> Scalar:
        """Square root."""
        return _sqrt(self)

    def abs(self) -> Scalar:
        """Absolute value."""
        return _abs(self)

    # ## The Variable protocol (what the engine uses)

    def is_leaf(self) -> bool:
        """True if the user created this Scalar (it has a history but no function)."""
        return self._fn is None and self._inputs is not None

    def is_constant(self) -> bool:
        """True if this Scalar never receives a derivative (it has no history)."""
        return self._inputs is None

    @property
    def parents(self) -> list[Scalar]:
        """The non-constant inputs of the function that made this Scalar."""
        inputs = self._input_values()
        if not inputs:
            return []
        level = self.level
        found = []  # an explicit loop: measurably faster than a comprehension on this hot path
        for x in inputs:
            if isinstance(x, Scalar) and x._inputs is not None and x.level == level:
                found.append(x)
        return found

    def chain_rule(self, d_output: Any) -> list[tuple[Scalar, Any]]:
        """Return ``(input, d_output * d(self)/d(input))`` for each input, in input order.

        Constants are included (as constant Scalars); the engine skips them. The result has one
        pair per input, repeated inputs included.

        Raises:
            ValueError: if this Scalar is a leaf or a constant (no function made it).
        """
        # BEGIN TASK 1.3
        fn, ctx, inputs = self._fn, self._context(), self._input_values()
        if fn is None or ctx is None:
            raise ValueError(
                f"chain_rule: Scalar {self.name} is a leaf or a constant, so no function made it; "
                "chain_rule only applies to computed values"
            )
        derivatives = fn._backward(ctx, d_output)
        if len(derivatives) != len(inputs):
            raise _wrong_count(fn, derivatives, inputs)
        level = self.level
        pairs: list[tuple[Scalar, Any]] = []
        for x, d in zip(inputs, derivatives):  # noqa: B905 - lengths checked just above
            if isinstance(x, Scalar) and x.level == level:
                pairs.append((x, d))
            else:  # a plain number, or a Scalar of an enclosing trace: a constant at this level
                pairs.append((make_scalar(x, None, None, None, level), d))
        return pairs
        # END TASK 1.3

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to this leaf's derivative (the first call sets it).

        Raises:
            ValueError: if this Scalar is not a leaf.
        """
        if not self.is_leaf():
            kind = "a constant" if self._inputs is None else "computed, not a leaf"
            raise ValueError(
                f"accumulate_derivative: Scalar {self.name} is {kind}; only leaves (Scalars you "
                "created yourself) accumulate derivatives"
            )
        self.derivative = x if self.derivative is None else self.derivative + x

    # ## Backpropagation

    def backward(self, d_output: Any = None) -> None:
        """Backpropagate from this Scalar, adding d(self)/d(leaf) to every leaf's ``derivative``.

        Derivatives accumulate across calls until they are zeroed (``zero_grad``), exactly like
        PyTorch: calling ``backward`` twice on the same output adds each leaf's derivative twice.

        Args:
            d_output: the starting derivative; ``None`` means 1.0.

        Raises:
            ValueError: if this Scalar is a constant (nothing depends on a variable).
        """
        if self._inputs is None:
            raise ValueError(
                f"backward() was called on the constant Scalar {self.data!r}: it does not depend on "
                "any variable, so there is nothing to differentiate; build it from Scalar(...) leaves"
            )
        backpropagate(self, 1.0 if d_output is None else d_output)

    @property
    def grad(self) -> Any:
        """The derivative after ``backward``, under PyTorch's name (same as ``derivative``)."""
        return self.derivative

    @grad.setter
    def grad(self, value: Any) -> None:
        self.derivative = value

    def zero_grad(self) -> None:
        """Forget the accumulated derivative (sets it back to ``None``)."""
        self.derivative = None


def make_scalar(
    data: Any, fn: type[ScalarFunction] | None, ctx: Context | None, inputs: Sequence[Any] | None, level: int
) -> Scalar:
    """Build a Scalar from its parts without validation (``apply`` and the functional API have
    validated them): ``inputs`` is ``None`` for a constant and ``()`` for a leaf."""
    s = _new_object(Scalar)
    s.data = data
    s.derivative = None
    s.unique_id = next(_unique_ids)
    s.level = level
    s._name = None
    s._fn = fn
    s._ctx = ctx
    s._saved = None
    s._inputs = inputs
    return s


_new_object = object.__new__


def _innermost(x: Any) -> float:
    """The float at the bottom of a Scalar (``data`` may itself be a Scalar in nested traces)."""
    while isinstance(x, Scalar):
        x = x.data
    return float(x)


def derivative_check(f: Callable[..., Scalar], *scalars: Scalar, tol: float = 1e-2) -> None:
    """Check the derivatives of ``f`` at ``scalars`` by backpropagation against central differences.

    Resets the ``derivative`` of each input, runs ``f(*scalars).backward()`` and compares each
    input's derivative with :func:`~minitorch.autodiff.central_difference`.

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
        expected = _innermost(central_difference(f, *scalars, arg=i))
        received = x.derivative
        got = 0.0 if received is None else _innermost(received)  # None: no path reached x
        if not math.isclose(got, expected, rel_tol=tol, abs_tol=tol):
            # Imported only on failure: the testing layer sits above this module.
            from .testing.diagnose import explain_wrong_derivative

            raise AssertionError(
                f"derivative_check: the derivative of {getattr(f, '__name__', 'f')} with respect to "
                f"argument {i} at {point} was {received!r} by backpropagation but {expected!r} "
                f"by central difference; {explain_wrong_derivative(out)}"
            )


# Imported last: these modules build Scalars, and Scalar's operators call into them.
from . import scalar_functions as _fn  # noqa: E402

# The operators call ``apply`` bound once here: looking it up on the class (``_fn.Mul.apply``) makes
# a new bound method at every call, a measurable share of an operation's cost.
_abs = _fn.Abs.apply
_add = _fn.Add.apply
_cos = _fn.Cos.apply
_eq = _fn.EQ.apply
_exp = _fn.Exp.apply
_inv = _fn.Inv.apply
_lt = _fn.LT.apply
_log = _fn.Log.apply
_mul = _fn.Mul.apply
_neg = _fn.Neg.apply
_pow = _fn.Pow.apply
_relu = _fn.ReLU.apply
_sigmoid = _fn.Sigmoid.apply
_sin = _fn.Sin.apply
_sqrt = _fn.Sqrt.apply
_tanh = _fn.Tanh.apply

from . import scalar_numpy as _numpy  # noqa: E402
from .scalar_backprop import backpropagate_scalars  # noqa: E402

register_specialised_backprop(Scalar, backpropagate_scalars)
