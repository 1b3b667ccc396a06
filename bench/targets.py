"""The performance targets minitorch's engine is held to, checked against a suite's results."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["TENSOR_LIMITS", "Target", "evaluate_targets", "evaluate_tensor_targets"]


@dataclass(frozen=True)
class Target:
    """One check: ``value <= limit`` (or ``value < limit`` when ``strict``); None if not measured."""

    name: str
    value: float | None
    limit: float
    unit: str
    strict: bool = False

    @property
    def status(self) -> str:
        if self.value is None or math.isnan(self.value):
            return "SKIP"
        passed = self.value < self.limit if self.strict else self.value <= self.limit
        return "PASS" if passed else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def _workload(results: dict[str, Any], group: str, size: int | None = None) -> dict[str, Any] | None:
    workloads: list[dict[str, Any]] = results["workloads"]
    for w in workloads:
        if w["group"] == group and (size is None or w["size"] == size):
            return w
    return None


def _ratio(w: dict[str, Any] | None, mode: str, other: str) -> float | None:
    if w is None:
        return None
    row = w[mode].get("minitorch", {})
    value = row.get(f"ratio_{other}")
    return None if value is None else float(value)


def evaluate_targets(results: dict[str, Any], large: int, small: int) -> list[Target]:
    """Every target of the suite, with the measured value (None when an engine was missing)."""
    a = _workload(results, "a", large)
    c = _workload(results, "c")
    d = _workload(results, "d")
    named = {"(a) relu chain N=" + f"{large:,}": a, "(c) random DAG": c, "(d) MLP step": d}
    targets: list[Target] = []
    limits_on = {"(a)": 0.40, "(c)": 0.70, "(d)": 0.45}
    for label, w in named.items():
        targets.append(Target(f"gc on: minitorch / micrograd total, {label}",
                              _ratio(w, "gc_on", "micrograd"), limits_on[label[:3]], "x"))
    for label, w in named.items():
        targets.append(Target(f"gc on: minitorch / torch 0-d total, {label}",
                              _ratio(w, "gc_on", "torch"), 0.35, "x"))
    for label, w in named.items():
        targets.append(Target(f"gc off: minitorch / micrograd total, {label}",
                              _ratio(w, "gc_off", "micrograd"), 1.0, "x"))

    objects = results.get("gc_objects_per_op", {})
    micrograd_objects = objects.get("micrograd")
    targets.append(Target(
        f"GC-tracked objects per op, minitorch < micrograd ({micrograd_objects:.2f})"
        if micrograd_objects is not None else "GC-tracked objects per op, minitorch < micrograd",
        objects.get("minitorch"), math.nan if micrograd_objects is None else micrograd_objects,
        "objects/op", strict=True,
    ))
    memory = results.get("memory", {}).get("tracemalloc_bytes_per_op", {})
    targets.append(Target("graph memory of (a), minitorch (tracemalloc)", memory.get("minitorch"),
                          300.0, "bytes/op"))
    chain = results.get("chain_1m")
    if chain is not None:
        # A quick run uses a shorter chain; the limit scales with its length.
        limit = 6.0 * chain["ops"] / 1_000_000
        targets.append(Target(f"minitorch chain of {chain['ops']:,} ops, fwd+bwd, gc on",
                              chain["gc_on"]["seconds"], limit, "s"))
    paired = results.get("scaling", {}).get("minitorch_paired", {})
    ratio = paired.get("gc_on", {}).get("ratio")
    targets.append(Target(f"minitorch per-op time, (a) N={large:,} / N={small:,}, gc on (paired)",
                          ratio, 1.3, "x"))
    return targets


TENSOR_LIMITS = (
    ("mlp", "numpy", 1.2, "NumPy by hand"),
    ("mlp", "torch", 1.5, "torch"),
    ("broadcast", "torch", 2.0, "torch"),
)
"""The tensor targets: (workload group, other engine, limit on minitorch / other, its label)."""


def evaluate_tensor_targets(tensor: dict[str, Any]) -> list[Target]:
    """The tensor suite's targets: minitorch's total time over another engine's, with the GC on."""
    by_group = {w["group"]: w for w in tensor["workloads"]}
    targets = []
    for group, other, limit, label in TENSOR_LIMITS:
        w = by_group.get(group)
        title = w["title"] if w is not None else group
        targets.append(Target(f"gc on: minitorch / {label} total, {title}",
                              _ratio(w, "gc_on", other), limit, "x"))
    return targets
