"""Measurements other than time per operation: GC-tracked objects, graph memory, the long chain."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import statistics
import tracemalloc

from .cases import Case
from .timing import GC_MODES, measure

__all__ = [
    "chain_seconds", "gc_objects_per_op", "paired_per_op_ratio", "rss_bytes_per_op",
    "tracemalloc_bytes_per_op",
]


def gc_objects_per_op(case: Case) -> float:
    """GC-tracked objects that the forward pass leaves alive (the graph), per operation.

    Counts ``len(gc.get_objects())`` before and after the forward pass with the collector
    disabled, so nothing is collected (or untracked) in between.
    """
    inputs = case.setup()
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        state = case.forward(inputs)
        after = len(gc.get_objects())
    finally:
        gc.enable()
    del state, inputs
    gc.collect()
    return (after - before) / case.ops


def tracemalloc_bytes_per_op(case: Case) -> float:
    """Bytes that the graph of the forward pass holds, per operation, as ``tracemalloc`` sees them.

    ``tracemalloc`` sees every allocation made through Python's allocators, which is all of a
    pure-Python engine's memory; PyTorch's C++ graph is allocated elsewhere and is not seen (see
    :func:`rss_bytes_per_op` for a rough figure that includes it).
    """
    inputs = case.setup()
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        state = case.forward(inputs)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
    del state, inputs
    gc.collect()
    return (after - before) / case.ops


def _rss_bytes() -> int | None:
    """The resident set size of this process from ``/proc/self/statm`` (None elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _release_free_memory() -> None:
    """Ask glibc's malloc to return its free pages to the system (no-op elsewhere).

    Without it, memory freed by earlier runs stays resident and is reused silently, so a new
    graph would seem to cost nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def rss_bytes_per_op(case: Case) -> float:
    """Growth of the resident set size while the forward pass builds the graph, per operation.

    Rough: free memory is handed back to the system first (``malloc_trim``), but allocators still
    round up and reuse what they hold; unlike ``tracemalloc`` it includes memory allocated outside
    Python's allocators (PyTorch's C++ graph). ``nan`` where ``/proc`` is not available.
    """
    inputs = case.setup()
    gc.collect()
    _release_free_memory()
    gc.disable()
    try:
        before = _rss_bytes()
        state = case.forward(inputs)
        after = _rss_bytes()
    finally:
        gc.enable()
    del state, inputs
    gc.collect()
    if before is None or after is None:
        return float("nan")
    return (after - before) / case.ops


def chain_seconds(
    case: Case, floor: Case | None, repeats: int
) -> dict[str, dict[str, float | list[float]]]:
    """Forward plus backward seconds of ``case`` in both GC modes (median and every sample).

    ``floor`` (the same chain on plain floats) is timed in the same rounds, so that a reader can
    tell a slow machine from a slow engine: an absolute time has no partner to cancel the noise.
    """
    samples: dict[str, list[tuple[float, float]]] = {mode: [] for mode in GC_MODES}
    floor_samples: dict[str, list[float]] = {mode: [] for mode in GC_MODES}
    for r in range(repeats):
        for mode in GC_MODES if r % 2 == 0 else GC_MODES[::-1]:
            sample, _ = measure(case, gc_off=mode == "gc_off")
            samples[mode].append((sample.forward_ns * 1e-9, sample.backward_ns * 1e-9))
            if floor is not None:
                floor_sample, _ = measure(floor, gc_off=mode == "gc_off")
                floor_samples[mode].append(floor_sample.total_ns * 1e-9)
    return {
        mode: {
            "seconds": statistics.median(f + b for f, b in pairs),
            "forward_seconds": statistics.median(f for f, _ in pairs),
            "backward_seconds": statistics.median(b for _, b in pairs),
            "samples_seconds": [f + b for f, b in pairs],
            "floor_seconds": (
                statistics.median(floor_samples[mode]) if floor_samples[mode] else float("nan")
            ),
        }
        for mode, pairs in samples.items()
    }


def paired_per_op_ratio(
    small: Case, large: Case, repeats: int
) -> dict[str, dict[str, float | list[float]]]:
    """Per-op time of ``large`` over per-op time of ``small``, both timed in the same round.

    The two sizes run back to back (in alternating order) in each round and GC mode, and the
    result is the median of the per-round ratios: unlike a ratio of two medians taken minutes
    apart, it does not move when the machine gets busier between the two.
    """
    ratios: dict[str, list[float]] = {mode: [] for mode in GC_MODES}
    for r in range(repeats):
        for mode in GC_MODES if r % 2 == 0 else GC_MODES[::-1]:
            pair = (small, large) if r % 2 == 0 else (large, small)
            times = {id(case): measure(case, gc_off=mode == "gc_off")[0].total_ns for case in pair}
            ratios[mode].append(
                (times[id(large)] / large.ops) / (times[id(small)] / small.ops)
            )
    return {
        mode: {"ratio": statistics.median(values), "samples": values}
        for mode, values in ratios.items()
    }
