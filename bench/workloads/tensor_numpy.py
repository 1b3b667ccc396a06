"""The tensor workloads written by hand in NumPy: the forward pass and a hand-derived backward pass.

This is the floor for a vectorised backend: the same BLAS calls and elementwise kernels, with no
graph, no per-operation objects and every derivative simplified by hand. Set the BLAS thread
variables before importing NumPy (``bench.env.pin_threads``).
"""

from __future__ import annotations

import numpy as np

from ..cases import Case
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

NAME = "numpy"

MlpState = tuple[Array, Array, Array, Array, Array, Array, Array]
"""What the MLP's forward pass keeps for its backward: parameters, input, hidden layer, ``out - y``."""


def _copies(*arrays: Array) -> tuple[Array, ...]:
    return tuple(a.copy() for a in arrays)


def mlp(plan: MlpTensorPlan) -> Case:
    """``relu(x @ w1 + b1) @ w2 + b2``, its mean squared error and the four parameter gradients.

    Backward, with ``n`` the number of entries of ``out`` and ``d = out - y``:
    ``g_out = 2 d / n``; ``g_w2 = hidden^T g_out``; ``g_b2 = sum_rows g_out``;
    ``g_hidden = g_out w2^T``, zeroed where ``hidden`` is; ``g_w1 = x^T g_hidden``;
    ``g_b1 = sum_rows g_hidden``.
    """

    def setup() -> tuple[Array, ...]:
        return _copies(plan.w1, plan.b1, plan.w2, plan.b2)

    def forward(params: tuple[Array, ...]) -> tuple[float, MlpState]:
        w1, b1, w2, b2 = params
        hidden = np.maximum(plan.x @ w1 + b1, 0.0)
        d = hidden @ w2 + b2 - plan.y
        loss = float(np.mean(d * d))
        return loss, (w1, b1, w2, b2, plan.x, hidden, d)

    def backward(state: tuple[float, MlpState]) -> tuple[float, tuple[Array, ...]]:
        loss, (_, _, w2, _, x, hidden, d) = state
        g_out = d * (2.0 / d.size)
        g_w2 = hidden.T @ g_out
        g_b2 = g_out.sum(axis=0)
        g_hidden = g_out @ w2.T
        g_hidden *= hidden > 0.0
        g_w1 = x.T @ g_hidden
        g_b1 = g_hidden.sum(axis=0)
        return loss, (g_w1, g_b1, g_w2, g_b2)

    return Case(1, setup, forward, backward, check=gradient_check(plan.probes))


def broadcast(plan: BroadcastPlan) -> Case:
    """``sigmoid(a * b)`` summed to a number; ``g_a = sum_m s (1 - s) b``, ``g_b = sum_n s (1 - s) a``.

    The sigmoid is ``1 / (1 + e^-p)``, which is exact in float64 for every ``p`` of this plan (and
    gives 0 or 1, not NaN, even where ``e^-p`` overflows).
    """

    def setup() -> tuple[Array, ...]:
        return _copies(plan.a, plan.b)

    def forward(inputs: tuple[Array, ...]) -> tuple[float, tuple[Array, ...]]:
        a, b = inputs
        s = 1.0 / (1.0 + np.exp(-(a * b)))
        return float(s.sum()), (a, b, s)

    def backward(state: tuple[float, tuple[Array, ...]]) -> tuple[float, tuple[Array, ...]]:
        loss, (a, b, s) = state
        g_p = s * (1.0 - s)
        g_a = (g_p * b).sum(axis=1, keepdims=True)
        g_b = (g_p * a).sum(axis=0, keepdims=True)
        return loss, (g_a, g_b)

    return Case(1, setup, forward, backward, check=gradient_check(plan.probes))


def tiny_chain(plan: TinyChainPlan) -> Case:
    """The chain on (2, 2) arrays; the backward multiplies the kept relu masks by ``TINY_MUL``."""
    mul = np.full((2, 2), TINY_MUL)
    add = np.full((2, 2), TINY_ADD)

    def forward(x: Array) -> tuple[float, list[Array]]:
        masks = []
        y = x
        for _ in range(plan.steps):
            y = np.maximum(y * mul + add, 0.0)
            masks.append(y > 0.0)
        return float(y.sum()), masks

    def backward(state: tuple[float, list[Array]]) -> tuple[float, tuple[Array, ...]]:
        loss, masks = state
        g = np.ones((2, 2))
        for mask in reversed(masks):
            g = g * mask * mul
        return loss, (g,)

    return Case(plan.ops, plan.start.copy, forward, backward, check=gradient_check(plan.probes))
