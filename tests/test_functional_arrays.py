"""The functional API on NumPy arrays: whole-array traced Tensors (issue 13).

Every supported NumPy function's gradient is compared with central differences; random array
programs are compared with central differences, with HIPS autograd and with PyTorch (float64) where
those are installed; hessian, grad of grad and jvp run on arrays; custom primitives on arrays.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from expressions import numeric_gradient
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import minitorch
from minitorch import check_grads, defvjp, grad, hessian, jacobian, jvp, primitive, value_and_grad, vjp

W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
X = np.array([0.3, -1.2, 0.8])
POSITIVE = np.array([0.5, 1.7, 3.0])
M = np.array([[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]])


@dataclass(frozen=True)
class Case:
    """A NumPy function of one array and the point where its gradient is checked."""

    name: str
    fun: Callable[[Any], Any]
    point: np.ndarray

    def __str__(self) -> str:
        return self.name


CASES = [
    Case("add-sub-mul-div", lambda x: np.sum((x + 1.0) * (2.0 - x) / (x * x + 3.0)), X),
    Case("power", lambda x: np.sum(x**3 + 2.0**x + np.square(x) + np.reciprocal(x + 5.0)), X),
    Case("power-variable", lambda x: np.sum(x**x), POSITIVE),
    Case("negative-positive", lambda x: np.sum(-x * +x), X),
    Case("exp", lambda x: np.sum(np.exp(x)), X),
    Case("log", lambda x: np.sum(np.log(x)), POSITIVE),
    Case("log1p", lambda x: np.sum(np.log1p(x)), POSITIVE),
    Case("expm1", lambda x: np.sum(np.expm1(x)), X),
    Case("tanh", lambda x: np.sum(np.tanh(x)), X),
    Case("sin", lambda x: np.sum(np.sin(x)), X),
    Case("cos", lambda x: np.sum(np.cos(x)), X),
    Case("sqrt", lambda x: np.sum(np.sqrt(x)), POSITIVE),
    Case("abs", lambda x: np.sum(np.abs(x) * x), X),
    Case("maximum", lambda x: np.sum(np.maximum(x, 0.0) * x), X),
    Case("minimum", lambda x: np.sum(np.minimum(x, x[::-1] * 0.5)), X),
    Case("where", lambda x: np.sum(np.where(x > 0, x**2, np.sin(x))), X),
    Case("clip", lambda x: np.sum(np.clip(x, -1.0, 0.5) * x), X),
    Case("sum-axis", lambda x: np.sum(np.sum(x * M, axis=0) ** 2), X),
    Case("sum-keepdims", lambda x: np.sum(np.sum(M * x, axis=1, keepdims=True) * M), X),
    Case("mean", lambda x: np.mean(x * x) + np.sum(np.mean(M * x, axis=1) ** 2), X),
    Case("max", lambda x: np.max(x * x) + np.sum(np.max(M * x, axis=0)), X),
    Case("min", lambda x: np.min(x) + np.sum(np.amin(M * x, axis=1)), X),
    Case("prod", lambda x: np.prod(x) + np.sum(np.prod(M + x, axis=0)), X),
    Case("dot-vector", lambda x: np.dot(x, x), X),
    Case("dot-matrix", lambda x: np.sum(np.tanh(np.dot(W, x))), X),
    Case("matmul", lambda x: np.sum(np.sin(W @ x)) + np.sum(x @ W.T), X),
    Case("matmul-batched", lambda x: np.sum(np.matmul(np.stack([W, 2 * W]), np.outer(x, x)) ** 2), X),
    Case("reshape-transpose", lambda x: np.sum(np.transpose(np.reshape(M * x, (3, 2))) * M), X),
    Case("ravel-T", lambda x: np.sum((M * x).T.ravel() ** 3), X),
    Case("concatenate", lambda x: np.sum(np.concatenate([x, x**2, X]) ** 2), X),
    Case("stack", lambda x: np.sum(np.stack([x, np.sin(x)], axis=1) @ np.ones(2)), X),
    Case("slices", lambda x: np.sum(x[1:] * x[:-1]) + x[0] * x[-1], X),
    Case("integer-array-index", lambda x: np.sum(x[np.array([0, 2, 2, 1])] ** 2), X),
    Case("boolean-mask-index", lambda x: np.sum(x[x > 0] ** 3), X),
    Case("new-axes-index", lambda x: np.sum(x[None, :, None] * M[:, :, None]), X),
    Case("full", lambda x: np.sum(np.full((3,), x[0]) * x), X),
    Case("array-of-traced", lambda x: np.sum(np.array([x[0] * x[1], x[2]]) ** 2), X),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_numpy_function_gradient_matches_central_difference(case: Case) -> None:
    g = grad(case.fun)(case.point)
    assert isinstance(g, np.ndarray) and g.shape == case.point.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, numeric_gradient(case.fun, case.point), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_numpy_function_second_order_check_grads(case: Case) -> None:
    check_grads(case.fun, modes=("fwd", "rev"), order=2)(case.point)


def test_array_argument_is_one_traced_tensor() -> None:
    seen: list[Any] = []

    def f(x: Any) -> Any:
        seen.append(x)
        return np.sum(x * x)

    grad(f)(np.ones((2, 3)))
    assert isinstance(seen[0], minitorch.Tensor) and seen[0].shape == (2, 3)


def test_numpy_reductions_drop_axes_tensor_methods_keep_them() -> None:
    shapes: dict[str, Any] = {}

    def f(x: Any) -> Any:
        shapes["np.sum axis 0"] = np.shape(np.sum(x, axis=0))
        shapes["np.sum"] = np.shape(np.sum(x))
        shapes["x.sum(0)"] = x.sum(0).shape
        shapes["x.sum()"] = x.sum().shape
        shapes["x.mean(1)"] = x.mean(1).shape
        return np.sum(x)

    grad(f)(np.ones((2, 3)))
    assert shapes == {
        "np.sum axis 0": (3,), "np.sum": (), "x.sum(0)": (1, 3), "x.sum()": (1,), "x.mean(1)": (2, 1),
    }


def test_tensor_method_with_numpy_keyword_says_which_to_use() -> None:
    with pytest.raises(TypeError, match=r"np\.sum\(x, axis"):
        grad(lambda x: x.sum(axis=0))(np.ones(2))


def test_floats_with_arrays_in_one_argument_are_traced_together() -> None:
    g = grad(lambda p: np.sum(p["w"] * p["b"]) + p["b"] ** 2)({"w": np.array([1.0, 2.0]), "b": 0.5})
    assert g["b"] == pytest.approx(4.0) and type(g["b"]) is float
    np.testing.assert_allclose(g["w"], [0.5, 0.5])


def test_floats_alone_keep_the_element_path() -> None:
    seen: list[Any] = []
    grad(lambda x: seen.append(x) or x * x)(2.0)
    assert isinstance(seen[0], minitorch.Scalar)


@pytest.mark.parametrize("call", [np.arctan, np.cumsum], ids=lambda f: f.__name__)
def test_unsupported_numpy_function_names_it_and_primitive(call: Callable[[Any], Any]) -> None:
    with pytest.raises(TypeError, match=rf"numpy\.{call.__name__}.*primitive and defvjp"):
        grad(lambda x: np.sum(call(x)))(X)


def test_unsupported_ufunc_same_words_on_arrays_and_single_values() -> None:
    with pytest.raises(TypeError, match=r"numpy\.arctan has no differentiable version.*primitive and defvjp"):
        grad(lambda x: np.arctan(x))(0.5)
    with pytest.raises(TypeError, match=r"numpy\.arctan has no differentiable version.*primitive and defvjp"):
        grad(lambda x: np.sum(np.arctan(x)))(X)


def test_assignment_into_traced_array_is_refused() -> None:
    def f(x: Any) -> Any:
        x[0] = 1.0
        return np.sum(x)

    with pytest.raises(TypeError, match=r"np\.where"):
        grad(f)(X)


# ## Higher order and forward mode


def rosenbrock(x: Any) -> Any:
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def test_hessian_of_rosenbrock_matches_differences_of_gradient() -> None:
    x = np.linspace(-1.0, 1.2, 6)
    H = hessian(rosenbrock)(x)
    eps = 1e-6
    steps = np.eye(6) * eps
    numeric = np.stack([(grad(rosenbrock)(x + e) - grad(rosenbrock)(x - e)) / (2 * eps) for e in steps])
    assert H.shape == (6, 6)
    np.testing.assert_allclose(H, numeric, rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(H, H.T)


def test_grad_of_grad_on_arrays() -> None:
    x = np.array([0.2, -0.4, 1.3])
    g2 = grad(lambda x: np.sum(grad(lambda y: np.sum(np.sin(y) ** 2))(x)))(x)
    np.testing.assert_allclose(g2, 2.0 * np.cos(2.0 * x))


def test_jvp_on_arrays_matches_jacobian() -> None:
    x, t = np.array([0.2, -0.4, 1.3]), np.array([1.0, -2.0, 0.5])

    def f(x: Any) -> Any:
        return np.tanh(W @ x) * np.sum(x**2)

    out, tangent = jvp(f, (x,), (t,))
    np.testing.assert_allclose(out, f(x))
    np.testing.assert_allclose(tangent, jacobian(f)(x) @ t, rtol=1e-10)


def test_vjp_on_arrays_matches_jacobian() -> None:
    x, u = np.array([0.2, -0.4, 1.3]), np.array([1.0, -2.0])
    _, vjp_fn = vjp(lambda x: np.exp(W @ x), x)
    (g,) = vjp_fn(u)
    np.testing.assert_allclose(g, u @ jacobian(lambda x: np.exp(W @ x))(x))


def test_value_and_grad_of_mlp_with_dict_of_arrays() -> None:
    rng = np.random.default_rng(1)
    params = {"w": rng.standard_normal((4, 3)), "b": np.zeros(3)}
    x = rng.standard_normal((5, 4))

    def loss(p: Any) -> Any:
        return np.mean(np.tanh(x @ p["w"] + p["b"]) ** 2)

    value, g = value_and_grad(loss)(params)
    assert value == pytest.approx(loss(params)) and type(value) is float
    expected = numeric_gradient(loss, params)
    np.testing.assert_allclose(g["w"], expected["w"], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(g["b"], expected["b"], rtol=1e-6, atol=1e-8)


# ## Custom primitives on arrays


@primitive
def logsumexp(x: np.ndarray) -> float:
    m = np.max(x)
    return float(m + np.log(np.sum(np.exp(x - m))))


defvjp(logsumexp, lambda ans, x: lambda g: np.full(x.shape, g) * np.exp(x - np.full(x.shape, ans)))


def test_logsumexp_primitive_passes_check_grads_to_second_order() -> None:
    check_grads(logsumexp, modes=["rev"], order=2)(np.array([0.3, -1.0, 2.0]))
    np.testing.assert_allclose(grad(logsumexp)(np.array([0.0, np.log(3.0)])), [0.25, 0.75])


def test_check_grads_names_a_primitive_with_a_wrong_vjp() -> None:
    @primitive
    def bad_square(x: np.ndarray) -> np.ndarray:
        return x * x

    defvjp(bad_square, lambda ans, x: lambda g: g * x)  # missing the factor 2
    with pytest.raises(AssertionError, match="bad_square"):
        check_grads(bad_square, modes=["rev"], order=1)(np.array([0.3, -1.0]))


# ## Random array programs against central differences, autograd and PyTorch

UNARY = [
    ("tanh", lambda np_: np_.tanh),
    ("sin", lambda np_: np_.sin),
    ("exp-tanh", lambda np_: lambda a: np_.exp(np_.tanh(a))),
    ("log1p-square", lambda np_: lambda a: np_.log1p(a * a)),
    ("sqrt", lambda np_: lambda a: np_.sqrt(a * a + 1.0)),
]
Steps = list[tuple[int, int, int]]
BINARY = ["add", "sub", "mul", "div", "matmul-sum"]


def run_program(np_: Any, steps: list[tuple[int, int, int]], x: Any) -> Any:
    """A random straight-line program over one array; the same steps for every engine."""
    values = [x]
    for unary, binary, other in steps:
        a = UNARY[unary][1](np_)(values[-1])
        b = values[other % len(values)]
        kind = BINARY[binary]
        if kind == "add":
            values.append(a + b)
        elif kind == "sub":
            values.append(a - 0.5 * b)
        elif kind == "mul":
            values.append(a * b)
        elif kind == "div":
            values.append(a / (b * b + 1.0))
        else:
            values.append(a + np_.sum(a * b) * 0.1)
    return np_.sum(values[-1] ** 2)


programs = st.lists(
    st.tuples(st.integers(0, len(UNARY) - 1), st.integers(0, len(BINARY) - 1), st.integers(0, 5)),
    min_size=1, max_size=5,
)
points = arrays(np.float64, (4,), elements=st.floats(-1.5, 1.5))


@settings(max_examples=30, deadline=None)
@given(steps=programs, x=points)
def test_random_array_program_matches_central_difference(steps: Steps, x: np.ndarray) -> None:
    fun = lambda v: run_program(np, steps, v)  # noqa: E731
    np.testing.assert_allclose(grad(fun)(x), numeric_gradient(fun, x), rtol=1e-4, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(steps=programs, x=points)
def test_random_array_program_matches_autograd(steps: Steps, x: np.ndarray) -> None:
    autograd = pytest.importorskip("autograd")
    anp = pytest.importorskip("autograd.numpy")
    expected = autograd.grad(lambda v: run_program(anp, steps, v))(x)
    np.testing.assert_allclose(grad(lambda v: run_program(np, steps, v))(x), expected, rtol=1e-9, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(steps=programs, x=points)
def test_random_array_program_matches_torch(steps: Steps, x: np.ndarray) -> None:
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    run_program(torch, steps, xt).backward()
    got = grad(lambda v: run_program(np, steps, v))(x)
    np.testing.assert_allclose(got, xt.grad.numpy(), rtol=1e-9, atol=1e-12)


# ## Element traces and array traces nested in each other

XS = np.array([0.5, -1.0, 2.0])


def test_grad_over_a_number_of_grad_over_an_array() -> None:
    # d/da sum(d/dx sum(a^2 x^2)) = d/da (2 a^2 sum x) = 4 a sum x
    outer = grad(lambda a: np.sum(grad(lambda x: np.sum(x**2 * a * a))(XS)))(1.5)
    assert outer == pytest.approx(4 * 1.5 * XS.sum())


def test_numpy_call_with_the_scalar_first_reaches_the_traced_array() -> None:
    outer = grad(lambda a: np.sum(grad(lambda x: np.sum(np.multiply(a, x**2)))(XS)))(1.5)
    assert outer == pytest.approx(2 * XS.sum())


def test_grad_over_an_array_of_grad_over_a_number() -> None:
    # d/dy (y^2 sum x) = 2 y sum x at y = 2; its gradient in x is 4 everywhere
    np.testing.assert_allclose(grad(lambda x: grad(lambda y: np.sum(x * y) * y)(2.0))(XS), [4.0] * 3)


def test_jvp_over_a_number_of_grad_over_an_array() -> None:
    _, tangent = jvp(lambda a: np.sum(grad(lambda x: np.sum(np.sin(x) * a))(XS)), (0.3,), (1.0,))
    assert tangent == pytest.approx(np.sum(np.cos(XS)))


def test_grad_named_and_multigrad_dict_on_arrays() -> None:
    def f(x: Any, w: Any) -> Any:
        return np.sum(np.tanh(W @ x) * w)

    w = np.array([1.0, -2.0])
    by_name = minitorch.grad_named(f, "w")(XS, w)
    np.testing.assert_allclose(by_name, np.tanh(W @ XS))
    both = minitorch.multigrad_dict(f)(XS, w)
    np.testing.assert_allclose(both["w"], by_name)
    np.testing.assert_allclose(both["x"], numeric_gradient(lambda v: f(v, w), XS), rtol=1e-6)


def test_vector_output_of_grad_names_jacobian() -> None:
    with pytest.raises(TypeError, match=r"scalar output.*shape \(3,\).*jacobian"):
        grad(lambda x: x * 2.0)(XS)


def test_vjp_cotangent_of_wrong_shape_is_refused() -> None:
    _, vjp_fn = vjp(lambda x: W @ x, XS)
    with pytest.raises(ValueError, match=r"cotangent has shape \(3,\).*shape \(2,\)"):
        vjp_fn(np.ones(3))


broadcast_pairs = st.sampled_from(
    [((3, 1), (1, 4)), ((2, 3), (3,)), ((1,), (2, 2)), ((4, 1, 2), (3, 1)), ((), (2, 3))]
)


@settings(max_examples=25, deadline=None)
@given(shapes=broadcast_pairs, seed=st.integers(0, 2**16))
def test_broadcast_gradients_are_summed_back_to_each_shape(shapes: tuple[Any, Any], seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-1.0, 1.0, shapes[0]), rng.uniform(-1.0, 1.0, shapes[1])

    def f(x: Any, y: Any) -> Any:
        return np.sum(np.tanh(x * y + x) ** 2 / (1.0 + y * y))

    g = minitorch.multigrad_dict(f)(x, y)
    assert np.shape(g["x"]) == x.shape and np.shape(g["y"]) == y.shape
    np.testing.assert_allclose(g["x"], numeric_gradient(lambda v: f(v, y), x), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g["y"], numeric_gradient(lambda v: f(x, v), y), rtol=1e-5, atol=1e-7)
