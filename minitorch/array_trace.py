"""Arrays traced by the functional API: a whole NumPy array as one Tensor of a trace level.

``grad``, ``jvp`` and the other transformations wrap each NumPy array argument in one
:class:`TracedTensor` of their trace's level (see :mod:`minitorch.trace`), so that NumPy code on it
runs as whole-array operations, one graph node per NumPy call, instead of one Scalar per element.
The level scheme is the Scalars' one: a traced tensor's ``value`` is a float64 NumPy array or a
traced tensor of a lower level (the trace outside this one), and :meth:`ArrayFunction.apply`
unwraps only the inputs of the highest level. A function's ``forward`` and ``backward`` are written
with NumPy calls, which run on plain arrays at first order and on lower-level traced tensors (through
NumPy's dispatch protocols, :mod:`minitorch.tensor_numpy`) when a derivative is differentiated
again: ``hessian`` and ``grad(grad(f))`` go through the same function classes.

Forward mode: while a ``jvp`` trace is open at a level, ``apply`` also pushes tangents. For an
elementwise function the tangent of its output is its ``backward`` applied to the input's tangent
(the Jacobian is diagonal); for any other function it is the derivative of the (linear) backward
with respect to its cotangent, read by one more reverse pass at a fresh level.

Unique ids: traced tensors take *negative* ids from their own counter (owned by this module), so
that they never collide with the positive ids of the Scalars they may share a graph with.

Examples:
    >>> import numpy as np
    >>> from minitorch import grad
    >>> grad(lambda x: np.sum(np.tanh(x) * x))(np.array([0.0, 1.0])).round(6)
    array([0.      , 1.181568])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np

from . import trace
from .autodiff import Context, Variable, backpropagate, is_grad_enabled
from .numpy_ops import NumpyBackend
from .scalar import Scalar
from .tensor import Tensor
from .tensor_data import TensorData
from .tensor_functions import Function, History

__all__ = [
    "TracedTensor", "ArrayFunction", "ScalarAsArray", "innermost_array", "sum_to_shape", "is_traced",
    "scalar_as_array",
]

# The id counter of traced tensors: negative, so never equal to a Scalar's (positive) unique_id.
_traced_ids = itertools.count(-1, -1)

TracedT = TypeVar("TracedT", bound="TracedTensor")

# The context of a call that records nothing (save_for_backward is a no-op on it).
_VALUE_ONLY = Context(no_grad=True)


def is_traced(x: Any) -> bool:
    """True for a traced tensor (of any level)."""
    return isinstance(x, TracedTensor)


def innermost_array(x: Any) -> Any:
    """The plain NumPy value at the bottom of a traced tensor (its value at every level)."""
    while isinstance(x, TracedTensor):
        x = x.value
    return x


class TracedTensor(Tensor):
    """A NumPy array inside a functional-API trace: a Tensor of the trace's ``level``.

    Made by the functional API (leaves) and by :meth:`ArrayFunction.apply` (results), never by
    hand. ``value`` is a float64 array (``np.float64`` for a 0-d result) or a traced tensor of a
    lower level. A leaf has a function of ``None`` and no inputs; a constant of this level (computed
    from no leaf, or under ``no_grad``) has inputs of ``None``.
    """

    __slots__ = ("value", "level", "shape", "_fn", "_ctx", "_inputs", "grad", "unique_id")

    value: Any
    level: int
    shape: tuple[int, ...]
    grad: Any

    _fn: type[ArrayFunction] | None
    _ctx: Context | None
    _inputs: tuple[Any, ...] | None
    backend = NumpyBackend  # for the Tensor methods that build constants (``zeros``)

    @classmethod
    def leaf(cls: type[TracedT], value: Any, level: int) -> TracedT:
        """A leaf of trace ``level`` holding ``value`` (an array, or a lower-level traced tensor)."""
        return cls.made(value, level, None, None, ())

    @classmethod
    def made(
        cls: type[TracedT],
        value: Any,
        level: int,
        fn: type[ArrayFunction] | None,
        ctx: Context | None,
        inputs: tuple[Any, ...] | None,
    ) -> TracedT:
        """A traced tensor with its history set directly (``Tensor.__init__`` is not run)."""
        out = object.__new__(cls)
        out.value = value
        out.level = level
        out.shape = value.shape
        out._fn = fn
        out._ctx = ctx
        out._inputs = inputs
        out.grad = None
        out.unique_id = next(_traced_ids)
        return out

    # ## What a Tensor shows

    @property
    def dims(self) -> int:
        """The number of dimensions."""
        return len(self.shape)

    @property
    def ndim(self) -> int:
        """The number of dimensions (NumPy's name)."""
        return len(self.shape)

    @property
    def size(self) -> int:
        """The number of elements."""
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def dtype(self) -> np.dtype[Any]:
        """Always float64."""
        return np.dtype(np.float64)

    @property
    def _tensor(self) -> TensorData:  # type: ignore[override]  # read-only, built on demand
        flat = np.array(innermost_array(self), dtype=np.float64).reshape(-1)
        return TensorData(flat, self.shape)

    @property
    def derivative(self) -> Any:
        """The accumulated gradient (``grad``), under the Scalars' name."""
        return self.grad

    @property
    def history(self) -> History | None:  # type: ignore[override]  # derived from the slots
        """``History(fn, ctx, inputs)`` like a Tensor's (``None`` for a constant)."""
        if self._inputs is None:
            return None
        return History(self._fn, self._ctx, tuple(self._inputs))

    def to_numpy(self) -> np.ndarray:
        """A copy of the plain numbers (every trace stripped)."""
        return np.array(innermost_array(self), dtype=np.float64)

    def __repr__(self) -> str:
        kind = "constant" if self._inputs is None else (self._fn.__name__ if self._fn else "leaf")
        return f"TracedTensor({innermost_array(self)!r}, level={self.level}, {kind})"

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d traced array")
        return self.shape[0]

    def __hash__(self) -> int:
        return id(self)

    # ## The Variable protocol

    def is_leaf(self) -> bool:
        """True for an argument of the trace (no function made it)."""
        return self._fn is None and self._inputs is not None

    def is_constant(self) -> bool:
        """True when no gradient flows into this value at its level."""
        return self._inputs is None

    def requires_grad(self) -> bool:
        """True unless constant."""
        return self._inputs is not None

    @property
    def parents(self) -> Iterable[Variable]:
        """The inputs of this level that are variables."""
        if not self._inputs or self._ctx is None:
            return []
        mask = self._ctx.variable_inputs
        return [v for i, v in enumerate(self._inputs) if mask >> i & 1]

    def chain_rule(self, d_output: Any) -> Iterable[tuple[Variable, Any]]:
        """``(input, gradient)`` for each variable input, the gradient summed to the input's shape.

        Raises:
            ValueError: if this is a leaf or a constant, or if ``backward`` returned the wrong
                number of gradients.
        """
        fn, ctx, inputs = self._fn, self._ctx, self._inputs
        if fn is None or ctx is None or inputs is None:
            raise ValueError("chain_rule: this traced tensor was not made by a function")
        grads = fn._backward(ctx, d_output)
        if len(grads) != len(inputs):
            raise ValueError(
                f"{fn.__name__}.backward returned {len(grads)} gradient(s) for {len(inputs)} "
                "input(s); return one value per forward argument (None for a constant)"
            )
        mask = ctx.variable_inputs
        return [
            (v, sum_to_shape(grads[i], v.shape) if isinstance(v, TracedTensor) else grads[i])
            for i, v in enumerate(inputs)
            if mask >> i & 1
        ]

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to this leaf's ``grad``."""
        self.grad = x if self.grad is None else self.grad + x

    def expand(self, other: Any) -> Any:
        """A gradient of a broadcast shape summed back to this tensor's shape."""
        return sum_to_shape(other, self.shape)

    def backward(self, grad_output: Any = None) -> None:
        """Backpropagate from this value at its level (``grad_output`` defaults to ones)."""
        if self.is_constant():
            raise ValueError("backward() on a constant traced array: it depends on no argument")
        backpropagate(self, np.ones(self.shape) if grad_output is None else grad_output)


def sum_to_shape(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient of a broadcast shape back to ``shape`` (the adjoint of broadcasting).

    Dimensions that broadcasting added in front are summed out; dimensions of size 1 in ``shape``
    are summed with ``keepdims``. A gradient of a smaller shape (a number) is broadcast up.
    """
    g_shape = np.shape(g) if not isinstance(g, TracedTensor) else g.shape
    if g_shape == shape:
        return g
    extra = len(g_shape) - len(shape)
    if extra < 0 or any(a != b and b != 1 for a, b in zip(g_shape[extra:], shape, strict=True)):
        return np.broadcast_to(g, shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, s in enumerate(shape) if s == 1 and g_shape[extra + i] != 1
    )
    return np.reshape(np.sum(g, axis=axes), shape) if axes else np.reshape(g, shape)


class ArrayFunction(Function):
    """Base class of the array functions: static ``forward``/``backward`` as in the course.

    ``forward(ctx, *inputs)`` gets the values of the inputs of the highest level (plain arrays at
    first order) and returns an array; other arguments (constants, axes, indices, lower-level traced
    tensors) reach it unchanged. ``backward(ctx, grad_output)`` returns one gradient per input
    (``None`` for an input that is never differentiable, such as an axis). Subclasses whose
    Jacobian is diagonal set ``elementwise = True`` (forward mode then needs no extra pass).
    """

    elementwise = False

    @classmethod
    def _backward(cls, ctx: Context, grad_out: Any) -> tuple[Any, ...]:
        result = cls.backward(ctx, grad_out)
        return result if type(result) is tuple else (result,)

    @classmethod
    def apply(cls, *vals: Any) -> Any:
        """Run ``forward`` on the values of the highest level and record the call at that level.

        Without a traced input this just computes (``forward`` on plain values).

        A Scalar among the inputs (of an enclosing ``grad`` over numbers, say) becomes a 0-d traced
        array of its own level first (see :func:`scalar_as_array`), so its trace keeps
        differentiating through this call.
        """
        level = 0
        leader: TracedTensor | None = None
        scalars = False
        for v in vals:
            if isinstance(v, TracedTensor):
                if v.level > level:
                    level, leader = v.level, v
            elif isinstance(v, Scalar):
                scalars = True
        if leader is None:
            return cls.forward(_VALUE_ONLY, *vals)
        if scalars:
            kind = type(leader)
            vals = tuple(scalar_as_array(v, kind) if isinstance(v, Scalar) else v for v in vals)
            for v in vals:
                if isinstance(v, TracedTensor) and v.level > level:
                    level, leader = v.level, v
        raw: list[Any] = []
        variables = 0
        for i, v in enumerate(vals):
            if isinstance(v, TracedTensor) and v.level == level:
                raw.append(v.value)
                if v._inputs is not None:
                    variables |= 1 << i
            else:
                raw.append(v)
        if variables and is_grad_enabled():
            ctx = Context(False, (), variables)
            out = cls.forward(ctx, *raw)
            result = leader.made(out, level, cls, ctx, vals)
            tangents = trace.tangent_table(level)
            if tangents is not None:
                _push_tangent(cls, ctx, vals, variables, result, tangents)
            return result
        return leader.made(cls.forward(_VALUE_ONLY, *raw), level, None, None, None)


class ScalarAsArray(ArrayFunction):
    """A Scalar seen as a 0-d traced array of the same level: the bridge from an element trace
    into array code. Its derivative goes back to the Scalar as a number (or as a lower-level
    traced array at higher order)."""

    @staticmethod
    def forward(ctx: Context, value: Any) -> Any:
        return value

    @staticmethod
    def backward(ctx: Context, g: Any) -> Any:
        return g if isinstance(g, TracedTensor) else float(g)


def scalar_as_array(s: Any, kind: type[TracedT]) -> Any:
    """``s`` as a traced array of class ``kind``: a constant Scalar gives its number, a variable
    Scalar a 0-d traced array of its level recorded by :class:`ScalarAsArray` (its value is the
    Scalar's value, bridged the same way when it is a Scalar of a lower level)."""
    while isinstance(s, Scalar) and s.is_constant():
        s = s.data
    if not isinstance(s, Scalar):
        return s if isinstance(s, TracedTensor) else np.float64(s)
    inner = scalar_as_array(s.data, kind)
    if not is_grad_enabled():
        return kind.made(inner, s.level, None, None, None)
    out = kind.made(inner, s.level, ScalarAsArray, Context(False, (), 1), (s,))
    tangents = trace.tangent_table(s.level)
    if tangents is not None and s.unique_id in tangents:
        tangents[out.unique_id] = scalar_as_array(tangents[s.unique_id], kind)
    return out


def _push_tangent(
    fn: type[ArrayFunction],
    ctx: Context,
    vals: tuple[Any, ...],
    variables: int,
    out: TracedTensor,
    tangents: dict[int, Any],
) -> None:
    """Forward mode: ``tangent(out) = sum_i J_i tangent(x_i)`` over the variable inputs."""
    total: Any = None
    for i, v in enumerate(vals):
        if variables >> i & 1:
            t = tangents.get(v.unique_id)
            if t is None:
                continue
            # A diagonal Jacobian is its own transpose: backward applied to the tangent is J t.
            term = fn._backward(ctx, t)[i] if fn.elementwise else _linearised(fn, ctx, i, t, out)
            total = term if total is None else total + term
    if total is not None:
        tangents[out.unique_id] = sum_to_shape(total, out.shape)


def _linearised(fn: type[ArrayFunction], ctx: Context, i: int, t: Any, out: TracedTensor) -> Any:
    """``J_i t`` for any function: ``backward`` is linear in its cotangent ``u`` and gives
    ``J_i^T u``, so ``J_i t`` is the gradient of ``<J_i^T u, t>`` with respect to ``u``.

    ``u`` is a leaf of a fresh, highest level; the pass sees every other value as a constant.
    """
    u = type(out).leaf(np.zeros(out.shape), trace.new_level())
    g = fn._backward(ctx, u)[i]
    pairing = np.sum(sum_to_shape(g, np.shape(t)) * t)
    if isinstance(pairing, TracedTensor) and pairing.level == u.level and not pairing.is_constant():
        backpropagate(pairing, np.ones(()))
    return np.zeros(out.shape) if u.grad is None else u.grad
