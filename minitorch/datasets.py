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

__all__ = [
    "MIN_POINTS", "Graph", "check_size", "datasets", "make_pts", "simple", "diag", "split", "xor",
    "circle", "spiral",
]

Point = tuple[float, float]


@dataclass
class Graph:
    """A labelled dataset: ``N`` points ``X`` with labels ``y`` (1 or 0)."""

    N: int
    X: list[Point]
    y: list[int]

    def __post_init__(self) -> None:
        if not len(self.X) == len(self.y) == self.N:
            raise ValueError(
                f"Graph: N={self.N!r}, {len(self.X)} points X and {len(self.y)} labels y must agree"
            )


class DatasetFn(Protocol):
    def __call__(self, N: int, rng: random.Random | None = None) -> Graph: ...  # noqa: N803


MIN_POINTS: dict[str, int] = {"Spiral": 2}
"""The smallest ``N`` of the datasets that need more than one point (Spiral: one per arm)."""


def check_size(N: int, where: str = "datasets", minimum: int = 1) -> None:  # noqa: N803 - course name
    """Raise unless ``N`` is an integer (not a bool) of at least ``minimum``, naming ``where``.

    Raises:
        TypeError: if ``N`` is not an integer.
        ValueError: if it is too small.

    Examples:
        >>> check_size(0, "datasets['Xor']")
        Traceback (most recent call last):
        ...
        ValueError: datasets['Xor']: N must be a positive integer, got 0
    """
    if not isinstance(N, int) or isinstance(N, bool):
        raise TypeError(f"{where}: N must be an integer number of points, got {type(N).__name__} {N!r}")
    if minimum > N:
        need = "a positive integer" if minimum == 1 else f"at least {minimum}"
        raise ValueError(f"{where}: N must be {need}, got {N!r}")


def _check_rng(rng: object, where: str) -> None:
    if rng is not None and not isinstance(rng, random.Random):
        raise TypeError(
            f"{where}: rng must be a random.Random or None, got {type(rng).__name__} {rng!r}; "
            "pass random.Random(seed)"
        )


def make_pts(N: int, rng: random.Random | None = None, where: str = "make_pts") -> list[Point]:  # noqa: N803
    """Draw ``N`` points uniformly from the unit square.

    Raises:
        TypeError, ValueError: if ``N`` is not a positive integer or ``rng`` not a ``random.Random``.
    """
    check_size(N, where)
    _check_rng(rng, where)
    draw = (rng or random).random
    return [(draw(), draw()) for _ in range(N)]


def _labelled(name: str, rule: Callable[[float, float], bool]) -> DatasetFn:
    """A dataset of uniform points labelled 1 where ``rule(x1, x2)`` holds."""

    def generate(N: int, rng: random.Random | None = None) -> Graph:  # noqa: N803
        points = make_pts(N, rng, f"datasets[{name!r}]")
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


simple = _labelled('Simple', _simple)
diag = _labelled('Diag', _diag)
split = _labelled('Split', _split)
xor = _labelled('Xor', _xor)
circle = _labelled('Circle', _circle)


def spiral(N: int, rng: random.Random | None = None) -> Graph:  # noqa: N803
    """Two interleaved spiral arms of ``N // 2`` points each, labelled 0 and 1 (deterministic).

    Arm 0 follows ``(t cos t, t sin t) / 20`` for ``t`` from 0 to 10, arm 1 the same curve rotated
    half a turn; both are centred in the unit square. ``rng`` is accepted for a uniform signature.
    An odd ``N`` gives ``N - 1`` points.

    Raises:
        ValueError: if ``N`` is smaller than 2 (each arm needs a point).
    """
    check_size(N, "datasets['Spiral']", MIN_POINTS["Spiral"])
    _check_rng(rng, "datasets['Spiral']")
    half = N // 2
    arm0: list[Point] = []
    arm1: list[Point] = []
    for i in range(half):
        t = 10.0 * i / max(half, 1)
        x, y = t * math.cos(t) / 20.0, t * math.sin(t) / 20.0
        arm0.append((0.5 + x, 0.5 + y))
        arm1.append((0.5 - x, 0.5 - y))
    return Graph(2 * half, arm0 + arm1, [0] * half + [1] * half)


class _Datasets(dict[str, DatasetFn]):
    """The dataset table: an unknown name raises a KeyError listing the names there are."""

    def __missing__(self, name: str) -> DatasetFn:
        raise KeyError(f"datasets: no dataset named {name!r}; choose one of {', '.join(self)}")


datasets: dict[str, DatasetFn] = _Datasets({
    "Simple": simple,
    "Diag": diag,
    "Split": split,
    "Xor": xor,
    "Circle": circle,
    "Spiral": spiral,
})
