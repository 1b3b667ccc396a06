"""The course's toy datasets: points in the unit square with 0/1 labels.

``datasets[name](N)`` returns a :class:`Graph` with ``N`` points. Each generator takes an optional
``random.Random`` so that runs can be reproduced; without it the global ``random`` module is used,
as in the course.

Examples:
    >>> import random
    >>> data = datasets["Xor"](4, rng=random.Random(0))
    >>> data.N, len(data.X), set(data.y) <= {0, 1}
    (4, 4, True)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Graph", "datasets", "make_pts", "simple", "diag", "split", "xor", "circle", "spiral"]

Point = tuple[float, float]


@dataclass
class Graph:
    """A labelled dataset: ``N`` points ``X`` with labels ``y`` (1 or 0)."""

    N: int
    X: list[Point]
    y: list[int]


class DatasetFn(Protocol):
    def __call__(self, N: int, rng: random.Random | None = None) -> Graph: ...  # noqa: N803


def _check_size(N: int) -> None:  # noqa: N803 - the course's name
    if not isinstance(N, int) or isinstance(N, bool) or N < 1:
        raise ValueError(f"datasets: N must be a positive integer, got {N!r}")


def make_pts(N: int, rng: random.Random | None = None) -> list[Point]:  # noqa: N803
    """Draw ``N`` points uniformly from the unit square."""
    _check_size(N)
    draw = (rng or random).random
    return [(draw(), draw()) for _ in range(N)]


def _labelled(rule: Callable[[float, float], bool]) -> DatasetFn:
    """A dataset of uniform points labelled 1 where ``rule(x1, x2)`` holds."""

    def generate(N: int, rng: random.Random | None = None) -> Graph:  # noqa: N803
        points = make_pts(N, rng)
        return Graph(N, points, [int(rule(x1, x2)) for x1, x2 in points])

    generate.__doc__ = rule.__doc__
    return generate


def _simple(x1: float, x2: float) -> bool:
    """Label 1 on the left half of the square (``x1 < 0.5``)."""
    return x1 < 0.5


def _diag(x1: float, x2: float) -> bool:
    """Label 1 below the anti-diagonal line ``x1 + x2 = 0.5``."""
    return x1 + x2 < 0.5


def _split(x1: float, x2: float) -> bool:
    """Label 1 in the two outer vertical bands (``x1 < 0.2`` or ``x1 > 0.8``)."""
    return x1 < 0.2 or x1 > 0.8


def _xor(x1: float, x2: float) -> bool:
    """Label 1 in the top-left and bottom-right quadrants."""
    return (x1 < 0.5) != (x2 < 0.5)


def _circle(x1: float, x2: float) -> bool:
    """Label 1 outside the circle of squared radius 0.1 around the centre."""
    return (x1 - 0.5) ** 2 + (x2 - 0.5) ** 2 > 0.1


simple = _labelled(_simple)
diag = _labelled(_diag)
split = _labelled(_split)
xor = _labelled(_xor)
circle = _labelled(_circle)


def spiral(N: int, rng: random.Random | None = None) -> Graph:  # noqa: N803
    """Two interleaved spiral arms of ``N // 2`` points each, labelled 0 and 1 (deterministic).

    Arm 0 follows ``(t cos t, t sin t) / 20`` for ``t`` from 0 to 10, arm 1 the same curve rotated
    half a turn; both are centred in the unit square. ``rng`` is accepted for a uniform signature.
    """
    _check_size(N)
    half = N // 2
    arm0: list[Point] = []
    arm1: list[Point] = []
    for i in range(half):
        t = 10.0 * i / max(half, 1)
        x, y = t * math.cos(t) / 20.0, t * math.sin(t) / 20.0
        arm0.append((0.5 + x, 0.5 + y))
        arm1.append((0.5 - x, 0.5 - y))
    return Graph(2 * half, arm0 + arm1, [0] * half + [1] * half)


datasets: dict[str, DatasetFn] = {
    "Simple": simple,
    "Diag": diag,
    "Split": split,
    "Xor": xor,
    "Circle": circle,
    "Spiral": spiral,
}
