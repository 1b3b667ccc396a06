"""Convolutions (tasks 4.1, 4.2): the loop kernels, the vectorised NumPy kernels, their gradients.

The loop kernels run on the SimpleBackend, the vectorised ones on the NumPy backend; both must give
the same numbers for random shapes, in both directions (``reverse``) and for output sizes that
differ from the input's (the weight gradient). Gradients are checked against central differences,
and against PyTorch (float64, the input padded at the end only) where torch is installed.
"""

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import NumpyBackend, SimpleBackend, Tensor, TensorBackend, conv1d, conv2d
from minitorch.conv_numpy import conv1d_arrays, conv2d_arrays
from minitorch.fast_conv import tensor_conv1d, tensor_conv2d

rng_seeds = st.integers(min_value=0, max_value=2**32 - 1)


def random_array(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-2.0, 2.0, size=shape)


def as_tensor(values: np.ndarray, backend: TensorBackend, requires_grad: bool = False) -> Tensor:
    return minitorch.tensor_from_numpy(values, backend=backend, requires_grad=requires_grad)


def reference_conv2d(x: np.ndarray, w: np.ndarray, out_hw: tuple[int, int], reverse: bool) -> np.ndarray:
    """The definition, one output at a time (independent of both kernels under test)."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    sign = -1 if reverse else 1
    out = np.zeros((n, o, *out_hw))
    for b, oc, y, xx in np.ndindex(out.shape):
        for ic, p, q in np.ndindex(c, kh, kw):
            row, col = y + sign * p, xx + sign * q
            if 0 <= row < h and 0 <= col < wd:
                out[b, oc, y, xx] += x[b, ic, row, col] * w[oc, ic, p, q]
    return out


conv2d_cases = st.tuples(
    st.integers(1, 2), st.integers(1, 3), st.integers(1, 3),  # batch, in, out channels
    st.integers(1, 6), st.integers(1, 6),  # height, width
    st.integers(1, 4), st.integers(1, 4),  # kernel
    st.integers(1, 6), st.integers(1, 6),  # output height, width
)


@pytest.mark.task4_1
def test_conv1d_simple_values() -> None:
    x = minitorch.tensor([0.0, 1.0, 2.0, 3.0]).view(1, 1, 4)
    w = minitorch.tensor([1.0, 2.0, 3.0]).view(1, 1, 3)
    for backend in (SimpleBackend, NumpyBackend):
        out = conv1d(as_tensor(x.to_numpy(), backend), as_tensor(w.to_numpy(), backend))
        assert out.to_numpy().ravel().tolist() == [8.0, 14.0, 8.0, 3.0]


@pytest.mark.task4_2
def test_conv2d_simple_values() -> None:
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.ones((1, 1, 2, 2))
    expected = reference_conv2d(x, w, (4, 4), reverse=False)
    for backend in (SimpleBackend, NumpyBackend):
        out = conv2d(as_tensor(x, backend), as_tensor(w, backend))
        np.testing.assert_allclose(out.to_numpy(), expected)
    assert expected[0, 0, 3, 3] == 15.0  # the corner sees only itself (zeros past the end)


@pytest.mark.task4_2
@given(case=conv2d_cases, reverse=st.booleans(), seed=rng_seeds)
@settings(max_examples=40)
def test_conv2d_kernels_agree_with_definition(case: tuple[int, ...], reverse: bool, seed: int) -> None:
    n, c, o, h, w, kh, kw, oh, ow = case
    x, weight = random_array(seed, (n, c, h, w)), random_array(seed + 1, (o, c, kh, kw))
    expected = reference_conv2d(x, weight, (oh, ow), reverse)
    np.testing.assert_allclose(conv2d_arrays(x, weight, (oh, ow), reverse), expected, atol=1e-12)
    xt, wt = as_tensor(x, SimpleBackend), as_tensor(weight, SimpleBackend)
    out = xt.zeros((n, o, oh, ow))
    tensor_conv2d(*out.tuple(), out.size, *xt.tuple(), *wt.tuple(), reverse)
    np.testing.assert_allclose(out.to_numpy(), expected, atol=1e-12)


@pytest.mark.task4_1
@given(case=conv2d_cases, reverse=st.booleans(), seed=rng_seeds)
@settings(max_examples=40)
def test_conv1d_kernels_agree_with_definition(case: tuple[int, ...], reverse: bool, seed: int) -> None:
    n, c, o, _, w, _, kw, _, ow = case
    x, weight = random_array(seed, (n, c, w)), random_array(seed + 1, (o, c, kw))
    expected = reference_conv2d(x[:, :, None], weight[:, :, None], (1, ow), reverse)[:, :, 0]
    np.testing.assert_allclose(conv1d_arrays(x, weight, ow, reverse), expected, atol=1e-12)
    xt, wt = as_tensor(x, SimpleBackend), as_tensor(weight, SimpleBackend)
    out = xt.zeros((n, o, ow))
    tensor_conv1d(*out.tuple(), out.size, *xt.tuple(), *wt.tuple(), reverse)
    np.testing.assert_allclose(out.to_numpy(), expected, atol=1e-12)


@pytest.mark.task4_2
@pytest.mark.parametrize("channels", [(1, 8), (8, 1)], ids=["im2col", "col2im"])
def test_conv2d_both_layouts_match_definition(channels: tuple[int, int]) -> None:
    c, o = channels
    x, weight = random_array(0, (2, c, 7, 5)), random_array(1, (o, c, 3, 2))
    for reverse in (False, True):
        np.testing.assert_allclose(
            conv2d_arrays(x, weight, (7, 5), reverse),
            reference_conv2d(x, weight, (7, 5), reverse),
            atol=1e-12,
        )


def gradients(
    fn: Callable[[Tensor, Tensor], Tensor], x: np.ndarray, w: np.ndarray, g: np.ndarray,
    backend: TensorBackend,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xt, wt = as_tensor(x, backend, True), as_tensor(w, backend, True)
    out = fn(xt, wt)
    out.backward(as_tensor(g, backend))
    assert xt.grad is not None and wt.grad is not None
    return out.to_numpy(), xt.grad.to_numpy(), wt.grad.to_numpy()


@pytest.mark.task4_2
@pytest.mark.parametrize("dims", [1, 2], ids=["conv1d", "conv2d"])
@given(case=conv2d_cases, seed=rng_seeds)
@settings(max_examples=25)
def test_conv_backends_agree_forward_and_backward(dims: int, case: tuple[int, ...], seed: int) -> None:
    n, c, o, h, w, kh, kw, _, _ = case
    spatial, kernel = ((w,), (kw,)) if dims == 1 else ((h, w), (kh, kw))
    fn = conv1d if dims == 1 else conv2d
    x, weight = random_array(seed, (n, c, *spatial)), random_array(seed + 1, (o, c, *kernel))
    g = random_array(seed + 2, (n, o, *spatial))
    loop = gradients(fn, x, weight, g, SimpleBackend)
    fast = gradients(fn, x, weight, g, NumpyBackend)
    for a, b in zip(loop, fast, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-10)


@pytest.mark.task4_1
@pytest.mark.parametrize("backend", [SimpleBackend, NumpyBackend], ids=["loop", "numpy"])
@given(seed=rng_seeds)
@settings(max_examples=15)
def test_conv1d_gradient_matches_central_difference(backend: TensorBackend, seed: int) -> None:
    x, w = random_array(seed, (2, 2, 6)), random_array(seed + 1, (3, 2, 2))
    minitorch.grad_check(conv1d, as_tensor(x, backend), as_tensor(w, backend))


@pytest.mark.task4_2
@pytest.mark.parametrize("backend", [SimpleBackend, NumpyBackend], ids=["loop", "numpy"])
@given(seed=rng_seeds)
@settings(max_examples=10)
def test_conv2d_gradient_matches_central_difference(backend: TensorBackend, seed: int) -> None:
    x, w = random_array(seed, (2, 2, 5, 5)), random_array(seed + 1, (3, 2, 2, 3))
    minitorch.grad_check(conv2d, as_tensor(x, backend), as_tensor(w, backend))


@pytest.mark.task4_2
@pytest.mark.parametrize("dims", [1, 2], ids=["conv1d", "conv2d"])
@given(case=conv2d_cases, seed=rng_seeds)
@settings(max_examples=20)
def test_conv_matches_torch(dims: int, case: tuple[int, ...], seed: int) -> None:
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    n, c, o, h, w, kh, kw, _, _ = case
    spatial, kernel = ((w,), (kw,)) if dims == 1 else ((h, w), (kh, kw))
    x, weight = random_array(seed, (n, c, *spatial)), random_array(seed + 1, (o, c, *kernel))
    g = random_array(seed + 2, (n, o, *spatial))
    ours = gradients(conv1d if dims == 1 else conv2d, x, weight, g, NumpyBackend)
    tx = torch.tensor(x, requires_grad=True)
    tw = torch.tensor(weight, requires_grad=True)
    # The course's semantics: zeros past the end only, i.e. one-sided padding.
    if dims == 1:
        out = functional.conv1d(functional.pad(tx, (0, kw - 1)), tw)
    else:
        out = functional.conv2d(functional.pad(tx, (0, kw - 1, 0, kh - 1)), tw)
    out.backward(torch.tensor(g))
    theirs = (out.detach().numpy(), tx.grad.numpy(), tw.grad.numpy())
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-10)


def test_conv_rejects_mismatched_channels() -> None:
    x, w = minitorch.zeros((1, 2, 5)), minitorch.zeros((1, 3, 2))
    with pytest.raises(ValueError, match=r"conv1d: input has 2 channels .* expects 3"):
        conv1d(x, w)


def test_conv_rejects_wrong_dimensions() -> None:
    with pytest.raises(ValueError, match=r"conv2d: input must be batch x channels x height x width"):
        conv2d(minitorch.zeros((2, 5)), minitorch.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="conv1d: weight must be"):
        conv1d(minitorch.zeros((1, 1, 5)), minitorch.zeros((1, 2)))
    with pytest.raises(TypeError, match="conv2d: weight must be a Tensor"):
        conv2d(minitorch.zeros((1, 1, 2, 2)), [[1.0]])  # type: ignore[arg-type]


@pytest.mark.task4_2
@pytest.mark.parametrize("backend", [SimpleBackend, NumpyBackend], ids=["loop", "numpy"])
def test_conv2d_weight_gradient_without_input_gradient(backend: TensorBackend) -> None:
    """A constant input (a batch of images) gets no gradient; the weight's is unchanged."""
    x, w = random_array(3, (2, 2, 5, 5)), random_array(4, (3, 2, 2, 3))
    g = random_array(5, (2, 3, 5, 5))
    _, _, expected = gradients(conv2d, x, w, g, backend)
    wt = as_tensor(w, backend, True)
    images = as_tensor(x, backend)
    conv2d(images, wt).backward(as_tensor(g, backend))
    assert images.grad is None and wt.grad is not None
    np.testing.assert_allclose(wt.grad.to_numpy(), expected, atol=1e-12)
