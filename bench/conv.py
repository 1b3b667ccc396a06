"""``python -m bench.conv``: minitorch's convolution and digits CNN against PyTorch (CPU, float64).

Two workloads, each built once with the same numbers for both engines:

* **conv2d**: forward and backward of ``conv2d`` on an input of 16x1x28x28 and a weight of 8x1x3x3
  (PyTorch with the input padded by ``kernel - 1`` zeros at the end only, the course's semantics),
  the backward seeded with the same random output gradient.
* **epoch**: one epoch (45 minibatches of 32) of ``minitorch train``'s digits CNN (
  :class:`minitorch.train_tensor.DigitsCNN`, Adam), and the same network in PyTorch with the same
  initial weights (copied from minitorch's) and the same batches. The data are scikit-learn's
  digits when installed, else random images of the same shape (the speed does not depend on them).

Method: one thread (``pin_threads`` before NumPy/PyTorch are imported, ``torch.set_num_threads(1)``),
a warm-up run of each, then rounds in which the two engines alternate (order swapped every round);
the ratio is taken round by round (minitorch / PyTorch) and its median reported, with the medians of
the times. Targets (issue 12): conv2d <= 2.5x PyTorch, epoch <= 2x. Exit code 0 when both hold.
The two engines' results are compared after the warm-up (conv2d outputs and gradients; the CNN's
gradients on one minibatch of tie-free random images).
"""

from __future__ import annotations

from .env import pin_threads

pin_threads()

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import minitorch  # noqa: E402
from minitorch.train_tensor import DigitsCNN, nll_loss  # noqa: E402

TARGETS = {"conv2d": 2.5, "epoch": 2.0}
BATCH = 32
LR = 0.005


@dataclass
class Result:
    name: str
    minitorch_s: float
    torch_s: float
    ratio: float
    target: float


def conv2d_workload(seed: int = 0) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """Forward + backward of one conv2d, once per engine; each returns (out, dx, dw) arrays."""
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(16, 1, 28, 28)), rng.normal(size=(8, 1, 3, 3))
    g = rng.normal(size=(16, 8, 28, 28))
    g_mt = minitorch.tensor_from_numpy(g)
    g_torch = torch.tensor(g)

    def run_minitorch() -> Any:
        xt = minitorch.tensor_from_numpy(x, requires_grad=True)
        wt = minitorch.tensor_from_numpy(w, requires_grad=True)
        out = minitorch.conv2d(xt, wt)
        out.backward(g_mt)
        return out.to_numpy(), xt.grad.to_numpy(), wt.grad.to_numpy()  # type: ignore[union-attr]

    def run_torch() -> Any:
        xt = torch.tensor(x, requires_grad=True)
        wt = torch.tensor(w, requires_grad=True)
        out = torch.nn.functional.conv2d(torch.nn.functional.pad(xt, (0, 2, 0, 2)), wt)
        out.backward(g_torch)
        return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()  # type: ignore[union-attr]

    return run_minitorch, run_torch


class TorchCNN(torch.nn.Module):
    """DigitsCNN in PyTorch: the same layers, the course's one-sided padding, weights copied in."""

    def __init__(self, source: DigitsCNN) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3, dtype=torch.float64)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, dtype=torch.float64)
        self.fc1 = torch.nn.Linear(128, 64, dtype=torch.float64)
        self.fc2 = torch.nn.Linear(64, 10, dtype=torch.float64)
        with torch.no_grad():
            for conv, ours in ((self.conv1, source.conv1), (self.conv2, source.conv2)):
                conv.weight.copy_(torch.tensor(ours.weights.value.to_numpy()))
                conv.bias.copy_(torch.tensor(ours.bias.value.to_numpy().ravel()))
            for linear, mine in ((self.fc1, source.fc1), (self.fc2, source.fc2)):
                linear.weight.copy_(torch.tensor(mine.weights.value.to_numpy().T))
                linear.bias.copy_(torch.tensor(mine.bias.value.to_numpy()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        functional = torch.nn.functional
        h = functional.max_pool2d(functional.relu(self.conv1(functional.pad(x, (0, 2, 0, 2)))), 2)
        h = functional.max_pool2d(functional.relu(self.conv2(functional.pad(h, (0, 2, 0, 2)))), 2)
        h = functional.relu(self.fc1(h.reshape(x.shape[0], 128)))
        return functional.log_softmax(self.fc2(h), dim=1)


def digits_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    try:
        from minitorch.train_tensor import load_digits_split

        data = load_digits_split(seed)
        return data.train_x, data.train_y
    except ModuleNotFoundError:
        rng = np.random.default_rng(seed)
        return rng.uniform(0.0, 1.0, size=(1438, 1, 8, 8)), rng.integers(0, 10, size=1438)


def epoch_workload(seed: int = 0) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """One training epoch per engine, each from the same fresh initial weights and batches."""
    x, y = digits_data(seed)
    batches = np.array_split(np.random.default_rng(seed).permutation(len(y)), len(y) // BATCH)

    def run_minitorch() -> Any:
        random.seed(seed)
        model = DigitsCNN()
        optimizer = minitorch.Adam(model.parameters(), lr=LR)
        for batch in batches:
            optimizer.zero_grad()
            loss = nll_loss(model(minitorch.tensor_from_numpy(x[batch])), y[batch])
            loss.backward()
            optimizer.step()
        return np.concatenate([p.value.to_numpy().ravel() for p in model.parameters()])

    def run_torch() -> Any:
        random.seed(seed)
        model = TorchCNN(DigitsCNN())  # minitorch's initial weights, copied (not timed apart)
        optimizer = torch.optim.Adam(model.parameters(), lr=LR)
        for batch in batches:
            optimizer.zero_grad()
            loss = torch.nn.functional.nll_loss(model(torch.tensor(x[batch])), torch.tensor(y[batch]))
            loss.backward()
            optimizer.step()
        return model

    return run_minitorch, run_torch


def gradient_difference(seed: int = 1) -> float:
    """The largest difference between the two engines' gradients after one minibatch.

    On random images (no ties in a max-pooling window): on the digits, windows with equal maxima
    are common, and there the course's max sends the gradient to every tied position while PyTorch
    picks one, so the two engines' epochs differ by design.
    """
    x = np.random.default_rng(seed).uniform(size=(BATCH, 1, 8, 8))
    y = np.arange(BATCH) % 10
    random.seed(seed)
    model = DigitsCNN()
    nll_loss(model(minitorch.tensor_from_numpy(x)), y).backward()
    random.seed(seed)
    reference = TorchCNN(DigitsCNN())
    torch.nn.functional.nll_loss(reference(torch.tensor(x)), torch.tensor(y)).backward()
    pairs = [(model.conv1, reference.conv1, False), (model.conv2, reference.conv2, False),
             (model.fc1, reference.fc1, True), (model.fc2, reference.fc2, True)]
    worst = 0.0
    for ours, theirs, transposed in pairs:
        weight = theirs.weight.grad.numpy()
        worst = max(
            worst,
            float(np.abs(ours.weights.value.grad.to_numpy() - (weight.T if transposed else weight)).max()),
            float(np.abs(ours.bias.value.grad.to_numpy().ravel() - theirs.bias.grad.numpy()).max()),
        )
    return worst


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(name: str, run_minitorch: Callable[[], Any], run_torch: Callable[[], Any], rounds: int,
            repeats: int) -> Result:
    """Interleaved rounds; each round times ``repeats`` calls of each engine (order alternating)."""
    ours, theirs, ratios = [], [], []
    for r in range(rounds):
        pair = [(0, run_minitorch), (1, run_torch)]
        times = [0.0, 0.0]
        for index, fn in pair if r % 2 == 0 else pair[::-1]:
            times[index] = min(timed(fn) for _ in range(repeats))
        ours.append(times[0])
        theirs.append(times[1])
        ratios.append(times[0] / times[1])
    return Result(name, statistics.median(ours), statistics.median(theirs), statistics.median(ratios),
                  TARGETS[name])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.conv", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds (default: 9)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, for a smoke run")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    torch.set_num_threads(1)

    conv_mt, conv_torch = conv2d_workload()
    for a, b in zip(conv_mt(), conv_torch(), strict=True):  # warm-up and agreement
        np.testing.assert_allclose(a, b, atol=1e-9)
    epoch_mt, epoch_torch = epoch_workload()
    epoch_mt(), epoch_torch()  # warm-up
    difference = gradient_difference()
    if difference > 1e-9:
        raise SystemExit(f"the CNNs disagree: gradients differ by {difference:.1e}")
    print(f"agreement: conv2d outputs and gradients within 1e-9; CNN gradients on one minibatch "
          f"within {difference:.1e}")
    results = [
        compare("conv2d", conv_mt, conv_torch, rounds, repeats=5),
        compare("epoch", epoch_mt, epoch_torch, rounds, repeats=1),
    ]
    print(f"{'workload':<10}{'minitorch':>14}{'torch':>14}{'ratio':>9}{'target':>9}")
    met = True
    for r in results:
        ok = r.ratio <= r.target
        met &= ok
        print(f"{r.name:<10}{r.minitorch_s * 1e3:>11.2f} ms{r.torch_s * 1e3:>11.2f} ms{r.ratio:>8.2f}x"
              f"{'<= ' + format(r.target, 'g') + 'x':>9} {'met' if ok else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
