"""Bad input: each error has a specific type and a message that names the culprit.

Also the documented domain behaviour of the operators: IEEE results (``-inf``, ``nan``, ``inf``) with
a ``RuntimeWarning`` naming the function, the same through the Scalar versions.
"""

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import minitorch
from minitorch import Context, Scalar, ScalarFunction, operators

# ## Non-numbers where numbers belong


@pytest.mark.parametrize("value", ["abc", None, [1.0], 1 + 2j], ids=repr)
def test_scalar_rejects_non_real_value_naming_it(value: object) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(value))):
        Scalar(value)  # type: ignore[arg-type]  # deliberately wrong


def test_apply_rejects_non_number_naming_the_function() -> None:
    with pytest.raises(TypeError, match=r"Mul\.apply.*'x'"):
        minitorch.Mul.apply("x", 1.0)  # type: ignore[arg-type]  # deliberately wrong


def test_scalar_operator_with_string_names_the_function() -> None:
    with pytest.raises(TypeError, match=r"Add\.apply.*'x'"):
        Scalar(1.0) + "x"  # type: ignore[operator]  # deliberately wrong


def test_scalar_sub_with_string_names_the_function() -> None:
    with pytest.raises(TypeError, match=r"apply.*'x'"):
        Scalar(1.0) - "x"  # type: ignore[operator]  # deliberately wrong


class ReturnsString(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> Any:
        return "oops"

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


class ReturnsNone(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> Any:
        return None

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


@pytest.mark.parametrize("fn", [ReturnsString, ReturnsNone], ids=lambda fn: fn.__name__)
def test_forward_returning_non_number_raises_naming_the_function(fn: type) -> None:
    with pytest.raises(TypeError, match=rf"{fn.__name__}\.forward"):
        fn.apply(Scalar(1.0))


class OneDerivativeForTwo(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        return a + b

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


def test_backward_with_wrong_derivative_count_names_function_and_counts() -> None:
    out = OneDerivativeForTwo.apply(Scalar(1.0), Scalar(2.0))
    with pytest.raises(ValueError, match=r"OneDerivativeForTwo\.backward.*\b1\b.*\b2\b"):
        out.backward()


class BackwardReturnsString(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> Any:
        return "oops"


def test_backward_returning_non_number_names_the_function() -> None:
    out = BackwardReturnsString.apply(Scalar(1.0))
    with pytest.raises(TypeError, match=r"BackwardReturnsString\.backward.*'oops'"):
        out.backward()


class NoForward(ScalarFunction):
    pass


def test_function_without_forward_raises_not_implemented() -> None:
    with pytest.raises(NotImplementedError, match="forward"):
        NoForward.apply(Scalar(1.0))


def test_function_without_forward_error_names_the_class() -> None:
    with pytest.raises(NotImplementedError, match="NoForward"):
        NoForward.apply(Scalar(1.0))


@pytest.mark.parametrize("fn", [ScalarFunction, minitorch.Add], ids=lambda fn: fn.__name__)
def test_scalar_function_cannot_be_instantiated(fn: type) -> None:
    with pytest.raises(TypeError, match=rf"{fn.__name__}.*apply"):
        fn()


# ## Backward on things that cannot be differentiated


@pytest.mark.parametrize(
    "make_constant",
    [lambda: Scalar(1.0, None), lambda: minitorch.Add.apply(1.0, 2.0)],
    ids=["constant_scalar", "function_of_numbers"],
)
def test_backward_on_constant_raises_value_error(make_constant: Callable[[], Scalar]) -> None:
    with pytest.raises(ValueError, match="constant"):
        make_constant().backward()


def test_accumulate_derivative_on_computed_value_raises_value_error() -> None:
    out = Scalar(1.0) * 2.0
    with pytest.raises(ValueError, match=re.escape(out.name)):
        out.accumulate_derivative(1.0)


def test_accumulate_derivative_on_constant_raises_value_error() -> None:
    with pytest.raises(ValueError, match="constant"):
        Scalar(1.0, None).accumulate_derivative(1.0)


def test_central_difference_rejects_bad_arg_index() -> None:
    with pytest.raises(IndexError, match="arg=2"):
        minitorch.central_difference(operators.add, 1.0, 2.0, arg=2)


def test_optimizer_rejects_non_parameters_naming_the_position() -> None:
    with pytest.raises(TypeError, match="parameter 1 is Scalar"):
        minitorch.SGD([minitorch.Parameter(Scalar(1.0)), Scalar(1.0)])  # type: ignore[list-item]


# ## Domain edges: IEEE results with a RuntimeWarning naming the function

DOMAIN_EDGES = [
    # (name in the warning, float function, arguments, Scalar version, expected)
    ("log", operators.log, (0.0,), lambda: Scalar(0.0).log(), -math.inf),
    ("log", operators.log, (-1.0,), lambda: Scalar(-1.0).log(), math.nan),
    ("inv", operators.inv, (0.0,), lambda: minitorch.Inv.apply(Scalar(0.0)), math.inf),
    ("inv", operators.inv, (-0.0,), lambda: minitorch.Inv.apply(Scalar(-0.0)), -math.inf),
    ("sqrt", operators.sqrt, (-1.0,), lambda: Scalar(-1.0).sqrt(), math.nan),
    ("pow", operators.pow, (-8.0, 1.0 / 3.0), lambda: Scalar(-8.0) ** (1.0 / 3.0), math.nan),
    # A zero base with a negative exponent is a pole, like inv(0.0): IEEE gives a signed inf.
    ("pow", operators.pow, (0.0, -1.0), lambda: Scalar(0.0) ** -1.0, math.inf),
    ("pow", operators.pow, (-0.0, -1.0), lambda: Scalar(-0.0) ** -1.0, -math.inf),
    ("pow", operators.pow, (-0.0, -2.0), lambda: Scalar(-0.0) ** -2.0, math.inf),
    ("pow", operators.pow, (0.0, -0.5), lambda: Scalar(0.0) ** -0.5, math.inf),
    # Overflow: inf, like NumPy, with a warning.
    ("exp", operators.exp, (1000.0,), lambda: Scalar(1000.0).exp(), math.inf),
    ("pow", operators.pow, (10.0, 400.0), lambda: Scalar(10.0) ** 400.0, math.inf),
]
DOMAIN_IDS = [f"{name}{args}" for name, _, args, _, _ in DOMAIN_EDGES]


def _same_float(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize(("name", "fn", "args", "on_scalar", "expected"), DOMAIN_EDGES,
                         ids=DOMAIN_IDS)
def test_operator_domain_edge_gives_ieee_value_with_warning(
    name: str, fn: Callable[..., float], args: tuple[float, ...], on_scalar: Any, expected: float
) -> None:
    with pytest.warns(RuntimeWarning, match=rf"\b{name}\b"):
        result = fn(*args)
    assert _same_float(result, expected), f"{name}{args} = {result!r}, expected {expected!r}"


@pytest.mark.parametrize(("name", "fn", "args", "on_scalar", "expected"), DOMAIN_EDGES,
                         ids=DOMAIN_IDS)
def test_scalar_domain_edge_gives_same_value_with_warning(
    name: str, fn: Callable[..., float], args: tuple[float, ...], on_scalar: Any, expected: float
) -> None:
    with pytest.warns(RuntimeWarning, match=rf"\b{name}\b"):
        result = on_scalar().data
    assert _same_float(result, expected), f"Scalar {name}{args} = {result!r}, expected {expected!r}"


def test_inv_of_negative_zero_keeps_the_sign() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert operators.inv(-0.0) == -math.inf


@pytest.mark.parametrize(
    ("fn", "args"),
    [(operators.log, (1e-300,)), (operators.inv, (1e-300,)), (operators.sqrt, (0.0,)),
     (operators.pow, (-8.0, 3.0)), (operators.pow, (0.0, 2.0))],
    ids=["log_tiny", "inv_tiny", "sqrt_zero", "pow_negative_base_integer", "pow_zero_base"],
)
def test_operator_inside_domain_does_not_warn(fn: Callable[..., float], args: tuple) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isfinite(fn(*args))
