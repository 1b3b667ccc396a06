"""The engine: ``Context``, the ``Variable`` protocol, topological sort and backpropagation.

Nothing here knows about :class:`~minitorch.scalar.Scalar`: the engine works on anything that follows
the :class:`Variable` protocol, so the tensors of later modules share it.

Examples:
    >>> from minitorch import Scalar
    >>> x = Scalar(3.0)
    >>> y = x * x + x
    >>> [v.unique_id == y.unique_id for v in topological_sort(y)][0]
    True
    >>> backpropagate(y, 1.0)
    >>> x.derivative
    7.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from .grad_mode import enable_grad, is_grad_enabled, no_grad

__all__ = [
    "Context", "Variable", "topological_sort", "backpropagate", "central_difference", "no_grad",
    "enable_grad", "is_grad_enabled",
]


class Context:
    """The only channel between a function's ``forward`` and its ``backward``.

    ``forward`` stores what ``backward`` will need with :meth:`save_for_backward`; ``backward`` reads
    it back from :attr:`saved_values` (or :attr:`saved_tensors`, PyTorch's name for the same tuple).

    Args:
        no_grad: when true, :meth:`save_for_backward` stores nothing (no backward will run).
        saved_values: the initial saved values.
        variable_inputs: a bit mask of the inputs that are variables (see :meth:`needs_grad`).

    Examples:
        >>> ctx = Context()
        >>> ctx.save_for_backward(2.0, 3.0)
        >>> ctx.saved_values
        (2.0, 3.0)
    """

    __slots__ = ("saved_values", "variable_inputs", "__weakref__")

    def __init__(
        self, no_grad: bool = False, saved_values: tuple[Any, ...] = (), variable_inputs: int = -1
    ) -> None:
        self.saved_values = saved_values
        # Bit i is set when input i of the call is a variable (``apply`` passes it). The default,
        # -1, has every bit set: a Context made by hand treats every input as a variable. No
        # variable input at all is what ``no_grad`` means, so one int stores both.
        self.variable_inputs = 0 if no_grad else variable_inputs

    @property
    def no_grad(self) -> bool:
        """True when no input is a variable: ``backward`` will never run, so nothing is saved."""
        return self.variable_inputs == 0

    @no_grad.setter
    def no_grad(self, value: bool) -> None:
        if value:
            self.variable_inputs = 0
        elif self.variable_inputs == 0:
            self.variable_inputs = -1

    def needs_grad(self, index: int) -> bool:
        """True if input ``index`` of the call is a variable, so its derivative will be used.

        ``backward`` can skip work (or a formula undefined at this point) for constant inputs; this
        is PyTorch's ``ctx.needs_input_grad[index]``.
        """
        return bool(self.variable_inputs >> index & 1)

    def save_for_backward(self, *values: Any) -> None:
        """Store ``values`` for the backward pass (a no-op when ``no_grad`` is set)."""
        if self.variable_inputs:
            self.saved_values = values

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The saved values, under PyTorch's name."""
        return self.saved_values

    def __repr__(self) -> str:
        return f"Context(no_grad={self.no_grad}, saved_values={self.saved_values!r})"


class Variable(Protocol):
    """What the engine needs from a node of the computation graph."""

    @property
    def unique_id(self) -> int:
        """An integer no other live variable shares."""
        ...

    def accumulate_derivative(self, x: Any) -> None:
        """Add ``x`` to this leaf's derivative."""
        ...

    def is_leaf(self) -> bool:
        """True for a variable created by the user (it has no function that made it)."""
        ...

    def is_constant(self) -> bool:
        """True for a value that never receives a derivative."""
        ...

    @property
    def parents(self) -> Iterable[Variable]:
        """The non-constant inputs of the function that made this variable."""
        ...

    def chain_rule(self, d_output: Any) -> Iterable[tuple[Variable, Any]]:
        """One ``(input, derivative)`` pair per input of the function that made this variable."""
        ...


def topological_sort(variable: Variable) -> list[Variable]:
    """Order the non-constant variables of the graph below ``variable``, output first.

    Every variable comes before all the variables it was computed from, and each appears once. The
    walk is a depth-first search over an explicit stack (never Python recursion), so a chain of a
    million operations works with the default recursion limit. A node is pushed once to be expanded;
    when it is expanded it is pushed again under a ``_FINISH`` marker, below its parents, so it is
    finished only after everything it depends on: the reversed finishing order is topological.

    Args:
        variable: the output to start from.

    Returns:
        The variables in topological order, starting with ``variable`` (empty if it is a constant).
    """
    # BEGIN TASK 1.4
    if variable.is_constant():
        return []
    finished: list[Variable] = []
    expanded: set[int] = set()
    stack: list[Any] = [variable]
    while stack:
        node = stack.pop()
        if node is _FINISH:
            finished.append(stack.pop())
            continue
        key = node.unique_id
        if key in expanded:
            continue  # reached again through another path; its first visit finishes it
        expanded.add(key)
        stack.append(node)
        stack.append(_FINISH)
        for parent in node.parents:
            if parent.unique_id not in expanded:
                stack.append(parent)
    finished.reverse()
    return finished
    # END TASK 1.4


# Marks "the node below me has had all its parents finished" on the sort's stack.
_FINISH = object()


def backpropagate(variable: Variable, deriv: Any) -> None:
    """Run backpropagation from ``variable`` and accumulate derivatives into the leaves.

    Walks the topological order once with a table of pending derivatives keyed by ``unique_id``:
    each non-leaf passes its derivative through its function's ``backward`` (``chain_rule``) to its
    inputs; each leaf adds what reached it to its ``derivative``.

    This is the reference loop, written for any :class:`Variable`. ``Scalar.backward`` may take a
    faster loop of the speed layer, :mod:`minitorch.fast`, which gives the same results.

    Args:
        variable: the output to start from.
        deriv: the derivative of the final quantity with respect to ``variable``.
    """
    # BEGIN TASK 1.4
    pending: dict[int, Any] = {variable.unique_id: deriv}
    for node in topological_sort(variable):
        d = pending.pop(node.unique_id)
        if node.is_leaf():
            node.accumulate_derivative(d)
            continue
        for parent, d_parent in node.chain_rule(d):
            if parent.is_constant():
                continue
            key = parent.unique_id
            pending[key] = pending[key] + d_parent if key in pending else d_parent
    # END TASK 1.4


def central_difference(
    f: Callable[..., Any], *vals: Any, arg: int = 0, epsilon: float = 1e-6
) -> Any:
    """Approximate the derivative of ``f`` with respect to argument ``arg`` by a central difference.

    ``(f(..., x + eps, ...) - f(..., x - eps, ...)) / (2 eps)``, whose error shrinks like ``eps^2``.
    Only ``+``, ``-`` and ``/`` are used on the values, so it works on floats and on Scalars alike.

    Args:
        f: the function to differentiate.
        *vals: the point at which to differentiate.
        arg: the index of the argument to vary.
        epsilon: the half-width of the difference.

    Examples:
        >>> round(central_difference(lambda x, y: x * y, 3.0, 5.0, arg=0), 6)
        5.0
    """
    # BEGIN TASK 1.1
    if not 0 <= arg < len(vals):
        raise IndexError(
            f"central_difference: arg={arg} is out of range for {len(vals)} value(s); "
            f"choose an index from 0 to {len(vals) - 1}"
        )
    up = list(vals)
    down = list(vals)
    up[arg] = up[arg] + epsilon
    down[arg] = down[arg] - epsilon
    return (f(*up) - f(*down)) / (2.0 * epsilon)
    # END TASK 1.1
