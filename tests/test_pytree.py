"""``flatten`` and the pytree rules: which nested arguments the functional API accepts, and how.

A pytree is a float, an int, a NumPy array, or a list, tuple or dict of pytrees. ``flatten`` turns
one into a 1-D float vector (arrays in C order, dicts in key order) and returns the way back;
``unflatten`` rebuilds the same containers, with floats where the value had numbers (ints become
floats: they are differentiated as reals) and float arrays of the original shapes.
"""

from collections import namedtuple
from typing import Any

import numpy as np
import pytest
from expressions import assert_same_tree, pytrees
from hypothesis import given, settings

from minitorch import Scalar, flatten


def count_numbers(tree: Any) -> int:
    if isinstance(tree, dict):
        return sum(count_numbers(v) for v in tree.values())
    if isinstance(tree, (list, tuple)):
        return sum(count_numbers(v) for v in tree)
    return int(np.size(tree))


@settings(max_examples=100)
@given(tree=pytrees())
def test_flatten_round_trips_random_structures(tree: Any) -> None:
    vector, unflatten = flatten(tree)
    assert vector.ndim == 1 and vector.dtype == np.float64
    assert vector.size == count_numbers(tree)
    assert_same_tree(tree, unflatten(vector))


@settings(max_examples=30)
@given(tree=pytrees())
def test_flatten_unflatten_accepts_any_vector_of_the_right_length(tree: Any) -> None:
    vector, unflatten = flatten(tree)
    doubled = unflatten(2.0 * vector)
    again, _ = flatten(doubled)
    np.testing.assert_array_equal(again, 2.0 * vector)


def test_flatten_orders_arrays_in_c_order_and_dicts_by_key_order() -> None:
    tree = {"z": np.array([[1.0, 2.0], [3.0, 4.0]]), "a": [5.0, (6.0, 7)]}
    vector, unflatten = flatten(tree)
    np.testing.assert_array_equal(vector, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    rebuilt = unflatten(vector)
    assert list(rebuilt) == ["z", "a"]
    assert_same_tree(tree, rebuilt)


def test_flatten_ints_come_back_as_floats() -> None:
    vector, unflatten = flatten([1, np.array([2, 3])])
    rebuilt = unflatten(vector)
    assert type(rebuilt[0]) is float and rebuilt[0] == 1.0
    assert rebuilt[1].dtype == np.float64
    np.testing.assert_array_equal(rebuilt[1], [2.0, 3.0])


def test_flatten_unflatten_returns_fresh_arrays() -> None:
    x = np.array([1.0, 2.0])
    vector, unflatten = flatten({"x": x})
    rebuilt = unflatten(vector)
    rebuilt["x"][0] = 100.0
    assert x[0] == 1.0 and vector[0] == 1.0


def test_flatten_keeps_namedtuples() -> None:
    Point = namedtuple("Point", "x y")
    vector, unflatten = flatten(Point(1.0, [2.0, 3.0]))
    rebuilt = unflatten(vector)
    assert type(rebuilt) is Point and rebuilt.y == [2.0, 3.0]


def test_flatten_empty_structures_give_empty_vector() -> None:
    vector, unflatten = flatten({"a": [], "b": ()})
    assert vector.shape == (0,)
    assert unflatten(vector) == {"a": [], "b": ()}


def test_flatten_zero_dimensional_array_keeps_its_shape() -> None:
    vector, unflatten = flatten(np.array(2.5))
    assert vector.shape == (1,)
    rebuilt = unflatten(vector)
    assert isinstance(rebuilt, np.ndarray) and rebuilt.shape == ()


def test_flatten_unflatten_wrong_length_raises_value_error() -> None:
    _, unflatten = flatten([1.0, 2.0])
    with pytest.raises(ValueError, match="expected a vector of 2 numbers, got 3"):
        unflatten(np.zeros(3))


@pytest.mark.parametrize(
    ("tree", "path"),
    [
        ({"w": [1.0, "two"]}, "value['w'][1]"),
        ([1.0, None], "value[1]"),
        ({"flag": True}, "value['flag']"),
        ((1.0, np.bool_(False)), "value[1]"),
    ],
    ids=["string", "none", "bool", "numpy-bool"],
)
def test_flatten_rejects_non_number_leaf_naming_its_path(tree: Any, path: str) -> None:
    with pytest.raises(TypeError) as info:
        flatten(tree)
    assert path in str(info.value)


@pytest.mark.parametrize("dtype", [bool, str, complex], ids=lambda d: d.__name__)
def test_flatten_rejects_arrays_that_are_not_real_numbers(dtype: type) -> None:
    with pytest.raises(TypeError, match="dtype"):
        flatten({"a": np.zeros(2, dtype=dtype)})


def test_flatten_rejects_scalars() -> None:
    with pytest.raises(TypeError, match="Scalars"):
        flatten([Scalar(1.0)])
