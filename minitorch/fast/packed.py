"""Packed Scalars and the straight-line ``apply`` that makes them: one GC object per operation.

The reference ``apply`` (:func:`minitorch.scalar_function.call_function`) gives every recorded call
a :class:`~minitorch.autodiff.Context`, a :class:`~minitorch.scalar.ScalarHistory` and a tuple of
inputs besides the Scalar: four objects that the garbage collector tracks. :func:`fast_apply`
computes the same value and records the same call in one object, a :class:`PackedScalar`, whose
slots hold the function, which inputs are variables, the one or two values ``forward`` saved and
the one or two inputs. Its ``history`` is built from these slots the first time it is read (and
then kept, so ``z.history is z.history``).

``fast_apply`` handles the common case (one or two inputs, each a float or a Scalar outside the
functional API's traces, no anomaly detection) on a straight line, without loops or lists; any
other call, and any surprise on the way, goes to the reference ``apply``, which handles every case.
"""

from __future__ import annotations

from typing import Any

from ..autodiff import Context, backpropagate
from ..grad_mode import mode, special_modes
from ..scalar import Scalar, ScalarHistory, next_id
from ..scalar_function import ScalarFunction, call_function, check_forward_result, explain_forward_error
from .backprop import backpropagate_scalars

__all__ = ["PackedScalar", "fast_apply", "VALUE_ONLY", "LayerSwitch", "switch"]

HISTORY_SLOT: Any = Scalar.__dict__["history"]
"""The ``history`` slot of Scalar, which a PackedScalar fills when its history is first read."""

VALUE_ONLY = Context(no_grad=True)
"""The Context of every call that records nothing: its ``save_for_backward`` is a no-op, so one
shared instance serves them all and saves an allocation per operation."""


class LayerSwitch:
    """Whether the speed layer is on (process-wide: it replaces methods of shared classes)."""

    __slots__ = ("on",)

    def __init__(self) -> None:
        self.on = False


switch = LayerSwitch()
"""The speed layer's one switch; :func:`minitorch.fast.enable` and ``disable`` set it."""


class PackedScalar(Scalar):
    """A Scalar made by :func:`fast_apply`: the same value, history and behaviour, packed in slots.

    ``_arity`` is 1 or 2 (that many inputs, in ``_input0`` and ``_input1``) while the slots hold the
    history; 0 once a history was set by hand, which then lives in the ``history`` slot as for any
    Scalar. ``_n_saved`` is 0, 1 or 2 (values in ``_saved0`` and ``_saved1``), or -1 when
    ``_saved0`` holds the whole tuple ``forward`` saved. ``_variables`` has bit ``i`` set when input
    ``i`` is a variable (the Context's ``variable_inputs``).
    """

    __slots__ = ("_fn", "_variables", "_n_saved", "_saved0", "_saved1", "_arity", "_input0", "_input1")

    _fn: Any
    _variables: int
    _n_saved: int
    _saved0: Any
    _saved1: Any
    _arity: int
    _input0: Any
    _input1: Any

    @property  # a slot of Scalar, computed here from the packed slots
    def history(self) -> ScalarHistory | None:
        """How this value was made, built from the packed slots on first read, then kept."""
        if self._arity:
            try:
                return HISTORY_SLOT.__get__(self)  # type: ignore[no-any-return]
            except AttributeError:  # not built yet
                back = ScalarHistory(self._fn, self.context(), self.inputs())
                HISTORY_SLOT.__set__(self, back)
                return back
        return HISTORY_SLOT.__get__(self)  # type: ignore[no-any-return]

    @history.setter
    def history(self, back: ScalarHistory | None) -> None:
        HISTORY_SLOT.__set__(self, back)
        self._arity = 0  # the slot is what counts from now on
        self._fn = self._input0 = self._input1 = self._saved0 = self._saved1 = None

    def context(self) -> Context:
        """A Context like the one ``forward`` filled: the saved values and the variable inputs."""
        n = self._n_saved
        saved = (
            () if n == 0 else (self._saved0,) if n == 1 else (self._saved0, self._saved1) if n == 2
            else self._saved0
        )
        return Context(False, saved, self._variables)

    def inputs(self) -> tuple[Any, ...]:
        """The inputs given to ``apply``, in order."""
        return (self._input0,) if self._arity == 1 else (self._input0, self._input1)

    def __reduce__(self) -> tuple[Any, ...]:
        # copy, deepcopy and pickle make a plain Scalar with the same parts and history.
        return (restore_scalar, (self.data, self.derivative, self.history, self.unique_id, self.given_name))

    def backward(self, d_output: Any = None) -> None:
        """As :meth:`Scalar.backward`; with the speed layer on, through the loop for Scalars."""
        if not (switch.on and self._arity):
            return super().backward(d_output)
        deriv = 1.0 if d_output is None else d_output
        if not backpropagate_scalars(self, deriv):
            backpropagate(self, deriv)
        return None


# Messages that name a value's type (``parameter 1 is Scalar``) read the same with the layer on.
PackedScalar.__name__ = "Scalar"

_new_object = object.__new__


def fast_apply(cls: type[ScalarFunction], *vals: Any) -> Any:
    """``apply`` on a straight line for the common case; the reference ``apply`` otherwise."""
    arity = len(vals)
    if arity == 2:
        a, b = vals
        kind = type(a)
        if kind is PackedScalar and a._arity:
            raw_a, variables = a.data, 1  # bit i: input i is a variable
        elif kind is float:
            raw_a, variables = a, 0
        elif kind is Scalar and not a.level:
            raw_a, variables = a.data, (0 if a.history is None else 1)
        else:
            return call_function(cls, vals)
        kind = type(b)
        if kind is PackedScalar and b._arity:
            raw_b = b.data
            variables |= 2
        elif kind is float:
            raw_b = b
        elif kind is Scalar and not b.level:
            raw_b = b.data
            if b.history is not None:
                variables |= 2
        else:
            return call_function(cls, vals)
    elif arity == 1:
        (a,) = vals
        kind = type(a)
        if kind is PackedScalar and a._arity:
            raw_a, variables = a.data, 1
        elif kind is Scalar and not a.level:
            raw_a, variables = a.data, (0 if a.history is None else 1)
        else:
            return call_function(cls, vals)
    else:
        return call_function(cls, vals)
    if special_modes.threads and not mode.plain:  # no_grad or anomaly detection in this thread
        if mode.anomaly is not None:
            return call_function(cls, vals)  # the reference apply runs the anomaly hook
        variables = 0  # no_grad: compute the value only
    if variables:
        # Context(False, (), variables) without the call to __init__: this is the hot path.
        ctx = _new_object(Context)
        ctx.saved_values = ()
        ctx.variable_inputs = variables
    else:  # nothing to differentiate: compute the value only
        ctx = VALUE_ONLY
    try:
        c = cls.forward(ctx, raw_a, raw_b) if arity == 2 else cls.forward(ctx, raw_a)
    except (TypeError, AttributeError) as error:
        explain_forward_error(cls, [raw_a, raw_b] if arity == 2 else [raw_a], error)
    if type(c) is not float:
        c = check_forward_result(cls, c, 0)
    if not variables:  # a constant: a plain Scalar without history, built without __init__
        out = _new_object(Scalar)
        out.data = c
        out.derivative = None
        out.history = None
        out.unique_id = next_id()
        out.level = 0
        out._name = None
        return out
    packed = _new_object(PackedScalar)
    packed.data = c
    packed.derivative = None
    packed.unique_id = next_id()
    packed.level = 0
    packed._name = None
    packed._fn = cls
    packed._variables = variables
    saved = ctx.saved_values
    n_saved = len(saved)
    if n_saved == 2:
        packed._saved0, packed._saved1 = saved
    elif n_saved == 1:
        packed._saved0 = saved[0]
    elif n_saved:
        packed._saved0 = saved
        n_saved = -1
    packed._n_saved = n_saved
    packed._arity = arity
    packed._input0 = a
    if arity == 2:
        packed._input1 = b
    return packed


def restore_scalar(
    data: Any, derivative: Any, back: ScalarHistory | None, unique_id: int, name: str | None
) -> Scalar:
    """A plain Scalar with these parts: what copy, deepcopy and pickle make of a PackedScalar."""
    s: Scalar = _new_object(Scalar)
    s.data, s.derivative, s.history, s.unique_id, s.level = data, derivative, back, unique_id, 0
    s._name = name
    return s
