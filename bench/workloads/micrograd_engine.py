"""The workloads on micrograd's ``Value`` (``pip install micrograd``).

micrograd has no sigmoid; :func:`sigmoid` adds one the way micrograd's own operations are written
(one node, a closure for its backward), as its author does for ``tanh`` in the lecture.

micrograd's ``backward`` sorts the graph with a recursive function, one Python frame per level of
depth, so :func:`_backward` raises the recursion limit around the call (the chain of 10^5 steps is
3 * 10^5 levels deep). Its closures make every node part of a reference cycle, so its graphs are
freed only by the cyclic garbage collector.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from micrograd.engine import Value  # type: ignore[import-untyped]  # no type information

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

NAME = "micrograd"

RECURSION_LIMIT = 2_000_000
"""Enough Python frames for micrograd's recursive sort of the deepest graph benchmarked."""

_exp = math.exp


def sigmoid(v: Value) -> Value:
    """``1 / (1 + e^-x)`` as one micrograd node, in the style of micrograd's ``relu``."""
    x = v.data
    if x >= 0.0:
        s = 1.0 / (1.0 + _exp(-x))
    else:
        e = _exp(x)
        s = e / (1.0 + e)
    out = Value(s, (v,), "sigmoid")

    def _backward() -> None:
        v.grad += s * (1.0 - s) * out.grad

    out._backward = _backward
    return out


def _backward(out: Value) -> None:
    """``out.backward()`` with a recursion limit deep enough for micrograd's recursive sort."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, RECURSION_LIMIT))
    try:
        out.backward()
    finally:
        sys.setrecursionlimit(previous)


def _start() -> Value:
    return Value(CHAIN_START)


def _chain_backward(state: tuple[Value, Value]) -> Check:
    x, y = state
    _backward(y)
    return Check(y.data, x.grad)


def chain_relu(steps: int) -> Case:
    """``steps`` steps of ``x <- relu(x * 1.0001 + 0.5)``."""

    def forward(x: Value) -> tuple[Value, Value]:
        y = x
        for _ in range(steps):
            y = (y * CHAIN_MUL + CHAIN_ADD).relu()
        return x, y

    return Case(chain_ops(steps), _start, forward, _chain_backward)


def chain_sigmoid(steps: int) -> Case:
    """``steps`` steps of ``x <- sigmoid(x * 1.0001 + 0.5)``."""

    def forward(x: Value) -> tuple[Value, Value]:
        y = x
        for _ in range(steps):
            y = sigmoid(y * CHAIN_MUL + CHAIN_ADD)
        return x, y

    return Case(chain_ops(steps), _start, forward, _chain_backward)


def random_dag(plan: DagPlan) -> Case:
    """The DAG of ``plan``; the gradient summary is the sum of the leaves' gradients."""

    def forward(leaves: list[Value]) -> tuple[list[Value], Value]:
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

    def backward(state: tuple[list[Value], Value]) -> Check:
        leaves, out = state
        _backward(out)
        return Check(out.data, sum(x.grad for x in leaves))

    return Case(plan.ops, lambda: [Value(v) for v in plan.leaves], forward, backward)


def mlp_step(plan: MlpPlan) -> Case:
    """Forward, backward and one SGD step ``p.data -= lr * p.grad`` (micrograd's README loop)."""
    last_layer = len(plan.weights) - 1

    def setup() -> tuple[list[list[list[Value]]], list[list[Value]]]:
        weights = [[[Value(w) for w in row] for row in layer] for layer in plan.weights]
        biases = [[Value(b) for b in layer] for layer in plan.biases]
        return weights, biases

    def forward(params: tuple[Any, Any]) -> tuple[list[Value], Value]:
        weights, biases = params
        total: Any = None
        for x, y in zip(plan.xs, plan.ys, strict=True):
            h: list[Any] = list(x)
            for k, (layer, layer_biases) in enumerate(zip(weights, biases, strict=True)):
                out = []
                for row, s in zip(layer, layer_biases, strict=True):
                    for w, xi in zip(row, h, strict=True):
                        s = s + w * xi
                    out.append(sigmoid(s) if k == last_layer else s.relu())
                h = out
            d = h[0] - y
            total = d * d if total is None else total + d * d
        flat = [p for layer in weights for row in layer for p in row]
        flat += [b for layer in biases for b in layer]
        return flat, total * (1.0 / len(plan.xs))

    def backward(state: tuple[list[Value], Value]) -> Check:
        parameters, loss = state
        _backward(loss)
        lr = plan.lr
        for p in parameters:
            p.data -= lr * p.grad
        return Check(loss.data, sum(p.data for p in parameters))

    return Case(plan.ops, setup, forward, backward)
