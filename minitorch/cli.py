"""The ``minitorch`` command line (also ``python -m minitorch``).

Each job is a subcommand with its own options: ``minitorch train``, and for teaching
``minitorch assign student`` and ``minitorch assign grade`` (their parser lives in
``minitorch.assign.cli``). A new job is a function that adds its parser in
:func:`build_parser` and a handler ``(args) -> exit code``.

Exit codes: 0 on success, 1 when the job fails (training diverged, a file could not be written, an
optional dependency is missing), 2 for a bad command line (argparse's convention).

Examples:
    >>> main(["train", "--dataset", "Simple", "--points", "10", "--hidden", "2", "--epochs", "2",
    ...       "--no-plot", "--no-progress"])  # doctest: +ELLIPSIS
    Simple, 10 points, hidden 2, sgd lr 0.4, 2 epochs, seed 0
    final accuracy: ...% (.../10 points), final loss ...
    time: ... s (... ms per epoch)
    0
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from .assign.cli import add_assign_parser
from .assign.tasks import stub_task
from .datasets import MIN_POINTS, datasets
from .train import (
    DEFAULT_LR,
    OPTIMIZERS,
    EpochStats,
    TrainConfig,
    TrainingDivergedError,
    train,
)
from .train_tensor import DIGITS, TENSOR_MODELS, TensorTrainConfig, train_tensor

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (the console script ``minitorch``).

    Args:
        argv: the arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns:
        0 on success, 1 if the job failed, 2 if the command line was wrong.

    Examples:
        >>> main(["train", "--epochs", "0"])
        2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits on --help (0) and on errors (2)
        return _exit_code(stop)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SystemExit as stop:  # a handler's parser.error(...)
        return _exit_code(stop)
    except NotImplementedError as error:  # in a student's copy: the stub of a task not done yet
        task = stub_task(error)
        if task is None:
            raise
        print(
            f"minitorch {args.command}: error: {error}\n"
            f"This command runs code that task {task} writes, and it is still a stub in this copy. "
            f"Write it, then check it with: .venv/bin/minitorch assign grade . --task {task}",
            file=sys.stderr,
        )
        return 1


def _exit_code(stop: SystemExit) -> int:
    """The integer exit code carried by ``SystemExit`` (``None`` means 0, a message means 1)."""
    if stop.code is None:
        return 0
    return stop.code if isinstance(stop.code, int) else 1


def build_parser() -> argparse.ArgumentParser:
    """The ``minitorch`` parser, with one subparser per job."""
    parser = argparse.ArgumentParser(
        prog="minitorch",
        description="minitorch: automatic differentiation you can read.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True
    _add_train_parser(commands)
    add_assign_parser(commands)
    return parser


def _version() -> str:
    try:
        return metadata.version("minitorch")
    except metadata.PackageNotFoundError:
        return "(not installed)"


# ## minitorch train


def _add_train_parser(commands: Any) -> None:
    defaults = TrainConfig()
    train_parser = commands.add_parser(
        "train",
        help="train the course's scalar network on a toy dataset and plot the result",
        description=(
            "Train the course's network (2 inputs, two hidden ReLU layers, a sigmoid output, "
            "every weight a Scalar) on one of the toy datasets with full-batch gradient descent "
            "on the mean log-loss. Shows a progress bar, prints the final accuracy and the time "
            "taken, and writes a PNG of the loss curve and the decision boundary."
        ),
    )
    train_parser.add_argument(
        "--dataset", type=_dataset_name, choices=[*datasets, DIGITS], default=defaults.dataset,
        help="the dataset to learn (default: %(default)s); digits: scikit-learn's 8x8 digits "
        "(pip install \"minitorch[data]\")",
    )
    train_parser.add_argument(
        "--model", choices=["network", *TENSOR_MODELS], default=None,
        help="network: the course's Scalar network (toy datasets); mlp, cnn: tensor networks "
        "trained with minibatches and a held-out split (default: cnn for digits, else network)",
    )
    train_parser.add_argument(
        "--batch-size", type=_positive_int, default=None, metavar="N",
        help="examples per step for mlp and cnn (default: 32)",
    )
    train_parser.add_argument(
        "--points", type=_positive_int, default=None, metavar="N",
        help=f"the number of training points (default: {defaults.points}; mlp: 200, and as many "
        "held out)",
    )
    train_parser.add_argument(
        "--hidden", type=_positive_int, default=None, metavar="N",
        help=f"the width of both hidden layers (default: {defaults.hidden}; mlp: 64)",
    )
    train_parser.add_argument(
        "--epochs", type=_positive_int, default=None, metavar="N",
        help=f"the number of passes over the training set (default: {defaults.epochs} full-batch "
        "steps for the network; mlp and cnn: 20 on the digits, mlp: 100 on a toy dataset)",
    )
    lr_defaults = ", ".join(f"{lr:g} for {name}" for name, lr in DEFAULT_LR.items())
    train_parser.add_argument(
        "--lr", type=_positive_float, default=None, metavar="RATE",
        help=f"the learning rate (default: {lr_defaults}; with adam, 0.01 for mlp and 0.005 for "
        "cnn, ten times that with sgd)",
    )
    train_parser.add_argument(
        "--optimizer", choices=OPTIMIZERS, default=None,
        help=f"the optimizer (default: {defaults.optimizer}; mlp and cnn: adam)",
    )
    train_parser.add_argument(
        "--seed", type=int, default=defaults.seed, metavar="N",
        help="seeds the dataset and the initial weights, so a run can be repeated (default: %(default)s)",
    )
    train_parser.add_argument(
        "--out", type=Path, default=Path("minitorch-train.png"), metavar="FILE",
        help="where to write the plot: a .png, .svg or .pdf file (default: %(default)s; needs "
        "matplotlib: pip install \"minitorch[plot]\")",
    )
    train_parser.add_argument(
        "--no-plot", action="store_true", help="do not draw or write the PNG",
    )
    train_parser.add_argument(
        "--no-progress", action="store_true", help="do not show the progress bar",
    )
    train_parser.add_argument(
        "--graph", type=Path, default=None, metavar="FILE",
        help="also draw the graph of the first training point's loss after training: .dot or .mmd "
        "text, or a .svg/.png/.pdf image (needs graphviz: pip install graphviz, and Graphviz's dot)",
    )
    train_parser.set_defaults(handler=_run_train, parser=train_parser)


def _dataset_name(text: str) -> str:
    """Accept a dataset name in any case (``xor`` -> ``Xor``); argparse's choices check the rest."""
    by_lower = {name.lower(): name for name in [*datasets, DIGITS]}
    return by_lower.get(text.lower(), text)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer (1 or more), got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not 0.0 < value < float("inf"):  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


MAX_GRAPH_OPERATIONS = 10_000_000
"""The largest graph ``minitorch train`` builds per epoch (about 2 GB of Scalars)."""


def graph_operations(points: int, hidden: int) -> int:
    """About how many Scalar operations one epoch builds: per point, two operations (a multiply
    and an add) per weight of the 2-hidden-hidden-1 network, plus the activations and the loss.

    Examples:
        >>> graph_operations(50, 10)
        14500
    """
    weights = 2 * hidden + hidden * hidden + hidden
    return points * (2 * weights + 2 * hidden + 10)


PLOT_SUFFIXES = (".png", ".svg", ".pdf")
"""The file types ``--out`` can write (matplotlib picks the format from the suffix)."""


def _check_writable(parser: argparse.ArgumentParser, option: str, path: Path) -> None:
    """Refuse (exit 2) a path that cannot be written, before any training starts."""
    if not path.parent.is_dir():
        parser.error(f"argument {option}: the folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        parser.error(f"argument {option}: {str(path)!r} is a folder; give a file name")
    existed = path.exists()
    try:
        with path.open("a"):
            pass
    except OSError as error:
        parser.error(f"argument {option}: {str(path)!r} cannot be written ({error.strerror})")
    if not existed:
        path.unlink()


def _run_train(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    out: Path | None = None if args.no_plot else args.out
    if out is not None:
        if out.suffix.lower() not in PLOT_SUFFIXES:
            parser.error(
                f"argument --out: {str(out)!r} does not end in {', '.join(PLOT_SUFFIXES)}; the plot "
                "is an image, so name it like minitorch-train.png"
            )
        _check_writable(parser, "--out", out)
    model = args.model or ("cnn" if args.dataset == DIGITS else "network")
    if model != "network":
        return _run_train_tensor(args, model, out)
    if args.dataset == DIGITS:
        parser.error("argument --model: the scalar network learns 2-D points; use --model cnn or "
                     "--model mlp for the digits")
    if args.batch_size is not None:
        parser.error("argument --batch-size: only for --model mlp or cnn")
    graph_format = None
    if args.graph is not None:
        from .draw import format_for_path

        try:
            graph_format = format_for_path(args.graph)
        except ValueError as error:
            parser.error(f"argument --graph: {error}")
        _check_writable(parser, "--graph", args.graph)
    defaults = TrainConfig()
    points = defaults.points if args.points is None else args.points
    hidden = defaults.hidden if args.hidden is None else args.hidden
    operations = graph_operations(points, hidden)
    if operations > MAX_GRAPH_OPERATIONS:
        parser.error(
            f"arguments --points {points} and --hidden {hidden} would build a graph of "
            f"about {operations:.3g} Scalar operations per epoch (about 200 bytes each), more than "
            f"the {MAX_GRAPH_OPERATIONS:.0e} this command allows; use fewer points or a narrower "
            "network"
        )
    least = MIN_POINTS.get(args.dataset, 1)
    if points < least:
        parser.error(
            f"argument --points: the {args.dataset} dataset needs at least {least} points "
            f"(one per arm), got {points}"
        )
    try:
        config = TrainConfig(
            dataset=args.dataset, points=points, hidden=hidden,
            epochs=defaults.epochs if args.epochs is None else args.epochs,
            lr=args.lr, optimizer=args.optimizer or defaults.optimizer, seed=args.seed,
        )
    except ValueError as error:
        parser.error(str(error))
    try:
        if out is not None:
            # Fail before training, not after a minute of it, when matplotlib is missing.
            from .plotting import require_matplotlib

            require_matplotlib()
        if graph_format not in (None, "dot", "mermaid"):
            from .draw import check_image_support

            check_image_support()  # likewise for graphviz
        print(
            f"{config.dataset}, {config.points} points, hidden {config.hidden}, "
            f"{config.optimizer} lr {config.learning_rate:g}, {config.epochs} epochs, "
            f"seed {config.seed}",
            flush=True,
        )
        progress = _Progress(config.epochs, enabled=not args.no_progress)
        try:
            result = train(config, on_epoch=progress.update)
            # The bar showed each epoch's loss before its update; end it on the trained model's,
            # the "final loss" printed below.
            progress.finish(result.loss, result.accuracy)
        finally:
            progress.close()
        n = len(result.data.X)
        correct = round(result.accuracy * n)
        print(
            f"final accuracy: {result.accuracy:.1%} ({correct}/{n} points), "
            f"final loss {result.loss:.4f}"
        )
        per_epoch = 1000.0 * result.seconds / config.epochs
        print(f"time: {result.seconds:.1f} s ({per_epoch:.0f} ms per epoch)")
        if out is not None:
            from .plotting import save_training_plot

            written = save_training_plot(result, out)
            print(f"plot: {written}")
        if args.graph is not None:
            from .draw import draw
            from .train import example_loss

            draw(example_loss(result), path=args.graph)
            print(f"graph: {args.graph}")
    except (TrainingDivergedError, ModuleNotFoundError, OSError) as error:
        print(f"minitorch train: error: {error}", file=sys.stderr)
        return 1
    return 0


def _run_train_tensor(args: argparse.Namespace, model: str, out: Path | None) -> int:
    """``minitorch train --model mlp|cnn``: minibatch training with a held-out split."""
    parser: argparse.ArgumentParser = args.parser
    if args.graph is not None:
        parser.error("argument --graph: only for the scalar network (--model network)")
    if model == "cnn" and args.dataset != DIGITS:
        parser.error(f"argument --model: cnn needs images; use --dataset {DIGITS} (or --model mlp)")
    defaults = TensorTrainConfig()
    config = TensorTrainConfig(
        model=model, dataset=args.dataset, epochs=args.epochs, lr=args.lr,
        batch_size=args.batch_size or defaults.batch_size,
        optimizer=args.optimizer or defaults.optimizer, hidden=args.hidden or defaults.hidden,
        points=args.points or defaults.points, seed=args.seed,
    )
    try:
        if out is not None:
            from .plotting import require_matplotlib

            require_matplotlib()
        size = "" if config.dataset == DIGITS else f", {config.points} points"
        print(
            f"{config.model} on {config.dataset}{size}, {config.optimizer} lr {config.learning_rate:g} "
            f"(cosine decay), batch {config.batch_size}, {config.epoch_count} epochs, seed {config.seed}",
            flush=True,
        )
        progress = _Progress(config.epoch_count, enabled=not args.no_progress)
        try:
            result = train_tensor(config, on_epoch=progress.update)
        finally:
            progress.close()
        held_out = len(result.data.test_y)
        correct = int((result.predictions == result.data.test_y).sum())
        print(
            f"held-out accuracy: {result.accuracy:.1%} ({correct}/{held_out}), trained on "
            f"{len(result.data.train_y)} examples"
        )
        print(f"time: {result.seconds:.1f} s wall, {result.cpu_seconds:.1f} s CPU")
        if out is not None:
            from .plotting_tensor import save_tensor_training_plot

            print(f"plot: {save_tensor_training_plot(result, out)}")
    except (TrainingDivergedError, ModuleNotFoundError, OSError) as error:
        print(f"minitorch train: error: {error}", file=sys.stderr)
        return 1
    return 0


class _Progress:
    """A live progress line on stderr: tqdm's bar when tqdm is installed, else a ``\\r`` line."""

    # Redraw the fallback line at most this often (seconds), so tiny runs do not flood stderr.
    REFRESH = 0.1

    def __init__(self, total: int, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = sys.stderr if stream is None else stream
        self.bar: Any = None
        self.last_draw = -float("inf")
        self.width = 0
        if enabled:
            try:
                tqdm = importlib.import_module("tqdm")
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm.tqdm(
                    total=total, desc="train", unit="epoch", file=self.stream, leave=True,
                    dynamic_ncols=True,
                )

    def update(self, stats: EpochStats) -> None:
        """Show the epoch, the loss and the accuracy of ``stats``."""
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix_str(
                f"loss {stats.loss:.4f}, accuracy {stats.accuracy:.0%}", refresh=False
            )
            self.bar.update(1)
            return
        now = time.monotonic()
        if now - self.last_draw < self.REFRESH and stats.epoch != stats.epochs:
            return
        self.last_draw = now
        line = (
            f"epoch {stats.epoch}/{stats.epochs}  loss {stats.loss:.4f}  "
            f"accuracy {stats.accuracy:.0%}"
        )
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def finish(self, loss: float, accuracy: float) -> None:
        """Show the loss and accuracy of the trained model (after the last update) on the line."""
        if not self.enabled:
            return
        text = f"after training: loss {loss:.4f}, accuracy {accuracy:.0%}"
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=True)
            return
        self.stream.write("\r" + f"epoch {self.total}/{self.total}  {text}".ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, 1)

    def close(self) -> None:
        """End the progress line (so what follows starts on a new line)."""
        if self.bar is not None:
            self.bar.close()
        elif self.enabled and self.width:
            self.stream.write("\n")
            self.stream.flush()
