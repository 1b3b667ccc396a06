"""TensorData: strides, indexing, permute (task 2.1) and broadcasting (task 2.2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tensor_strategies import broadcast_shapes, permuted_data, shapes

import minitorch
from minitorch import (
    IndexingError,
    TensorData,
    broadcast_index,
    index_to_position,
    shape_broadcast,
    strides_from_shape,
    to_index,
)

# ## Task 2.1: layout and indexing


@pytest.mark.task2_1
def test_index_to_position_sums_index_times_strides() -> None:
    assert index_to_position((1, 2), (3, 1)) == 5
    assert index_to_position(np.array([2, 0, 1]), np.array([1, 6, 3])) == 5


@pytest.mark.task2_1
@given(shapes)
def test_to_index_enumerates_each_index_once_in_row_major_order(shape: tuple[int, ...]) -> None:
    out = np.zeros(len(shape), dtype=np.int32)
    seen = []
    for ordinal in range(int(np.prod(shape))):
        to_index(ordinal, shape, out)
        seen.append(tuple(int(i) for i in out))
    assert seen == list(np.ndindex(*shape))


@pytest.mark.task2_1
@given(permuted_data())
def test_tensor_data_reads_like_numpy_in_any_layout(case: tuple[TensorData, np.ndarray]) -> None:
    td, array = case
    for index in td.indices():
        assert td.get(index) == array[index]
    assert list(td.indices()) == list(np.ndindex(*array.shape))


@pytest.mark.task2_1
@given(permuted_data(), st.data())
def test_permute_moves_shape_and_strides_and_shares_storage(
    case: tuple[TensorData, np.ndarray], data: st.DataObject
) -> None:
    td, array = case
    order = data.draw(st.permutations(range(td.dims)))
    permuted = td.permute(*order)
    assert permuted.shape == tuple(td.shape[k] for k in order)
    assert permuted._storage is td._storage
    expected = array.transpose(order)
    for index in permuted.indices():
        assert permuted.get(index) == expected[index]


@pytest.mark.task2_1
def test_permute_rejects_an_order_that_is_not_a_permutation() -> None:
    with pytest.raises(IndexingError, match=r"permute: order \(0, 0\)"):
        TensorData([0.0] * 6, (2, 3)).permute(0, 0)


def test_layout_of_the_course() -> None:
    td = TensorData([0.0] * 15, (3, 5), (5, 1))
    assert td.is_contiguous() and td.index((1, 2)) == 7
    assert not TensorData([0.0] * 15, (5, 3), (1, 5)).is_contiguous()
    assert strides_from_shape((4, 2, 2)) == (4, 2, 1)


def test_index_out_of_range_names_the_index_and_the_shape() -> None:
    td = TensorData([0.0] * 6, (2, 3))
    with pytest.raises(IndexingError, match=r"index \(5, 0\) is out of range for shape \(2, 3\)"):
        td.index((5, 0))
    with pytest.raises(IndexingError, match="negative"):
        td.index((-1, 0))
    with pytest.raises(IndexingError, match="one index per dimension"):
        td.index((1,))


def test_tensor_data_rejects_strides_of_the_wrong_length_or_too_small_storage() -> None:
    with pytest.raises(IndexingError, match="one entry per dimension"):
        TensorData([0.0] * 15, (3, 5), (6,))
    with pytest.raises(IndexingError, match="storage holds 5 numbers"):
        TensorData([0.0] * 5, (2, 3))


@given(permuted_data())
def test_numpy_view_shares_storage_and_reads_like_numpy(case: tuple[TensorData, np.ndarray]) -> None:
    td, array = case
    view = td.numpy_view()
    np.testing.assert_array_equal(view, array)
    assert np.shares_memory(view, td._storage)


def test_to_string_shows_rows_in_brackets() -> None:
    text = TensorData([1.0, 2.0, 3.0, 4.0], (2, 2)).to_string()
    assert "1.00" in text and "4.00" in text and text.count("[") == 3


# ## Task 2.2: broadcasting


@pytest.mark.task2_2
@given(broadcast_shapes())
def test_shape_broadcast_matches_numpy(pair: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    a, b = pair
    assert shape_broadcast(a, b) == np.broadcast_shapes(a, b)


@pytest.mark.task2_2
def test_shape_broadcast_examples_of_the_course() -> None:
    assert shape_broadcast((1,), (5, 5)) == (5, 5)
    assert shape_broadcast((1, 5, 5), (5, 5)) == (1, 5, 5)
    assert shape_broadcast((5, 1, 5, 1), (1, 5, 1, 5)) == (5, 5, 5, 5)
    assert shape_broadcast((2, 5), (5,)) == (2, 5)


@pytest.mark.task2_2
def test_shape_broadcast_error_names_both_shapes() -> None:
    with pytest.raises(IndexingError, match=r"\(5, 2\) and \(5,\) do not broadcast"):
        shape_broadcast((5, 2), (5,))


@pytest.mark.task2_2
@given(broadcast_shapes())
def test_broadcast_index_finds_the_element_numpy_repeats(
    pair: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    small, other = pair
    big = shape_broadcast(small, other)
    values = np.arange(int(np.prod(small)), dtype=float).reshape(small)
    repeated = np.broadcast_to(values, big)
    out = np.zeros(len(small), dtype=np.int32)
    for index in np.ndindex(*big):
        broadcast_index(index, big, small, out)
        assert values[tuple(out)] == repeated[index]


def test_indexing_error_is_exported_as_the_course_names_it() -> None:
    assert minitorch.IndexingError is IndexingError
    assert issubclass(IndexingError, RuntimeError)
