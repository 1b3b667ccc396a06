"""Backpropagation specialised to graphs of plain ``Scalar`` values: the engine's fast path.

:func:`~minitorch.autodiff.backpropagate` works on any :class:`~minitorch.autodiff.Variable` through
the protocol: for every node it asks for ``parents``, ``is_leaf``, ``chain_rule`` and, for every
input, ``is_constant``, and keeps the pending derivatives in a table. For a graph made only of
``Scalar`` objects (no subclasses) this module computes the same derivatives with far less work
per node, and ``backpropagate`` hands such graphs to it (it is registered for ``Scalar``):

- **No sort.** Every Scalar takes its ``unique_id`` from one increasing counter when it is made,
  so a value made by ``apply`` has a larger id than each of its inputs, and processing the nodes by
  decreasing id is a topological order. A hand-built history can break this; the walk checks every
  edge and hands such a graph back to the generic engine.
- **No table.** While backpropagation runs, the derivative pending on an inner node is kept in
  that node's own ``derivative`` slot, and set back to ``None`` once the node has passed it on, as
  the generic engine leaves it. Leaves add what reaches them to their ``derivative`` at once.
- **No pairs.** Each node's ``backward`` is called directly, and what it returns gets the checks
  that ``chain_rule`` gets through ``fn._backward`` (which serves every node while anomaly
  detection is on); the derivatives go straight to the inputs that are variables, and constants
  are skipped without being wrapped.

Students: the course does not ask for this module. The skeleton stubs it (it marks task 1.4) so
that the copy does not hold a finished engine; nothing calls it unless your own ``backpropagate``
does.

The results are those of the generic engine up to the order in which a node's incoming
derivatives are added (floating-point addition is not associative, so the last bit can differ
when three or more paths meet). ``tests/test_scalar_backprop.py`` checks both engines against each
other on random graphs.

Examples:
    >>> from minitorch import Scalar
    >>> x = Scalar(2.0)
    >>> y = x * x + x
    >>> backpropagate_scalars(y, 1.0)
    True
    >>> x.derivative
    5.0
"""

from __future__ import annotations

from typing import Any

from .autodiff import Context, grad_mode
from .function import as_derivative_tuple, reraise_backward_error
from .scalar import Scalar, _wrong_count

__all__ = ["backpropagate_scalars"]

_new_object = object.__new__


def backpropagate_scalars(variable: Scalar, deriv: Any) -> bool:
    """Backpropagate ``deriv`` from ``variable`` through a graph of plain Scalars.

    Args:
        variable: the output to start from.
        deriv: the derivative of the final quantity with respect to ``variable``.

    Returns:
        True when done; False, before changing anything, when the graph needs the generic engine
        (a Scalar subclass in it, an inner node that already holds a derivative or has no
        Context, or an input made after the value computed from it).
    """
    # BEGIN TASK 1.4
    if variable._inputs is None:
        return True  # a constant: nothing to differentiate
    if variable._fn is None:  # a leaf: it is its own output
        variable.derivative = deriv if variable.derivative is None else variable.derivative + deriv
        return True
    inner = _inner_nodes(variable)
    if inner is None:
        return False
    level = variable.level
    # chain_rule calls fn._backward: backward plus the checks of what it returns. The loop below
    # makes the same checks itself (they cost a call per node otherwise), except when anomaly
    # detection is on, which _backward also serves.
    checked_by_fn = grad_mode.anomaly is not None
    variable.derivative = deriv
    try:
        for key in sorted(inner, reverse=True):
            node = inner[key]
            d_output = node.derivative
            node.derivative = None
            fn: Any = node._fn  # an inner node always has a function, a context and inputs
            ctx: Any = node._ctx
            # Scalar._context and Scalar._input_values, inlined: a method call per node is a
            # measurable share of this loop.
            saved = node._saved
            if saved:  # the call kept what its forward saved: rebuild its Context
                if type(saved) is int:  # one or two values, kept in slots
                    saved = (node._saved0, node._saved1) if saved == 2 else (node._saved0,)
                shared = ctx
                ctx = _new_object(Context)
                ctx.saved_values = saved
                ctx.variable_inputs = shared.variable_inputs
            if checked_by_fn:
                derivatives = fn._backward(ctx, d_output)
            else:
                try:
                    derivatives = fn.backward(ctx, d_output)
                except TypeError as error:
                    reraise_backward_error(fn, ctx, d_output, error)
                if type(derivatives) is float:  # one input
                    derivatives = (derivatives,)
                elif type(derivatives) is not tuple:
                    derivatives = as_derivative_tuple(derivatives)
            inputs: Any = node._inputs
            if type(inputs) is int:  # one or two inputs, kept in slots (see Scalar)
                inputs = (node._input0, node._input1) if inputs == 2 else (node._input0,)
            if len(derivatives) != len(inputs):
                raise _wrong_count(fn, derivatives, inputs)
            for x, d in zip(inputs, derivatives):  # noqa: B905 - lengths checked just above
                if type(d) is not float:
                    fn._check_derivative(d)
                if type(x) is Scalar and x._inputs is not None and x.level == level:
                    previous = x.derivative
                    x.derivative = d if previous is None else previous + d
    except BaseException:
        for node in inner.values():  # leave no half-passed derivative on an inner node
            node.derivative = None
        raise
    return True
    # END TASK 1.4


def _inner_nodes(variable: Scalar) -> dict[int, Scalar] | None:
    """The computed (non-leaf) Scalars of the graph below ``variable``, keyed by ``unique_id``.

    Returns ``None`` if the graph is not one this module can handle (see
    :func:`backpropagate_scalars`). Only reads the graph.
    """
    # BEGIN TASK 1.4
    if variable.derivative is not None or variable._ctx is None:
        return None
    level = variable.level
    inner = {variable.unique_id: variable}
    stack = [variable]
    while stack:
        node = stack.pop()
        newest = node.unique_id
        inputs: Any = node._inputs  # an inner node always has inputs
        if type(inputs) is int:  # one or two inputs, kept in slots (see Scalar)
            inputs = (node._input0, node._input1) if inputs == 2 else (node._input0,)
        for x in inputs:
            if type(x) is not Scalar:
                if type(x) is not float and isinstance(x, Scalar):
                    return None  # a subclass may override the protocol: the generic engine
                continue  # a plain number: a constant
            if x._fn is None or x.level != level:
                continue  # a leaf or a constant (at this level): nothing to walk below it
            key = x.unique_id
            if key >= newest:
                return None  # an input made after its output: decreasing ids are no order here
            if key not in inner:
                if x.derivative is not None:
                    return None  # its slot is not free to hold the pending derivative
                if x._ctx is None:
                    return None  # a hand-built history without a Context: chain_rule explains it
                inner[key] = x
                stack.append(x)
    return inner
    # END TASK 1.4
