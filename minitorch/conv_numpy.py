"""Vectorised convolution kernels for the NumPy backend (the speed layer of :mod:`minitorch.fast_conv`).

They compute exactly what the course's loop kernels in :mod:`minitorch.fast_conv` compute, on NumPy
arrays, with no Python loop over output positions:

* ``reverse=False`` (kernel anchored at the start):
  ``out[n, o, y, x] = sum_{c, p, q} input[n, c, y + p, x + q] * weight[o, c, p, q]``
* ``reverse=True`` (kernel anchored at the end):
  ``out[n, o, y, x] = sum_{c, p, q} input[n, c, y - p, x - q] * weight[o, c, p, q]``

reading zeros outside the input. The output's spatial size is given separately, because the
backward pass asks for an output of the kernel's size (the weight gradient).

The reverse case is the forward case on an input padded at the front by ``kernel - 1`` with the
kernel flipped, so one routine does both after :func:`pad_for_conv`. That routine picks the cheaper
of two equivalent layouts:

* **im2col**: gather every window into a matrix (``numpy.lib.stride_tricks.as_strided`` then one
  copy) and multiply by the weight matrix (one BLAS call); its size is
  ``batch * in_channels * kernel_size * out_positions``. Cheap when there are few input channels.
* **col2im**: multiply the weight into the input first (one BLAS call), then add the
  ``kernel_size`` shifted slices; its size is ``batch * out_channels * kernel_size * positions``.
  Cheap when there are few output channels, as for the input gradient of a first layer.

The only Python loop is over kernel offsets in col2im (``kh * kw`` slice additions).

Examples:
    >>> import numpy as np
    >>> x = np.arange(4.0).reshape(1, 1, 1, 4)
    >>> w = np.array([1.0, 2.0, 3.0]).reshape(1, 1, 1, 3)
    >>> conv2d_arrays(x, w, (1, 4), reverse=False).ravel().tolist()
    [8.0, 14.0, 8.0, 3.0]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["pad_for_conv", "conv2d_arrays", "conv1d_arrays", "conv_arrays", "conv_gradients"]

Array = npt.NDArray[np.float64]


def pad_for_conv(x: Array, kernel: tuple[int, int], out_hw: tuple[int, int], reverse: bool) -> Array:
    """Zero-padded (or cropped) copy of ``x`` of spatial size ``out + kernel - 1``.

    With ``reverse`` the input starts ``kernel - 1`` rows and columns in, so that a start-anchored
    window over the padded array reads ``x[y - p]`` for flipped offsets.
    """
    n, c, h, w = x.shape
    kh, kw = kernel
    oh, ow = out_hw
    rows, cols = oh + kh - 1, ow + kw - 1
    top, left = (kh - 1, kw - 1) if reverse else (0, 0)
    padded = np.zeros((n, c, rows, cols))
    take_h, take_w = min(h, rows - top), min(w, cols - left)
    padded[:, :, top : top + take_h, left : left + take_w] = x[:, :, :take_h, :take_w]
    return padded


def _im2col(padded: Array, weight: Array, out_hw: tuple[int, int]) -> Array:
    n, c, _, _ = padded.shape
    o, _, kh, kw = weight.shape
    oh, ow = out_hw
    s0, s1, s2, s3 = padded.strides
    windows = np.lib.stride_tricks.as_strided(
        padded, (n, c, kh, kw, oh, ow), (s0, s1, s2, s3, s2, s3), writeable=False
    )
    columns = windows.reshape(n, c * kh * kw, oh * ow)  # the one copy
    out: Array = np.matmul(weight.reshape(o, c * kh * kw), columns)
    return out.reshape(n, o, oh, ow)


def _col2im(padded: Array, weight: Array, out_hw: tuple[int, int]) -> Array:
    n, c, rows, cols = padded.shape
    o, _, kh, kw = weight.shape
    oh, ow = out_hw
    by_offset = weight.transpose(2, 3, 0, 1).reshape(kh * kw * o, c)
    products = np.matmul(by_offset, padded.reshape(n, c, rows * cols))
    products = products.reshape(n, kh, kw, o, rows, cols)
    out = np.zeros((n, o, oh, ow))
    for p in range(kh):
        for q in range(kw):
            out += products[:, p, q, :, p : p + oh, q : q + ow]
    return out


def conv2d_arrays(x: Array, weight: Array, out_hw: tuple[int, int], reverse: bool) -> Array:
    """The course's 2-D convolution on arrays: ``x`` (n, c, h, w), ``weight`` (o, c, kh, kw).

    Returns:
        an array of shape ``(n, o, *out_hw)``.
    """
    _, c, _, _ = x.shape
    o, _, kh, kw = weight.shape
    if reverse:
        weight = weight[:, :, ::-1, ::-1]
    padded = pad_for_conv(x, (kh, kw), out_hw, reverse)
    im2col_size = c * out_hw[0] * out_hw[1]
    col2im_size = o * padded.shape[2] * padded.shape[3]
    if im2col_size <= col2im_size:
        return _im2col(padded, weight, out_hw)
    return _col2im(padded, weight, out_hw)


def conv1d_arrays(x: Array, weight: Array, out_width: int, reverse: bool) -> Array:
    """The course's 1-D convolution on arrays: ``x`` (n, c, w), ``weight`` (o, c, k).

    Returns:
        an array of shape ``(n, o, out_width)``.
    """
    out = conv2d_arrays(x[:, :, None, :], weight[:, :, None, :], (1, out_width), reverse)
    return out[:, :, 0, :]


def conv_arrays(x: Array, weight: Array, out_size: tuple[int, ...], reverse: bool) -> Array:
    """:func:`conv1d_arrays` or :func:`conv2d_arrays`, by the number of spatial dimensions."""
    if x.ndim == 3:
        return conv1d_arrays(x, weight, out_size[0], reverse)
    return conv2d_arrays(x, weight, (out_size[0], out_size[1]), reverse)


def conv_gradients(
    x: Array, weight: Array, grad: Array, need_input: bool = True
) -> tuple[Array | None, Array]:
    """The input and weight gradients of a start-anchored convolution, by the same kernel.

    ``d weight = conv(x with batch and channels swapped, grad likewise)`` at the kernel's size, and
    ``d x = conv(grad, weight with its channel axes swapped, reverse=True)``, exactly as the loop
    version in :mod:`minitorch.fast_conv` does with permuted tensors. ``d x`` is ``None`` when
    ``need_input`` is false (an input that is a constant, such as a batch of images).
    """
    swap = (1, 0, *range(2, x.ndim))
    grad_weight = conv_arrays(x.transpose(swap), grad.transpose(swap), weight.shape[2:], False)
    grad_x = conv_arrays(grad, weight.transpose(swap), x.shape[2:], True) if need_input else None
    return grad_x, np.ascontiguousarray(grad_weight.transpose(swap))
