"""The benchmark suite still runs (a quick, minitorch-only pass): it must not rot between `make bench`s."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_quick_run_writes_results(tmp_path: Path) -> None:
    engines = ["--engines", "minitorch,floats"]
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", *engines, "--results", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "latest.json").read_text())
    assert {"workloads", "targets", "memory"} <= set(figures)
    assert (tmp_path / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "TARGETS" in result.stdout
