"""The tensor workloads on PyTorch CPU tensors (``torch.float64``), written as minitorch's are.

Each workload makes the same calls in the same order as :mod:`bench.workloads.tensor_minitorch`
(reductions with ``keepdim=True``, as minitorch's keep the reduced dimension), so the two engines
build graphs of the same operations. Importing this module pins PyTorch to one intra-op thread;
set the OpenMP/BLAS variables before importing it (``bench.env.pin_threads``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

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

__all__ = ["NAME", "broadcast", "mlp", "tiny_chain"]

NAME = "torch"

torch.set_num_threads(1)

Result = tuple[torch.Tensor, list[torch.Tensor]]
"""What a backward pass returns: the loss and the leaves whose gradients are compared."""


def _leaves(arrays: Sequence[Array]) -> list[torch.Tensor]:
    return [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]


def _constant(array: Array) -> torch.Tensor:
    return torch.tensor(array, dtype=torch.float64)


def _backward(state: Result) -> Result:
    loss, leaves = state
    loss.backward()  # type: ignore[no-untyped-call]  # untyped in torch
    return loss, leaves


def _check(probes: Sequence[Array]) -> Callable[[Result], Check]:
    """Copy the loss and the leaves' gradients out of PyTorch (untimed) and summarise them."""
    summarize = gradient_check(probes)

    def check(result: Result) -> Check:
        loss, leaves = result
        gradients = [np.zeros(tuple(x.shape)) if x.grad is None else x.grad.numpy() for x in leaves]
        return summarize((loss.item(), gradients))

    return check


def mlp(plan: MlpTensorPlan) -> Case:
    """``relu(x @ w1 + b1) @ w2 + b2``; loss ``(d * d).mean()`` with ``d = out - y``."""
    x, y = _constant(plan.x), _constant(plan.y)

    def forward(params: list[torch.Tensor]) -> Result:
        w1, b1, w2, b2 = params
        hidden = (x @ w1 + b1).relu()
        d = hidden @ w2 + b2 - y
        return (d * d).mean(), params

    return Case(1, lambda: _leaves(plan.parameters), forward, _backward, check=_check(plan.probes))


def broadcast(plan: BroadcastPlan) -> Case:
    """``(a * b).sigmoid().sum(2).sum(1).sum()``, keeping the reduced dimensions."""

    def forward(inputs: list[torch.Tensor]) -> Result:
        a, b = inputs
        s = (a * b).sigmoid().sum(2, keepdim=True).sum(1, keepdim=True).sum()
        return s, inputs

    return Case(1, lambda: _leaves((plan.a, plan.b)), forward, _backward,
                check=_check(plan.probes))


def tiny_chain(plan: TinyChainPlan) -> Case:
    """``steps`` steps of ``relu(x * mul + add)`` on (2, 2) tensors, then ``sum()``."""
    mul = torch.full((2, 2), TINY_MUL, dtype=torch.float64)
    add = torch.full((2, 2), TINY_ADD, dtype=torch.float64)

    def forward(inputs: list[torch.Tensor]) -> Result:
        y = inputs[0]
        for _ in range(plan.steps):
            y = (y * mul + add).relu()
        return y.sum(), inputs

    return Case(plan.ops, lambda: _leaves((plan.start,)), forward, _backward,
                check=_check(plan.probes))
