"""PyTorch (float64) as an oracle for the functional API, where torch is installed.

The same random expression graphs, built-in functions and the ``logsumexp`` primitive are
differentiated by minitorch and by ``torch.autograd``; gradients and Hessians must agree to
near machine precision (no finite differences involved). Skipped when torch is not importable.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from expressions import Expr, expressions_with_points
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minitorch import defvjp, grad, hessian, jvp, primitive

torch = pytest.importorskip("torch")


def torch_hessian(f: Callable[[Any], Any], x: np.ndarray) -> np.ndarray:
    point = torch.tensor(x, dtype=torch.float64)
    return torch.autograd.functional.hessian(f, point).numpy()


def torch_gradient(f: Callable[[Any], Any], x: np.ndarray) -> np.ndarray:
    point = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(point), point)
    return g.numpy()


@settings(max_examples=40)
@given(case=expressions_with_points(n_vars=3))
def test_torch_oracle_random_expression_gradient(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    x = np.array(point)
    ours = grad(lambda v: expr(*v))(x)
    theirs = torch_gradient(lambda v: expr.torch(*v), x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9, err_msg=repr(expr))


@settings(max_examples=25)
@given(case=expressions_with_points(n_vars=3))
def test_torch_oracle_random_expression_hessian(case: tuple[Expr, tuple[float, ...]]) -> None:
    expr, point = case
    x = np.array(point)
    ours = hessian(lambda v: expr(*v))(x)
    theirs = torch_hessian(lambda v: expr.torch(*v), x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-8, err_msg=repr(expr))


@settings(max_examples=20)
@given(case=expressions_with_points(n_vars=2), direction=st.tuples(st.floats(-2, 2), st.floats(-2, 2)))
def test_torch_oracle_random_expression_jvp(
    case: tuple[Expr, tuple[float, ...]], direction: tuple[float, float]
) -> None:
    expr, point = case
    primals = tuple(torch.tensor(p, dtype=torch.float64) for p in point)
    tangents = tuple(torch.tensor(t, dtype=torch.float64) for t in direction)
    _, theirs = torch.autograd.functional.jvp(lambda *v: expr.torch(*v), primals, tangents)
    _, ours = jvp(expr, point, direction)
    assert ours == pytest.approx(float(theirs), rel=1e-9, abs=1e-9), repr(expr)


UNARY = {
    "exp": (np.exp, torch.exp),
    "log": (lambda v: np.log(v * v + 1.0), lambda v: torch.log(v * v + 1.0)),
    "sigmoid": (lambda v: np.array([s.sigmoid() for s in v]), torch.sigmoid),
    "relu": (lambda v: np.array([s.relu() for s in v]) * v, lambda v: torch.relu(v) * v),
    "tanh": (np.tanh, torch.tanh),
    "sin": (np.sin, torch.sin),
    "cos": (np.cos, torch.cos),
    "sqrt": (lambda v: np.sqrt(v * v + 0.5), lambda v: torch.sqrt(v * v + 0.5)),
    "abs": (lambda v: np.abs(v) * v, lambda v: torch.abs(v) * v),
    "inv": (lambda v: 1.0 / (v * v + 0.5), lambda v: 1.0 / (v * v + 0.5)),
    "pow": (lambda v: (v * v + 1.0) ** 1.5, lambda v: (v * v + 1.0) ** 1.5),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_torch_oracle_builtin_gradient_and_hessian(name: str) -> None:
    ours_fn, torch_fn = UNARY[name]
    x = np.array([0.7, -1.3, 2.1])  # away from the kinks of relu and abs

    def ours(v: np.ndarray) -> Any:
        return np.sum(ours_fn(v) * v[0])

    def theirs(v: Any) -> Any:
        return torch.sum(torch_fn(v) * v[0])

    np.testing.assert_allclose(grad(ours)(x), torch_gradient(theirs, x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hessian(ours)(x), torch_hessian(theirs, x), rtol=1e-10, atol=1e-12)


@primitive
def logsumexp(x: np.ndarray) -> float:
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


defvjp(logsumexp, lambda ans, x: lambda g: np.full(x.shape, g) * np.exp(x - ans))


@settings(max_examples=15)
@given(x=hnp.arrays(np.float64, st.integers(1, 4), elements=st.floats(-5, 5)))
def test_torch_oracle_logsumexp_primitive(x: np.ndarray) -> None:
    assert logsumexp(x) == pytest.approx(float(torch.logsumexp(torch.tensor(x), 0)), rel=1e-12)
    reference = lambda v: torch.logsumexp(v, 0)  # noqa: E731
    np.testing.assert_allclose(grad(logsumexp)(x), torch_gradient(reference, x), rtol=1e-10)
    np.testing.assert_allclose(hessian(logsumexp)(x), torch_hessian(reference, x), rtol=1e-9, atol=1e-12)

