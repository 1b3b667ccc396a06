"""Optimizers: SGD (the course's) and Adam, on Parameters holding Scalars."""

import copy
import math
import pickle
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import assert_close, small_floats

from minitorch import SGD, Adam, Module, Parameter, Scalar, central_difference


def quadratic(x: Any, y: Any) -> Any:
    """(x - 3)^2 + (y + 1)^2, minimised at (3, -1)."""
    return (x - 3.0) ** 2 + (y + 1.0) ** 2


def _train(optimizer: Any, params: list[Parameter], loss_fn: Any, steps: int) -> None:
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(*(p.value for p in params)).backward()
        optimizer.step()


OPTIMIZERS = [
    pytest.param(lambda ps: SGD(ps, lr=0.1), 200, id="SGD"),
    pytest.param(lambda ps: Adam(ps, lr=0.1), 500, id="Adam"),
]


@pytest.mark.parametrize(("make", "steps"), OPTIMIZERS)
@given(st.floats(min_value=-10.0, max_value=10.0), st.floats(min_value=-10.0, max_value=10.0))
def test_optimizer_minimises_quadratic(make: Any, steps: int, x0: float, y0: float) -> None:
    params = [Parameter(Scalar(x0)), Parameter(Scalar(y0))]
    _train(make(params), params, quadratic, steps)
    assert abs(params[0].value.data - 3.0) < 1e-3
    assert abs(params[1].value.data + 1.0) < 1e-3


@pytest.mark.parametrize(
    ("make", "steps"),
    [  # the curvature along w is 2 * (3^2 + 1) = 20, so SGD needs lr < 2 / 20
        pytest.param(lambda ps: SGD(ps, lr=0.02), 500, id="SGD"),
        pytest.param(lambda ps: Adam(ps, lr=0.1), 500, id="Adam"),
    ],
)
def test_optimizer_trains_negative_base_square_without_warnings(make: Any, steps: int) -> None:
    """(4 - 3w - b)^2 starts with a negative base: Pow must not take log(base) for exponent 2."""
    w, b = Parameter(Scalar(2.0)), Parameter(Scalar(1.0))

    def loss(w_value: Any, b_value: Any) -> Any:
        return (4.0 - 3.0 * w_value - b_value) ** 2

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _train(make([w, b]), [w, b], loss, steps)
    assert loss(w.value.data, b.value.data) < 1e-6


@given(small_floats, st.floats(min_value=1e-3, max_value=1.0))
def test_sgd_step_subtracts_lr_times_derivative(x0: float, lr: float) -> None:
    p = Parameter(Scalar(x0))
    p.value.sin().backward()
    SGD([p], lr=lr).step()
    assert_close(p.value.data, x0 - lr * central_difference(math.sin, x0), tol=1e-6)


@given(small_floats.filter(lambda x: abs(math.cos(x)) > 1e-3), st.floats(1e-3, 1.0))
def test_adam_first_step_moves_by_lr_against_gradient(x0: float, lr: float) -> None:
    """After one step the bias-corrected moments are g and g^2, so the step is lr * sign(g)."""
    p = Parameter(Scalar(x0))
    p.value.sin().backward()
    Adam([p], lr=lr).step()
    assert_close(p.value.data, x0 - lr * math.copysign(1.0, math.cos(x0)), tol=1e-6)


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps, lr=0.1)],
                         ids=["SGD", "Adam"])
def test_optimizer_step_leaves_parameters_without_derivative_alone(make: Any) -> None:
    used, unused = Parameter(Scalar(1.0)), Parameter(Scalar(5.0))
    (used.value * 2.0).backward()
    make([used, unused]).step()
    assert unused.value.data == 5.0
    assert used.value.data != 1.0


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps, lr=0.1)],
                         ids=["SGD", "Adam"])
def test_optimizer_step_gives_fresh_named_leaf(make: Any) -> None:
    p = Parameter(Scalar(1.0), name="w")
    (p.value * p.value).backward()
    make([p]).step()
    assert p.value.is_leaf()
    assert p.value.derivative is None
    assert p.value.name == "w"


def test_optimizer_trains_module_parameters() -> None:
    class Line(Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = Parameter(Scalar(0.0))
            self.b = Parameter(Scalar(0.0))

        def forward(self, x: float) -> Any:
            return self.w.value * x + self.b.value

    model = Line()
    optimizer = SGD(model.parameters(), lr=0.05)
    points = [(-1.0, -1.0), (0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]  # y = 2x + 1
    for _ in range(500):
        optimizer.zero_grad()
        total: Any = 0.0
        for x, y in points:
            total = total + (model(x) - y) ** 2
        total.backward()
        optimizer.step()
    assert_close(model.w.value.data, 2.0, tol=1e-3)
    assert_close(model.b.value.data, 1.0, tol=1e-3)


# ## Construction checks, duplicates, in-place updates, saved state


class TwoLayer(Module):
    """A tiny model: ``w2 * relu(w1 * x + b1) + b2``."""

    def __init__(self) -> None:
        super().__init__()
        self.w1, self.b1 = Parameter(Scalar(0.5)), Parameter(Scalar(-0.1))
        self.w2, self.b2 = Parameter(Scalar(1.5)), Parameter(Scalar(0.2))

    def forward(self, x: float) -> Any:
        hidden = (self.w1.value * x + self.b1.value).relu()
        return self.w2.value * hidden + self.b2.value


def train_steps(model: TwoLayer, optimizer: Any, steps: int) -> list[float]:
    """Fit ``y = 2x`` on three points for ``steps`` steps; return every parameter's final value."""
    for _ in range(steps):
        optimizer.zero_grad()
        total: Any = 0.0
        for x in (0.5, 1.0, 2.0):
            total = total + (model(x) - 2.0 * x) ** 2
        total.backward()
        optimizer.step()
    return [p.value.data for p in model.parameters()]


@pytest.mark.parametrize(
    "make", [lambda ps: SGD(ps, lr=0.05), lambda ps: Adam(ps, lr=0.05, betas=(0.8, 0.9))],
    ids=["SGD", "Adam"],
)
@pytest.mark.parametrize("copy_with", ["deepcopy", "pickle"])
def test_optimizer_copied_with_its_model_continues_identically(make: Any, copy_with: str) -> None:
    model = TwoLayer()
    optimizer = make(model.parameters())
    train_steps(model, optimizer, 5)
    if copy_with == "deepcopy":
        model2, optimizer2 = copy.deepcopy((model, optimizer))
    else:
        model2, optimizer2 = pickle.loads(pickle.dumps((model, optimizer)))
    assert train_steps(model2, optimizer2, 5) == train_steps(model, optimizer, 5)


def test_adam_state_dict_restores_moments_into_a_fresh_optimizer() -> None:
    model = TwoLayer()
    optimizer = Adam(model.parameters(), lr=0.05)
    train_steps(model, optimizer, 3)
    saved_model, state = copy.deepcopy(model), optimizer.state_dict()
    restored = Adam(saved_model.parameters(), lr=0.5)
    restored.load_state_dict(state)
    assert restored.lr == 0.05
    assert train_steps(saved_model, restored, 4) == train_steps(model, optimizer, 4)


def test_adam_without_restored_state_takes_different_steps() -> None:
    """The test above can fail: a fresh Adam on the copy (no moments) diverges from the original."""
    model = TwoLayer()
    optimizer = Adam(model.parameters(), lr=0.05)
    train_steps(model, optimizer, 3)
    fresh_model = copy.deepcopy(model)
    assert train_steps(fresh_model, Adam(fresh_model.parameters(), lr=0.05), 4) != train_steps(
        model, optimizer, 4
    )


def test_load_state_dict_refuses_state_for_more_parameters() -> None:
    big = Adam(TwoLayer().parameters())
    big.step()
    big._moments = {7: (1.0, 1.0)}
    small = Adam([Parameter(Scalar(1.0))])
    with pytest.raises(ValueError, match=r"Adam\.load_state_dict"):
        small.load_state_dict(big.state_dict())


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=1.0), lambda ps: Adam(ps, lr=1.0)],
                         ids=["SGD", "Adam"])
def test_optimizer_updates_a_parameter_listed_twice_once(make: Any) -> None:
    class Shared(Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = Parameter(Scalar(1.0))
            self.b = self.a

    model = Shared()
    twice = Parameter(Scalar(1.0))
    (twice.value * 1.0).backward()
    make([twice, twice]).step()
    once = Parameter(Scalar(1.0))
    (once.value * 1.0).backward()
    make([once]).step()
    assert twice.value.data == once.value.data
    assert len(model.parameters()) == 1


def test_optimizer_trains_the_scalar_the_user_wrapped() -> None:
    """``w = Scalar(0.0); p = Parameter(w)``: training through ``w`` works (updates are in place)."""
    w = Scalar(3.0)
    p = Parameter(w)
    optimizer = SGD([p], lr=0.1)
    for _ in range(50):
        optimizer.zero_grad()
        (w * w).backward()
        optimizer.step()
    assert p.value is w
    assert abs(w.data) < 1e-3
