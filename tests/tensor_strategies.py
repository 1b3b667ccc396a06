"""Hypothesis strategies for tensors: random shapes, permuted (non-contiguous) layouts, broadcasting."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import minitorch
from minitorch import Tensor, TensorBackend, TensorData

__all__ = [
    "shapes", "permuted_data", "tensors", "broadcast_shapes", "BACKENDS", "data_for",
    "with_layout",
]

BACKENDS = {"simple": minitorch.SimpleBackend, "numpy": minitorch.NumpyBackend}
"""Both backends, by a readable test id."""

shapes = st.lists(st.integers(1, 3), min_size=1, max_size=4).map(tuple)
"""Shapes of 1 to 4 dimensions, each of size 1 to 3."""

values = st.floats(min_value=-10.0, max_value=10.0, allow_nan=False, allow_infinity=False)


def data_for(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    """Draw a float array of ``shape``."""
    size = int(np.prod(shape))
    return np.array(draw(st.lists(values, min_size=size, max_size=size))).reshape(shape)


def with_layout(array: np.ndarray, order: list[int]) -> TensorData:
    """A TensorData holding ``array`` whose storage is laid out in dimension ``order``.

    The storage is ``array`` transposed by ``order``, row-major; the result is permuted back, so it
    reads as ``array`` but its strides are not row-major unless ``order`` is the identity.
    """
    stored = np.ascontiguousarray(array.transpose(order))
    inverse = [order.index(k) for k in range(array.ndim)]
    return TensorData(stored.reshape(-1), stored.shape).permute(*inverse)


@st.composite
def permuted_data(draw: st.DrawFn, shape: tuple[int, ...] | None = None) -> tuple[TensorData, np.ndarray]:
    """A TensorData with a random storage layout, and the NumPy array it should read as."""
    shape = draw(shapes) if shape is None else shape
    array = data_for(draw, shape)
    order = draw(st.permutations(range(len(shape))))
    return with_layout(array, list(order)), array


@st.composite
def tensors(
    draw: st.DrawFn, backend: TensorBackend, shape: tuple[int, ...] | None = None
) -> tuple[Tensor, np.ndarray]:
    """A Tensor on ``backend`` with a random layout, and its numbers as a NumPy array."""
    td, array = draw(permuted_data(shape))
    return Tensor(td, backend=backend), array


@st.composite
def broadcast_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast: each drops some leading dimensions and sets some sizes to 1."""
    full = draw(shapes)
    out = []
    for _ in range(2):
        dropped = draw(st.integers(0, len(full) - 1))
        shape = [1 if draw(st.booleans()) else s for s in full[dropped:]]
        out.append(tuple(shape))
    return out[0], out[1]
