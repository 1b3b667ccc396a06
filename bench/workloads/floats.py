"""The floor: the workloads on plain Python floats, forward only (no autodiff, backward is free).

The loops are written out inline (no helper calls per operation) so that this is the cheapest way
to compute the same numbers in pure Python.
"""

from __future__ import annotations

import math
from typing import Any

from ..cases import NO_GRADIENT, Case, Check
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

__all__ = ["NAME", "chain_relu", "chain_sigmoid", "mlp_step", "random_dag", "train_epoch"]

NAME = "floats"

_exp = math.exp
_log = math.log


def _sigmoid(x: float) -> float:
    """``1 / (1 + e^-x)``, computed from ``e^x`` when ``x < 0`` so that it never overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + _exp(-x))
    e = _exp(x)
    return e / (1.0 + e)


def _value(state: float) -> Check:
    return Check(state, NO_GRADIENT)


def _start() -> float:
    return CHAIN_START


def chain_relu(steps: int) -> Case:
    """``steps`` steps of ``x <- max(x * 1.0001 + 0.5, 0)``."""

    def forward(x: float) -> float:
        for _ in range(steps):
            x = x * CHAIN_MUL + CHAIN_ADD
            if x < 0.0:
                x = 0.0
        return x

    return Case(chain_ops(steps), _start, forward, _value)


def chain_sigmoid(steps: int) -> Case:
    """``steps`` steps of ``x <- sigmoid(x * 1.0001 + 0.5)`` (the stable form, inline)."""

    def forward(x: float) -> float:
        exp = _exp
        for _ in range(steps):
            x = x * CHAIN_MUL + CHAIN_ADD
            if x >= 0.0:
                x = 1.0 / (1.0 + exp(-x))
            else:
                e = exp(x)
                x = e / (1.0 + e)
        return x

    return Case(chain_ops(steps), _start, forward, _value)


def random_dag(plan: DagPlan) -> Case:
    """The DAG of ``plan`` on floats."""

    def forward(leaves: list[float]) -> float:
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
        return out

    return Case(plan.ops, lambda: list(plan.leaves), forward, _value)


def mlp_step(plan: MlpPlan) -> Case:
    """The floor of the training step: the MLP's loss on floats (forward only, no update)."""
    last_layer = len(plan.weights) - 1

    def forward(params: tuple[Any, Any]) -> float:
        weights, biases = params
        total = 0.0
        for p, (x, y) in enumerate(zip(plan.xs, plan.ys, strict=True)):
            h = list(x)
            for k, (layer, layer_biases) in enumerate(zip(weights, biases, strict=True)):
                out = []
                for row, s in zip(layer, layer_biases, strict=True):
                    for w, xi in zip(row, h, strict=True):
                        s = s + w * xi
                    if k == last_layer:
                        out.append(_sigmoid(s))
                    else:
                        out.append(s if s > 0.0 else 0.0)
                h = out
            d = h[0] - y
            total = d * d if p == 0 else total + d * d
        return total * (1.0 / len(plan.xs))

    return Case(plan.ops, lambda: (plan.weights, plan.biases), forward, _value)


def train_epoch(seed: int = 0, ops: int = 0) -> Case:
    """The forward pass of one ``minitorch train`` epoch on floats (same data and weights).

    ``ops`` is the operation count measured on minitorch's graph (see
    :func:`bench.workloads.minitorch_engine.train_epoch`).
    """
    from .minitorch_engine import train_epoch_weights

    xs, ys, layers, _ = train_epoch_weights(seed)
    last_layer = len(layers) - 1

    def forward(params: list[Any]) -> float:
        total = 0.0
        for (x1, x2), y in zip(xs, ys, strict=True):
            h = [x1, x2]
            for k, (weights, bias) in enumerate(params):
                out = list(bias)
                for x, row in zip(h, weights, strict=True):
                    for j, w in enumerate(row):
                        out[j] = out[j] + x * w
                h = [_sigmoid(out[0])] if k == last_layer else [v if v > 0.0 else 0.0 for v in out]
            prob = h[0] if y == 1 else 1.0 - h[0]
            total = -_log(prob) + total
        return total * (1.0 / len(xs))

    return Case(ops, lambda: layers, forward, _value)
