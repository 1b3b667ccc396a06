"""Trace levels: what lets the functional API nest (``grad(grad(f))``) and run forward mode.

Every transformation (``grad``, ``jvp``, ...) takes a fresh level from :func:`new_level`, larger than
every level before it, and wraps its inputs in Scalars of that level. A Scalar's ``data`` is then a
float or a Scalar of a lower level; ``apply`` unwraps only the inputs of the highest level, so each
trace records its own graph and sees the others' Scalars as constants. Level 0 is the ordinary,
untraced world of the course.

A forward-mode trace (``jvp``) also registers a tangent table here: ``apply`` looks up each
variable input's tangent in it and stores the output's tangent, computed from the function's local
derivatives (its ``backward`` with ``d_output = 1``).

Module state: the level counter (process-wide, owned by this module: levels are never reused) and
the table of open forward-mode traces (per thread, in :data:`minitorch.grad_mode.mode`). Scalars
that escape a finished trace and are mixed into a later one are undefined, as in HIPS autograd.

Examples:
    >>> a, b = new_level(), new_level()
    >>> b > a > 0
    True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .grad_mode import mode

__all__ = ["new_level", "tangent_table", "forward_trace"]

_levels = itertools.count(1)


def new_level() -> int:
    """A fresh trace level, larger than every level handed out before."""
    return next(_levels)


def tangent_table(level: int) -> dict[int, Any] | None:
    """The tangents of the forward-mode trace open at ``level`` in this thread, or ``None``."""
    return mode.forward_tangents.get(level)


@contextmanager
def forward_trace(level: int) -> Iterator[dict[int, Any]]:
    """Open a forward-mode trace at ``level`` and yield its tangent table; close it on exit."""
    table: dict[int, Any] = {}
    mode.forward_tangents[level] = table
    try:
        yield table
    finally:
        del mode.forward_tangents[level]
