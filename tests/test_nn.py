"""Pooling, max, softmax and dropout (tasks 4.3, 4.4) on both backends.

Values are compared with NumPy formulas, gradients with central differences (``grad_check``) and,
where torch is installed, with PyTorch in float64.
"""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import NumpyBackend, SimpleBackend, Tensor, TensorBackend

backends = pytest.mark.parametrize("backend", [SimpleBackend, NumpyBackend], ids=["loop", "numpy"])
seeds = st.integers(min_value=0, max_value=2**32 - 1)
pool_kernels = st.sampled_from([(1, 1), (2, 2), (2, 1), (1, 2), (1, 4), (4, 2)])


def distinct_array(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """Random numbers with no ties (so that max and argmax have one answer and a derivative)."""
    size = int(np.prod(shape))
    values = np.random.default_rng(seed).permutation(size) + np.random.default_rng(seed).uniform(0, 0.5, size)
    return (values / size * 4.0 - 2.0).reshape(shape)


def as_tensor(
    values: np.ndarray, backend: TensorBackend = NumpyBackend, requires_grad: bool = False
) -> Tensor:
    return minitorch.tensor_from_numpy(values, backend=backend, requires_grad=requires_grad)


def windows(x: np.ndarray, kernel: tuple[int, int]) -> np.ndarray:
    n, c, h, w = x.shape
    kh, kw = kernel
    return x.reshape(n, c, h // kh, kh, w // kw, kw)


@pytest.mark.task4_3
@backends
@given(seed=seeds, kernel=pool_kernels)
@settings(max_examples=20)
def test_avgpool2d_matches_window_means(backend: TensorBackend, seed: int, kernel: tuple[int, int]) -> None:
    x = distinct_array(seed, (2, 3, 4, 4))
    out = minitorch.avgpool2d(as_tensor(x, backend), kernel)
    np.testing.assert_allclose(out.to_numpy(), windows(x, kernel).mean(axis=(3, 5)), atol=1e-12)


@pytest.mark.task4_3
def test_tile_puts_each_window_in_the_last_dimension() -> None:
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    tiled, h, w = minitorch.tile(as_tensor(x), (2, 2))
    assert (tiled.shape, h, w) == ((1, 1, 2, 2, 4), 2, 2)
    assert tiled.to_numpy()[0, 0, 1, 0].tolist() == [8.0, 9.0, 12.0, 13.0]


@pytest.mark.task4_3
@backends
@given(seed=seeds)
@settings(max_examples=10)
def test_avgpool2d_gradient_matches_central_difference(backend: TensorBackend, seed: int) -> None:
    x = as_tensor(distinct_array(seed, (1, 2, 4, 4)), backend)
    minitorch.grad_check(lambda t: minitorch.avgpool2d(t, (2, 2)), x)


@pytest.mark.task4_4
@backends
@given(seed=seeds, dim=st.integers(0, 2))
@settings(max_examples=20)
def test_max_matches_numpy_and_its_gradient_is_argmax(backend: TensorBackend, seed: int, dim: int) -> None:
    x = distinct_array(seed, (2, 3, 4))
    t = as_tensor(x, backend, requires_grad=True)
    out = minitorch.max(t, dim)
    np.testing.assert_allclose(out.to_numpy(), x.max(axis=dim, keepdims=True))
    out.sum().backward()
    assert t.grad is not None
    one_hot = (x == x.max(axis=dim, keepdims=True)).astype(float)
    np.testing.assert_array_equal(t.grad.to_numpy(), one_hot)
    np.testing.assert_array_equal(minitorch.argmax(as_tensor(x, backend), dim).to_numpy(), one_hot)
    minitorch.grad_check(lambda a: minitorch.max(a, dim), as_tensor(x, backend))


@pytest.mark.task4_4
@backends
@given(seed=seeds, kernel=pool_kernels)
@settings(max_examples=20)
def test_maxpool2d_matches_window_maxima(backend: TensorBackend, seed: int, kernel: tuple[int, int]) -> None:
    x = distinct_array(seed, (2, 2, 4, 4))
    out = minitorch.maxpool2d(as_tensor(x, backend), kernel)
    np.testing.assert_allclose(out.to_numpy(), windows(x, kernel).max(axis=(3, 5)))
    minitorch.grad_check(lambda a: minitorch.maxpool2d(a, kernel), as_tensor(x, backend))


@pytest.mark.task4_4
@backends
@given(seed=seeds, dim=st.integers(0, 3))
@settings(max_examples=20)
def test_softmax_and_logsoftmax_match_numpy(backend: TensorBackend, seed: int, dim: int) -> None:
    x = distinct_array(seed, (2, 2, 3, 4)) * 20.0
    shifted = x - x.max(axis=dim, keepdims=True)
    log_expected = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
    soft = minitorch.softmax(as_tensor(x, backend), dim).to_numpy()
    np.testing.assert_allclose(soft, np.exp(log_expected), atol=1e-12)
    np.testing.assert_allclose(soft.sum(axis=dim), 1.0)
    log_soft = minitorch.logsoftmax(as_tensor(x, backend), dim).to_numpy()
    np.testing.assert_allclose(log_soft, log_expected, atol=1e-12)
    minitorch.grad_check(lambda a: minitorch.softmax(a, dim), as_tensor(x / 20.0, backend))
    minitorch.grad_check(lambda a: minitorch.logsoftmax(a, dim), as_tensor(x / 20.0, backend))


@pytest.mark.task4_4
def test_softmax_does_not_overflow() -> None:
    out = minitorch.softmax(as_tensor(np.array([1000.0, 0.0, -1000.0])), 0).to_numpy()
    np.testing.assert_allclose(out, [1.0, 0.0, 0.0])
    log_out = minitorch.logsoftmax(as_tensor(np.array([1000.0, 0.0])), 0).to_numpy()
    np.testing.assert_allclose(log_out, [0.0, -1000.0])


@pytest.mark.task4_4
@backends
def test_dropout_drops_about_rate_and_keeps_the_rest(backend: TensorBackend) -> None:
    random.seed(0)
    x = as_tensor(np.ones(4000) * 3.0, backend)
    kept = minitorch.dropout(x, 0.25).to_numpy()
    assert set(np.unique(kept)) <= {0.0, 3.0}
    assert 0.22 < float((kept == 0.0).mean()) < 0.28
    assert minitorch.dropout(x, 1.0).to_numpy().max() == 0.0
    assert minitorch.dropout(x, 1.0, ignore=True) is x
    assert minitorch.dropout(x, 0.0) is x


@pytest.mark.task4_4
def test_dropout_rejects_bad_rate() -> None:
    with pytest.raises(ValueError, match="dropout: rate must be a number from 0 to 1"):
        minitorch.dropout(minitorch.zeros((2,)), 1.5)


@pytest.mark.task4_4
def test_maxpool2d_rejects_kernel_that_does_not_divide() -> None:
    with pytest.raises(ValueError, match=r"maxpool2d: kernel 3x2 does not divide .* 4x4"):
        minitorch.maxpool2d(minitorch.zeros((1, 1, 4, 4)), (3, 2))


@pytest.mark.task4_3
def test_avgpool2d_rejects_input_that_is_not_an_image_batch() -> None:
    with pytest.raises(ValueError, match="avgpool2d: input must be batch x channels"):
        minitorch.avgpool2d(minitorch.zeros((4, 4)), (2, 2))


def test_max_rejects_dimension_out_of_range() -> None:
    with pytest.raises(minitorch.IndexingError, match="max"):
        minitorch.max(minitorch.zeros((2, 2)), 2)


@pytest.mark.task4_4
@given(seed=seeds, kernel=pool_kernels)
@settings(max_examples=15)
def test_pooling_and_softmax_match_torch(seed: int, kernel: tuple[int, int]) -> None:
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    x = distinct_array(seed, (2, 3, 4, 4))
    g = np.random.default_rng(seed + 1).normal(size=(2, 3, 4 // kernel[0], 4 // kernel[1]))
    cases = [
        (lambda t: minitorch.maxpool2d(t, kernel), lambda t: functional.max_pool2d(t, kernel), g),
        (lambda t: minitorch.avgpool2d(t, kernel), lambda t: functional.avg_pool2d(t, kernel), g),
        (lambda t: minitorch.softmax(t, 1), lambda t: torch.softmax(t, 1), x),
        (lambda t: minitorch.logsoftmax(t, 3), lambda t: torch.log_softmax(t, 3), x),
    ]
    for ours, theirs, grad_out in cases:
        t = as_tensor(x, requires_grad=True)
        out = ours(t)
        out.backward(as_tensor(grad_out))
        tt = torch.tensor(x, requires_grad=True)
        expected = theirs(tt)
        expected.backward(torch.tensor(grad_out))
        np.testing.assert_allclose(out.to_numpy(), expected.detach().numpy(), atol=1e-12)
        assert t.grad is not None
        np.testing.assert_allclose(t.grad.to_numpy(), tt.grad.numpy(), atol=1e-12)


@pytest.mark.task4_4
@given(seed=seeds, kernel=pool_kernels, ties=st.booleans())
@settings(max_examples=25)
def test_maxpool2d_backends_agree_on_values_and_gradients(
    seed: int, kernel: tuple[int, int], ties: bool
) -> None:
    """The loop version (tile + max) and the NumPy backend's single node, ties included."""
    x = distinct_array(seed, (2, 3, 4, 8))
    if ties:
        x = np.round(x)  # many equal values per window: every tied maximum gets the gradient
    g = np.random.default_rng(seed + 1).normal(size=(2, 3, 4 // kernel[0], 8 // kernel[1]))
    results = []
    for backend in (SimpleBackend, NumpyBackend):
        t = as_tensor(x, backend, requires_grad=True)
        out = minitorch.maxpool2d(t, kernel)
        out.backward(as_tensor(g, backend))
        assert t.grad is not None
        results.append((out.to_numpy(), t.grad.to_numpy()))
    for a, b in zip(results[0], results[1], strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)


@pytest.mark.task4_4
@given(seed=seeds, dim=st.integers(0, 2))
@settings(max_examples=20)
def test_logsoftmax_backends_agree_on_values_and_gradients(seed: int, dim: int) -> None:
    """The loop version (max, exp, sum, log) and the NumPy backend's single node."""
    x = distinct_array(seed, (3, 4, 5)) * 10.0
    g = np.random.default_rng(seed + 1).normal(size=x.shape)
    results = []
    for backend in (SimpleBackend, NumpyBackend):
        t = as_tensor(x, backend, requires_grad=True)
        out = minitorch.logsoftmax(t, dim)
        out.backward(as_tensor(g, backend))
        assert t.grad is not None
        results.append((out.to_numpy(), t.grad.to_numpy()))
    for a, b in zip(results[0], results[1], strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)
