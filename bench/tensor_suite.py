"""The tensor suite: minitorch's ``Tensor`` against NumPy written by hand and PyTorch CPU tensors.

:func:`run_tensor_suite` returns one JSON-ready dict; :mod:`bench.tensor_report` prints it and
:func:`bench.targets.evaluate_tensor_targets` checks it. Every workload is float64.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from importlib import metadata
from types import ModuleType
from typing import Any

import numpy as np

from .cases import Case
from .config import TensorSizes
from .runner import Workload, each_engine, run_workloads
from .tensor_plans import make_broadcast_plan, make_mlp_tensor_plan, make_tiny_chain_plan

__all__ = ["TENSOR_RATIO_ENGINES", "make_tensor_workloads", "run_tensor_suite"]

TENSOR_RATIO_ENGINES = ("minitorch", "numpy", "torch")
"""Engines every other engine's total time is divided by (pair by pair within a round)."""

SIMPLE_BUILDER = "broadcast_simple"
"""The builder, in minitorch's tensor module, of the broadcast workload on ``SimpleBackend``."""
SIMPLE_ENGINE = "minitorch_simple"
"""The engine name of minitorch on ``SimpleBackend`` in the tables."""


def _with_simple(size: tuple[int, int, int]) -> Callable[[dict[str, ModuleType]], dict[str, Case]]:
    """The broadcast workload at ``size`` on ``SimpleBackend``, then on every engine."""
    plan = make_broadcast_plan(*size)
    others = each_engine("broadcast", plan)

    def build(engines: dict[str, ModuleType]) -> dict[str, Case]:
        cases: dict[str, Case] = {}
        module = engines.get("minitorch")
        if module is not None and hasattr(module, SIMPLE_BUILDER):
            cases[SIMPLE_ENGINE] = getattr(module, SIMPLE_BUILDER)(plan)
        return {**cases, **others(engines)} if cases else {}

    return build


def make_tensor_workloads(sizes: TensorSizes) -> list[Workload]:
    """Every timed tensor workload, in order: the MLP, the broadcast, the tiny chain, SimpleOps."""
    mlp = make_mlp_tensor_plan(sizes.mlp_sizes, sizes.mlp_batch)
    wide = make_broadcast_plan(*sizes.broadcast)
    tiny = make_tiny_chain_plan(sizes.tiny_steps)
    simple = make_broadcast_plan(*sizes.simple)
    return [
        Workload("t_mlp", "mlp", f"MLP {mlp.label}", sizes.mlp_batch, each_engine("mlp", mlp)),
        Workload("t_broadcast", "broadcast", f"broadcast {wide.label}", wide.elements,
                 each_engine("broadcast", wide)),
        Workload("t_tiny", "tiny", f"(2, 2) chain, {tiny.steps:,} steps", tiny.steps,
                 each_engine("tiny_chain", tiny)),
        Workload("t_simple", "simple", f"SimpleOps: broadcast {simple.label}", simple.elements,
                 _with_simple(sizes.simple)),
    ]


def _versions(engines: dict[str, ModuleType]) -> dict[str, str]:
    versions = {}
    for dist in ("minitorch", "numpy", *(e for e in engines if e == "torch")):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "unknown"
    return versions


def _numpy_blas() -> str:
    """The BLAS NumPy was built with (NumPy's build configuration; ``unknown`` if unreadable)."""
    try:
        config: Any = np.show_config(mode="dicts")  # NumPy >= 1.26; older ones raise TypeError
        blas = config["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas.get('version', '')}".strip()
    except (TypeError, KeyError):
        return "unknown"


def run_tensor_suite(
    sizes: TensorSizes,
    engines: dict[str, ModuleType],
    missing: dict[str, str],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Run every tensor workload of ``sizes`` on ``engines`` and return all figures.

    Call it after every import (the caller pins BLAS to one thread before NumPy is imported).
    """
    started = time.time()
    workloads = make_tensor_workloads(sizes)
    gc.collect()
    gc.freeze()
    try:
        results: dict[str, Any] = {
            "meta": {
                "repeats": sizes.repeats,
                "sizes": {k: v for k, v in sizes.__dict__.items() if k != "repeats"},
                "versions": _versions(engines),
                "numpy_blas": _numpy_blas(),
                "engines": list(engines),
                "missing_engines": missing,
                "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
            },
            "workloads": run_workloads(workloads, engines, sizes.repeats, log,
                                       TENSOR_RATIO_ENGINES, cpu=True),
        }
    finally:
        gc.unfreeze()
    results["meta"]["seconds"] = time.time() - started
    return results
