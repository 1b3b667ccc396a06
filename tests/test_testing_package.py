"""``minitorch.testing``: checking a user's own ScalarFunction, the strategies, and the diagnosis
that ``derivative_check`` gives when a composite derivative is wrong.

Every failing check must raise ``AssertionError`` naming the function, the argument, the point, the
expected and the received value; these tests match on those parts of the message.
"""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import Context, Scalar, ScalarFunction, derivative_check
from minitorch.testing import (
    Expression,
    Step,
    check_function,
    check_function_at,
    find_wrong_backward,
)
from minitorch.testing.diagnose import explain_wrong_derivative
from minitorch.testing.strategies import (
    argument_points,
    expressions,
    expressions_with_points,
    nonzero_floats,
    scalars,
)

BUILT_INS = [
    minitorch.Add, minitorch.Mul, minitorch.Inv, minitorch.Neg, minitorch.Log, minitorch.Exp,
    minitorch.Sigmoid, minitorch.ReLU, minitorch.LT, minitorch.EQ, minitorch.Pow, minitorch.Tanh,
    minitorch.Sin, minitorch.Cos, minitorch.Sqrt, minitorch.Abs,
]


# ## Functions a user might write, correct and broken


class Softplus(ScalarFunction):
    """softplus(x) = log(1 + e^x), with derivative sigmoid(x)."""

    @staticmethod
    def forward(ctx: Context, x: float) -> float:
        ctx.save_for_backward(x)
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        (x,) = ctx.saved_values
        return d_output * minitorch.operators.sigmoid(x)


class Hypot(ScalarFunction):
    """hypot(a, b) = sqrt(a^2 + b^2), with partial derivatives a / r and b / r."""

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        r = math.hypot(a, b)
        ctx.save_for_backward(a, b, r)
        return r

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        a, b, r = ctx.saved_values
        return d_output * a / r, d_output * b / r


class ReturnsText(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> Any:
        return "a squared"

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


class TooFewDerivatives(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        _, b = ctx.saved_values
        return d_output * b  # forgot the derivative with respect to b


class WrongSquare(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        (a,) = ctx.saved_values
        return d_output * a  # should be 2 * a


class KeepsOnCtx(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.input = a  # type: ignore[attr-defined]  # the mistake under test
        return a * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output * 2.0 * ctx.input  # type: ignore[attr-defined, no-any-return]


class KeepsOnClass(ScalarFunction):
    last_input = 0.0

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        KeepsOnClass.last_input = a
        return a * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output * 2.0 * KeepsOnClass.last_input


class IgnoresDOutput(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        (a,) = ctx.saved_values
        return 2.0 * a  # forgot to multiply by d_output


class WrongWhenOtherIsConstant(ScalarFunction):
    """a * b, whose backward misreads ``needs_grad``: only forward mode (with b constant) sees it."""

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        a, b = ctx.saved_values
        return (d_output * b if ctx.needs_grad(1) else 0.0), d_output * a


class NowhereFinite(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return math.nan

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


class Summed(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, *inputs: float) -> float:
        return sum(inputs)

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, ...]:
        return d_output, d_output


# ## check_function passes on correct functions


@pytest.mark.parametrize("fn", BUILT_INS, ids=lambda fn: fn.__name__)
def test_check_function_passes_on_built_in(fn: type[ScalarFunction]) -> None:
    check_function(fn, seed=0)


@pytest.mark.parametrize("fn", [Softplus, Hypot], ids=lambda fn: fn.__name__)
def test_check_function_passes_on_user_function(fn: type[ScalarFunction]) -> None:
    check_function(fn, domain=(-5.0, 5.0), seed=0)


def test_check_function_accepts_one_domain_per_input() -> None:
    check_function(minitorch.Pow, domain=[(0.1, 3.0), (-2.0, 2.0)], seed=0)


def test_check_function_accepts_a_points_strategy() -> None:
    check_function(minitorch.Log, points=st.tuples(st.floats(1.0, 10.0)), max_examples=10, seed=0)


def test_check_function_needs_arity_for_star_args() -> None:
    with pytest.raises(TypeError, match=r"Summed.forward takes \*args.*pass arity="):
        check_function(Summed)
    check_function(Summed, arity=2, seed=0)


def test_check_function_skips_kinks_and_jumps() -> None:
    # relu and lt at points where hypothesis likes to look: 0, and equal inputs.
    check_function(minitorch.ReLU, domain=(-1.0, 1.0), seed=0)
    check_function(minitorch.LT, domain=(-1.0, 1.0), seed=0)
    assert check_function_at(minitorch.ReLU, 0.0) is False
    assert check_function_at(minitorch.LT, 0.5, 0.5) is False
    assert check_function_at(minitorch.LT, 0.5, 1.5) is True


# ## check_function fails with a message that names the culprit


def test_check_function_reports_forward_returning_a_string() -> None:
    with pytest.raises(AssertionError, match=r"ReturnsText.forward returned str 'a squared' at the point"):
        check_function(ReturnsText, seed=0)


def test_check_function_reports_too_few_derivatives() -> None:
    with pytest.raises(
        AssertionError,
        match=r"TooFewDerivatives.backward returned 1 derivative\(s\) for 2 input\(s\) at the point",
    ):
        check_function(TooFewDerivatives, seed=0)


def test_check_function_reports_a_wrong_derivative() -> None:
    with pytest.raises(
        AssertionError, match=r"check_function\(WrongSquare\): WrongSquare.backward.* for argument 0"
    ):
        check_function(WrongSquare, seed=0)


def test_check_function_at_names_point_expected_and_received() -> None:
    with pytest.raises(AssertionError) as failure:
        check_function_at(WrongSquare, 3.0)
    message = str(failure.value)
    assert "WrongSquare.backward(ctx, d_output=1.0) at the point (3.0,)" in message
    assert "returned 3.0 for argument 0" in message
    expected = float(message.rsplit(" is ", 1)[1])
    assert math.isclose(expected, 6.0, rel_tol=1e-6)


def test_check_function_reports_values_kept_on_ctx() -> None:
    with pytest.raises(
        AssertionError,
        match=r"KeepsOnCtx.forward kept values on ctx outside save_for_backward \(ctx.input\)",
    ):
        check_function(KeepsOnCtx, seed=0)


def test_check_function_reports_ctx_attribute_refused_by_context(monkeypatch: pytest.MonkeyPatch) -> None:
    # Context has __slots__, so ctx.input = a raises AttributeError; report it the same way.
    monkeypatch.setattr(minitorch.testing.contract, "_RecordingContext", Context)
    with pytest.raises(
        AssertionError,
        match=r"KeepsOnCtx.forward kept values on ctx outside save_for_backward \(ctx.input: ",
    ):
        check_function_at(KeepsOnCtx, 0.5)


def test_check_function_reports_values_kept_on_the_class() -> None:
    with pytest.raises(AssertionError, match=r"kept values on the class .*KeepsOnClass.last_input"):
        check_function(KeepsOnClass, seed=0)


def test_check_function_reports_a_backward_that_ignores_d_output() -> None:
    with pytest.raises(AssertionError, match=r"d_output=-1.5.*must return d_output times"):
        check_function(IgnoresDOutput, seed=0)


def test_check_function_reports_forward_mode_disagreement() -> None:
    with pytest.raises(AssertionError, match=r"forward mode \(minitorch.jvp .* along argument 0\)"):
        check_function(WrongWhenOtherIsConstant, seed=0)


def test_check_function_reports_no_point_in_the_domain() -> None:
    with pytest.raises(AssertionError, match=r"found no point where NowhereFinite.forward is finite"):
        check_function(NowhereFinite, max_examples=5, seed=0)


def test_check_function_rejects_what_is_not_a_scalar_function() -> None:
    with pytest.raises(TypeError, match="expects a ScalarFunction subclass"):
        check_function(lambda x: x * x)  # type: ignore[arg-type]


def test_check_function_rejects_a_bad_domain() -> None:
    with pytest.raises(ValueError, match="low < high"):
        check_function(minitorch.Exp, domain=(1.0, -1.0))
    with pytest.raises(ValueError, match="1 interval"):
        check_function(minitorch.Mul, domain=[(0.0, 1.0)])
    with pytest.raises(ValueError, match="not both"):
        check_function(minitorch.Exp, domain=(0.0, 1.0), points=st.tuples(st.just(1.0)))


# ## hypothesis is optional

_WITHOUT_HYPOTHESIS = """
import sys

class BlockHypothesis:
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, BlockHypothesis())
"""


def _run_without_hypothesis(code: str) -> subprocess.CompletedProcess[str]:
    program = _WITHOUT_HYPOTHESIS + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)


def test_minitorch_and_testing_import_without_hypothesis() -> None:
    result = _run_without_hypothesis(
        """
        import minitorch
        from minitorch import MathTest, MathTestVariable, check_grads
        from minitorch.testing import check_function, check_function_at, MathTest, check_grads
        assert "hypothesis" not in sys.modules
        assert check_function_at(minitorch.Mul, 2.0, 3.0)
        try:
            check_function(minitorch.Mul)
        except ImportError as error:
            print(error)
        try:
            import minitorch.testing.strategies
        except ImportError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith("check_function(Mul) draws its points with hypothesis")
    assert 'pip install "minitorch[test]"' in first
    assert second.startswith("minitorch.testing.strategies needs hypothesis")
    assert 'pip install "minitorch[test]"' in second


# ## Strategies


@settings(max_examples=50)
@given(expressions_with_points())
def test_expressions_give_the_same_value_on_floats_and_scalars(
    case: tuple[Expression, tuple[float, ...]],
) -> None:
    expression, point = case
    on_floats = expression(*point)
    on_scalars = expression(*[Scalar(x) for x in point])
    assert isinstance(on_floats, float)
    assert isinstance(on_scalars, Scalar)
    assert math.isclose(on_scalars.data, on_floats, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=50)
@given(expressions_with_points())
def test_expressions_pass_derivative_check(case: tuple[Expression, tuple[float, ...]]) -> None:
    expression, point = case
    derivative_check(expression, *[Scalar(x) for x in point])


@settings(max_examples=20)
@given(expressions(arity=2, max_steps=3))
def test_expressions_respect_arity_and_max_steps(expression: Expression) -> None:
    assert expression.arity == 2
    assert 1 <= len(expression.steps) <= 3


def test_expression_shares_values_and_prints_as_a_program() -> None:
    e = Expression(2, [Step("sin", (0,)), Step("mul", (2, 1)), Step("add", (3, 2))])
    assert repr(e) == "Expression(x0, x1 -> v2 = sin(x0); v3 = v2 * x1; v4 = v3 + v2)"
    assert e.formula() == "(sin(x0) * x1) + sin(x0)"
    x = Scalar(0.5)
    e(x, Scalar(2.0)).backward()
    assert math.isclose(x.derivative, 3.0 * math.cos(0.5))  # d/dx (x1 + 1) sin(x0) at x1 = 2


def test_expression_rejects_bad_steps() -> None:
    with pytest.raises(ValueError, match="unknown operation 'erf'"):
        Expression(1, [Step("erf", (0,))])
    with pytest.raises(ValueError, match=r"step 0 \(add\) needs 2 operand\(s\) among the values 0..0"):
        Expression(1, [Step("add", (0, 1))])
    with pytest.raises(TypeError, match="takes 1 input"):
        Expression(1, [Step("neg", (0,))])(1.0, 2.0)


@settings(max_examples=20)
@given(st.tuples(scalars(), scalars()))
def test_scalars_are_fresh_leaves(pair: tuple[Scalar, Scalar]) -> None:
    a, b = pair
    assert a.is_leaf() and b.is_leaf()
    assert a.unique_id != b.unique_id
    assert a.derivative is None


@settings(max_examples=50)
@given(nonzero_floats(0.5, 3.0))
def test_nonzero_floats_stay_in_their_magnitude(x: float) -> None:
    assert 0.5 <= abs(x) <= 3.0


@settings(max_examples=50)
@given(argument_points(2, [(0.0, 1.0), (5.0, 6.0)]))
def test_argument_points_follow_each_domain(point: tuple[float, float]) -> None:
    assert 0.0 <= point[0] <= 1.0 and 5.0 <= point[1] <= 6.0


# ## derivative_check says which function is wrong


def test_derivative_check_names_the_wrong_function_in_a_composite() -> None:
    def f(x: Scalar, y: Scalar) -> Scalar:
        return (WrongSquare.apply(x.sin()) * y + x).exp()

    with pytest.raises(AssertionError) as failure:
        derivative_check(f, Scalar(0.5), Scalar(2.0))
    message = str(failure.value)
    assert "argument 0 at [0.5, 2.0]" in message
    assert "the function at fault is WrongSquare" in message
    assert f"at the point ({math.sin(0.5)!r},) returned {math.sin(0.5)!r} for argument 0" in message


def test_derivative_check_names_a_backward_that_ignores_d_output() -> None:
    with pytest.raises(AssertionError, match=r"fault is IgnoresDOutput: .*d_output=-1.5"):
        derivative_check(lambda x: IgnoresDOutput.apply(x) * 3.0, Scalar(0.5))


def test_find_wrong_backward_is_none_for_a_correct_graph() -> None:
    x, y = Scalar(0.3), Scalar(-1.2)
    out = (x * y).sigmoid() + (x / y).relu() + Softplus.apply(x)
    assert find_wrong_backward(out) is None
    assert explain_wrong_derivative(out).startswith("every function in the graph has a backward")


def test_find_wrong_backward_walks_a_long_chain_without_recursion() -> None:
    x = Scalar(0.5)
    y = x
    for i in range(3000):
        y = WrongSquare.apply(y) if i == 2000 else y * 1.0
    wrong = find_wrong_backward(y)
    assert wrong is not None
    assert (wrong.function, wrong.argument, wrong.point) == ("WrongSquare", 0, (0.5,))
    assert wrong.received == 0.5 and math.isclose(wrong.expected, 1.0, rel_tol=1e-6)
