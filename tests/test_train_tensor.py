"""Tensor training (``minitorch train --model mlp|cnn``): configs, short runs, the plot, the CLI."""

import itertools
from pathlib import Path

import numpy as np
import pytest

from minitorch import tensor_from_numpy
from minitorch.cli import main
from minitorch.train_tensor import (
    DigitsCNN,
    TensorTrainConfig,
    cosine_learning_rate,
    load_digits_split,
    nll_loss,
    toy_split,
    train_tensor,
)


def test_config_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="cnn model needs images"):
        TensorTrainConfig(model="cnn", dataset="Xor")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        TensorTrainConfig(batch_size=0)
    with pytest.raises(ValueError, match="unknown dataset 'mnist'"):
        TensorTrainConfig(dataset="mnist")


def test_cosine_learning_rate_decays_from_lr() -> None:
    rates = [cosine_learning_rate(0.1, e, 10) for e in range(1, 11)]
    assert rates[0] == 0.1 and all(a > b for a, b in itertools.pairwise(rates)) and rates[-1] > 0.0


def test_nll_loss_is_mean_negative_log_probability_of_the_label() -> None:
    logp = np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]))
    loss = nll_loss(tensor_from_numpy(logp), np.array([0, 2]))
    assert loss.item() == pytest.approx(-(np.log(0.5) + np.log(0.8)) / 2)


def test_toy_split_draws_independent_training_and_held_out_points() -> None:
    data = toy_split("Xor", 30, seed=3)
    assert data.train_x.shape == data.test_x.shape == (30, 2)
    assert not np.array_equal(data.train_x, data.test_x)


def test_mlp_learns_a_toy_dataset() -> None:
    result = train_tensor(TensorTrainConfig(model="mlp", dataset="Simple", points=100, epochs=30))
    assert result.accuracy >= 0.9
    assert len(result.test_accuracies) == 30 and result.cpu_seconds > 0.0


def test_digits_split_is_stratified_and_disjoint() -> None:
    pytest.importorskip("sklearn")
    data = load_digits_split(seed=0, test_fraction=0.2)
    assert data.train_x.shape[1:] == (1, 8, 8) and 0.0 <= data.train_x.min() <= data.train_x.max() <= 1.0
    assert len(data.train_y) + len(data.test_y) == 1797
    assert np.all(np.bincount(data.test_y, minlength=10) >= 35)


def test_cnn_shapes_and_a_short_run_on_digits() -> None:
    pytest.importorskip("sklearn")
    model = DigitsCNN()
    assert model(tensor_from_numpy(np.zeros((3, 1, 8, 8)))).shape == (3, 10)
    result = train_tensor(TensorTrainConfig(model="cnn", epochs=2))
    assert result.accuracy > 0.8  # two epochs already learn most digits
    assert result.predictions.shape == result.data.test_y.shape


def test_cli_trains_mlp_and_writes_the_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "run.png"
    code = main(["train", "--model", "mlp", "--dataset", "xor", "--points", "40", "--epochs", "3",
                 "--no-progress", "--out", str(out)])
    assert code == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "held-out accuracy" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["--model", "cnn", "--dataset", "xor"],
        ["--model", "network", "--dataset", "digits"],
        ["--model", "mlp", "--batch-size", "0"],
        ["--batch-size", "4"],
        ["--model", "resnet"],
        ["--model", "mlp", "--graph", "g.dot"],
    ],
    ids=["cnn-on-points", "network-on-digits", "batch-zero", "batch-for-network", "unknown-model", "graph"],
)
def test_cli_rejects_bad_option_values_with_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", *argv, "--no-plot"]) == 2
    assert "error: argument --" in capsys.readouterr().err
