"""The speed layer's loop gives what the reference loop gives, and hands back what it can't do.

``PackedScalar.backward`` runs :mod:`minitorch.fast.backprop` on graphs made with the speed layer
on. Each test here builds a graph with the layer on and backpropagates it under each engine (see
``tests/engines.py``: with the layer off, the reference loop walks the packed graph through the
``Variable`` protocol), or checks that a graph the fast loop must not handle still gets the
reference loop's result. (The engine tests in ``test_engine.py``, ``test_autodiff.py`` and
``test_scalar.py`` run whole, graph building included, under both engines.)
"""

import math
import random
from typing import Any

import pytest
from engines import ENGINES, engine
from hypothesis import given
from hypothesis import strategies as st

from minitorch import Context, Scalar, ScalarFunction, ScalarHistory, backpropagate, no_grad
from minitorch.testing.strategies import expressions_with_points

pytestmark = pytest.mark.task1_4


def _derivatives(leaves: list[Scalar]) -> list[Any]:
    return [leaf.derivative for leaf in leaves]


def _both_loops(build: Any, n_leaves: int, values: list[float], d_output: float = 1.0) -> list[list[Any]]:
    """The leaves' derivatives after ``build(leaves).backward(d_output)`` under each loop."""
    results = []
    for loop in ENGINES:
        leaves = [Scalar(v) for v in values[:n_leaves]]
        out = build(leaves)
        with engine(loop):
            out.backward(d_output)
        results.append(_derivatives(leaves))
    return results


def _assert_same(fast: list[Any], generic: list[Any]) -> None:
    """Equal up to the order in which three or more incoming derivatives were added."""
    assert len(fast) == len(generic)
    for i, (a, b) in enumerate(zip(fast, generic, strict=True)):
        if a is None or b is None:
            assert a is b, f"leaf {i}: {a!r} by the fast loop, {b!r} by the reference loop"
        else:
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), f"leaf {i}: {a!r} != {b!r}"


@given(expressions_with_points(max_steps=8), st.floats(min_value=-3.0, max_value=3.0))
def test_random_expressions_give_the_generic_loops_derivatives(case: Any, d_output: float) -> None:
    expression, point = case
    fast, generic = _both_loops(lambda xs: expression(*xs), expression.arity, list(point), d_output)
    _assert_same(fast, generic)


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[float], list[tuple[int, int, int, float]]]:
    """A random DAG like the benchmark's (c): each node combines two earlier ones and a constant."""
    leaves = draw(st.lists(st.floats(min_value=-1.0, max_value=1.0), min_size=1, max_size=5))
    nodes = []
    for i in range(draw(st.integers(min_value=1, max_value=40))):
        available = len(leaves) + i
        kind = draw(st.integers(min_value=0, max_value=2))
        a = draw(st.integers(min_value=0, max_value=available - 1))
        b = draw(st.integers(min_value=0, max_value=available - 1))
        nodes.append((kind, a, b, draw(st.floats(min_value=-1.0, max_value=1.0))))
    return leaves, nodes


def _run_dag(nodes: list[tuple[int, int, int, float]], leaves: list[Scalar]) -> Scalar:
    values: list[Any] = list(leaves)
    for kind, a, b, c in nodes:
        if kind == 0:
            values.append(values[a] * values[b] + c)
        elif kind == 1:
            values.append((values[a] + values[b]) * c)
        else:
            values.append((values[a] * c).sigmoid() - values[b])
    out = values[-1]
    return out if isinstance(out, Scalar) else Scalar(out)


@given(dags())
def test_random_dags_with_shared_nodes_give_the_generic_loops_derivatives(dag: Any) -> None:
    values, nodes = dag
    fast, generic = _both_loops(lambda xs: _run_dag(nodes, xs), len(values), values)
    _assert_same(fast, generic)


@given(dags())
def test_inner_nodes_hold_no_derivative_afterwards(dag: Any) -> None:
    values, nodes = dag
    leaves = [Scalar(v) for v in values]
    out = _run_dag(nodes, leaves)
    out.backward()
    inner = [n for n in _all_nodes(out) if not n.is_leaf()]
    assert all(n.derivative is None for n in inner)


def _all_nodes(out: Scalar) -> list[Scalar]:
    seen: dict[int, Scalar] = {}
    stack = [out]
    while stack:
        node = stack.pop()
        if node.unique_id not in seen:
            seen[node.unique_id] = node
            stack.extend(node.parents)
    return list(seen.values())


def test_second_backward_adds_again() -> None:
    x = Scalar(1.5)
    y = x * x + x.sin()
    y.backward()
    first = x.derivative
    y.backward()
    assert x.derivative == first + first


def test_leaf_output_and_constant_output() -> None:
    x = Scalar(2.0)
    backpropagate(x, 3.0)
    backpropagate(x, 3.0)
    assert x.derivative == 6.0
    constant = Scalar(1.0, None)
    backpropagate(constant, 1.0)  # nothing to differentiate, as in the generic loop
    assert constant.derivative is None


def test_constant_scalar_inputs_get_no_derivative() -> None:
    x, c = Scalar(2.0), Scalar(5.0, None)
    (x * c + c).backward()
    assert (x.derivative, c.derivative) == (5.0, None)


class Traced(Scalar):
    """A Scalar subclass that records calls to ``chain_rule``: the protocol must be honoured."""

    calls = 0

    def chain_rule(self, d_output: Any) -> Any:
        Traced.calls += 1
        return super().chain_rule(d_output)


def test_a_scalar_subclass_in_the_graph_gets_its_own_chain_rule() -> None:
    x = Scalar(2.0)
    inner = x * x
    traced = Traced(0.0)
    traced.data, traced.history = inner.data, inner.history  # a computed node of the subclass
    Traced.calls = 0
    (traced * 3.0).backward()
    assert Traced.calls == 1
    assert x.derivative == 12.0


class Double(ScalarFunction):
    """f(a) = 2a."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return 2.0 * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return 2.0 * d_output


def test_hand_built_history_with_a_newer_input_is_still_right() -> None:
    """An input made after its output breaks the id order; the generic loop takes the graph."""
    x = Scalar(1.0)
    out = Scalar(0.0, ScalarHistory(Double, Context(), []))  # made first, inputs filled in later
    middle = Double.apply(x)
    out.history = ScalarHistory(Double, Context(), [middle])
    out.backward()
    assert x.derivative == 4.0


def test_a_derivative_set_on_an_inner_node_is_left_alone() -> None:
    x = Scalar(1.0)
    middle = x * 3.0
    middle.derivative = 100.0  # set by hand; backpropagation must neither use nor clear it
    (middle * 2.0).backward()
    assert (x.derivative, middle.derivative) == (6.0, 100.0)


@pytest.mark.parametrize("loop", ENGINES)
def test_a_hand_built_history_without_a_context_is_explained(loop: str) -> None:
    x = Scalar(1.0)
    made = Scalar(2.0, ScalarHistory(Double, None, [x]))
    with engine(loop), pytest.raises(ValueError, match="chain_rule"):
        (made * 3.0).backward()


def raising_backward(error: type[Exception], message: str) -> type[ScalarFunction]:
    """``f(a) = a`` whose backward raises ``error(message)``, to interrupt backpropagation."""

    class Raising(ScalarFunction):
        @staticmethod
        def forward(ctx: Context, a: float) -> float:
            return a

        @staticmethod
        def backward(ctx: Context, d_output: float) -> float:
            raise error(message)

    return Raising


Broken = raising_backward(ZeroDivisionError, "broken backward")


def test_an_error_half_way_leaves_no_derivative_on_inner_nodes() -> None:
    x = Scalar(1.0)
    first = x * 2.0
    second = Broken.apply(first) * 3.0
    with pytest.raises(ZeroDivisionError, match="broken backward"):
        second.backward()
    assert all(n.derivative is None for n in _all_nodes(second) if not n.is_leaf())


@pytest.mark.parametrize("loop", ENGINES)
def test_an_error_half_way_clears_a_derivative_still_pending(loop: str) -> None:
    """``waiting`` holds its derivative in its slot when ``Broken`` (made later) fails first."""
    x = Scalar(1.0)
    with engine(loop):
        waiting = x * 3.0
        out = Broken.apply(x * 2.0) + waiting
        with pytest.raises(ZeroDivisionError, match="broken backward"):
            out.backward()
    assert all(n.derivative is None for n in _all_nodes(out) if not n.is_leaf())
    assert waiting.derivative is None


class TwoForOne(ScalarFunction):
    """A backward returning two derivatives for one input."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return d_output, d_output


@pytest.mark.parametrize("loop", ENGINES)
def test_wrong_number_of_derivatives_names_the_function(loop: str) -> None:
    y = TwoForOne.apply(Scalar(1.0)) * 2.0
    expected = r"TwoForOne.backward returned 2 derivative\(s\) for 1 input"
    with engine(loop), pytest.raises(ValueError, match=expected):
        y.backward()


def test_long_shared_chain_matches_the_generic_loop() -> None:
    rng = random.Random(0)
    values = [rng.uniform(-1.0, 1.0) for _ in range(3)]

    def build(xs: list[Scalar]) -> Scalar:
        y: Any = xs[0]
        for i in range(3000):
            y = (y * xs[1] + xs[2] * (i % 7)).tanh() + y * 0.5
        return y

    fast, generic = _both_loops(build, 3, values)
    _assert_same(fast, generic)


class AddReadingItsContext(ScalarFunction):
    """f(x, y) = x + y; saves nothing, and its backward asks the Context which inputs are variables."""

    @staticmethod
    def forward(ctx: Context, x: float, y: float) -> float:
        return x + y

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return (d_output if ctx.needs_grad(0) else 0.0), (d_output if ctx.needs_grad(1) else 0.0)


def test_fast_backward_gives_a_context_to_a_function_that_saved_nothing() -> None:
    backprop = pytest.importorskip("minitorch.fast.backprop")
    backprop.EMPTY_CONTEXTS.clear()  # the first such node builds the shared Context
    x = Scalar(1.0)
    out = AddReadingItsContext.apply(x, 2.0)
    with engine("fast"):
        out.backward()
    assert x.derivative == 1.0


def test_fast_enable_makes_apply_record_packed_scalars() -> None:
    fast = pytest.importorskip("minitorch.fast")
    with fast.using(False):
        fast.enable()
        out = AddReadingItsContext.apply(Scalar(1.0), 2.0)
        assert isinstance(out, Scalar) and type(out) is not Scalar  # a PackedScalar
        fast.disable()
        assert type(AddReadingItsContext.apply(Scalar(1.0), 2.0)) is Scalar


@pytest.mark.parametrize("start", [True, False], ids=["from-on", "from-off"])
def test_fast_using_puts_the_previous_state_back(start: bool) -> None:
    fast = pytest.importorskip("minitorch.fast")
    with fast.using(start):
        for inside in (True, False):
            with fast.using(inside):
                assert fast.is_enabled() is inside
            assert fast.is_enabled() is start


def test_fast_inner_nodes_of_a_graph_over_leaves_are_its_computed_values() -> None:
    backprop = pytest.importorskip("minitorch.fast.backprop")
    x, y = Scalar(1.0), Scalar(2.0)
    with engine("fast"):
        product = x * y
        out = product + x
        inner = backprop.inner_nodes(out)
    assert inner is not None and set(inner) == {out.unique_id, product.unique_id}


@pytest.mark.parametrize(
    "call", [lambda x: x.exp(), lambda x: -x, lambda x: x * 2.0], ids=["exp", "neg", "mul"]
)
def test_fast_apply_records_one_and_two_input_calls_packed(call: Any) -> None:
    with engine("fast"):
        out = call(Scalar(1.0))
    assert isinstance(out, Scalar) and type(out) is not Scalar  # a PackedScalar


class IntegerSum(ScalarFunction):
    """f(x, y) = x + y, returned as an int when both are whole numbers (forward may return any real)."""

    @staticmethod
    def forward(ctx: Context, x: float, y: float) -> float:
        return int(x + y) if (x + y).is_integer() else x + y

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return d_output, d_output


def test_fast_apply_turns_an_int_from_forward_into_a_float() -> None:
    with engine("fast"):
        out = IntegerSum.apply(Scalar(1.0), 2.0)
    assert out.data == 3.0 and type(out.data) is float


def test_fast_apply_under_no_grad_records_nothing() -> None:
    x = Scalar(1.0)
    with engine("fast"), no_grad():
        out = x * 2.0
    assert out.data == 2.0 and out.is_constant()


class ReturnsAScalar(ScalarFunction):
    """A wrong function: its forward returns a Scalar instead of a float."""

    @staticmethod
    def forward(ctx: Context, x: float) -> float:
        return Scalar(x)  # type: ignore[return-value]

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


@pytest.mark.parametrize("loop", ENGINES)
def test_apply_rejects_a_scalar_returned_by_forward(loop: str) -> None:
    with engine(loop), pytest.raises(TypeError, match=r"ReturnsAScalar\.forward returned Scalar"):
        ReturnsAScalar.apply(Scalar(1.0))


def test_fast_packed_value_made_a_leaf_by_hand_gets_the_derivative() -> None:
    x = Scalar(2.0)
    with engine("fast"):
        middle = x * 2.0
        out = middle * 3.0
        middle.history = ScalarHistory()  # from now on a leaf
        out.backward()
    assert middle.derivative == 3.0 and x.derivative is None


def _shape(value: Any, leaves: list[Scalar]) -> Any:
    """The graph under ``value``: ``(function, inputs)`` for a computed Scalar, ``("leaf", i)`` for
    the i-th leaf, ``("constant", number)`` for a float or a Scalar that records nothing."""
    if isinstance(value, Scalar):
        for i, leaf in enumerate(leaves):
            if value is leaf:
                return ("leaf", i)
        back = value.history
        if back is None or back.last_fn is None:
            return ("constant", value.data)
        return (back.last_fn.__name__, tuple(_shape(inp, leaves) for inp in back.inputs))
    return ("constant", float(value))


GRAPH_CALLS = {
    "add": lambda x, y: x + y, "radd": lambda x, y: 2.0 + x, "add float": lambda x, y: x + 2.0,
    "sub": lambda x, y: x - y, "sub float": lambda x, y: x - 2.0, "rsub": lambda x, y: 2.0 - x,
    "mul": lambda x, y: x * y, "rmul": lambda x, y: 2.0 * x, "div": lambda x, y: x / y,
    "div float": lambda x, y: x / 2.0, "rdiv": lambda x, y: 2.0 / x, "neg": lambda x, y: -x,
    "relu": lambda x, y: x.relu(), "exp": lambda x, y: x.exp(), "log": lambda x, y: x.log(),
    "sigmoid": lambda x, y: x.sigmoid(), "tanh": lambda x, y: x.tanh(),
}


@pytest.mark.parametrize("call", list(GRAPH_CALLS.values()), ids=list(GRAPH_CALLS))
def test_both_engines_record_the_same_graph(call: Any) -> None:
    """Same functions, same inputs in the same order (``draw`` and ``history`` show them)."""
    shapes = []
    for name in ENGINES:
        leaves = [Scalar(1.5), Scalar(0.5)]
        with engine(name):
            shapes.append(_shape(call(*leaves), leaves))
    assert shapes[0] == shapes[1]
    assert shapes[0][0] != "leaf"


def test_fast_enable_and_disable_swap_scalars_operators() -> None:
    """enable() puts the bound-once operators on Scalar; disable() puts the course's back."""
    fast = pytest.importorskip("minitorch.fast")
    operators = pytest.importorskip("minitorch.fast.operators")
    with fast.using(True):
        assert all(Scalar.__dict__[name] is method for name, method in operators.OPERATORS.items())
    with fast.using(False):
        assert not any(Scalar.__dict__[name] is method for name, method in operators.OPERATORS.items())
        assert type(Scalar(1.0) * 2.0) is Scalar  # the reference apply: a plain Scalar


def test_fast_a_new_layer_switch_starts_off() -> None:
    packed = pytest.importorskip("minitorch.fast.packed")
    assert packed.LayerSwitch().on is False


@pytest.mark.parametrize("loop", ENGINES)
def test_a_constant_result_is_a_complete_scalar(loop: str) -> None:
    """An operation on constants only gives a constant with every attribute a Scalar has."""
    with engine(loop):
        for out in (Scalar(1.0, None) * 2.0, Scalar(1.0, None).exp()):
            assert out.is_constant() and out.history is None and out.derivative is None
            assert out.level == 0 and out.name == str(out.unique_id)
            assert out.unique_id != Scalar(0.0).unique_id


class Cube(ScalarFunction):
    """f(a) = a^3; saves three values (more than the two a packed Scalar holds in slots)."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.save_for_backward(a, a, a)
        return a * a * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        a, b, c = ctx.saved_values
        slope: float = d_output * (a * b + b * c + a * c)
        return slope


@pytest.mark.parametrize("loop", ENGINES)
def test_a_function_that_saves_three_values_gets_them_back(loop: str) -> None:
    x = Scalar(2.0)
    with engine(loop):
        out = Cube.apply(x)
        out.backward()
    assert out.data == 8.0 and x.derivative == 12.0


class OnlyForward(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return a


class OnlyBackward(ScalarFunction):
    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


class BackwardReturns(ScalarFunction):
    """f(a) = a, whose backward returns whatever ``BackwardReturns.value`` holds."""

    value: Any = None

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> Any:
        return BackwardReturns.value


@pytest.mark.parametrize("loop", ENGINES)
def test_a_missing_forward_or_backward_is_named(loop: str) -> None:
    with engine(loop):
        with pytest.raises(NotImplementedError, match=r"OnlyBackward\.forward is not implemented: "
                           r"define a static forward\(ctx, \*inputs\) on OnlyBackward"):
            OnlyBackward.apply(Scalar(1.0))
        out = OnlyForward.apply(Scalar(1.0))
        with pytest.raises(NotImplementedError, match=r"OnlyForward\.backward is not implemented: "
                           r"define a static backward\(ctx, d_output\) on OnlyForward"):
            out.backward()


@pytest.mark.parametrize(
    ("value", "error"),
    [(None, r"BackwardReturns\.backward returned None; return one derivative"),
     ("two", r"BackwardReturns\.backward returned str 'two' among its derivatives")],
    ids=["None", "a string"],
)
@pytest.mark.parametrize("loop", ENGINES)
def test_a_backward_returning_a_non_number_is_named(loop: str, value: Any, error: str) -> None:
    BackwardReturns.value = value
    with engine(loop):
        out = BackwardReturns.apply(Scalar(1.0)) * 1.0
        with pytest.raises(TypeError, match=error):
            out.backward()


@pytest.mark.parametrize("loop", ENGINES)
def test_a_numpy_number_from_backward_becomes_a_float(loop: str) -> None:
    import numpy as np

    BackwardReturns.value = np.float32(2.0)
    x = Scalar(1.0)
    with engine(loop):
        (BackwardReturns.apply(x) * 1.0).backward()
    assert x.derivative == 2.0 and type(x.derivative) is float


def test_forward_is_also_reachable_under_the_courses_name() -> None:
    from minitorch import Mul

    assert Mul._forward(Context(), 2.0, 3.0) == 6.0


@pytest.mark.parametrize("loop", ENGINES)
def test_an_integer_too_large_for_a_float_is_refused_either_sign(loop: str) -> None:
    with engine(loop):
        for huge in (10**400, -(10**400)):
            with pytest.raises(OverflowError, match=r"Mul\.apply: argument 1: the integer"):
                Scalar(1.0) * huge


def test_a_zero_tangent_meets_a_nan_partial_as_zero() -> None:
    """jvp of a ** b at a < 0 along a only: d/db is nan there, but b's tangent is 0, so it adds 0."""
    import warnings

    from minitorch import jvp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value, tangent = jvp(lambda a, b: a ** b, (-2.0, 2.0), (1.0, 0.0))
    assert (value, tangent) == (4.0, -4.0)


def test_the_base_class_forward_and_backward_say_what_to_define() -> None:
    with pytest.raises(NotImplementedError, match=r"must define a static forward\(ctx, \.\.\.\)"):
        ScalarFunction.forward(Context(), 1.0)
    with pytest.raises(NotImplementedError, match=r"must define a static backward\(ctx, d_output\)"):
        ScalarFunction.backward(Context(), 1.0)


BackwardRaises = raising_backward(TypeError, "a mistake in backward")


@pytest.mark.parametrize("loop", ENGINES)
def test_a_type_error_in_backward_reaches_the_caller(loop: str) -> None:
    with engine(loop):
        out = BackwardRaises.apply(Scalar(1.0)) * 2.0
        with pytest.raises(TypeError, match="a mistake in backward"):
            out.backward()


@pytest.mark.parametrize("loop", ENGINES)
def test_a_derivative_set_on_the_output_is_left_alone(loop: str) -> None:
    x = Scalar(1.0)
    with engine(loop):
        out = x * 2.0
        out.derivative = 5.0
        out.backward()
    assert out.derivative == 5.0 and x.derivative == 2.0
