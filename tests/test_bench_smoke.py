"""The benchmark suite still runs (a quick, minitorch-only pass): it must not rot between `make bench`s.

The tensor workloads are also run once in-process on minitorch and on NumPy by hand (never on
PyTorch, which the test venv does not have): the two must agree on every loss and gradient.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from bench.cases import Case, run_once
from bench.targets import evaluate_tensor_targets
from bench.tensor_plans import (
    gradient_summary,
    make_broadcast_plan,
    make_mlp_tensor_plan,
    make_tiny_chain_plan,
)
from bench.workloads import load_tensor_engines

ROOT = Path(__file__).resolve().parent.parent


def _run_bench(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", *args, "--results", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result, json.loads((tmp_path / "latest.json").read_text())


@pytest.mark.slow
def test_bench_quick_run_writes_results(tmp_path: Path) -> None:
    result, figures = _run_bench(tmp_path, "--engines", "minitorch,floats,numpy")
    assert {"workloads", "targets", "memory", "tensor"} <= set(figures)
    assert (tmp_path / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "TARGETS" in result.stdout
    assert "TENSOR TARGETS" in result.stdout


@pytest.mark.slow
def test_bench_tensor_suite_alone_runs_every_tensor_workload(tmp_path: Path) -> None:
    result, figures = _run_bench(tmp_path, "--suite", "tensor", "--engines", "minitorch,numpy")
    assert "workloads" not in figures  # the scalar suite did not run
    tensor = figures["tensor"]
    assert tensor["meta"]["missing_engines"] == {}
    assert [w["group"] for w in tensor["workloads"]] == ["mlp", "broadcast", "tiny", "simple"]
    assert all(w["agree"] for w in tensor["workloads"]), [w["disagreements"] for w in tensor["workloads"]]
    assert tensor["workloads"][-1]["engines"] == ["minitorch_simple", "minitorch", "numpy"]
    row = tensor["workloads"][0]["gc_on"]["minitorch"]
    assert row["ratio_numpy"] > 0 and row["cpu_ratio_numpy"] > 0 and row["cpu_total_us_per_op"] > 0
    # Without PyTorch only the target against NumPy by hand has a value.
    statuses = [t["status"] for t in tensor["targets"]]
    assert statuses[0] in ("PASS", "FAIL") and statuses[1:] == ["SKIP", "SKIP"]
    assert "TENSOR TARGETS" in result.stdout


def _engine(name: str) -> ModuleType:
    engines, missing = load_tensor_engines((name,))
    assert not missing, missing
    return engines[name]


_SMALL_PLANS = {
    "mlp": make_mlp_tensor_plan((12, 8, 3), batch=5),
    "broadcast": make_broadcast_plan(4, 3, 2),
    "tiny_chain": make_tiny_chain_plan(7),
}
# (minitorch's builder, NumPy's builder of the same computation)
_PAIRS = [("mlp", "mlp"), ("broadcast", "broadcast"), ("tiny_chain", "tiny_chain"),
          ("broadcast_simple", "broadcast")]


@pytest.mark.parametrize(("builder", "reference"), _PAIRS, ids=[b for b, _ in _PAIRS])
def test_tensor_workload_agrees_with_numpy_by_hand(builder: str, reference: str) -> None:
    plan = _SMALL_PLANS[reference]
    mine: Case = getattr(_engine("minitorch"), builder)(plan)
    theirs: Case = getattr(_engine("numpy"), reference)(plan)
    got, expected = run_once(mine), run_once(theirs)
    assert got.value == pytest.approx(expected.value, rel=1e-9)
    assert got.gradient == pytest.approx(expected.gradient, rel=1e-9)


def test_tensor_workload_numbers_are_not_degenerate() -> None:
    """The relu units are neither all dead nor all alive, and the gradients are not all zero, so
    that a wrong mask or a dropped gradient changes the compared numbers."""
    plan = _SMALL_PLANS["mlp"]
    pre = plan.x @ plan.w1 + plan.b1
    assert 0.2 < float(np.mean(pre > 0)) < 0.8
    check = run_once(_engine("numpy").mlp(plan))
    assert abs(check.gradient) > 1e-3


def test_gradient_summary_rejects_a_gradient_of_the_wrong_shape() -> None:
    probe = np.ones((2, 1))
    with pytest.raises(ValueError, match=r"gradient 0 has shape \(2, 2\), its input has shape \(2, 1\)"):
        gradient_summary([np.ones((2, 2))], [probe])


def test_tensor_targets_read_minitorch_ratios_with_the_gc_on() -> None:
    def workload(group: str, ratios: dict[str, float]) -> dict[str, Any]:
        row = {f"ratio_{engine}": value for engine, value in ratios.items()}
        return {"group": group, "title": group, "gc_on": {"minitorch": row}, "gc_off": {"minitorch": {}}}

    results = {"workloads": [workload("mlp", {"numpy": 1.1, "torch": 1.6}),
                             workload("broadcast", {"numpy": 3.0})]}
    targets = evaluate_tensor_targets(results)
    assert [(t.value, t.limit, t.status) for t in targets] == [
        (1.1, 1.2, "PASS"), (1.6, 1.5, "FAIL"), (None, 2.0, "SKIP"),
    ]


@pytest.mark.parametrize("work", ["tensor-mlp", "tensor-chain"])
def test_instruction_counts_tensor_child_runs_and_divides_by_the_right_unit(
    work: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench import instructions

    # The child runs under Valgrind in real use; here it only has to run (two repeats, no Valgrind).
    done = subprocess.run(
        [sys.executable, "-c", instructions._TENSOR_CHILD, work, "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    # 7 and 2 repeats are counted; start-up cancels in the difference.
    monkeypatch.setattr(instructions, "count", lambda w, reps, loop: 1_000_000 + reps * 12_010)
    units = 1 if work == "tensor-mlp" else make_tiny_chain_plan(instructions._TENSOR_STEPS).ops
    assert instructions.per_tensor_unit(work) == pytest.approx(12_010 / units)
