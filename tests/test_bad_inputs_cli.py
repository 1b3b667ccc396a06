"""The catalogue of bad inputs, part 1: every ``minitorch`` option answers a bad value with a message
naming the option and exit status 2, never a traceback (issue 10)."""

from pathlib import Path

import pytest

from minitorch.cli import main

SMALL = ["--no-progress", "--epochs", "1", "--points", "4", "--hidden", "1"]

# (argv after "minitorch", the text the message must contain)
BAD_COMMAND_LINES = [
    (["train", "--points", "1", "--dataset", "Spiral"], "--points"),
    (["train", "--points", "0"], "--points"),
    (["train", "--points", "-5"], "--points"),
    (["train", "--points", "x"], "--points"),
    (["train", "--points", "2.5"], "--points"),
    (["train", "--points", "10" * 13], "--points"),
    (["train", "--hidden", "0"], "--hidden"),
    (["train", "--hidden", "100000"], "--hidden"),
    (["train", "--hidden", "abc"], "--hidden"),
    (["train", "--epochs", "-1"], "--epochs"),
    (["train", "--epochs", "0"], "--epochs"),
    (["train", "--epochs", "1e3"], "--epochs"),
    (["train", "--lr", "nan"], "--lr"),
    (["train", "--lr", "-1"], "--lr"),
    (["train", "--lr", "0"], "--lr"),
    (["train", "--lr", "inf"], "--lr"),
    (["train", "--lr", "fast"], "--lr"),
    (["train", "--seed", "abc"], "--seed"),
    (["train", "--seed", "1.5"], "--seed"),
    (["train", "--dataset", "Moons"], "--dataset"),
    (["train", "--optimizer", "rmsprop"], "--optimizer"),
    (["train", "--out", "x.txt"], "--out"),
    (["train", "--out", "plot"], "--out"),
    (["train", "--out", "/no/such/folder/x.png"], "--out"),
    (["train", "--out", "/proc/x.png"], "--out"),
    (["train", "--graph", "g.txt"], "--graph"),
    (["train", "--graph", "/no/such/folder/g.dot"], "--graph"),
    (["train", "--graph", "/proc/g.dot"], "--graph"),
    (["train", "--bogus"], "--bogus"),
    (["train", "extra"], "extra"),
    ([], "COMMAND"),
    (["fly"], "fly"),
    (["assign"], "COMMAND"),
    (["assign", "student"], "OUT_DIR"),
    (["assign", "student", "out", "--task", "one"], "--task"),
    (["assign", "student", "out", "--root", "/no/such/checkout"], "--root"),
    (["assign", "grade", "--task", "1"], "--task"),
    (["assign", "grade", "--timeout", "0"], "--timeout"),
    (["assign", "grade", "--timeout", "nan"], "--timeout"),
    (["assign", "grade", "--timeout", "-3"], "--timeout"),
    (["assign", "grade", "/no/such/checkout"], "PATH"),
]


@pytest.mark.parametrize(
    ("argv", "names"), BAD_COMMAND_LINES, ids=[" ".join(argv) for argv, _ in BAD_COMMAND_LINES]
)
def test_cli_bad_value_exits_2_with_message(
    argv: list[str], names: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    if argv[:1] == ["train"]:  # small settings first, so the bad value given after them wins
        argv = ["train", *SMALL, *argv[1:]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert names in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing was written


def test_cli_refusal_of_unwritable_out_leaves_existing_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "keep.png"
    target.write_bytes(b"old")
    assert main(["train", *SMALL, "--out", str(target), "--points", "1", "--dataset", "Spiral"]) == 2
    assert target.read_bytes() == b"old"
