"""Pictures of a tensor training run (``minitorch train --model cnn|mlp``), saved as a PNG.

Left: the loss and the accuracy per epoch, on the training minibatches and on the held-out set.
Right: held-out examples with the trained model's predictions, mistakes in red: a grid of digits
(every mistake first, then correct ones), or for a toy dataset the held-out points coloured by
prediction. Like :mod:`minitorch.plotting`, matplotlib is imported only when drawing, and figures are
drawn on the Agg canvas without ``pyplot``.

Examples:
    >>> from minitorch.train_tensor import TensorTrainConfig, train_tensor
    >>> import tempfile, pathlib
    >>> result = train_tensor(TensorTrainConfig(model="mlp", dataset="Xor", points=20, epochs=2))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = save_tensor_training_plot(result, pathlib.Path(tmp) / "run.png")
    ...     path.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from .plotting import require_matplotlib
from .train_tensor import DIGITS, TensorTrainResult

__all__ = ["save_tensor_training_plot"]

GRID_ROWS, GRID_COLUMNS = 6, 8
"""The size of the grid of held-out digits."""


def save_tensor_training_plot(result: TensorTrainResult, path: str | os.PathLike[str]) -> Path:
    """Save the curves and the held-out predictions of a tensor training run as a PNG.

    Args:
        result: what :func:`~minitorch.train_tensor.train_tensor` returned.
        path: the file to write (always PNG).

    Returns:
        The path written.

    Raises:
        ModuleNotFoundError: if matplotlib is missing (``pip install "minitorch[plot]"``).
    """
    require_matplotlib()
    figure_module = importlib.import_module("matplotlib.figure")
    agg = importlib.import_module("matplotlib.backends.backend_agg")
    figure = figure_module.Figure(figsize=(14.0, 6.4), layout="constrained")
    agg.FigureCanvasAgg(figure)
    curves, examples = figure.subfigures(1, 2, width_ratios=[1.0, 1.25])
    loss_axes, accuracy_axes = curves.subplots(2, 1, sharex=True)
    _draw_curves(loss_axes, accuracy_axes, result)
    if result.config.dataset == DIGITS:
        _draw_digits(examples, result)
    else:
        _draw_points(examples.subplots(), result)
    config = result.config
    wrong = int((result.predictions != result.data.test_y).sum())
    figure.suptitle(
        f"{config.model} on {config.dataset}: held-out accuracy {result.accuracy:.1%} "
        f"({wrong} of {len(result.data.test_y)} wrong), {config.epoch_count} epochs, "
        f"{config.optimizer} lr {config.learning_rate:g}, batch {config.batch_size}, seed {config.seed}, "
        f"{result.seconds:.1f} s"
    )
    out = Path(path)
    figure.savefig(out, format="png", dpi=90)
    return out


def _draw_curves(loss_axes: Any, accuracy_axes: Any, result: TensorTrainResult) -> None:
    epochs = np.arange(1, len(result.train_losses) + 1)
    loss_axes.plot(epochs, result.train_losses, marker=".", label="training (minibatches)")
    loss_axes.plot(epochs, result.test_losses, marker=".", label="held out")
    loss_axes.set_ylabel("mean negative log-likelihood")
    loss_axes.set_yscale("log")
    loss_axes.set_title("Loss")
    loss_axes.legend()
    loss_axes.grid(alpha=0.3)
    accuracy_axes.plot(epochs, np.array(result.train_accuracies) * 100.0, marker=".", label="training")
    accuracy_axes.plot(epochs, np.array(result.test_accuracies) * 100.0, marker=".", label="held out")
    accuracy_axes.set_xlabel("epoch")
    accuracy_axes.xaxis.set_major_locator(importlib.import_module("matplotlib.ticker").MaxNLocator(integer=True))
    accuracy_axes.set_ylabel("accuracy (%)")
    low = min(min(result.train_accuracies), min(result.test_accuracies)) * 100.0
    accuracy_axes.set_ylim(max(0.0, low - 2.0), 100.5)
    accuracy_axes.set_title("Accuracy")
    accuracy_axes.legend(loc="lower right")
    accuracy_axes.grid(alpha=0.3)


def _draw_digits(subfigure: Any, result: TensorTrainResult) -> None:
    """A grid of held-out digits titled by prediction; mistakes first, in red, with the truth."""
    truth, predicted = result.data.test_y, result.predictions
    wrong = np.flatnonzero(predicted != truth)
    right = np.flatnonzero(predicted == truth)
    shown = np.concatenate([wrong, right])[: GRID_ROWS * GRID_COLUMNS]
    subfigure.suptitle("Held-out digits: predicted label (red: wrong, true label in brackets)")
    for axes, index in zip(subfigure.subplots(GRID_ROWS, GRID_COLUMNS).ravel(), shown, strict=False):
        axes.imshow(result.data.test_x[index, 0], cmap="gray_r", vmin=0.0, vmax=1.0)
        axes.set_xticks([])
        axes.set_yticks([])
        if predicted[index] == truth[index]:
            axes.set_title(f"{predicted[index]}", color="tab:green", fontsize=11)
        else:
            axes.set_title(f"{predicted[index]} ({truth[index]})", color="red", fontsize=11, weight="bold")
            for spine in axes.spines.values():
                spine.set_color("red")
                spine.set_linewidth(2.5)


def _draw_points(axes: Any, result: TensorTrainResult) -> None:
    """The held-out points coloured by predicted class; mistakes ringed in red."""
    x, truth, predicted = result.data.test_x, result.data.test_y, result.predictions
    axes.scatter(x[:, 0], x[:, 1], c=predicted, cmap="coolwarm", vmin=0, vmax=1, s=30)
    wrong = predicted != truth
    axes.scatter(
        x[wrong, 0], x[wrong, 1], facecolors="none", edgecolors="red", s=120, linewidths=1.5,
        label="mistake",
    )
    axes.set_xlim(0.0, 1.0)
    axes.set_ylim(0.0, 1.0)
    axes.set_aspect("equal")
    axes.set_title("Held-out points, coloured by predicted class")
    axes.legend(loc="upper right")
