"""Network functions on tensors (the course's tasks 4.3 and 4.4): pooling, max, softmax, dropout.

Every function here is built from tensor operations that already have derivatives (``view``,
``permute``, ``sum``, ``exp``, ...), except :class:`Max`, whose backward sends the gradient to the
position of the maximum. They run on any backend; on the NumPy backend each step is one vectorised
NumPy call. The convolutions live in :mod:`minitorch.fast_conv`.

Examples:
    >>> from minitorch import tensor
    >>> x = tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> maxpool2d(x, (2, 2)).to_numpy().ravel().tolist()
    [4.0]
    >>> softmax(tensor([[0.0, 0.0]]), dim=1).to_numpy().tolist()
    [[0.5, 0.5]]
"""

from __future__ import annotations

import numbers
from typing import cast

from . import operators
from .autodiff import Context
from .nn_numpy import LogSoftmaxNumpy, MaxPool2dNumpy
from .numpy_ops import NumpyOps
from .tensor import Tensor, rand, tensor
from .tensor_functions import Function
from .tensor_ops import check_tensor

__all__ = [
    "tile", "avgpool2d", "max_reduce", "argmax", "Max", "max", "softmax", "logsoftmax",
    "maxpool2d", "dropout",
]


def _check_pool_input(function: str, input: Tensor, kernel: tuple[int, int]) -> None:
    """The checks every 2-D pooling shares: a 4-D tensor whose sides the kernel divides."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{function}: input must be a Tensor, got {type(input).__name__}")
    if input.dims != 4:
        raise ValueError(
            f"{function}: input must be batch x channels x height x width, got shape {input.shape}"
        )
    if len(kernel) != 2 or not all(isinstance(k, int) and k >= 1 for k in kernel):
        raise ValueError(f"{function}: kernel must be two positive ints (kh, kw), got {kernel!r}")
    _, _, height, width = input.shape
    kh, kw = kernel
    if height % kh or width % kw:
        raise ValueError(
            f"{function}: kernel {kh}x{kw} does not divide the input's height x width "
            f"{height}x{width}; crop or pad the input first"
        )


def tile(input: Tensor, kernel: tuple[int, int]) -> tuple[Tensor, int, int]:
    """Reshape an image batch so that each pooling window is one row of the last dimension.

    Args:
        input: ``batch x channel x height x width``.
        kernel: ``(kh, kw)``, which must divide ``height`` and ``width``.

    Returns:
        ``(tiled, new_height, new_width)`` where ``tiled`` is
        ``batch x channel x new_height x new_width x (kh * kw)`` and ``tiled[b, c, i, j]`` holds
        the window ``input[b, c, i*kh:(i+1)*kh, j*kw:(j+1)*kw]`` row by row.

    Raises:
        ValueError: if the input is not 4-D or the kernel does not divide its sides.

    Examples:
        >>> from minitorch import tensor
        >>> t, h, w = tile(tensor([[[[1.0, 2.0], [3.0, 4.0]]]]), (2, 1))
        >>> t.shape, h, w
        ((1, 1, 1, 2, 2), 1, 2)
    """
    # BEGIN TASK 4.3
    _check_pool_input("tile", input, kernel)
    batch, channel, height, width = input.shape
    kh, kw = kernel
    new_height, new_width = height // kh, width // kw
    # Split each side into (blocks, offset), bring the two offsets together, flatten them.
    split = input.contiguous().view(batch, channel, new_height, kh, new_width, kw)
    windows = split.permute(0, 1, 2, 4, 3, 5).contiguous()
    return windows.view(batch, channel, new_height, new_width, kh * kw), new_height, new_width
    # END TASK 4.3


def avgpool2d(input: Tensor, kernel: tuple[int, int]) -> Tensor:
    """Average pooling over non-overlapping ``kh x kw`` windows.

    Args:
        input: ``batch x channel x height x width``.
        kernel: ``(kh, kw)``, which must divide ``height`` and ``width``.

    Returns:
        ``batch x channel x height/kh x width/kw``.

    Examples:
        >>> from minitorch import tensor
        >>> avgpool2d(tensor([[[[1.0, 2.0], [3.0, 4.0]]]]), (2, 2)).to_numpy().ravel().tolist()
        [2.5]
    """
    # BEGIN TASK 4.3
    _check_pool_input("avgpool2d", input, kernel)
    tiled, new_height, new_width = tile(input, kernel)
    batch, channel, _, _ = input.shape
    return tiled.mean(4).view(batch, channel, new_height, new_width)
    # END TASK 4.3


def _checked_dim(input: Tensor, dim: int, operation: str) -> int:
    """``dim`` checked against ``input``, after checking that ``input`` is a tensor."""
    check_tensor(input, f"{operation}(input)")
    return input._dim(dim, operation)


def max_reduce(input: Tensor, dim: int) -> Tensor:
    """The maximum along ``dim`` (kept with size 1), with the input's backend; no gradient."""
    return cast(Tensor, input.backend.ops.reduce(operators.max, float("-inf"))(input, dim))


def argmax(input: Tensor, dim: int) -> Tensor:
    """A one-hot tensor: 1.0 where an element is the maximum along ``dim``, else 0.0.

    Ties all get 1.0 (the course's convention).

    Examples:
        >>> from minitorch import tensor
        >>> argmax(tensor([[1.0, 3.0, 2.0]]), 1).to_numpy().tolist()
        [[0.0, 1.0, 0.0]]
    """
    out = max_reduce(input, _checked_dim(input, dim, "argmax"))
    return out == input


class Max(Function):
    """The maximum along a dimension; the gradient goes to the maximal position(s) (argmax)."""

    @staticmethod
    def forward(ctx: Context, input: Tensor, dim: Tensor) -> Tensor:
        # BEGIN TASK 4.4
        axis = int(dim.item())
        out = max_reduce(input, axis)
        ctx.save_for_backward(out == input)
        return out
        # END TASK 4.4

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        # BEGIN TASK 4.4
        (one_hot,) = ctx.saved_values
        return grad_output * one_hot, 0.0
        # END TASK 4.4


def max(input: Tensor, dim: int) -> Tensor:
    """The maximum along ``dim`` (kept with size 1), differentiable.

    The derivative is 1 at the maximum and 0 elsewhere; when several elements tie, each of them
    receives the gradient (the course's convention; PyTorch picks one).

    Examples:
        >>> from minitorch import tensor
        >>> max(tensor([[1.0, 5.0], [7.0, 2.0]]), 1).to_numpy().tolist()
        [[5.0], [7.0]]
    """
    d = _checked_dim(input, dim, "max")
    return Max.apply(input, input._ensure_tensor(d))


def softmax(input: Tensor, dim: int) -> Tensor:
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim``.

    Computed as ``exp(x_i - m) / sum_j exp(x_j - m)`` with ``m`` the maximum along ``dim`` (held
    constant): the same value, but no exponential overflows.

    Examples:
        >>> from minitorch import tensor
        >>> [round(v, 4) for v in softmax(tensor([1.0, 2.0, 3.0]), 0).to_numpy().tolist()]
        [0.09, 0.2447, 0.6652]
    """
    # BEGIN TASK 4.4
    shifted = input - max_reduce(input, _checked_dim(input, dim, "softmax"))
    e = shifted.exp()
    return e / e.sum(dim)
    # END TASK 4.4


def logsoftmax(input: Tensor, dim: int) -> Tensor:
    """``x_i - log sum_j exp(x_j)`` along ``dim``, by the log-sum-exp trick.

    ``log sum_j exp(x_j) = m + log sum_j exp(x_j - m)`` with ``m`` the maximum along ``dim``, so
    nothing overflows and the largest term is ``exp(0) = 1``, so the log never sees 0.

    Examples:
        >>> from minitorch import tensor
        >>> [round(v, 4) for v in logsoftmax(tensor([0.0, 1000.0]), 0).to_numpy().tolist()]
        [-1000.0, 0.0]
    """
    # BEGIN TASK 4.4
    axis = _checked_dim(input, dim, "logsoftmax")
    if input.backend.ops is NumpyOps:  # the same numbers in one vectorised node (nn_numpy.py)
        return LogSoftmaxNumpy.apply(input, input._ensure_tensor(axis))
    shifted = input - max_reduce(input, axis)
    return shifted - shifted.exp().sum(axis).log()
    # END TASK 4.4


def maxpool2d(input: Tensor, kernel: tuple[int, int]) -> Tensor:
    """Max pooling over non-overlapping ``kh x kw`` windows.

    Args:
        input: ``batch x channel x height x width``.
        kernel: ``(kh, kw)``, which must divide ``height`` and ``width``.

    Returns:
        ``batch x channel x height/kh x width/kw``.
    """
    # BEGIN TASK 4.4
    _check_pool_input("maxpool2d", input, kernel)
    if input.backend.ops is NumpyOps:  # the same numbers in one vectorised node (nn_numpy.py)
        return MaxPool2dNumpy.apply(input, tensor([float(k) for k in kernel], backend=input.backend))
    tiled, new_height, new_width = tile(input, kernel)
    batch, channel, _, _ = input.shape
    return max(tiled, 4).view(batch, channel, new_height, new_width)
    # END TASK 4.4


def dropout(input: Tensor, rate: float, ignore: bool = False) -> Tensor:
    """Zero each element independently with probability ``rate`` (the course's dropout).

    As in the course, the kept elements are *not* rescaled by ``1 / (1 - rate)`` (PyTorch's
    "inverted" dropout does rescale); pass ``ignore=True`` at evaluation time. The random draws come
    from ``minitorch.rand``, so ``random.seed`` makes them repeatable.

    Args:
        input: any tensor.
        rate: the probability of dropping an element, from 0 to 1.
        ignore: return ``input`` unchanged (evaluation mode).

    Raises:
        ValueError: if ``rate`` is not a number from 0 to 1.

    Examples:
        >>> from minitorch import tensor
        >>> dropout(tensor([1.0, 2.0]), 1.0).to_numpy().tolist()
        [0.0, 0.0]
    """
    # BEGIN TASK 4.4
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0.0 <= rate <= 1.0:
        raise ValueError(f"dropout: rate must be a number from 0 to 1, got {rate!r}")
    if ignore or rate == 0.0:
        return input
    keep = rand(input.shape, backend=input.backend) > float(rate)
    return input * keep
    # END TASK 4.4
