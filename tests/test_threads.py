"""Mode flags are per thread: ``no_grad`` and ``detect_anomaly`` in one thread change nothing in another.

Four threads run at once, with the interpreter switching threads every 10 microseconds: one trains
(every step records a graph and backpropagates), the others toggle ``no_grad``/``enable_grad`` and
``detect_anomaly`` around their own steps. Every gradient is compared exactly with its formula,
and every value computed under ``no_grad`` must be a constant.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from minitorch import Scalar, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from minitorch.grad_mode import mode

pytestmark = pytest.mark.usefixtures("each_engine")

STEPS = 2_000
"""Steps per thread."""


def _step(i: int) -> int:
    """One training-like step; returns the number of wrong gradients (0 or more)."""
    w, b = Scalar(0.25 + i % 7), Scalar(-1.5 + i % 5)
    x = 0.5 + i % 3
    loss = w * x + b * b + w  # d/dw = x + 1, d/db = 2b: exact in floating point
    loss.backward()
    wrong = int(w.derivative != x + 1.0) + int(b.derivative != 2.0 * b.data)
    return wrong + int(loss.is_constant())


def _trainer(i: int) -> int:
    return _step(i)


def _no_grad_toggler(i: int) -> int:
    with no_grad():
        y = Scalar(2.0) * Scalar(3.0)
        inner_wrong = int(not y.is_constant()) + int(is_grad_enabled())
        with enable_grad():
            inner_wrong += _step(i)
    return inner_wrong + _step(i) + int(not is_grad_enabled())


def _anomaly_toggler(i: int) -> int:
    with detect_anomaly():
        wrong = _step(i) + int(mode.anomaly is None)
    return wrong + _step(i) + int(mode.anomaly is not None)


def _decorated_toggler(i: int) -> int:
    @no_grad()
    def value_only() -> bool:
        return (Scalar(1.0) + Scalar(2.0)).is_constant()

    return int(not value_only()) + _step(i)


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(previous)


def run_threads(workers: list[Callable[[int], int]], steps: int) -> list[int]:
    """Run each worker ``steps`` times in its own thread, all at once; the wrong counts per thread."""
    start = threading.Barrier(len(workers))
    wrong = [0] * len(workers)
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            start.wait()
            for i in range(steps):
                wrong[k] += workers[k](i)
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return wrong


@pytest.mark.slow
@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_mode_flags_are_per_thread_and_every_gradient_is_exact() -> None:
    wrong = run_threads([_trainer, _no_grad_toggler, _anomaly_toggler, _decorated_toggler], STEPS)
    assert wrong == [0, 0, 0, 0]
    assert is_grad_enabled() and mode.anomaly is None


def test_threads_a_new_thread_starts_recording_even_inside_no_grad() -> None:
    seen: list[bool] = []
    with no_grad():
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join()
        assert not is_grad_enabled()
    assert seen == [True]


def test_threads_check_can_fail_when_a_mode_leaks() -> None:
    """A step that sees another thread's no_grad fails: its loss is a constant."""
    with no_grad(), pytest.raises(ValueError, match="constant"):
        _step(1)
