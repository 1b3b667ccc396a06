"""Write the student's copy of the project: every task block replaced by a stub that names the task.

The stub keeps the ``def`` line, the signature, the type hints, the docstring and the two marker
lines, and raises ``NotImplementedError`` with the task, the function and a docs page to read::

    def mul(x: float, y: float) -> float:
        \"\"\"Return ``x * y``.\"\"\"
        # BEGIN TASK 0.1
        raise NotImplementedError("Task 0.1: implement mul (see docs/getting-started.md)")
        # END TASK 0.1

The markers stay, so students see where their code goes and ``minitorch assign grade`` works in
their copy. Instructor-only files (the skeleton's own self-check) are left out of the copy.

Examples:
    >>> from minitorch.assign.tasks import parse_blocks
    >>> source = '''def mul(x: float, y: float) -> float:
    ...     \"\"\"Return x * y.\"\"\"
    ...     # BEGIN TASK 0.1
    ...     return x * y
    ...     # END TASK 0.1
    ... '''
    >>> print(stub_source(source, parse_blocks(source, "ops.py")), end="")
    def mul(x: float, y: float) -> float:
        \"\"\"Return x * y.\"\"\"
        # BEGIN TASK 0.1
        raise NotImplementedError("Task 0.1: implement mul (see docs/getting-started.md)")
        # END TASK 0.1
"""

from __future__ import annotations

import ast
import json
import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from .tasks import STAMP, TaskBlock, docs_page, find_blocks, project_files, task_sort_key

__all__ = [
    "INSTRUCTOR_ONLY", "StudentCopy", "stub_message", "stub_lines", "stub_source", "write_student_copy",
]

INSTRUCTOR_ONLY = ("tests/test_assign.py", "tests/test_fast_layer.py", "minitorch/fast/")
"""Files left out of the student's copy (a name ending in ``/`` is a whole folder): the self-check of
the skeleton needs the solution, and the speed layer ``minitorch/fast/`` holds a finished engine (the
package works without it: ``import minitorch`` then uses the reference engine)."""

LINE_LENGTH = 110
"""The project's line length (ruff's setting); a longer stub is wrapped over three lines."""


def _instructor_only(name: str) -> bool:
    """True for a file that :data:`INSTRUCTOR_ONLY` leaves out of the student's copy."""
    return any(name == kept or (kept.endswith("/") and name.startswith(kept)) for kept in INSTRUCTOR_ONLY)


def stub_message(block: TaskBlock) -> str:
    """The ``NotImplementedError`` message of a block's stub: the task, the function and a docs page.

    Examples:
        >>> from minitorch.assign.tasks import TaskBlock
        >>> stub_message(TaskBlock("1.2", "minitorch/scalar_functions.py", 10, 13, "Mul.forward", "    "))
        'Task 1.2: implement Mul.forward (see docs/tutorials/scalar-function.md)'
    """
    verb = "write the test" if block.is_test else "implement"
    return f"Task {block.task}: {verb} {block.function} (see {docs_page(block)})"


def stub_lines(block: TaskBlock) -> list[str]:
    """The lines that replace a block's body: one ``raise NotImplementedError(...)`` statement."""
    indent = block.indent
    message = stub_message(block)
    literal = json.dumps(message)  # a double-quoted Python string literal
    line = f"{indent}raise NotImplementedError({literal})\n"
    if len(line) - 1 <= LINE_LENGTH:
        return [line]
    inner = f"{indent}    "
    if len(inner + literal) <= LINE_LENGTH:
        parts = [literal]
    else:  # still too long: two adjacent literals, the second one starting at " (see ..."
        head, see, tail = message.partition(" (see ")
        parts = [json.dumps(head), json.dumps(see + tail)]
    return [f"{indent}raise NotImplementedError(\n", *(inner + p + "\n" for p in parts), f"{indent})\n"]


def stub_source(source: str, blocks: Sequence[TaskBlock]) -> str:
    """``source`` with the body of each block (found in this same source) replaced by its stub.

    Raises:
        ValueError: if the result does not parse (a block that does not belong to ``source``).
    """
    lines = source.splitlines(keepends=True)
    for block in sorted(blocks, key=lambda b: b.begin, reverse=True):
        # Keep the BEGIN line (index begin - 1) and the END line (index end - 1); replace between.
        lines[block.begin : block.end - 1] = stub_lines(block)
    stubbed = "".join(lines)
    try:
        ast.parse(stubbed)
    except SyntaxError as error:
        path = blocks[0].path if blocks else "<source>"
        raise ValueError(
            f"{path}: the stubbed file does not parse ({error.msg}, line {error.lineno})"
        ) from None
    return stubbed


@dataclass(frozen=True)
class StudentCopy:
    """What ``write_student_copy`` wrote.

    Attributes:
        root: the project that was copied.
        out: the student's copy.
        files: the files written (relative POSIX paths).
        stubbed: the blocks replaced by stubs.
    """

    root: Path
    out: Path
    files: list[str]
    stubbed: list[TaskBlock]

    def summary(self) -> str:
        """A few lines for the terminal: what was written, and the stubs per task."""
        counts: dict[str, int] = {}
        for block in self.stubbed:
            counts[block.task] = counts.get(block.task, 0) + 1
        per_task = ", ".join(
            f"{task} ({counts[task]})" for task in sorted(counts, key=task_sort_key)
        )
        return (
            f"wrote {len(self.files)} files to {self.out}\n"
            f"stubbed {len(self.stubbed)} blocks of tasks {per_task or '(none)'}\n"
            f"next: cd {self.out} && make test   (or: minitorch assign grade {self.out})"
        )


def _check_destination(root: Path, out: Path, force: bool) -> None:
    """Refuse destinations that would overwrite the project or someone's files."""
    if out == root or root.is_relative_to(out):
        raise ValueError(f"the student copy cannot be written to {out}: it contains the project {root}")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder; choose another destination")
    if out.is_dir() and any(out.iterdir()):
        if not (out / STAMP).is_file():
            raise FileExistsError(
                f"{out} is not empty and is not a student copy (it has no {STAMP} file); "
                "choose a new or empty folder"
            )
        if not force:
            raise FileExistsError(
                f"{out} holds a previous student copy; pass force=True (--force) to replace it"
            )
        shutil.rmtree(out)


def write_student_copy(
    root: Path, out: Path, tasks: Collection[str] | None = None, force: bool = False
) -> StudentCopy:
    """Copy the project at ``root`` to ``out`` with the task blocks replaced by stubs.

    Args:
        root: the solution checkout.
        out: the destination; it must not exist, be empty, or (with ``force``) hold a previous
            student copy, which is deleted first.
        tasks: the tasks to stub (such as ``{"0.1", "0.3"}``); by default all of them. The other
            blocks keep their solution.
        force: replace a previous student copy at ``out``.

    Returns:
        What was written.

    Raises:
        MarkerError: if a marker in the project is malformed or misplaced.
        ValueError: for an unknown task, or a destination that contains the project.
        FileExistsError: if ``out`` holds files that are not a previous student copy.
    """
    root, out = root.resolve(), out.resolve()
    files = [name for name in project_files(root, exclude=[out]) if not _instructor_only(name)]
    blocks = find_blocks(root, files)
    if tasks is not None:
        known = {block.task for block in blocks}
        unknown = sorted(set(tasks) - known, key=task_sort_key)
        if unknown:
            raise ValueError(
                f"no block is marked with task {', '.join(unknown)}; the marked tasks are "
                f"{', '.join(sorted(known, key=task_sort_key))}"
            )
        blocks = [block for block in blocks if block.task in tasks]
    by_file: dict[str, list[TaskBlock]] = {}
    for block in blocks:
        by_file.setdefault(block.path, []).append(block)
    # Stub everything before writing anything, so a problem leaves no half-written copy.
    stubbed = {
        name: stub_source((root / name).read_text(encoding="utf-8"), file_blocks)
        for name, file_blocks in by_file.items()
    }
    _check_destination(root, out, force)
    for name in files:
        source, target = root / name, out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in stubbed:
            target.write_text(stubbed[name], encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        shutil.copymode(source, target)
    stamped = sorted({block.task for block in blocks}, key=task_sort_key)
    (out / STAMP).write_text(
        "This folder is a student copy of minitorch, written by `minitorch assign student`.\n"
        f"Stubbed tasks: {' '.join(stamped)}\n",
        encoding="utf-8",
    )
    return StudentCopy(root, out, files, blocks)
