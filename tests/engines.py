"""Run a test under each engine: with the speed layer on (``minitorch.fast``) and with it off.

``ENGINES`` names them: ``"fast"`` (packed Scalars, the loop specialised to them) and
``"reference"`` (the engine a student reads). Tests parametrized with ``ENGINES`` run their body
inside ``engine(name)``. In the student copy, which has no ``minitorch/fast``, ``"fast"`` is skipped.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import minitorch

# None in the student copy, which leaves the speed layer out (``import minitorch`` imports it if present).
fast = getattr(minitorch, "fast", None)

__all__ = ["ENGINES", "engine"]

ENGINES = ["fast", "reference"]
"""The two engines: ``"fast"`` (the speed layer on, as after ``import minitorch``) and ``"reference"``."""


@contextmanager
def engine(name: str) -> Iterator[None]:
    """Inside the block, the engine called ``name`` (one of ``ENGINES``) runs."""
    if name not in ENGINES:
        raise ValueError(f"engine: unknown engine {name!r}; choose one of {ENGINES}")
    if fast is None:
        if name == "fast":
            pytest.skip("the speed layer minitorch/fast is not in this copy")
        yield
        return
    with fast.using(name == "fast"):
        yield
