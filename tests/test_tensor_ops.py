"""Backends: SimpleOps' loops (task 2.3) and the NumPy backend agree with each other and with NumPy,
on random shapes, permuted (non-contiguous) layouts and broadcasting."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tensor_strategies import BACKENDS, broadcast_shapes, data_for, tensors, with_layout

import minitorch
from minitorch import IndexingError, Tensor, TensorBackend, operators
from minitorch.numpy_ops import stable_sigmoid

Array = np.ndarray

MAPS: dict[str, tuple[str, Callable[[Array], Array]]] = {
    "neg": ("neg_map", np.negative),
    "sigmoid": ("sigmoid_map", stable_sigmoid),
    "relu": ("relu_map", lambda x: np.maximum(x, 0.0)),
    "exp": ("exp_map", np.exp),
    "id": ("id_map", lambda x: x),
}
ZIPS: dict[str, tuple[str, Callable[[Array, Array], Array]]] = {
    "add": ("add_zip", np.add),
    "mul": ("mul_zip", np.multiply),
    "lt": ("lt_zip", lambda a, b: (a < b).astype(float)),
    "eq": ("eq_zip", lambda a, b: (a == b).astype(float)),
    "relu_back": ("relu_back_zip", lambda x, d: np.where(x > 0, d, 0.0)),
}
REDUCES: dict[str, tuple[str, Callable[..., Array]]] = {
    "add": ("add_reduce", np.sum),
    "mul": ("mul_reduce", np.prod),
}


@pytest.mark.task2_3
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("name", MAPS)
@given(data=st.data())
@settings(max_examples=25)
def test_map_matches_numpy(backend: TensorBackend, name: str, data: st.DataObject) -> None:
    t, array = data.draw(tensors(backend))
    method, reference = MAPS[name]
    out = getattr(backend, method)(t)
    np.testing.assert_allclose(out.to_numpy(), reference(array), rtol=1e-12, atol=1e-12)


@pytest.mark.task2_3
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@given(data=st.data())
@settings(max_examples=25)
def test_map_into_out_broadcasts_the_input(backend: TensorBackend, data: st.DataObject) -> None:
    small, other = data.draw(broadcast_shapes())
    big = minitorch.shape_broadcast(small, other)
    t, array = data.draw(tensors(backend, shape=small))
    out = backend.id_map(t, minitorch.zeros(big, backend=backend))
    np.testing.assert_array_equal(out.to_numpy(), np.broadcast_to(array, big))


@pytest.mark.task2_3
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("name", ZIPS)
@given(data=st.data())
@settings(max_examples=25)
def test_zip_broadcasts_like_numpy(backend: TensorBackend, name: str, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcast_shapes())
    a, array_a = data.draw(tensors(backend, shape=shape_a))
    b, array_b = data.draw(tensors(backend, shape=shape_b))
    method, reference = ZIPS[name]
    out = getattr(backend, method)(a, b)
    np.testing.assert_allclose(out.to_numpy(), reference(array_a, array_b), rtol=1e-12)


@pytest.mark.task2_3
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("name", REDUCES)
@given(data=st.data())
@settings(max_examples=25)
def test_reduce_keeps_the_dimension_like_numpy_keepdims(
    backend: TensorBackend, name: str, data: st.DataObject
) -> None:
    t, array = data.draw(tensors(backend))
    dim = data.draw(st.integers(0, t.dims - 1))
    method, reference = REDUCES[name]
    out = getattr(backend, method)(t, dim)
    np.testing.assert_allclose(out.to_numpy(), reference(array, axis=dim, keepdims=True), rtol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@given(data=st.data())
@settings(max_examples=25)
def test_matrix_multiply_broadcasts_batches_like_numpy(
    backend: TensorBackend, data: st.DataObject
) -> None:
    n, m, p = (data.draw(st.integers(1, 4)) for _ in range(3))
    batch_a, batch_b = data.draw(broadcast_shapes())
    batch_a, batch_b = batch_a[-2:], batch_b[-2:]
    a, array_a = data.draw(tensors(backend, shape=(*batch_a, n, m)))
    b, array_b = data.draw(tensors(backend, shape=(*batch_b, m, p)))
    out = backend.matrix_multiply(a, b)
    np.testing.assert_allclose(out.to_numpy(), np.matmul(array_a, array_b), rtol=1e-9, atol=1e-9)


@given(data=st.data())
@settings(max_examples=25)
def test_simple_and_numpy_backends_give_the_same_numbers(data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcast_shapes())
    array_a, array_b = data_for(data.draw, shape_a), data_for(data.draw, shape_b)
    order_a = data.draw(st.permutations(range(len(shape_a))))
    results = []
    for backend in BACKENDS.values():
        a = Tensor(with_layout(array_a, list(order_a)), backend=backend)
        b = Tensor(with_layout(array_b, list(range(len(shape_b)))), backend=backend)
        results.append(((a * b).sigmoid() + a).sum(0).to_numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


EDGE_VALUES = [-1000.0, -745.5, -720.0, -708.5, -1.0, -0.0, 0.0, 1.0, 720.0, 1000.0, float("nan")]


def test_numpy_backend_matches_operators_on_edge_cases() -> None:
    t = minitorch.tensor(EDGE_VALUES)
    for name, fn in [("sigmoid_map", operators.sigmoid), ("relu_map", operators.relu)]:
        got = getattr(minitorch.NumpyBackend, name)(t).to_numpy()
        expected = np.array([fn(v) for v in EDGE_VALUES])
        np.testing.assert_array_equal(got, expected, err_msg=name)
        # assert_array_equal takes -0.0 == 0.0; relu(-0.0) must be 0.0, as in operators
        zeros = expected == 0.0
        np.testing.assert_array_equal(np.signbit(got[zeros]), np.signbit(expected[zeros]), err_msg=name)


@pytest.mark.parametrize("d", [2.5, float("inf"), float("nan")])
def test_numpy_relu_back_matches_operators_on_edge_cases(d: float) -> None:
    x = minitorch.tensor(EDGE_VALUES)
    grad = minitorch.tensor([d] * len(EDGE_VALUES))
    got = minitorch.NumpyBackend.relu_back_zip(x, grad).to_numpy()
    np.testing.assert_array_equal(got, [operators.relu_back(v, d) for v in EDGE_VALUES])


@pytest.mark.parametrize(
    "d",
    [
        [float("inf"), -float("inf"), 1e308, -float("inf"), float("nan"), 1e308],  # sum is NaN
        [1e308, 1e308, 1e308, float("inf"), 2.0, 3.0],  # the sum overflows; no NaN anywhere
        [1e308, 1e308, 1e308, 5.0, float("nan"), 3.0],
    ],
)
def test_numpy_relu_back_is_exact_with_mixed_infinities_and_overflow(d: list[float]) -> None:
    # The fast product is checked through its sum: NaN there (from inf - inf too) redoes the
    # product with np.where, and an overflowing sum must neither warn nor change a number.
    x = [1.0, 2.0, 3.0, -1.0, 0.0, 7.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = minitorch.NumpyBackend.relu_back_zip(minitorch.tensor(x), minitorch.tensor(d))
    expected = [operators.relu_back(a, b) for a, b in zip(x, d, strict=True)]
    np.testing.assert_array_equal(got.to_numpy(), expected)


def test_numpy_sigmoid_back_matches_the_formula_on_the_loops() -> None:
    s = minitorch.tensor([0.0, 0.25, 0.5, 1.0, float("nan")])
    grad = minitorch.tensor([[1.0], [-3.0]])
    numpy_result = minitorch.NumpyBackend.sigmoid_back_zip(s, grad).to_numpy()
    loop_result = minitorch.SimpleBackend.sigmoid_back_zip(
        minitorch.tensor(s.to_numpy().tolist(), backend=minitorch.SimpleBackend),
        minitorch.tensor(grad.to_numpy().tolist(), backend=minitorch.SimpleBackend),
    ).to_numpy()
    np.testing.assert_array_equal(numpy_result, loop_result)


def test_unknown_function_falls_back_to_the_loops() -> None:
    ops = minitorch.NumpyOps
    cube = ops.map(lambda x: x * x * x)
    assert cube(minitorch.tensor([2.0, -1.0])).to_numpy().tolist() == [8.0, -1.0]
    maximum = ops.reduce(operators.max, -np.inf)
    assert maximum(minitorch.tensor([[1.0, 5.0], [3.0, 2.0]]), 0).to_numpy().tolist() == [[3.0, 5.0]]


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
def test_shape_mismatch_names_the_operation_and_both_shapes(backend: TensorBackend) -> None:
    a = minitorch.zeros((2, 3), backend=backend)
    b = minitorch.zeros((4,), backend=backend)
    with pytest.raises(IndexingError, match=r"add: shapes \(2, 3\) and \(4,\) do not broadcast"):
        backend.add_zip(a, b)
    with pytest.raises(IndexingError, match=r"matmul: shapes \(2, 3\) and \(2, 3\) do not match"):
        backend.matrix_multiply(a, a)
    with pytest.raises(IndexingError, match="at least two dimensions"):
        backend.matrix_multiply(a, b)
