"""The workloads on PyTorch 0-d tensors (``torch.float64``, ``requires_grad=True``).

Importing this module pins PyTorch to one intra-op thread (``torch.set_num_threads(1)``); set the
OpenMP/BLAS environment variables before importing it (``bench.env.pin_threads``).
"""

from __future__ import annotations

from typing import Any

import torch

from ..cases import Case, Check
from ..plans import (
    CHAIN_ADD,
    CHAIN_MUL,
    CHAIN_START,
    DAG_ADD_SCALE,
    DAG_MUL_SHIFT,
    DagPlan,
    MlpPlan,
    chain_ops,
)

__all__ = ["NAME", "chain_relu", "chain_sigmoid", "mlp_step", "random_dag"]

NAME = "torch"

torch.set_num_threads(1)

_F64 = torch.float64


def _leaf(value: float) -> torch.Tensor:
    return torch.tensor(value, dtype=_F64, requires_grad=True)


def _start() -> torch.Tensor:
    return _leaf(CHAIN_START)


def _chain_backward(state: tuple[torch.Tensor, torch.Tensor]) -> Check:
    x, y = state
    y.backward()  # type: ignore[no-untyped-call]  # untyped in torch
    assert x.grad is not None
    return Check(y.item(), x.grad.item())


def chain_relu(steps: int) -> Case:
    """``steps`` steps of ``x <- relu(x * 1.0001 + 0.5)``."""

    def forward(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        y = x
        for _ in range(steps):
            y = (y * CHAIN_MUL + CHAIN_ADD).relu()
        return x, y

    return Case(chain_ops(steps), _start, forward, _chain_backward)


def chain_sigmoid(steps: int) -> Case:
    """``steps`` steps of ``x <- sigmoid(x * 1.0001 + 0.5)``."""

    def forward(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        y = x
        for _ in range(steps):
            y = (y * CHAIN_MUL + CHAIN_ADD).sigmoid()
        return x, y

    return Case(chain_ops(steps), _start, forward, _chain_backward)


def random_dag(plan: DagPlan) -> Case:
    """The DAG of ``plan``; the gradient summary is the sum of the leaves' gradients."""

    def forward(leaves: list[torch.Tensor]) -> tuple[list[torch.Tensor], torch.Tensor]:
        values = list(leaves)
        append = values.append
        for is_mul, a, b in plan.nodes:
            if is_mul:
                append(values[a] * values[b] + DAG_MUL_SHIFT)
            else:
                append((values[a] + values[b]) * DAG_ADD_SCALE)
        last = values[-plan.outputs :]
        out = last[0]
        for v in last[1:]:
            out = out + v
        return leaves, out

    def backward(state: tuple[list[torch.Tensor], torch.Tensor]) -> Check:
        leaves, out = state
        out.backward()  # type: ignore[no-untyped-call]  # untyped in torch
        return Check(out.item(), sum(_grad(x) for x in leaves))

    return Case(plan.ops, lambda: [_leaf(v) for v in plan.leaves], forward, backward)


def _grad(x: torch.Tensor) -> float:
    return 0.0 if x.grad is None else x.grad.item()


def mlp_step(plan: MlpPlan) -> Case:
    """Forward, backward and one ``torch.optim.SGD`` step over the 0-d parameter tensors."""
    last_layer = len(plan.weights) - 1

    def setup() -> tuple[Any, Any, torch.optim.SGD]:
        weights = [[[_leaf(w) for w in row] for row in layer] for layer in plan.weights]
        biases = [[_leaf(b) for b in layer] for layer in plan.biases]
        flat = [p for layer in weights for row in layer for p in row]
        flat += [b for layer in biases for b in layer]
        return weights, biases, torch.optim.SGD(flat, lr=plan.lr)

    def forward(params: tuple[Any, Any, torch.optim.SGD]) -> tuple[torch.optim.SGD, torch.Tensor]:
        weights, biases, optimizer = params
        optimizer.zero_grad(set_to_none=True)
        total: Any = None
        for x, y in zip(plan.xs, plan.ys, strict=True):
            h: list[Any] = list(x)
            for k, (layer, layer_biases) in enumerate(zip(weights, biases, strict=True)):
                out = []
                for row, s in zip(layer, layer_biases, strict=True):
                    for w, xi in zip(row, h, strict=True):
                        s = s + w * xi
                    out.append(s.sigmoid() if k == last_layer else s.relu())
                h = out
            d = h[0] - y
            total = d * d if total is None else total + d * d
        return optimizer, total * (1.0 / len(plan.xs))

    def backward(state: tuple[torch.optim.SGD, torch.Tensor]) -> Check:
        optimizer, loss = state
        loss.backward()  # type: ignore[no-untyped-call]  # untyped in torch
        optimizer.step()
        parameters = optimizer.param_groups[0]["params"]
        return Check(loss.item(), sum(p.item() for p in parameters))

    return Case(plan.ops, setup, forward, backward)
