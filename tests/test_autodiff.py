"""Module 1, tasks 1.1, 1.3 and 1.4: central differences, chain rule, topological sort, backprop.

``Function1`` and ``Function2`` are user-defined ScalarFunctions with hand-written derivatives, so
these tests exercise the engine independently of the built-in functions.
"""

import math
import random
import sys
from typing import Any

import pytest
from engines import ENGINES, engine
from hypothesis import given
from hypothesis import strategies as st
from strategies import assert_close, small_floats, small_positive_floats

import minitorch
from minitorch import (
    Context,
    Scalar,
    ScalarFunction,
    ScalarHistory,
    backpropagate,
    central_difference,
    topological_sort,
)

pytestmark = pytest.mark.usefixtures("each_engine")  # every test here runs under both engines


class Function1(ScalarFunction):
    """f(x, y) = x + y + 10."""

    @staticmethod
    def forward(ctx: Context, x: float, y: float) -> float:
        return x + y + 10

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        return d_output, d_output


class Function2(ScalarFunction):
    """f(x, y) = x * y + x."""

    @staticmethod
    def forward(ctx: Context, x: float, y: float) -> float:
        ctx.save_for_backward(x, y)
        return x * y + x

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        x, y = ctx.saved_values
        return d_output * (y + 1), d_output * x


# ## Task 1.1: central differences


@pytest.mark.task1_1
@given(small_floats)
def test_central_difference_of_identity_is_one(x: float) -> None:
    assert_close(central_difference(minitorch.operators.id, x), 1.0)


@pytest.mark.task1_1
@given(small_floats, small_floats)
def test_central_difference_of_add_is_one_in_each_argument(x: float, y: float) -> None:
    assert_close(central_difference(minitorch.operators.add, x, y, arg=0), 1.0)
    assert_close(central_difference(minitorch.operators.add, x, y, arg=1), 1.0)


@pytest.mark.task1_1
@given(small_floats, small_floats)
def test_central_difference_of_mul_is_the_other_argument(x: float, y: float) -> None:
    assert_close(central_difference(minitorch.operators.mul, x, y, arg=0), y)
    assert_close(central_difference(minitorch.operators.mul, x, y, arg=1), x)


@pytest.mark.task1_1
@given(small_floats)
def test_central_difference_of_sin_is_cos(x: float) -> None:
    assert_close(central_difference(math.sin, x), math.cos(x), tol=1e-6)


@pytest.mark.task1_1
@given(small_positive_floats)
def test_central_difference_of_exp_is_exp(x: float) -> None:
    assert_close(central_difference(math.exp, x / 10.0), math.exp(x / 10.0), tol=1e-6)


@pytest.mark.task1_1
def test_central_difference_leaves_other_arguments_alone() -> None:
    seen: list[tuple[float, float, float]] = []

    def f(a: float, b: float, c: float) -> float:
        seen.append((a, b, c))
        return a * b * c

    central_difference(f, 1.0, 2.0, 3.0, arg=1)
    assert [(a, c) for a, _, c in seen] == [(1.0, 3.0), (1.0, 3.0)]


@pytest.mark.task1_1
@pytest.mark.parametrize("epsilon", [1e-2, 1e-4], ids=lambda e: f"eps={e}")
def test_central_difference_uses_given_epsilon(epsilon: float) -> None:
    """For x^3 at 0 the central difference is exactly eps^2, which reveals the step used."""
    assert_close(central_difference(lambda x: x**3, 0.0, epsilon=epsilon), epsilon**2, tol=1e-12)


class Measured:
    """A number that allows only ``+``, ``-`` and ``/``: what ``central_difference`` may use."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __add__(self, other: float) -> "Measured":
        return Measured(self.value + other)

    def __sub__(self, other: "Measured | float") -> "Measured":
        return Measured(self.value - (other.value if isinstance(other, Measured) else other))

    def __truediv__(self, other: float) -> "Measured":
        return Measured(self.value / other)


@pytest.mark.task1_1
@given(small_floats)
def test_central_difference_uses_only_add_sub_div(x: float) -> None:
    """The docstring's promise that makes it work on Scalars too (task 1.2 makes their ``+``)."""
    d = central_difference(lambda m: m, Measured(x))
    assert isinstance(d, Measured), (
        "central_difference must compute (f(x + eps) - f(x - eps)) / (2 eps) with + - / only, "
        f"so that it works on any number type; it returned {type(d).__name__}"
    )
    assert_close(d.value, 1.0)


@pytest.mark.task1_2  # Scalar arithmetic is task 1.2
@given(small_floats)
def test_central_difference_works_on_scalars(x: float) -> None:
    d = central_difference(lambda s: s * s, Scalar(x))
    assert isinstance(d, Scalar)
    assert_close(d.data, 2.0 * x)


# ## Context


@pytest.mark.task1_2
def test_context_save_for_backward_stores_values() -> None:
    ctx = Context()
    ctx.save_for_backward(1.0, 2.0)
    assert ctx.saved_values == (1.0, 2.0)


@pytest.mark.task1_2
def test_context_repr_shows_its_state() -> None:
    ctx = Context()
    ctx.save_for_backward(1.5, 2.0)
    assert repr(ctx) == "Context(no_grad=False, saved_values=(1.5, 2.0))"


@pytest.mark.task1_2
def test_context_saved_tensors_is_saved_values() -> None:
    ctx = Context()
    ctx.save_for_backward(3.0)
    assert ctx.saved_tensors == ctx.saved_values == (3.0,)


@pytest.mark.task1_2
def test_context_no_grad_saves_nothing() -> None:
    ctx = Context(no_grad=True)
    ctx.save_for_backward(1.0, 2.0)
    assert ctx.saved_values == ()


@pytest.mark.task1_2
def test_context_defaults_are_not_shared() -> None:
    first, second = Context(), Context()
    first.save_for_backward(1.0)
    assert second.saved_values == ()


@pytest.mark.task1_2
def test_context_no_grad_setter_true_stops_saving() -> None:
    ctx = Context()
    ctx.no_grad = True
    ctx.save_for_backward(1.0)
    assert ctx.no_grad and ctx.saved_values == () and not ctx.needs_grad(0)


@pytest.mark.task1_2
def test_context_no_grad_setter_false_makes_every_input_a_variable() -> None:
    ctx = Context(no_grad=True)
    ctx.no_grad = False
    ctx.save_for_backward(1.0)
    assert not ctx.no_grad and ctx.saved_values == (1.0,)
    assert ctx.needs_grad(0) and ctx.needs_grad(5)


@pytest.mark.task1_2
def test_context_needs_grad_reads_one_bit_per_input() -> None:
    ctx = Context(variable_inputs=0b101)
    assert [ctx.needs_grad(i) for i in range(4)] == [True, False, True, False]


@pytest.mark.task1_2
def test_context_needs_grad_with_a_float_index_names_the_method() -> None:
    with pytest.raises(TypeError, match=r"Context.needs_grad\(index\) expects an int, got float 1.0"):
        Context().needs_grad(1.0)  # type: ignore[arg-type]


@pytest.mark.task1_2
def test_context_needs_grad_with_a_negative_index_raises_index_error() -> None:
    with pytest.raises(IndexError, match="index -1 is negative"):
        Context().needs_grad(-1)


# ## Task 1.3: the chain rule


@pytest.mark.task1_3
def test_chain_rule_hand_built_history_gives_one_pair_per_input() -> None:
    x = Scalar(0.0)
    y = Scalar(0.0, ScalarHistory(Function1, ctx=Context(), inputs=[x, x]))
    assert len(list(y.chain_rule(d_output=5))) == 2


@pytest.mark.task1_3
def test_chain_rule_repeated_input_keeps_duplicates() -> None:
    var = Scalar(0.0, ScalarHistory())
    y = Scalar(0.0, ScalarHistory(Function1, ctx=Context(), inputs=[var, var]))
    back = list(y.chain_rule(d_output=5))
    assert [(v is var, d) for v, d in back] == [(True, 5), (True, 5)]


@pytest.mark.task1_3
def test_chain_rule_includes_constant_input() -> None:
    var = Scalar(5)
    y = Function2.apply(10, var)
    back = list(y.chain_rule(d_output=5))
    assert len(back) == 2
    constant, _ = back[0]
    assert constant.is_constant()
    assert constant.data == 10


@pytest.mark.task1_3
def test_chain_rule_variable_after_constant_gets_its_derivative() -> None:
    var = Scalar(5)
    y = Function2.apply(10, var)
    variable, deriv = list(y.chain_rule(d_output=5))[1]
    assert variable is var
    assert deriv == 5 * 10  # d/dy (x y + x) = x = 10


@pytest.mark.task1_3
def test_scalar_history_backprop_step_without_context_raises_value_error() -> None:
    history = ScalarHistory(Function1, None, [Scalar(1.0), Scalar(2.0)])
    with pytest.raises(ValueError, match="backprop_step"):
        history.backprop_step(1.0)


@pytest.mark.task1_3
def test_scalar_history_backprop_step_without_function_raises_value_error() -> None:
    history = ScalarHistory(None, Context(), [Scalar(1.0)])
    with pytest.raises(ValueError, match="belongs to a leaf"):
        history.backprop_step(1.0)


@pytest.mark.task1_3
def test_scalar_history_repr_names_the_function_or_none() -> None:
    x = Scalar(1.0)
    assert repr(ScalarHistory()) == "ScalarHistory(last_fn=None, inputs=[])"
    assert repr(Function1.apply(x, 2.0).history).startswith("ScalarHistory(last_fn=Function1, inputs=[")


@pytest.mark.task1_3
def test_chain_rule_two_variables_in_input_order() -> None:
    var1, var2 = Scalar(5), Scalar(10)
    y = Function2.apply(var1, var2)
    back = list(y.chain_rule(d_output=5))
    assert [(v.name, d) for v, d in back] == [(var1.name, 5 * (10 + 1)), (var2.name, 5 * 5)]


@pytest.mark.task1_3
@given(small_floats, small_floats, small_floats)
def test_chain_rule_matches_central_difference(x: float, y: float, d: float) -> None:
    out = Function2.apply(Scalar(x), Scalar(y))
    derivs = [deriv for _, deriv in out.chain_rule(d)]

    def f(a: float, b: float) -> float:
        return a * b + a

    expected = [d * central_difference(f, x, y, arg=i) for i in (0, 1)]
    for got, want in zip(derivs, expected, strict=True):
        assert_close(got, want)


@pytest.mark.task1_3
def test_chain_rule_on_leaf_raises_value_error() -> None:
    with pytest.raises(ValueError, match="leaf"):
        Scalar(1.0).chain_rule(1.0)


@pytest.mark.task1_3
def test_chain_rule_on_constant_raises_value_error() -> None:
    """The docstring promises ValueError for a constant (a Scalar with no history) as for a leaf."""
    with pytest.raises(ValueError):
        Scalar(1.0, None).chain_rule(1.0)


@pytest.mark.task1_3
def test_history_backprop_step_pairs_inputs_with_derivatives() -> None:
    x, y = Scalar(2.0), Scalar(3.0)
    out = Function2.apply(x, y)
    pairs = out.history.backprop_step(1.0)
    assert [(v is w, d) for (v, d), w in zip(pairs, (x, y), strict=True)] == [
        (True, 4.0), (True, 2.0)
    ]


# ## Task 1.4: topological sort


def _reachable(output: Scalar) -> set[int]:
    """Ids of the non-constant Scalars the output was computed from, found by a plain search."""
    found: set[int] = set()
    todo = [output]
    while todo:
        node = todo.pop()
        if node.unique_id in found or node.is_constant():
            continue
        found.add(node.unique_id)
        if node.history is not None:
            todo.extend(x for x in node.history.inputs if isinstance(x, Scalar))
    return found


def _assert_topological(order: list[Any], output: Scalar) -> None:
    """Output first, each reachable variable exactly once, every node before its parents."""
    ids = [v.unique_id for v in order]
    assert ids[0] == output.unique_id
    assert len(ids) == len(set(ids))
    assert set(ids) == _reachable(output)
    position = {key: i for i, key in enumerate(ids)}
    for node in order:
        for parent in node.parents:
            assert position[parent.unique_id] > position[node.unique_id]


def _diamond() -> tuple[Scalar, Scalar]:
    var0 = Scalar(0)
    var1 = Function1.apply(0, var0)
    var2 = Function1.apply(0, var1)
    var3 = Function1.apply(0, var1)
    return var0, Function1.apply(var2, var3)


@pytest.mark.task1_4
def test_topological_sort_of_diamond_is_topological() -> None:
    _, out = _diamond()
    _assert_topological(topological_sort(out), out)


@pytest.mark.task1_4
def test_topological_sort_ends_with_the_leaf() -> None:
    leaf, out = _diamond()
    assert topological_sort(out)[-1] is leaf


@pytest.mark.task1_4
def test_topological_sort_lists_repeated_input_once() -> None:
    x = Scalar(2.0)
    out = x * x * x
    order = topological_sort(out)
    assert [v.unique_id for v in order].count(x.unique_id) == 1
    assert len(order) == 3  # out, x * x, x


@pytest.mark.task1_4
def test_topological_sort_excludes_constants() -> None:
    x = Scalar(2.0)
    constant = Scalar(3.0, None)
    out = (x * constant + 4.0) * constant
    order = topological_sort(out)
    assert all(not v.is_constant() for v in order)
    assert constant.unique_id not in {v.unique_id for v in order}


@pytest.mark.task1_4
def test_topological_sort_of_leaf_is_the_leaf() -> None:
    x = Scalar(1.0)
    assert topological_sort(x) == [x]


@pytest.mark.task1_4
def test_topological_sort_of_constant_is_empty() -> None:
    assert topological_sort(Scalar(1.0, None)) == []


@pytest.mark.task1_4
def test_topological_sort_of_a_long_chain_does_not_recurse() -> None:
    """A quick version of the million-operation test: 5,000 steps under Python's default limit."""
    chain = start = Scalar(1.0)
    for _ in range(5_000):
        chain = chain * 1.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000)
    try:
        order = topological_sort(chain)
    except RecursionError:
        pytest.fail(
            "topological_sort recursed once per node: its docstring promises an explicit stack "
            "(never Python recursion), so that a chain of a million operations works"
        )
    finally:
        sys.setrecursionlimit(limit)
    assert len(order) == 5_001 and order[0] is chain and order[-1] is start


@st.composite
def random_graphs(draw: st.DrawFn) -> tuple[list[float], list[tuple[str, int, int]]]:
    """Leaf values in [-1, 1] and a program whose steps each combine earlier nodes.

    Every step keeps values in [-1, 1] (mean, product, sine, halving), so central differences stay
    accurate however the steps are chained; nodes are often reused, which makes diamonds.
    """
    leaves = draw(st.lists(st.floats(min_value=-1.0, max_value=1.0), min_size=1, max_size=4))
    steps = []
    for i in range(draw(st.integers(min_value=1, max_value=12))):
        available = len(leaves) + i
        op = draw(st.sampled_from(["mean", "mul", "sin", "half"]))
        a = draw(st.integers(min_value=0, max_value=available - 1))
        b = draw(st.integers(min_value=0, max_value=available - 1))
        steps.append((op, a, b))
    return leaves, steps


def _run(program: list[tuple[str, int, int]], leaves: list[Any]) -> Any:
    """Replay a program on floats or Scalars; the last node is the output."""
    nodes = list(leaves)
    for op, a, b in program:
        x, y = nodes[a], nodes[b]
        if op == "mean":
            nodes.append((x + y) * 0.5)
        elif op == "mul":
            nodes.append(x * y)
        elif op == "sin":
            nodes.append(x.sin() if isinstance(x, Scalar) else math.sin(x))
        else:
            nodes.append(0.5 * x)
    return nodes[-1]


@pytest.mark.task1_4
@given(random_graphs())
def test_topological_sort_of_random_graph_is_topological(graph: Any) -> None:
    values, program = graph
    out = _run(program, [Scalar(v) for v in values])
    _assert_topological(topological_sort(out), out)


@pytest.mark.task1_4
@pytest.mark.parametrize("loop", ENGINES)
@given(random_graphs())
def test_backprop_of_random_graph_matches_central_difference(loop: str, graph: Any) -> None:
    values, program = graph
    leaves = [Scalar(v) for v in values]
    with engine(loop):
        _run(program, leaves).backward()
    for i, leaf in enumerate(leaves):
        expected = central_difference(lambda *xs: _run(program, list(xs)), *values, arg=i)
        got = 0.0 if leaf.derivative is None else leaf.derivative  # None: leaf not used
        assert_close(got, expected)


# ## Task 1.4: backpropagation


@pytest.mark.task1_4
def test_backprop_through_one_function() -> None:
    var = Scalar(0)
    Function1.apply(0, var).backward(d_output=5)
    assert var.derivative == 5


@pytest.mark.task1_4
def test_backprop_through_a_chain() -> None:
    var = Scalar(0)
    var2 = Function1.apply(0, var)
    Function1.apply(0, var2).backward(d_output=5)
    assert var.derivative == 5


@pytest.mark.task1_4
def test_backprop_leaf_used_twice_gets_both_paths() -> None:
    var1 = Scalar(0)
    var2 = Function1.apply(0, var1)
    var3 = Function1.apply(0, var1)
    Function1.apply(var2, var3).backward(d_output=5)
    assert var1.derivative == 10


@pytest.mark.task1_4
@pytest.mark.parametrize("loop", ENGINES)
def test_backprop_diamond_sums_both_branches(loop: str) -> None:
    var0, var4 = _diamond()
    with engine(loop):
        var4.backward(d_output=5)
    assert var0.derivative == 10


@pytest.mark.task1_4
@pytest.mark.parametrize("loop", ENGINES)
def test_backprop_with_constants_mixed_in(loop: str) -> None:
    x = Scalar(3.0)
    constant = Scalar(2.0, None)
    out = Function2.apply(x, constant) + Function2.apply(4.0, x)  # (2x + x) + (4x + 4)
    with engine(loop):
        out.backward()
    assert x.derivative == 7.0
    assert constant.derivative is None


@pytest.mark.task1_4
@given(small_floats)
def test_backprop_cube_by_repeated_multiplication(x: float) -> None:
    s = Scalar(x)
    (s * s * s).backward()
    assert_close(s.derivative, 3.0 * x * x)


@pytest.mark.task1_4
@pytest.mark.parametrize("loop", ENGINES)
@given(st.lists(small_floats, min_size=1, max_size=20))
def test_backprop_same_leaf_summed_many_times(loop: str, values: list[float]) -> None:
    """x * v0 + x * v1 + ... has derivative v0 + v1 + ... with respect to x."""
    x = Scalar(1.5)
    total: Any = 0.0
    for v in values:
        total = total + x * v
    with engine(loop):
        total.backward()
    assert_close(x.derivative, math.fsum(values))


@pytest.mark.task1_4
def test_backpropagate_function_accumulates_into_leaves() -> None:
    x, y = Scalar(2.0), Scalar(5.0)
    backpropagate(Function2.apply(x, y), 3.0)
    assert (x.derivative, y.derivative) == (3.0 * (5.0 + 1.0), 3.0 * 2.0)


@pytest.mark.task1_4
@pytest.mark.parametrize("loop", ENGINES)
def test_backprop_visits_each_node_once(loop: str) -> None:
    """A node reached along two paths must call backward once, with the summed derivative."""
    calls: list[float] = []

    class Spy(ScalarFunction):
        @staticmethod
        def forward(ctx: Context, a: float) -> float:
            return a

        @staticmethod
        def backward(ctx: Context, d_output: float) -> float:
            calls.append(d_output)
            return d_output

    x = Scalar(1.0)
    shared = Spy.apply(x)
    with engine(loop):
        (shared + shared * 3.0).backward()
    assert calls == [4.0]


@pytest.mark.task1_4
@pytest.mark.parametrize("loop", ENGINES)
def test_backprop_leaf_backward_gives_one(loop: str) -> None:
    x = Scalar(random.Random(0).random())
    with engine(loop):
        x.backward()
    assert x.derivative == 1.0
