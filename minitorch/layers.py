"""Tensor layers: ``Linear``, ``Conv1d`` and ``Conv2d``, each a :class:`~minitorch.Module`.

Each layer holds its weight and bias as :class:`~minitorch.Parameter` objects whose values are leaf
tensors, so ``module.parameters()`` hands them to :class:`~minitorch.SGD` or :class:`~minitorch.Adam`.

Initialisation (He et al., 2015, "uniform" variant, as suited to ReLU networks): every weight is
drawn uniformly from ``[-bound, bound]`` with ``bound = sqrt(6 / fan_in)``, where ``fan_in`` is the
number of inputs that reach one output (``in_size`` for ``Linear``; ``in_channels * kernel size``
for a convolution). A uniform draw on that interval has variance ``2 / fan_in``, which keeps the
size of the signal steady from one ReLU layer to the next. Biases start at 0. (PyTorch's default
bound is ``1 / sqrt(fan_in)``, smaller by ``sqrt(6)``.) The draws come from a NumPy generator
seeded from Python's ``random``, so ``random.seed`` makes them repeatable.

Examples:
    >>> import random
    >>> from minitorch import tensor
    >>> random.seed(0)
    >>> layer = Linear(3, 2)
    >>> layer(tensor([[1.0, 2.0, 3.0]])).shape
    (1, 2)
    >>> [name for name, _ in Conv2d(1, 4, (3, 3)).named_parameters()]
    ['weights', 'bias']
"""

from __future__ import annotations

import math
import random

import numpy as np

from .fast_conv import conv1d, conv2d
from .module import Module, Parameter
from .tensor import Tensor, tensor_from_numpy
from .tensor_ops import check_tensor

__all__ = ["he_uniform", "Linear", "Conv1d", "Conv2d"]


def he_uniform(shape: tuple[int, ...], fan_in: int) -> Tensor:
    """A leaf tensor of ``shape`` drawn uniformly from ``[-sqrt(6 / fan_in), sqrt(6 / fan_in)]``."""
    bound = math.sqrt(6.0 / fan_in)
    generator = np.random.default_rng(random.getrandbits(64))
    return tensor_from_numpy(generator.uniform(-bound, bound, size=shape), requires_grad=True)


def _positive(layer: str, **sizes: int) -> None:
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{layer}: {name} must be a positive int, got {value!r}")


class Linear(Module):
    """A fully connected layer: ``y = x @ weights + bias``.

    Args:
        in_size: the number of input features (the last dimension of ``x``).
        out_size: the number of outputs.

    Attributes:
        weights: ``in_size x out_size``, He-uniform (see the module docstring).
        bias: ``out_size``, zeros.
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        _positive("Linear", in_size=in_size, out_size=out_size)
        self.in_size, self.out_size = in_size, out_size
        self.weights = Parameter(he_uniform((in_size, out_size), in_size))
        self.bias = Parameter(tensor_from_numpy(np.zeros(out_size), requires_grad=True))

    def forward(self, x: Tensor) -> Tensor:
        """``x`` is ``batch x in_size``; returns ``batch x out_size``."""
        check_tensor(x, "Linear.forward(x)")
        out: Tensor = x @ self.weights.value + self.bias.value
        return out


class Conv1d(Module):
    """A 1-D convolution layer with the course's semantics (see :func:`~minitorch.conv1d`) and a bias.

    Args:
        in_channels: the input's channels.
        out_channels: the output's channels.
        kernel_width: the kernel's width.

    Attributes:
        weights: ``out_channels x in_channels x kernel_width``, He-uniform.
        bias: ``1 x out_channels x 1``, zeros.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_width: int) -> None:
        super().__init__()
        _positive("Conv1d", in_channels=in_channels, out_channels=out_channels,
                  kernel_width=kernel_width)
        fan_in = in_channels * kernel_width
        self.weights = Parameter(he_uniform((out_channels, in_channels, kernel_width), fan_in))
        self.bias = Parameter(tensor_from_numpy(np.zeros((1, out_channels, 1)), requires_grad=True))

    def forward(self, x: Tensor) -> Tensor:
        """``x`` is ``batch x in_channels x width``; returns ``batch x out_channels x width``."""
        out: Tensor = conv1d(x, self.weights.value) + self.bias.value
        return out


class Conv2d(Module):
    """A 2-D convolution layer with the course's semantics (see :func:`~minitorch.conv2d`) and a bias.

    Args:
        in_channels: the input's channels.
        out_channels: the output's channels.
        kernel: ``(kh, kw)``.

    Attributes:
        weights: ``out_channels x in_channels x kh x kw``, He-uniform.
        bias: ``1 x out_channels x 1 x 1``, zeros.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel: tuple[int, int]) -> None:
        super().__init__()
        kh, kw = kernel
        _positive("Conv2d", in_channels=in_channels, out_channels=out_channels, kh=kh, kw=kw)
        fan_in = in_channels * kh * kw
        self.weights = Parameter(he_uniform((out_channels, in_channels, kh, kw), fan_in))
        self.bias = Parameter(
            tensor_from_numpy(np.zeros((1, out_channels, 1, 1)), requires_grad=True)
        )

    def forward(self, x: Tensor) -> Tensor:
        """``x`` is ``batch x in_channels x h x w``; returns ``batch x out_channels x h x w``."""
        out: Tensor = conv2d(x, self.weights.value) + self.bias.value
        return out
