"""``python -m bench.functional_arrays``: the functional API on NumPy arrays against HIPS autograd.

Three workloads, each written once with plain ``numpy`` for minitorch and once with
``autograd.numpy`` for autograd (the same numbers, from fixed seeds):

- ``grad`` of ``sum(tanh(1.5 x)^2 + 0.5 exp(-x x))`` on 1,000 elements (target <= 2x autograd);
- ``hessian`` of the 100-variable extended Rosenbrock function (target <= 2x);
- one ``value_and_grad`` step of a 2-layer MLP 64-128-10 (tanh hidden layer, softmax
  cross-entropy), batch 128, parameters in a dict of arrays (target <= 1.5x).

Method: one thread (the BLAS pools pinned before NumPy is imported), a warm-up call of each engine
whose results are compared, then ``--rounds`` rounds; in each round both engines run ``--calls``
calls each, in an order alternating from round to round, and the ratio of the two per-call times
of that round is kept. The table shows the medians of the per-call times and of the per-round
ratios. The collector is left on (what a user gets).
"""

from __future__ import annotations

from bench.env import pin_threads

pin_threads()

import argparse  # noqa: E402
import importlib  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import minitorch  # noqa: E402


@dataclass(frozen=True)
class Workload:
    """One workload: its name, target ratio, and a zero-argument call per engine."""

    name: str
    target: float
    minitorch_call: Callable[[], Any]
    autograd_call: Callable[[], Any]


def _tanh_workload(anp: Any, grad: Callable[..., Any]) -> Callable[[np.ndarray], Any]:
    def f(x: Any) -> Any:
        return anp.sum(anp.tanh(1.5 * x) ** 2 + 0.5 * anp.exp(-x * x))

    return grad(f)  # type: ignore[no-any-return]


def _rosenbrock(anp: Any) -> Callable[[Any], Any]:
    def f(x: Any) -> Any:
        odd, even = x[0::2], x[1::2]
        return anp.sum(100.0 * (even - odd**2) ** 2 + (1.0 - odd) ** 2)

    return f


def _mlp_loss(anp: Any) -> Callable[[Any, Any, Any], Any]:
    def loss(params: Any, x: Any, labels: Any) -> Any:
        hidden = anp.tanh(anp.dot(x, params["w1"]) + params["b1"])
        logits = anp.dot(hidden, params["w2"]) + params["b2"]
        shifted = logits - anp.max(logits, axis=1, keepdims=True)
        log_probs = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
        return -anp.mean(anp.sum(log_probs * labels, axis=1))

    return loss


def build_workloads() -> list[Workload]:
    """The three workloads, ready to call, for minitorch and autograd (imported here, on demand,
    as the other engines of ``bench.workloads``)."""
    autograd = importlib.import_module("autograd")
    anp = importlib.import_module("autograd.numpy")

    rng = np.random.default_rng(0)
    x1000 = rng.standard_normal(1000)
    x100 = rng.uniform(-1.0, 1.0, 100)
    params = {
        "w1": rng.standard_normal((64, 128)) * 0.1, "b1": np.zeros(128),
        "w2": rng.standard_normal((128, 10)) * 0.1, "b2": np.zeros(10),
    }
    batch = rng.standard_normal((128, 64))
    labels = np.eye(10)[rng.integers(0, 10, 128)]

    mt_tanh, ag_tanh = _tanh_workload(np, minitorch.grad), _tanh_workload(anp, autograd.grad)
    mt_hess, ag_hess = minitorch.hessian(_rosenbrock(np)), autograd.hessian(_rosenbrock(anp))
    mt_step = minitorch.value_and_grad(_mlp_loss(np))
    ag_step = autograd.value_and_grad(_mlp_loss(anp))
    return [
        Workload("grad tanh/exp, 1,000 elements", 2.0, lambda: mt_tanh(x1000), lambda: ag_tanh(x1000)),
        Workload("hessian Rosenbrock, 100 variables", 2.0, lambda: mt_hess(x100), lambda: ag_hess(x100)),
        Workload(
            "MLP 64-128-10 value_and_grad, batch 128", 1.5,
            lambda: mt_step(params, batch, labels), lambda: ag_step(params, batch, labels),
        ),
    ]


def _agree(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return all(_agree(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        return all(_agree(x, y) for x, y in zip(a, b, strict=True))
    return bool(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-8, atol=1e-10))


def _time_calls(call: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(calls):
        call()
    return (time.perf_counter_ns() - start) / calls / 1e3  # microseconds per call


def measure(workload: Workload, rounds: int, calls: int) -> dict[str, Any]:
    """Interleaved rounds; the medians of the per-call times and of the per-round ratios."""
    agree = _agree(workload.minitorch_call(), workload.autograd_call())
    mt_times, ag_times, ratios = [], [], []
    for r in range(rounds):
        if r % 2:
            ag = _time_calls(workload.autograd_call, calls)
            mt = _time_calls(workload.minitorch_call, calls)
        else:
            mt = _time_calls(workload.minitorch_call, calls)
            ag = _time_calls(workload.autograd_call, calls)
        mt_times.append(mt)
        ag_times.append(ag)
        ratios.append(mt / ag)
    ratio = statistics.median(ratios)
    return {
        "name": workload.name, "minitorch_us": statistics.median(mt_times),
        "autograd_us": statistics.median(ag_times), "ratio": ratio, "target": workload.target,
        "met": ratio <= workload.target, "agree": agree,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.functional_arrays", description=__doc__)
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds (default 9)")
    parser.add_argument("--calls", type=int, default=20, help="calls per engine per round (default 20)")
    args = parser.parse_args(argv)
    try:
        workloads = build_workloads()
    except ImportError:
        print("bench.functional_arrays needs autograd: run it with .venv-bench/bin/python", file=sys.stderr)
        return 2
    print(f"{'workload':44} {'minitorch':>12} {'autograd':>12} {'ratio':>7} {'target':>7}  met  agree")
    for workload in workloads:
        row = measure(workload, args.rounds, args.calls)
        print(
            f"{row['name']:44} {row['minitorch_us']:10.0f}us {row['autograd_us']:10.0f}us "
            f"{row['ratio']:7.2f} {row['target']:7.1f}  {'yes' if row['met'] else 'NO ':4} "
            f"{'yes' if row['agree'] else 'NO'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
