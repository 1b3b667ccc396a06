"""``draw``: a picture of a computation graph, as Graphviz DOT or Mermaid text (no dependencies).

Each Scalar is a box with its name (when it has one), its value and, after ``backward``, its
derivative, like the box diagrams of the course's slides; each function that made a Scalar is an
ellipse (``Mul``, ``Log``, ...) between its inputs and its output; plain-number inputs are small grey
constant boxes. The edge from an input to a function is labelled with the *local* derivative
``∂f/∂input`` at the current values, which is what backpropagation multiplies along that edge.

Paste the DOT text into any Graphviz viewer, or the Mermaid text into a Markdown page that renders
Mermaid (GitHub, GitLab, MkDocs Material). ``draw(y, path="graph.svg")`` (or ``.png``, ``.pdf``)
writes an image through the optional ``graphviz`` Python package and the Graphviz ``dot`` program.

The graph is walked with :func:`~minitorch.autodiff.topological_sort`, never by recursion, so a
chain of any length can be drawn (though a picture of more than a few hundred nodes is hard to
read). Nodes are numbered in creation order, so the same program always gives the same text.

Examples:
    >>> from minitorch import Scalar
    >>> x = Scalar(2.0, name="x")
    >>> y = x * x
    >>> y.backward()
    >>> print(draw(y))  # doctest: +NORMALIZE_WHITESPACE
    digraph minitorch {
      rankdir=LR;
      node [fontname="Helvetica", fontsize=11];
      edge [fontname="Helvetica", fontsize=9];
      s0 [shape=record, style=filled, fillcolor="#dbeafe", label="{x | value 2.0 | grad 4.0}"];
      f1 [shape=ellipse, style=filled, fillcolor="#fef3c7", label="Mul"];
      s1 [shape=record, penwidth=2, label="{value 4.0}"];
      s0 -> f1 [label="∂ 2.0"];
      s0 -> f1 [label="∂ 2.0"];
      f1 -> s1;
    }
"""

from __future__ import annotations

import importlib
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard, cast

from .autodiff import no_grad, topological_sort
from .scalar import Scalar, ScalarHistory, _innermost
from .tensor import Tensor

__all__ = ["draw", "FORMATS", "format_for_path", "check_image_support"]

TEXT_FORMATS = ("dot", "mermaid")
IMAGE_FORMATS = ("svg", "png", "pdf")
FORMATS = TEXT_FORMATS + IMAGE_FORMATS
"""Every format :func:`draw` knows: text it returns, and images it writes through Graphviz."""

# File extensions and the format each one means.
_EXTENSIONS = {
    ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid",
    ".svg": "svg", ".png": "png", ".pdf": "pdf",
}

# Fill colours: leaves (the variables you made) blue, functions yellow, constants grey.
_LEAF_FILL, _FUNCTION_FILL, _CONSTANT_FILL = "#dbeafe", "#fef3c7", "#eeeeee"


def draw(output: Scalar | Tensor, format: str | None = None, path: str | Path | None = None) -> str:  # noqa: A002
    """Draw the computation graph that produced ``output``; return it as DOT or Mermaid text.

    Args:
        output: the Scalar or Tensor whose graph to draw (usually a loss). A tensor's box shows
            its shape (and its value when it has one element); its edges carry no derivative.
        format: ``"dot"`` (Graphviz, the default) or ``"mermaid"``; with ``path``, also
            ``"svg"``, ``"png"`` or ``"pdf"``. ``None`` takes it from the extension of ``path``.
        path: when given, also write the picture there: ``.dot``/``.gv`` and ``.mmd``/``.mermaid``
            files are plain text and need nothing; ``.svg``, ``.png`` and ``.pdf`` need the
            ``graphviz`` Python package (``pip install graphviz``) and Graphviz's ``dot`` program.

    Returns:
        The Mermaid text for ``"mermaid"``, otherwise the DOT text (for an image, the DOT it was
        rendered from).

    Raises:
        TypeError: if ``output`` is not a Scalar or a Tensor.
        ValueError: if the format is unknown, does not match the extension of ``path``, or is an
            image format without a ``path``.
        ModuleNotFoundError: for an image, if the ``graphviz`` Python package is not installed.
        FileNotFoundError: for an image, if Graphviz's ``dot`` program is not on the ``PATH``.

    Examples:
        >>> from minitorch import Scalar
        >>> y = Scalar(3.0, name="a").log()
        >>> print(draw(y, format="mermaid"))
        flowchart LR
          s0["a<br>value 3.0"]:::leaf
          f1(("Log")):::function
          s1["value 1.09861"]:::output
          s0 -->|"∂ 0.333333"| f1
          f1 --> s1
          classDef leaf fill:#dbeafe,stroke:#1e3a8a
          classDef value fill:#ffffff,stroke:#333333
          classDef function fill:#fef3c7,stroke:#92400e
          classDef constant fill:#eeeeee,stroke:#999999,font-size:10px
          classDef output stroke-width:3px
    """
    if not isinstance(output, (Scalar, Tensor)):
        raise TypeError(
            f"draw: output must be a Scalar or a Tensor (the value whose graph to draw), got "
            f"{type(output).__name__} {output!r}"
        )
    kind = _choose_format(format, path)
    if kind in IMAGE_FORMATS:
        check_image_support()
    graph = _Graph.of(output)
    text = graph.mermaid() if kind == "mermaid" else graph.dot()
    if path is not None:
        if kind in IMAGE_FORMATS:
            graphviz = importlib.import_module("graphviz")
            image: bytes = graphviz.Source(text).pipe(format=kind)
            Path(path).write_bytes(image)
        else:
            Path(path).write_text(text + "\n", encoding="utf-8")
    return text


def format_for_path(path: str | Path) -> str:
    """The format a file name asks for: ``"dot"``, ``"mermaid"``, ``"svg"``, ``"png"`` or ``"pdf"``.

    Raises:
        ValueError: if the extension is none of ``.dot .gv .mmd .mermaid .svg .png .pdf``.

    Examples:
        >>> format_for_path("graph.mmd"), format_for_path("out/loss.SVG")
        ('mermaid', 'svg')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ValueError(
            f"draw: cannot tell the format of {str(path)!r} from its extension; use one of "
            f"{', '.join(_EXTENSIONS)} (.dot and .mmd are text and need nothing installed)"
        )
    return _EXTENSIONS[suffix]


def check_image_support() -> None:
    """Check that images can be written: the ``graphviz`` package and the ``dot`` program exist.

    Raises:
        ModuleNotFoundError: if the ``graphviz`` Python package is not installed.
        FileNotFoundError: if Graphviz's ``dot`` program is not on the ``PATH``.
    """
    try:
        importlib.import_module("graphviz")
    except ImportError:
        raise ModuleNotFoundError(
            "draw: writing an image (.svg, .png, .pdf) needs the graphviz Python package, which is "
            "not installed: pip install graphviz (Graphviz's dot program is needed too). A .dot or "
            ".mmd file needs nothing installed.",
            name="graphviz",
        ) from None
    if shutil.which("dot") is None:
        raise FileNotFoundError(
            "draw: writing an image (.svg, .png, .pdf) needs Graphviz's dot program, which is not "
            "on the PATH: install Graphviz (apt install graphviz, brew install graphviz, or "
            "https://graphviz.org/download/). A .dot or .mmd file needs nothing installed."
        )


def _choose_format(format: str | None, path: str | Path | None) -> str:  # noqa: A002
    """The format to draw in, from ``format`` and the extension of ``path`` (which must agree)."""
    if format is not None and format not in FORMATS:
        raise ValueError(f"draw: unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if path is None:
        if format in IMAGE_FORMATS:
            raise ValueError(
                f"draw: format={format!r} is an image, which draw writes to a file: pass "
                f"path='graph.{format}' (draw returns only DOT or Mermaid text)"
            )
        return "dot" if format is None else format
    from_path = format_for_path(path)
    if format is not None and format != from_path:
        raise ValueError(
            f"draw: format={format!r} does not match the extension of {str(path)!r}, which means "
            f"{from_path!r}; drop format or rename the file"
        )
    return from_path


# ## The graph, independent of the output format


@dataclass
class _Node:
    """One box or ellipse of the picture: its id, its kind, and the lines of its label."""

    id: str
    kind: str  # "leaf", "value", "output", "function" or "constant"
    fields: list[str]


@dataclass
class _Graph:
    """The nodes and labelled edges of a picture, in a deterministic order."""

    nodes: list[_Node] = field(default_factory=list)
    edges: list[tuple[str, str, str | None]] = field(default_factory=list)

    @classmethod
    def of(cls, output: Scalar | Tensor) -> _Graph:
        """Collect the graph below ``output``: one box per variable, one ellipse per function."""
        graph = cls()
        variables = topological_sort(output)
        if not variables:  # a constant: nothing was recorded, so draw the value alone
            graph.nodes.append(_Node("c0", "constant", _fields(output)))
            return graph
        # Creation order (unique_id) numbers the nodes the same way on every run.
        ordered = sorted(cast("list[Scalar | Tensor]", variables), key=lambda v: v.unique_id)
        index = {v.unique_id: i for i, v in enumerate(ordered)}
        for i, v in enumerate(ordered):
            box, kind = f"s{i}", "output" if v is output else "value"
            history = v.history
            if history is None or history.last_fn is None:  # a leaf
                graph.nodes.append(_Node(box, "output" if v is output else "leaf", _fields(v)))
                continue
            local = _local_derivatives(history) if isinstance(history, ScalarHistory) else None
            ellipse = f"f{i}"
            for j, x in enumerate(history.inputs):
                if _same_graph(x, v) and x.unique_id in index:
                    label = None if local is None else f"∂ {_number(local[j])}"
                    graph.edges.append((f"s{index[x.unique_id]}", ellipse, label))
                else:  # a plain number, a constant Scalar, or a Scalar of an enclosing trace
                    constant = f"c{i}_{j}"
                    graph.nodes.append(_Node(constant, "constant", _constant_fields(x)))
                    graph.edges.append((constant, ellipse, None))
            graph.nodes.append(_Node(ellipse, "function", [history.last_fn.__name__]))
            graph.nodes.append(_Node(box, kind, _fields(v)))
            graph.edges.append((ellipse, box, None))
        return graph

    def dot(self) -> str:
        """The graph as Graphviz DOT text."""
        lines = [
            "digraph minitorch {",
            "  rankdir=LR;",
            '  node [fontname="Helvetica", fontsize=11];',
            '  edge [fontname="Helvetica", fontsize=9];',
        ]
        for node in self.nodes:
            if node.kind == "function":
                style = f'shape=ellipse, style=filled, fillcolor="{_FUNCTION_FILL}"'
                label = _dot_text(node.fields[0])
            elif node.kind == "constant":
                style = (
                    f'shape=box, style="rounded,filled", fillcolor="{_CONSTANT_FILL}", fontsize=9, '
                    "height=0.2, width=0.3, margin=0.04"
                )
                label = _dot_text(" ".join(node.fields))
            else:
                style = {
                    "leaf": f'shape=record, style=filled, fillcolor="{_LEAF_FILL}"',
                    "output": "shape=record, penwidth=2",
                    "value": "shape=record",
                }[node.kind]
                label = "{" + " | ".join(_dot_text(f, record=True) for f in node.fields) + "}"
            lines.append(f'  {node.id} [{style}, label="{label}"];')
        for source, target, note in self.edges:
            attributes = "" if note is None else f' [label="{_dot_text(note)}"]'
            lines.append(f"  {source} -> {target}{attributes};")
        lines.append("}")
        return "\n".join(lines)

    def mermaid(self) -> str:
        """The graph as a Mermaid flowchart."""
        lines = ["flowchart LR"]
        for node in self.nodes:
            label = "<br>".join(_mermaid_escape(f) for f in node.fields)
            if node.kind == "function":
                lines.append(f'  {node.id}(("{label}")):::function')
            elif node.kind == "constant":
                lines.append(f'  {node.id}("{label}"):::constant')
            else:
                lines.append(f'  {node.id}["{label}"]:::{node.kind}')
        for source, target, note in self.edges:
            arrow = "-->" if note is None else f'-->|"{_mermaid_escape(note)}"|'
            lines.append(f"  {source} {arrow} {target}")
        lines += [
            f"  classDef leaf fill:{_LEAF_FILL},stroke:#1e3a8a",
            "  classDef value fill:#ffffff,stroke:#333333",
            f"  classDef function fill:{_FUNCTION_FILL},stroke:#92400e",
            f"  classDef constant fill:{_CONSTANT_FILL},stroke:#999999,font-size:10px",
            "  classDef output stroke-width:3px",
        ]
        return "\n".join(lines)


def _same_graph(x: Any, v: Scalar | Tensor) -> TypeGuard[Scalar | Tensor]:
    """True if input ``x`` of ``v`` is a variable of the graph being drawn: a Tensor, or a Scalar of
    ``v``'s trace level (not a plain number nor a Scalar of an enclosing trace)."""
    if isinstance(v, Tensor):
        return isinstance(x, Tensor)
    return type(x) is Scalar and x.level == v.level


def _fields(v: Scalar | Tensor) -> list[str]:
    """The lines of a variable's box."""
    return _tensor_fields(v) if isinstance(v, Tensor) else _scalar_fields(v)


def _tensor_fields(t: Tensor) -> list[str]:
    """``[name,] shape ...[, value ...]``: a tensor's box (its name only when one was given)."""
    fields = [] if t.name == str(t.unique_id) else [t.name]
    fields.append(f"shape {t.shape}")
    if t.size == 1:
        fields.append(f"value {_number(t.item())}")
    return fields


def _scalar_fields(v: Scalar) -> list[str]:
    """``[name,] value ..., [grad ...]``: the lines of a Scalar's box (unnamed ones show no name)."""
    fields = [] if v._name is None else [v._name]
    fields.append(f"value {_number(v.data)}")
    if v.derivative is not None:
        fields.append(f"grad {_number(v.derivative)}")
    return fields


def _constant_fields(x: Any) -> list[str]:
    """The label of a constant input: its value, after its name when it is a named Scalar."""
    if isinstance(x, Scalar):
        return ([] if x._name is None else [x._name]) + [_number(x.data)]
    if isinstance(x, Tensor):
        return _tensor_fields(x)
    return [_number(x)]


def _local_derivatives(history: ScalarHistory) -> tuple[Any, ...] | None:
    """``∂f/∂input`` for each input of a node: its function's backward with ``d_output = 1``.

    ``None`` when that backward fails (a user's function may not handle every case); the picture
    then only leaves out the edge labels. Its warnings (``inv(0)``, ...) were already given by the
    backward pass, so they are silenced here; ``no_grad`` keeps a nested trace from recording it.
    """
    fn, ctx = history.last_fn, history.ctx
    if fn is None or ctx is None:
        return None
    try:
        with warnings.catch_warnings(), no_grad():
            warnings.simplefilter("ignore")
            derivatives = fn._backward(ctx, 1.0)
    except Exception:
        return None
    return derivatives if len(derivatives) == len(history.inputs) else None


def _number(x: Any) -> str:
    """A short, exact-looking rendering of a value: 6 significant digits, ``2.0`` not ``2``."""
    try:
        value = _innermost(x)
    except (TypeError, ValueError):
        return str(x)
    return repr(float(f"{value:.6g}"))


def _dot_text(text: str, record: bool = False) -> str:
    """Make ``text`` show literally inside a double-quoted DOT label.

    Backslashes are doubled (Graphviz reads ``\\n``, ``\\N``, ... in labels), quotes become ``\\"``
    and line breaks ``\\n``; in a ``record`` field ``{ } | < >`` are structure, so they get a
    backslash too.
    """
    text = text.replace("\\", "\\\\")
    if record:
        for ch in "{}|<>":
            text = text.replace(ch, "\\" + ch)
    text = text.replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return text


# Characters that Mermaid would read as syntax (quotes, entity codes, HTML, Markdown strings).
_MERMAID_ENTITIES = {ch: f"#{ord(ch)};" for ch in '"#&<>`'}


def _mermaid_escape(text: str) -> str:
    """Make ``text`` safe inside a quoted Mermaid label, using Mermaid's ``#code;`` entities."""
    escaped = "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)
    return escaped.replace("\r", "").replace("\n", "<br>")
