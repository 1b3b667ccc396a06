"""The workloads on minitorch's ``Scalar`` (the engine under test).

Every builder uses the public API only: ``Scalar`` and its operators, ``backward``, ``Parameter``,
``SGD``, ``no_grad`` and, for the training epoch, ``minitorch.train``.
"""

from __future__ import annotations

import random
from typing import Any

import minitorch
from minitorch import SGD, Module, Scalar

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

__all__ = [
    "NAME", "chain_relu", "chain_sigmoid", "chain_relu_no_grad", "mlp_forward_no_grad",
    "mlp_step", "random_dag", "train_epoch",
]

NAME = "minitorch"


def _computed_nodes(out: Scalar) -> int:
    """The computed (non-leaf) nodes of the graph below ``out``: the operations it recorded."""
    return sum(1 for v in minitorch.topological_sort(out) if not v.is_leaf())


# ## (a), (b): chains


def chain_relu(steps: int) -> Case:
    """``steps`` steps of ``x <- relu(x * 1.0001 + 0.5)``."""

    def forward(x: Scalar) -> tuple[Scalar, Scalar]:
        y = x
        for _ in range(steps):
            y = (y * CHAIN_MUL + CHAIN_ADD).relu()
        return x, y

    return Case(chain_ops(steps), _leaf, forward, _chain_backward, _chain_nodes)


def chain_sigmoid(steps: int) -> Case:
    """``steps`` steps of ``x <- sigmoid(x * 1.0001 + 0.5)``."""

    def forward(x: Scalar) -> tuple[Scalar, Scalar]:
        y = x
        for _ in range(steps):
            y = (y * CHAIN_MUL + CHAIN_ADD).sigmoid()
        return x, y

    return Case(chain_ops(steps), _leaf, forward, _chain_backward, _chain_nodes)


def chain_relu_no_grad(steps: int) -> Case:
    """The relu chain's forward pass inside ``minitorch.no_grad()`` (inference: no graph)."""

    def forward(x: Scalar) -> tuple[Scalar, Scalar]:
        with minitorch.no_grad():
            y = x
            for _ in range(steps):
                y = (y * CHAIN_MUL + CHAIN_ADD).relu()
        return x, y

    return Case(chain_ops(steps), _leaf, forward, _value_only)


def _leaf() -> Scalar:
    return Scalar(CHAIN_START)


def _chain_backward(state: tuple[Scalar, Scalar]) -> Check:
    x, y = state
    y.backward()
    return Check(y.data, x.derivative)


def _chain_nodes(state: tuple[Scalar, Scalar]) -> int:
    return _computed_nodes(state[1])


def _value_only(state: tuple[Any, Scalar]) -> Check:
    return Check(state[1].data, NO_GRADIENT)


# ## (c): random DAG


def random_dag(plan: DagPlan) -> Case:
    """The DAG of ``plan``; the gradient summary is the sum of the leaves' derivatives."""

    def setup() -> list[Scalar]:
        return [Scalar(v) for v in plan.leaves]

    def forward(leaves: list[Scalar]) -> tuple[list[Scalar], Scalar]:
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

    def backward(state: tuple[list[Scalar], Scalar]) -> Check:
        leaves, out = state
        out.backward()
        return Check(out.data, sum(x.derivative for x in leaves))

    return Case(plan.ops, setup, forward, backward, lambda state: _computed_nodes(state[1]))


# ## (d): one SGD step of an MLP


class _Mlp(Module):
    """The plan's MLP as a minitorch Module: one Parameter per weight and bias."""

    def __init__(self, plan: MlpPlan) -> None:
        super().__init__()
        self.weights = [
            [[self.add_parameter(f"w{k}_{j}_{i}", Scalar(w)) for i, w in enumerate(row)]
             for j, row in enumerate(layer)]
            for k, layer in enumerate(plan.weights)
        ]
        self.biases = [
            [self.add_parameter(f"b{k}_{j}", Scalar(b)) for j, b in enumerate(layer)]
            for k, layer in enumerate(plan.biases)
        ]

    def forward(self, x: tuple[float, ...]) -> Scalar:
        h: list[Any] = list(x)
        last = len(self.weights) - 1
        for k, (layer, biases) in enumerate(zip(self.weights, self.biases, strict=True)):
            out = []
            for row, bias in zip(layer, biases, strict=True):
                s = bias.value
                for w, xi in zip(row, h, strict=True):
                    s = s + w.value * xi
                out.append(s.sigmoid() if k == last else s.relu())
            h = out
        result: Scalar = h[0]
        return result


def _mlp_loss(model: _Mlp, plan: MlpPlan) -> Scalar:
    total: Any = None
    for x, y in zip(plan.xs, plan.ys, strict=True):
        d = model.forward(x) - y
        total = d * d if total is None else total + d * d
    loss: Scalar = total * (1.0 / len(plan.xs))
    return loss


def mlp_step(plan: MlpPlan) -> Case:
    """Forward, backward and one ``SGD`` step; the gradient summary is the sum of the new weights."""

    def setup() -> tuple[_Mlp, SGD]:
        model = _Mlp(plan)
        return model, SGD(model.parameters(), lr=plan.lr)

    def forward(state: tuple[_Mlp, SGD]) -> tuple[_Mlp, SGD, Scalar]:
        model, optimizer = state
        optimizer.zero_grad()
        return model, optimizer, _mlp_loss(model, plan)

    def backward(state: tuple[_Mlp, SGD, Scalar]) -> Check:
        model, optimizer, loss = state
        loss.backward()
        optimizer.step()
        return Check(loss.data, sum(p.value.data for p in model.parameters()))

    return Case(plan.ops, setup, forward, backward, lambda state: _computed_nodes(state[2]))


def mlp_forward_no_grad(plan: MlpPlan) -> Case:
    """The MLP's loss inside ``minitorch.no_grad()`` (inference: no graph, no backward)."""

    def forward(model: _Mlp) -> tuple[None, Scalar]:
        with minitorch.no_grad():
            return None, _mlp_loss(model, plan)

    return Case(plan.ops, lambda: _Mlp(plan), forward, _value_only)


# ## (e): one epoch of ``minitorch train``


def train_epoch(seed: int = 0) -> Case:
    """One epoch of ``minitorch train`` with its defaults (``TrainConfig()``).

    Mirrors ``minitorch.train.train``'s loop: ``zero_grad``; the mean log-loss over every point
    (each point's coordinates are leaf Scalars, as in the course); ``backward``; ``step``. The data
    and initial weights come from seeded generators of the same sizes as the defaults.
    The operation count is the number of computed nodes of the graph (``ops`` is filled by
    :func:`train_epoch_ops`).
    """
    from minitorch.train import Network, TrainConfig, log_loss

    config = TrainConfig()
    data = minitorch.datasets[config.dataset](config.points, rng=random.Random(seed))

    def setup() -> tuple[Network, SGD]:
        model = Network(config.hidden, random.Random(seed + 1))
        return model, SGD(model.parameters(), lr=config.learning_rate)

    def forward(state: tuple[Network, SGD]) -> tuple[Network, SGD, Scalar]:
        model, optimizer = state
        optimizer.zero_grad()
        total: Any = 0.0
        for (x1, x2), y in zip(data.X, data.y, strict=True):
            out = model.forward((Scalar(x1), Scalar(x2)))
            total = log_loss(out, y) + total
        return model, optimizer, total / float(len(data.X))

    def backward(state: tuple[Network, SGD, Scalar]) -> Check:
        model, optimizer, loss = state
        loss.backward()
        optimizer.step()
        return Check(loss.data, sum(p.value.data for p in model.parameters()))

    def nodes(state: tuple[Network, SGD, Scalar]) -> int:
        return _computed_nodes(state[2])

    probe = forward(setup())
    return Case(nodes(probe), setup, forward, backward, nodes)


def train_epoch_weights(seed: int = 0) -> tuple[list[tuple[float, float]], list[int], Any, float]:
    """The data, the initial weights (as floats) and the learning rate of :func:`train_epoch`.

    Returns ``(X, y, layers, lr)`` where ``layers`` is a list of ``(weights[in][out], bias[out])``
    per layer of the network, for the float floor to replay the same epoch.
    """
    from minitorch.train import Network, TrainConfig

    config = TrainConfig()
    data = minitorch.datasets[config.dataset](config.points, rng=random.Random(seed))
    model = Network(config.hidden, random.Random(seed + 1))
    layers = [
        (
            [[w.value.data for w in row] for row in layer.weights],
            [b.value.data for b in layer.bias],
        )
        for layer in (model.layer1, model.layer2, model.layer3)
    ]
    return list(data.X), list(data.y), layers, config.learning_rate
