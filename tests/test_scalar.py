"""Module 1, tasks 1.2 and 1.4: ``Scalar``, its operators and methods, and the MathTest catalogue.

Each operator is checked in three forms: Scalar with Scalar, Scalar with a number, and a number with
a Scalar (the reflected methods such as ``__rsub__``, ``__rtruediv__`` and ``__rpow__``). Forward
values are compared with the same operation on floats, derivatives with central differences of it.
"""

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import assert_close, small_floats, small_positive_floats, small_scalars

import minitorch
from minitorch import MathTestVariable, Scalar, central_difference, derivative_check

pytestmark = pytest.mark.usefixtures("each_engine")  # every test here runs under both engines

# ## Operators, in three forms


@dataclass(frozen=True)
class Op:
    """A binary operator, the points where it is defined, and where it is differentiable."""

    name: str
    apply: Callable[[Any, Any], Any]
    points: st.SearchStrategy[tuple[float, float]]
    smooth_points: st.SearchStrategy[tuple[float, float]] | None = None  # None: same as points

    def differentiable_points(self) -> st.SearchStrategy[tuple[float, float]]:
        return self.points if self.smooth_points is None else self.smooth_points

    def on_floats(self, a: float, b: float) -> float:
        return float(self.apply(a, b))


pairs = st.tuples(small_floats, small_floats)
# Comparisons jump where a == b: differentiate only a little way off.
apart_pairs = pairs.filter(lambda p: abs(p[0] - p[1]) > 1e-3)
divisor_pairs = st.tuples(small_floats, small_floats.filter(lambda b: abs(b) > 0.1))
comparison_pairs = st.one_of(small_floats.map(lambda x: (x, x)), pairs)

OPS = [
    Op("add", operator.add, pairs),
    Op("sub", operator.sub, pairs),
    Op("mul", operator.mul, pairs),
    Op("truediv", operator.truediv, divisor_pairs),
    Op("pow", operator.pow, st.tuples(st.floats(0.1, 10.0), st.floats(-3.0, 3.0))),
    Op("lt", operator.lt, comparison_pairs, apart_pairs),
    Op("gt", operator.gt, comparison_pairs, apart_pairs),
    Op("le", operator.le, comparison_pairs, apart_pairs),
    Op("ge", operator.ge, comparison_pairs, apart_pairs),
    Op("eq", operator.eq, comparison_pairs, apart_pairs),
]

# Which arguments are Scalars in each form.
FORMS = {
    "scalar_scalar": (True, True),
    "scalar_number": (True, False),
    "number_scalar": (False, True),  # the reflected methods: __radd__, __rsub__, __rpow__, ...
}

OP_FORMS = [(op, form) for op in OPS for form in FORMS]


def _op_form_id(value: Any) -> str:
    return value.name if isinstance(value, Op) else str(value)


def _wrap(a: float, b: float, form: str) -> tuple[Any, Any]:
    wrap_a, wrap_b = FORMS[form]
    return (Scalar(a) if wrap_a else a), (Scalar(b) if wrap_b else b)


@pytest.mark.task1_2
@pytest.mark.parametrize(("op", "form"), OP_FORMS, ids=_op_form_id)
@given(data=st.data())
def test_scalar_operator_forward_matches_floats(op: Op, form: str, data: st.DataObject) -> None:
    a, b = data.draw(op.points, label="a, b")
    out = op.apply(*_wrap(a, b, form))
    assert isinstance(out, Scalar)
    assert_close(out.data, op.on_floats(a, b), tol=1e-9)


@pytest.mark.task1_4
@pytest.mark.parametrize(("op", "form"), OP_FORMS, ids=_op_form_id)
@given(data=st.data())
def test_scalar_operator_backward_matches_central_difference(
    op: Op, form: str, data: st.DataObject
) -> None:
    a, b = data.draw(op.differentiable_points(), label="a, b")
    x, y = _wrap(a, b, form)
    op.apply(x, y).backward()
    for i, arg in enumerate((x, y)):
        if isinstance(arg, Scalar):
            assert_close(arg.derivative, central_difference(op.on_floats, a, b, arg=i))


@pytest.mark.task1_4
@pytest.mark.parametrize("op", OPS, ids=_op_form_id)
@given(data=st.data())
def test_scalar_operator_passes_derivative_check(op: Op, data: st.DataObject) -> None:
    a, b = data.draw(op.differentiable_points(), label="a, b")
    derivative_check(op.apply, Scalar(a), Scalar(b))


@pytest.mark.task1_2
@given(small_floats, st.sampled_from([2, 3, -1, 0.5]))
def test_scalar_pow_number_exponent_matches_floats(a: float, n: float) -> None:
    assume(n == int(n) or a > 0)  # a negative base needs an integer exponent to be real
    assume(abs(a) > 1e-3 or n > 0)  # keep 1 / a finite
    assert_close((Scalar(a) ** n).data, a**n, tol=1e-9)


@pytest.mark.task1_4
@given(small_floats)
def test_scalar_square_of_negative_base_differentiates(a: float) -> None:
    x = Scalar(a)
    (x**2).backward()
    assert_close(x.derivative, 2.0 * a)


# ## Unary operators and methods


@dataclass(frozen=True)
class Method:
    name: str
    apply: Callable[[Scalar], Scalar]
    reference: Callable[[float], float]
    points: st.SearchStrategy[float]


away_from_zero = small_floats.filter(lambda x: abs(x) > 1e-3)

METHODS = [
    Method("neg", operator.neg, operator.neg, small_floats),
    Method("builtin_abs", abs, abs, away_from_zero),
    Method("log", Scalar.log, math.log, small_positive_floats),
    Method("exp", Scalar.exp, math.exp, small_floats),
    Method("sigmoid", Scalar.sigmoid, lambda x: (1.0 + math.tanh(x / 2.0)) / 2.0, small_floats),
    Method("relu", Scalar.relu, lambda x: max(x, 0.0), away_from_zero),
    Method("tanh", Scalar.tanh, math.tanh, small_floats),
    Method("sin", Scalar.sin, math.sin, small_floats),
    Method("cos", Scalar.cos, math.cos, small_floats),
    Method("sqrt", Scalar.sqrt, math.sqrt, small_positive_floats),
    Method("abs", Scalar.abs, abs, away_from_zero),
]


@pytest.mark.task1_2
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
@given(data=st.data())
def test_scalar_method_forward_matches_math(method: Method, data: st.DataObject) -> None:
    x = data.draw(method.points, label="x")
    assert_close(method.apply(Scalar(x)).data, method.reference(x), tol=1e-9)


@pytest.mark.task1_4
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
@given(data=st.data())
def test_scalar_method_backward_matches_central_difference(
    method: Method, data: st.DataObject
) -> None:
    x = data.draw(method.points, label="x")
    s = Scalar(x)
    method.apply(s).backward()
    assert_close(s.derivative, central_difference(method.reference, x))


@pytest.mark.task1_4
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
@given(data=st.data())
def test_scalar_method_passes_derivative_check(method: Method, data: st.DataObject) -> None:
    derivative_check(method.apply, Scalar(data.draw(method.points, label="x")))


# ## The MathTest catalogue (the course's test_scalar.py)

one_arg, two_arg, _ = MathTestVariable._comp_testing()


def _catalogue_id(entry: Any) -> str:
    return str(entry[0])


# Points where a catalogue function has a kink, a jump or a pole: a central difference is
# meaningless within epsilon of them, so derivative checks stay a little way off.
SMOOTH = {
    "relu": lambda a: abs(a + 5.5) > 1e-3,
    "complex": lambda a: abs(10 * a + 7) > 1e-2,
    "inv": lambda a: abs(a + 3.5) > 0.05,
    "div2": lambda a, b: abs(b + 5.5) > 0.05,
    "gt2": lambda a, b: abs(a + 1.2 - b) > 1e-3,
    "lt2": lambda a, b: abs(a + 1.2 - b) > 1e-3,
    "eq2": lambda a, b: abs(a - (b + 5.5)) > 1e-3,
}


def _smooth(name: str, *xs: float) -> bool:
    return SMOOTH.get(name, lambda *_: True)(*xs)


@pytest.mark.task1_2
@pytest.mark.parametrize("fn", one_arg, ids=_catalogue_id)
@given(small_scalars)
def test_one_args(fn: Any, t1: Scalar) -> None:
    name, base_fn, scalar_fn = fn
    assume(name != "inv" or t1.data != -3.5)
    assert_close(scalar_fn(t1).data, base_fn(t1.data), tol=1e-9)


@pytest.mark.task1_2
@pytest.mark.parametrize("fn", two_arg, ids=_catalogue_id)
@given(small_scalars, small_scalars)
def test_two_args(fn: Any, t1: Scalar, t2: Scalar) -> None:
    name, base_fn, scalar_fn = fn
    assume(name != "div2" or t2.data != -5.5)
    assert_close(scalar_fn(t1, t2).data, base_fn(t1.data, t2.data), tol=1e-9)


@pytest.mark.task1_4
@pytest.mark.parametrize("fn", one_arg, ids=_catalogue_id)
@given(small_scalars)
def test_one_derivative(fn: Any, t1: Scalar) -> None:
    name, _, scalar_fn = fn
    assume(_smooth(name, t1.data))
    derivative_check(scalar_fn, t1)


@pytest.mark.task1_4
@pytest.mark.parametrize("fn", two_arg, ids=_catalogue_id)
@given(small_scalars, small_scalars)
def test_two_derivative(fn: Any, t1: Scalar, t2: Scalar) -> None:
    name, _, scalar_fn = fn
    assume(_smooth(name, t1.data, t2.data))
    derivative_check(scalar_fn, t1, t2)


@pytest.mark.task1_2
def test_catalogue_is_not_empty() -> None:
    """The parametrized tests above would silently run nothing on an empty catalogue."""
    assert len(one_arg) >= 10
    assert len(two_arg) >= 5


# ## derivative_check itself


class WrongSquare(minitorch.ScalarFunction):
    """f(a) = a^2 with a deliberately wrong derivative (a instead of 2a)."""

    @staticmethod
    def forward(ctx: minitorch.Context, a: float) -> float:
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx: minitorch.Context, d_output: float) -> float:
        (a,) = ctx.saved_values
        return d_output * a


@pytest.mark.task1_4
def test_derivative_check_catches_a_wrong_backward() -> None:
    with pytest.raises(AssertionError, match=r"argument 0 at \[3.0\]"):
        derivative_check(WrongSquare.apply, Scalar(3.0))


@pytest.mark.task1_4
def test_derivative_check_resets_previous_derivatives() -> None:
    x = Scalar(3.0)
    x.derivative = 1000.0
    derivative_check(lambda s: s * s, x)
    assert x.derivative == 6.0


@pytest.mark.task1_4
def test_derivative_check_accepts_unused_argument() -> None:
    derivative_check(lambda x, y: x * 2.0, Scalar(1.0), Scalar(2.0))


# ## Scalar basics


@pytest.mark.task1_2
@pytest.mark.parametrize("value", [3, 2.5, Fraction(1, 4), True], ids=repr)
def test_scalar_stores_real_numbers_as_float(value: Any) -> None:
    s = Scalar(value)
    assert type(s.data) is float
    assert s.data == float(value)


@pytest.mark.task1_2
def test_scalar_derivative_is_none_before_backward() -> None:
    assert Scalar(1.0).derivative is None


@pytest.mark.task1_2
def test_scalar_unique_ids_differ() -> None:
    assert len({Scalar(1.0).unique_id for _ in range(100)}) == 100


@pytest.mark.task1_2
def test_scalar_name_defaults_to_unique_id() -> None:
    s = Scalar(1.0)
    assert s.name == str(s.unique_id)


@pytest.mark.task1_2
def test_scalar_name_can_be_given() -> None:
    assert Scalar(1.0, name="x").name == "x"


@pytest.mark.task1_2
def test_scalar_repr_shows_value() -> None:
    assert repr(Scalar(2.5)) == "Scalar(2.5)"


@pytest.mark.task1_2
@pytest.mark.parametrize(("value", "truth"), [(0.0, False), (2.0, True), (-1.0, True)],
                         ids=lambda v: repr(v))
def test_scalar_bool_follows_value(value: float, truth: bool) -> None:
    assert bool(Scalar(value)) is truth


@pytest.mark.task1_2
@given(small_floats, small_floats)
def test_scalar_comparison_usable_in_if(a: float, b: float) -> None:
    assert bool(Scalar(a) < Scalar(b)) is (a < b)


@pytest.mark.task1_2
def test_scalar_leaf_is_leaf_not_constant() -> None:
    s = Scalar(1.0)
    assert s.is_leaf()
    assert not s.is_constant()


@pytest.mark.task1_2
def test_scalar_without_history_is_constant() -> None:
    s = Scalar(1.0, None)
    assert s.is_constant()
    assert not s.is_leaf()


@pytest.mark.task1_2
def test_scalar_computed_value_is_neither_leaf_nor_constant() -> None:
    out = Scalar(1.0) * 2.0
    assert not out.is_leaf()
    assert not out.is_constant()


@pytest.mark.task1_2
def test_scalar_parents_exclude_constants() -> None:
    x = Scalar(1.0)
    out = minitorch.Mul.apply(x, Scalar(2.0, None)) + 3.0
    (inner,) = out.parents
    assert inner.parents == [x]


def test_scalar_leaf_and_constant_have_no_parents() -> None:
    assert Scalar(1.0).parents == []
    assert Scalar(1.0, None).parents == []


def test_scalar_name_set_later_is_kept() -> None:
    x = Scalar(1.0)
    assert x.given_name is None and x.name == str(x.unique_id)
    x.name = "weight"
    assert x.name == "weight" and x.given_name == "weight"


def test_scalar_above_level_zero_may_hold_a_scalar() -> None:
    """The functional API nests traces: a Scalar of level 1 holds a level-0 Scalar as its value."""
    inner = Scalar(2.0)
    outer = Scalar(inner, level=1)  # type: ignore[arg-type]
    assert outer.data is inner and outer.level == 1
    with pytest.raises(TypeError, match="real number"):
        Scalar(inner)  # type: ignore[arg-type]


@pytest.mark.task1_2
def test_scalar_constant_input_recorded_as_given() -> None:
    out = Scalar(1.0) * 4.0
    assert list(out.history.inputs)[1] == 4.0


@pytest.mark.task1_2
def test_scalar_operation_on_constants_only_is_constant() -> None:
    assert (Scalar(1.0, None) + Scalar(2.0, None)).is_constant()


@pytest.mark.task1_4  # calls backward
@given(small_floats)
def test_scalar_sub_self_has_zero_derivative(a: float) -> None:
    x = Scalar(a)
    (x - x).backward()
    assert x.derivative == 0.0


@pytest.mark.task1_4  # calls backward
def test_scalar_function_apply_with_an_array_maps_over_its_elements() -> None:
    x = Scalar(2.0)
    out = minitorch.Mul.apply(x, np.array([1.0, 3.0]))
    assert out.dtype == object and [v.data for v in out] == [2.0, 6.0]
    out[1].backward()
    assert x.derivative == 3.0
