"""Forward mode: ``jvp(fun, primals, tangents) -> (out, tangent_out)``, and its nesting with reverse mode.

A jvp along the basis vector e_i is the i-th component of the gradient; along any direction t it
is ``J t``. Nesting forward over reverse (``jvp(grad(f), ...)``) and reverse over forward
(``grad(lambda x: jvp(f, ...)[1])``) both give Hessian-vector products.
"""

import math
from typing import Any

import numpy as np
import pytest
from expressions import Expr, expressions_with_points
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minitorch import check_grads, grad, hessian, jacobian, jvp, no_grad


def basis(n: int, i: int) -> tuple[float, ...]:
    return tuple(1.0 if k == i else 0.0 for k in range(n))


def test_jvp_returns_value_and_directional_derivative() -> None:
    out, tangent = jvp(lambda x, y: x * y + np.sin(x), (1.0, 2.0), (1.0, 0.0))
    assert out == pytest.approx(2.0 + math.sin(1.0))
    assert tangent == pytest.approx(2.0 + math.cos(1.0))


def test_jvp_outputs_are_floats_for_float_primals() -> None:
    out, tangent = jvp(lambda x: x * x, (3.0,), (1.0,))
    assert type(out) is float and type(tangent) is float
    assert (out, tangent) == (9.0, 6.0)


def test_jvp_of_int_primal_treats_it_as_real() -> None:
    assert jvp(lambda n: 1 / n, (4,), (1,)) == (0.25, pytest.approx(-1 / 16))


def test_jvp_on_arrays_equals_jacobian_times_tangent() -> None:
    f = lambda v: np.array([v[0] * v[1], np.exp(v[1]) * v[2], np.sum(v * v)])  # noqa: E731
    x = np.array([0.5, -0.3, 1.2])
    t = np.array([1.0, 2.0, -1.0])
    out, tangent = jvp(f, (x,), (t,))
    assert isinstance(tangent, np.ndarray) and tangent.shape == (3,) and tangent.dtype == np.float64
    np.testing.assert_allclose(out, f(x))
    np.testing.assert_allclose(tangent, jacobian(f)(x) @ t, rtol=1e-12)


def test_jvp_with_structured_primals_and_outputs() -> None:
    params = {"w": np.array([1.0, 2.0]), "b": 0.5}
    tangents = {"w": np.array([0.0, 1.0]), "b": 1.0}
    out, tangent = jvp(lambda p: [np.sum(p["w"] * p["w"]), {"shift": p["b"] * 3.0}], (params,), (tangents,))
    assert out == [5.0, {"shift": 1.5}]
    assert tangent == [4.0, {"shift": 3.0}]


def test_jvp_of_constant_function_has_zero_tangent() -> None:
    assert jvp(lambda x: 3.0, (1.0,), (1.0,)) == (3.0, 0.0)


def test_jvp_is_linear_in_the_tangent() -> None:
    f = lambda x, y: np.tanh(x * y) + x ** 3  # noqa: E731
    primals = (0.4, -0.9)
    a = jvp(f, primals, (1.0, 0.0))[1]
    b = jvp(f, primals, (0.0, 1.0))[1]
    assert jvp(f, primals, (2.0, -3.0))[1] == pytest.approx(2 * a - 3 * b, rel=1e-12)


def test_jvp_tangent_of_wrong_size_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"tangents\[0\]"):
        jvp(lambda x: np.sum(x), (np.zeros(3),), (np.zeros(2),))


@pytest.mark.parametrize(
    ("primals", "tangents"),
    [([1.0], [1.0]), ((1.0, 2.0), (1.0,)), (1.0, 1.0)],
    ids=["lists", "lengths-differ", "not-tuples"],
)
def test_jvp_primals_and_tangents_must_be_matching_tuples(primals: Any, tangents: Any) -> None:
    with pytest.raises(TypeError, match="tuples of the same length"):
        jvp(lambda *xs: xs[0], primals, tangents)


def test_jvp_rejects_non_differentiable_primal_naming_its_path() -> None:
    with pytest.raises(TypeError, match=r"primals\[0\]\['a'\]"):
        jvp(lambda p: 1.0, ({"a": "text"},), ({"a": 1.0},))


def test_jvp_ignores_no_grad_around_the_call() -> None:
    with no_grad():
        assert jvp(lambda x: x * x, (3.0,), (1.0,)) == (9.0, 6.0)


# ## Forward against reverse on random expressions


@settings(max_examples=100)
@given(case=expressions_with_points(n_vars=3))
def test_jvp_along_basis_vector_equals_grad_component(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    n = len(point)
    for i in range(n):
        out, tangent = jvp(expr, point, basis(n, i))
        assert out == pytest.approx(float(expr(*point)), rel=1e-12, abs=1e-12)
        assert tangent == pytest.approx(grad(expr, argnum=i)(*point), rel=1e-9, abs=1e-12), f"x{i}: {expr!r}"


@settings(max_examples=25)
@given(
    case=expressions_with_points(n_vars=3),
    direction=st.tuples(*[st.floats(-2.0, 2.0)] * 3),
)
def test_jvp_along_any_direction_equals_gradient_dot_direction(
    case: tuple[Expr, tuple[float, ...]], direction: tuple[float, ...]
) -> None:
    expr, point = case
    gradient = grad(lambda v: expr(*v))(np.array(point))
    tangent = jvp(expr, point, direction)[1]
    assert tangent == pytest.approx(float(np.dot(gradient, direction)), rel=1e-9, abs=1e-9)


@settings(max_examples=30)
@given(case=expressions_with_points(n_vars=2))
def test_check_grads_forward_mode_random_expression(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    assume(expr.kink_distance(*point) > 1e-2 and expr.magnitude(*point) < 1e2)
    check_grads(expr, modes=("fwd",), order=1, atol=1e-4, rtol=1e-4)(*point)


# ## Nesting forward and reverse mode


def hvp_forward_over_reverse(f: Any, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    return jvp(grad(f), (x,), (t,))[1]


def hvp_reverse_over_forward(f: Any, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    return grad(lambda v: jvp(f, (v,), (t,))[1])(x)


def test_forward_over_reverse_gives_hessian_vector_product() -> None:
    f = lambda v: np.sum(np.sin(v) * v[0]) + np.exp(v[1] * v[2])  # noqa: E731
    x = np.array([0.3, -0.4, 0.8])
    t = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(hvp_forward_over_reverse(f, x, t), hessian(f)(x) @ t, rtol=1e-10)


def test_reverse_over_forward_gives_hessian_vector_product() -> None:
    f = lambda v: np.sum(np.sin(v) * v[0]) + np.exp(v[1] * v[2])  # noqa: E731
    x = np.array([0.3, -0.4, 0.8])
    t = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(hvp_reverse_over_forward(f, x, t), hessian(f)(x) @ t, rtol=1e-10)


@settings(max_examples=50)
@given(case=expressions_with_points(n_vars=2))
def test_nested_modes_agree_on_random_expressions(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    f = lambda v: expr(*v)  # noqa: E731
    x = np.array(point)
    t = np.array([1.0, -0.5])
    by_hessian = hessian(f)(x) @ t
    np.testing.assert_allclose(hvp_forward_over_reverse(f, x, t), by_hessian, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hvp_reverse_over_forward(f, x, t), by_hessian, rtol=1e-9, atol=1e-9)


def test_forward_over_forward_second_derivative() -> None:
    # d2/dx2 x^3 sin x, by a jvp of a jvp.
    f = lambda x: x ** 3 * np.sin(x)  # noqa: E731
    x = 0.9
    second = jvp(lambda y: jvp(f, (y,), (1.0,))[1], (x,), (1.0,))[1]
    expected = 6 * x * math.sin(x) + 6 * x**2 * math.cos(x) - x**3 * math.sin(x)
    assert second == pytest.approx(expected, rel=1e-12)


def test_grad_with_respect_to_the_tangent() -> None:
    # jvp is linear in the tangent t: d/dt [f'(x) t^2] = 2 t f'(x), for f = x^3 at x = 2.
    assert grad(lambda t: jvp(lambda x: x**3, (2.0,), (t * t,))[1])(3.0) == pytest.approx(72.0)
    assert grad(lambda t: jvp(np.sin, (0.5,), (t,))[1])(1.0) == pytest.approx(math.cos(0.5))


def test_forward_mode_through_scalar_methods() -> None:
    out, tangent = jvp(lambda x: (x * 2.0).sigmoid().log() + x.relu(), (0.5,), (1.0,))
    s = 1.0 / (1.0 + math.exp(-1.0))
    assert out == pytest.approx(math.log(s) + 0.5)
    assert tangent == pytest.approx(2.0 * (1.0 - s) + 1.0)
