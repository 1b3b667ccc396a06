"""The benchmark suite: which workloads run on which engines, and the results they produce.

:func:`run_suite` returns one JSON-ready dict with every figure; :mod:`bench.report` prints it.
"""

from __future__ import annotations

import gc
import platform
import sys
import time
from collections.abc import Callable
from importlib import metadata
from types import ModuleType
from typing import Any

from .cases import Case
from .config import Config
from .measures import (
    chain_seconds,
    gc_objects_per_op,
    paired_per_op_ratio,
    rss_bytes_per_op,
    tracemalloc_bytes_per_op,
)
from .plans import chain_ops, make_dag_plan, make_mlp_plan
from .runner import Workload, each_engine, run_workloads
from .timing import GC_MODES
from .workloads import FLOOR, REFERENCE, minitorch_engine

__all__ = ["NO_GRAD_ENGINE", "RATIO_ENGINES", "make_workloads", "run_suite"]

NO_GRAD_ENGINE = "minitorch_no_grad"
"""The name of minitorch inside ``minitorch.no_grad()`` in the inference comparison."""

RATIO_ENGINES = (REFERENCE, FLOOR, "torch")
"""Engines every other engine's total time is divided by (pair by pair within a round)."""


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
        Workload(f"a_relu_{n}", "a", "relu chain", n, each_engine("chain_relu", n))
        for n in config.relu_steps
    ]
    workloads += [
        Workload(f"b_sigmoid_{n}", "b", "sigmoid chain", n, each_engine("chain_sigmoid", n))
        for n in config.sigmoid_steps
    ]
    dag = make_dag_plan(config.dag_nodes)
    mlp = make_mlp_plan(points=config.mlp_points)
    workloads.append(Workload(f"c_dag_{config.dag_nodes}", "c", "random DAG", config.dag_nodes,
                              each_engine("random_dag", dag)))
    workloads.append(Workload(f"d_mlp_{config.mlp_points}", "d", "MLP 2-16-16-1 SGD step",
                              config.mlp_points, each_engine("mlp_step", mlp)))
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
            "recursion_limit_for_micrograd": _micrograd_limit(engines),
            "gc_frozen_objects": gc.get_freeze_count(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        },
        "workloads": run_workloads(workloads, engines, config.repeats, log, RATIO_ENGINES),
    }
    if has_no_grad:
        results["inference"] = run_workloads(inference, engines, config.repeats, log, RATIO_ENGINES)
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
