"""Tests of ``minitorch.draw``: DOT and Mermaid pictures of a graph, image files, ``train --graph``."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

import minitorch.cli as cli
from minitorch import Context, Scalar, ScalarFunction, draw, topological_sort
from minitorch.draw import FORMATS, check_image_support, format_for_path

# ``minitorch.draw`` is the function once the package is imported; the module is in sys.modules.
draw_module = importlib.import_module("minitorch.draw")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALL_TRAIN = [
    "train", "--dataset", "Xor", "--points", "8", "--hidden", "3", "--epochs", "3",
    "--no-plot", "--no-progress",
]


# ## Reading the output back: a small parser for each format


@dataclass
class Picture:
    """The nodes (id -> (kind, label)) and edges (source, target, label) read back from a text."""

    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, str | None]] = field(default_factory=list)

    def ids(self, prefix: str) -> list[str]:
        return [n for n in self.nodes if re.fullmatch(rf"{prefix}\d+(_\d+)?", n)]

    def label(self, node: str) -> str:
        return self.nodes[node][1]


_DOT_NODE = re.compile(r'^  (\w+) \[(.*), label="((?:[^"\\]|\\.)*)"\];$')
_DOT_EDGE = re.compile(r'^  (\w+) -> (\w+)(?: \[label="((?:[^"\\]|\\.)*)"\])?;$')


def _dot_unescape(text: str) -> str:
    """Undo draw's escaping: ``\\n`` is a line break, a backslash before anything else is literal."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _record_fields(label: str) -> list[str]:
    """Split a record label at its unescaped ``|`` (a backslash makes the next character text)."""
    fields, current, i = [], "", 0
    while i < len(label):
        if label[i] == "\\":
            current += label[i : i + 2]
            i += 2
        elif label[i] == "|":
            fields.append(current.strip(" "))
            current, i = "", i + 1
        else:
            current += label[i]
            i += 1
    return [*fields, current.strip(" ")]


def _outside_quotes(text: str) -> str:
    """``text`` with every double-quoted DOT string removed (quotes escaped by a backslash stay inside)."""
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def parse_dot(text: str) -> Picture:
    """Check the structure of a DOT text line by line and return what it declares."""
    bare = _outside_quotes(text)
    depth = 0
    for ch in bare:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, "a closing brace without an opening one"
    assert depth == 0, "unbalanced braces"
    lines = text.split("\n")
    assert lines[0] == "digraph minitorch {" and lines[-1] == "}"
    picture = Picture()
    for line in lines[1:-1]:
        if line.startswith(("  rankdir", "  node [", "  edge [")):
            continue
        node, edge = _DOT_NODE.match(line), _DOT_EDGE.match(line)
        if node is not None:
            ident, attributes, label = node.groups()
            assert ident not in picture.nodes, f"{ident} declared twice"
            if "shape=record" in attributes:
                assert label.startswith("{") and label.endswith("}")
                fields = _record_fields(label[1:-1])
                picture.nodes[ident] = ("record", "\n".join(_dot_unescape(f) for f in fields))
            else:
                shape = re.search(r"shape=(\w+)", attributes)
                assert shape is not None
                picture.nodes[ident] = (shape.group(1), _dot_unescape(label))
        elif edge is not None:
            source, target, label = edge.groups()
            picture.edges.append((source, target, None if label is None else _dot_unescape(label)))
        else:
            raise AssertionError(f"unexpected DOT line: {line!r}")
    for source, target, _ in picture.edges:
        assert source in picture.nodes and target in picture.nodes, (source, target)
    return picture


_MERMAID_NODE = re.compile(r'^  (\w+)(\["(.*)"\]|\(\("(.*)"\)\)|\("(.*)"\)):::(\w+)$')
_MERMAID_EDGE = re.compile(r'^  (\w+) -->(?:\|"([^"]*)"\|)? (\w+)$')


def _mermaid_unescape(text: str) -> str:
    assert '"' not in text, "a raw quote would end the label"
    text = text.replace("<br>", "\n")
    assert "<" not in text and ">" not in text, "raw < or > would be read as HTML"
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def parse_mermaid(text: str) -> Picture:
    """Check the structure of a Mermaid flowchart line by line and return what it declares."""
    lines = text.split("\n")
    assert lines[0] == "flowchart LR"
    picture = Picture()
    for line in lines[1:]:
        if line.startswith("  classDef "):
            continue
        node, edge = _MERMAID_NODE.match(line), _MERMAID_EDGE.match(line)
        if node is not None:
            ident, _, box, circle, rounded, kind = node.groups()
            assert ident not in picture.nodes, f"{ident} declared twice"
            label = next(x for x in (box, circle, rounded) if x is not None)
            picture.nodes[ident] = (kind, _mermaid_unescape(label))
        elif edge is not None:
            source, label, target = edge.groups()
            picture.edges.append((source, target, None if label is None else _mermaid_unescape(label)))
        else:
            raise AssertionError(f"unexpected Mermaid line: {line!r}")
    for source, target, _ in picture.edges:
        assert source in picture.nodes and target in picture.nodes, (source, target)
    return picture


def example() -> tuple[Scalar, Scalar]:
    """``y = x * x + 3 * x`` at ``x = 2``: y = 10 and dy/dx = 7."""
    x = Scalar(2.0, name="x")
    return x, x * x + 3.0 * x


# ## Structure


def test_draw_dot_declares_one_node_per_scalar_and_function() -> None:
    _, y = example()
    picture = parse_dot(draw(y))
    variables = topological_sort(y)
    computed = [v for v in variables if not v.is_leaf()]
    assert len(picture.ids("s")) == len(variables) == 4  # x, x*x, 3*x, y
    assert len(picture.ids("f")) == len(computed) == 3
    assert len(picture.ids("c")) == 1  # the constant 3.0
    assert sorted(picture.label(f) for f in picture.ids("f")) == ["Add", "Mul", "Mul"]
    assert all(picture.nodes[s][0] == "record" for s in picture.ids("s"))
    assert all(picture.nodes[f][0] == "ellipse" for f in picture.ids("f"))
    # Each function has an edge per input and one to its output.
    assert len(picture.edges) == (2 + 1) * 3


def test_draw_mermaid_declares_the_same_graph_as_dot() -> None:
    _, y = example()
    dot, mermaid = parse_dot(draw(y)), parse_mermaid(draw(y, format="mermaid"))
    assert dot.nodes.keys() == mermaid.nodes.keys()
    assert dot.edges == mermaid.edges
    assert [mermaid.nodes[f][0] for f in mermaid.ids("f")] == ["function"] * 3
    assert [mermaid.nodes[c][0] for c in mermaid.ids("c")] == ["constant"]
    assert {mermaid.label(n) for n in mermaid.nodes} == {dot.label(n) for n in dot.nodes}


def test_draw_marks_leaves_and_the_output() -> None:
    _, y = example()
    kinds = {kind for kind, _ in parse_mermaid(draw(y, format="mermaid")).nodes.values()}
    assert kinds == {"leaf", "value", "output", "function", "constant"}
    (bold,) = [line for line in draw(y).split("\n") if "penwidth=2" in line]
    assert bold.startswith("  s3 [")  # the output, made last


# ## Labels


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_draw_labels_show_name_value_and_no_grad_before_backward(fmt: str) -> None:
    _, y = example()
    picture = parse_dot(draw(y)) if fmt == "dot" else parse_mermaid(draw(y, format=fmt))
    assert picture.label("s0") == "x\nvalue 2.0"
    assert "value 10.0" in picture.label(picture.ids("s")[-1])
    assert not any("grad" in label for _, label in picture.nodes.values())


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_draw_labels_show_derivatives_after_backward(fmt: str) -> None:
    _, y = example()
    y.backward()
    picture = parse_dot(draw(y)) if fmt == "dot" else parse_mermaid(draw(y, format=fmt))
    assert picture.label("s0") == "x\nvalue 2.0\ngrad 7.0"


def test_draw_edges_carry_the_local_derivatives() -> None:
    _, y = example()
    picture = parse_dot(draw(y))
    into = {(s, t): [] for s, t, _ in picture.edges}  # type: dict[tuple[str, str], list[str | None]]
    for s, t, label in picture.edges:
        into[(s, t)].append(label)
    square, triple, total = picture.ids("f")  # x*x, 3*x, the sum: creation order
    assert into[("s0", square)] == ["∂ 2.0", "∂ 2.0"]  # d(a*b)/da = b = 2, twice
    assert into[("s0", triple)] == ["∂ 3.0"]
    assert [label for s, t, label in picture.edges if t == total] == ["∂ 1.0", "∂ 1.0"]
    # Constants never receive a derivative, so their edge has no label.
    assert [label for s, _, label in picture.edges if s.startswith("c")] == [None]


def test_draw_shows_constants_with_value_and_name() -> None:
    x = Scalar(2.0, name="x")
    k = Scalar(0.5, back=None, name="k")
    picture = parse_dot(draw(x * 3.0 + x * k))
    assert sorted(picture.label(c) for c in picture.ids("c")) == ["3.0", "k 0.5"]
    assert all(picture.nodes[c][0] == "box" for c in picture.ids("c"))


def test_draw_formats_values_with_six_significant_digits() -> None:
    y = Scalar(1.0, name="one") / 3.0
    labels = {label for _, label in parse_dot(draw(y)).nodes.values()}
    assert "value 0.333333" in labels
    assert "one\nvalue 1.0" in labels


NASTY_NAME = 'a "quoted" {record} | <port> \\n\\ back\\slash\nsecond line #35; `code` & end\\'


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_draw_escapes_names_so_they_read_back_unchanged(fmt: str) -> None:
    x = Scalar(1.0, name=NASTY_NAME)
    y = x.exp()
    text = draw(y, format=fmt)
    picture = parse_dot(text) if fmt == "dot" else parse_mermaid(text)
    assert picture.label("s0") == f"{NASTY_NAME}\nvalue 1.0"


def test_draw_escapes_function_names() -> None:
    strange = type('Odd"Name\\', (ScalarFunction,), {
        "forward": staticmethod(lambda ctx, a: a),
        "backward": staticmethod(lambda ctx, d: d),
    })
    y = strange.apply(Scalar(1.0))
    assert parse_dot(draw(y)).label("f1") == 'Odd"Name\\'
    assert parse_mermaid(draw(y, format="mermaid")).label("f1") == 'Odd"Name\\'


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_draw_dot_text_is_accepted_by_graphviz() -> None:
    x = Scalar(1.0, name=NASTY_NAME)
    y = (x * 3.0).exp() + x
    y.backward()
    result = subprocess.run(
        ["dot", "-Tsvg"], input=draw(y), capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "quoted" in result.stdout


# ## Robustness


class Broken(ScalarFunction):
    """A function whose backward fails: drawing it must still work."""

    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return 2.0 * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> float:
        raise RuntimeError("not written yet")


def test_draw_a_failing_backward_only_omits_the_edge_label() -> None:
    x = Scalar(1.5, name="x")
    y = Broken.apply(x) * x
    picture = parse_dot(draw(y))
    broken = picture.ids("f")[0]
    assert picture.label(broken) == "Broken"
    assert [label for _, t, label in picture.edges if t == broken] == [None]
    assert "∂ 3.0" in [label for *_, label in picture.edges]  # the Mul edges keep theirs


def test_draw_an_infinite_local_derivative_without_warning() -> None:
    y = Scalar(0.0, name="x").sqrt()  # d sqrt(x)/dx = inf at 0; inv(0) would warn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        picture = parse_dot(draw(y))
    assert [label for *_, label in picture.edges] == ["∂ inf", None]


def test_draw_does_not_change_the_graph_or_its_derivatives() -> None:
    _, y = example()
    y.backward()
    before = [(v.unique_id, v.data, v.derivative) for v in topological_sort(y)]
    draw(y)
    draw(y, format="mermaid")
    assert [(v.unique_id, v.data, v.derivative) for v in topological_sort(y)] == before


def test_draw_a_10000_operation_chain_without_recursion() -> None:
    x = Scalar(1.0, name="x")
    y = x
    for _ in range(10_000):
        y = y * 1.0 + 0.0
    assert sys.getrecursionlimit() < 20_000  # recursion over the chain would fail
    picture = parse_dot(draw(y))
    assert len(picture.ids("s")) == 20_001 and len(picture.ids("f")) == 20_000
    assert len(parse_mermaid(draw(y, format="mermaid")).nodes) == len(picture.nodes)


def test_draw_is_deterministic() -> None:
    assert draw(example()[1]) == draw(example()[1])
    assert draw(example()[1], format="mermaid") == draw(example()[1], format="mermaid")


def test_draw_a_leaf_alone() -> None:
    x = Scalar(4.0, name="x")
    picture = parse_dot(draw(x))
    assert picture.nodes == {"s0": ("record", "x\nvalue 4.0")} and picture.edges == []


def test_draw_a_constant_alone() -> None:
    picture = parse_mermaid(draw(Scalar(4.0, back=None), format="mermaid"))
    assert picture.nodes == {"c0": ("constant", "value 4.0")}


def test_draw_rejects_a_non_scalar() -> None:
    with pytest.raises(TypeError, match="draw: output must be a Scalar"):
        draw(3.0)  # type: ignore[arg-type]


# ## Formats and files


def test_draw_rejects_an_unknown_format_listing_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown format 'svgz'.*dot, mermaid"):
        draw(example()[1], format="svgz")


def test_draw_image_format_needs_a_path() -> None:
    with pytest.raises(ValueError, match=re.escape("path='graph.svg'")):
        draw(example()[1], format="svg")


def test_draw_rejects_a_format_that_contradicts_the_extension(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not match the extension"):
        draw(example()[1], format="mermaid", path=tmp_path / "g.dot")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("g.dot", "dot"), ("g.gv", "dot"), ("g.mmd", "mermaid"), ("G.MERMAID", "mermaid"),
     ("g.svg", "svg"), ("g.png", "png"), ("g.pdf", "pdf")],
)
def test_format_for_path_reads_the_extension(name: str, expected: str) -> None:
    assert format_for_path(name) == expected
    assert expected in FORMATS


def test_format_for_path_rejects_an_unknown_extension() -> None:
    with pytest.raises(ValueError, match=r"'graph.txt'.*\.dot.*\.mmd"):
        format_for_path("graph.txt")


@pytest.mark.parametrize(
    ("name", "first_line"), [("g.dot", "digraph minitorch {"), ("g.mmd", "flowchart LR")]
)
def test_draw_writes_text_files_without_dependencies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, first_line: str
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # as if it were not installed
    _, y = example()
    path = tmp_path / name
    text = draw(y, path=path)
    assert path.read_text(encoding="utf-8") == text + "\n"
    assert text.split("\n")[0] == first_line


def test_draw_image_without_graphviz_package_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ModuleNotFoundError, match="pip install graphviz") as info:
        draw(example()[1], path=tmp_path / "g.svg")
    assert info.value.name == "graphviz"
    assert not (tmp_path / "g.svg").exists()


class FakeSource:
    """Stands in for ``graphviz.Source``: records the DOT text and the format it was asked for."""

    calls: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, source: str) -> None:
        self.source = source

    def pipe(self, format: str) -> bytes:  # noqa: A002 - graphviz's name
        FakeSource.calls.append((self.source, format))
        return f"<{format} image>".encode()


@pytest.fixture
def fake_graphviz(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A fake ``graphviz`` package and a ``dot`` on the PATH; returns the recorded pipe calls."""
    module = types.ModuleType("graphviz")
    module.Source = FakeSource  # type: ignore[attr-defined]
    FakeSource.calls = []
    monkeypatch.setitem(sys.modules, "graphviz", module)
    real_which = shutil.which
    monkeypatch.setattr(
        draw_module.shutil, "which", lambda cmd, *a, **k: "/usr/bin/dot" if cmd == "dot" else real_which(cmd)
    )
    return FakeSource.calls


def test_draw_image_without_dot_program_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_graphviz: Any
) -> None:
    monkeypatch.setattr(draw_module.shutil, "which", lambda cmd, *a, **k: None)
    with pytest.raises(FileNotFoundError, match="Graphviz's dot program"):
        draw(example()[1], path=tmp_path / "g.png")
    with pytest.raises(FileNotFoundError, match="apt install graphviz"):
        check_image_support()


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_draw_image_pipes_the_dot_text_through_graphviz(
    tmp_path: Path, fake_graphviz: list[tuple[str, str]], fmt: str
) -> None:
    path = tmp_path / f"g.{fmt}"
    text = draw(example()[1], path=path)
    assert fake_graphviz == [(text, fmt)]
    assert path.read_bytes() == f"<{fmt} image>".encode()
    assert text.startswith("digraph")


def test_draw_real_image_with_graphviz(tmp_path: Path) -> None:
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot program is not installed")
    _, y = example()
    y.backward()
    draw(y, path=tmp_path / "g.png")
    draw(y, path=tmp_path / "g.svg")
    assert (tmp_path / "g.png").read_bytes().startswith(PNG_SIGNATURE)
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "grad 7.0" in svg


# ## minitorch train --graph


@pytest.mark.parametrize(
    ("name", "first_line"), [("loss.dot", "digraph minitorch {"), ("loss.mmd", "flowchart LR")]
)
def test_cli_train_graph_writes_the_loss_graph_of_one_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, first_line: str
) -> None:
    path = tmp_path / name
    assert cli.main([*SMALL_TRAIN, "--graph", str(path)]) == 0
    assert f"graph: {path}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.split("\n")[0] == first_line
    picture = parse_dot(text.rstrip("\n")) if name.endswith(".dot") else parse_mermaid(text.rstrip("\n"))
    labels = [label for _, label in picture.nodes.values()]
    # The two inputs of the first point, the weights with their derivatives, and the loss functions.
    assert any(label.startswith("x1\nvalue ") for label in labels)
    assert any(label.startswith("layer1.weight_0_0\nvalue ") and "\ngrad " in label for label in labels)
    assert {"Sigmoid", "Log", "ReLU"} <= set(labels)


def test_cli_train_graph_rejects_an_unknown_extension_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*SMALL_TRAIN, "--graph", str(tmp_path / "loss.txt")]) == 2
    captured = capsys.readouterr()
    assert "argument --graph" in captured.err and ".mmd" in captured.err
    assert "final accuracy" not in captured.out


def test_cli_train_graph_image_without_graphviz_fails_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    assert cli.main([*SMALL_TRAIN, "--graph", str(tmp_path / "loss.svg")]) == 1
    captured = capsys.readouterr()
    assert "pip install graphviz" in captured.err
    assert "final accuracy" not in captured.out
    assert not (tmp_path / "loss.svg").exists()


def test_cli_train_graph_image_with_graphviz(
    tmp_path: Path, fake_graphviz: list[tuple[str, str]]
) -> None:
    assert cli.main([*SMALL_TRAIN, "--graph", str(tmp_path / "loss.svg")]) == 0
    assert (tmp_path / "loss.svg").read_bytes() == b"<svg image>"
    assert [fmt for _, fmt in fake_graphviz] == ["svg"]


# ## The documentation's picture


def test_the_graph_of_the_debugging_guide_is_what_draw_gives() -> None:
    """The page shows the Mermaid text of a graph and a picture of it drawn by hand (an SVG, so that
    the site needs no diagram script): both must say what ``draw`` says."""
    docs = Path(__file__).resolve().parent.parent / "docs"
    page = (docs / "guide" / "debugging.md").read_text(encoding="utf-8")
    block = re.search(r"Mermaid text of that graph:\n\n```text\n(.*?)\n```", page, re.DOTALL)
    assert block is not None
    x = Scalar(2.0, name="x")
    y = x * x + 3.0 * x
    y.name = "y"
    y.backward()
    mermaid = draw(y, format="mermaid")
    assert block.group(1) == mermaid
    svg = (docs / "assets" / "graph-example.svg").read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    picture = parse_mermaid(mermaid)
    for _, label in picture.nodes.values():
        for line in label.split("\n"):
            assert line in texts, f"the SVG has no {line!r}"
    derivatives = sorted(label for _, _, label in picture.edges if label is not None)
    assert sorted(t for t in texts if t.startswith("∂")) == derivatives
