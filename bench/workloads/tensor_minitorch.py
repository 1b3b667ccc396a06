"""The tensor workloads on minitorch's ``Tensor`` (the engine under test), through its public API.

``minitorch.tensor(array, requires_grad=True)`` with the default backend (vectorised NumPy), or
with ``backend=minitorch.SimpleBackend`` (the course's pure-Python ``SimpleOps``) for the
``*_simple`` builders. Importing this module fails with an ImportError if this minitorch has no
tensors yet, so the suite reports the engine as missing instead of crashing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import minitorch

from ..cases import Case, Check
from ..tensor_plans import (
    TINY_ADD,
    TINY_MUL,
    Array,
    BroadcastPlan,
    MlpTensorPlan,
    TinyChainPlan,
    gradient_check,
)

__all__ = ["NAME", "broadcast", "broadcast_simple", "mlp", "tiny_chain"]

NAME = "minitorch"

try:
    _make_tensor = minitorch.tensor
    _SIMPLE_BACKEND = minitorch.SimpleBackend
except AttributeError as missing:
    raise ImportError(f"this minitorch has no tensors yet ({missing})") from missing

Result = tuple[Any, list[Any]]
"""What a backward pass returns: the loss tensor and the leaves whose gradients are compared."""


def _tensor(array: Array, backend: Any, requires_grad: bool = False) -> Any:
    """A minitorch tensor of ``array`` on ``backend`` (None: the default backend)."""
    if backend is None:
        return _make_tensor(array.copy(), requires_grad=requires_grad)
    return _make_tensor(array.copy(), backend=backend, requires_grad=requires_grad)


def _leaves(arrays: Sequence[Array], backend: Any) -> list[Any]:
    return [_tensor(a, backend, requires_grad=True) for a in arrays]


def _backward(state: Result) -> Result:
    loss, leaves = state
    loss.backward()
    return loss, leaves


def _check(probes: Sequence[Array]) -> Callable[[Result], Check]:
    """Copy the loss and the leaves' gradients out of minitorch (untimed) and summarise them."""
    summarize = gradient_check(probes)

    def check(result: Result) -> Check:
        loss, leaves = result
        gradients = [
            np.zeros(tuple(x.shape)) if x.grad is None else np.asarray(x.grad.to_numpy())
            for x in leaves
        ]
        return summarize((float(loss.item()), gradients))

    return check


def mlp(plan: MlpTensorPlan, backend: Any = None) -> Case:
    """``relu(x @ w1 + b1) @ w2 + b2``; loss ``(d * d).mean()`` with ``d = out - y``."""
    x, y = _tensor(plan.x, backend), _tensor(plan.y, backend)

    def forward(params: list[Any]) -> Result:
        w1, b1, w2, b2 = params
        hidden = (x @ w1 + b1).relu()
        d = hidden @ w2 + b2 - y
        return (d * d).mean(), params

    return Case(1, lambda: _leaves(plan.parameters, backend), forward, _backward,
                check=_check(plan.probes))


def broadcast(plan: BroadcastPlan, backend: Any = None) -> Case:
    """``(a * b).sigmoid().sum(2).sum(1).sum()`` (each reduction keeps its dimension)."""

    def forward(inputs: list[Any]) -> Result:
        a, b = inputs
        return (a * b).sigmoid().sum(2).sum(1).sum(), inputs

    return Case(1, lambda: _leaves((plan.a, plan.b), backend), forward, _backward,
                check=_check(plan.probes))


def broadcast_simple(plan: BroadcastPlan) -> Case:
    """:func:`broadcast` on ``SimpleBackend``, the pure-Python loops students write."""
    return broadcast(plan, _SIMPLE_BACKEND)


def tiny_chain(plan: TinyChainPlan, backend: Any = None) -> Case:
    """``steps`` steps of ``relu(x * mul + add)`` on (2, 2) tensors, then ``sum()``."""
    mul = _tensor(np.full((2, 2), TINY_MUL), backend)
    add = _tensor(np.full((2, 2), TINY_ADD), backend)

    def forward(inputs: list[Any]) -> Result:
        y = inputs[0]
        for _ in range(plan.steps):
            y = (y * mul + add).relu()
        return y.sum(), inputs

    return Case(plan.ops, lambda: _leaves((plan.start,), backend), forward, _backward,
                check=_check(plan.probes))
