"""The numbers every engine works on: built once from fixed seeds, shared by all engines.

A plan holds plain floats and indices only, so that each engine's builder turns the same plan into
the same computation, and the engines' outputs can be compared to check that they agree.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from dataclasses import dataclass

__all__ = [
    "CHAIN_ADD", "CHAIN_MUL", "CHAIN_START", "DAG_ADD_SCALE", "DAG_MUL_SHIFT", "ChainPlan",
    "DagPlan", "MlpPlan", "chain_ops", "make_dag_plan", "make_mlp_plan",
]

CHAIN_MUL = 1.0001
"""Each chain step is ``act(x * CHAIN_MUL + CHAIN_ADD)``."""
CHAIN_ADD = 0.5
CHAIN_START = 0.1
"""The chain's input value."""

DAG_ADD_SCALE = 0.5
"""A ``+`` node of the DAG is ``(a + b) * DAG_ADD_SCALE``: the mean of its inputs."""
DAG_MUL_SHIFT = 0.25
"""A ``*`` node of the DAG is ``a * b + DAG_MUL_SHIFT``. With leaves in [0, 0.5] both kinds of node
map [0, 0.5] x [0, 0.5] into [0, 0.5], so values stay bounded (and away from zero after a ``*``)."""


@dataclass(frozen=True)
class ChainPlan:
    """A chain of ``steps`` steps ``x <- act(x * 1.0001 + 0.5)``; three operations per step."""

    steps: int
    activation: str  # "relu" or "sigmoid"

    @property
    def ops(self) -> int:
        return chain_ops(self.steps)


def chain_ops(steps: int) -> int:
    """Operations in a chain of ``steps`` steps (a multiply, an add and an activation each)."""
    return 3 * steps


@dataclass(frozen=True)
class DagPlan:
    """A random DAG: ``len(leaves)`` inputs, then one node per entry of ``nodes``.

    Node ``k`` (index ``len(leaves) + k`` among all values) is ``(is_mul, a, b)``: it combines the
    values at indices ``a`` and ``b`` as ``a * b + 0.25`` or ``(a + b) * 0.5`` (two operations).
    ``a`` is always the oldest value nobody has used yet, so every value feeds a later one or is
    among the last ``outputs`` values; ``b`` is uniform over all earlier values. The output is the
    sum of the last ``outputs`` values (``outputs - 1`` additions).
    """

    leaves: tuple[float, ...]
    nodes: tuple[tuple[bool, int, int], ...]
    outputs: int

    @property
    def ops(self) -> int:
        return 2 * len(self.nodes) + self.outputs - 1


def make_dag_plan(nodes: int, leaves: int = 100, outputs: int = 100, seed: int = 0) -> DagPlan:
    """Draw a DAG whose every value lies on the backward path of the output.

    Raises:
        ValueError: if ``outputs`` is smaller than ``leaves`` (then some value could be left out)
            or larger than the number of values.
    """
    if outputs < leaves or outputs > leaves + nodes:
        raise ValueError(
            f"make_dag_plan: outputs={outputs} must be between leaves={leaves} and "
            f"leaves + nodes={leaves + nodes}"
        )
    rng = random.Random(seed)
    values = [0.5 * rng.random() for _ in range(leaves)]
    used = [False] * leaves
    # Values not used yet, oldest first; entries used meanwhile as a ``b`` are skipped lazily.
    unused: deque[int] = deque(range(leaves))
    plan: list[tuple[bool, int, int]] = []
    for index in range(leaves, leaves + nodes):
        while used[unused[0]]:
            unused.popleft()
        a = unused.popleft()
        b = rng.randrange(index)
        used[a] = used[b] = True
        plan.append((rng.random() < 0.5, a, b))
        used.append(False)
        unused.append(index)
    # The queue never holds more than ``leaves`` entries, all pushed last: the unused values are
    # among the last ``leaves <= outputs`` values, which the output sums.
    total = leaves + nodes
    assert all(used[i] or i >= total - outputs for i in range(total))
    return DagPlan(tuple(values), tuple(plan), outputs)


@dataclass(frozen=True)
class MlpPlan:
    """One SGD step of a scalar MLP with squared loss on a fixed batch.

    ``weights[l][j][i]`` is the weight from input ``i`` to unit ``j`` of layer ``l``; ``biases[l][j]``
    its bias. Hidden layers use ReLU, the output a sigmoid. Each unit computes
    ``s = b; s = s + w_i * h_i`` for each input in order. The loss is
    ``(sum_p (out_p - y_p)^2) * (1 / points)``, with ``d * d`` for the square.
    """

    sizes: tuple[int, ...]
    weights: tuple[tuple[tuple[float, ...], ...], ...]
    biases: tuple[tuple[float, ...], ...]
    xs: tuple[tuple[float, ...], ...]
    ys: tuple[float, ...]
    lr: float

    @property
    def ops(self) -> int:
        per_point = 0
        for fan_in, fan_out in itertools.pairwise(self.sizes):
            per_point += fan_out * (2 * fan_in + 1)  # multiplies, adds, activation
        per_point += 2  # out - y, then d * d
        return len(self.xs) * per_point + (len(self.xs) - 1) + 1  # the sum, the scale

    @property
    def n_parameters(self) -> int:
        return sum(o * (i + 1) for i, o in itertools.pairwise(self.sizes))


def make_mlp_plan(
    sizes: tuple[int, ...] = (2, 16, 16, 1), points: int = 100, lr: float = 0.1, seed: int = 0
) -> MlpPlan:
    """Uniform initial weights in [-1, 1] and ``points`` Xor-labelled points in the unit square."""
    rng = random.Random(seed)
    weights = tuple(
        tuple(tuple(rng.uniform(-1.0, 1.0) for _ in range(fan_in)) for _ in range(fan_out))
        for fan_in, fan_out in itertools.pairwise(sizes)
    )
    biases = tuple(
        tuple(rng.uniform(-1.0, 1.0) for _ in range(fan_out)) for fan_out in sizes[1:]
    )
    xs = tuple(tuple(rng.random() for _ in range(sizes[0])) for _ in range(points))
    ys = tuple(1.0 if (x[0] < 0.5) != (x[-1] < 0.5) else 0.0 for x in xs)
    return MlpPlan(sizes, weights, biases, xs, ys, lr)
