"""Max pooling as one NumPy Function (the speed layer of :func:`minitorch.nn.maxpool2d`).

The course's ``maxpool2d`` is ``tile`` (``contiguous``, ``view``, ``permute``, ``contiguous``,
``view``) then ``max`` then ``view``: seven graph nodes and seven backward steps, each a new tensor.
On the NumPy backend :class:`MaxPool2dNumpy` does the same in one node: the windows are a reshape of
the input (``batch x channel x new_height x kh x new_width x kw``), the forward is one ``max`` over
the two window axes, and the backward sends the gradient to every position equal to its window's
maximum (ties included, as the course's ``argmax``). The numbers are identical; the tests compare.

Examples:
    >>> from minitorch import tensor
    >>> x = tensor([[[[1.0, 2.0], [3.0, 4.0]]]], requires_grad=True)
    >>> out = MaxPool2dNumpy.apply(x, tensor([2.0, 2.0]))
    >>> out.to_numpy().ravel().tolist()
    [4.0]
"""

from __future__ import annotations

import numpy as np

from .autodiff import Context
from .tensor import Tensor, tensor_from_numpy
from .tensor_functions import Function

__all__ = ["MaxPool2dNumpy"]


class MaxPool2dNumpy(Function):
    """``maxpool2d(input, (kh, kw))`` with the kernel passed as a two-element tensor."""

    @staticmethod
    def forward(ctx: Context, x: Tensor, kernel: Tensor) -> Tensor:
        batch, channel, height, width = x.shape
        kh, kw = (int(k) for k in kernel.to_numpy())
        windows = x._tensor.numpy_view().reshape(batch, channel, height // kh, kh, width // kw, kw)
        out = windows.max(axis=(3, 5))
        ctx.save_for_backward(windows == out[:, :, :, None, :, None])
        return tensor_from_numpy(out, backend=x.backend)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        (is_max,) = ctx.saved_values
        g = grad_output._tensor.numpy_view()[:, :, :, None, :, None]
        grad = np.where(is_max, g, 0.0)
        batch, channel, new_height, kh, new_width, kw = grad.shape
        shape = (batch, channel, new_height * kh, new_width * kw)
        return tensor_from_numpy(grad.reshape(shape), backend=grad_output.backend), 0.0
