"""Strategies and reference checks shared by the tests of the numba backends (FastOps, CudaOps).

Every backend is compared with plain NumPy on the same numbers: tensors come in random shapes, in
random memory layouts (a contiguous tensor of permuted shape, permuted back, so its strides are not
row-major), and in pairs whose shapes broadcast.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st

import minitorch
from minitorch import Tensor, TensorBackend, operators

__all__ = [
    "MAPS", "ZIPS", "REDUCES", "shapes", "tensors", "broadcast_pair", "matmul_pair", "assert_matches",
    "check_maps", "check_map_into_broadcast_out", "check_zips", "check_reduces", "check_matmul",
    "check_gradients",
]

Array = npt.NDArray[np.float64]

# (backend attribute, NumPy reference) for each map, zip and reduce of a TensorBackend.
MAPS: list[tuple[str, Callable[[Array], Array]]] = [
    ("neg_map", np.negative),
    ("sigmoid_map", lambda x: 1.0 / (1.0 + np.exp(-x))),
    ("relu_map", lambda x: np.where(x > 0, x, 0.0)),
    ("log_map", np.log),
    ("exp_map", np.exp),
    ("id_map", lambda x: x),
    ("inv_map", lambda x: 1.0 / x),
]
ZIPS: list[tuple[str, Callable[[Array, Array], Array]]] = [
    ("add_zip", np.add),
    ("mul_zip", np.multiply),
    ("lt_zip", lambda x, y: (x < y).astype(float)),
    ("eq_zip", lambda x, y: (x == y).astype(float)),
    ("is_close_zip", lambda x, y: (np.abs(x - y) < 1e-2).astype(float)),
    ("relu_back_zip", lambda x, d: np.where(x > 0, d, 0.0)),
    ("log_back_zip", lambda x, d: d / x),
    ("inv_back_zip", lambda x, d: -d / (x * x)),
]
REDUCES: list[tuple[str, Callable[..., Array]]] = [
    ("add_reduce", np.add.reduce),
    ("mul_reduce", np.multiply.reduce),
]

shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple)
"""Shapes of one to four dimensions, each of size 1 to 4."""

values = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)


@st.composite
def tensors(
    draw: st.DrawFn, backend: TensorBackend, shape: tuple[int, ...] | None = None
) -> Tensor:
    """A tensor of ``shape`` (drawn when omitted) whose strides follow a random permutation."""
    shape = draw(shapes) if shape is None else shape
    order = draw(st.permutations(range(len(shape))))
    size = int(operators.prod([float(s) for s in shape]))
    numbers = draw(st.lists(values, min_size=size, max_size=size))
    # Store the numbers contiguously in the permuted shape, then permute back: same shape, odd strides.
    stored = minitorch.TensorData(numbers, tuple(shape[k] for k in order))
    inverse = [order.index(k) for k in range(len(shape))]
    return Tensor(stored.permute(*inverse), backend=backend)


@st.composite
def broadcast_pair(draw: st.DrawFn, backend: TensorBackend) -> tuple[Tensor, Tensor]:
    """Two tensors whose shapes broadcast: the second drops leading dimensions or has sizes of 1."""
    shape = draw(shapes)
    dropped = draw(st.integers(0, len(shape) - 1))
    other = [1 if draw(st.booleans()) else s for s in shape[dropped:]]
    first, second = (shape, tuple(other)) if draw(st.booleans()) else (tuple(other), shape)
    return draw(tensors(backend, first)), draw(tensors(backend, second))


def assert_matches(result: Tensor, expected: Array, what: str) -> None:
    """``result`` has ``expected``'s shape and numbers (nan where it has nan, infinities equal)."""
    actual = result.to_numpy()
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12, err_msg=what)


# ## Checks, each run by test_fast_ops.py and test_cuda_ops.py on their backend


def check_maps(backend: TensorBackend, data: st.DataObject) -> None:
    """Every map of the backend gives NumPy's numbers on a tensor with a random layout."""
    name, reference = data.draw(st.sampled_from(MAPS), label="map")
    a = data.draw(tensors(backend), label="a")
    if name in ("log_map", "inv_map"):
        a = a.f.add_zip(a.f.mul_zip(a, a), a.zeros((1,)) + 0.5)  # keep inside the domain: x^2 + 0.5
    assert_matches(getattr(backend, name)(a), reference(a.to_numpy()), name)


def check_map_into_broadcast_out(backend: TensorBackend, data: st.DataObject) -> None:
    """``fn_map(a, out)`` broadcasts ``a`` into a bigger ``out`` (what Tensor.expand relies on)."""
    small, big = data.draw(broadcast_pair(backend), label="pair")
    if small.size > big.size:
        small, big = big, small
    out = big.zeros(big.shape)
    try:
        expected = np.broadcast_to(-small.to_numpy(), big.shape)
    except ValueError:  # the pair broadcasts to a third shape; that is zip's case, not map's
        return
    assert_matches(backend.neg_map(small, out), np.array(expected), "neg_map into out")


def check_zips(backend: TensorBackend, data: st.DataObject) -> None:
    """Every zip of the backend gives NumPy's numbers on broadcast pairs with random layouts."""
    name, reference = data.draw(st.sampled_from(ZIPS), label="zip")
    a, b = data.draw(broadcast_pair(backend), label="a, b")
    if name in ("log_back_zip", "inv_back_zip"):
        a = a.f.add_zip(a.f.mul_zip(a, a), a.zeros((1,)) + 0.5)
    assert_matches(getattr(backend, name)(a, b), reference(a.to_numpy(), b.to_numpy()), name)


def check_reduces(backend: TensorBackend, data: st.DataObject) -> None:
    """``add_reduce`` and ``mul_reduce`` along any dimension keep it with size 1, as NumPy's."""
    name, reference = data.draw(st.sampled_from(REDUCES), label="reduce")
    a = data.draw(tensors(backend), label="a")
    dim = data.draw(st.integers(0, a.dims - 1), label="dim")
    expected = reference(a.to_numpy(), axis=dim, keepdims=True)
    assert_matches(getattr(backend, name)(a, dim), expected, f"{name} over dim {dim}")


@st.composite
def matmul_pair(draw: st.DrawFn, backend: TensorBackend) -> tuple[Tensor, Tensor]:
    """``a`` of shape (..., n, m) and ``b`` of shape (..., m, p) whose batch dimensions broadcast."""
    n, m, p = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    batch_a = draw(st.lists(st.integers(1, 3), max_size=2))
    batch_b = [1 if draw(st.booleans()) else s for s in batch_a][draw(st.integers(0, len(batch_a))) :]
    if draw(st.booleans()):
        batch_a, batch_b = batch_b, batch_a
    a = draw(tensors(backend, (*batch_a, n, m)))
    b = draw(tensors(backend, (*batch_b, m, p)))
    return a, b


def check_matmul(backend: TensorBackend, data: st.DataObject) -> None:
    """``a @ b`` equals NumPy's matmul, batch dimensions broadcast, for any layouts."""
    a, b = data.draw(matmul_pair(backend), label="a, b")
    assert_matches(a @ b, np.matmul(a.to_numpy(), b.to_numpy()), "matmul")


def _gradients(backend: TensorBackend, arrays: list[Array]) -> list[Array]:
    """The gradients of a small network-like function of two tensors, computed on ``backend``."""
    a, b = (minitorch.tensor(x, backend=backend, requires_grad=True) for x in arrays)
    hidden = (a @ b).sigmoid() * a.sum(1) + (a.permute(1, 0) @ a).relu().sum().log()
    (hidden.exp() * 0.1).sum().backward()
    assert a.grad is not None and b.grad is not None
    return [a.grad.to_numpy(), b.grad.to_numpy()]


def check_gradients(backend: TensorBackend, data: st.DataObject) -> None:
    """Backward through the backend gives the NumPy backend's gradients on the same numbers."""
    n, m = data.draw(st.integers(1, 3), label="n"), data.draw(st.integers(1, 3), label="m")
    arrays = [
        np.array(data.draw(st.lists(values, min_size=n * m, max_size=n * m)), dtype=float).reshape(s)
        for s in [(n, m), (m, n)]
    ]
    arrays[0] = np.abs(arrays[0]) * 0.1 + 0.1  # a > 0, so that the log's argument stays positive
    expected = _gradients(minitorch.NumpyBackend, arrays)
    for actual, wanted, name in zip(_gradients(backend, arrays), expected, "ab", strict=True):
        np.testing.assert_allclose(actual, wanted, rtol=1e-9, atol=1e-12, err_msg=f"d/d{name}")
