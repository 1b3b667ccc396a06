"""FastOps, the numba backend (tasks 3.1 and 3.2), against plain NumPy and the NumPy backend.

The first run compiles every kernel (about a minute on two cores); numba's cache keeps them for the
next runs. ``NUMBA_DISABLE_JIT=1 pytest tests/test_fast_ops.py`` runs the same kernels as Python.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from backend_checks import (
    check_gradients,
    check_map_into_broadcast_out,
    check_maps,
    check_matmul,
    check_reduces,
    check_zips,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch

pytest.importorskip("numba", reason="FastOps needs the fast extra: pip install -e '.[fast]'")

from minitorch.kernel_cache import SourceAwareCache

FAST = minitorch.FastBackend


@pytest.mark.task3_1
@given(st.data())
@settings(max_examples=60)
def test_fast_maps_match_numpy(data: st.DataObject) -> None:
    check_maps(FAST, data)


@pytest.mark.task3_1
@given(st.data())
@settings(max_examples=30)
def test_fast_map_broadcasts_into_out(data: st.DataObject) -> None:
    check_map_into_broadcast_out(FAST, data)


@pytest.mark.task3_1
@given(st.data())
@settings(max_examples=60)
def test_fast_zips_match_numpy_with_broadcasting(data: st.DataObject) -> None:
    check_zips(FAST, data)


@pytest.mark.task3_1
@given(st.data())
@settings(max_examples=40)
def test_fast_reduces_match_numpy(data: st.DataObject) -> None:
    check_reduces(FAST, data)


@pytest.mark.task3_2
@given(st.data())
@settings(max_examples=40)
def test_fast_matmul_matches_numpy(data: st.DataObject) -> None:
    check_matmul(FAST, data)


@pytest.mark.task3_2
@given(st.data())
@settings(max_examples=20)
def test_fast_gradients_match_numpy_backend(data: st.DataObject) -> None:
    check_gradients(FAST, data)


@pytest.mark.task3_2
def test_fast_matmul_grad_check() -> None:
    a = minitorch.rand((2, 3, 4), backend=FAST)
    b = minitorch.rand((4, 2), backend=FAST)
    minitorch.grad_check(lambda x, y: (x @ y).sigmoid(), a, b)


@pytest.mark.task3_1
def test_fast_reduce_over_long_dimension_and_large_map() -> None:
    x = np.random.default_rng(0).normal(size=(3, 1000))
    a = minitorch.tensor(x, backend=FAST)
    np.testing.assert_allclose(a.sum(1).to_numpy(), x.sum(1, keepdims=True))
    np.testing.assert_allclose(a.permute(1, 0).relu().to_numpy(), np.maximum(x.T, 0.0))


@pytest.mark.task3_1
def test_fast_kernels_give_ieee_values_outside_the_domain() -> None:
    a = minitorch.tensor([0.0, -1.0, -0.0], backend=FAST)
    assert a.log().to_numpy().tolist()[:1] == [-np.inf]
    assert np.isnan(a.log().to_numpy()[1])
    assert FAST.inv_map(a).to_numpy().tolist() == [np.inf, -1.0, -np.inf]


@pytest.mark.task3_2
def test_fast_matmul_rejects_mismatched_shapes() -> None:
    a = minitorch.rand((2, 3), backend=FAST)
    with pytest.raises(minitorch.IndexingError, match="must equal"):
        a @ a


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_fast_kernels_load_from_numbas_cache_in_a_new_process() -> None:
    # This process has compiled (and cached) the add kernel by now; a new one must load it.
    minitorch.tensor([1.0], backend=FAST) + minitorch.tensor([2.0], backend=FAST)
    result = _run(
        """
        import minitorch
        from minitorch import operators
        from minitorch.fast_ops import zip_kernel
        a = minitorch.tensor([1.0, 2.0], backend=minitorch.FastBackend)
        a + a
        stats = zip_kernel(operators.add).stats
        print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
        """
    )
    assert result.returncode == 0, result.stderr
    hits, misses = map(int, result.stdout.split())
    assert (hits, misses) == (1, 0)


def test_without_numba_fast_ops_raises_an_import_error_naming_the_extra() -> None:
    result = _run(
        """
        import sys
        sys.modules["numba"] = None  # as if numba were not installed
        import minitorch
        minitorch.tensor([1.0]) + 1.0  # the rest of the package works
        try:
            minitorch.FastOps
        except ImportError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "minitorch[fast]"' in result.stdout


def _kernel_source(tmp_path: Path, body: str) -> Callable[..., Any]:
    """A function defined in its own file under ``tmp_path`` (so numba can cache it)."""
    path = tmp_path / "user_kernel.py"
    path.write_text(f"def kernel(x):\n    return {body}\n")
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace["kernel"]  # type: ignore[no-any-return]


def test_fast_cache_key_changes_when_a_source_the_kernel_compiles_changes(tmp_path: Path) -> None:
    helper = tmp_path / "helper.py"
    helper.write_text("SCALE = 2.0\n")
    kernel = _kernel_source(tmp_path, "x")
    before = SourceAwareCache(kernel, [helper]).sources_digest
    assert SourceAwareCache(kernel, [helper]).sources_digest == before
    helper.write_text("SCALE = 3.0\n")
    assert SourceAwareCache(kernel, [helper]).sources_digest != before


def test_fast_kernel_recompiles_after_the_mapped_function_is_edited(tmp_path: Path) -> None:
    # A user's function, imported from its module and mapped with FastOps: after an edit of that
    # module, a new process must compile the kernel again, not load the old machine code (numba's
    # own cache key names the function but does not look at its file).
    source = tmp_path / "user_function.py"
    results = []
    for body in ("2.0 * x", "3.25 * x"):
        source.write_text(f"def fn(x):\n    return {body}\n")
        result = _run(
            """
            import minitorch, user_function
            mapped = minitorch.FastOps.map(user_function.fn)
            print(mapped(minitorch.tensor([1.0], backend=minitorch.FastBackend))[0])
            """,
            PYTHONPATH=str(tmp_path),
        )
        assert result.returncode == 0, result.stderr
        results.append(float(result.stdout))
    assert results == [2.0, 3.25]
