"""Run a test under each backpropagation loop: the one specialised to Scalars, and the generic one.

``backpropagate`` hands graphs of plain Scalars to :mod:`minitorch.scalar_backprop`; everything
else takes the generic loop that goes through the ``Variable`` protocol. Tests parametrized with
``ENGINES`` run their body inside ``engine(name)`` so that both loops are checked, not only the one
a Scalar graph would take.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from minitorch import autodiff

__all__ = ["ENGINES", "engine"]

ENGINES = ["scalar", "generic"]
"""The two loops: ``"scalar"`` (what ``Scalar.backward`` uses) and ``"generic"``."""


@contextmanager
def engine(name: str) -> Iterator[None]:
    """Inside the block, ``backpropagate`` uses the loop called ``name`` (one of ``ENGINES``)."""
    if name not in ENGINES:
        raise ValueError(f"engine: unknown loop {name!r}; choose one of {ENGINES}")
    saved = dict(autodiff._specialised_backprop)
    if name == "generic":
        autodiff._specialised_backprop.clear()
    try:
        yield
    finally:
        autodiff._specialised_backprop.clear()
        autodiff._specialised_backprop.update(saved)
