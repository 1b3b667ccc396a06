"""Engine guarantees beyond the course: deep graphs, accumulation, memory, identity hashing."""

import copy
import gc
import math
import pickle
import sys
import weakref

import pytest
from hypothesis import given
from strategies import assert_close, small_floats

import minitorch
from minitorch import Context, Parameter, Scalar, ScalarFunction

pytestmark = pytest.mark.usefixtures("each_engine")  # every test here runs under both engines


@pytest.mark.slow
@pytest.mark.task1_4
def test_engine_million_operation_chain_backpropagates_without_recursion() -> None:
    original_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default, whatever the test runner set
    try:
        n = 1_000_000
        rate = 1.0 + 1e-6
        x = Scalar(1.0)
        y = x
        for _ in range(n):
            y = y * rate
        y.backward()
        assert sys.getrecursionlimit() == 1000
        assert_close(x.derivative, math.exp(n * math.log1p(1e-6)), tol=1e-9)  # rate^n
        del y  # freeing a million-node chain must not overflow the C stack either
    finally:
        sys.setrecursionlimit(original_limit)


# ## Accumulation


@pytest.mark.task1_4
@given(small_floats)
def test_engine_derivatives_accumulate_across_backward_calls(a: float) -> None:
    x = Scalar(a)
    (x * x).backward()
    (x * 3.0).backward()
    assert_close(x.derivative, 2.0 * a + 3.0)


@pytest.mark.task1_4
@given(small_floats)
def test_engine_second_backward_on_same_output_adds_again(a: float) -> None:
    """Documented: like PyTorch with retain_graph=True, the derivative is added twice."""
    x = Scalar(a)
    out = x * x
    out.backward()
    out.backward()
    assert_close(x.derivative, 2.0 * (2.0 * a))


@pytest.mark.task1_4
def test_engine_accumulate_derivative_adds_to_what_the_leaf_holds() -> None:
    """Catches an accumulate_derivative that overwrites: both loops go through it for leaves."""
    x = Scalar(2.0)
    x.accumulate_derivative(1.5)
    x.accumulate_derivative(2.0)
    assert x.derivative == 3.5
    (x * 4.0).backward()  # the engine adds 4 to the 3.5 already there
    assert x.derivative == 7.5


@pytest.mark.task1_4
def test_engine_zero_grad_forgets_scalar_derivative() -> None:
    x = Scalar(2.0)
    (x * x).backward()
    x.zero_grad()
    assert x.derivative is None


@pytest.mark.task1_4
def test_engine_backward_after_zero_grad_starts_afresh() -> None:
    x = Scalar(2.0)
    (x * x).backward()
    x.zero_grad()
    (x * 5.0).backward()
    assert x.derivative == 5.0


@pytest.mark.task1_4
def test_engine_sgd_zero_grad_forgets_parameter_derivatives() -> None:
    w, b = Parameter(Scalar(2.0)), Parameter(Scalar(1.0))
    (w.value * b.value).backward()
    minitorch.SGD([w, b], lr=0.1).zero_grad()
    assert (w.value.derivative, b.value.derivative) == (None, None)


@pytest.mark.task1_4
def test_engine_backward_default_d_output_is_one() -> None:
    x = Scalar(2.0)
    (x * 7.0).backward()
    assert x.derivative == 7.0


@pytest.mark.task1_4
def test_engine_backward_scales_by_d_output() -> None:
    x = Scalar(2.0)
    (x * 7.0).backward(0.5)
    assert x.derivative == 3.5


@pytest.mark.task1_4
def test_engine_backward_takes_an_int_or_a_scalar_d_output() -> None:
    """An int becomes a float; a Scalar (as the functional API passes) flows through as a Scalar."""
    x = Scalar(2.0)
    (x * 7.0).backward(2)
    assert x.derivative == 14.0 and type(x.derivative) is float
    y = Scalar(2.0)
    (y * 7.0).backward(Scalar(2.0, None))
    assert isinstance(y.derivative, Scalar) and y.derivative.data == 14.0


@pytest.mark.task1_4
def test_engine_intermediate_values_keep_no_derivative() -> None:
    x = Scalar(2.0)
    mid = x * 3.0
    (mid * mid).backward()
    assert mid.derivative is None


@pytest.mark.task1_4  # calls backward
def test_scalar_grad_equals_derivative() -> None:
    x = Scalar(2.0)
    (x * x).backward()
    assert x.grad == x.derivative == 4.0


@pytest.mark.task1_2
def test_scalar_grad_setter_sets_derivative() -> None:
    x = Scalar(2.0)
    x.grad = 3.0
    assert x.derivative == 3.0


# ## Memory: a graph is freed as soon as its output is dropped, without the cycle collector


class Marker:
    """Something weak-referenceable to save in a Context, to observe when the Context dies."""


class KeepMarker(ScalarFunction):
    """The identity, saving a Marker next to its input."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        ctx.save_for_backward(a, Marker())
        return a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        return d_output


@pytest.mark.parametrize("run_backward", [False, True], ids=["unused", "after_backward"])
def test_engine_graph_freed_when_output_dropped(run_backward: bool) -> None:
    gc.disable()
    try:
        x = Scalar(2.0)
        mid = x * 3.0
        out = KeepMarker.apply(mid.exp() + mid)
        if run_backward:
            out.backward()
        mid_ref = weakref.ref(mid)
        marker_ref = weakref.ref(out.history.ctx.saved_values[1])
        del mid, out
        assert mid_ref() is None, "an intermediate Scalar outlived its output (a reference cycle?)"
        assert marker_ref() is None, "the output's Context outlived the output (a reference cycle?)"
    finally:
        gc.enable()


def test_engine_output_context_freed_when_output_dropped() -> None:
    """A call's own Context (kept when apply takes its general path, here for a 3-input function)
    is freed with the graph, without the cycle collector."""

    class Sum3(ScalarFunction):
        @staticmethod
        def forward(ctx: Context, a: float, b: float, c: float) -> float:
            ctx.save_for_backward(a, b, c)
            return a + b + c

        @staticmethod
        def backward(ctx: Context, d_output: float) -> tuple[float, float, float]:
            return d_output, d_output, d_output

    gc.disable()
    try:
        x = Scalar(2.0)
        mid = x * 3.0
        out = Sum3.apply(mid, mid.exp(), x)
        mid_ref = weakref.ref(mid)
        ctx_ref = weakref.ref(out.history.ctx)
        assert ctx_ref() is out.history.ctx  # its own Context, kept in the graph
        del mid, out
        assert mid_ref() is None
        assert ctx_ref() is None
    finally:
        gc.enable()


@pytest.mark.task1_2
def test_engine_each_call_has_its_own_context_and_a_stored_history() -> None:
    x, y = Scalar(2.0), Scalar(3.0)
    first, second, third = x + y, y + x, x * 5.0
    assert first.history is first.history  # stored, not rebuilt at each read
    assert first.history.ctx is not second.history.ctx  # one Context per recorded call
    assert first.history.ctx.needs_grad(0) and first.history.ctx.needs_grad(1)
    ctx = third.history.ctx
    assert ctx.saved_values == (2.0, 5.0)
    assert ctx.needs_grad(0) and not ctx.needs_grad(1)
    assert list(third.history.inputs) == [x, 5.0]


@pytest.mark.task1_4  # calls backward
def test_engine_graphs_copy_and_pickle() -> None:
    x = Scalar(2.0)
    y = x + x * 3.0
    for twin in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert twin.data == y.data and twin.history.last_fn is y.history.last_fn
        twin.backward()
        leaf = twin.history.inputs[0]
        assert leaf.derivative == 4.0 and leaf is not x
    assert x.derivative is None


# ## Identity and conversions


@pytest.mark.task1_2
def test_scalar_hashes_by_identity() -> None:
    a, b = Scalar(1.0), Scalar(1.0)
    table = {a: "a", b: "b"}
    assert (table[a], table[b]) == ("a", "b")


@pytest.mark.task1_2
def test_scalar_equal_values_are_distinct_set_members() -> None:
    assert len({Scalar(1.0) for _ in range(10)}) == 10


@pytest.mark.task1_2
def test_scalar_eq_builds_a_graph_node() -> None:
    a, b = Scalar(1.0), Scalar(1.0)
    node = a == b
    assert isinstance(node, Scalar)
    assert node.data == 1.0
    assert node.history.last_fn is minitorch.EQ


@pytest.mark.task1_2
def test_scalar_has_no_float_conversion() -> None:
    """math.cos(scalar) must fail loudly instead of silently dropping the graph."""
    with pytest.raises(TypeError, match=r"use x\.item\(\)"):
        math.cos(Scalar(1.0))


@pytest.mark.task1_2
def test_scalar_float_raises_type_error_naming_item() -> None:
    with pytest.raises(TypeError, match=r"float\(Scalar\) is refused.*x\.item\(\)"):
        float(Scalar(1.0))


@pytest.mark.task1_2
def test_scalar_item_returns_the_innermost_float() -> None:
    x = Scalar(2.5)
    assert type(x.item()) is float and x.item() == 2.5
    assert (x * 2.0).item() == 5.0
    nested = Scalar(Scalar(1.5), level=1)  # inside a functional-API trace
    assert nested.item() == 1.5


@pytest.mark.task1_2
def test_scalar_format_formats_the_value() -> None:
    loss = Scalar(0.123456) * 2.0
    assert f"{loss:.4f}" == "0.2469"
    assert f"{Scalar(3.0):>6.1f}" == "   3.0"
    assert f"{Scalar(1.0)}" == "Scalar(1.0)"  # no spec: the repr, as str() gives


# ## Which inputs are variables (found by mutation testing: each test fails on one mutant)


@pytest.mark.task1_4
def test_engine_context_knows_a_computed_second_input_is_a_variable() -> None:
    x = Scalar(1.5)
    y = x * 1.0  # a computed value, not a leaf
    z = 2.0 ** y  # Pow's backward skips the exponent's derivative unless ctx.needs_grad(1)
    assert not z.history.ctx.needs_grad(0) and z.history.ctx.needs_grad(1)
    z.backward()
    assert x.derivative == pytest.approx(2.0**1.5 * math.log(2.0), rel=1e-12)


@pytest.mark.task1_3
def test_engine_parents_leave_out_scalars_of_an_enclosing_trace() -> None:
    inner = Scalar(2.0)  # level 0: a constant for the level-1 trace
    outer = Scalar(3.0, level=1)
    z = outer * inner
    assert z.level == 1
    assert z.parents == [outer]
