"""Module 1, tasks 1.2 and 1.4: every built-in ScalarFunction, forward and backward.

Forward values are compared with the ``math`` module (or an independent formula); derivatives with
central differences of that float reference, and with ``derivative_check``. Points are kept away
from kinks and poles, where a central difference does not approximate the derivative.
"""

import inspect
import math
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import assert_close, small_floats, small_positive_floats

import minitorch
from minitorch import Scalar, ScalarFunction, central_difference, derivative_check

away_from_zero = small_floats.filter(lambda x: abs(x) > 1e-3)
away_from_pole = small_floats.filter(lambda x: abs(x) > 0.1)
pow_bases = st.floats(min_value=0.1, max_value=10.0)
pow_exponents = st.floats(min_value=-3.0, max_value=3.0)
pow_points = st.tuples(pow_bases, pow_exponents)


@dataclass(frozen=True)
class Case:
    """A ScalarFunction, a float reference for it, and where to draw its inputs."""

    fn: type[ScalarFunction]
    reference: Callable[..., float]
    points: st.SearchStrategy[Any]

    def __str__(self) -> str:
        return self.fn.__name__


UNARY = [
    Case(minitorch.Neg, lambda x: -x, small_floats),
    Case(minitorch.Inv, lambda x: 1.0 / x, away_from_pole),
    Case(minitorch.Log, math.log, small_positive_floats),
    Case(minitorch.Exp, math.exp, small_floats),
    Case(minitorch.Sigmoid, lambda x: (1.0 + math.tanh(x / 2.0)) / 2.0, small_floats),
    Case(minitorch.ReLU, lambda x: x if x > 0 else 0.0, away_from_zero),
    Case(minitorch.Tanh, math.tanh, small_floats),
    Case(minitorch.Sin, math.sin, small_floats),
    Case(minitorch.Cos, math.cos, small_floats),
    Case(minitorch.Sqrt, math.sqrt, small_positive_floats),
    Case(minitorch.Abs, abs, away_from_zero),
]


def _separated(pair: tuple[float, float]) -> bool:
    return abs(pair[0] - pair[1]) > 1e-3


any_pairs = st.tuples(small_floats, small_floats)
# Comparisons: include exactly equal pairs, which a float strategy alone would rarely draw.
comparison_pairs = st.one_of(small_floats.map(lambda x: (x, x)), any_pairs)

BINARY = [
    Case(minitorch.Add, operator.add, any_pairs),
    Case(minitorch.Mul, operator.mul, any_pairs),
    Case(minitorch.LT, lambda a, b: 1.0 if a < b else 0.0, comparison_pairs),
    Case(minitorch.EQ, lambda a, b: 1.0 if a == b else 0.0, comparison_pairs),
    Case(minitorch.Pow, lambda a, b: math.exp(b * math.log(a)), pow_points),
]


def _smooth_points(case: Case) -> st.SearchStrategy[Any]:
    """Points where the function is differentiable (comparisons: away from a == b)."""
    if case.fn in (minitorch.LT, minitorch.EQ):
        return case.points.filter(_separated)
    return case.points


@pytest.mark.task1_2
def test_every_builtin_function_is_covered() -> None:
    exported = {
        obj for obj in vars(minitorch).values()
        if inspect.isclass(obj) and issubclass(obj, ScalarFunction) and obj is not ScalarFunction
    }
    assert exported == {case.fn for case in UNARY + BINARY}


# ## Unary functions


@pytest.mark.task1_2
@pytest.mark.parametrize("case", UNARY, ids=str)
@given(data=st.data())
def test_unary_forward_matches_math(case: Case, data: st.DataObject) -> None:
    x = data.draw(case.points, label="x")
    assert_close(case.fn.apply(Scalar(x)).data, case.reference(x), tol=1e-9)


@pytest.mark.task1_4
@pytest.mark.parametrize("case", UNARY, ids=str)
@given(data=st.data(), d=small_floats)
def test_unary_backward_matches_central_difference(
    case: Case, data: st.DataObject, d: float
) -> None:
    x = data.draw(case.points, label="x")
    s = Scalar(x)
    case.fn.apply(s).backward(d)
    assert_close(s.derivative, d * central_difference(case.reference, x))


@pytest.mark.task1_4
@pytest.mark.parametrize("case", UNARY, ids=str)
@given(data=st.data())
def test_unary_passes_derivative_check(case: Case, data: st.DataObject) -> None:
    derivative_check(case.fn.apply, Scalar(data.draw(case.points, label="x")))


@pytest.mark.task1_2
@pytest.mark.parametrize("case", UNARY + BINARY, ids=str)
def test_function_apply_records_history(case: Case) -> None:
    inputs = [Scalar(0.5) for _ in inspect.signature(case.fn.forward).parameters][1:]
    out = case.fn.apply(*inputs)
    assert out.history.last_fn is case.fn
    assert list(out.history.inputs) == inputs


@pytest.mark.task1_2
@pytest.mark.parametrize("case", UNARY + BINARY, ids=str)
def test_function_apply_on_numbers_gives_constant(case: Case) -> None:
    inputs = [0.5 for _ in inspect.signature(case.fn.forward).parameters][1:]
    out = case.fn.apply(*inputs)
    assert out.is_constant()
    assert_close(out.data, case.reference(*inputs), tol=1e-12)


# ## Binary functions


@pytest.mark.task1_2
@pytest.mark.parametrize("case", BINARY, ids=str)
@given(data=st.data())
def test_binary_forward_matches_math(case: Case, data: st.DataObject) -> None:
    a, b = data.draw(case.points, label="a, b")
    assert_close(case.fn.apply(Scalar(a), Scalar(b)).data, case.reference(a, b), tol=1e-9)


@pytest.mark.task1_4
@pytest.mark.parametrize("case", BINARY, ids=str)
@given(data=st.data(), d=small_floats)
def test_binary_backward_matches_central_difference(
    case: Case, data: st.DataObject, d: float
) -> None:
    a, b = data.draw(_smooth_points(case), label="a, b")
    sa, sb = Scalar(a), Scalar(b)
    case.fn.apply(sa, sb).backward(d)
    assert_close(sa.derivative, d * central_difference(case.reference, a, b, arg=0))
    assert_close(sb.derivative, d * central_difference(case.reference, a, b, arg=1))


@pytest.mark.task1_4
@pytest.mark.parametrize("case", BINARY, ids=str)
@given(data=st.data())
def test_binary_passes_derivative_check(case: Case, data: st.DataObject) -> None:
    a, b = data.draw(_smooth_points(case), label="a, b")
    derivative_check(case.fn.apply, Scalar(a), Scalar(b))


@pytest.mark.task1_4
@pytest.mark.parametrize("fn", [minitorch.LT, minitorch.EQ], ids=lambda fn: fn.__name__)
@given(small_floats)
def test_comparison_derivative_is_zero_even_at_equality(fn: type[ScalarFunction], x: float) -> None:
    a, b = Scalar(x), Scalar(x)
    fn.apply(a, b).backward()
    assert (a.derivative, b.derivative) == (0.0, 0.0)


# ## Pow: number and Scalar exponents, constant bases, negative bases


@pytest.mark.task1_4
@given(pow_bases, pow_exponents)
def test_pow_number_exponent_derivative_matches_central_difference(a: float, b: float) -> None:
    x = Scalar(a)
    minitorch.Pow.apply(x, b).backward()
    assert_close(x.derivative, central_difference(lambda t: t**b, a))


@pytest.mark.task1_4
@given(pow_bases, pow_exponents)
def test_pow_constant_base_derivative_matches_central_difference(a: float, b: float) -> None:
    y = Scalar(b)
    minitorch.Pow.apply(a, y).backward()
    assert_close(y.derivative, central_difference(lambda t: a**t, b))


@pytest.mark.task1_4
@given(
    st.floats(min_value=-10.0, max_value=-0.1), st.sampled_from([1.0, 2.0, 3.0, -1.0, -2.0])
)
def test_pow_negative_base_integer_exponent_differentiates_without_warning(
    a: float, n: float
) -> None:
    x = Scalar(a)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = minitorch.Pow.apply(x, n)
        out.backward()
    assert_close(out.data, a**n, tol=1e-9)
    assert_close(x.derivative, central_difference(lambda t: t**n, a))


@pytest.mark.task1_4
def test_pow_zero_base_positive_exponent_has_zero_exponent_derivative() -> None:
    """d/db 0^b = 0 for b > 0 (0^b is constant there)."""
    b = Scalar(2.0)
    minitorch.Pow.apply(Scalar(0.0), b).backward()
    assert b.derivative == 0.0


@pytest.mark.task1_4
def test_pow_half_at_zero_has_same_derivative_as_sqrt() -> None:
    x, y = Scalar(0.0), Scalar(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x**0.5).backward()
        y.sqrt().backward()
    assert x.derivative == y.derivative == math.inf


# ## Kinks: the subgradient at 0


@pytest.mark.task1_4
@pytest.mark.parametrize("fn", [minitorch.ReLU, minitorch.Abs], ids=lambda fn: fn.__name__)
def test_kink_derivative_at_zero_is_zero(fn: type[ScalarFunction]) -> None:
    """relu'(0) = abs'(0) = 0, the subgradient PyTorch uses."""
    x = Scalar(0.0)
    fn.apply(x).backward()
    assert x.derivative == 0.0


@pytest.mark.task1_4
def test_sqrt_derivative_at_zero_is_inf() -> None:
    x = Scalar(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        x.sqrt().backward()
    assert x.derivative == math.inf


@pytest.mark.task1_2
@pytest.mark.parametrize("x", [1000.0, -1000.0], ids=lambda x: f"x={x}")
def test_sigmoid_function_is_stable_for_large_inputs(x: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = minitorch.Sigmoid.apply(Scalar(x))
    assert out.data == (1.0 if x > 0 else 0.0)


@pytest.mark.task1_4
@pytest.mark.parametrize("x", [1000.0, -1000.0], ids=lambda x: f"x={x}")
def test_sigmoid_function_derivative_is_stable_for_large_inputs(x: float) -> None:
    s = Scalar(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minitorch.Sigmoid.apply(s).backward()
    assert s.derivative == 0.0


SCALAR_EDGES = [
    # (the call, a function of a Scalar, the value operators promises there)
    ("Log at 0.0", lambda: minitorch.Log.apply(Scalar(0.0)), -math.inf),
    ("Inv at 0.0", lambda: minitorch.Inv.apply(Scalar(0.0)), math.inf),
    ("Exp at 1000.0", lambda: minitorch.Exp.apply(Scalar(1000.0)), math.inf),
]


@pytest.mark.task1_2
@pytest.mark.parametrize(("call", "make", "promised"), SCALAR_EDGES, ids=[e[0] for e in SCALAR_EDGES])
def test_forward_at_a_domain_edge_keeps_the_operators_promise(call, make, promised) -> None:
    """The forward formulas compute with the float operators of task 0.1, edges included."""
    promise = (
        f"{call}: forward must return {promised!r} with a RuntimeWarning like the operators function "
        "it uses (see the docstrings of minitorch.operators)"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = make().data
        except Exception as error:  # 1.0 / a or math.log(a) instead of the operators functions
            pytest.fail(f"{promise}; it raised {type(error).__name__}: {error}")
    assert result == promised, f"{promise}; it returned {result!r}"
    assert any(issubclass(w.category, RuntimeWarning) for w in caught), f"{promise}; it did not warn"
