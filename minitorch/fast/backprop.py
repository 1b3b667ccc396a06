"""Backpropagation specialised to graphs of packed Scalars: the speed layer's loop.

:func:`~minitorch.autodiff.backpropagate` works on any :class:`~minitorch.autodiff.Variable` through
the protocol: for every node it asks for ``parents``, ``is_leaf``, ``chain_rule`` and, for every
input, ``is_constant``, and keeps the pending derivatives in a table. For a graph of
:class:`~minitorch.fast.packed.PackedScalar` nodes over plain Scalar leaves this module computes the
same derivatives with far less work per node:

- **No sort.** Every Scalar takes its ``unique_id`` from one increasing counter when it is made,
  so a value made by ``apply`` has a larger id than each of its inputs, and processing the nodes by
  decreasing id is a topological order. A hand-built history can break this; the walk checks every
  edge and hands such a graph back to the reference loop.
- **No table for inner nodes.** While backpropagation runs, the derivative pending on an inner node
  is kept in that node's own ``derivative`` slot, and set back to ``None`` once the node has passed
  it on, as the reference loop leaves it. What reaches a leaf is summed per leaf and given to its
  ``accumulate_derivative`` at the end, once per leaf.
- **No pairs.** Each node's ``backward`` is called directly, and what it returns gets the checks
  that ``chain_rule`` gets through ``fn._backward`` (which serves every node while anomaly
  detection is on); the derivatives go straight to the inputs that are variables, and constants
  are skipped without being wrapped.

The results are those of the reference loop up to the order in which a node's incoming
derivatives are added (floating-point addition is not associative, so the last bit can differ
when three or more paths meet). The engine tests run under both loops.
"""

from __future__ import annotations

from typing import Any

from ..autodiff import Context
from ..checks import as_derivative_tuple, wrong_derivative_count
from ..grad_mode import mode
from ..scalar import Scalar
from ..scalar_function import check_derivative, explain_backward_error

__all__ = ["backpropagate_scalars", "inner_nodes"]

_new_object = object.__new__

EMPTY_CONTEXTS: dict[int, Context] = {}
"""``variable_inputs -> Context`` with nothing saved, shared by the backward calls of the nodes whose
forward saved nothing (``Add``, ``Neg``): an allocation fewer per such node. ``backward`` only reads
its Context."""


def _empty_context(variables: int) -> Context:
    return EMPTY_CONTEXTS.setdefault(variables, Context(False, (), variables))


def backpropagate_scalars(variable: Any, deriv: Any) -> bool:
    """Backpropagate ``deriv`` from the packed Scalar ``variable`` through a graph of Scalars.

    Args:
        variable: the output to start from (a ``PackedScalar`` whose slots hold its history).
        deriv: the derivative of the final quantity with respect to ``variable``.

    Returns:
        True when done; False, before changing anything, when the graph needs the reference loop
        (see :func:`inner_nodes`).
    """
    inner = inner_nodes(variable)
    if inner is None:
        return False
    packed = type(variable)
    checked_by_fn = mode.anomaly is not None  # _backward also runs the anomaly hook
    leaves: dict[Scalar, Any] = {}
    variable.derivative = deriv
    try:
        for key in sorted(inner, reverse=True):
            node = inner[key]
            d_output = node.derivative
            node.derivative = None
            fn = node._fn
            # node.context(), inlined: a method call per node is a measurable share of this loop.
            n = node._n_saved
            if n:
                ctx = _new_object(Context)
                ctx.saved_values = (node._saved0,) if n == 1 else (node._saved0, node._saved1) if n == 2 \
                    else node._saved0
                ctx.variable_inputs = node._variables
            else:  # nothing saved: the calls with the same variable inputs share one Context
                ctx = EMPTY_CONTEXTS.get(node._variables) or _empty_context(node._variables)
            if checked_by_fn:
                derivatives = fn._backward(ctx, d_output)
            else:
                try:
                    derivatives = fn.backward(ctx, d_output)
                except TypeError as error:
                    explain_backward_error(fn, ctx, d_output, error)
                if type(derivatives) is float:  # one input
                    derivatives = (derivatives,)
                elif type(derivatives) is not tuple:
                    derivatives = as_derivative_tuple(derivatives)
            inputs = (node._input0, node._input1) if node._arity == 2 else (node._input0,)
            if len(derivatives) != len(inputs):
                raise wrong_derivative_count(fn.__name__, derivatives, inputs)
            for x, d in zip(inputs, derivatives):  # noqa: B905 - lengths checked just above
                if type(d) is not float:
                    check_derivative(fn, d)
                kind = type(x)
                if kind is packed:
                    previous = x.derivative
                    x.derivative = d if previous is None else previous + d
                elif kind is Scalar and x.history is not None:  # a leaf (inner_nodes checked it)
                    previous = leaves.get(x)
                    leaves[x] = d if previous is None else previous + d
    except BaseException:
        for node in inner.values():  # leave no half-passed derivative on an inner node
            node.derivative = None
        raise
    for leaf, d in leaves.items():
        leaf.accumulate_derivative(d)
    return True


def inner_nodes(variable: Any) -> dict[int, Any] | None:
    """The packed Scalars of the graph below ``variable`` (itself included), keyed by ``unique_id``.

    Returns ``None`` if the graph is not one this loop handles: an input that is a computed plain
    Scalar (made with the layer off) or another Scalar subclass, a packed Scalar whose history was
    set by hand, one that already holds a derivative, or an input made after the value computed
    from it. Only reads the graph.
    """
    packed = type(variable)
    if variable.derivative is not None:
        return None
    inner = {variable.unique_id: variable}
    stack = [variable]
    while stack:
        node = stack.pop()
        newest = node.unique_id
        for x in (node._input0, node._input1) if node._arity == 2 else (node._input0,):
            kind = type(x)
            if kind is float:
                continue  # a constant
            if kind is Scalar:
                back = x.history
                if back is not None and back.last_fn is not None:
                    return None  # a node of the reference engine: its loop handles the graph
                if x.level:
                    return None  # a Scalar of a functional-API trace
                continue  # a leaf or a constant
            if kind is not packed or not x._arity:
                return None  # a subclass may override the protocol; or a history set by hand
            key = x.unique_id
            if key >= newest:
                return None  # an input made after its output: decreasing ids are no order here
            if key not in inner:
                if x.derivative is not None:
                    return None  # its slot is not free to hold the pending derivative
                inner[key] = x
                stack.append(x)
    return inner
