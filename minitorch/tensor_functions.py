"""Differentiable tensor functions (the course's task 2.3 forwards and 2.4 backwards).

A tensor function is a stateless class, like a :class:`~minitorch.ScalarFunction`: a static
``forward(ctx, *tensors)`` computes the value with the tensor's backend (``t.f.add_zip`` and
friends), a static ``backward(ctx, grad_output)`` returns one gradient per input, and
:meth:`Function.apply` records the call in the result's :class:`History` so that the engine's
``backpropagate`` can run it. A backward may return a gradient of the *broadcast* shape: the engine
calls ``Tensor.expand``, which sums it back to the input's shape.

Examples:
    >>> from minitorch import tensor
    >>> x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = Mul.apply(x, x)
    >>> y.history.last_fn.__name__
    'Mul'
"""

from __future__ import annotations

import inspect
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .autodiff import Context, is_grad_enabled, no_grad
from .checks import check_int, check_real
from .tensor_data import IndexingError, TensorData, UserIndex, checked_index
from .tensor_ops import Tensor, TensorT, check_tensor

__all__ = [
    "History", "Function", "Neg", "Inv", "Add", "Sub", "Mul", "Sigmoid", "ReLU", "Log", "Exp",
    "Sum", "SumAll", "MeanAll", "All", "LT", "EQ", "IsClose", "Permute", "View", "Copy", "MatMul",
    "grad_central_difference", "grad_check",
]


@dataclass
class History:
    """How a tensor was made: the function, its context and its inputs (empty for a leaf).

    Raises:
        TypeError: if ``last_fn`` is not a :class:`Function` subclass, ``ctx`` not a Context or
            ``inputs`` not a tuple or list.
    """

    last_fn: type[Function] | None = None
    ctx: Context | None = None
    inputs: Sequence[Tensor] = ()

    def __post_init__(self) -> None:
        fn = self.last_fn
        if fn is not None and not (isinstance(fn, type) and issubclass(fn, Function)):
            raise TypeError(
                f"History(last_fn) must be a tensor Function subclass (such as "
                f"tensor_functions.Mul) or None, got {fn!r}"
            )
        if self.ctx is not None and not isinstance(self.ctx, Context):
            raise TypeError(f"History(ctx) must be a Context or None, got {type(self.ctx).__name__}")
        if not isinstance(self.inputs, (tuple, list)):
            raise TypeError(
                f"History(inputs) must be a tuple of tensors, got {type(self.inputs).__name__}"
            )


def wrap_tuple(x: Any) -> tuple[Any, ...]:
    """Return ``x`` if it is a tuple, else ``(x,)``."""
    return x if isinstance(x, tuple) else (x,)


class Function:
    """Base class of the tensor functions: subclasses define static ``forward`` and ``backward``.

    Never instantiated; call :meth:`apply`.

    Raises:
        TypeError: when instantiated.
    """

    def __init__(self) -> None:
        raise TypeError(
            f"{type(self).__name__} is a tensor Function: it is never instantiated; call "
            f"{type(self).__name__}.apply(...) instead"
        )

    @staticmethod
    def forward(ctx: Context, *inputs: Any) -> Any:
        """Compute the value (on tensors without history)."""
        raise NotImplementedError("a Function subclass must define a static forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx: Context, grad_output: Any) -> Any:
        """Return one gradient per input of ``forward``."""
        raise NotImplementedError(
            "a Function subclass must define a static backward(ctx, grad_output) returning one "
            "gradient per input"
        )

    @classmethod
    def _backward(cls, ctx: Context, grad_out: Tensor) -> tuple[Any, ...]:
        if cls.backward is Function.backward:
            raise NotImplementedError(
                f"{cls.__name__} must define a static backward(ctx, grad_output) returning one "
                "gradient per input"
            )
        return wrap_tuple(cls.backward(ctx, grad_out))

    @classmethod
    def apply(cls, *vals: TensorT) -> TensorT:
        """Call ``forward`` on the values and record the call when some input requires grad.

        Inside :class:`~minitorch.no_grad` nothing is recorded and nothing is saved.

        Raises:
            TypeError: if an input is not a tensor, the number of inputs is not what ``forward``
                takes, or ``forward`` returns something other than a tensor.
            NotImplementedError: if the subclass defines no ``forward``.
        """
        if cls.forward is Function.forward:
            raise NotImplementedError(
                f"{cls.__name__} must define a static forward(ctx, *inputs) computing the value"
            )
        for i, v in enumerate(vals):
            if not isinstance(getattr(v, "_tensor", None), TensorData):
                check_tensor(v, f"{cls.__name__}.apply: argument {i}")  # raises, naming it
        expected = _forward_arity(cls)
        if expected is not None and expected != len(vals):
            raise TypeError(
                f"{cls.__name__}.apply got {len(vals)} argument(s), but {cls.__name__}.forward(ctx, "
                f"...) takes {expected}; pass one tensor per forward argument"
            )
        # Bit i of the mask is set when input i requires grad (``ctx.needs_grad(i)`` reads it).
        mask = 0
        if is_grad_enabled():
            for i, v in enumerate(vals):
                if v.requires_grad():
                    mask |= 1 << i
        need_grad = mask != 0
        ctx = Context(not need_grad, variable_inputs=mask)
        # forward sees constants: an input with a history is detached (a constant is one already).
        c: TensorT = cls.forward(ctx, *(v if v.history is None else v.detach() for v in vals))
        if not isinstance(getattr(c, "_tensor", None), TensorData):
            raise TypeError(
                f"{cls.__name__}.forward returned {type(c).__name__} {c!r:.60}; forward must return "
                "a tensor (compute it with the input's backend, t.f.add_zip(...) and friends)"
            )
        out = c._new(c._tensor)
        if need_grad:
            out.history = History(cls, ctx, vals)
        return out


_ARITY: dict[type[Function], int | None] = {}
"""How many inputs each Function's forward takes (computed once per class)."""


def _forward_arity(fn: type[Function]) -> int | None:
    """How many inputs ``fn.forward`` takes after ``ctx`` (``None`` when it takes any number)."""
    if fn not in _ARITY:
        try:
            parameters = list(inspect.signature(fn.forward).parameters.values())[1:]
            variadic = any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)
            _ARITY[fn] = None if variadic else len(parameters)
        except (TypeError, ValueError):
            _ARITY[fn] = None
    return _ARITY[fn]


class Neg(Function):
    """``-a``."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        return t1.f.neg_map(t1)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output.f.neg_map(grad_output)


class Inv(Function):
    """``1 / a``; derivative ``-1 / a^2``."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        ctx.save_for_backward(t1)
        return t1.f.inv_map(t1)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (t1,) = ctx.saved_values
        return grad_output.f.inv_back_zip(t1, grad_output)


class Add(Function):
    """``a + b`` (broadcasting); each input receives the gradient."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        return t1.f.add_zip(t1, t2)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        return grad_output, grad_output


class Sub(Function):
    """``a - b`` (broadcasting); gradients ``d`` and ``-d``.

    One function where ``a + (-b)`` records two (``Neg`` and ``Add``).
    """

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        return t1.f.add_zip(t1, t2.f.neg_map(t2))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor | float]:
        f = grad_output.f
        return grad_output, f.neg_map(grad_output) if ctx.needs_grad(1) else 0.0


class Mul(Function):
    """``a * b`` (broadcasting); gradients ``d * b`` and ``d * a``."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        ctx.save_for_backward(a, b)
        return a.f.mul_zip(a, b)
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        # BEGIN TASK 2.4
        a, b = ctx.saved_values
        f = grad_output.f
        return f.mul_zip(grad_output, b), f.mul_zip(grad_output, a)
        # END TASK 2.4


class Sigmoid(Function):
    """``sigmoid(a)``; derivative ``s (1 - s)`` with ``s`` the output."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        out = t1.f.sigmoid_map(t1)
        ctx.save_for_backward(out)
        return out
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        # BEGIN TASK 2.4
        (s,) = ctx.saved_values
        return grad_output.f.sigmoid_back_zip(s, grad_output)  # grad * s * (1 - s)
        # END TASK 2.4


class ReLU(Function):
    """``max(a, 0)``; derivative 1 where ``a > 0``, else 0."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        ctx.save_for_backward(t1)
        return t1.f.relu_map(t1)
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        # BEGIN TASK 2.4
        (t1,) = ctx.saved_values
        return grad_output.f.relu_back_zip(t1, grad_output)
        # END TASK 2.4


class Log(Function):
    """``log(a)``; derivative ``1 / a``."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        ctx.save_for_backward(t1)
        return t1.f.log_map(t1)
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        # BEGIN TASK 2.4
        (t1,) = ctx.saved_values
        return grad_output.f.log_back_zip(t1, grad_output)
        # END TASK 2.4


class Exp(Function):
    """``e^a``; derivative ``e^a``, the output itself."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        out = t1.f.exp_map(t1)
        ctx.save_for_backward(out)
        return out
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        # BEGIN TASK 2.4
        (out,) = ctx.saved_values
        return grad_output.f.mul_zip(grad_output, out)
        # END TASK 2.4


class Sum(Function):
    """Sum along dimension ``dim`` (kept with size 1); the gradient is broadcast back by expand."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dim: Tensor) -> Tensor:
        return a.f.add_reduce(a, int(dim.item()))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        return grad_output, 0.0


class SumAll(Function):
    """The sum of every element, as shape ``(1,)`` (``t.sum()``); the gradient is broadcast back.

    One function where ``Sum.apply(t.contiguous().view(t.size), 0)`` records two or three.
    """

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        return a.f.add_reduce(_flat_view(a), 0)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output


class MeanAll(Function):
    """The mean of every element, as shape ``(1,)`` (``t.mean()``); each element's gradient is
    ``d / n``."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        scale = a._new(TensorData([1.0 / a.size if a.size else math.nan], (1,)))  # NaN if empty
        ctx.save_for_backward(scale)
        return a.f.mul_zip(a.f.add_reduce(_flat_view(a), 0), scale)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        (scale,) = ctx.saved_values
        return grad_output.f.mul_zip(grad_output, scale)


def _flat_view(a: Tensor) -> Tensor:
    """``a``'s numbers as one dimension: a view when ``a`` is contiguous, else a contiguous copy."""
    if not a._tensor.is_contiguous():
        a = a.f.id_map(a)
    return a._new(TensorData.strided(a._tensor._storage, (a.size,), (1,)))


class All(Function):
    """1.0 where every element along ``dim`` is non-zero (a product reduction); not differentiable."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, dim: Tensor) -> Tensor:
        ctx.save_for_backward(a)
        return a.f.mul_reduce(a, int(dim.item()))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        (a,) = ctx.saved_values
        return a.zeros(a.shape), 0.0


class LT(Function):
    """``a < b`` as 1.0/0.0 (broadcasting); zero gradients."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        ctx.save_for_backward(a.shape, b.shape)
        return a.f.lt_zip(a, b)
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        # BEGIN TASK 2.4
        a_shape, b_shape = ctx.saved_values
        return grad_output.zeros(a_shape), grad_output.zeros(b_shape)
        # END TASK 2.4


class EQ(Function):
    """``a == b`` as 1.0/0.0 (broadcasting); zero gradients."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        ctx.save_for_backward(a.shape, b.shape)
        return a.f.eq_zip(a, b)
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        # BEGIN TASK 2.4
        a_shape, b_shape = ctx.saved_values
        return grad_output.zeros(a_shape), grad_output.zeros(b_shape)
        # END TASK 2.4


class IsClose(Function):
    """``|a - b| < 1e-2`` as 1.0/0.0 (broadcasting); zero gradients."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        ctx.save_for_backward(a.shape, b.shape)
        return a.f.is_close_zip(a, b)
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, Tensor]:
        a_shape, b_shape = ctx.saved_values
        return grad_output.zeros(a_shape), grad_output.zeros(b_shape)


def _order_of(order: Tensor) -> list[int]:
    """The integers held in a 1-D tensor (a permutation or a shape), refusing fractions."""
    values = [order[i] for i in range(order.size)]
    if any(v != int(v) for v in values):
        raise TypeError(f"Permute/View: the tensor {values} must hold whole numbers")
    return [int(v) for v in values]


class Permute(Function):
    """Reorder the dimensions (no copy); the gradient is permuted back by the inverse order."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, order: Tensor) -> Tensor:
        # BEGIN TASK 2.3
        dims = _order_of(order)
        ctx.save_for_backward(dims)
        return a._new(a._tensor.permute(*dims))
        # END TASK 2.3

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        # BEGIN TASK 2.4
        (dims,) = ctx.saved_values
        inverse = [0] * len(dims)
        for new_position, old_position in enumerate(dims):
            inverse[old_position] = new_position
        return grad_output._new(grad_output._tensor.permute(*inverse)), 0.0
        # END TASK 2.4


class View(Function):
    """The same numbers under a new shape of the same size; needs a contiguous input."""

    @staticmethod
    def forward(ctx: Context, a: Tensor, shape: Tensor) -> Tensor:
        new_shape = tuple(_order_of(shape))
        if not a._tensor.is_contiguous():
            raise ValueError(
                f"view{new_shape}: the tensor of shape {a.shape} with strides "
                f"{a._tensor.strides} is not contiguous; call .contiguous() first"
            )
        size = 1
        for s in new_shape:
            size *= s
        if size != a.size:
            raise IndexingError(
                f"view: cannot view a tensor of shape {a.shape} ({a.size} elements) as shape "
                f"{new_shape} ({size} elements)"
            )
        ctx.save_for_backward(a.shape)
        return a._new(TensorData(a._tensor._storage, new_shape))

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        (original,) = ctx.saved_values
        grad = grad_output
        if not grad._tensor.is_contiguous() or len(grad._tensor._storage) != grad.size:
            grad = grad.f.id_map(grad)
        return grad._new(TensorData.row_major(grad._tensor._storage, original)), 0.0


class Copy(Function):
    """A contiguous copy; the gradient passes through."""

    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        return a.f.id_map(a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output


def _transpose(a: Tensor) -> Tensor:
    """Swap the last two dimensions (a view: only the shape and the strides change)."""
    data = a._tensor
    (*batch, rows, cols), (*steps, row_step, col_step) = data.shape, data.strides
    return a._new(
        TensorData.strided(
            data._storage, (*batch, cols, rows), (*steps, col_step, row_step)
        )
    )


class MatMul(Function):
    """Batched matrix product ``a @ b``; gradients ``d @ b^T`` and ``a^T @ d`` (then summed over
    broadcast batch dimensions by expand)."""

    @staticmethod
    def forward(ctx: Context, t1: Tensor, t2: Tensor) -> Tensor:
        ctx.save_for_backward(t1, t2)
        return t1.f.matrix_multiply(t1, t2)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor | float]:
        t1, t2 = ctx.saved_values
        f = grad_output.f
        # A constant operand (often the data) needs no gradient: skip its product, a full matmul.
        return (
            f.matrix_multiply(grad_output, _transpose(t2)) if ctx.needs_grad(0) else 0.0,
            f.matrix_multiply(_transpose(t1), grad_output) if ctx.needs_grad(1) else 0.0,
        )


# ## Gradient checks


def grad_central_difference(
    f: Callable[..., Tensor],
    *vals: Tensor,
    arg: int = 0,
    epsilon: float = 1e-6,
    ind: UserIndex,
) -> float:
    """Central difference of ``f(*vals).sum()`` with respect to element ``ind`` of argument ``arg``.

    ``(F(x + eps e_ind) - F(x - eps e_ind)) / (2 eps)`` with ``F = sum(f(...))``; computed without
    recording a graph.

    Raises:
        TypeError: if ``f`` is not callable, a value is not a tensor, ``arg`` not an int,
            ``epsilon`` not a real number, ``ind`` not a tuple of ints, or ``f`` returns a
            non-tensor.
        ValueError: if ``arg`` is out of range or ``epsilon`` is not finite and positive.
        IndexingError: if ``ind`` does not fit the argument's shape.

    Examples:
        >>> from minitorch import tensor
        >>> x = tensor([1.0, 2.0])
        >>> round(grad_central_difference(lambda a: a * a, x, ind=(1,)), 4)
        4.0
    """
    where = "grad_central_difference"
    _check_callable_and_tensors(f, vals, where)
    check_int(arg, f"{where}(arg)")
    if not 0 <= arg < len(vals):
        raise ValueError(f"{where}(arg): arg={arg} is out of range for {len(vals)} value(s)")
    check_real(epsilon, f"{where}(epsilon)", low=0.0, low_open=True)
    ind = checked_index(ind, f"{where}(ind)")
    x = vals[arg]
    up = x.zeros(x.shape)
    up[ind] = epsilon
    with no_grad():
        plus = [v + up if j == arg else v for j, v in enumerate(vals)]
        minus = [v - up if j == arg else v for j, v in enumerate(vals)]
        delta = _summed(f, plus, where) - _summed(f, minus, where)
    return delta.item() / (2.0 * epsilon)


def _check_callable_and_tensors(f: object, vals: Sequence[object], where: str) -> None:
    """Refuse a non-callable ``f`` and values that are not tensors, naming ``where``."""
    if not callable(f):
        raise TypeError(f"{where}(f): f must be a function of tensors, got {type(f).__name__} {f!r}")
    for i, v in enumerate(vals):
        check_tensor(v, f"{where}(vals[{i}])")


def _summed(f: Callable[..., Tensor], vals: Sequence[Tensor], where: str) -> Tensor:
    """``f(*vals).sum()``, or a TypeError naming ``where`` when ``f`` returns no tensor."""
    out = f(*vals)
    if not isinstance(getattr(out, "_tensor", None), TensorData):
        raise TypeError(f"{where}: f returned {type(out).__name__} {out!r:.60}; it must return a tensor")
    return out.sum()


def grad_check(f: Callable[..., Tensor], *vals: Tensor, tolerance: float = 1e-2) -> None:
    """Check the gradients of ``f(*vals).sum()`` against central differences at one random index
    of each input (drawn with ``random`` seeded to 10, as the course does).

    Raises:
        AssertionError: naming the function, the argument, the index, the expected and the
            received derivative.
        TypeError: if ``f`` is not callable, a value is not a tensor, ``f`` returns a non-tensor or
            ``tolerance`` is not a real number.
        ValueError: if no values are given or ``tolerance`` is negative or not finite.

    Examples:
        >>> from minitorch import tensor
        >>> grad_check(lambda a: (a * a).sigmoid(), tensor([[0.5, -1.0], [2.0, 0.0]]))
    """
    _check_callable_and_tensors(f, vals, "grad_check")
    if not vals:
        raise ValueError("grad_check: pass at least one tensor to differentiate f at")
    check_real(tolerance, "grad_check(tolerance)", low=0.0)
    for x in vals:
        x.requires_grad_(True)
        x.zero_grad_()
    random.seed(10)
    _summed(f, vals, "grad_check").backward()
    for i, x in enumerate(vals):
        ind = x._tensor.sample()
        expected = grad_central_difference(f, *vals, arg=i, ind=ind)
        received = 0.0 if x.grad is None else x.grad[ind]
        if abs(received - expected) > tolerance * (1.0 + abs(expected)):
            name = getattr(f, "__name__", repr(f))
            raise AssertionError(
                f"grad_check: {name}: argument {i} (shape {x.shape}) at index {ind}: backward gave "
                f"{received!r}, central difference gave {expected!r}"
            )
