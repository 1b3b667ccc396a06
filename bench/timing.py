"""Timing: one run of a case with the garbage collector on or off, and interleaved repeats.

Every run starts from a collected heap (``gc.collect()`` before the timed region resets the
collector's generation counts) and the graph is released and collected after it, untimed, so that
no engine pays for another engine's garbage. With ``gc_off`` the collector is disabled around the
timed region only (``gc.disable()``, then ``gc.enable()`` and ``gc.collect()`` after).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .cases import Case, Check

__all__ = ["GC_MODES", "Sample", "Series", "WorkloadRun", "measure", "run_interleaved"]

GC_MODES = ("gc_on", "gc_off")
"""``gc_on``: the collector runs as it does for any user; ``gc_off``: disabled while timing."""


@dataclass(frozen=True)
class Sample:
    """The forward and backward time of one run, in nanoseconds.

    ``cpu_ns`` is the CPU time of the process over both passes (``time.process_time_ns``): on a
    machine shared with other work, time spent waiting for a core counts in the wall-clock times
    but not here. Every engine runs on one thread, so for a busy engine the two agree.
    """

    forward_ns: int
    backward_ns: int
    cpu_ns: int = 0

    @property
    def total_ns(self) -> int:
        return self.forward_ns + self.backward_ns


def measure(case: Case, gc_off: bool) -> tuple[Sample, Check]:
    """Run ``case`` once (setup untimed) and time its forward and backward passes."""
    inputs = case.setup()
    gc.collect()
    clock = time.perf_counter_ns
    cpu_clock = time.process_time_ns
    if gc_off:
        gc.disable()
    try:
        c0 = cpu_clock()
        t0 = clock()
        state = case.forward(inputs)
        t1 = clock()
        result = case.backward(state)
        t2 = clock()
        c2 = cpu_clock()
    finally:
        if gc_off:
            gc.enable()
    check = case.checked(result)
    del state, inputs, result
    gc.collect()
    return Sample(t1 - t0, t2 - t1, c2 - c0), check


@dataclass
class Series:
    """The samples of one engine on one workload in one GC mode; entry ``r`` is repeat ``r``."""

    samples: list[Sample] = field(default_factory=list)

    def median_us_per_op(self, ops: int) -> tuple[float, float, float]:
        """Median forward, backward and total time per operation, in microseconds."""
        scale = 1e-3 / ops
        return (
            statistics.median(s.forward_ns for s in self.samples) * scale,
            statistics.median(s.backward_ns for s in self.samples) * scale,
            statistics.median(s.total_ns for s in self.samples) * scale,
        )

    def median_cpu_us_per_op(self, ops: int) -> float:
        """Median CPU time (forward plus backward) per operation, in microseconds."""
        return statistics.median(s.cpu_ns for s in self.samples) * 1e-3 / ops

    def ratio_to(self, other: Series, cpu: bool = False) -> float:
        """The median over repeats of ``total(self) / total(other)`` within the same repeat
        (of their CPU times with ``cpu``)."""
        ratios = [
            a.cpu_ns / b.cpu_ns if cpu else a.total_ns / b.total_ns
            for a, b in zip(self.samples, other.samples, strict=True)
            if (b.cpu_ns if cpu else b.total_ns) > 0
        ]
        return statistics.median(ratios) if ratios else float("nan")


@dataclass
class WorkloadRun:
    """Everything measured on one workload: warm-up checks and the series per GC mode and engine."""

    ops: int
    checks: dict[str, Check]
    series: dict[str, dict[str, Series]]


def run_interleaved(
    cases: dict[str, Case],
    repeats: int,
    progress: Callable[[str], None] | None = None,
) -> WorkloadRun:
    """Warm every engine up once, then time ``repeats`` rounds of every engine in both GC modes.

    Within a round the engines run one after the other, in an order rotated from round to round
    (and the two GC modes alternate which goes first), so slow drifts of the machine hit every
    engine alike and ratios can be taken within a round.

    Raises:
        ValueError: if the cases disagree on the number of operations.
    """
    engines = list(cases)
    ops = {case.ops for case in cases.values()}
    if len(ops) != 1:
        raise ValueError(f"run_interleaved: the engines count different operations: {ops}")
    # The warm-up runs with the collector off: it is only there to warm caches and allocator
    # arenas and to record the numbers the engines must agree on, and it is much cheaper so.
    checks = {engine: measure(cases[engine], gc_off=True)[1] for engine in engines}
    # An engine's first run can import more of its library (PyTorch loads parts of itself lazily):
    # freeze what the warm-up left, as the suite froze what the imports left, so that no engine's
    # full collections walk another library's modules.
    gc.collect()
    gc.freeze()
    series = {mode: {engine: Series() for engine in engines} for mode in GC_MODES}
    for r in range(repeats):
        modes = GC_MODES if r % 2 == 0 else GC_MODES[::-1]
        order = engines[r % len(engines) :] + engines[: r % len(engines)]
        for mode in modes:
            for engine in order:
                sample, _ = measure(cases[engine], gc_off=mode == "gc_off")
                series[mode][engine].samples.append(sample)
        if progress is not None:
            progress(f"repeat {r + 1}/{repeats}")
    return WorkloadRun(ops.pop(), checks, series)
