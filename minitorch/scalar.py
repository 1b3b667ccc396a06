"""``Scalar``: a float that remembers how it was computed (course tasks 1.2 and 1.3).

Examples:
    >>> x = Scalar(2.0, name="x")
    >>> y = x * x + 3.0 * x
    >>> y.backward()
    >>> x.derivative      # d/dx (x^2 + 3x) = 2x + 3
    7.0
"""

from __future__ import annotations

import itertools
import numbers
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any, SupportsIndex, Union

from . import operators, scalar_numpy
from .autodiff import Context, backpropagate, topological_sort
from .checks import innermost, is_real
from .scalar_function import ScalarFunction, ScalarHistory
from .scalar_functions import (
    EQ,
    LT,
    Abs,
    Add,
    Cos,
    Exp,
    Inv,
    Log,
    Mul,
    Neg,
    Pow,
    ReLU,
    Sigmoid,
    Sin,
    Sqrt,
    Tanh,
)

__all__ = [
    "Scalar", "ScalarHistory", "ScalarLike", "LEAF_HISTORY", "make_scalar", "next_id",
    "starting_derivative", "copied_scalar",
]

ScalarLike = Union[float, int, "Scalar"]

next_id: Callable[[], int] = itertools.count(1).__next__
"""The next unique id: the one process-wide id counter (owned by this module), so ids are unique
for the life of the process and never reused. Every Scalar takes one when it is made."""

LEAF_HISTORY = ScalarHistory()
"""The history of every leaf made with the default argument (never mutated, so sharing it is safe)."""


class Scalar:
    """A real number that records the operations applied to it, so it can be differentiated.

    Args:
        v: the value (any real number; stored as float).
        back: its history. The default makes a leaf (a variable that collects a derivative);
            ``None`` makes a constant.
        name: a label for pictures and messages; defaults to the unique id.
        level: the functional API's trace level (0 outside its traces); at a level above 0, ``v``
            may be a Scalar of a lower level.

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

    __slots__ = ("data", "derivative", "history", "unique_id", "level", "_name", "__weakref__")

    data: Any  # a float; inside a nested trace of the functional API, a Scalar of a lower level
    derivative: Any
    history: ScalarHistory | None
    unique_id: int
    level: int

    def __init__(
        self,
        v: float,
        back: ScalarHistory | None = LEAF_HISTORY,
        name: str | None = None,
        level: int = 0,
    ) -> None:
        if type(v) is not float and not (level and isinstance(v, Scalar)):
            if not isinstance(v, numbers.Real):
                raise TypeError(
                    f"Scalar() expects a real number, got {type(v).__name__} {v!r}; "
                    "convert it with float() first"
                )
            v = operators.to_float(v, "Scalar()")
        if back is not LEAF_HISTORY and back is not None and not isinstance(back, ScalarHistory):
            raise TypeError(
                f"Scalar(back) expects a ScalarHistory or None, got {type(back).__name__} {back!r}"
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Scalar(name) expects a str or None, got {type(name).__name__} {name!r}")
        self.data = v
        self.derivative = None
        self.history = back
        self.unique_id = next_id()
        self.level = level
        self._name = name

    # ## Names and display

    @property
    def name(self) -> str:
        """The label given at creation, or the unique id as text."""
        return str(self.unique_id) if self._name is None else self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def given_name(self) -> str | None:
        """The label given at creation (or set later), ``None`` if there is none."""
        return self._name

    def __repr__(self) -> str:
        label = "" if self._name is None else f", name={self._name!r}"
        return f"Scalar({self.data!r}{label})"

    def __bool__(self) -> bool:
        return bool(innermost(self))

    def item(self) -> float:
        """The value as a plain float (the innermost float inside a nested trace).

        Examples:
            >>> Scalar(2.5).item()
            2.5
        """
        return innermost(self)

    def __format__(self, spec: str) -> str:
        """Format the value like a float, so ``f"{loss:.4f}"`` works (an empty spec gives the repr)."""
        return format(innermost(self), spec) if spec else repr(self)

    def __float__(self) -> float:
        raise TypeError(
            "float(Scalar) is refused so that math functions do not silently drop the graph "
            "(math.cos(x) would compute a number that no derivative reaches); use x.item() for the "
            "number, x.data for the value, or x.cos() and the other Scalar methods to compute"
        )

    # ## Arithmetic (each builds one graph node through a ScalarFunction)

    def __add__(self, b: ScalarLike) -> Scalar:
        return Add.apply(self, b)  # type: ignore[no-any-return]

    def __radd__(self, b: ScalarLike) -> Scalar:
        return Add.apply(b, self)  # type: ignore[no-any-return]

    def __sub__(self, b: ScalarLike) -> Scalar:
        return Add.apply(self, Neg.apply(b))  # type: ignore[no-any-return]

    def __rsub__(self, b: ScalarLike) -> Scalar:
        return Add.apply(b, Neg.apply(self))  # type: ignore[no-any-return]

    def __mul__(self, b: ScalarLike) -> Scalar:
        return Mul.apply(self, b)  # type: ignore[no-any-return]

    def __rmul__(self, b: ScalarLike) -> Scalar:
        return Mul.apply(b, self)  # type: ignore[no-any-return]

    def __truediv__(self, b: ScalarLike) -> Scalar:
        return Mul.apply(self, Inv.apply(b))  # type: ignore[no-any-return]

    def __rtruediv__(self, b: ScalarLike) -> Scalar:
        return Mul.apply(b, Inv.apply(self))  # type: ignore[no-any-return]

    def __pow__(self, b: ScalarLike) -> Scalar:
        return Pow.apply(self, b)  # type: ignore[no-any-return]

    def __rpow__(self, b: ScalarLike) -> Scalar:
        return Pow.apply(b, self)  # type: ignore[no-any-return]

    def __neg__(self) -> Scalar:
        return Neg.apply(self)  # type: ignore[no-any-return]

    def __abs__(self) -> Scalar:
        return Abs.apply(self)  # type: ignore[no-any-return]

    # ## NumPy: ufuncs on Scalars run the differentiable functions (see scalar_numpy.py)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return scalar_numpy.array_ufunc(ufunc, method, inputs, kwargs)

    # ## Comparisons: graph nodes with value 1.0 or 0.0 and derivative 0, as in the course

    def __lt__(self, b: ScalarLike) -> Scalar:
        return LT.apply(self, b)  # type: ignore[no-any-return]

    def __gt__(self, b: ScalarLike) -> Scalar:
        return LT.apply(b, self)  # type: ignore[no-any-return]

    # (a < b) + (a == b), not 1 - (b < a): with a NaN every comparison is 0.0, as in NumPy.
    def __le__(self, b: ScalarLike) -> Scalar:
        return LT.apply(self, b) + EQ.apply(self, b)  # type: ignore[no-any-return]

    def __ge__(self, b: ScalarLike) -> Scalar:
        return LT.apply(b, self) + EQ.apply(self, b)  # type: ignore[no-any-return]

    def __eq__(self, b: ScalarLike) -> Scalar:  # type: ignore[override]  # course: == is a node
        return EQ.apply(self, b)  # type: ignore[no-any-return]

    # Scalars hash by identity, so they can key a dict even though == builds a graph node.
    __hash__ = object.__hash__

    # ## Functions

    def log(self) -> Scalar:
        """Natural logarithm."""
        return Log.apply(self)  # type: ignore[no-any-return]

    def exp(self) -> Scalar:
        """Exponential."""
        return Exp.apply(self)  # type: ignore[no-any-return]

    def sigmoid(self) -> Scalar:
        """Logistic sigmoid ``1 / (1 + e^-x)``."""
        return Sigmoid.apply(self)  # type: ignore[no-any-return]

    def relu(self) -> Scalar:
        """``max(x, 0)``."""
        return ReLU.apply(self)  # type: ignore[no-any-return]

    def tanh(self) -> Scalar:
        """Hyperbolic tangent."""
        return Tanh.apply(self)  # type: ignore[no-any-return]

    def sin(self) -> Scalar:
        """Sine."""
        return Sin.apply(self)  # type: ignore[no-any-return]

    def cos(self) -> Scalar:
        """Cosine."""
        return Cos.apply(self)  # type: ignore[no-any-return]

    def sqrt(self) -> Scalar:
        """Square root."""
        return Sqrt.apply(self)  # type: ignore[no-any-return]

    def abs(self) -> Scalar:
        """Absolute value."""
        return Abs.apply(self)  # type: ignore[no-any-return]

    # ## The Variable protocol (what the engine uses)

    def is_leaf(self) -> bool:
        """True if the user created this Scalar (it has a history but no function)."""
        return self.history is not None and self.history.last_fn is None

    def is_constant(self) -> bool:
        """True if this Scalar never receives a derivative (it has no history)."""
        return self.history is None

    @property
    def parents(self) -> list[Scalar]:
        """The non-constant inputs of the function that made this Scalar, at this Scalar's level."""
        if self.history is None:
            return []
        return [
            x for x in self.history.inputs
            if isinstance(x, Scalar) and not x.is_constant() and x.level == self.level
        ]

    def chain_rule(self, d_output: Any) -> list[tuple[Scalar, Any]]:
        """Return ``(input, d_output * d(self)/d(input))`` for each input, in input order.

        Constants are included (as constant Scalars); the engine skips them. The result has one
        pair per input, repeated inputs included.

        Raises:
            ValueError: if this Scalar is a leaf or a constant (no function made it).
        """
        # BEGIN TASK 1.3
        if self.history is None or self.history.last_fn is None or self.history.ctx is None:
            raise ValueError(
                f"chain_rule: Scalar {self.name} is a leaf or a constant, so no function made it "
                "(or its history was built by hand without a Context); chain_rule only applies to "
                "values computed by apply"
            )
        pairs = []
        for x, d in self.history.backprop_step(d_output):
            if not (isinstance(x, Scalar) and x.level == self.level):
                x = Scalar(x, None, level=self.level)  # a constant at this level
            pairs.append((x, d))
        return pairs
        # END TASK 1.3

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to this leaf's derivative (the first call sets it).

        Raises:
            ValueError: if this Scalar is not a leaf.
            TypeError: if ``x`` is not a number (or, inside the functional API, a traced value of
                a lower level: a Scalar or a traced array, both of which carry a ``level``).
        """
        if type(x) is not float and not is_real(x) and not isinstance(getattr(x, "level", None), int):
            raise TypeError(
                f"accumulate_derivative: Scalar {self.name} was given {type(x).__name__} {x!r}; a "
                "derivative must be a number"
            )
        if not self.is_leaf():
            kind = "a constant" if self.is_constant() else "computed, not a leaf"
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
            TypeError: if ``d_output`` is not a number.
        """
        d_output = starting_derivative(d_output)
        if self.is_constant():
            raise ValueError(
                f"backward() was called on the constant Scalar {self.data!r}: it does not depend on "
                "any variable, so there is nothing to differentiate; build it from Scalar(...) leaves"
            )
        backpropagate(self, d_output)

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

    # ## Copies (see copied_scalar below)

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """For ``copy.deepcopy`` and ``pickle``: a new Scalar with a fresh ``unique_id``, whose
        history is a copy of this one's; no recursion over the graph, however deep."""
        return (
            copied_scalar, (self.data, self._name, self.level, _earlier_nodes(self)),
            (self.derivative, self.history),
        )

    def __setstate__(self, state: tuple[Any, ScalarHistory | None]) -> None:
        self.derivative, self.history = state

    def __copy__(self) -> Scalar:
        """``copy.copy``: a new Scalar (fresh ``unique_id``) sharing this one's history."""
        s = copied_scalar(self.data, self._name, self.level, ())
        s.derivative, s.history = self.derivative, self.history
        return s


ScalarFunction.value_type = Scalar


def starting_derivative(d_output: Any) -> Any:
    """The derivative ``backward`` starts from: 1.0 for ``None``, a float for a number, else a
    TypeError naming ``backward``'s ``d_output`` (a Scalar passes, for the functional API)."""
    if d_output is None:
        return 1.0
    if type(d_output) is float or isinstance(d_output, Scalar):
        return d_output
    if is_real(d_output):
        return operators.to_float(d_output, "Scalar.backward(d_output)")
    raise TypeError(
        f"Scalar.backward(d_output) expects a number (the derivative to start from), got "
        f"{type(d_output).__name__} {d_output!r}"
    )


# ## Copies: copy.copy, copy.deepcopy and pickle
#
# A copy is a new Scalar with a fresh unique_id (so it can meet its original in one graph), the
# same value, name, level and derivative, and a copy of the history. pickle and deepcopy would
# follow the history input by input, one Python call per level, and fail past ~1,000 levels; so
# the outermost Scalar being copied first lists every Scalar below it, leaves first (an iterative
# sort), and each of them is copied before anything that depends on it.


class _PreCopied(threading.local):
    """The Scalars that an enclosing copy listed, so their own copies do not list again."""

    def __init__(self) -> None:
        self.listed: weakref.WeakSet[Scalar] = weakref.WeakSet()


_pre_copied = _PreCopied()


def _earlier_nodes(s: Scalar) -> tuple[Scalar, ...]:
    """The variables below ``s``, inputs before what depends on them (empty when already listed)."""
    listed = _pre_copied.listed
    if s in listed:
        listed.discard(s)
        return ()
    order: list[Scalar] = topological_sort(s)[:0:-1]  # type: ignore[assignment]  # Scalars below s
    listed.update(order)
    return tuple(order)


def copied_scalar(data: Any, name: str | None, level: int, earlier: tuple[Scalar, ...]) -> Scalar:
    """A new Scalar (fresh ``unique_id``) for a copy; ``earlier`` only made sure its inputs came first."""
    s: Scalar = object.__new__(Scalar)
    s.data, s.derivative, s.history, s.unique_id, s.level, s._name = data, None, None, next_id(), level, name
    return s




def make_scalar(
    data: Any, fn: type[ScalarFunction] | None, ctx: Context | None, inputs: Sequence[Any] | None, level: int
) -> Scalar:
    """A Scalar from its parts: ``inputs`` is ``None`` for a constant and ``()`` for a leaf.

    ``data`` is not converted: a float, or a Scalar of a lower level when ``level`` is above 0.
    """
    back = None if inputs is None else ScalarHistory(fn, ctx, inputs)
    return Scalar(data, back, level=level)
