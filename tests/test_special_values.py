"""NaN, infinity and signed zero: every built-in and every supported NumPy ufunc against NumPy.

Each function runs on a grid of special values (NaN, ±inf, ±0.0, subnormals, huge and tiny numbers,
negatives) as a minitorch Scalar and as a NumPy float64. The results must agree bit for bit on
NaN-ness, infinity and the sign of a zero, and otherwise to a few units in the last place. Where
PyTorch is installed, the values and the derivatives are also compared with ``torch.float64``.
"""

import math
import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minitorch import Scalar
from minitorch.scalar_numpy import SUPPORTED_UFUNCS

NAN, INF = math.nan, math.inf
GRID = [
    NAN, INF, -INF, 0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-10, -1e-10, 0.5, -0.5, 1.0,
    -1.0, 2.0, -3.0, 709.0, 710.0, -746.0, 1e300, -1e300, 1.7976931348623157e308,
]
# Binary functions run on every pair of this smaller grid.
PAIR_GRID = [NAN, INF, -INF, 0.0, -0.0, 5e-324, 1e-300, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 1e300]

# The Scalar built-ins (methods and operators) with their NumPy counterparts.
BUILTIN_UNARY: dict[str, tuple[Callable[[Scalar], Any], Callable[[float], Any]]] = {
    "log": (Scalar.log, np.log),
    "exp": (Scalar.exp, np.exp),
    "relu": (Scalar.relu, lambda x: np.maximum(x, 0.0)),
    "tanh": (Scalar.tanh, np.tanh),
    "sin": (Scalar.sin, np.sin),
    "cos": (Scalar.cos, np.cos),
    "sqrt": (Scalar.sqrt, np.sqrt),
    "abs": (Scalar.abs, np.absolute),
    "neg": (operator.neg, np.negative),
}
BUILTIN_BINARY: dict[str, tuple[Callable[[Any, Any], Any], Callable[[float, float], Any]]] = {
    "+": (operator.add, np.add),
    "-": (operator.sub, np.subtract),
    "*": (operator.mul, np.multiply),
    "**": (operator.pow, np.power),
    "<": (operator.lt, np.less),
    ">": (operator.gt, np.greater),
    "<=": (operator.le, np.less_equal),
    ">=": (operator.ge, np.greater_equal),
    "==": (operator.eq, np.equal),
}
UNARY_UFUNCS = sorted((u for u in SUPPORTED_UFUNCS if u.nin == 1), key=lambda u: u.__name__)
BINARY_UFUNCS = sorted((u for u in SUPPORTED_UFUNCS if u.nin == 2), key=lambda u: u.__name__)


def same_float(ours: float, theirs: float, rel: float = 1e-15) -> bool:
    """NaN-ness, infinities and the sign of zero exactly; other values to a relative ``rel``."""
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    if ours == 0.0 or theirs == 0.0 or math.isinf(ours) or math.isinf(theirs):
        return ours == theirs and math.copysign(1.0, ours) == math.copysign(1.0, theirs)
    return abs(ours - theirs) <= rel * max(abs(ours), abs(theirs))


def value_of(result: Any) -> float:
    return float(result.data) if isinstance(result, Scalar) else float(result)


def numpy_value(fn: Callable[..., Any], *args: float) -> float:
    with np.errstate(all="ignore"):
        return float(fn(*(np.float64(a) for a in args)))


def ours(fn: Callable[..., Any], *args: Any) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return value_of(fn(*args))


def mismatches(cases: list[tuple[tuple[Any, ...], float, float]], rel: float = 1e-15) -> list[str]:
    return [
        f"at {args}: minitorch {a!r}, reference {b!r}" for args, a, b in cases if not same_float(a, b, rel)
    ]


@pytest.mark.parametrize("name", list(BUILTIN_UNARY))
def test_builtin_unary_matches_numpy_on_special_values(name: str) -> None:
    fn, reference = BUILTIN_UNARY[name]
    cases = [((x,), ours(fn, Scalar(x)), numpy_value(reference, x)) for x in GRID]
    assert mismatches(cases) == []


@pytest.mark.parametrize(
    "name", list(BUILTIN_BINARY)
)
@pytest.mark.parametrize("scalar_side", ["both", "left", "right"])
def test_builtin_binary_matches_numpy_on_special_values(name: str, scalar_side: str) -> None:
    fn, reference = BUILTIN_BINARY[name]

    def wrap(x: float, side: str) -> Any:
        return Scalar(x) if scalar_side in ("both", side) else x

    cases = [
        ((x, y), ours(fn, wrap(x, "left"), wrap(y, "right")), numpy_value(reference, x, y))
        for x in PAIR_GRID
        for y in PAIR_GRID
    ]
    assert mismatches(cases) == []


@pytest.mark.parametrize("ufunc", UNARY_UFUNCS, ids=lambda u: u.__name__)
def test_unary_ufunc_matches_numpy_on_special_values(ufunc: np.ufunc) -> None:
    cases = [((x,), ours(ufunc, Scalar(x)), numpy_value(ufunc, x)) for x in GRID]
    assert mismatches(cases) == []


# NumPy computes np.power(x, 0.5) as sqrt(x) (so (-0.0) ** 0.5 is -0.0 and (-inf) ** 0.5 is nan)
# but np.float_power(x, 0.5) as C's pow (0.0 and inf); minitorch has one Pow, and follows np.power.
POWER_HALF = {(-0.0, 0.5), (-INF, 0.5)}


@pytest.mark.parametrize("ufunc", BINARY_UFUNCS, ids=lambda u: u.__name__)
def test_binary_ufunc_matches_numpy_on_special_values(ufunc: np.ufunc) -> None:
    reference = np.power if ufunc is np.float_power else ufunc
    cases = [
        ((x, y), ours(ufunc, Scalar(x), Scalar(y)), numpy_value(reference, x, y))
        for x in PAIR_GRID
        for y in PAIR_GRID
    ]
    if ufunc is np.float_power:  # the same as np.power except at the two points above
        assert all(
            same_float(numpy_value(np.float_power, x, y), numpy_value(np.power, x, y))
            for x in PAIR_GRID for y in PAIR_GRID if (x, y) not in POWER_HALF
        )
    assert mismatches(cases) == []


def test_division_by_a_subnormal_is_rounded_once_like_numpy() -> None:
    assert ours(np.true_divide, Scalar(1e-300), 5e-324) == 1e-300 / 5e-324


def test_log1p_and_expm1_are_exact_for_tiny_x() -> None:
    for fn, exact in ((np.log1p, math.log1p), (np.expm1, math.expm1)):
        x = Scalar(1e-20)
        y = fn(x)
        y.backward()
        assert y.data == exact(1e-20)
        assert x.derivative == 1.0


def test_huge_integer_exponent_is_a_named_overflow_error() -> None:
    with pytest.raises(OverflowError, match=r"Pow\.apply: argument 1: the integer .* too large for a float"):
        Scalar(0.5) ** 10**400


def test_sin_of_infinity_is_nan_with_a_warning() -> None:
    with pytest.warns(RuntimeWarning, match=r"operators\.sin\(inf\)"):
        assert math.isnan(Scalar(INF).sin().data)


# ## PyTorch (float64) as a second reference, for values and derivatives
#
# Where NumPy and PyTorch disagree, NumPy's value is the reference: relu(-0.0) is 0.0 in NumPy's
# np.maximum(x, 0.0) and in the course (-0.0 in PyTorch); torch.log1p flushes a subnormal argument
# to 0.0. Derivatives are compared to a relative 1e-13: PyTorch rounds 1 - tanh(x)^2 differently.

TORCH_UNARY: dict[str, tuple[Callable[[Scalar], Any], str]] = {
    "log": (Scalar.log, "log"),
    "exp": (Scalar.exp, "exp"),
    "sigmoid": (Scalar.sigmoid, "sigmoid"),
    "relu": (Scalar.relu, "relu"),
    "tanh": (Scalar.tanh, "tanh"),
    "sin": (Scalar.sin, "sin"),
    "cos": (Scalar.cos, "cos"),
    "sqrt": (Scalar.sqrt, "sqrt"),
    "abs": (Scalar.abs, "abs"),
    "neg": (operator.neg, "neg"),
    "log1p": (np.log1p, "log1p"),
    "expm1": (np.expm1, "expm1"),
    "reciprocal": (np.reciprocal, "reciprocal"),
    "square": (np.square, "square"),
}


NUMPY_FIRST: dict[str, Callable[[float], Any]] = {
    "relu": lambda x: np.maximum(x, 0.0),
    "log1p": np.log1p,
}


def derivative_of(fn: Callable[..., Any], *args: float) -> tuple[float, ...]:
    leaves = [Scalar(a) for a in args]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = fn(*leaves)
        out.backward()
    return tuple(0.0 if x.derivative is None else float(x.derivative) for x in leaves)


@pytest.mark.parametrize("name", list(TORCH_UNARY))
def test_unary_value_and_derivative_match_torch_float64(name: str) -> None:
    torch = pytest.importorskip("torch")
    fn, torch_name = TORCH_UNARY[name]
    value_cases, derivative_cases = [], []
    for x in GRID:
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out = getattr(torch, torch_name)(t)
        (g,) = torch.autograd.grad(out, t)
        value = ours(fn, Scalar(x))
        reference = float(out.detach())
        if not same_float(value, reference) and name in NUMPY_FIRST:
            reference = numpy_value(NUMPY_FIRST[name], x)
        value_cases.append(((x,), value, reference))
        derivative_cases.append(((x,), derivative_of(fn, x)[0], float(g)))
    assert mismatches(value_cases) == []
    assert mismatches(derivative_cases, rel=1e-13) == []


TORCH_BINARY: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {
    "+": (operator.add, operator.add),
    "-": (operator.sub, operator.sub),
    "*": (operator.mul, operator.mul),
    "true_divide": (np.true_divide, operator.truediv),
    "**": (operator.pow, operator.pow),
}


@pytest.mark.parametrize("name", list(TORCH_BINARY))
def test_binary_value_and_derivatives_match_torch_float64(name: str) -> None:
    torch = pytest.importorskip("torch")
    fn, torch_fn = TORCH_BINARY[name]
    value_cases, derivative_cases = [], []
    for x in PAIR_GRID:
        for y in PAIR_GRID:
            tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            ty = torch.tensor(y, dtype=torch.float64, requires_grad=True)
            out = torch_fn(tx, ty)
            gx, gy = torch.autograd.grad(out, (tx, ty))
            reference = float(out.detach())
            if name == "**" and (x, y) in POWER_HALF:  # torch's tensor ** tensor is C's pow here
                reference = numpy_value(np.power, x, y)
            value_cases.append(((x, y), ours(fn, Scalar(x), Scalar(y)), reference))
            dx, dy = derivative_of(fn, x, y)
            derivative_cases.append(((x, y, "d/dx"), dx, float(gx)))
            derivative_cases.append(((x, y, "d/dy"), dy, float(gy)))
    assert mismatches(value_cases) == []
    assert mismatches(derivative_cases, rel=1e-13) == []


# The derivatives of a ** b where the general formulas break down, without PyTorch: limits and IEEE
# values that hold whatever engine computes them (PyTorch gives the same, checked above when present).
POWER_DERIVATIVES = [
    # a, b, d/da, d/db
    (2.0, 0.0, 0.0, math.log(2.0)),  # a ** 0 is 1 for every a: flat in a
    (2.0, 1.0, 1.0, 2.0 * math.log(2.0)),
    (0.0, 0.0, 0.0, 0.0),
    (0.0, 0.5, math.inf, 0.0),  # d/db 0 ** b = 0 ** b * ln 0 -> 0 for b > 0 (the limit)
    (0.0, -1.0, -math.inf, -math.inf),  # 0 ** -1 = inf, times ln 0 = -inf
    (-2.0, 2.0, -4.0, math.nan),  # ln of a negative base: no real derivative in b
]


@pytest.mark.parametrize(("a", "b", "d_a", "d_b"), POWER_DERIVATIVES)
def test_power_derivatives_at_the_edges(a: float, b: float, d_a: float, d_b: float) -> None:
    x, y = Scalar(a), Scalar(b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # outside the domain: warned, as documented
        (x ** y).backward()
    for got, expected in ((x.derivative, d_a), (y.derivative, d_b)):
        assert got == expected or (math.isnan(got) and math.isnan(expected)), (a, b, got, expected)
