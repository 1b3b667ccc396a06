"""The arrays every tensor engine works on: drawn once from fixed seeds, shared by all engines.

A plan holds float64 NumPy arrays only; each engine turns the same plan into the same computation
(its own tensors are made from copies in the untimed setup), so the engines' losses and gradients
can be compared. Gradients are compared through one number, their projection on fixed random
directions (:func:`gradient_summary`): a transposed, mis-scaled or mis-summed gradient moves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .cases import Check

__all__ = [
    "TINY_ADD", "TINY_MUL", "BroadcastPlan", "MlpTensorPlan", "TinyChainPlan", "gradient_check",
    "gradient_summary",
    "make_broadcast_plan", "make_mlp_tensor_plan", "make_tiny_chain_plan",
]

Array = NDArray[np.float64]

TINY_MUL = 1.0001
"""Each step of the tiny chain is ``relu(x * TINY_MUL + TINY_ADD)``, elementwise on (2, 2) tensors
(the constants are (2, 2) tensors too, so that every engine runs tensor-tensor operations)."""
TINY_ADD = 0.5


def gradient_summary(gradients: Sequence[Array], probes: Sequence[Array]) -> float:
    """``sum_k <gradients[k], probes[k]>``: one number that every engine's gradients must agree on.

    Raises:
        ValueError: if a gradient's shape differs from its probe's (an engine returned a gradient of
            the wrong shape, for example one not summed back over a broadcast dimension).
    """
    total = 0.0
    for k, (gradient, probe) in enumerate(zip(gradients, probes, strict=True)):
        if gradient.shape != probe.shape:
            raise ValueError(
                f"gradient_summary: gradient {k} has shape {gradient.shape}, its input has shape "
                f"{probe.shape}; a gradient must have its input's shape"
            )
        total += float(np.vdot(gradient, probe))
    return total


def gradient_check(
    probes: Sequence[Array],
) -> Callable[[tuple[float, Sequence[Array]]], Check]:
    """A ``Case.check`` for a backward pass that returns ``(loss, gradients as NumPy arrays)``."""

    def check(result: tuple[float, Sequence[Array]]) -> Check:
        loss, gradients = result
        return Check(loss, gradient_summary(gradients, probes))

    return check


def _probes(rng: np.random.Generator, arrays: Sequence[Array]) -> tuple[Array, ...]:
    return tuple(rng.standard_normal(a.shape) for a in arrays)


@dataclass(frozen=True)
class MlpTensorPlan:
    """One forward and backward pass of an MLP ``sizes[0]-sizes[1]-sizes[2]`` on a batch.

    ``hidden = relu(x @ w1 + b1)``, ``out = hidden @ w2 + b2`` and the loss is the mean squared
    error ``mean((out - y) ** 2)`` (written ``d * d``) over every entry of ``out``. ``x`` and ``y``
    are constants; the gradients are those of ``w1, b1, w2, b2`` (``parameters``, in that order).
    """

    sizes: tuple[int, int, int]
    x: Array
    y: Array
    w1: Array
    b1: Array
    w2: Array
    b2: Array
    probes: tuple[Array, ...]

    @property
    def batch(self) -> int:
        return int(self.x.shape[0])

    @property
    def parameters(self) -> tuple[Array, Array, Array, Array]:
        return self.w1, self.b1, self.w2, self.b2

    @property
    def label(self) -> str:
        return "-".join(map(str, self.sizes)) + f", batch {self.batch}"


def make_mlp_tensor_plan(
    sizes: tuple[int, int, int] = (784, 256, 10), batch: int = 256, seed: int = 0
) -> MlpTensorPlan:
    """Inputs in [0, 1) (like pixel intensities), He-scaled weights, small biases, targets N(0, 1)."""
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    x = rng.random((batch, n_in))
    y = rng.standard_normal((batch, n_out))
    w1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2.0 / n_in)
    b1 = rng.uniform(-0.1, 0.1, n_hidden)
    w2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(2.0 / n_hidden)
    b2 = rng.uniform(-0.1, 0.1, n_out)
    probes = _probes(rng, (w1, b1, w2, b2))
    return MlpTensorPlan(sizes, x, y, w1, b1, w2, b2, probes)


@dataclass(frozen=True)
class BroadcastPlan:
    """``loss = sigmoid(a * b).sum(2).sum(1).sum()`` with ``a`` (n, 1, k) and ``b`` (1, m, k).

    The product broadcasts to (n, m, k); the backward pass must sum ``a``'s gradient over the m
    axis and ``b``'s over the n axis to give each input its own shape.
    """

    a: Array
    b: Array
    probes: tuple[Array, ...]

    @property
    def elements(self) -> int:
        """The size of the broadcast product, (n, m, k)."""
        return int(self.a.shape[0] * self.b.shape[1] * self.a.shape[2])

    @property
    def label(self) -> str:
        return f"{self.a.shape} * {self.b.shape}"


def make_broadcast_plan(n: int = 256, m: int = 128, k: int = 64, seed: int = 1) -> BroadcastPlan:
    """``a`` and ``b`` with entries N(0, 1)."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, 1, k))
    b = rng.standard_normal((1, m, k))
    return BroadcastPlan(a, b, _probes(rng, (a, b)))


@dataclass(frozen=True)
class TinyChainPlan:
    """``steps`` steps of ``x <- relu(x * mul + add)`` on (2, 2) tensors, then ``x.sum()``.

    ``mul`` and ``add`` are constant (2, 2) tensors filled with :data:`TINY_MUL` and
    :data:`TINY_ADD`. Three operations per step plus the final sum: the per-operation overhead of
    an engine, since the arithmetic on four numbers costs next to nothing.
    """

    steps: int
    start: Array
    probes: tuple[Array, ...]

    @property
    def ops(self) -> int:
        return 3 * self.steps + 1


def make_tiny_chain_plan(steps: int, seed: int = 2) -> TinyChainPlan:
    """A (2, 2) start in [0, 1)."""
    rng = np.random.default_rng(seed)
    start = rng.random((2, 2))
    return TinyChainPlan(steps, start, _probes(rng, (start,)))
