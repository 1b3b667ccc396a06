"""Tests of ``minitorch.detect_anomaly``: stop at the first NaN or infinity, naming where it came from."""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Iterator

import pytest

import minitorch
from minitorch import AnomalyError, Scalar, detect_anomaly, no_grad

THIS_FILE = "test_anomaly.py"


@pytest.fixture(autouse=True)
def quiet_domain_warnings() -> Iterator[None]:
    """The domain warnings of operators (log(0), inv(0), ...) are tested elsewhere; silence them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


# ## Forward


def test_detect_anomaly_forward_nan_names_function_inputs_and_line() -> None:
    x = Scalar(-1.0)
    with pytest.raises(AnomalyError) as info, detect_anomaly():
        y = (x * 2.0).sqrt()  # noqa: F841 - the line the error must quote
    message = str(info.value)
    assert message.startswith("Sqrt.forward produced nan")
    assert "(-2.0)" in message  # the input of sqrt
    assert THIS_FILE in message
    assert "y = (x * 2.0).sqrt()" in message
    assert "test_detect_anomaly_forward_nan_names_function_inputs_and_line" in message


def test_detect_anomaly_forward_line_number_is_the_users() -> None:
    x = Scalar(0.0)
    with pytest.raises(AnomalyError) as info, detect_anomaly():
        line = _line_after_this_one()
        x.log()
    assert f"{THIS_FILE}:{line}" in str(info.value)


def _line_after_this_one() -> int:
    return sys._getframe(1).f_lineno + 1


@pytest.mark.parametrize(
    ("make", "function", "value"),
    [
        (lambda: Scalar(0.0).log(), "Log", "-inf"),
        (lambda: Scalar(1000.0).exp(), "Exp", "inf"),
        (lambda: Scalar(0.0) ** -1.0, "Pow", "inf"),
        (lambda: 1.0 / Scalar(0.0), "Inv", "inf"),
        (lambda: Scalar(math.inf) * 0.0, "Mul", "nan"),
    ],
    ids=["log0", "exp-overflow", "pow", "inv0", "inf-times-0"],
)
def test_detect_anomaly_forward_catches_nan_and_inf(make: object, function: str, value: str) -> None:
    with pytest.raises(AnomalyError, match=rf"^{function}\.forward produced {value}"), detect_anomaly():
        make()  # type: ignore[operator]


def test_detect_anomaly_stops_at_the_first_bad_operation() -> None:
    x = Scalar(0.0)
    with pytest.raises(AnomalyError) as info, detect_anomaly():
        (x.log() * 2.0 + 1.0).exp()  # Log makes -inf first; Mul, Add, Exp never run
    assert str(info.value).startswith("Log.forward")


def test_anomaly_error_is_a_floating_point_error() -> None:
    assert issubclass(AnomalyError, FloatingPointError)
    assert minitorch.AnomalyError is AnomalyError


# ## Backward


def test_detect_anomaly_backward_inf_names_backward_and_the_forward_line() -> None:
    x = Scalar(0.0)
    with detect_anomaly():
        y = x.sqrt() * 3.0  # the forward line the error must point to
        with pytest.raises(AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert message.startswith("Sqrt.backward produced inf as the derivative for input 0")
    assert "inputs (0.0)" in message and "d_output 3.0" in message
    assert THIS_FILE in message
    assert "y = x.sqrt() * 3.0" in message
    assert "y.backward()" not in message  # the node's creation, not the call to backward


def test_detect_anomaly_backward_nan_from_inf_times_zero() -> None:
    x = Scalar(0.0)
    with detect_anomaly():
        y = x.sqrt() * 0.0  # d_output 0 times sqrt'(0) = inf is nan
        with pytest.raises(AnomalyError, match=r"^Sqrt\.backward produced nan"):
            y.backward()


def test_detect_anomaly_backward_of_a_node_made_outside_says_so() -> None:
    y = Scalar(0.0).sqrt()
    with detect_anomaly(), pytest.raises(AnomalyError, match="outside this detect_anomaly block"):
        y.backward()


def test_detect_anomaly_checks_grad_of_the_functional_api() -> None:
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        minitorch.grad(lambda v: v.sqrt())(0.0)
    assert str(info.value).startswith("Sqrt.backward")
    assert THIS_FILE in str(info.value)


def test_detect_anomaly_checks_jvp_tangents() -> None:
    with detect_anomaly(), pytest.raises(AnomalyError):
        minitorch.jvp(lambda v: v.sqrt(), (0.0,), (1.0,))


# ## When nothing is checked or nothing is wrong


def test_detect_anomaly_is_silent_when_everything_is_finite() -> None:
    def f(a: Scalar, b: Scalar) -> Scalar:
        return (a * b + a.exp()).log() + (b * b).sqrt() - a.sigmoid()

    a, b = Scalar(0.5), Scalar(-2.0)
    f(a, b).backward()
    expected = (a.derivative, b.derivative)
    a.zero_grad()
    b.zero_grad()
    with detect_anomaly():
        out = f(a, b)
        out.backward()
    assert (a.derivative, b.derivative) == expected
    assert math.isfinite(out.data)


def test_outside_detect_anomaly_nothing_is_checked() -> None:
    with detect_anomaly():
        pass
    y = Scalar(-1.0).sqrt()
    assert math.isnan(y.data)
    z = Scalar(0.0)
    z.sqrt().backward()
    assert z.derivative == math.inf


def test_detect_anomaly_state_is_restored_after_an_error() -> None:
    with pytest.raises(AnomalyError), detect_anomaly():
        Scalar(0.0).log()
    assert Scalar(0.0).log().data == -math.inf  # no longer checked


def test_detect_anomaly_nesting_restores_the_outer_state() -> None:
    outer = detect_anomaly()
    with outer:
        with detect_anomaly():
            pass
        with pytest.raises(AnomalyError):  # still checked inside the outer block
            Scalar(0.0).log()
        with outer:  # the same object entered twice
            pass
        with pytest.raises(AnomalyError):
            Scalar(0.0).log()
    assert Scalar(0.0).log().data == -math.inf


def test_detect_anomaly_inner_block_keeps_sites_of_the_outer_one() -> None:
    x = Scalar(0.0)
    with detect_anomaly():
        y = x.sqrt() + 1.0  # made in the outer block
        with detect_anomaly(), pytest.raises(AnomalyError) as info:
            y.backward()
    assert "y = x.sqrt() + 1.0" in str(info.value)


def test_detect_anomaly_returns_itself_from_enter() -> None:
    block = detect_anomaly()
    with block as entered:
        assert entered is block


# ## With no_grad


@pytest.mark.parametrize("order", ["no_grad outside", "no_grad inside"])
def test_detect_anomaly_works_with_no_grad(order: str) -> None:
    blocks = [no_grad(), detect_anomaly()]
    first, second = blocks if order == "no_grad outside" else blocks[::-1]
    with first, second:
        fine = Scalar(4.0).sqrt()
        assert fine.is_constant() and fine.data == 2.0
        with pytest.raises(AnomalyError, match=r"^Log\.forward produced -inf"):
            Scalar(0.0).log()
    assert minitorch.is_grad_enabled()
    assert Scalar(0.0).log().data == -math.inf


def test_detect_anomaly_flags_only_the_operation_that_introduces_the_value() -> None:
    x = Scalar(math.inf)
    with minitorch.detect_anomaly():
        negated = -x  # inf in, -inf out: passed on, not introduced
        assert negated.data == -math.inf
        with pytest.raises(minitorch.AnomalyError, match=r"Add\.forward produced nan"):
            x + negated  # inf + -inf: the NaN starts here
