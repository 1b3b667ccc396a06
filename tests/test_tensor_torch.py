"""PyTorch (float64) as an oracle for tensors, where torch is installed.

Random programs mix broadcasting binary operations, unary functions, reductions, permutes, views and
batched matrix products; each is run by minitorch (both backends) and by ``torch.autograd`` and the
values and gradients of every leaf must agree to near machine precision. Skipped without torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tensor_strategies import BACKENDS

import minitorch
from minitorch import TensorBackend

torch = pytest.importorskip("torch")

values = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_infinity=False)

# Unary steps: (name, minitorch version, torch version); inputs of log and 1/x are kept positive.
UNARY: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    ("sigmoid", lambda x: x.sigmoid(), lambda x: x.sigmoid()),
    ("relu", lambda x: x.relu(), lambda x: x.relu()),
    ("exp", lambda x: (x * 0.5).exp(), lambda x: (x * 0.5).exp()),
    ("log", lambda x: (x * x + 1.0).log(), lambda x: (x * x + 1.0).log()),
    ("neg", lambda x: -x, lambda x: -x),
]
BINARY: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("add", lambda x, y: x + y),
    ("sub", lambda x, y: x - y),
    ("mul", lambda x, y: x * y),
    ("div", lambda x, y: x / (y * y + 1.0)),
]


class Program:
    """One random program, replayed on minitorch and on torch."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.leaves: list[np.ndarray] = []
        self.steps: list[tuple[str, Any]] = []

    def leaf(self, shape: tuple[int, ...]) -> int:
        size = int(np.prod(shape))
        numbers = self.data.draw(st.lists(values, min_size=size, max_size=size))
        self.leaves.append(np.array(numbers, dtype=np.float64).reshape(shape))
        return len(self.leaves) - 1

    def build(self, n_steps: int) -> None:
        shape = tuple(self.data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=4)))
        self.steps.append(("leaf", self.leaf(shape)))
        for _ in range(n_steps):
            kind = self.data.draw(
                st.sampled_from(
                    ["unary", "binary", "sum", "mean", "sum_all", "mean_all", "permute", "view",
                     "matmul"]
                )
            )
            if kind == "unary":
                self.steps.append(("unary", self.data.draw(st.sampled_from(UNARY))))
            elif kind == "binary":
                dropped = self.data.draw(st.integers(0, len(shape) - 1))
                other = tuple(1 if self.data.draw(st.booleans()) else s for s in shape[dropped:])
                swap = self.data.draw(st.booleans())
                fn = self.data.draw(st.sampled_from(BINARY))
                self.steps.append(("binary", (fn, self.leaf(other), swap)))
            elif kind in ("sum", "mean"):
                dim = self.data.draw(st.integers(0, len(shape) - 1))
                self.steps.append((kind, dim))
                shape = tuple(1 if k == dim else s for k, s in enumerate(shape))
            elif kind in ("sum_all", "mean_all"):
                self.steps.append((kind, None))
                shape = (1,)
            elif kind == "permute":
                order = tuple(self.data.draw(st.permutations(range(len(shape)))))
                self.steps.append(("permute", order))
                shape = tuple(shape[k] for k in order)
            elif kind == "view":
                size = int(np.prod(shape))
                new_shape = self.data.draw(st.sampled_from([(size,), (size, 1), (1, size)]))
                self.steps.append(("view", new_shape))
                shape = new_shape
            else:  # matmul with a fresh (batched) right operand
                if len(shape) < 2:
                    self.steps.append(("view", (1, shape[0])))
                    shape = (1, shape[0])
                k = self.data.draw(st.integers(1, 3))
                batch = shape[:-2][-1:] if self.data.draw(st.booleans()) else ()
                self.steps.append(("matmul", self.leaf((*batch, shape[-1], k))))
                shape = (*shape[:-1], k)

    def run(self, leaves: list[Any], torch_mode: bool) -> Any:
        x = None
        for kind, arg in self.steps:
            if kind == "leaf":
                x = leaves[arg]
            elif kind == "unary":
                x = arg[2](x) if torch_mode else arg[1](x)
            elif kind == "binary":
                (_, fn), index, swap = arg
                x = fn(leaves[index], x) if swap else fn(x, leaves[index])
            elif kind in ("sum", "mean"):
                x = getattr(x, kind)(arg, keepdim=True) if torch_mode else getattr(x, kind)(arg)
            elif kind in ("sum_all", "mean_all"):
                x = getattr(x, kind[:-4])()
                x = x.reshape(1) if torch_mode else x  # minitorch's full reductions have shape (1,)
            elif kind == "permute":
                x = x.permute(*arg)
            elif kind == "view":
                x = x.contiguous().view(*arg)
            else:
                x = x @ leaves[arg]
        return x


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@given(data=st.data(), n_steps=st.integers(1, 8))
@settings(max_examples=40)
def test_random_programs_match_torch_values_and_gradients(
    backend: TensorBackend, data: st.DataObject, n_steps: int
) -> None:
    program = Program(data)
    program.build(n_steps)
    ours = [minitorch.tensor(a, backend=backend, requires_grad=True) for a in program.leaves]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in program.leaves]
    out = program.run(ours, torch_mode=False)
    expected = program.run(theirs, torch_mode=True)
    np.testing.assert_allclose(out.to_numpy(), expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    # A weighted sum, so every output element's gradient path is checked.
    weights = np.linspace(0.5, 1.5, out.size).reshape(out.shape)
    out.backward(minitorch.tensor(weights, backend=backend))
    expected.backward(torch.tensor(weights, dtype=torch.float64))
    for mine, leaf in zip(ours, theirs, strict=True):
        reference = np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()
        got = np.zeros(leaf.shape) if mine.grad is None else mine.grad.to_numpy()
        np.testing.assert_allclose(got, reference, rtol=1e-9, atol=1e-12)
