"""Max pooling and log-softmax as single NumPy Functions (the speed layer of :mod:`minitorch.nn`).

The course's ``maxpool2d`` is ``tile`` (``contiguous``, ``view``, ``permute``, ``contiguous``,
``view``) then ``max`` then ``view``: seven graph nodes and seven backward steps, each a new tensor.
On the NumPy backend :class:`MaxPool2dNumpy` does the same in one node: the windows are a reshape of
the input (``batch x channel x new_height x kh x new_width x kw``), the forward takes the maximum
over the offsets inside a window, and the backward sends the gradient to every position equal to its window's
maximum (ties included, as the course's ``argmax``). :class:`LogSoftmaxNumpy` likewise replaces
the seven nodes of the plain ``logsoftmax`` by one. The numbers are the same; the tests compare.

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

__all__ = ["MaxPool2dNumpy", "LogSoftmaxNumpy"]


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


class LogSoftmaxNumpy(Function):
    """``logsoftmax(x, dim)`` with ``dim`` passed as a one-element tensor.

    Forward: ``s = x - max(x)``, ``out = s - log(sum(exp(s)))`` along ``dim`` (the log-sum-exp
    trick). Backward: ``g - exp(out) * sum(g)`` along ``dim``, since the Jacobian of log-softmax is
    ``identity - softmax`` in each row.
    """

    @staticmethod
    def forward(ctx: Context, x: Tensor, dim: Tensor) -> Tensor:
        axis = int(dim.item())
        values = x._tensor.numpy_view()
        shifted = values - values.max(axis=axis, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        ctx.save_for_backward(out, axis)
        return Tensor.make(out.reshape(-1), out.shape, backend=x.backend)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> tuple[Tensor, float]:
        out, axis = ctx.saved_values
        g = grad_output._tensor.numpy_view()
        grad = g - np.exp(out) * g.sum(axis=axis, keepdims=True)
        return Tensor.make(grad.reshape(-1), grad.shape, backend=grad_output.backend), 0.0
