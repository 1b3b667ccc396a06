"""Find the course's tasks in the source: the blocks between ``# BEGIN TASK x.y`` and ``# END TASK x.y``.

A block is the whole body of one function or method: the ``def`` line, the signature, the type hints
and the docstring stay outside it, so the student's skeleton keeps them and only the body is replaced.
The markers are comment lines indented like the body::

    def mul(x: float, y: float) -> float:
        \"\"\"Return ``x * y``.\"\"\"
        # BEGIN TASK 0.1
        return x * y
        # END TASK 0.1

Markers are read from comment tokens only (``tokenize``), so text that merely looks like a
marker inside a string or a docstring is not one. A malformed, unmatched, nested or misplaced marker
raises ``MarkerError`` naming the file and the line.

Examples:
    >>> source = '''
    ... def mul(x: float, y: float) -> float:
    ...     \"\"\"Return x * y.\"\"\"
    ...     # BEGIN TASK 0.1
    ...     return x * y
    ...     # END TASK 0.1
    ... '''
    >>> [(b.task, b.function, b.begin, b.end) for b in parse_blocks(source, "ops.py")]
    [('0.1', 'mul', 4, 6)]
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MarkerError", "TaskBlock", "TASK_TITLES", "TASK_DOCS", "TASKS_PAGE", "STAMP", "parse_blocks",
    "find_blocks", "tasks_in", "project_files", "docs_page", "task_marker", "task_sort_key", "stub_task",
]

TASK_TITLES = {
    "0.1": "operators: the basic float functions",
    "0.2": "property tests of the operators",
    "0.3": "map, zipWith, reduce and the list functions built from them",
    "0.4": "Module: the tree of submodules and parameters",
    "1.1": "central differences",
    "1.2": "the forward formulas of the Scalar functions",
    "1.3": "the chain rule",
    "1.4": "backpropagation and the backward formulas",
    "2.1": "tensor data: strides, indexing and permute",
    "2.2": "broadcasting: shape_broadcast and broadcast_index",
    "2.3": "tensor map, zip and reduce, and the forward of the tensor functions",
    "2.4": "the backward of the tensor functions",
    "3.1": "parallel map, zip and reduce with numba",
    "3.2": "batched matrix multiplication with numba",
    "3.3": "CUDA map, zip and reduce, and sum_practice",
    "3.4": "CUDA matrix multiplication and mm_practice",
    "4.1": "1-D convolution",
    "4.2": "2-D convolution",
    "4.3": "pooling: tile and average pooling",
    "4.4": "max, softmax, log-softmax, max pooling and dropout",
}
"""What each course task asks for (the grader's, the student README's and the docs' one-line
description)."""

TASKS_PAGE = "docs/tasks.md"
"""The page that explains every task: what to write, what the tests check, how to check it."""

TASK_DOCS = {task: TASKS_PAGE for task in TASK_TITLES}
"""The docs page a stub of each task points to: the tasks page, which links each task's tutorial."""

STAMP = ".minitorch-student"
"""The file that marks a directory as a student copy (written by the skeleton writer)."""

# The strict form of a marker, and the loose form that catches near misses (lower case, no number).
_MARKER = re.compile(r"#[ \t]*(?P<kind>BEGIN|END) TASK (?P<task>\d+\.\d+)[ \t]*")
_LOOKS_LIKE_MARKER = re.compile(r"#\s*(BEGIN|END)\s*TASK", re.IGNORECASE)

# Paths never copied or scanned: virtual environments, caches, build output, benchmark results.
_SKIP_PARTS = {
    ".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis",
    "node_modules",
}
_SKIP_TOP = {"site", "build", "dist"}
_SKIP_PREFIXES = ("bench/results/",)
_NOT_GIT_FILES = (".ci", "docs", "minitorch", "tests")
_NOT_GIT_TOP_FILES = (
    "Makefile", "pyproject.toml", "setup.cfg", "README.md", "mkdocs.yml", ".gitignore", "LICENSE",
)


class MarkerError(ValueError):
    """A task marker that is malformed, unmatched, nested or not around a whole function body.

    Attributes:
        path: the file, as given to the parser.
        line: the 1-based line of the offending marker.
    """

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line


@dataclass(frozen=True)
class TaskBlock:
    """One marked block: the body of ``function`` in ``path``, from line ``begin`` to line ``end``.

    Attributes:
        task: the task number, such as ``"1.2"``.
        path: the file (POSIX, relative to the project root when found by ``find_blocks``).
        begin: the 1-based line of ``# BEGIN TASK``.
        end: the 1-based line of ``# END TASK``.
        function: the qualified name of the function whose body this is (``"Mul.forward"``).
        indent: the indentation of the body.
    """

    task: str
    path: str
    begin: int
    end: int
    function: str
    indent: str

    @property
    def marker(self) -> str:
        """The pytest marker of the task's tests: ``"task1_2"`` for task ``"1.2"``."""
        return task_marker(self.task)

    @property
    def is_test(self) -> bool:
        """True when the block is the body of a test the student writes (task 0.2)."""
        return self.function.rsplit(".", 1)[-1].startswith("test")


def task_marker(task: str) -> str:
    """The pytest marker name of a task: ``task_marker("1.2") == "task1_2"``."""
    return "task" + task.replace(".", "_")


_STUB_MESSAGE = re.compile(r"Task (?P<task>\d+\.\d+): ")


def stub_task(error: BaseException) -> str | None:
    """The task whose stub raised ``error`` (``"0.4"``), or ``None`` if it is not a stub's error.

    Examples:
        >>> stub_task(NotImplementedError("Task 0.4: implement Module.parameters (see docs/tasks.md)"))
        '0.4'
        >>> stub_task(NotImplementedError("subclasses implement this")) is None
        True
    """
    if not isinstance(error, NotImplementedError) or not error.args:
        return None
    match = _STUB_MESSAGE.match(str(error.args[0]))
    return None if match is None else match["task"]


def task_sort_key(task: str) -> tuple[int, ...]:
    """Sort tasks numerically (``"1.10"`` after ``"1.9"``)."""
    return tuple(int(part) for part in task.split("."))


def docs_page(block: TaskBlock) -> str:
    """The docs page a block's stub points to: the tasks page, which has a section per task."""
    return TASK_DOCS.get(block.task, TASKS_PAGE)


@dataclass(frozen=True)
class _Comment:
    line: int
    column: int
    text: str
    alone: bool  # nothing but the comment on its line


def _scan(source: str, path: str) -> tuple[list[_Comment], set[int]]:
    """The comments of ``source`` and the set of lines that carry code (not only comments)."""
    comments: list[_Comment] = []
    code_lines: set[int] = set()
    layout = {
        tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
        tokenize.ENDMARKER, tokenize.ENCODING,
    }
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                alone = tok.line[: tok.start[1]].strip() == ""
                comments.append(_Comment(tok.start[0], tok.start[1], tok.string.rstrip(), alone))
            elif tok.type not in layout:
                code_lines.update(range(tok.start[0], tok.end[0] + 1))
    except SyntaxError as error:  # an inconsistent dedent
        raise MarkerError(path, error.lineno or 1, f"cannot be read as Python: {error.msg}") from None
    except tokenize.TokenError as error:  # an unclosed bracket or string: (message, (line, column))
        raise MarkerError(path, error.args[1][0], f"cannot be read as Python: {error.args[0]}") from None
    return comments, code_lines


def _markers(comments: Iterable[_Comment], path: str) -> Iterator[tuple[str, str, _Comment]]:
    """``(kind, task, comment)`` for each marker comment; near misses raise ``MarkerError``."""
    for comment in comments:
        if not _LOOKS_LIKE_MARKER.match(comment.text):
            continue
        match = _MARKER.fullmatch(comment.text)
        if match is None:
            raise MarkerError(
                path, comment.line,
                f"malformed task marker {comment.text!r}; write '# BEGIN TASK 1.2' or '# END TASK 1.2' "
                "(upper case, the task number as major.minor)",
            )
        if not comment.alone:
            raise MarkerError(
                path, comment.line,
                f"the task marker {comment.text!r} must be on a line of its own, not after code",
            )
        yield match["kind"], match["task"], comment


def _pairs(comments: Iterable[_Comment], path: str) -> list[tuple[str, _Comment, _Comment]]:
    """Match each BEGIN with the END that follows it: ``(task, begin, end)`` in file order."""
    pairs: list[tuple[str, _Comment, _Comment]] = []
    open_block: tuple[str, _Comment] | None = None
    for kind, task, comment in _markers(comments, path):
        if kind == "BEGIN":
            if open_block is not None:
                raise MarkerError(
                    path, comment.line,
                    f"BEGIN TASK {task} is inside the block BEGIN TASK {open_block[0]} opened at line "
                    f"{open_block[1].line}; blocks cannot nest: close that one first with "
                    f"'# END TASK {open_block[0]}'",
                )
            open_block = (task, comment)
        else:
            if open_block is None:
                raise MarkerError(
                    path, comment.line, f"END TASK {task} has no '# BEGIN TASK {task}' before it"
                )
            if open_block[0] != task:
                raise MarkerError(
                    path, comment.line,
                    f"END TASK {task} closes the block BEGIN TASK {open_block[0]} opened at line "
                    f"{open_block[1].line}; the numbers must match",
                )
            pairs.append((task, open_block[1], comment))
            open_block = None
    if open_block is not None:
        raise MarkerError(
            path, open_block[1].line,
            f"BEGIN TASK {open_block[0]} has no matching '# END TASK {open_block[0]}' after it",
        )
    return pairs


_Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, _Function]]:
    """Every function and method with its qualified name (``"Mul.forward"``), outermost first."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _functions(node, prefix + node.name + ".")


def _body_without_docstring(fn: _Function) -> list[ast.stmt]:
    return fn.body[1:] if ast.get_docstring(fn, clean=False) is not None else fn.body


def _first_line(node: ast.stmt) -> int:
    """The first line of a statement, counting the decorators of a nested def or class."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _wrapped_function(
    tree: ast.Module, begin: _Comment, end: _Comment, code_lines: set[int]
) -> str | None:
    """The qualified name of the function whose whole body lies between the markers, if any."""
    for name, fn in _functions(tree):
        body = _body_without_docstring(fn)
        if not body or not fn.lineno < begin.line < _first_line(body[0]):
            continue
        first, last = _first_line(body[0]), body[-1].end_lineno or body[-1].lineno
        if end.line <= last:
            continue
        between = set(range(begin.line + 1, first)) | set(range(last + 1, end.line))
        if between & code_lines:
            continue
        if begin.column != body[0].col_offset or end.column != body[0].col_offset:
            continue
        return name
    return None


def _explain_misplaced(
    tree: ast.Module, task: str, begin: _Comment, end: _Comment, path: str
) -> MarkerError:
    """The error for a block that is not exactly one function's body, with what would fix it."""
    inside = [
        (name, fn) for name, fn in _functions(tree)
        if fn.lineno < begin.line <= (fn.end_lineno or fn.lineno)
    ]
    where = f"the block BEGIN TASK {task} (lines {begin.line}-{end.line})"
    if not inside:
        return MarkerError(
            path, begin.line,
            f"{where} is not inside a function; a task block must be the whole body of one function",
        )
    name, fn = inside[-1]
    body = _body_without_docstring(fn)
    if not body:
        return MarkerError(path, begin.line, f"{where}: {name} has no body besides its docstring")
    first, last = _first_line(body[0]), body[-1].end_lineno
    indent = " " * body[0].col_offset
    return MarkerError(
        path, begin.line,
        f"{where} must wrap the whole body of {name}: put '{indent}# BEGIN TASK {task}' after the "
        f"docstring (before line {first}) and '{indent}# END TASK {task}' after its last line "
        f"({last}), indented like the body (column {body[0].col_offset})",
    )


def parse_blocks(source: str, path: str = "<source>") -> list[TaskBlock]:
    """The task blocks of one Python file, in file order.

    Args:
        source: the file's text.
        path: the name used in the blocks and in error messages.

    Raises:
        MarkerError: for a malformed marker, a BEGIN without END (or the reverse), nested blocks,
            mismatched task numbers, or a block that is not exactly the body of one function.
    """
    comments, code_lines = _scan(source, path)
    pairs = _pairs(comments, path)
    if not pairs:
        return []
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        raise MarkerError(path, error.lineno or 1, f"cannot be parsed: {error.msg}") from None
    blocks = []
    for task, begin, end in pairs:
        name = _wrapped_function(tree, begin, end, code_lines)
        if name is None:
            raise _explain_misplaced(tree, task, begin, end, path)
        blocks.append(TaskBlock(task, path, begin.line, end.line, name, " " * begin.column))
    return blocks


def tasks_in(source: str) -> set[str]:
    """The task numbers named by ``# BEGIN TASK`` comments, without checking the blocks.

    The grader uses this lenient scan, so that one broken marker in a student's copy does not stop
    the grading. A file that is not valid Python contributes nothing.
    """
    try:
        comments, _ = _scan(source, "<source>")
    except MarkerError:
        return set()
    found = set()
    for comment in comments:
        match = _MARKER.fullmatch(comment.text)
        if match is not None and match["kind"] == "BEGIN":
            found.add(match["task"])
    return found


def _skipped(relative: str) -> bool:
    parts = relative.split("/")
    if parts[0] in _SKIP_TOP or parts[0].startswith(".venv") or parts[0] == "venv":
        return True
    if any(part in _SKIP_PARTS or part.endswith(".egg-info") for part in parts):
        return True
    return relative.startswith(_SKIP_PREFIXES)


def _git_files(root: Path) -> list[str] | None:
    """The files git tracks or would track (not ignored) in the checkout at ``root``, if it is one."""
    if not (root / ".git").exists():
        return None
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root, capture_output=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [name for name in listing.decode("utf-8", "surrogateescape").split("\0") if name]


def _plain_files(root: Path) -> list[str]:
    """The project's files when ``root`` is not a git checkout: the package, tests, docs and setup."""
    names = [name for name in _NOT_GIT_TOP_FILES if (root / name).is_file()]
    for folder in _NOT_GIT_FILES:
        names.extend(
            path.relative_to(root).as_posix() for path in (root / folder).rglob("*") if path.is_file()
        )
    return names


def project_files(root: Path, exclude: Sequence[Path] = ()) -> list[str]:
    """The project's files, as sorted POSIX paths relative to ``root``.

    In a git checkout: the files git tracks plus new files it does not ignore. Otherwise: the
    package, ``tests``, ``docs``, ``.ci`` and the top-level setup files. Either way virtual
    environments, caches, ``site/``, build output, benchmark results, the folders in ``exclude``
    and any student copy inside the project (a folder holding the ``.minitorch-student`` stamp) are
    left out.
    """
    root = root.resolve()
    names = _git_files(root)
    if names is None:
        names = _plain_files(root)
    excluded = [p.resolve() for p in exclude]
    # Student copies inside the project (``make student`` writes one to student/) are not part of it.
    copies = tuple(name[: -len(STAMP)] for name in names if name.endswith("/" + STAMP))
    kept = []
    for name in names:
        path = root / name
        if _skipped(name) or not path.is_file() or (copies and name.startswith(copies)):
            continue
        if any(path.resolve().is_relative_to(folder) for folder in excluded):
            continue
        kept.append(name)
    return sorted(set(kept))


def find_blocks(root: Path, files: Iterable[str] | None = None) -> list[TaskBlock]:
    """Every task block of the project at ``root``, in path and line order.

    Args:
        root: the project folder.
        files: the files to scan (relative POSIX paths); by default ``project_files``.

    Raises:
        MarkerError: for the first malformed or misplaced marker.
    """
    names = project_files(root) if files is None else list(files)
    blocks: list[TaskBlock] = []
    for name in sorted(names):
        if name.endswith(".py"):
            source = (root / name).read_text(encoding="utf-8")
            if "TASK" in source.upper():
                blocks.extend(parse_blocks(source, name))
    return blocks
