"""Tensor: forward values (task 2.3), gradients against central differences (task 2.4), broadcasting,
the engine's Variable protocol, errors, and the conversions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tensor_strategies import BACKENDS, broadcast_shapes, tensors

import minitorch
from minitorch import IndexingError, Tensor, TensorBackend, grad_check, tensor

one_arg, two_arg, red_arg = minitorch.MathTestVariable._comp_testing()
# Comparisons are flat with jumps: central differences across a jump are meaningless, so their
# (zero) gradients are checked on their own below.
SMOOTH_TWO_ARG = [case for case in two_arg if case[0] not in ("lt2", "gt2", "eq2")]


def _name(case: tuple[str, object, object]) -> str:
    return case[0]


@pytest.mark.task2_3
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("case", one_arg, ids=_name)
@given(data=st.data())
@settings(max_examples=15)
def test_one_arg_forward_matches_floats(
    backend: TensorBackend, case: tuple[str, Callable[[float], float], Callable[..., Tensor]],
    data: st.DataObject,
) -> None:
    _, fn, tensor_fn = case
    t, array = data.draw(tensors(backend))
    out = tensor_fn(t)
    for index in out._tensor.indices():
        assert out[index] == pytest.approx(fn(float(array[index])), rel=1e-9, abs=1e-9)


@pytest.mark.task2_3
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("case", two_arg, ids=_name)
@given(data=st.data())
@settings(max_examples=15)
def test_two_arg_forward_broadcasts_and_matches_floats(
    backend: TensorBackend, case: tuple[str, Callable[..., float], Callable[..., Tensor]],
    data: st.DataObject,
) -> None:
    _, fn, tensor_fn = case
    shape_a, shape_b = data.draw(broadcast_shapes())
    a, array_a = data.draw(tensors(backend, shape=shape_a))
    b, array_b = data.draw(tensors(backend, shape=shape_b))
    out = tensor_fn(a, b)
    big_a, big_b = np.broadcast_arrays(array_a, array_b)
    assert out.shape == big_a.shape
    for index in out._tensor.indices():
        expected = fn(float(big_a[index]), float(big_b[index]))
        assert out[index] == pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.task2_3
def test_sum_keeps_the_reduced_dimension() -> None:
    t = tensor([[2.0, 3.0], [4.0, 6.0], [5.0, 7.0]])
    assert t.sum(0).to_numpy().tolist() == [[11.0, 16.0]]
    assert t.sum(1).to_numpy().tolist() == [[5.0], [10.0], [12.0]]
    assert t.sum().shape == (1,) and t.sum().item() == 27.0
    assert t.mean(0).to_numpy().tolist() == [[11.0 / 3, 16.0 / 3]]


@pytest.mark.task2_3
def test_permute_is_a_view_with_moved_dimensions() -> None:
    t = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    p = t.permute(1, 0)
    assert p.shape == (3, 2) and p[2, 1] == 6.0
    assert p._tensor._storage is t._tensor._storage


@pytest.mark.task2_4
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("case", one_arg + red_arg, ids=_name)
@given(data=st.data())
@settings(max_examples=10)
def test_one_arg_gradient_matches_central_difference(
    backend: TensorBackend, case: tuple[str, object, Callable[..., Tensor]], data: st.DataObject
) -> None:
    t, _ = data.draw(tensors(backend))
    grad_check(case[2], t)


@pytest.mark.task2_4
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@pytest.mark.parametrize("case", SMOOTH_TWO_ARG, ids=_name)
@given(data=st.data())
@settings(max_examples=10)
def test_two_arg_gradient_with_broadcasting_matches_central_difference(
    backend: TensorBackend, case: tuple[str, object, Callable[..., Tensor]], data: st.DataObject
) -> None:
    shape_a, shape_b = data.draw(broadcast_shapes())
    a, _ = data.draw(tensors(backend, shape=shape_a))
    b, _ = data.draw(tensors(backend, shape=shape_b))
    grad_check(case[2], a, b)
    assert a.grad is not None and a.grad.shape == a.shape
    assert b.grad is not None and b.grad.shape == b.shape


@pytest.mark.task2_4
@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@given(data=st.data())
@settings(max_examples=10)
def test_permute_gradient_matches_central_difference(
    backend: TensorBackend, data: st.DataObject
) -> None:
    t, _ = data.draw(tensors(backend))
    order = data.draw(st.permutations(range(t.dims)))
    grad_check(lambda a: (a.permute(*order) * a.permute(*order)).sigmoid(), t)


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@given(data=st.data())
@settings(max_examples=10)
def test_view_and_matmul_gradients_match_central_difference(
    backend: TensorBackend, data: st.DataObject
) -> None:
    n, m, p = (data.draw(st.integers(1, 3)) for _ in range(3))
    a, _ = data.draw(tensors(backend, shape=(2, n, m)))
    b, _ = data.draw(tensors(backend, shape=(m, p)))
    grad_check(lambda x, y: (x @ y).contiguous().view(2 * n * p).sigmoid(), a, b)


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@given(data=st.data(), scale=st.floats(-3.0, 3.0))
@settings(max_examples=15)
def test_sum_and_mean_over_everything_and_subtraction_on_any_layout(
    backend: TensorBackend, data: st.DataObject, scale: float
) -> None:
    # sum(), mean() and ``-`` are one function each (SumAll, MeanAll, Sub); permuted layouts make
    # SumAll copy before it reduces.
    t, array = data.draw(tensors(backend))
    u, other = data.draw(tensors(backend, shape=t.shape))
    assert t.sum().shape == (1,) and t.mean().shape == (1,)
    assert t.sum().item() == pytest.approx(float(array.sum()), rel=1e-12, abs=1e-12)
    assert t.mean().item() == pytest.approx(float(array.mean()), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose((t - u).to_numpy(), array - other, rtol=0, atol=0)
    np.testing.assert_allclose((scale - t).to_numpy(), scale - array, rtol=0, atol=0)
    np.testing.assert_allclose((t - scale).to_numpy(), array - scale, rtol=0, atol=0)
    grad_check(lambda a: a.sum() * a.mean(), t)
    grad_check(lambda a, b: (a - b) * (scale - b) * (a - scale), t, u)


def test_sum_mean_and_subtraction_record_one_function_each() -> None:
    leaf = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = leaf.permute(1, 0)
    y = tensor([[1.0, -1.0], [0.5, 2.0]], requires_grad=True)
    assert x.sum().history.last_fn is minitorch.tensor_functions.SumAll
    assert x.mean().history.last_fn is minitorch.tensor_functions.MeanAll
    assert (x - y).history.last_fn is minitorch.tensor_functions.Sub
    assert [i.unique_id for i in (x - y).history.inputs] == [x.unique_id, y.unique_id]
    assert [i.unique_id for i in (1.0 - y).history.inputs][1] == y.unique_id
    (x.mean() + (x - y).sum()).backward()
    assert leaf.grad is not None and y.grad is not None
    assert leaf.grad.to_numpy().tolist() == [[1.25, 1.25], [1.25, 1.25]]
    assert y.grad.to_numpy().tolist() == [[-1.0, -1.0], [-1.0, -1.0]]


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
def test_mean_of_nothing_is_nan_as_in_numpy(backend: TensorBackend) -> None:
    empty = minitorch.zeros((0, 3), backend=backend)
    assert np.isnan(empty.mean().item())
    assert empty.sum().item() == 0.0
    assert empty.mean(1).shape == (0, 1)
    assert np.isnan(empty.mean(0).to_numpy()).all() and empty.mean(0).shape == (1, 3)


@pytest.mark.task2_4
def test_comparisons_have_zero_gradients_of_their_inputs_shapes() -> None:
    a = tensor([[1.0, 2.0]], requires_grad=True)
    b = tensor([[1.5], [0.0]], requires_grad=True)
    ((a < b) + (a > b) + (a == b)).sum().backward()
    assert a.grad is not None and a.grad.to_numpy().tolist() == [[0.0, 0.0]]
    assert b.grad is not None and b.grad.to_numpy().tolist() == [[0.0], [0.0]]


def test_grad_check_fails_on_a_wrong_backward() -> None:
    class WrongExp(minitorch.Function):
        @staticmethod
        def forward(ctx: minitorch.Context, a: Tensor) -> Tensor:
            return a.f.exp_map(a)

        @staticmethod
        def backward(ctx: minitorch.Context, grad_output: Tensor) -> Tensor:
            return grad_output

    with pytest.raises(AssertionError, match="argument 0"):
        grad_check(lambda a: WrongExp.apply(a), tensor([[1.0, 2.0]]))


# ## Gradients: accumulation, broadcasting, the engine


def test_broadcast_gradient_is_summed_back_to_each_input_shape() -> None:
    a = tensor([1.0], requires_grad=True)
    b = tensor([[1.0, 1.0]], requires_grad=True)
    c = (a * b).sum()
    c.backward()
    assert c.shape == (1,)
    assert a.grad is not None and a.grad.shape == (1,) and a.grad.item() == 2.0
    assert b.grad is not None and b.grad.to_numpy().tolist() == [[1.0, 1.0]]


def test_expand_sums_over_broadcast_dimensions() -> None:
    x = minitorch.zeros((3, 1))
    grad = tensor(np.ones((2, 3, 4)))
    assert x.expand(grad).to_numpy().tolist() == [[8.0], [8.0], [8.0]]


def test_matmul_with_a_constant_operand_gives_the_leaf_its_gradient() -> None:
    x = tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = tensor([[1.0], [-1.0]], requires_grad=True)
    (x @ w).sum().backward()
    assert x.grad is None
    assert w.grad is not None and w.grad.to_numpy().tolist() == [[9.0], [12.0]]


def test_gradient_accumulates_over_uses_and_calls() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    (x * x + x).sum().backward()
    assert x.grad is not None and x.grad.to_numpy().tolist() == [3.0, 5.0]
    (x * 2.0).sum().backward()
    assert x.grad.to_numpy().tolist() == [5.0, 7.0]
    x.zero_grad_()
    assert x.grad is None


def _storage(t: Tensor | None) -> np.ndarray:
    assert t is not None
    return t._tensor._storage


@pytest.mark.parametrize(
    "make",
    [
        lambda x, y: x + y,  # Add hands the same gradient to both inputs
        lambda x, y: (x + y).contiguous(),  # ... after a pass-through
        lambda x, y: x.permute(1, 0).permute(1, 0) + y,  # ... through views
    ],
)
def test_leaf_gradients_never_share_storage(make: Callable[[Tensor, Tensor], Tensor]) -> None:
    x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = tensor([[5.0, 6.0], [7.0, 8.0]], requires_grad=True)
    g = tensor([[1.0, 2.0], [3.0, 4.0]])
    make(x, y).backward(g)
    storages = [_storage(x.grad), _storage(y.grad), _storage(g)]
    for i, a in enumerate(storages):
        for b in storages[i + 1:]:
            assert not np.shares_memory(a, b)
    x.grad[0, 0] = 100.0  # writing one gradient changes nothing else
    assert y.grad is not None and y.grad[0, 0] == 1.0 and g[0, 0] == 1.0


def test_a_broadcast_gradient_reaching_a_leaf_is_its_own_row_major_array() -> None:
    x = tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    g = tensor([[1.0], [2.0]])
    x.sum(1).backward(g)
    assert x.grad is not None and x.grad.to_numpy().tolist() == [[1.0] * 3, [2.0] * 3]
    assert x.grad._tensor.strides == (3, 1) and len(_storage(x.grad)) == 6
    x.grad[0, 0] = 9.0
    assert x.grad.to_numpy().tolist() == [[9.0, 1.0, 1.0], [2.0] * 3]
    leaf = tensor([1.0, 2.0], requires_grad=True)
    seed = tensor([3.0, 4.0])
    leaf.backward(seed)
    assert leaf.grad is not None and not np.shares_memory(_storage(leaf.grad), _storage(seed))


def test_tensors_run_on_the_shared_engine() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3.0).exp()
    order = minitorch.topological_sort(y)
    assert order[0] is y and order[-1] is x
    minitorch.backpropagate(y, tensor([1.0, 1.0]))
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.to_numpy(), 3.0 * np.exp([3.0, 6.0]))


def test_a_long_chain_backpropagates_without_recursion() -> None:
    x = tensor([0.5], requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.backward()
    assert x.grad is not None and x.grad.item() == 1.0


def test_no_grad_records_nothing() -> None:
    x = tensor([1.0], requires_grad=True)
    with minitorch.no_grad():
        y = x * 2.0
    assert y.is_constant() and y.history is None


def test_detach_and_requires_grad_make_constants_and_leaves() -> None:
    x = tensor([1.0], requires_grad=True)
    assert x.is_leaf() and not x.detach().requires_grad()
    y = x * 2.0
    assert not y.is_leaf() and y.requires_grad_().is_leaf()
    assert x.requires_grad_(False).is_constant()


# ## Errors


def test_backward_without_grad_output_on_many_elements_says_what_to_pass() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"shape \(2,\) needs grad_output"):
        (x * 2.0).backward()
    with pytest.raises(ValueError, match="grad_output has shape"):
        (x * 2.0).backward(tensor([1.0]))
    with pytest.raises(ValueError, match="constant"):
        tensor([1.0]).backward()


def test_view_of_a_non_contiguous_tensor_says_to_call_contiguous() -> None:
    t = tensor([[2.0, 3.0, 4.0], [4.0, 5.0, 7.0]])
    with pytest.raises(ValueError, match=r"call \.contiguous\(\) first"):
        t.permute(1, 0).view(6)
    assert t.permute(1, 0).contiguous().view(6).to_numpy().tolist() == [2, 4, 3, 5, 4, 7]
    with pytest.raises(IndexingError, match=r"shape \(2, 3\).*as shape \(4,\)"):
        t.view(4)


def test_out_of_range_index_names_the_index_and_the_shape() -> None:
    t = tensor([[2.0, 3.0, 4.0], [4.0, 5.0, 7.0]])
    with pytest.raises(IndexingError, match=r"index \(50, 2\) is out of range for shape \(2, 3\)"):
        t[50, 2]
    with pytest.raises(IndexingError, match=r"sum\(dim=2\) is out of range"):
        t.sum(2)


def test_shape_mismatch_in_an_operator_names_the_operation_and_both_shapes() -> None:
    with pytest.raises(IndexingError, match=r"mul: shapes \(2,\) and \(3,\)"):
        tensor([1.0, 2.0]) * tensor([1.0, 2.0, 3.0])


def test_tensor_rejects_non_numeric_data_naming_the_argument() -> None:
    with pytest.raises(TypeError, match=r"tensor\(data=\.\.\.\): expects numbers"):
        tensor([["a", "b"]])
    with pytest.raises(TypeError, match=r"tensor\(data=\.\.\.\)"):
        tensor([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="real number"):
        tensor([1.0]) + "x"  # type: ignore[operator]


def test_item_and_format_need_one_element() -> None:
    assert f"{tensor([[2.5]]):.2f}" == "2.50"
    with pytest.raises(ValueError, match="one element"):
        tensor([1.0, 2.0]).item()


# ## Construction and conversion


def test_tensor_from_numpy_copies_once_and_keeps_the_shape() -> None:
    array = np.arange(6.0).reshape(2, 3)
    t = tensor(array)
    array[0, 0] = 100.0
    assert t.shape == (2, 3) and t[0, 0] == 0.0
    assert t.to_numpy().tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert minitorch.tensor_from_numpy(array.T).shape == (3, 2)


def test_default_backend_is_numpy_and_rand_is_seeded_by_random() -> None:
    import random

    assert tensor([1.0]).backend is minitorch.NumpyBackend
    random.seed(3)
    first = minitorch.rand((2, 2)).to_numpy()
    random.seed(3)
    assert (minitorch.rand((2, 2)).to_numpy() == first).all()


def test_repr_shows_the_numbers_and_the_function() -> None:
    x = tensor([1.0, 2.0], requires_grad=True)
    assert repr(tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(x)
    assert "grad_fn=Mul" in repr(x * 2.0)


def test_setitem_writes_through() -> None:
    t = minitorch.zeros((2, 2))
    t[1, 0] = 3.0
    assert t.to_numpy().tolist() == [[0.0, 0.0], [3.0, 0.0]]


# ## Training tools and drawing


class Linear(minitorch.Module):
    def __init__(self) -> None:
        super().__init__()
        self.weights = minitorch.Parameter(tensor([[0.5], [-0.3]]))
        self.bias = minitorch.Parameter(tensor([0.1]))

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weights.value + self.bias.value


@pytest.mark.parametrize("optimizer", [minitorch.SGD, minitorch.Adam], ids=["sgd", "adam"])
def test_optimizers_train_tensor_parameters(optimizer: type[minitorch.Optimizer]) -> None:
    model = Linear()
    x = tensor([[1.0, 2.0], [3.0, 1.0], [0.0, 1.0]])
    y = tensor([[1.0], [2.0], [0.5]])
    opt = optimizer(model.parameters(), lr=0.05)  # type: ignore[call-arg]
    losses = []
    for _ in range(200):
        opt.zero_grad()
        error = model(x) - y
        loss = (error * error).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 1e-3 < losses[0]
    assert model.weights.value.is_leaf()
    assert [name for name, _ in model.named_parameters()] == ["weights", "bias"]


def test_sgd_step_is_value_minus_lr_times_grad() -> None:
    p = minitorch.Parameter(tensor([1.0, -2.0]))
    opt = minitorch.SGD([p], lr=0.5)
    (p.value * p.value).sum().backward()
    opt.step()
    assert p.value.to_numpy().tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.value.grad is None


def test_draw_labels_tensor_nodes_with_their_shapes() -> None:
    x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x.name = "x"
    text = minitorch.draw((x @ tensor([[1.0], [2.0]])).relu().sum(), format="mermaid")
    assert '["x<br>shape (2, 2)"]:::leaf' in text
    assert "shape (2, 1)" in text and '(("MatMul"))' in text
    assert "value 16.0" in text
