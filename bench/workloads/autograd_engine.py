"""The workloads on HIPS autograd, differentiating functions of Python floats.

Each function is traced with ``autograd.make_vjp``, which runs the forward pass and returns the
vector-Jacobian product; calling it with 1.0 is the backward pass (``autograd.grad`` does the two
in one call). Operations are ``autograd.numpy`` ufuncs on scalars (``x * c``, ``np.maximum``);
autograd has no sigmoid, so :func:`sigmoid` is declared as one primitive with ``defvjp``, the way
autograd's own ``expit`` is. Many inputs (the DAG's leaves, the MLP's parameters) are passed as one
float64 array, autograd's idiom for a parameter vector, and unpacked into scalars once at the start
of the function (one ``getitem`` node each; a Python list would cost O(n^2) in the backward pass,
where each element's gradient is a whole list of zeros).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import autograd.numpy as anp  # type: ignore[import-untyped]  # autograd has no type information
import numpy as np
from autograd import make_vjp
from autograd.extend import defvjp, primitive  # type: ignore[import-untyped]

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

__all__ = ["NAME", "chain_relu", "chain_sigmoid", "mlp_step", "random_dag", "sigmoid"]

NAME = "autograd"

_exp = math.exp


def _sigmoid(x: float) -> float:
    """``1 / (1 + e^-x)`` on a float, computed from ``e^x`` when ``x < 0`` (never overflows)."""
    if x >= 0.0:
        return 1.0 / (1.0 + _exp(-x))
    e = _exp(x)
    return e / (1.0 + e)


sigmoid: Callable[[Any], Any] = primitive(_sigmoid)
"""The sigmoid as one autograd primitive; its vjp is ``g * ans * (1 - ans)``."""
defvjp(sigmoid, lambda ans, x: lambda g: g * ans * (1.0 - ans))

_Traced = tuple[Callable[[float], Any], Any]  # (vjp, value) as make_vjp returns them


def _trace(fun: Callable[[Any], Any]) -> Callable[[Any], _Traced]:
    def forward(x: Any) -> _Traced:
        vjp, value = make_vjp(fun)(x)
        return vjp, value

    return forward


def _chain_backward(state: _Traced) -> Check:
    vjp, value = state
    return Check(float(value), float(vjp(1.0)))


def chain_relu(steps: int) -> Case:
    """``steps`` steps of ``x <- np.maximum(x * 1.0001 + 0.5, 0)``."""

    def fun(x: Any) -> Any:
        maximum = anp.maximum
        for _ in range(steps):
            x = maximum(x * CHAIN_MUL + CHAIN_ADD, 0.0)
        return x

    return Case(chain_ops(steps), lambda: CHAIN_START, _trace(fun), _chain_backward)


def chain_sigmoid(steps: int) -> Case:
    """``steps`` steps of ``x <- sigmoid(x * 1.0001 + 0.5)``."""

    def fun(x: Any) -> Any:
        for _ in range(steps):
            x = sigmoid(x * CHAIN_MUL + CHAIN_ADD)
        return x

    return Case(chain_ops(steps), lambda: CHAIN_START, _trace(fun), _chain_backward)


def random_dag(plan: DagPlan) -> Case:
    """The DAG of ``plan`` as a function of the list of leaves."""

    def fun(leaves: Any) -> Any:
        values = [leaves[i] for i in range(len(plan.leaves))]  # one getitem node per leaf
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

    def backward(state: _Traced) -> Check:
        vjp, value = state
        return Check(float(value), float(vjp(1.0).sum()))

    return Case(plan.ops, lambda: np.array(plan.leaves), _trace(fun), backward)


def mlp_step(plan: MlpPlan) -> Case:
    """The loss as a function of the flat parameter list; the update is ``p - lr * g`` on floats."""
    last_layer = len(plan.weights) - 1
    shapes = [(len(layer), len(layer[0])) for layer in plan.weights]

    def fun(flat: Any) -> Any:
        params = [flat[i] for i in range(plan.n_parameters)]
        weights, biases, at = [], [], 0
        for rows, cols in shapes:
            weights.append([params[at + r * cols : at + (r + 1) * cols] for r in range(rows)])
            at += rows * cols
        for rows, _ in shapes:
            biases.append(params[at : at + rows])
            at += rows
        total: Any = None
        for x, y in zip(plan.xs, plan.ys, strict=True):
            h: list[Any] = list(x)
            for k, (layer, layer_biases) in enumerate(zip(weights, biases, strict=True)):
                out = []
                for row, s in zip(layer, layer_biases, strict=True):
                    for w, xi in zip(row, h, strict=True):
                        s = s + w * xi
                    out.append(sigmoid(s) if k == last_layer else anp.maximum(s, 0.0))
                h = out
            d = h[0] - y
            total = d * d if total is None else total + d * d
        return total * (1.0 / len(plan.xs))

    def setup() -> Any:
        flat = [w for layer in plan.weights for row in layer for w in row]
        return np.array(flat + [b for layer in plan.biases for b in layer])

    def forward(flat: Any) -> tuple[Any, Callable[[float], Any], Any]:
        vjp, value = make_vjp(fun)(flat)
        return flat, vjp, value

    def backward(state: tuple[Any, Callable[[float], Any], Any]) -> Check:
        flat, vjp, value = state
        updated = flat - plan.lr * vjp(1.0)  # the SGD update, on the parameter vector
        return Check(float(value), float(updated.sum()))

    return Case(plan.ops, setup, forward, backward)
