"""Count the lines of code a reader follows for ``z = x * y; z.backward()`` (issue 9, item 1).

Runs the example under :func:`sys.settrace` with the speed layer off (the reference engine, as a
student reads it) and counts, in the course's files (``autodiff.py``, ``scalar.py``,
``scalar_function.py``, ``scalar_functions.py``) and in the whole package, two numbers, both without
docstrings, comments and blank lines:

- **executed**: the distinct lines that ran, with the ``def`` line of each function that was called;
- **functions**: every line of every function that was called (what a reader has on screen
  when following the calls, branches not taken included).

Usage, from the repository's root::

    .venv/bin/python -m bench.count_lines            # the reference engine
    .venv/bin/python -m bench.count_lines --fast     # the same with the speed layer on
"""

from __future__ import annotations

import argparse
import ast
import sys
import tokenize
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = ["COURSE_FILES", "code_lines", "trace_example", "main"]

COURSE_FILES = ("autodiff.py", "scalar.py", "scalar_function.py", "scalar_functions.py")
"""The files the item's limit of 150 lines counts in."""


def code_lines(path: Path) -> set[int]:
    """The line numbers of ``path`` that hold code: no blank line, comment or docstring."""
    source = path.read_text()
    lines: set[int] = set()
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING,
                                  tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                lines.update(range(token.start[0], token.end[0] + 1))
    for node in ast.walk(ast.parse(source)):  # docstrings, and the strings that document attributes
        is_string = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if is_string and isinstance(node.value.value, str):  # type: ignore[attr-defined]
            lines -= set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def _function_spans(path: Path) -> dict[int, tuple[int, int]]:
    """``first line of the code object -> (def line, last line)`` of each function."""
    spans = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A code object's first line is its first decorator's line; the count starts at the def.
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            spans[first] = (node.lineno, node.end_lineno or node.lineno)
    return spans


def trace_example(
    example: Callable[[], Any], package: Path
) -> tuple[dict[Path, set[int]], dict[Path, set[int]]]:
    """Run ``example`` and return the executed lines and the called functions' first lines, by file."""
    executed: dict[Path, set[int]] = {}
    called: dict[Path, set[int]] = {}

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        path = Path(frame.f_code.co_filename)
        if package not in path.parents:
            return tracer
        if event == "call":
            called.setdefault(path, set()).add(frame.f_code.co_firstlineno)
        elif event == "line":
            executed.setdefault(path, set()).add(frame.f_lineno)
        return tracer

    sys.settrace(tracer)
    try:
        example()
    finally:
        sys.settrace(None)
    return executed, called


def main(argv: list[str] | None = None) -> int:
    """Print the counts per file and in total."""
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.count_lines", description=summary)
    parser.add_argument("--fast", action="store_true", help="keep the speed layer on")
    args = parser.parse_args(argv)
    import minitorch

    fast = getattr(minitorch, "fast", None)
    if fast is not None and not args.fast:
        fast.disable()
    x, y = minitorch.Scalar(2.0), minitorch.Scalar(3.0)

    def example() -> None:
        z = x * y
        z.backward()

    package = Path(minitorch.__file__).resolve().parent
    executed, called = trace_example(example, package)
    rows, course = [], [0, 0]
    total = [0, 0]
    for path in sorted(set(executed) | set(called)):
        code = code_lines(path)
        spans = _function_spans(path)
        defs = {spans[first][0] for first in called.get(path, set()) if first in spans}
        ran = (executed.get(path, set()) | defs) & code
        whole: set[int] = set()
        for first in called.get(path, set()):
            if first in spans:
                start, end = spans[first]
                whole |= set(range(start, end + 1))
        whole &= code
        name = str(path.relative_to(package.parent))
        rows.append(f"{name:38s} {len(ran):5d} {len(whole):10d}")
        total[0] += len(ran)
        total[1] += len(whole)
        if path.name in COURSE_FILES and path.parent == package:
            course[0] += len(ran)
            course[1] += len(whole)
    engine = "speed layer on" if args.fast else "reference engine"
    print(f"z = x * y; z.backward() with the {engine}: lines of code (no docstrings, comments, blanks)")
    print(f"{'file':38s} {'executed':>5s} {'functions':>10s}")
    print("\n".join(rows))
    print(f"{'course files (limit 150)':38s} {course[0]:5d} {course[1]:10d}")
    print(f"{'all files':38s} {total[0]:5d} {total[1]:10d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
