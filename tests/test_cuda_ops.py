"""CudaOps, the numba.cuda backend (tasks 3.3 and 3.4), against plain NumPy and the NumPy backend.

Without an NVIDIA driver these kernels run on numba's CUDA simulator (the repository's conftest.py
sets ``NUMBA_ENABLE_CUDASIM=1`` before numba is imported); with one, on the GPU. The simulator runs
every GPU thread as a Python thread, so shapes stay tiny and examples few.
"""

from __future__ import annotations

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

pytest.importorskip("numba", reason="CudaOps needs the cuda extra: pip install -e '.[cuda]'")
cuda = pytest.importorskip("numba.cuda")
if not cuda.is_available():
    pytest.skip("no CUDA device and the simulator is off (NUMBA_ENABLE_CUDASIM)", allow_module_level=True)

CUDA = minitorch.CudaBackend
rng = np.random.default_rng(3)


@pytest.mark.task3_3
@given(st.data())
@settings(max_examples=15)
def test_cuda_maps_match_numpy(data: st.DataObject) -> None:
    check_maps(CUDA, data)


@pytest.mark.task3_3
@given(st.data())
@settings(max_examples=8)
def test_cuda_map_broadcasts_into_out(data: st.DataObject) -> None:
    check_map_into_broadcast_out(CUDA, data)


@pytest.mark.task3_3
@given(st.data())
@settings(max_examples=15)
def test_cuda_zips_match_numpy_with_broadcasting(data: st.DataObject) -> None:
    check_zips(CUDA, data)


@pytest.mark.task3_3
@given(st.data())
@settings(max_examples=10)
def test_cuda_reduces_match_numpy(data: st.DataObject) -> None:
    check_reduces(CUDA, data)


@pytest.mark.task3_3
def test_cuda_reduce_longer_than_a_block() -> None:
    # 300 numbers: threads of a 256-thread block each fold several, then combine pairwise.
    x = rng.normal(size=(2, 300))
    a = minitorch.tensor(x, backend=CUDA)
    np.testing.assert_allclose(a.sum(1).to_numpy(), x.sum(1, keepdims=True))
    np.testing.assert_allclose(a.permute(1, 0).sum(0).to_numpy(), x.sum(1)[None, :])


@pytest.mark.task3_4
@given(st.data())
@settings(max_examples=10)
def test_cuda_matmul_matches_numpy(data: st.DataObject) -> None:
    check_matmul(CUDA, data)


@pytest.mark.task3_4
def test_cuda_matmul_spanning_several_tiles() -> None:
    # 40 rows need two 32-row tiles; an inner size of 40 needs two tiles along k as well.
    x, y = rng.normal(size=(40, 40)), rng.normal(size=(40, 1))
    out = minitorch.tensor(x, backend=CUDA) @ minitorch.tensor(y, backend=CUDA)
    np.testing.assert_allclose(out.to_numpy(), x @ y)


@pytest.mark.task3_4
@given(st.data())
@settings(max_examples=4)
def test_cuda_gradients_match_numpy_backend(data: st.DataObject) -> None:
    check_gradients(CUDA, data)


@pytest.mark.task3_3
@pytest.mark.parametrize("size", [1, 16, 32, 48, 100])
def test_sum_practice_sums_each_block_of_32(size: int) -> None:
    x = rng.random(size)
    out = minitorch.sum_practice(minitorch.tensor(x, backend=CUDA))
    expected = [x[k : k + 32].sum() for k in range(0, size, 32)]
    np.testing.assert_allclose(out._storage, expected)


@pytest.mark.task3_4
@pytest.mark.parametrize("size", [1, 3, 7])
def test_mm_practice_multiplies_square_matrices(size: int) -> None:
    x, y = rng.random((size, size)), rng.random((size, size))
    out = minitorch.mm_practice(minitorch.tensor(x, backend=CUDA), minitorch.tensor(y, backend=CUDA))
    np.testing.assert_allclose(out._storage.reshape(size, size), x @ y)


def test_practice_kernels_reject_wrong_shapes() -> None:
    with pytest.raises(ValueError, match="sum_practice: expects a 1-D tensor"):
        minitorch.sum_practice(minitorch.zeros((2, 2), backend=CUDA))
    with pytest.raises(ValueError, match="mm_practice: expects two square matrices"):
        minitorch.mm_practice(minitorch.zeros((2, 3), backend=CUDA), minitorch.zeros((3, 2), backend=CUDA))
    big = minitorch.zeros((33, 33), backend=CUDA)
    with pytest.raises(ValueError, match="at most 32"):
        minitorch.mm_practice(big, big)
