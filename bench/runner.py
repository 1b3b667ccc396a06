"""Running workloads: interleaved timing on every engine, the agreement check, medians and ratios.

Shared by the scalar suite (:mod:`bench.suite`) and the tensor suite (:mod:`bench.tensor_suite`).
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .cases import Case, Check
from .timing import GC_MODES, WorkloadRun, run_interleaved

__all__ = ["Builder", "Workload", "agreement", "each_engine", "run_workloads", "summarize"]

Builder = Callable[[dict[str, ModuleType]], dict[str, Case]]


@dataclass(frozen=True)
class Workload:
    """One row group of the table: a workload at one size, built for every available engine."""

    key: str
    group: str
    title: str
    size: int
    build: Builder


def each_engine(function: str, *args: Any) -> Builder:
    """Build ``engine_module.function(*args)`` for every engine module that defines it."""

    def build(engines: dict[str, ModuleType]) -> dict[str, Case]:
        return {
            name: getattr(module, function)(*args)
            for name, module in engines.items()
            if hasattr(module, function)
        }

    return build


def agreement(checks: dict[str, Check]) -> dict[str, Any]:
    """Whether every engine computed the same value and gradient summary as the first one."""
    reference_engine = next(iter(checks))
    reference = checks[reference_engine]
    disagree = []
    for engine, check in checks.items():
        for field in ("value", "gradient"):
            mine, theirs = float(getattr(check, field)), float(getattr(reference, field))
            if math.isnan(mine) or math.isnan(theirs):
                continue
            if not math.isclose(mine, theirs, rel_tol=1e-6, abs_tol=1e-9):
                disagree.append(f"{engine}.{field}={mine!r} vs {reference_engine}.{field}={theirs!r}")
    return {"agree": not disagree, "disagreements": disagree}


def summarize(
    run: WorkloadRun, ratio_engines: tuple[str, ...], cpu: bool = False
) -> dict[str, Any]:
    """Medians per operation and pairwise ratios to each of ``ratio_engines``, per GC mode and engine.

    With ``cpu``, the CPU-time median and CPU-time ratios (``cpu_ratio_<engine>``) are added.
    """
    out: dict[str, Any] = {}
    for mode in GC_MODES:
        engines = run.series[mode]
        table: dict[str, Any] = {}
        for engine, series in engines.items():
            fwd, bwd, total = series.median_us_per_op(run.ops)
            row: dict[str, Any] = {
                "fwd_us_per_op": fwd,
                "bwd_us_per_op": bwd,
                "total_us_per_op": total,
                "total_seconds": total * run.ops * 1e-6,
            }
            for other in ratio_engines:
                if other in engines:
                    row[f"ratio_{other}"] = series.ratio_to(engines[other])
            if cpu:
                row["cpu_total_us_per_op"] = series.median_cpu_us_per_op(run.ops)
                for other in ratio_engines:
                    if other in engines:
                        row[f"cpu_ratio_{other}"] = series.ratio_to(engines[other], cpu=True)
                row["cpu_samples_ns"] = [s.cpu_ns for s in series.samples]
            row["samples_ns"] = [[s.forward_ns, s.backward_ns] for s in series.samples]
            table[engine] = row
        out[mode] = table
    return out


def _prefixed(log: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    def prefixed(message: str) -> None:
        log(prefix + message)

    return prefixed


def run_workloads(
    workloads: list[Workload],
    engines: dict[str, ModuleType],
    repeats: int,
    log: Callable[[str], None],
    ratio_engines: tuple[str, ...],
    cpu: bool = False,
) -> list[dict[str, Any]]:
    """Time every workload on the engines its builder gives cases for; one JSON-ready dict each.

    A workload whose builder gives no case is skipped (and logged). Every engine's total time is
    divided by each engine of ``ratio_engines`` present, pair by pair within a round (and its CPU
    time too, with ``cpu``).
    """
    results = []
    for workload in workloads:
        cases = workload.build(engines)
        if not cases:
            log(f"{workload.key}: skipped (no engine provides it)")
            continue
        start = time.perf_counter()
        log(f"{workload.key}: {', '.join(cases)} ...")
        run = run_interleaved(cases, repeats, progress=_prefixed(log, f"  {workload.key} "))
        entry: dict[str, Any] = {
            "key": workload.key,
            "group": workload.group,
            "title": workload.title,
            "size": workload.size,
            "ops": run.ops,
            "engines": list(cases),
            "checks": {e: {"value": float(c.value), "gradient": float(c.gradient)}
                       for e, c in run.checks.items()},
            **agreement(run.checks),
            **summarize(run, ratio_engines, cpu),
        }
        counter = cases.get("minitorch")
        if counter is not None and counter.graph_nodes is not None:
            entry["minitorch_graph_nodes"] = counter.graph_nodes(counter.forward(counter.setup()))
            gc.collect()
        log(f"  {workload.key} done in {time.perf_counter() - start:.1f} s")
        results.append(entry)
    return results


