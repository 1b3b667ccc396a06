"""The functional API's reverse mode: ``grad``, ``value_and_grad``, ``grad_named``, ``multigrad_dict``,
``jacobian``, ``hessian``, ``vjp``, and the errors a user meets.

Arguments may be floats, ints (differentiated as reals), NumPy arrays, or nested lists, tuples and
dicts of them; a gradient has the structure and types of its argument. Derivatives are compared
with central differences, on hand-picked functions and on random expression graphs.
"""

import math
from typing import Any

import numpy as np
import pytest
from expressions import Expr, assert_same_tree, expressions_with_points, numeric_gradient, pytrees
from hypothesis import assume, given, settings

import minitorch
from minitorch import (
    central_difference,
    flatten,
    grad,
    grad_named,
    hessian,
    jacobian,
    multigrad_dict,
    value_and_grad,
    vjp,
)


def sum_of_squares(tree: Any) -> Any:
    """``sum x^2`` over every number of a pytree, written with NumPy calls."""
    if isinstance(tree, dict):
        tree = list(tree.values())
    if isinstance(tree, (list, tuple)):
        total: Any = 0.0
        for item in tree:
            total = total + sum_of_squares(item)
        return total
    # Arrays arrive as traced arrays (minitorch Tensors), plain arrays when not differentiated.
    return np.sum(tree * tree) if isinstance(tree, (np.ndarray, minitorch.Tensor)) else tree * tree


def doubled(tree: Any) -> Any:
    """``2 x`` for every number of a pytree, as floats and float arrays."""
    vector, unflatten = flatten(tree)
    return unflatten(2.0 * vector)


# ## Argument and gradient types


def test_grad_of_float_is_float() -> None:
    g = grad(lambda x: x * x * x)(2.0)
    assert type(g) is float and g == 12.0


def test_grad_of_int_is_float_derivative_as_real() -> None:
    g = grad(lambda x: x * x * x)(2)
    assert type(g) is float and g == 12.0


def test_grad_of_int_division_treats_int_as_real() -> None:
    assert grad(lambda n: 1 / n)(4) == pytest.approx(-1 / 16)


@pytest.mark.parametrize("flag", [True, np.bool_(False)], ids=["bool", "numpy-bool"])
def test_grad_rejects_bool_argument(flag: Any) -> None:
    with pytest.raises(TypeError, match=r"args\[0\] is bool"):
        grad(lambda x: x * 2.0)(flag)


def test_grad_of_numpy_float_is_float() -> None:
    g = grad(lambda x: x * x)(np.float64(3.0))
    assert isinstance(g, float) and g == 6.0


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)], ids=str)
def test_grad_of_array_is_float_array_of_same_shape(shape: tuple[int, ...]) -> None:
    x = np.arange(1.0, 1.0 + np.prod(shape, dtype=int)).reshape(shape)
    g = grad(lambda a: np.sum(a * a))(x)
    assert isinstance(g, np.ndarray) and g.shape == shape and g.dtype == np.float64
    np.testing.assert_allclose(g, 2 * x)


def test_grad_of_int_array_is_float_array() -> None:
    g = grad(lambda a: np.sum(a * a))(np.array([1, 2, 3]))
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g, [2.0, 4.0, 6.0])


def test_grad_of_nested_dict_keeps_structure_types_and_key_order() -> None:
    params = {"w": np.array([1.0, -2.0]), "b": 0.5, "extra": [3.0, (4, 5.0)]}

    def loss(p: Any) -> Any:
        return np.sum(p["w"] * p["w"]) + p["b"] * p["extra"][0] + p["extra"][1][0] * p["extra"][1][1]

    g = grad(loss)(params)
    expected = {"w": np.array([2.0, -4.0]), "b": 3.0, "extra": [0.5, (5.0, 4.0)]}
    assert_same_tree(expected, g)


@settings(max_examples=40)
@given(tree=pytrees())
def test_grad_has_structure_of_random_argument(tree: Any) -> None:
    assert_same_tree(doubled(tree), grad(sum_of_squares)(tree))


def test_grad_of_unused_entries_is_zero() -> None:
    g = grad(lambda p: p["used"] * 2.0)({"used": 1.0, "unused": np.ones(2)})
    assert g == {"used": 2.0, "unused": pytest.approx(np.zeros(2))}
    assert isinstance(g["unused"], np.ndarray)


def test_grad_of_constant_function_is_zero() -> None:
    assert grad(lambda x: 3.0)(1.0) == 0.0


def test_grad_differentiates_chosen_argnum_only() -> None:
    f = lambda x, y: x * x * y  # noqa: E731
    assert grad(f, argnum=0)(3.0, 2.0) == 12.0
    assert grad(f, argnum=1)(3.0, 2.0) == 9.0


def test_grad_passes_keyword_arguments_through() -> None:
    assert grad(lambda x, scale=1.0: scale * x * x)(3.0, scale=2.0) == 12.0


def test_grad_accepts_one_element_array_output() -> None:
    assert grad(lambda x: np.array([x * x]))(3.0) == 6.0


def test_grad_is_reusable_and_leaves_argument_untouched() -> None:
    x = np.array([1.0, 2.0])
    g = grad(lambda a: np.sum(a * a * a))
    first, second = g(x), g(x)
    np.testing.assert_array_equal(first, second)
    assert x.dtype == np.float64 and list(x) == [1.0, 2.0]


def test_grad_of_course_style_scalar_function() -> None:
    assert grad(lambda x: (x * 2.0).sigmoid().log())(0.0) == pytest.approx(1.0)


def test_grad_keeps_wrapped_function_name() -> None:
    def my_loss(x: Any) -> Any:
        return x * x

    assert grad(my_loss).__name__ == "my_loss"


# ## value_and_grad, grad_named, multigrad_dict


def test_value_and_grad_returns_value_and_gradient() -> None:
    value, g = value_and_grad(lambda x: np.sum(np.sin(x)))(np.array([0.0, 1.0]))
    assert value == pytest.approx(math.sin(1.0))
    np.testing.assert_allclose(g, [1.0, math.cos(1.0)])


def test_value_and_grad_value_is_a_float() -> None:
    value, _ = value_and_grad(lambda x: x * x)(3.0)
    assert type(value) is float and value == 9.0


def test_grad_named_differentiates_named_argument() -> None:
    def model(x: Any, params: Any) -> Any:
        return params["w"] * x + params["b"]

    g = grad_named(model, "params")(2.0, {"w": 3.0, "b": 1.0})
    assert g == {"w": 2.0, "b": 1.0}


def test_grad_named_reaches_argument_left_at_default() -> None:
    assert grad_named(lambda x, scale=3.0: scale * x * x, "scale")(2.0) == 4.0


def test_grad_named_accepts_keyword_call() -> None:
    assert grad_named(lambda x, y: x * y, "y")(x=5.0, y=2.0) == 5.0


def test_multigrad_dict_gives_every_argument_by_name() -> None:
    def f(x: Any, w: Any, b: float = 0.5) -> Any:
        return np.sum(w * x) + b * b

    g = multigrad_dict(f)(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    assert list(g) == ["x", "w", "b"]
    np.testing.assert_allclose(g["x"], [3.0, 4.0])
    np.testing.assert_allclose(g["w"], [1.0, 2.0])
    assert g["b"] == 1.0


# ## jacobian, hessian, vjp


def test_jacobian_of_vector_function_has_output_then_input_shape() -> None:
    x = np.array([0.5, -1.0, 2.0])
    J = jacobian(lambda v: np.array([v[0] * v[1], np.sin(v[2])]))(x)
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, [[-1.0, 0.5, 0.0], [0.0, 0.0, math.cos(2.0)]])


def test_jacobian_of_elementwise_function_is_diagonal() -> None:
    x = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(jacobian(np.tanh)(x), np.diag(1 - np.tanh(x) ** 2))


def test_jacobian_of_scalar_function_of_float_is_float() -> None:
    assert jacobian(lambda x: x * x)(3.0) == 6.0


def test_jacobian_rejects_structured_argument() -> None:
    with pytest.raises(TypeError, match="jacobian"):
        jacobian(lambda p: p["a"])({"a": 1.0})


def test_hessian_of_quadratic_is_its_matrix() -> None:
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    H = hessian(lambda x: 0.5 * np.dot(x, np.dot(A, x)))(np.array([0.3, -0.7]))
    np.testing.assert_allclose(H, A)


def test_hessian_is_symmetric_and_matches_finite_differences() -> None:
    f = lambda v: np.sum(np.sin(v) * v[0]) + np.exp(v[1] * v[2])  # noqa: E731
    x = np.array([0.3, -0.4, 0.8])
    H = hessian(f)(x)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    numeric = np.array([numeric_gradient(lambda v, i=i: grad(f)(v)[i], x, eps=1e-5) for i in range(3)])
    np.testing.assert_allclose(H, numeric, atol=1e-6)


def test_vjp_returns_one_cotangent_per_primal() -> None:
    out, vjp_fn = vjp(lambda x, y: x * y, np.array([1.0, 2.0]), 3.0)
    np.testing.assert_array_equal(out, [3.0, 6.0])
    cotangents = vjp_fn(np.array([1.0, 10.0]))
    assert isinstance(cotangents, tuple) and len(cotangents) == 2
    np.testing.assert_array_equal(cotangents[0], [3.0, 30.0])
    assert cotangents[1] == 21.0


def test_vjp_function_can_be_called_again() -> None:
    _, vjp_fn = vjp(lambda x: x * x, 2.0)
    assert vjp_fn(1.0) == (4.0,)
    assert vjp_fn(2.0) == (8.0,)


def test_vjp_with_structured_output() -> None:
    _, vjp_fn = vjp(lambda p: {"sq": p * p, "id": p}, 3.0)
    assert vjp_fn({"sq": 1.0, "id": 2.0}) == (8.0,)


def test_vjp_rows_build_the_jacobian() -> None:
    f = lambda v: np.array([v[0] * v[1], v[1] * v[1]])  # noqa: E731
    x = np.array([2.0, 3.0])
    _, vjp_fn = vjp(f, x)
    rows = [vjp_fn(np.eye(2)[i])[0] for i in range(2)]
    np.testing.assert_allclose(np.array(rows), jacobian(f)(x))


def test_vjp_cotangent_of_wrong_structure_raises_value_error_naming_vjp() -> None:
    _, vjp_fn = vjp(lambda x: x * x, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="vjp"):
        vjp_fn(np.array([1.0, 2.0, 3.0]))


# ## grad and no_grad


def test_grad_respects_no_grad_inside_the_function() -> None:
    def f(x: Any) -> Any:
        with minitorch.no_grad():
            c = x * x  # a constant: no derivative flows through it
        return x * c

    assert grad(f)(3.0) == 9.0


def test_grad_ignores_no_grad_around_the_call() -> None:
    with minitorch.no_grad():
        assert grad(lambda x: x * x)(3.0) == 6.0
        assert value_and_grad(lambda x: x * x)(3.0) == (9.0, 6.0)
        assert hessian(lambda x: x * x * x)(2.0) == 12.0
    assert minitorch.is_grad_enabled()


# ## A staged computation by hand versus grad


def test_grad_matches_staged_sigmoid_by_hand() -> None:
    x, w, b = 1.5, -0.8, 0.3
    z = w * x + b
    e = math.exp(-z)
    s = 1.0 / (1.0 + e)
    ds_de = -1.0 / (1.0 + e) ** 2
    de_dz = -e
    dz_dw = x
    by_hand = ds_de * de_dz * dz_dw
    g = grad(lambda w_: 1.0 / (1.0 + np.exp(-(w_ * x + b))))(w)
    assert g == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(s * (1 - s) * x, rel=1e-12)


# ## Random expression graphs: first derivatives against central differences


@settings(max_examples=100)
@given(case=expressions_with_points(n_vars=3))
def test_grad_random_expression_matches_central_difference(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    assume(expr.kink_distance(*point) > 1e-3 and expr.magnitude(*point) < 1e3)
    for i in range(len(point)):
        analytic = grad(expr, argnum=i)(*point)
        numeric = central_difference(expr, *point, arg=i, epsilon=1e-6)
        assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-5), f"d/dx{i} of {expr!r}"


@settings(max_examples=50)
@given(case=expressions_with_points(n_vars=3))
def test_grad_random_expression_on_array_matches_argnum_grads(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    on_array = grad(lambda v: expr(*v))(np.array(point))
    one_by_one = [grad(expr, argnum=i)(*point) for i in range(len(point))]
    np.testing.assert_allclose(on_array, one_by_one, rtol=1e-12, atol=1e-12)


# ## Errors


@pytest.mark.parametrize(
    "output",
    [lambda x: np.array([x, x]), lambda x: [x, x], lambda x: {"a": x}, lambda x: np.array([[x]])],
    ids=["array", "list", "dict", "1x1-array"],
)
def test_grad_of_non_scalar_output_raises_type_error_suggesting_jacobian(output: Any) -> None:
    with pytest.raises(TypeError, match="jacobian"):
        grad(output)(1.0)


@pytest.mark.parametrize("argnum", [2, -1], ids=str)
def test_grad_argnum_out_of_range_raises_value_error_naming_it(argnum: int) -> None:
    with pytest.raises(ValueError, match=f"argnum={argnum}"):
        grad(lambda x, y: x * y, argnum=argnum)(1.0, 2.0)


def test_jacobian_argnum_out_of_range_raises_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="jacobian: argnum=1"):
        jacobian(lambda x: x, argnum=1)(1.0)


def test_grad_named_unknown_argname_raises_value_error_naming_it() -> None:
    def model(x: Any, params: Any) -> Any:
        return x

    with pytest.raises(ValueError, match="'weights'") as info:
        grad_named(model, "weights")
    assert "x, params" in str(info.value)


def test_grad_named_string_leaf_raises_type_error_naming_its_path() -> None:
    def model(x: Any, params: Any) -> Any:
        return x * params["layer1"][0]

    params = {"layer1": [1.0, 2.0, "relu"]}
    with pytest.raises(TypeError) as info:
        grad_named(model, "params")(1.0, params)
    assert "params['layer1'][2]" in str(info.value)
    assert "str" in str(info.value)


@pytest.mark.parametrize(
    ("argument", "path"),
    [
        ({"w": [1.0, "x"]}, "args[0]['w'][1]"),
        ({"w": [1.0, None]}, "args[0]['w'][1]"),
        ([1.0, True], "args[0][1]"),
    ],
    ids=["string", "none", "bool"],
)
def test_grad_non_differentiable_leaf_raises_type_error_naming_its_path(argument: Any, path: str) -> None:
    with pytest.raises(TypeError) as info:
        grad(lambda p: 1.0)(argument)
    assert path in str(info.value)


def test_grad_path_names_the_argnum() -> None:
    with pytest.raises(TypeError, match=r"args\[1\]\['b'\]"):
        grad(lambda a, p: a, argnum=1)(1.0, {"b": "text"})


def test_grad_of_function_returning_string_raises_type_error() -> None:
    with pytest.raises(TypeError, match="scalar output"):
        grad(lambda x: "not a number")(1.0)


def test_minitorch_exports_the_functional_api() -> None:
    names = {"grad", "value_and_grad", "grad_named", "multigrad_dict", "jacobian", "hessian", "jvp", "vjp"}
    assert names | {"flatten", "primitive", "defvjp", "check_grads"} <= set(minitorch.__all__)
