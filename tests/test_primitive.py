"""Custom primitives (``@primitive`` + ``defvjp``) and ``check_grads``.

A primitive is a function on plain numbers or arrays that the engine records as one graph node;
its derivatives come from vjpmakers ``(ans, *args, **kwargs) -> (g -> vjp)``. Written with NumPy
calls, a vjp can be differentiated again, so ``check_grads(order=2)`` passes. ``check_grads`` must
catch a deliberately wrong vjp, at first and at second order, and say where.
"""

import copy
import math
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minitorch import (
    Primitive,
    Scalar,
    check_grads,
    defvjp,
    grad,
    hessian,
    jvp,
    primitive,
    topological_sort,
    vjp,
)


@primitive
def logsumexp(x: np.ndarray) -> float:
    """``log sum exp x``, stably: ``m + log sum exp(x - m)`` with ``m = max x``."""
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


# d/dx logsumexp = softmax(x) = exp(x - ans); np.full spreads the cotangent g over x's shape.
defvjp(logsumexp, lambda ans, x: lambda g: np.full(x.shape, g) * np.exp(x - ans))


@primitive
def scaled_product(x: float, y: float) -> float:
    return 3.0 * x * y * y


defvjp(
    scaled_product,
    lambda ans, x, y: lambda g: g * 3.0 * y * y,
    lambda ans, x, y: lambda g: g * 6.0 * x * y,
)


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


vectors = hnp.arrays(
    np.float64, st.integers(1, 4), elements=st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)
)


# ## One graph node


def test_primitive_on_plain_numbers_just_runs() -> None:
    out = logsumexp(np.array([0.0, math.log(3.0)]))
    assert not isinstance(out, Scalar)
    assert out == pytest.approx(math.log(4.0))


def test_primitive_records_a_single_graph_node() -> None:
    leaves = np.empty(3, dtype=object)
    leaves[:] = [Scalar(0.5), Scalar(-1.0), Scalar(2.0)]
    out = logsumexp(leaves)
    assert isinstance(out, Scalar)
    order = topological_sort(out)
    assert len(order) == 4  # the primitive's node and its three leaves: nothing of max/exp/log/sum
    assert order[0] is out and set(out.parents) == set(leaves)
    out.backward()
    np.testing.assert_allclose([s.derivative for s in leaves], softmax(np.array([0.5, -1.0, 2.0])))


def test_primitive_is_a_primitive_object_keeping_the_name() -> None:
    assert isinstance(logsumexp, Primitive)
    assert logsumexp.__name__ == "logsumexp"
    assert "logsumexp" in repr(logsumexp)
    assert "stably" in (logsumexp.__doc__ or "")


# ## Derivatives


@settings(max_examples=25)
@given(x=vectors)
def test_primitive_logsumexp_gradient_is_softmax(x: np.ndarray) -> None:
    g = grad(logsumexp)(x)
    assert g.shape == x.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, softmax(x), rtol=1e-10, atol=1e-12)


@settings(max_examples=15)
@given(x=vectors)
def test_primitive_logsumexp_hessian_is_diag_p_minus_p_p_transposed(x: np.ndarray) -> None:
    p = softmax(x)
    np.testing.assert_allclose(hessian(logsumexp)(x), np.diag(p) - np.outer(p, p), rtol=1e-9, atol=1e-12)


@settings(max_examples=10)
@given(x=vectors)
def test_primitive_logsumexp_passes_check_grads_second_order(x: np.ndarray) -> None:
    check_grads(logsumexp, modes=("fwd", "rev"), order=2)(x)


def test_primitive_logsumexp_is_stable_for_large_inputs() -> None:
    x = np.array([1000.0, 1000.0])
    assert logsumexp(x) == pytest.approx(1000.0 + math.log(2.0))
    np.testing.assert_allclose(grad(logsumexp)(x), [0.5, 0.5])


def test_primitive_inside_larger_function() -> None:
    def loss(w: np.ndarray) -> Any:
        return logsumexp(w * 2.0) + np.sum(w * w)

    x = np.array([0.1, -0.3, 0.7])
    np.testing.assert_allclose(grad(loss)(x), 2.0 * softmax(2.0 * x) + 2.0 * x, rtol=1e-10)
    check_grads(loss, order=2)(x)


def test_primitive_with_two_arguments_and_both_vjps() -> None:
    x, y = 0.7, -1.3
    assert grad(scaled_product, argnum=0)(x, y) == pytest.approx(3.0 * y * y)
    assert grad(scaled_product, argnum=1)(x, y) == pytest.approx(6.0 * x * y)
    assert grad(grad(scaled_product, argnum=0), argnum=1)(x, y) == pytest.approx(6.0 * y)
    check_grads(scaled_product, order=2)(x, y)


def test_primitive_forward_mode_uses_its_vjps() -> None:
    out, tangent = jvp(scaled_product, (0.7, -1.3), (1.0, 2.0))
    assert out == pytest.approx(3.0 * 0.7 * 1.69)
    assert tangent == pytest.approx(3.0 * 1.69 + 2.0 * 6.0 * 0.7 * -1.3)


def test_primitive_vjp_returns_cotangent_per_primal() -> None:
    _, vjp_fn = vjp(scaled_product, 2.0, 1.0)
    assert vjp_fn(1.0) == (pytest.approx(3.0), pytest.approx(12.0))


def test_primitive_keyword_arguments_are_passed_and_not_differentiated() -> None:
    @primitive
    def weighted_square(x: float, weight: float = 1.0) -> float:
        return weight * x * x

    defvjp(weighted_square, lambda ans, x, weight=1.0: lambda g: g * 2.0 * weight * x)
    assert grad(lambda x: weighted_square(x, weight=3.0))(2.0) == 12.0


def test_primitive_skipped_vjpmaker_for_constant_argument_is_fine() -> None:
    @primitive
    def power(x: float, k: float) -> float:
        return x**k

    defvjp(power, lambda ans, x, k: lambda g: g * k * x ** (k - 1.0), None)
    assert grad(power)(2.0, 3.0) == pytest.approx(12.0)


# ## Errors


def test_primitive_missing_vjpmaker_raises_naming_function_and_argument() -> None:
    @primitive
    def halfway(x: float, y: float) -> float:
        return x * y

    defvjp(halfway, lambda ans, x, y: lambda g: g * y)
    assert grad(halfway, argnum=0)(2.0, 3.0) == 3.0
    with pytest.raises(NotImplementedError) as info:
        grad(halfway, argnum=1)(2.0, 3.0)
    message = str(info.value)
    assert "halfway" in message and "argument 1" in message and "defvjp" in message


def test_primitive_without_any_vjpmaker_raises_naming_it() -> None:
    @primitive
    def bare(x: float) -> float:
        return x * 2.0

    with pytest.raises(NotImplementedError, match=r"bare.*argument 0"):
        grad(bare)(1.0)


def test_primitive_vjp_of_wrong_shape_raises_value_error() -> None:
    @primitive
    def total(x: np.ndarray) -> float:
        return np.sum(x)

    defvjp(total, lambda ans, x: lambda g: g)  # should be np.full(x.shape, g)
    with pytest.raises(ValueError, match=r"total.*1 number"):
        grad(total)(np.array([1.0, 2.0]))


def test_primitive_returning_an_array_works_on_arrays() -> None:
    @primitive
    def doubled(x: np.ndarray) -> np.ndarray:
        return 2.0 * x

    defvjp(doubled, lambda ans, x: lambda g: 2.0 * g)
    np.testing.assert_allclose(grad(lambda x: np.sum(doubled(x) ** 2))(np.array([1.0, 2.0])), [8.0, 16.0])


def test_primitive_returning_an_array_without_a_vjp_names_it() -> None:
    @primitive
    def doubled(x: np.ndarray) -> np.ndarray:
        return 2.0 * x

    with pytest.raises(NotImplementedError, match=r"doubled.*defvjp"):
        grad(lambda x: np.sum(doubled(x)))(np.array([1.0, 2.0]))


def test_defvjp_on_plain_function_raises_type_error() -> None:
    def plain(x: float) -> float:
        return x

    with pytest.raises(TypeError, match=r"plain.*primitive"):
        defvjp(plain, lambda ans, x: lambda g: g)  # type: ignore[arg-type]


# ## check_grads catches a wrong vjp, and says where


@primitive
def sine_wrong_first(x: float) -> float:
    return np.sin(x)


defvjp(sine_wrong_first, lambda ans, x: lambda g: g * np.sin(x))  # should be cos


@primitive
def cosine_wrong_first(x: float) -> float:
    return np.cos(x)


defvjp(cosine_wrong_first, lambda ans, x: lambda g: g * np.cos(x))  # should be -sin


@primitive
def sine_wrong_second(x: float) -> float:
    return np.sin(x)


# The vjp has the right value (cos) but is built from a primitive whose own vjp is wrong, so the
# first derivative is right and only the second-order check can catch the mistake.
defvjp(sine_wrong_second, lambda ans, x: lambda g: g * cosine_wrong_first(x))


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_check_grads_wrong_vjp_raises_naming_mode_order_point_values(mode: str) -> None:
    with pytest.raises(AssertionError) as info:
        check_grads(sine_wrong_first, modes=(mode,), order=1)(0.5)
    message = str(info.value)
    assert f"{mode} mode" in message and "order 1" in message
    assert "0.5" in message  # the point
    assert "by autodiff" in message and "by central differences" in message


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_check_grads_wrong_second_derivative_caught_at_order_two(mode: str) -> None:
    check_grads(sine_wrong_second, modes=(mode,), order=1)(0.5)
    with pytest.raises(AssertionError, match=f"{mode} mode, order 2"):
        check_grads(sine_wrong_second, modes=(mode,), order=2)(0.5)


def test_check_grads_passes_numpy_function_on_structured_arguments() -> None:
    def f(params: dict[str, Any], x: np.ndarray) -> Any:
        return np.sum(np.tanh(params["w"] * x + params["b"]))

    check_grads(f, order=2)({"w": np.array([0.5, -1.0]), "b": 0.1}, np.array([1.0, 2.0]))


def test_check_grads_vector_output() -> None:
    check_grads(lambda x: np.sin(x) * x[0], order=2)(np.array([0.3, -0.8]))


def test_check_grads_is_reproducible_with_its_seed() -> None:
    messages = []
    for _ in range(2):
        with pytest.raises(AssertionError) as info:
            check_grads(sine_wrong_first, seed=3, order=1)(0.5)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"modes": ("backward",)}, "modes"), ({"modes": ()}, "modes"), ({"order": 0}, "order")],
    ids=["unknown-mode", "no-mode", "order-0"],
)
def test_check_grads_rejects_bad_settings(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        check_grads(np.sin, **kwargs)


# ## Dict cotangents, pickling and copying graphs through a primitive


@primitive
def weighted(p: dict[str, float]) -> float:
    return 2.0 * p["a"] + 3.0 * p["b"]


# The vjp returns its dict in the opposite key order from the argument: matched by key.
defvjp(weighted, lambda ans, p: lambda g: {"b": 3.0 * g, "a": 2.0 * g})


def test_primitive_vjp_returning_dict_is_matched_by_key() -> None:
    assert grad(weighted)({"a": 1.0, "b": 1.0}) == {"a": 2.0, "b": 3.0}


def test_jvp_tangent_dict_is_matched_by_key() -> None:
    out, tangent = jvp(weighted, ({"a": 1.0, "b": 1.0},), ({"b": 0.0, "a": 1.0},))
    assert (out, tangent) == (5.0, 2.0)


def test_jvp_tangent_dict_with_other_keys_is_refused_naming_them() -> None:
    with pytest.raises(ValueError, match=r"tangents\[0\].*'a', 'b'.*'a', 'c'"):
        jvp(weighted, ({"a": 1.0, "b": 1.0},), ({"a": 0.0, "c": 1.0},))


@pytest.mark.parametrize("copy_with", ["pickle", "deepcopy"])
def test_graph_through_a_module_level_primitive_can_be_copied(copy_with: str) -> None:
    a, b = Scalar(1.0), Scalar(2.0)
    out = weighted({"a": a, "b": b}) * a
    if copy_with == "pickle":
        a2, b2, out2 = pickle.loads(pickle.dumps((a, b, out)))
    else:
        a2, b2, out2 = copy.deepcopy((a, b, out))
    out2.backward()
    assert (a2.derivative, b2.derivative) == (2.0 * 1.0 + 8.0, 3.0)


def test_pickling_a_local_primitive_is_refused_clearly() -> None:
    @primitive
    def local(x: float) -> float:
        return x

    with pytest.raises(pickle.PicklingError, match=r"primitive local cannot be pickled.*module level"):
        pickle.dumps(local(Scalar(1.0)))
