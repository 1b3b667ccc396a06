"""What a benchmark case is: untimed setup, a timed forward and a timed backward."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Case", "Check", "NO_GRADIENT", "run_once"]

NO_GRADIENT = math.nan
"""The gradient summary of an engine that computes no gradient (the float floor, ``no_grad``)."""


@dataclass(frozen=True)
class Check:
    """Numbers every engine must agree on for one run of a case.

    Attributes:
        value: the output of the forward pass (the loss, the chain's end, ...).
        gradient: a summary of the derivatives (or of the updated parameters), ``nan`` if none.
    """

    value: float
    gradient: float


@dataclass(frozen=True)
class Case:
    """One workload on one engine.

    Attributes:
        ops: the number of workload operations (the same for every engine of a workload).
        setup: untimed; makes fresh inputs (leaves or parameters) for one run.
        forward: timed; builds the graph from the inputs and returns what ``backward`` needs.
        backward: timed; runs the backward pass (and, for training, the update) and returns the
            numbers to compare across engines. For engines without autodiff it only reads them.
            With ``check`` set, it returns what ``check`` needs instead.
        graph_nodes: optional, untimed; counts the computed nodes of the graph ``forward`` built.
        check: optional, untimed; turns what ``backward`` returned into the :class:`Check`. The
            tensor workloads use it: summarising large gradients (copying them to NumPy, a dot
            product) is not part of the backward pass and would shrink every ratio towards 1.
    """

    ops: int
    setup: Callable[[], Any]
    forward: Callable[[Any], Any]
    backward: Callable[[Any], Any]
    graph_nodes: Callable[[Any], int] | None = None
    check: Callable[[Any], Check] | None = None

    def checked(self, result: Any) -> Check:
        """The :class:`Check` of a run whose ``backward`` returned ``result``."""
        if self.check is None:
            checked: Check = result
            return checked
        return self.check(result)


def run_once(case: Case) -> Check:
    """Run a case once, untimed: setup, forward, backward (a smoke test of a builder)."""
    return case.checked(case.backward(case.forward(case.setup())))
