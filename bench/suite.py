"""The benchmark suite: which workloads run on which engines, and the results they produce.

:func:`run_suite` returns one JSON-ready dict with every figure; :mod:`bench.report` prints it.
"""

from __future__ import annotations

import gc
import math
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType
from typing import Any

from .cases import Case, Check
from .config import Config
from .measures import (
    chain_seconds,
    gc_objects_per_op,
    paired_per_op_ratio,
    rss_bytes_per_op,
    tracemalloc_bytes_per_op,
)
from .plans import chain_ops, make_dag_plan, make_mlp_plan
from .timing import GC_MODES, WorkloadRun, run_interleaved
from .workloads import FLOOR, REFERENCE, minitorch_engine

__all__ = ["NO_GRAD_ENGINE", "Workload", "make_workloads", "run_suite"]

NO_GRAD_ENGINE = "minitorch_no_grad"
"""The name of minitorch inside ``minitorch.no_grad()`` in the inference comparison."""

RATIO_ENGINES = (REFERENCE, FLOOR, "torch")
"""Engines every other engine's total time is divided by (pair by pair within a round)."""

Builder = Callable[[dict[str, ModuleType]], dict[str, Case]]


@dataclass(frozen=True)
class Workload:
    """One row group of the table: a workload at one size, built for every available engine."""

    key: str
    group: str
    title: str
    size: int
    build: Builder


def _each(function: str, *args: Any) -> Builder:
    """Build ``engine_module.function(*args)`` for every engine module that defines it."""

    def build(engines: dict[str, ModuleType]) -> dict[str, Case]:
        return {
            name: getattr(module, function)(*args)
            for name, module in engines.items()
            if hasattr(module, function)
        }

    return build


def _train_epoch(engines: dict[str, ModuleType]) -> dict[str, Case]:
    """(e): minitorch and the floor only; the floor takes its op count from minitorch's graph.

    Empty (the workload is skipped) if this minitorch has no ``minitorch.train``.
    """
    try:
        cases = {"minitorch": minitorch_engine.train_epoch()}
    except ImportError:
        return {}
    if FLOOR in engines:
        cases[FLOOR] = engines[FLOOR].train_epoch(ops=cases["minitorch"].ops)
    return cases


def make_workloads(config: Config) -> list[Workload]:
    """Every timed workload of the table, in order."""
    workloads = [
        Workload(f"a_relu_{n}", "a", "relu chain", n, _each("chain_relu", n))
        for n in config.relu_steps
    ]
    workloads += [
        Workload(f"b_sigmoid_{n}", "b", "sigmoid chain", n, _each("chain_sigmoid", n))
        for n in config.sigmoid_steps
    ]
    dag = make_dag_plan(config.dag_nodes)
    mlp = make_mlp_plan(points=config.mlp_points)
    workloads.append(Workload(f"c_dag_{config.dag_nodes}", "c", "random DAG", config.dag_nodes,
                              _each("random_dag", dag)))
    workloads.append(Workload(f"d_mlp_{config.mlp_points}", "d", "MLP 2-16-16-1 SGD step",
                              config.mlp_points, _each("mlp_step", mlp)))
    workloads.append(Workload("e_train_epoch", "e", "minitorch train epoch", 50, _train_epoch))
    return workloads


def make_inference_workloads(config: Config) -> list[Workload]:
    """minitorch under ``no_grad`` against the floor: the relu chain and the MLP's loss."""
    n = config.table_steps[1]
    mlp = make_mlp_plan(points=config.mlp_points)

    def chain(engines: dict[str, ModuleType]) -> dict[str, Case]:
        cases = {NO_GRAD_ENGINE: minitorch_engine.chain_relu_no_grad(n)}
        if FLOOR in engines:
            cases[FLOOR] = engines[FLOOR].chain_relu(n)
        return cases

    def mlp_forward(engines: dict[str, ModuleType]) -> dict[str, Case]:
        cases = {NO_GRAD_ENGINE: minitorch_engine.mlp_forward_no_grad(mlp)}
        if FLOOR in engines:
            cases[FLOOR] = engines[FLOOR].mlp_step(mlp)
        return cases

    return [
        Workload(f"nograd_a_relu_{n}", "a", "relu chain, inference", n, chain),
        Workload(f"nograd_d_mlp_{config.mlp_points}", "d", "MLP loss, inference",
                 config.mlp_points, mlp_forward),
    ]


def _agreement(checks: dict[str, Check]) -> dict[str, Any]:
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


def _summarize(run: WorkloadRun) -> dict[str, Any]:
    """Medians per operation and pairwise ratios, per GC mode and engine."""
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
            for other in RATIO_ENGINES:
                if other in engines:
                    row[f"ratio_{other}"] = series.ratio_to(engines[other])
            row["samples_ns"] = [[s.forward_ns, s.backward_ns] for s in series.samples]
            table[engine] = row
        out[mode] = table
    return out


def _prefixed(log: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    def prefixed(message: str) -> None:
        log(prefix + message)

    return prefixed


def _run_workloads(
    workloads: list[Workload],
    engines: dict[str, ModuleType],
    repeats: int,
    log: Callable[[str], None],
) -> list[dict[str, Any]]:
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
            **_agreement(run.checks),
            **_summarize(run),
        }
        counter = cases.get("minitorch")
        if counter is not None and counter.graph_nodes is not None:
            entry["minitorch_graph_nodes"] = counter.graph_nodes(counter.forward(counter.setup()))
            gc.collect()
        log(f"  {workload.key} done in {time.perf_counter() - start:.1f} s")
        results.append(entry)
    return results


def _versions(engines: dict[str, ModuleType]) -> dict[str, str]:
    names = {"minitorch": "minitorch", "micrograd": "micrograd", "torch": "torch",
             "autograd": "autograd"}
    versions = {}
    for engine, dist in names.items():
        if engine in engines or engine == "minitorch":
            try:
                versions[engine] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                versions[engine] = "unknown"
    return versions


def _speed_layer(minitorch: ModuleType) -> str:
    fast = getattr(minitorch, "fast", None)
    if fast is None:
        return "absent"
    return "on" if fast.is_enabled() else "off (MINITORCH_FAST=0: the reference engine)"


def run_suite(
    config: Config,
    engines: dict[str, ModuleType],
    missing: dict[str, str],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Run every measurement of ``config`` on ``engines`` and return all figures.

    Call it after every import and after ``gc.freeze()``: the plans and cases are built here, but
    they are small next to what the engines' libraries leave on the heap.
    """
    import minitorch

    started = time.time()
    workloads = make_workloads(config)
    has_no_grad = hasattr(minitorch, "no_grad")
    inference = make_inference_workloads(config) if has_no_grad else []
    # Everything built so far (plans, imported modules) is moved out of the collector's sight.
    gc.collect()
    gc.freeze()

    results: dict[str, Any] = {
        "meta": {
            "config": config.name,
            "repeats": config.repeats,
            "python": sys.version,
            "platform": platform.platform(),
            "cpu_count": _cpu_count(),
            "versions": _versions(engines),
            "engines": list(engines),
            "missing_engines": missing,
            # MINITORCH_FAST=0 (read when minitorch is imported) runs the reference engine.
            "speed_layer": _speed_layer(minitorch),
            "recursion_limit_for_micrograd": _micrograd_limit(engines),
            "gc_frozen_objects": gc.get_freeze_count(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        },
        "workloads": _run_workloads(workloads, engines, config.repeats, log),
    }
    if has_no_grad:
        results["inference"] = _run_workloads(inference, engines, config.repeats, log)
    else:
        results["inference"] = {"skipped": "minitorch has no no_grad"}

    log("GC-tracked objects and graph memory ...")
    probe = {name: module.chain_relu(config.probe_steps) for name, module in engines.items()}
    results["gc_objects_per_op"] = {"steps": config.probe_steps, "ops": chain_ops(config.probe_steps),
                                    **{e: gc_objects_per_op(c) for e, c in probe.items()}}
    results["memory"] = {
        "steps": config.probe_steps,
        "tracemalloc_bytes_per_op": {e: tracemalloc_bytes_per_op(c) for e, c in probe.items()},
        "rss_steps": config.rss_steps,
        "rss_bytes_per_op": {
            e: rss_bytes_per_op(m.chain_relu(config.rss_steps)) for e, m in engines.items()
        },
    }

    steps = -(-config.chain_1m_ops // 3)
    log(f"minitorch chain of {chain_ops(steps)} ops ...")
    long_chain = minitorch_engine.chain_relu(steps)
    floor_chain = engines[FLOOR].chain_relu(steps) if FLOOR in engines else None
    results["chain_1m"] = {"steps": steps, "ops": long_chain.ops,
                           **chain_seconds(long_chain, floor_chain, config.chain_1m_repeats)}
    results["scaling"] = _scaling(results["workloads"], config)
    small, large = config.table_steps
    log(f"minitorch per-op time at N={large} vs N={small}, paired within rounds ...")
    results["scaling"]["minitorch_paired"] = {
        "small": small,
        "large": large,
        **paired_per_op_ratio(minitorch_engine.chain_relu(small),
                              minitorch_engine.chain_relu(large), config.repeats),
    }
    results["meta"]["seconds"] = time.time() - started
    gc.unfreeze()
    return results


def _scaling(workloads: list[dict[str, Any]], config: Config) -> dict[str, Any]:
    """Total seconds against N for the relu chain, and per-op time at the large vs small size."""
    chains = {w["size"]: w for w in workloads if w["group"] == "a"}
    steps = sorted(chains)
    engines = chains[steps[0]]["engines"]
    small, large = config.table_steps
    out: dict[str, Any] = {"steps": steps, "ops": [chain_ops(n) for n in steps]}
    for mode in GC_MODES:
        out[mode] = {e: [chains[n][mode][e]["total_seconds"] for n in steps] for e in engines}
    out["per_op_ratio_large_to_small"] = {
        "small": small,
        "large": large,
        **{
            e: {mode: chains[large][mode][e]["total_us_per_op"]
                / chains[small][mode][e]["total_us_per_op"] for mode in GC_MODES}
            for e in engines
        },
    }
    return out


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 0


def _micrograd_limit(engines: dict[str, ModuleType]) -> int | None:
    module = engines.get("micrograd")
    return None if module is None else int(module.RECURSION_LIMIT)
