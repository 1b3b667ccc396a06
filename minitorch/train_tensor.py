"""Train tensor networks: a small CNN or an MLP on the 8x8 digits, an MLP on the 2-D toy datasets.

The library half of ``minitorch train --model cnn|mlp``. The digits are scikit-learn's bundled copy
of the UCI handwritten digits (1,797 images of 8x8 pixels, no download; ``pip install
"minitorch[data]"``). A fixed fraction is held out, stratified by class, and never trained on.
Training is minibatch gradient descent (Adam by default) on the mean negative log-likelihood of a
log-softmax output. Nothing here prints: :func:`train_tensor` returns a :class:`TensorTrainResult`
and reports each epoch through an optional callback.

Examples:
    >>> config = TensorTrainConfig(model="mlp", dataset="Simple", points=40, epochs=3, hidden=8)
    >>> result = train_tensor(config)
    >>> len(result.test_accuracies), 0.0 <= result.accuracy <= 1.0
    (3, True)
"""

from __future__ import annotations

import importlib
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .autodiff import no_grad
from .datasets import datasets
from .layers import Conv2d, Linear
from .module import Module
from .nn import logsoftmax, maxpool2d
from .optim import SGD, Adam
from .tensor import Tensor, tensor_from_numpy
from .train import EpochStats, TrainingDivergedError

__all__ = [
    "DIGITS", "TENSOR_MODELS", "DEFAULT_EPOCHS", "DEFAULT_TENSOR_LR", "TensorTrainConfig",
    "DataSplit", "TensorTrainResult", "MLP", "DigitsCNN", "load_digits_split", "toy_split",
    "nll_loss", "cosine_learning_rate", "train_tensor",
]

Array = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]

DIGITS = "digits"
"""The name of scikit-learn's 8x8 digits for :class:`TensorTrainConfig` (and ``--dataset``)."""

TENSOR_MODELS = ("mlp", "cnn")
"""The tensor models :class:`TensorTrainConfig` accepts."""

DEFAULT_EPOCHS = {"mlp": 20, "cnn": 20, "toy": 100}
"""The number of epochs when :attr:`TensorTrainConfig.epochs` is ``None``: per model on the digits,
and ``"toy"`` for the MLP on a toy dataset (a few hundred points, so an epoch is a few steps)."""

DEFAULT_TENSOR_LR = {"mlp": 0.01, "cnn": 0.005}
"""Adam's learning rate for each model when :attr:`TensorTrainConfig.lr` is ``None``; plain SGD
takes ten times as much."""


@dataclass(frozen=True)
class TensorTrainConfig:
    """What to train with tensors.

    Args:
        model: ``"cnn"`` (digits only) or ``"mlp"``.
        dataset: ``"digits"`` or a toy dataset name (``"Xor"``, ``"Spiral"``, ...; MLP only).
        epochs: passes over the training set; ``None`` picks :data:`DEFAULT_EPOCHS`.
        batch_size: examples per gradient step.
        lr: the learning rate; ``None`` picks :data:`DEFAULT_TENSOR_LR` for the optimizer.
        optimizer: ``"adam"`` or ``"sgd"``.
        hidden: the width of the MLP's two hidden layers.
        points: the number of training (and of held-out) points of a toy dataset.
        seed: seeds the split, the initial weights, the batch order and dropout.
        test_fraction: the fraction of the digits held out.

    Raises:
        ValueError: naming the field, if a value is out of range or a name is unknown.

    Examples:
        >>> TensorTrainConfig(model="cnn", dataset="Xor")
        Traceback (most recent call last):
        ...
        ValueError: TensorTrainConfig: the cnn model needs images (dataset 'digits'), got 'Xor'
    """

    model: str = "cnn"
    dataset: str = DIGITS
    epochs: int | None = None
    batch_size: int = 32
    lr: float | None = None
    optimizer: str = "adam"
    hidden: int = 64
    points: int = 200
    seed: int = 0
    test_fraction: float = 0.2

    def __post_init__(self) -> None:
        name = "TensorTrainConfig"
        if self.model not in TENSOR_MODELS:
            raise ValueError(
                f"{name}: unknown model {self.model!r}; choose one of {', '.join(TENSOR_MODELS)}"
            )
        if self.dataset != DIGITS and self.dataset not in datasets:
            raise ValueError(
                f"{name}: unknown dataset {self.dataset!r}; choose {DIGITS!r} or one of "
                f"{', '.join(datasets)}"
            )
        if self.model == "cnn" and self.dataset != DIGITS:
            raise ValueError(f"{name}: the cnn model needs images (dataset {DIGITS!r}), got {self.dataset!r}")
        if self.optimizer not in ("adam", "sgd"):
            raise ValueError(f"{name}: unknown optimizer {self.optimizer!r}; choose adam or sgd")
        for field_name in ("epochs", "batch_size", "hidden", "points"):
            value = getattr(self, field_name)
            if value is None and field_name == "epochs":
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name}: {field_name} must be a positive integer, got {value!r}")
        if self.lr is not None and not (isinstance(self.lr, (int, float)) and 0.0 < self.lr < math.inf):
            raise ValueError(f"{name}: lr must be a positive finite number (or None), got {self.lr!r}")
        if not 0.0 < self.test_fraction < 1.0:
            raise ValueError(f"{name}: test_fraction must be between 0 and 1, got {self.test_fraction!r}")

    @property
    def epoch_count(self) -> int:
        """``epochs``, or the default from :data:`DEFAULT_EPOCHS`."""
        if self.epochs is not None:
            return self.epochs
        return DEFAULT_EPOCHS[self.model if self.dataset == DIGITS else "toy"]

    @property
    def learning_rate(self) -> float:
        """``lr``, or the default from :data:`DEFAULT_TENSOR_LR` (times 10 for SGD)."""
        if self.lr is not None:
            return float(self.lr)
        return DEFAULT_TENSOR_LR[self.model] * (10.0 if self.optimizer == "sgd" else 1.0)


@dataclass
class DataSplit:
    """Training and held-out examples: ``x`` as float arrays (images ``n x 1 x h x w``), ``y`` labels."""

    train_x: Array
    train_y: Labels
    test_x: Array
    test_y: Labels
    classes: int


def _sklearn_datasets() -> Any:
    try:
        return importlib.import_module("sklearn.datasets")
    except ImportError:
        raise ModuleNotFoundError(
            "the digits dataset needs scikit-learn: pip install \"minitorch[data]\" "
            "(or pip install scikit-learn)"
        ) from None


def load_digits_split(seed: int = 0, test_fraction: float = 0.2) -> DataSplit:
    """scikit-learn's 8x8 digits scaled to [0, 1], split per class into training and held-out sets.

    Raises:
        ModuleNotFoundError: if scikit-learn is not installed (the message names the extra).
    """
    digits = _sklearn_datasets().load_digits()
    images = np.asarray(digits.images, dtype=np.float64)[:, None, :, :] / 16.0
    labels = np.asarray(digits.target, dtype=np.int64)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):  # stratified: the same fraction of every digit
        members = rng.permutation(np.flatnonzero(labels == label))
        test[members[: round(test_fraction * len(members))]] = True
    return DataSplit(images[~test], labels[~test], images[test], labels[test], classes=10)


def toy_split(name: str, points: int, seed: int = 0) -> DataSplit:
    """``points`` training and ``points`` held-out points of a toy dataset (independent draws)."""
    master = random.Random(seed)
    train, test = (datasets[name](points, rng=random.Random(master.getrandbits(64))) for _ in range(2))
    return DataSplit(
        np.array(train.X, dtype=np.float64), np.array(train.y, dtype=np.int64),
        np.array(test.X, dtype=np.float64), np.array(test.y, dtype=np.int64), classes=2,
    )


class MLP(Module):
    """Two hidden ReLU layers of ``hidden`` units and ``classes`` outputs (log-probabilities)."""

    def __init__(self, in_size: int, hidden: int, classes: int) -> None:
        super().__init__()
        self.layer1 = Linear(in_size, hidden)
        self.layer2 = Linear(hidden, hidden)
        self.layer3 = Linear(hidden, classes)

    def forward(self, x: Tensor) -> Tensor:
        """``x`` is ``batch x features`` (images are flattened); returns ``batch x classes``."""
        if x.dims > 2:
            x = x.contiguous().view(x.shape[0], x.size // x.shape[0])
        h = self.layer1(x).relu()
        h = self.layer2(h).relu()
        return logsoftmax(self.layer3(h), 1)


class DigitsCNN(Module):
    """A LeNet-style network for 8x8 digits.

    ``conv 3x3 (16 channels) -> ReLU -> max-pool 2x2 -> conv 3x3 (32) -> ReLU -> max-pool 2x2 ->
    linear 64 -> ReLU -> linear 10 -> log-softmax`` (about 17,000 parameters).
    """

    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        self.conv1 = Conv2d(1, 16, (3, 3))
        self.conv2 = Conv2d(16, 32, (3, 3))
        self.fc1 = Linear(32 * 2 * 2, 64)
        self.fc2 = Linear(64, classes)

    def forward(self, x: Tensor) -> Tensor:
        """``x`` is ``batch x 1 x 8 x 8``; returns ``batch x classes`` log-probabilities."""
        batch = x.shape[0]
        h = maxpool2d(self.conv1(x).relu(), (2, 2))
        h = maxpool2d(self.conv2(h).relu(), (2, 2))
        h = self.fc1(h.view(batch, 32 * 2 * 2)).relu()
        return logsoftmax(self.fc2(h), 1)


def nll_loss(log_probabilities: Tensor, labels: Labels) -> Tensor:
    """The mean negative log-likelihood ``-mean_i log p_i[label_i]`` (a one-element tensor)."""
    batch, classes = log_probabilities.shape
    one_hot = np.zeros((batch, classes))
    one_hot[np.arange(batch), labels] = 1.0
    total = (log_probabilities * tensor_from_numpy(one_hot)).sum()
    return -total / float(batch)


@dataclass
class TensorTrainResult:
    """Everything a tensor training run produced.

    Attributes:
        config: the configuration that was run.
        data: the training and held-out examples.
        model: the trained network.
        train_losses: the mean training loss of each epoch (over its minibatches, during training).
        train_accuracies: the training accuracy of each epoch (over its minibatches).
        test_losses: the held-out loss after each epoch.
        test_accuracies: the held-out accuracy after each epoch.
        predictions: the trained model's class for each held-out example.
        accuracy: the final held-out accuracy.
        seconds: the wall time of training and evaluation.
        cpu_seconds: the CPU time of this process over the same span.
    """

    config: TensorTrainConfig
    data: DataSplit
    model: Module
    train_losses: list[float] = field(default_factory=list)
    train_accuracies: list[float] = field(default_factory=list)
    test_losses: list[float] = field(default_factory=list)
    test_accuracies: list[float] = field(default_factory=list)
    predictions: Labels = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    accuracy: float = math.nan
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def _evaluate(model: Module, x: Array, y: Labels, batch_size: int = 512) -> tuple[float, Labels]:
    """Held-out loss and predictions, without recording a graph, in evaluation mode."""
    model.eval()
    losses, predictions = [], []
    with no_grad():
        for start in range(0, len(y), batch_size):
            out = model(tensor_from_numpy(x[start : start + batch_size]))
            losses.append(nll_loss(out, y[start : start + batch_size]).item() * out.shape[0])
            predictions.append(out.to_numpy().argmax(axis=1))
    model.train()
    return float(sum(losses) / len(y)), np.concatenate(predictions).astype(np.int64)


def cosine_learning_rate(lr: float, epoch: int, epochs: int) -> float:
    """The learning rate of ``epoch`` (from 1) under cosine decay: ``lr`` at first, near 0 at the end.

    ``lr * (1 + cos(pi * (epoch - 1) / epochs)) / 2``: large steps while far from a minimum, small
    ones at the end, so the last epochs settle instead of jumping between minibatch minima.

    Examples:
        >>> [round(cosine_learning_rate(1.0, e, 4), 3) for e in range(1, 5)]
        [1.0, 0.854, 0.5, 0.146]
    """
    return lr * (1.0 + math.cos(math.pi * (epoch - 1) / epochs)) / 2.0


def _build(config: TensorTrainConfig, data: DataSplit) -> Module:
    if config.model == "cnn":
        return DigitsCNN(data.classes)
    features = int(np.prod(data.train_x.shape[1:]))
    return MLP(features, config.hidden, data.classes)


def train_tensor(
    config: TensorTrainConfig | None = None,
    on_epoch: Callable[[EpochStats], None] | None = None,
) -> TensorTrainResult:
    """Train a tensor network with minibatches and report held-out accuracy after every epoch.

    Args:
        config: what to train; ``None`` means the CNN on the digits with the defaults.
        on_epoch: called after every epoch with the mean training loss and the held-out accuracy.

    Raises:
        TrainingDivergedError: if the loss becomes infinite or NaN; lower the learning rate.
        ModuleNotFoundError: for the digits without scikit-learn.
    """
    config = TensorTrainConfig() if config is None else config
    if config.dataset == DIGITS:
        data = load_digits_split(config.seed, config.test_fraction)
    else:
        data = toy_split(config.dataset, config.points, config.seed)
    random.seed(config.seed)  # the initial weights and dropout draw from Python's random
    model = _build(config, data)
    parameters = model.parameters()
    optimizer: Adam | SGD = (
        Adam(parameters, lr=config.learning_rate) if config.optimizer == "adam"
        else SGD(parameters, lr=config.learning_rate)
    )
    order_rng = np.random.default_rng(config.seed)
    result = TensorTrainResult(config=config, data=data, model=model)
    epochs, n = config.epoch_count, len(data.train_y)

    start, cpu_start = time.perf_counter(), time.process_time()
    for epoch in range(1, epochs + 1):
        optimizer.lr = cosine_learning_rate(config.learning_rate, epoch, epochs)
        total_loss, correct = 0.0, 0
        for batch in np.array_split(order_rng.permutation(n), math.ceil(n / config.batch_size)):
            labels = data.train_y[batch]
            optimizer.zero_grad()
            out = model(tensor_from_numpy(data.train_x[batch]))
            loss = nll_loss(out, labels)
            value = loss.item()
            if not math.isfinite(value):
                raise TrainingDivergedError(
                    f"train_tensor: the loss became {value} at epoch {epoch} of {epochs} "
                    f"(lr={config.learning_rate}, optimizer={config.optimizer}); lower the learning rate"
                )
            loss.backward()
            optimizer.step()
            total_loss += value * len(batch)
            correct += int((out.to_numpy().argmax(axis=1) == labels).sum())
        test_loss, predictions = _evaluate(model, data.test_x, data.test_y)
        accuracy = float((predictions == data.test_y).mean())
        result.train_losses.append(total_loss / n)
        result.train_accuracies.append(correct / n)
        result.test_losses.append(test_loss)
        result.test_accuracies.append(accuracy)
        result.predictions, result.accuracy = predictions, accuracy
        if on_epoch is not None:
            on_epoch(EpochStats(epoch, epochs, total_loss / n, accuracy))
    result.seconds = time.perf_counter() - start
    result.cpu_seconds = time.process_time() - cpu_start
    return result
