"""Plain NumPy code is differentiable: ufuncs on Scalars dispatch through ``Scalar.__array_ufunc__``.

Each function below is written with ``import numpy as np`` only. Its gradient from ``grad`` is
compared with central differences of the same function run on floats. Points are kept away from
kinks (``abs``, ``maximum``, ``max``) and outside the domains' edges (``log``, ``sqrt``).
Unsupported NumPy calls must fail with a ``TypeError`` that names the call.
"""

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from expressions import numeric_gradient
from hypothesis import given, settings
from hypothesis import strategies as st

from minitorch import Scalar, grad, value_and_grad

W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


@dataclass(frozen=True)
class Case:
    """A NumPy function of one argument and the point where its gradient is checked."""

    name: str
    fun: Callable[[Any], Any]
    point: Any

    def __str__(self) -> str:
        return self.name


X = np.array([0.3, -1.2, 0.8])
POSITIVE = np.array([0.5, 1.7, 3.0])

CASES = [
    Case("exp", lambda x: np.sum(np.exp(x)), X),
    Case("log", lambda x: np.sum(np.log(x)), POSITIVE),
    Case("tanh", lambda x: np.sum(np.tanh(x)), X),
    Case("sin", lambda x: np.sum(np.sin(x)), X),
    Case("cos", lambda x: np.sum(np.cos(x)), X),
    Case("sqrt", lambda x: np.sum(np.sqrt(x)), POSITIVE),
    Case("abs", lambda x: np.sum(np.abs(x) * x), X),
    Case("maximum-constant", lambda x: np.sum(np.maximum(x, 0.0) * x), X),
    Case("maximum-variables", lambda x: np.sum(np.maximum(x, x[::-1] * 0.5)), X),
    Case("sum-axis", lambda x: np.sum(np.sum(x * W, axis=0) ** 2), X),
    Case("mean", lambda x: np.mean(x * x), X),
    Case("mean-axis", lambda x: np.sum(np.mean(x * W, axis=1) ** 2), X),
    Case("dot-vector", lambda x: np.dot(x, x), X),
    Case("dot-matrix", lambda x: np.sum(np.tanh(np.dot(W, x))), X),
    Case("matmul", lambda x: np.sum(np.sin(W @ x)), X),
    Case("max", lambda x: np.max(x * x), X),
    Case("full", lambda x: np.sum(np.full((3,), x[0]) * x), X),
    Case("arithmetic", lambda x: np.sum((x + 1.0) * (2.0 - x) / (x * x + 3.0) - 1.0 / (x + 5.0)), X),
    Case("power-constant", lambda x: np.sum(x**3 + x**2), X),
    Case("power-constant-base", lambda x: np.sum(2.0**x), X),
    Case("power-variable", lambda x: np.sum(x**x), POSITIVE),
    Case("np-power", lambda x: np.sum(np.power(x, 3)), X),
    Case("square-reciprocal", lambda x: np.sum(np.square(x) + np.reciprocal(x + 5.0)), X),
    Case("broadcast-column", lambda x: np.sum(np.tanh(x * np.array([[1.0], [-2.0]]))), X),
    Case("broadcast-matrix", lambda x: np.sum((W + x) ** 2), X),
    Case("negative", lambda x: np.sum(-x * np.negative(x)), X),
    Case("float-argument", lambda x: np.tanh(x) * np.exp(x) + np.sqrt(x * x + 1.0), 0.7),
    Case("float-maximum", lambda x: np.maximum(x, 0.0) * np.cos(x), 0.7),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_numpy_function_gradient_matches_central_difference(case: Case) -> None:
    value, g = value_and_grad(case.fun)(case.point)
    assert value == pytest.approx(float(case.fun(case.point)), rel=1e-12)
    expected = numeric_gradient(case.fun, case.point)
    assert type(g) is type(expected)
    np.testing.assert_allclose(g, expected, rtol=1e-6, atol=1e-7)


@settings(max_examples=30)
@given(x=st.floats(min_value=-3.0, max_value=3.0).filter(lambda v: abs(v) > 1e-3))
def test_numpy_tanh_gradient_matches_central_difference_everywhere(x: float) -> None:
    f = lambda v: np.tanh(v) * np.abs(v)  # noqa: E731
    assert grad(f)(x) == pytest.approx(numeric_gradient(f, x), rel=1e-6, abs=1e-7)


def test_numpy_max_gradient_is_one_hot_at_argmax() -> None:
    g = grad(np.max)(np.array([[1.0, 5.0], [3.0, 2.0]]))
    np.testing.assert_array_equal(g, [[0.0, 1.0], [0.0, 0.0]])


def test_numpy_ufunc_on_scalar_returns_scalar() -> None:
    y = np.exp(Scalar(0.0))
    assert isinstance(y, Scalar) and y.data == 1.0


def test_numpy_ufunc_on_array_of_scalars_returns_object_array() -> None:
    xs = np.array([Scalar(0.0), Scalar(1.0)], dtype=object)
    ys = np.sin(xs) + 1.0
    assert ys.dtype == object and ys.shape == (2,)
    assert all(isinstance(y, Scalar) for y in ys)


def test_numpy_mean_of_lone_scalar() -> None:
    assert grad(lambda x: np.mean(x * x))(3.0) == 6.0


@pytest.mark.parametrize("reduction", [np.sum, np.max], ids=lambda f: f.__name__)
def test_numpy_reduction_of_lone_scalar_gives_it_back(reduction: Callable[[Any], Any]) -> None:
    # The same code works on an array argument; called with a float it must work too. (NumPy
    # passes axis=None, dtype=None to ufunc.reduce here, which once made this a TypeError.)
    assert grad(lambda x: reduction(x * x))(3.0) == 6.0


@pytest.mark.parametrize(
    "op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow], ids=lambda f: f.__name__
)
def test_numpy_scalar_left_operand_with_scalar(op: Callable[[Any, Any], Any]) -> None:
    # Once a RecursionError: np.float64.__mul__ -> ufunc -> Scalar.__array_ufunc__ -> np.float64.__mul__.
    def fun(x: Any) -> Any:
        return op(np.float64(2.0), x)  # np.float64(2.0) + x, np.float64(2.0) * x, ...

    expected = numeric_gradient(fun, 1.5)
    assert grad(fun)(1.5) == pytest.approx(expected, rel=1e-6)


def test_numpy_constant_array_element_times_scalar() -> None:
    assert grad(lambda x: W[0, 1] * x + np.sum(W) * x)(2.0) == pytest.approx(-1.0 + W.sum())


@pytest.mark.parametrize(
    "call",
    [
        lambda x: np.arctan(x),
        lambda x: np.sum(np.arctan(np.array([x, x], dtype=object))),
    ],
    ids=["scalar", "object-array"],
)
def test_numpy_unsupported_ufunc_raises_type_error_naming_it(call: Callable[[Any], Any]) -> None:
    with pytest.raises(TypeError, match="arctan"):
        grad(call)(0.5)


def test_numpy_unsupported_ufunc_error_suggests_primitive() -> None:
    with pytest.raises(TypeError, match="primitive"):
        np.arctan(Scalar(0.5))


def test_numpy_unsupported_keyword_raises_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="dtype"):
        np.exp(Scalar(0.5), dtype=np.float64)


def test_numpy_unsupported_ufunc_method_raises_type_error() -> None:
    with pytest.raises(TypeError, match="accumulate"):
        np.add.accumulate(Scalar(0.5))


def test_math_module_on_scalar_fails_loudly() -> None:
    with pytest.raises(TypeError):
        math.exp(Scalar(0.5))  # type: ignore[arg-type]
