"""Max pooling as one NumPy Function (the speed layer of :func:`minitorch.nn.maxpool2d`).

The course's ``maxpool2d`` is ``tile`` (``contiguous``, ``view``, ``permute``, ``contiguous``,
``view``) then ``max`` then ``view``: seven graph nodes and seven backward steps, each a new tensor.
On the NumPy backend :class:`MaxPool2dNumpy` does the same in one node: the windows are a reshape of
the input (``batch x channel x new_height x kh x new_width x kw``), the forward takes the maximum
over the offsets inside a window, and the backward sends the gradient to every position equal to its window's
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
from .tensor import Tensor
from .tensor_functions import Function

__all__ = ["MaxPool2dNumpy"]


class MaxPool2dNumpy(Function):
    """``maxpool2d(x, (kh, kw))`` with the kernel passed as a two-element tensor.

    The loops run over the ``kh * kw`` offsets inside a window, each one ``np.maximum`` (or
    ``np.where``) over all windows at once: NumPy reduces short inner axes slowly, so this is many
    times faster than ``max(axis=(3, 5))`` for 2x2 windows.
    """

    @staticmethod
    def forward(ctx: Context, x: Tensor, kernel: Tensor) -> Tensor:
        batch, channel, height, width = x.shape
        kh, kw = (int(k) for k in kernel.to_numpy())
        windows = x._tensor.numpy_view().reshape(batch, channel, height // kh, kh, width // kw, kw)
        out = np.array(windows[:, :, :, 0, :, 0])
        for p in range(kh):
            for q in range(kw):
                np.maximum(out, windows[:, :, :, p, :, q], out=out)
        ctx.save_for_backward(windows, out)
        return Tensor.make(out.reshape(-1), out.shape, backend=x.backend)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        windows, out = ctx.saved_values
        g = grad_output._tensor.numpy_view()
        grad = np.zeros(windows.shape)
        batch, channel, new_height, kh, new_width, kw = windows.shape
        for p in range(kh):
            for q in range(kw):
                grad[:, :, :, p, :, q] = np.where(windows[:, :, :, p, :, q] == out, g, 0.0)
        shape = (batch, channel, new_height * kh, new_width * kw)
        return Tensor.make(grad.reshape(-1), shape, backend=grad_output.backend), 0.0
