"""Tensor layers (Linear, Conv1d, Conv2d) and the optimizers on Tensor parameters."""

import math
import random

import numpy as np
import pytest

import minitorch
from minitorch import SGD, Adam, Parameter, Scalar, Tensor
from minitorch.layers import Conv1d, Conv2d, Linear


def test_linear_computes_affine_map_and_trains_its_parameters() -> None:
    random.seed(1)
    layer = Linear(3, 2)
    w = layer.weights.value.to_numpy()
    x = np.arange(6.0).reshape(2, 3)
    out = layer(minitorch.tensor_from_numpy(x))
    np.testing.assert_allclose(out.to_numpy(), x @ w)
    out.sum().backward()
    assert layer.weights.value.grad is not None
    np.testing.assert_allclose(layer.weights.value.grad.to_numpy(), np.tile(x.sum(0)[:, None], (1, 2)))
    assert [name for name, _ in layer.named_parameters()] == ["weights", "bias"]


@pytest.mark.parametrize(
    ("layer", "shape", "fan_in"),
    [
        (lambda: Linear(50, 40), (50, 40), 50),
        (lambda: Conv1d(3, 40, 5), (40, 3, 5), 15),
        (lambda: Conv2d(2, 30, (3, 4)), (30, 2, 3, 4), 24),
    ],
    ids=["linear", "conv1d", "conv2d"],
)
def test_layers_use_he_uniform_initialisation(layer, shape, fan_in) -> None:  # type: ignore[no-untyped-def]
    random.seed(0)
    weights = layer().weights.value.to_numpy()
    bound = math.sqrt(6.0 / fan_in)
    assert weights.shape == shape
    assert np.abs(weights).max() <= bound
    assert np.abs(weights).max() > 0.9 * bound  # the whole interval is used
    random.seed(0)
    np.testing.assert_array_equal(layer().weights.value.to_numpy(), weights)  # repeatable


def test_conv_layers_add_one_bias_per_channel() -> None:
    random.seed(2)
    layer = Conv2d(2, 3, (2, 2))
    layer.bias.update(minitorch.tensor([1.0, 2.0, 3.0]).view(1, 3, 1, 1))
    x = minitorch.rand((4, 2, 5, 5))
    expected = minitorch.conv2d(x, layer.weights.value).to_numpy() + np.array([1.0, 2.0, 3.0])[:, None, None]
    np.testing.assert_allclose(layer(x).to_numpy(), expected)
    layer1 = Conv1d(2, 3, 2)
    assert layer1(minitorch.rand((4, 2, 7))).shape == (4, 3, 7)


def test_layers_reject_bad_sizes() -> None:
    with pytest.raises(ValueError, match="Linear: out_size must be a positive int, got 0"):
        Linear(3, 0)
    with pytest.raises(ValueError, match="Conv2d: kh must be a positive int"):
        Conv2d(1, 1, (0, 2))


@pytest.mark.parametrize("optimizer", [SGD, Adam], ids=["sgd", "adam"])
def test_optimizer_steps_on_tensor_match_steps_on_scalars(optimizer: type) -> None:
    """The same loss, once as one Tensor parameter and once as Scalar parameters: same path."""
    start = [0.5, -1.5, 2.0]
    tensor_param = Parameter(minitorch.tensor(start), name="w")
    scalar_params = [Parameter(Scalar(v)) for v in start]
    opt_t = optimizer([tensor_param], lr=0.1)
    opt_s = optimizer(scalar_params, lr=0.1)
    for _ in range(5):
        opt_t.zero_grad()
        w: Tensor = tensor_param.value
        ((w - 1.0) * (w - 1.0) * w).sum().backward()
        opt_t.step()
        opt_s.zero_grad()
        for p in scalar_params:
            ((p.value - 1.0) * (p.value - 1.0) * p.value).backward()
        opt_s.step()
    assert tensor_param.value.name == "w" and tensor_param.value.is_leaf()
    np.testing.assert_allclose(tensor_param.value.to_numpy(), [p.value.data for p in scalar_params])


def test_zero_grad_clears_tensor_gradients() -> None:
    p = Parameter(minitorch.tensor([1.0, 2.0]))
    (p.value * p.value).sum().backward()
    assert p.value.grad is not None
    SGD([p], lr=0.1).zero_grad()
    assert p.value.grad is None
