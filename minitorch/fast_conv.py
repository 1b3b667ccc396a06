"""Convolutions (the course's tasks 4.1 and 4.2): ``conv1d`` and ``conv2d`` as tensor Functions.

The course's semantics: the output has the input's length (or height and width), the kernel is
anchored at the start of each window, and the input reads as zeros past its end::

    conv1d: out[b, o, x]    = sum_{c, q}    input[b, c, x + q]        * weight[o, c, q]
    conv2d: out[b, o, y, x] = sum_{c, p, q} input[b, c, y + p, x + q] * weight[o, c, p, q]

(PyTorch's ``conv2d`` on the input padded by ``kernel - 1`` zeros at the end only gives the same
numbers.) The backward pass runs the same kernel twice: the weight gradient convolves the input with
the output gradient, and the input gradient convolves the output gradient with the kernel anchored
at the *end* (``reverse=True``: ``input[b, c, y - p, x - q]``).

The task bodies below are plain loops over every output position, as a student writes them, and run
for tensors on any backend. Tensors on the NumPy backend (the default) run the vectorised kernels of
:mod:`minitorch.conv_numpy` instead, which give the same numbers (the tests compare them).

Examples:
    >>> from minitorch import tensor
    >>> x = tensor([0.0, 1.0, 2.0, 3.0]).view(1, 1, 4)
    >>> w = tensor([1.0, 2.0, 3.0]).view(1, 1, 3)
    >>> conv1d(x, w).to_numpy().ravel().tolist()
    [8.0, 14.0, 8.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .autodiff import Context
from .conv_numpy import conv_arrays, conv_gradients
from .numpy_ops import NumpyOps
from .tensor import Tensor
from .tensor_data import Shape, Storage, Strides, index_to_position, to_index
from .tensor_functions import Function

__all__ = [
    "tensor_conv1d", "tensor_conv2d", "Conv1dFun", "Conv2dFun", "conv1d", "conv2d",
    "check_conv_shapes",
]

# The loop kernels' signature: (out, out_shape, out_strides, out_size, input, input_shape,
# input_strides, weight, weight_shape, weight_strides, reverse), as in the course.
ConvKernel = Callable[
    [Storage, Shape, Strides, int, Storage, Shape, Strides, Storage, Shape, Strides, bool], None
]


def tensor_conv1d(
    out: Storage,
    out_shape: Shape,
    out_strides: Strides,
    out_size: int,
    input: Storage,
    input_shape: Shape,
    input_strides: Strides,
    weight: Storage,
    weight_shape: Shape,
    weight_strides: Strides,
    reverse: bool,
) -> None:
    """1-D convolution, one output position at a time, into ``out``.

    ``input`` is ``batch x in_channels x width``, ``weight`` is ``out_channels x in_channels x k``
    and ``out`` is ``batch x out_channels x out_width``. ``reverse=False`` reads
    ``input[b, c, x + q]``, ``reverse=True`` reads ``input[b, c, x - q]``; positions outside the
    input count as zero.
    """
    # BEGIN TASK 4.1
    _, in_channels, width = input_shape
    kw = weight_shape[2]
    out_index = np.zeros(3, dtype=np.int32)
    for ordinal in range(out_size):
        to_index(ordinal, out_shape, out_index)
        b, o, x = int(out_index[0]), int(out_index[1]), int(out_index[2])
        total = 0.0
        for c in range(in_channels):
            for q in range(kw):
                column = x - q if reverse else x + q
                if 0 <= column < width:
                    total += (
                        input[index_to_position((b, c, column), input_strides)]
                        * weight[index_to_position((o, c, q), weight_strides)]
                    )
        out[index_to_position(out_index, out_strides)] = total
    # END TASK 4.1


def tensor_conv2d(
    out: Storage,
    out_shape: Shape,
    out_strides: Strides,
    out_size: int,
    input: Storage,
    input_shape: Shape,
    input_strides: Strides,
    weight: Storage,
    weight_shape: Shape,
    weight_strides: Strides,
    reverse: bool,
) -> None:
    """2-D convolution, one output position at a time, into ``out``.

    ``input`` is ``batch x in_channels x height x width``, ``weight`` is
    ``out_channels x in_channels x kh x kw`` and ``out`` is ``batch x out_channels x oh x ow``.
    ``reverse=False`` reads ``input[b, c, y + p, x + q]`` (kernel anchored top-left),
    ``reverse=True`` reads ``input[b, c, y - p, x - q]`` (anchored bottom-right); positions outside
    the input count as zero.
    """
    # BEGIN TASK 4.2
    _, in_channels, height, width = input_shape
    kh, kw = weight_shape[2], weight_shape[3]
    out_index = np.zeros(4, dtype=np.int32)
    sign = -1 if reverse else 1
    for ordinal in range(out_size):
        to_index(ordinal, out_shape, out_index)
        b, o, y, x = (int(i) for i in out_index)
        total = 0.0
        for c in range(in_channels):
            for p in range(kh):
                row = y + sign * p
                if not 0 <= row < height:
                    continue
                for q in range(kw):
                    column = x + sign * q
                    if 0 <= column < width:
                        total += (
                            input[index_to_position((b, c, row, column), input_strides)]
                            * weight[index_to_position((o, c, p, q), weight_strides)]
                        )
        out[index_to_position(out_index, out_strides)] = total
    # END TASK 4.2


def check_conv_shapes(function: str, input: Tensor, weight: Tensor, dims: int) -> None:
    """Check the operands of a convolution before any work.

    Raises:
        TypeError: if an operand is not a Tensor.
        ValueError: if an operand does not have ``dims`` dimensions or the channels differ.
    """
    for name, t in (("input", input), ("weight", weight)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{function}: {name} must be a Tensor, got {type(t).__name__}")
    layout = "batch x channels x width" if dims == 3 else "batch x channels x height x width"
    kernel = "out_channels x in_channels x k" if dims == 3 else "out_channels x in_channels x kh x kw"
    if input.dims != dims:
        raise ValueError(f"{function}: input must be {layout}, got shape {input.shape}")
    if weight.dims != dims:
        raise ValueError(f"{function}: weight must be {kernel}, got shape {weight.shape}")
    if input.shape[1] != weight.shape[1]:
        raise ValueError(
            f"{function}: input has {input.shape[1]} channels (shape {input.shape}) but the weight "
            f"expects {weight.shape[1]} (shape {weight.shape}); they must match"
        )


def _is_numpy(*tensors: Tensor) -> bool:
    return all(t.backend.ops is NumpyOps for t in tensors)


def _from_array(values: np.ndarray, like: Tensor) -> Tensor:
    """A tensor owning ``values`` (a fresh float64 array, handed over without another copy)."""
    flat = np.ascontiguousarray(values).reshape(-1)
    return Tensor.make(flat, tuple(int(d) for d in values.shape), backend=like.backend)


def _run_conv(
    kernel: ConvKernel, out_shape: tuple[int, ...], input: Tensor, weight: Tensor, reverse: bool
) -> Tensor:
    """``kernel`` into a new tensor of ``out_shape``, or the vectorised kernel on NumPy tensors."""
    if _is_numpy(input, weight):
        x, w = input._tensor.numpy_view(), weight._tensor.numpy_view()
        return _from_array(conv_arrays(x, w, out_shape[2:], reverse), input)
    out = input.zeros(out_shape)
    kernel(*out.tuple(), out.size, *input.tuple(), *weight.tuple(), reverse)
    return out


def _conv_backward(
    kernel: ConvKernel, ctx: Context, grad_output: Tensor
) -> tuple[Tensor | float, Tensor]:
    """Both gradients of a convolution, through the same kernel (1-D or 2-D alike).

    The input's gradient is skipped (0.0) when the input is a constant, such as a batch of images.
    """
    input, weight = ctx.saved_values
    need_input = ctx.needs_grad(0)
    if _is_numpy(input, weight, grad_output):  # the same two convolutions on arrays
        x, w, g = (t._tensor.numpy_view() for t in (input, weight, grad_output))
        grad_x, grad_w = conv_gradients(x, w, g, need_input=need_input)
        return (0.0 if grad_x is None else _from_array(grad_x, input)), _from_array(grad_w, weight)
    swap = (1, 0, *range(2, input.dims))
    # d weight[o, c, k] = sum_{b, x} input[b, c, x + k] * grad[b, o, x]: a convolution of the input
    # (channels as batch) with the gradient (batch as channels), of the kernel's size.
    grad_weight = _run_conv(
        kernel,
        (weight.shape[1], weight.shape[0], *weight.shape[2:]),
        input.permute(*swap),
        grad_output.permute(*swap),
        False,
    ).permute(*swap)
    if not need_input:
        return 0.0, grad_weight
    # d input[b, c, x] = sum_{o, k} grad[b, o, x - k] * weight[o, c, k]: the kernel anchored at the end.
    grad_input = _run_conv(kernel, input.shape, grad_output, weight.permute(*swap), True)
    return grad_input, grad_weight


class Conv1dFun(Function):
    """1-D convolution: ``batch x in_channels x width`` by ``out_channels x in_channels x k``."""

    @staticmethod
    def forward(ctx: Context, input: Tensor, weight: Tensor) -> Tensor:
        check_conv_shapes("conv1d", input, weight, 3)
        ctx.save_for_backward(input, weight)
        batch, _, width = input.shape
        return _run_conv(tensor_conv1d, (batch, weight.shape[0], width), input, weight, False)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor]:
        return _conv_backward(tensor_conv1d, ctx, grad_output)


class Conv2dFun(Function):
    """2-D convolution: ``batch x in_channels x h x w`` by ``out_channels x in_channels x kh x kw``."""

    @staticmethod
    def forward(ctx: Context, input: Tensor, weight: Tensor) -> Tensor:
        check_conv_shapes("conv2d", input, weight, 4)
        ctx.save_for_backward(input, weight)
        batch, _, height, width = input.shape
        out_shape = (batch, weight.shape[0], height, width)
        return _run_conv(tensor_conv2d, out_shape, input, weight, False)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor | float, Tensor]:
        return _conv_backward(tensor_conv2d, ctx, grad_output)


def conv1d(input: Tensor, weight: Tensor) -> Tensor:
    """1-D convolution with the course's semantics (output as long as the input, zeros past the end).

    Args:
        input: ``batch x in_channels x width``.
        weight: ``out_channels x in_channels x k``.

    Returns:
        ``batch x out_channels x width``.

    Raises:
        ValueError: if the shapes do not fit together.

    Examples:
        >>> from minitorch import tensor
        >>> conv1d(tensor([[[1.0, 2.0, 3.0]]]), tensor([[[1.0, 1.0]]])).to_numpy().tolist()
        [[[3.0, 5.0, 3.0]]]
    """
    check_conv_shapes("conv1d", input, weight, 3)
    return Conv1dFun.apply(input, weight)


def conv2d(input: Tensor, weight: Tensor) -> Tensor:
    """2-D convolution with the course's semantics (output the input's size, zeros past the end).

    Args:
        input: ``batch x in_channels x height x width``.
        weight: ``out_channels x in_channels x kh x kw``.

    Returns:
        ``batch x out_channels x height x width``.

    Raises:
        ValueError: if the shapes do not fit together.

    Examples:
        >>> from minitorch import tensor
        >>> x = tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
        >>> conv2d(x, tensor([[[[1.0, 1.0], [1.0, 1.0]]]])).to_numpy().tolist()
        [[[[10.0, 6.0], [7.0, 4.0]]]]
    """
    check_conv_shapes("conv2d", input, weight, 4)
    return Conv2dFun.apply(input, weight)
