"""bench/fast_backend.py: its report from given figures (the real run compiles for minutes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import fast_backend


def _figures(args: list[str], env: dict[str, str]) -> Any:
    if args[1] == "compile":
        return {"import minitorch": 0.5, "map (neg)": 12.0, "kernels": 18}
    threads = env.get("NUMBA_NUM_THREADS")
    return {"matmul 64x64 @ 64x64": {"fast": 2e-3 if threads == "1" else 1e-3, "numpy": 1e-4}}


def test_fast_backend_report_has_both_tables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(fast_backend, "run_probe", _figures)
    assert fast_backend.main(["--json", str(tmp_path / "f.json")]) == 0
    report = capsys.readouterr().out
    assert "| map (neg) | 12.00 s | 12.00 s |" in report
    assert "| matmul 64x64 @ 64x64 | 2.00 ms | 100.0 µs | 20.00x | 1.00 ms | 100.0 µs | 10.00x |" in report
    saved = json.loads((tmp_path / "f.json").read_text())
    assert set(saved) == {"cores", "cold", "warm", "one thread", "default threads"}


def test_fast_backend_pins_every_pool_for_one_thread() -> None:
    env = fast_backend.probe_environment(1, NUMBA_CACHE_DIR="/tmp/x")
    assert all(env[name] == "1" for name in fast_backend.THREAD_VARIABLES)
    assert env["NUMBA_CACHE_DIR"] == "/tmp/x"
    assert not set(fast_backend.THREAD_VARIABLES) & set(fast_backend.probe_environment(None))
