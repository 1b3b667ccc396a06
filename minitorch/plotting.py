"""Pictures of a training run: the loss curve and the decision boundary, saved as a PNG.

matplotlib is an optional dependency (the ``plot`` extra). It is imported inside the functions of
this module, never at import time, so ``import minitorch`` works without it. Figures are drawn on
matplotlib's Agg canvas directly, without ``pyplot``: nothing here changes the process-wide backend
or keeps figures alive after they are saved.

Examples:
    >>> from minitorch.train import TrainConfig, train
    >>> import tempfile, pathlib
    >>> result = train(TrainConfig(dataset="Simple", points=10, hidden=2, epochs=3))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = save_training_plot(result, pathlib.Path(tmp) / "run.png")
    ...     path.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from .train import TrainResult, predict_proba

__all__ = ["INSTALL_HINT", "require_matplotlib", "save_training_plot"]

INSTALL_HINT = 'pip install "minitorch[plot]"'
"""The command that installs the optional plotting dependencies."""


def require_matplotlib() -> None:
    """Check that matplotlib can be imported, before any long computation that needs it.

    Raises:
        ModuleNotFoundError: if matplotlib is missing, with the command that installs it.
    """
    _import("matplotlib")


def _import(name: str) -> Any:
    """Import ``name`` (a matplotlib module), or explain how to install matplotlib."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise ModuleNotFoundError(
            f"drawing the training plot needs matplotlib, which is not installed ({error}); "
            f"install it with: {INSTALL_HINT}",
            name="matplotlib",
        ) from error


def save_training_plot(
    result: TrainResult, path: str | os.PathLike[str], *, resolution: int = 200
) -> Path:
    """Save a two-panel PNG: the loss per epoch, and the decision boundary over the points.

    The left panel shows the mean log-loss of each epoch (and the accuracy on a second axis). The
    right panel shades the model's probability of label 1 over the unit square, draws the
    boundary where it is 0.5, and marks each training point by its label; points the model gets
    wrong are ringed in red.

    Args:
        result: what :func:`~minitorch.train.train` returned.
        path: the file to write: SVG or PDF for a ``.svg`` or ``.pdf`` name, else PNG.
        resolution: the number of grid points along each side of the probability map.

    Returns:
        The path written.

    Raises:
        ModuleNotFoundError: if matplotlib is missing (see :data:`INSTALL_HINT`).
        ValueError: if ``resolution`` is smaller than 2.
    """
    if resolution < 2:
        raise ValueError(f"save_training_plot: resolution must be at least 2, got {resolution!r}")
    figure_module = _import("matplotlib.figure")
    agg = _import("matplotlib.backends.backend_agg")

    figure = figure_module.Figure(figsize=(11.0, 4.6), layout="constrained")
    agg.FigureCanvasAgg(figure)
    loss_axes, boundary_axes = figure.subplots(1, 2)
    _draw_losses(loss_axes, result)
    _draw_boundary(figure, boundary_axes, result, resolution)
    config = result.config
    figure.suptitle(
        f"{config.dataset}, {len(result.data.X)} points, hidden {config.hidden}, "
        f"{config.optimizer} lr {config.learning_rate:g}, {config.epochs} epochs, "
        f"seed {config.seed}"
    )
    out = Path(path)
    suffix = out.suffix.lower().lstrip(".")
    figure.savefig(out, format=suffix if suffix in ("png", "svg", "pdf") else "png", dpi=100)
    return out


def _draw_losses(axes: Any, result: TrainResult) -> None:
    """The loss curve on ``axes`` and the accuracy on a twin axis."""
    epochs = np.arange(1, len(result.losses) + 1)
    axes.plot(epochs, result.losses, color="tab:blue", label="mean log-loss")
    axes.set_xlabel("epoch")
    axes.set_ylabel("mean log-loss", color="tab:blue")
    axes.set_xlim(1, max(len(result.losses), 2))
    axes.set_ylim(bottom=0.0)
    axes.set_title("Loss")
    axes.grid(alpha=0.3)
    accuracy_axes = axes.twinx()
    accuracy_axes.plot(
        epochs, np.array(result.accuracies) * 100.0, color="tab:orange", alpha=0.8,
        label="accuracy",
    )
    accuracy_axes.set_ylabel("accuracy (%)", color="tab:orange")
    accuracy_axes.set_ylim(0.0, 100.0)


def _draw_boundary(figure: Any, axes: Any, result: TrainResult, resolution: int) -> None:
    """The probability map, the 0.5 contour and the labelled points on ``axes``."""
    ticks = np.linspace(0.0, 1.0, resolution)
    grid_x, grid_y = np.meshgrid(ticks, ticks)
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    probability = predict_proba(result.model, grid).reshape(grid_x.shape)

    shading = axes.contourf(
        grid_x, grid_y, probability, levels=np.linspace(0.0, 1.0, 11), cmap="RdBu_r", alpha=0.75
    )
    if probability.min() < 0.5 < probability.max():
        axes.contour(grid_x, grid_y, probability, levels=[0.5], colors="black", linewidths=1.5)
    figure.colorbar(shading, ax=axes, label="P(label = 1)")

    points = np.array(result.data.X, dtype=np.float64).reshape(-1, 2)
    labels = np.array(result.data.y)
    predicted = predict_proba(result.model, points) > 0.5
    for label, color, marker in ((0, "tab:blue", "o"), (1, "tab:red", "s")):
        chosen = labels == label
        axes.scatter(
            points[chosen, 0], points[chosen, 1], c=color, marker=marker, edgecolors="black",
            linewidths=0.6, s=36, label=f"label {label}",
        )
    wrong = predicted != (labels == 1)
    if wrong.any():
        axes.scatter(
            points[wrong, 0], points[wrong, 1], facecolors="none", edgecolors="red",
            linewidths=1.5, s=150, label="misclassified",
        )
    axes.set_xlim(0.0, 1.0)
    axes.set_ylim(0.0, 1.0)
    axes.set_aspect("equal")
    axes.set_xlabel("x1")
    axes.set_ylabel("x2")
    axes.set_title(f"Decision boundary: {result.accuracy:.0%} correct")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize="small")
