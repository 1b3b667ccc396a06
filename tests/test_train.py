"""Tests of ``minitorch train``: the training library, the command line and the plot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minitorch.cli as cli
from minitorch import Scalar, datasets, draw
from minitorch.train import (
    EpochStats,
    Linear,
    Network,
    TrainConfig,
    TrainingDivergedError,
    TrainResult,
    example_loss,
    log_loss,
    predict_proba,
    train,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# A run small enough for a unit test (well under a second of CPU) on which training visibly helps.
SMALL = ["--dataset", "Xor", "--points", "16", "--hidden", "5", "--epochs", "40", "--seed", "0"]
SMALL_CONFIG = TrainConfig(dataset="Xor", points=16, hidden=5, epochs=40, seed=0)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[TrainResult]:
    """Make ``cli.main`` record the :class:`TrainResult` of each run it starts."""
    results: list[TrainResult] = []

    def recording_train(*args: Any, **kwargs: Any) -> TrainResult:
        result = train(*args, **kwargs)
        results.append(result)
        return result

    monkeypatch.setattr(cli, "train", recording_train)
    return results


def assert_valid_png(path: Path) -> None:
    matplotlib_image = pytest.importorskip("matplotlib.image")
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    pixels = matplotlib_image.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100


# ## The command line, end to end


def test_cli_train_small_run_improves_and_writes_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recorded: list[TrainResult]
) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "run.png"
    assert cli.main(["train", *SMALL, "--out", str(out)]) == 0

    (result,) = recorded
    assert len(result.accuracies) == len(result.losses) == 40
    assert result.accuracy > result.accuracies[0] + 0.2
    assert result.losses[-1] < result.losses[0]
    assert_valid_png(out)
    stdout = capsys.readouterr().out
    assert f"final accuracy: {result.accuracy:.1%}" in stdout
    assert "time:" in stdout and f"plot: {out}" in stdout


def test_cli_train_no_plot_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["train", *SMALL, "--epochs", "2", "--no-plot", "--no-progress"]) == 0
    assert list(tmp_path.iterdir()) == []
    captured = capsys.readouterr()
    assert "final accuracy" in captured.out and captured.err == ""


def test_cli_train_rejects_unknown_dataset_listing_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["train", "--dataset", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--dataset" in err and "'nope'" in err
    for name in datasets:
        assert name in err


def test_cli_train_accepts_dataset_name_in_any_case(recorded: list[TrainResult]) -> None:
    args = ["train", *SMALL, "--dataset", "xOR", "--epochs", "1", "--no-plot", "--no-progress"]
    assert cli.main(args) == 0
    assert recorded[0].config.dataset == "Xor"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--points", "0"),
        ("--points", "many"),
        ("--hidden", "-3"),
        ("--epochs", "0"),
        ("--epochs", "1.5"),
        ("--lr", "0"),
        ("--lr", "-0.1"),
        ("--lr", "nan"),
        ("--lr", "inf"),
        ("--seed", "x"),
        ("--optimizer", "rmsprop"),
    ],
    ids=lambda v: str(v),
)
def test_cli_train_rejects_bad_option(
    option: str, value: str, capsys: pytest.CaptureFixture[str], recorded: list[TrainResult]
) -> None:
    assert cli.main(["train", option, value]) == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and value in err
    assert recorded == []  # rejected before any training


def test_cli_train_rejects_out_in_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recorded: list[TrainResult]
) -> None:
    out = tmp_path / "missing" / "run.png"
    assert cli.main(["train", *SMALL, "--out", str(out)]) == 2
    assert "--out" in capsys.readouterr().err
    assert recorded == []


def test_cli_without_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_cli_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["train", "--help"]) == 0
    assert "--optimizer" in capsys.readouterr().out


def test_python_dash_m_minitorch_train_help() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "minitorch", "train", "--help"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "usage: minitorch train" in run.stdout
    for option in ("--dataset", "--points", "--hidden", "--epochs", "--lr", "--optimizer",
                   "--seed", "--out"):
        assert option in run.stdout


def test_import_minitorch_does_not_import_matplotlib_or_tqdm() -> None:
    code = (
        "import sys, minitorch, minitorch.cli, minitorch.train, minitorch.plotting; "
        "print(sorted(m for m in ('matplotlib', 'tqdm') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_cli_train_without_matplotlib_says_how_to_install(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    recorded: list[TrainResult],
) -> None:
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    assert cli.main(["train", *SMALL, "--out", str(tmp_path / "run.png")]) == 1
    err = capsys.readouterr().err
    assert "matplotlib" in err and 'pip install "minitorch[plot]"' in err
    assert recorded == []  # it fails before training, not after
    assert not (tmp_path / "run.png").exists()


def test_cli_train_progress_falls_back_without_tqdm(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    assert cli.main(["train", *SMALL, "--epochs", "3", "--no-plot"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("\repoch ") and err.endswith("\n")
    assert "epoch 3/3" in err and "loss" in err and "accuracy" in err


def test_cli_train_reports_divergence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["train", *SMALL, "--lr", "1000", "--no-plot", "--no-progress"]
    with pytest.warns(RuntimeWarning, match="log"):
        assert cli.main(args) == 1
    assert "lower the learning rate" in capsys.readouterr().err


# ## The library


def test_train_is_deterministic_for_a_seed() -> None:
    config = TrainConfig(dataset="Xor", points=12, hidden=4, epochs=8, seed=7)
    first, second = train(config), train(config)
    assert first.losses == second.losses
    assert first.accuracies == second.accuracies
    assert first.data == second.data
    assert [p.value.data for p in first.model.parameters()] == [
        p.value.data for p in second.model.parameters()
    ]
    other = train(TrainConfig(dataset="Xor", points=12, hidden=4, epochs=8, seed=8))
    assert other.losses != first.losses and other.data != first.data


def test_train_does_not_use_global_random_state() -> None:
    import random

    state = random.getstate()
    train(TrainConfig(dataset="Xor", points=8, hidden=3, epochs=2, seed=3))
    assert random.getstate() == state


def test_train_calls_on_epoch_once_per_epoch() -> None:
    seen: list[EpochStats] = []
    result = train(TrainConfig(dataset="Simple", points=8, hidden=3, epochs=4), on_epoch=seen.append)
    assert [s.epoch for s in seen] == [1, 2, 3, 4] and {s.epochs for s in seen} == {4}
    assert [s.loss for s in seen] == result.losses
    assert [s.accuracy for s in seen] == result.accuracies


def test_train_adam_learns() -> None:
    result = train(TrainConfig(dataset="Simple", points=16, hidden=4, epochs=15, optimizer="adam"))
    assert result.config.learning_rate == 0.05
    assert result.loss < result.losses[0]


def test_train_raises_when_the_loss_diverges() -> None:
    with (
        pytest.warns(RuntimeWarning),
        pytest.raises(TrainingDivergedError, match="lower the learning rate"),
    ):
        train(TrainConfig(points=10, hidden=3, epochs=10, lr=1000.0))


@pytest.mark.parametrize(
    ("field", "value"),
    [("dataset", "nope"), ("optimizer", "sgdd"), ("points", 0), ("hidden", -1), ("epochs", 2.5),
     ("lr", 0.0), ("lr", float("nan"))],
    ids=lambda v: str(v),
)
def test_train_config_rejects_bad_values_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"TrainConfig: .*{field}"):
        TrainConfig(**{field: value})  # type: ignore[arg-type]  # deliberately wrong values


def test_network_has_the_course_parameter_names() -> None:
    import random

    net = Network(hidden=3, rng=random.Random(0))
    names = [name for name, _ in net.named_parameters()]
    assert names[:3] == ["layer1.weight_0_0", "layer1.weight_0_1", "layer1.weight_0_2"]
    assert "layer1.bias_2" in names and "layer3.weight_2_0" in names and "layer3.bias_0" in names
    assert len(names) == (2 * 3 + 3) + (3 * 3 + 3) + (3 + 1)


def test_network_first_layer_kinks_cross_the_unit_square() -> None:
    import random

    net = Network(hidden=8, rng=random.Random(0))
    weights, bias = net.layer1.matrices()
    # Unit j is zero where w_j . x + b_j = 0; at the square's corners it takes both signs.
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    values = corners @ weights + bias
    assert np.all(values.min(axis=0) < 0.0) and np.all(values.max(axis=0) > 0.0)


def test_linear_rejects_wrong_number_of_inputs() -> None:
    import random

    layer = Linear(3, 2, random.Random(0))
    with pytest.raises(ValueError, match="takes 3 input"):
        layer.forward([Scalar(1.0)])


def test_predict_proba_matches_the_scalar_network() -> None:
    result = train(TrainConfig(dataset="Circle", points=10, hidden=4, epochs=3))
    points = np.array(result.data.X)
    expected = [result.model.forward((Scalar(x1), Scalar(x2))).data for x1, x2 in points]
    np.testing.assert_allclose(predict_proba(result.model, points), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="shape"):
        predict_proba(result.model, [0.1, 0.2])


def test_log_loss_is_minus_log_of_the_probability_of_the_label() -> None:
    assert log_loss(Scalar(0.25), 1).data == pytest.approx(-np.log(0.25))
    assert log_loss(Scalar(0.25), 0).data == pytest.approx(-np.log(0.75))


def test_save_training_plot_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from minitorch.plotting import save_training_plot

    result = train(TrainConfig(dataset="Simple", points=8, hidden=3, epochs=2))
    out = save_training_plot(result, tmp_path / "plot.anything", resolution=20)
    assert_valid_png(out)


# ## The default configuration (about half a minute of CPU)


@pytest.mark.slow
def test_cli_train_defaults_reach_95_percent_on_xor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: list[TrainResult]
) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["train"]) == 0
    (result,) = recorded
    assert result.config == TrainConfig()
    assert (result.config.dataset, len(result.data.X), result.config.hidden) == ("Xor", 50, 10)
    assert result.accuracy >= 0.95
    assert_valid_png(tmp_path / "minitorch-train.png")


def test_cli_train_progress_line_ends_on_the_printed_final_loss(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The progress line shows each epoch's loss before its update; it must end on the final loss."""
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the plain progress line
    assert cli.main(["train", *SMALL, "--epochs", "3", "--no-plot"]) == 0
    captured = capsys.readouterr()
    final = captured.out.split("final loss ")[1].split()[0]
    assert f"loss {final}" in captured.err.rsplit("\r", 1)[-1]


def test_example_loss_names_parameters_with_their_layer() -> None:
    result = train(TrainConfig(dataset="Simple", points=4, hidden=2, epochs=1))
    labels = draw(example_loss(result))
    for layer in ("layer1", "layer2", "layer3"):
        assert f"{layer}.weight_0_0" in labels
    assert "{weight_0_0" not in labels  # no bare name, repeated once per layer
