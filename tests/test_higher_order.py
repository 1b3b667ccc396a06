"""Higher-order derivatives through the same ScalarFunction classes: grad of grad, hessian, check_grads.

Second derivatives are compared with central differences of the first derivative,
``central_difference(grad(f), x, epsilon=1e-5)``: for every built-in function, for the course's
catalogue (``MathTestVariable``), for user functions, and for random expression graphs. Points are
kept away from kinks and poles. Nested transformations must not confuse their perturbations.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from expressions import Expr, expressions_with_points
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import (
    Context,
    Scalar,
    ScalarFunction,
    central_difference,
    check_grads,
    grad,
    hessian,
    jvp,
    operators,
)


def floats_between(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def second_difference(f: Callable[..., Any], *xs: float, i: int = 0, j: int = 0) -> float:
    """``d^2 f / dx_j dx_i`` as a central difference (eps 1e-5) of the exact first derivative."""
    return central_difference(grad(f, argnum=i), *xs, arg=j, epsilon=1e-5)


# ## Every built-in function, composed so that its backward formula gets differentiated


@dataclass(frozen=True)
class Builtin:
    """A function of one variable whose graph uses the built-in ``fn``, and where to draw x."""

    fn: type[ScalarFunction]
    fun: Callable[[Any], Any]
    points: st.SearchStrategy[float]
    label: str = ""

    def __str__(self) -> str:
        return self.label or self.fn.__name__


def _outside(low: float, high: float, gap: float) -> st.SearchStrategy[float]:
    return floats_between(low, high).filter(lambda x: abs(x) > gap)


BUILTINS = [
    Builtin(minitorch.Add, lambda x: minitorch.Add.apply(x, x * x * x), floats_between(-3, 3)),
    Builtin(minitorch.Mul, lambda x: minitorch.Mul.apply(x, x * x), floats_between(-3, 3)),
    Builtin(minitorch.Inv, lambda x: minitorch.Inv.apply(x), _outside(-5, 5, 0.5)),
    Builtin(minitorch.Neg, lambda x: minitorch.Neg.apply(x * x * x), floats_between(-3, 3)),
    Builtin(minitorch.Log, lambda x: minitorch.Log.apply(x), floats_between(0.2, 20)),
    Builtin(minitorch.Exp, lambda x: minitorch.Exp.apply(x), floats_between(-5, 5)),
    Builtin(minitorch.Sigmoid, lambda x: minitorch.Sigmoid.apply(x), floats_between(-8, 8)),
    Builtin(minitorch.ReLU, lambda x: minitorch.ReLU.apply(x * x * x), _outside(-3, 3, 1e-2)),
    Builtin(minitorch.Pow, lambda x: minitorch.Pow.apply(x, 3.0), floats_between(-3, 3), "Pow-constant"),
    Builtin(minitorch.Pow, lambda x: minitorch.Pow.apply(x, x), floats_between(0.2, 3), "Pow-variable"),
    Builtin(minitorch.Pow, lambda x: minitorch.Pow.apply(2.0, x), floats_between(-3, 3), "Pow-exponent"),
    Builtin(minitorch.Tanh, lambda x: minitorch.Tanh.apply(x), floats_between(-4, 4)),
    Builtin(minitorch.Sin, lambda x: minitorch.Sin.apply(x), floats_between(-6, 6)),
    Builtin(minitorch.Cos, lambda x: minitorch.Cos.apply(x), floats_between(-6, 6)),
    Builtin(minitorch.Sqrt, lambda x: minitorch.Sqrt.apply(x), floats_between(0.2, 20)),
    Builtin(minitorch.Abs, lambda x: minitorch.Abs.apply(x * x * x), _outside(-3, 3, 1e-2)),
]


@pytest.mark.parametrize("case", BUILTINS, ids=str)
@settings(max_examples=15)
@given(data=st.data())
def test_builtin_grad_of_grad_matches_central_difference(case: Builtin, data: st.DataObject) -> None:
    x = data.draw(case.points, label="x")
    analytic = grad(grad(case.fun))(x)
    assert type(analytic) is float
    assert analytic == pytest.approx(second_difference(case.fun, x), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("case", BUILTINS, ids=str)
def test_builtin_hessian_equals_grad_of_grad(case: Builtin) -> None:
    x = 0.7
    assert hessian(case.fun)(x) == pytest.approx(grad(grad(case.fun))(x), rel=1e-12)
    # Scalar functions apply to elements: an object array keeps the element path (Scalars).
    H = hessian(lambda v: case.fun(v[0]) + case.fun(v[1]) * v[0])(np.array([0.7, 1.3], dtype=object))
    assert H.shape == (2, 2)
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", BUILTINS, ids=str)
def test_builtin_check_grads_second_order(case: Builtin) -> None:
    # On floats, Fn.apply returns a constant Scalar; check_grads must accept that as a number.
    check_grads(case.fun, order=2)(0.7)


@pytest.mark.parametrize(
    "fn", [minitorch.Mul, minitorch.Pow, minitorch.Add], ids=lambda fn: fn.__name__
)
def test_builtin_two_argument_mixed_partials_match_central_difference(fn: type[ScalarFunction]) -> None:
    def f(x: Any, y: Any) -> Any:
        return fn.apply(x, y) * x

    point = (1.3, 0.6)
    for i in range(2):
        for j in range(2):
            analytic = grad(grad(f, argnum=i), argnum=j)(*point)
            numeric = second_difference(f, *point, i=i, j=j)
            assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-6), (i, j)


def test_builtin_third_and_fourth_derivatives_of_sin() -> None:
    x = 0.4
    assert grad(grad(grad(np.sin)))(x) == pytest.approx(-math.cos(x), rel=1e-12)
    assert grad(grad(grad(grad(np.sin))))(x) == pytest.approx(math.sin(x), rel=1e-12)


@settings(max_examples=30)
@given(w=floats_between(-5, 5), b=floats_between(-5, 5))
def test_pow_constant_exponent_second_order_with_negative_base(w: float, b: float) -> None:
    # (4 - 3w - b)^2 is ordinary code even where the base is negative: d2/dw2 = 18, never nan.
    with np.errstate(all="raise"):
        assert grad(grad(lambda w_: (4.0 - 3.0 * w_ - b) ** 2))(w) == pytest.approx(18.0)


def test_sigmoid_second_derivative_is_finite_when_saturated() -> None:
    for x in (-50.0, 50.0):
        value = grad(grad(lambda v: v.sigmoid()))(x)
        assert math.isfinite(value) and abs(value) < 1e-15


# ## The course's catalogue


ONE_ARG, TWO_ARG, _ = minitorch.MathTestVariable._comp_testing()

# Where each catalogue entry has a kink or a pole (a central difference is no reference there).
KINKS = {"relu": -5.5, "complex": -0.7, "inv": -3.5}


@pytest.mark.parametrize(("name", "base", "fun"), ONE_ARG, ids=[entry[0] for entry in ONE_ARG])
@settings(max_examples=20)
@given(x=floats_between(-100, 100))
def test_catalogue_one_arg_second_derivative_matches_central_difference(
    name: str, base: Callable[[float], float], fun: Callable[[Any], Any], x: float
) -> None:
    assume(abs(x - KINKS.get(name, math.inf)) > 0.5)
    analytic = grad(grad(fun))(x)
    assert analytic == pytest.approx(second_difference(fun, x), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize(("name", "base", "fun"), TWO_ARG, ids=[entry[0] for entry in TWO_ARG])
@settings(max_examples=10)
@given(x=floats_between(-100, 100), y=floats_between(-100, 100))
def test_catalogue_two_arg_second_derivatives_match_central_difference(
    name: str, base: Callable[[float, float], float], fun: Callable[[Any, Any], Any], x: float, y: float
) -> None:
    assume(name != "div2" or abs(y + 5.5) > 0.5)
    for i in range(2):
        for j in range(2):
            analytic = grad(grad(fun, argnum=i), argnum=j)(x, y)
            numeric = second_difference(fun, x, y, i=i, j=j)
            assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-6), (i, j)


# ## User-defined ScalarFunctions


class Cube(ScalarFunction):
    """``a^3``, with a backward written in ``*`` only: differentiable again."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return a * a * a

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        (a,) = ctx.saved_values
        return d_output * 3.0 * a * a


class NumpyExp(ScalarFunction):
    """``e^a`` written with ``np.exp``, which works on floats and on Scalars."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        (out,) = ctx.saved_values
        return d_output * out


class ScaledProduct(ScalarFunction):
    """``a * b * b`` with two inputs."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a * b * b

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_values
        return d_output * b * b, d_output * 2.0 * a * b


class FloatOnlyBackwardExp(ScalarFunction):
    """``e^a`` whose backward uses the float-only ``operators.exp``: first order only."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.exp(a)

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        (a,) = ctx.saved_values
        return d_output * operators.exp(a)


class MathExp(ScalarFunction):
    """``e^a`` written with ``math.exp`` in both forward and backward: first order only."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return math.exp(a)

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> Any:
        (a,) = ctx.saved_values
        return d_output * math.exp(a)


@settings(max_examples=20)
@given(x=floats_between(-3, 3))
def test_user_function_with_scalar_backward_second_order(x: float) -> None:
    assert grad(grad(Cube.apply))(x) == pytest.approx(6.0 * x, rel=1e-12, abs=1e-12)
    assert grad(grad(grad(Cube.apply)))(x) == pytest.approx(6.0)
    assert grad(grad(NumpyExp.apply))(x) == pytest.approx(math.exp(x), rel=1e-12)


def test_user_function_with_scalar_backward_through_every_nesting() -> None:
    x = 0.8
    assert hessian(Cube.apply)(x) == pytest.approx(4.8)
    assert jvp(grad(Cube.apply), (x,), (1.0,))[1] == pytest.approx(4.8)
    assert grad(lambda v: jvp(Cube.apply, (v,), (1.0,))[1])(x) == pytest.approx(4.8)
    check_grads(NumpyExp.apply, order=2)(x)


def test_user_two_input_function_mixed_partials() -> None:
    # f = a b^2: f_ab = 2b, f_bb = 2a.
    a, b = 1.5, -0.5
    assert grad(grad(ScaledProduct.apply, argnum=0), argnum=1)(a, b) == pytest.approx(2 * b)
    assert grad(grad(ScaledProduct.apply, argnum=1), argnum=1)(a, b) == pytest.approx(2 * a)


@pytest.mark.parametrize("fn", [FloatOnlyBackwardExp, MathExp], ids=lambda fn: fn.__name__)
def test_user_function_with_float_only_formula_first_order_works(fn: type[ScalarFunction]) -> None:
    assert grad(fn.apply)(0.5) == pytest.approx(math.exp(0.5))
    assert jvp(fn.apply, (0.5,), (2.0,))[1] == pytest.approx(2 * math.exp(0.5))


SECOND_ORDER = {
    "grad-of-grad": lambda f: grad(grad(f))(0.5),
    "hessian": lambda f: hessian(f)(0.5),
    "jvp-of-grad": lambda f: jvp(grad(f), (0.5,), (1.0,)),
    "grad-of-jvp": lambda f: grad(lambda x: jvp(f, (x,), (1.0,))[1])(0.5),
    "check_grads": lambda f: check_grads(f, modes=("rev",), order=2)(0.5),
}


@pytest.mark.parametrize("fn", [FloatOnlyBackwardExp, MathExp], ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("transform", list(SECOND_ORDER), ids=str)
def test_user_function_with_float_only_formula_second_order_raises_type_error(
    fn: type[ScalarFunction], transform: str
) -> None:
    with pytest.raises(TypeError, match="cannot be differentiated again") as info:
        SECOND_ORDER[transform](fn.apply)
    message = str(info.value)
    assert fn.__name__ in message
    assert "math." in message or "operators." in message


class KeepsOnCtx(ScalarFunction):
    """Keeps its input as an attribute of ctx instead of save_for_backward (a Context refuses)."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.kept = a  # type: ignore[attr-defined]
        return a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


class ReadsImag(ScalarFunction):
    """Reads ``a.imag``, which a float has and a Scalar of a nested trace does not."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return a + a.imag

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


def test_a_value_kept_on_ctx_as_an_attribute_is_explained() -> None:
    with pytest.raises(AttributeError, match=r"KeepsOnCtx\.forward kept a value on ctx as an attribute"):
        KeepsOnCtx.apply(Scalar(1.0))


def test_an_attribute_error_of_a_nested_trace_is_not_called_a_type_error() -> None:
    """Only a TypeError on nested Scalars gets the "cannot be differentiated again" explanation."""
    assert grad(ReadsImag.apply)(0.5) == 1.0
    with pytest.raises(AttributeError, match="imag") as info:
        grad(grad(ReadsImag.apply))(0.5)
    assert "kept a value on ctx" not in str(info.value)  # the explanation is for ctx attributes only


# ## Nesting: each trace sees only its own perturbation


def test_nested_grad_does_not_confuse_perturbations() -> None:
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1 (a confused implementation gives 2).
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(2.0) == 1.0


def test_nested_grad_closing_over_outer_variable() -> None:
    # d/dx [x * d/dy (x y)] = d/dx x^2 = 2x.
    assert grad(lambda x: x * grad(lambda y: x * y)(1.0))(3.0) == 6.0


def test_nested_jvp_does_not_confuse_perturbations() -> None:
    out, tangent = jvp(lambda x: x * jvp(lambda y: x + y, (1.0,), (1.0,))[1], (2.0,), (1.0,))
    assert (out, tangent) == (2.0, 1.0)


def test_grad_of_function_returning_inner_gradient_of_other_variable() -> None:
    # g(x) = d/dy [sin(x y)] at y = 2 = x cos(2x);  g'(x) = cos(2x) - 2x sin(2x).
    def g(x: Any) -> Any:
        return grad(lambda y: np.sin(x * y))(2.0)

    x = 0.3
    assert grad(g)(x) == pytest.approx(math.cos(2 * x) - 2 * x * math.sin(2 * x), rel=1e-12)


# ## Random expression graphs at second order


@settings(max_examples=100)
@given(case=expressions_with_points(n_vars=2))
def test_grad_of_grad_random_expression_matches_central_difference(
    case: tuple[Expr, tuple[float, ...]],
) -> None:
    expr, point = case
    assume(expr.kink_distance(*point) > 1e-2 and expr.magnitude(*point) < 1e3)
    for i in range(2):
        for j in range(2):
            analytic = grad(grad(expr, argnum=i), argnum=j)(*point)
            numeric = second_difference(expr, *point, i=i, j=j)
            assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-5), f"d2/dx{j}dx{i} of {expr!r}"


@settings(max_examples=50)
@given(case=expressions_with_points(n_vars=3))
def test_hessian_random_expression_is_symmetric_and_matches_grad_of_grad(
    case: tuple[Expr, tuple[float, ...]],
) -> None:
    expr, point = case
    assume(expr.kink_distance(*point) > 1e-2 and expr.magnitude(*point) < 1e3)
    H = hessian(lambda v: expr(*v))(np.array(point))
    assert H.shape == (3, 3) and H.dtype == np.float64
    np.testing.assert_allclose(H, H.T, rtol=1e-9, atol=1e-9)
    column = [grad(grad(expr, argnum=0), argnum=j)(*point) for j in range(3)]
    np.testing.assert_allclose(H[0], column, rtol=1e-12, atol=1e-12)


@settings(max_examples=40)
@given(case=expressions_with_points(n_vars=2))
def test_check_grads_random_expression_second_order(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    assume(expr.kink_distance(*point) > 1e-2 and expr.magnitude(*point) < 1e2)
    check_grads(expr, order=2, atol=1e-4, rtol=1e-4)(*point)


def test_operators_module_is_float_only() -> None:
    # The float prelude stays float-only: a Scalar reaching it fails instead of dropping the graph.
    with pytest.raises(TypeError):
        operators.exp(Scalar(0.5))
