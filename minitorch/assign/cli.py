"""The ``minitorch assign`` commands: ``student`` writes the skeleton, ``grade`` runs the grader.

Examples:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="minitorch")
    >>> add_assign_parser(parser.add_subparsers())
    >>> args = parser.parse_args(["assign", "grade", "--task", "1.2", "--json"])
    >>> args.tasks, args.json, args.path
    (['1.2'], True, None)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .grade import DEFAULT_TIMEOUT, find_checkout, grade
from .skeleton import write_student_copy
from .tasks import MarkerError

__all__ = ["add_assign_parser"]

_TASK_NUMBER = re.compile(r"\d+\.\d+")


def add_assign_parser(commands: Any) -> None:
    """Add ``assign`` with its ``student`` and ``grade`` subcommands to the ``minitorch`` parser."""
    assign = commands.add_parser(
        "assign",
        help="hand out the course's tasks (a student skeleton) and grade them",
        description=(
            "Tools for teaching with minitorch. The solution code a student writes is marked with "
            "'# BEGIN TASK x.y' / '# END TASK x.y' comments around whole function bodies; "
            "'student' writes a copy with those bodies replaced by stubs, and 'grade' runs the "
            "tests marked with each task and reports one row per task. See docs/instructors.md."
        ),
    )
    actions = assign.add_subparsers(title="commands", dest="assign_command", metavar="COMMAND")
    actions.required = True

    student = actions.add_parser(
        "student",
        help="write the students' copy of the project, with every task replaced by a stub",
        description=(
            "Copy the project (the files git tracks, or the package, tests, docs and setup files) "
            "to OUT_DIR, replacing the body of every marked function with a stub that keeps the "
            "signature, the types and the docstring and raises NotImplementedError naming the task."
        ),
    )
    student.add_argument("out", type=Path, metavar="OUT_DIR", help="where to write the copy")
    student.add_argument(
        "--task", dest="tasks", action="append", type=_task_number, metavar="X.Y",
        help="stub only this task, keeping the others solved (repeat for more; default: all)",
    )
    student.add_argument(
        "--root", type=Path, default=None, metavar="PATH",
        help="the solution checkout to copy (default: the checkout around the current folder)",
    )
    student.add_argument(
        "--force", action="store_true", help="replace a previous student copy in OUT_DIR",
    )
    student.set_defaults(handler=_run_student, parser=student)

    grader = actions.add_parser(
        "grade",
        help="run the task-marked tests of a checkout and report one row per task",
        description=(
            "Run the tests marked task0_1, task1_2, ... of a checkout, in a subprocess that "
            "imports that checkout's own code, and print one row per task: tests passed out of "
            "the task's tests and the first failing test. Exits 0 when every task passes, 1 when "
            "one fails."
        ),
    )
    grader.add_argument(
        "path", type=Path, nargs="?", default=None, metavar="PATH",
        help="the checkout to grade, such as a student's copy (default: the current project)",
    )
    grader.add_argument(
        "--json", action="store_true", help="print machine-readable results (for autograders)",
    )
    grader.add_argument(
        "--task", dest="tasks", action="append", type=_task_number, metavar="X.Y",
        help="grade only this task (repeat for more; default: every marked task)",
    )
    grader.add_argument(
        "--skip-slow", action="store_true", help="leave out the tests marked slow",
    )
    grader.add_argument(
        "--shrink", action="store_true",
        help="let hypothesis shrink failing examples (clearer examples, a slower run)",
    )
    grader.add_argument(
        "--timeout", type=_positive_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help="stop the run after this long; unfinished tests fail (default: %(default)g)",
    )
    grader.set_defaults(handler=_run_grade, parser=grader)


def _task_number(text: str) -> str:
    if not _TASK_NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"expected a task number like 1.2, got {text!r}")
    return text


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0.0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _checkout(parser: argparse.ArgumentParser, given: Path | None, option: str) -> Path:
    """The checkout named on the command line, or the one around the current folder."""
    try:
        return find_checkout(Path.cwd() if given is None else given)
    except FileNotFoundError as error:
        parser.error(f"{option}: {error}")


def _run_student(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    root = _checkout(parser, args.root, "argument --root")
    try:
        copy = write_student_copy(root, args.out, tasks=args.tasks, force=args.force)
    except MarkerError as error:
        print(f"minitorch assign student: error: a task marker is wrong: {error}", file=sys.stderr)
        return 1
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    except OSError as error:
        print(f"minitorch assign student: error: {error}", file=sys.stderr)
        return 1
    print(copy.summary())
    return 0


def _run_grade(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    root = _checkout(parser, args.path, "argument PATH")
    print(f"grading {root} ...", file=sys.stderr, flush=True)
    try:
        report = grade(
            root, args.tasks, timeout=args.timeout, skip_slow=args.skip_slow, shrink=args.shrink
        )
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.table())
    return 0 if report.ok else 1
