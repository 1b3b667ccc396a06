"""Tests of ``no_grad``, ``enable_grad`` and ``is_grad_enabled``: when ``apply`` records history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as np
import pytest

import minitorch
from minitorch import Context, Scalar, ScalarFunction, enable_grad, is_grad_enabled, no_grad
from minitorch.grad_mode import mode

pytestmark = pytest.mark.usefixtures("each_engine")  # every test here runs under both engines


class Spy(ScalarFunction):
    """``f(a, b) = a * b`` that keeps each Context it is given, to look at what was saved."""

    contexts: ClassVar[list[Context]] = []

    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        Spy.contexts.append(ctx)
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, d_output: float) -> tuple[float, float]:
        a, b = ctx.saved_values
        return d_output * b, d_output * a


@pytest.fixture(autouse=True)
def grad_mode_is_on_around_each_test() -> Iterator[None]:
    """Every test starts and must end with recording on (a leak would break the other tests)."""
    assert is_grad_enabled()
    Spy.contexts = []
    yield
    assert is_grad_enabled()


# ## What no_grad does to apply


def test_no_grad_apply_records_no_history_and_saves_nothing() -> None:
    x, y = Scalar(2.0), Scalar(3.0)
    with no_grad():
        out = Spy.apply(x, y)
    (ctx,) = Spy.contexts
    assert ctx.saved_values == () and ctx.no_grad
    assert out.is_constant() and out.history is None
    assert out.parents == []
    with pytest.raises(ValueError, match="constant"):
        out.backward()


def test_recording_apply_saves_for_backward() -> None:
    out = Spy.apply(Scalar(2.0), Scalar(3.0))
    (ctx,) = Spy.contexts
    assert ctx.saved_values == (2.0, 3.0) and not ctx.no_grad
    assert not out.is_constant()


EXPRESSIONS: list[tuple[str, Callable[[Scalar, Scalar], Scalar]]] = [
    ("polynomial", lambda a, b: a * a * b + 3.0 * a - b / 2.0),
    ("exp-log", lambda a, b: (a.exp() + b * b).log()),
    ("trig", lambda a, b: a.sin() * b.cos() + (a - b).tanh()),
    ("activations", lambda a, b: a.sigmoid() + (a - b).relu() + (b - a).abs()),
    ("power-sqrt", lambda a, b: (a * a + 1.0) ** b + (b * b).sqrt()),
    ("comparisons", lambda a, b: (a < b) + (a == b) + (a > b) * 2.0),
    ("int-constants", lambda a, b: 2 + a * 3 - 1 / b),
    ("numpy", lambda a, b: np.exp(a) * b),
]


@pytest.mark.parametrize("fn", [fn for _, fn in EXPRESSIONS], ids=[name for name, _ in EXPRESSIONS])
def test_no_grad_values_are_identical_to_recorded_ones(fn: Callable[[Scalar, Scalar], Scalar]) -> None:
    a, b = Scalar(0.7), Scalar(-1.3)
    recorded = fn(a, b)
    with no_grad():
        unrecorded = fn(a, b)
    assert unrecorded.data == recorded.data
    assert unrecorded.is_constant() and not recorded.is_constant()


def test_no_grad_backward_of_a_graph_made_before_still_works() -> None:
    x = Scalar(3.0)
    y = x * x
    with no_grad():
        y.backward()
    assert x.derivative == 6.0


# ## The context manager and the decorator


def test_is_grad_enabled_follows_the_blocks() -> None:
    assert is_grad_enabled() is True
    with no_grad():
        assert is_grad_enabled() is False
        with enable_grad():
            assert is_grad_enabled() is True
        assert is_grad_enabled() is False
    assert is_grad_enabled() is True


def test_no_grad_as_a_decorator() -> None:
    @no_grad()
    def square(x: Scalar) -> Scalar:
        """Square without recording."""
        assert not is_grad_enabled()
        return x * x

    y = square(Scalar(4.0))
    assert y.data == 16.0 and y.is_constant()
    assert is_grad_enabled()
    assert square.__name__ == "square" and square.__doc__ == "Square without recording."


def test_no_grad_decorator_is_reentrant() -> None:
    @no_grad()
    def depth(n: int) -> int:
        assert not is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5


def test_no_grad_nesting_restores_the_previous_mode() -> None:
    with no_grad():
        with no_grad():
            assert not is_grad_enabled()
        assert not is_grad_enabled()  # the outer block is still active
        assert Scalar(1.0).exp().is_constant()
    assert not Scalar(1.0).exp().is_constant()


def test_no_grad_same_object_entered_twice() -> None:
    block = no_grad()
    with block:
        with block:
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_restores_the_mode_when_an_exception_leaves_the_block() -> None:
    with pytest.raises(KeyError), no_grad():
        raise KeyError("boom")
    assert is_grad_enabled()


def test_no_grad_decorator_restores_the_mode_on_exception() -> None:
    @no_grad()
    def fail() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail()
    assert is_grad_enabled()


def test_leaving_every_block_restores_the_default_mode() -> None:
    with no_grad(), minitorch.detect_anomaly():
        assert not mode.grad_enabled
        assert mode.anomaly is not None
    assert mode.grad_enabled
    assert mode.anomaly is None


def test_enable_grad_records_inside_no_grad() -> None:
    x = Scalar(2.0)
    with no_grad():
        with enable_grad():
            y = x * x
        z = x * x
    assert not y.is_constant() and z.is_constant()
    y.backward()
    assert x.derivative == 4.0


def test_enable_grad_exception_restores_no_grad() -> None:
    with no_grad():
        with pytest.raises(ValueError), enable_grad():
            raise ValueError("boom")
        assert not is_grad_enabled()


def test_enable_grad_as_a_decorator() -> None:
    @enable_grad()
    def recorded(x: Scalar) -> Scalar:
        return x * 3.0

    with no_grad():
        y = recorded(Scalar(1.0))
        assert not is_grad_enabled()
    assert not y.is_constant()


# ## The functional API under an outer no_grad


def test_grad_works_under_an_outer_no_grad() -> None:
    def f(x: Any) -> Any:
        return x * x * x + 2.0 * x

    with no_grad():
        assert minitorch.grad(f)(2.0) == 14.0  # 3x^2 + 2
        assert minitorch.value_and_grad(f)(2.0) == (12.0, 14.0)
        assert minitorch.grad(minitorch.grad(f))(2.0) == 12.0  # 6x
        assert not is_grad_enabled()  # the transformation restored the caller's mode


def test_no_grad_inside_the_function_still_applies_under_grad() -> None:
    def f(x: Any) -> Any:
        with no_grad():
            frozen = x * x  # a constant: contributes no derivative
        return frozen + 3.0 * x

    assert minitorch.grad(f)(2.0) == 3.0
