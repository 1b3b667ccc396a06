"""``python -m bench.fast_backend [--quick]``: FastOps' compile times and speed against the NumPy backend.

Three measures, each in fresh subprocesses so that nothing is shared with this one:

1. **Cold compile**: a process with an empty numba cache (``NUMBA_CACHE_DIR`` set to a new
   directory) imports ``minitorch.fast_ops`` and calls each kernel of ``FastBackend`` once: every
   kernel is compiled, then written to the cache.
2. **Warm compile**: a second process with the same cache directory does the same; the kernels
   are loaded from disk.
3. **Per call**: map, zip, reduce and matmul on FastBackend and NumpyBackend, median time per call,
   with one thread (``NUMBA_NUM_THREADS=1`` and the BLAS pools pinned to 1) and with the default
   thread count (every core).

The tables go to stdout, in the Markdown of ``docs/performance.md``; ``--json PATH`` also saves the
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

THREAD_VARIABLES = ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


# ## Probes: run in a subprocess, print one JSON object


def probe_compile() -> dict[str, float]:
    """Seconds to import the backend and to run each kernel of FastBackend for the first time."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    import minitorch

    times["import minitorch"] = time.perf_counter() - start
    start = time.perf_counter()
    from minitorch import fast_ops

    times["import fast_ops (numba)"] = time.perf_counter() - start
    backend = fast_ops.FastBackend
    a = minitorch.rand((3, 4), backend=backend)
    b = minitorch.rand((3, 4), backend=backend)
    first = {
        "map (neg)": lambda: backend.neg_map(a),
        "zip (add)": lambda: backend.add_zip(a, b),
        "reduce (add)": lambda: backend.add_reduce(a, 1),
        "matmul": lambda: backend.matrix_multiply(a, b.permute(1, 0)),
    }
    for name, call in first.items():
        start = time.perf_counter()
        call()
        times[name] = time.perf_counter() - start
    rest: list[Callable[[], Any]] = []
    for attribute in dir(backend):
        function = getattr(backend, attribute)
        if attribute.endswith("_map") and attribute != "neg_map":
            rest.append(lambda f=function: f(a))
        elif attribute.endswith("_zip") and attribute != "add_zip":
            rest.append(lambda f=function: f(a, b))
        elif attribute.endswith("_reduce") and attribute != "add_reduce":
            rest.append(lambda f=function: f(a, 0))
    start = time.perf_counter()
    for call in rest:
        call()
    times[f"the other {len(rest)} kernels"] = time.perf_counter() - start
    times["kernels"] = 4 + len(rest)
    return times


def _median_call(call: Callable[[], Any], budget: float) -> float:
    """Median seconds per call: 5 rounds, each of as many calls as fill ``budget`` / 5 seconds."""
    call()
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(budget / 5 / once))
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(number):
            call()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def probe_speed(quick: bool) -> dict[str, dict[str, float]]:
    """Median seconds per call of each workload on FastBackend and NumpyBackend."""
    import numpy as np

    import minitorch

    big = 300 if quick else 1000
    budget = 0.1 if quick else 0.5
    rng = np.random.default_rng(0)

    def pair(backend: minitorch.TensorBackend) -> dict[str, Callable[[], Any]]:
        def t(*shape: int) -> minitorch.Tensor:
            return minitorch.tensor(rng.random(shape) + 0.5, backend=backend)

        x, y, column = t(big, big), t(big, big), t(big, 1)
        flat = t(big * big)
        m64, m256, batch = t(64, 64), t(256, 256), t(32, 64, 64)
        transposed = x.permute(1, 0)
        return {
            f"map exp, {big * big:,} contiguous": lambda: backend.exp_map(flat),
            f"map relu, {big}x{big} transposed": lambda: backend.relu_map(transposed),
            f"zip add, {big}x{big} + {big}x{big}": lambda: backend.add_zip(x, y),
            f"zip mul, {big}x{big} * {big}x1 (broadcast)": lambda: backend.mul_zip(x, column),
            f"reduce sum, {big}x{big} over dim 1": lambda: backend.add_reduce(x, 1),
            f"reduce sum, {big}x{big} over dim 0": lambda: backend.add_reduce(x, 0),
            "matmul 64x64 @ 64x64": lambda: backend.matrix_multiply(m64, m64),
            "matmul 256x256 @ 256x256": lambda: backend.matrix_multiply(m256, m256),
            "matmul 32x64x64 @ 32x64x64": lambda: backend.matrix_multiply(batch, batch),
        }

    from minitorch.fast_ops import FastBackend

    results: dict[str, dict[str, float]] = {}
    for name, backend in (("fast", FastBackend), ("numpy", minitorch.NumpyBackend)):
        for workload, call in pair(backend).items():
            results.setdefault(workload, {})[name] = _median_call(call, budget)
    return results


# ## The driver


def run_probe(args: list[str], env: dict[str, str]) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "bench.fast_backend", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"probe {args} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def probe_environment(threads: int | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    if threads is not None:
        env.update({name: str(threads) for name in THREAD_VARIABLES})
    env.update(extra)
    return env


def _format_seconds(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fast_backend", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller tensors, shorter timing")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--probe", choices=["compile", "speed"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe == "compile":
        print(json.dumps(probe_compile()))
        return 0
    if args.probe == "speed":
        print(json.dumps(probe_speed(args.quick)))
        return 0

    figures: dict[str, Any] = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="minitorch-numba-cache-") as cache:
        env = probe_environment(None, NUMBA_CACHE_DIR=cache)
        figures["cold"] = run_probe(["--probe", "compile"], env)
        figures["warm"] = run_probe(["--probe", "compile"], env)
    quick = ["--quick"] if args.quick else []
    figures["one thread"] = run_probe(["--probe", "speed", *quick], probe_environment(1))
    figures["default threads"] = run_probe(["--probe", "speed", *quick], probe_environment(None))

    print(f"## FastOps compile times (a fresh process each, {figures['cold']['kernels']:.0f} kernels)\n")
    print("| step | cold cache | warm cache |\n| --- | ---: | ---: |")
    for step, cold in figures["cold"].items():
        if step != "kernels":
            print(f"| {step} | {_format_seconds(cold)} | {_format_seconds(figures['warm'][step])} |")
    print(f"\n## Per call, FastOps against the NumPy backend ({figures['cores']} cores)\n")
    print("| workload | fast, 1 thread | numpy, 1 thread | ratio | fast, all cores | numpy, all cores "
          "| ratio |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for workload, one in figures["one thread"].items():
        every = figures["default threads"][workload]
        print(
            f"| {workload} | {_format_seconds(one['fast'])} | {_format_seconds(one['numpy'])} "
            f"| {one['fast'] / one['numpy']:.2f}x | {_format_seconds(every['fast'])} "
            f"| {_format_seconds(every['numpy'])} | {every['fast'] / every['numpy']:.2f}x |"
        )
    print("\nratio: FastOps time / NumPy backend time (below 1: FastOps is faster)")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
