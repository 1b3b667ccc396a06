"""Grade a checkout: run its task-marked tests in a subprocess and report one row per task.

The tests run with the checkout's own code: the subprocess starts in the checkout with the checkout
first on ``PYTHONPATH``, and a small pytest plugin (``minitorch.assign.report_plugin``) records
which ``minitorch`` the tests imported; a run that imported any other copy (an installed one, say)
is reported as an error rather than graded. Tests are selected with pytest's own ``-m task1_2 or
...`` and the plugin records each test's task marks and outcome, so nothing parses pytest's text.

The run uses the hypothesis ``ci`` profile (``CI=1``: fixed seeds), so a grade is reproducible, and
does not shrink failing examples (that changes no outcome, and makes a skeleton's run several times
faster).

Examples:
    >>> result = TaskResult("1.2", (TestOutcome("tests/test_scalar.py::test_mul", "passed"),))
    >>> result.row()
    'Task 1.2      1/1  ok'
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import report_plugin
from .tasks import TASK_TITLES, project_files, task_marker, task_sort_key, tasks_in

__all__ = [
    "DEFAULT_TIMEOUT", "TestOutcome", "TaskResult", "GradeReport", "grade", "find_checkout",
    "checkout_tasks",
]

DEFAULT_TIMEOUT = 1800.0
"""Seconds after which a grading run is stopped (a student's infinite loop must not hang a grader)."""

_PLUGIN = "minitorch_grade_report"  # the module name the plugin gets in the subprocess
_MESSAGE_WIDTH = 240  # characters of a failure message shown in the table (JSON has all of it)


@dataclass(frozen=True)
class TestOutcome:
    """The result of one test: ``outcome`` is ``"passed"``, ``"failed"`` or ``"skipped"``."""

    __test__ = False  # not a pytest test class, despite the name

    nodeid: str
    outcome: str
    message: str | None = None


@dataclass(frozen=True)
class TaskResult:
    """The tests of one task and how they went; the task is done when none failed and one passed."""

    task: str
    tests: tuple[TestOutcome, ...]

    def _count(self, outcome: str) -> int:
        return sum(1 for test in self.tests if test.outcome == outcome)

    @property
    def passed(self) -> int:
        """The number of tests that passed."""
        return self._count("passed")

    @property
    def failed(self) -> int:
        """The number of tests that failed (or errored, or did not run to the end)."""
        return self._count("failed")

    @property
    def skipped(self) -> int:
        """The number of tests that were skipped (a missing optional dependency) or not run."""
        return self._count("skipped")

    @property
    def total(self) -> int:
        """The number of tests that carry the task's marker."""
        return len(self.tests)

    @property
    def ok(self) -> bool:
        """True when at least one test passed and none failed."""
        return self.failed == 0 and self.passed > 0

    @property
    def first_failure(self) -> TestOutcome | None:
        """The first failing test, in the order the tests ran."""
        return next((test for test in self.tests if test.outcome == "failed"), None)

    def row(self) -> str:
        """``Task 1.2  passed/total  ok``, or the first failing test and its message."""
        head = f"Task {self.task:<5} {self.passed:>3}/{self.total:<3}"
        if self.total == 0:
            return f"{head} no test carries the marker {task_marker(self.task)}"
        failure = self.first_failure
        if failure is None:
            skipped = f" ({self.skipped} skipped)" if self.skipped else ""
            return f"{head} {'ok' if self.ok else 'every test was skipped'}{skipped}"
        message = (failure.message or "failed").splitlines()[0]
        if len(message) > _MESSAGE_WIDTH:
            message = message[: _MESSAGE_WIDTH - 3] + "..."
        return f"{head} first failing test: {failure.nodeid}: {message}"

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON data."""
        failure = self.first_failure
        return {
            "task": self.task,
            "title": TASK_TITLES.get(self.task),
            "marker": task_marker(self.task),
            "ok": self.ok,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "total": self.total,
            "first_failure": None if failure is None else {
                "nodeid": failure.nodeid, "message": failure.message,
            },
            "tests": [
                {"nodeid": t.nodeid, "outcome": t.outcome, "message": t.message} for t in self.tests
            ],
        }


@dataclass(frozen=True)
class GradeReport:
    """The grade of one checkout.

    Attributes:
        path: the checkout.
        tasks: one result per task, in task order.
        errors: problems with the run itself (a test file that does not import, tests that imported
            another copy of minitorch, a run that was stopped); any error fails the grade.
        minitorch_file: the ``minitorch/__init__.py`` the tests imported.
        seconds: how long the run took.
        exit_code: pytest's exit code (``None`` if the run was stopped).
        command: the command that ran the tests.
    """

    path: Path
    tasks: tuple[TaskResult, ...]
    errors: tuple[str, ...]
    minitorch_file: str | None
    seconds: float
    exit_code: int | None
    command: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when every task is done and the run had no error."""
        return bool(self.tasks) and not self.errors and all(task.ok for task in self.tasks)

    def table(self) -> str:
        """One row per task, then a summary line and any errors."""
        lines = [task.row() for task in self.tasks]
        done = sum(1 for task in self.tasks if task.ok)
        passed = sum(task.passed for task in self.tasks)
        total = sum(task.total for task in self.tasks)
        lines.append(
            f"{done}/{len(self.tasks)} tasks complete, {passed}/{total} tests passed "
            f"({self.seconds:.1f} s, {self.path})"
        )
        lines.extend(f"error: {error}" for error in self.errors)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data (what ``minitorch assign grade --json`` prints)."""
        return {
            "path": str(self.path),
            "ok": self.ok,
            "minitorch": self.minitorch_file,
            "seconds": round(self.seconds, 3),
            "exit_code": self.exit_code,
            "command": list(self.command),
            "errors": list(self.errors),
            "passed": sum(task.passed for task in self.tasks),
            "total": sum(task.total for task in self.tasks),
            "tasks": [task.to_dict() for task in self.tasks],
        }


def find_checkout(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``minitorch/__init__.py`` and ``tests/``.

    Raises:
        FileNotFoundError: if there is none.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "minitorch" / "__init__.py").is_file() and (folder / "tests").is_dir():
            return folder
    raise FileNotFoundError(
        f"{start} is not inside a minitorch checkout (a folder with minitorch/__init__.py and "
        "tests/); pass the checkout's path"
    )


def checkout_tasks(root: Path) -> list[str]:
    """The tasks named by ``# BEGIN TASK`` markers anywhere in the checkout's Python files."""
    found: set[str] = set()
    for name in project_files(root):
        if name.endswith(".py"):
            found |= tasks_in((root / name).read_text(encoding="utf-8", errors="replace"))
    return sorted(found, key=task_sort_key)


def _selection(tasks: Iterable[str], skip_slow: bool) -> str:
    expression = " or ".join(task_marker(task) for task in tasks)
    return f"({expression}) and not slow" if skip_slow else expression


def grade(
    root: Path,
    tasks: Collection[str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    skip_slow: bool = False,
    exitfirst: bool = False,
    shrink: bool = False,
    python: str | None = None,
) -> GradeReport:
    """Run the task-marked tests of the checkout at ``root`` and grade each task.

    Args:
        root: the checkout (the solution, or a student's copy).
        tasks: the tasks to grade, such as ``["1.2"]``; by default every task with a ``# BEGIN
            TASK`` marker in the checkout.
        timeout: seconds after which the run is stopped; the tests that did not finish fail.
        skip_slow: leave out the tests marked ``slow``.
        exitfirst: stop at the first failing test (pytest's ``-x``; the other tests count as
            not run).
        shrink: let hypothesis shrink failing examples (smaller examples in the messages; a run
            with many failing property tests takes several times longer).
        python: the interpreter that runs pytest (by default this one).

    Returns:
        The report; ``report.ok`` says whether every task is done.

    Raises:
        FileNotFoundError: if ``root`` has no ``minitorch`` package or no ``tests`` folder.
        ValueError: if no task is given and the checkout has no task markers.
    """
    root = root.resolve()
    if not (root / "minitorch" / "__init__.py").is_file() or not (root / "tests").is_dir():
        raise FileNotFoundError(
            f"{root} is not a minitorch checkout: it needs minitorch/__init__.py and tests/"
        )
    chosen = sorted(set(tasks), key=task_sort_key) if tasks is not None else checkout_tasks(root)
    if not chosen:
        raise ValueError(f"{root} has no '# BEGIN TASK' markers, so there is nothing to grade")
    with tempfile.TemporaryDirectory(prefix="minitorch-grade-") as scratch:
        shutil.copyfile(report_plugin.__file__, Path(scratch) / f"{_PLUGIN}.py")
        events_path = Path(scratch) / "events.jsonl"
        command = [
            python or sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider",
            "-p", _PLUGIN, "-m", _selection(chosen, skip_slow), f"--rootdir={root}",
            "--continue-on-collection-errors",
        ]
        if exitfirst:
            command.append("-x")
        env = dict(os.environ)
        env.pop("PYTEST_ADDOPTS", None)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(root), scratch, *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        env.setdefault("CI", "1")  # the hypothesis "ci" profile: fixed seeds
        env[report_plugin.REPORT_ENV] = str(events_path)
        env[report_plugin.SHRINK_ENV] = "1" if shrink else "0"
        start = time.perf_counter()
        exit_code: int | None
        try:
            run = subprocess.run(
                command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout
            )
            exit_code, output = run.returncode, run.stdout + run.stderr
        except subprocess.TimeoutExpired as stopped:
            exit_code, output = None, _text(stopped.stdout) + _text(stopped.stderr)
        seconds = time.perf_counter() - start
        events = _read_events(events_path)
    return _report(root, chosen, events, exit_code, output, seconds, timeout, tuple(command))


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def _read_events(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:  # the last line of a run that was stopped mid-write
            continue
    return events


def _report(
    root: Path,
    tasks: list[str],
    events: list[dict[str, Any]],
    exit_code: int | None,
    output: str,
    seconds: float,
    timeout: float,
    command: tuple[str, ...],
) -> GradeReport:
    """Turn the plugin's events into per-task results and a list of errors."""
    items: dict[str, list[str]] = {}
    phases: dict[str, list[dict[str, Any]]] = {}
    errors: list[str] = []
    minitorch_file: str | None = None
    last_started: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "item":
            items[event["nodeid"]] = event["tasks"]
        elif kind == "report":
            phases.setdefault(event["nodeid"], []).append(event)
        elif kind == "start":
            last_started = event["nodeid"]
        elif kind == "import":
            minitorch_file = event["minitorch"]
        elif kind == "collect-error":
            errors.append(f"{event['nodeid']} could not be collected: {event['message']}")
    if minitorch_file is not None and not Path(minitorch_file).resolve().is_relative_to(root):
        errors.append(
            f"the tests imported minitorch from {minitorch_file}, not from the checkout {root}; "
            "their results say nothing about this checkout's code"
        )
    if exit_code is None:
        where = f" while running {last_started}" if last_started else ""
        errors.append(f"the run was stopped after {timeout:g} s{where}")
    elif exit_code not in (0, 1) or not events:
        tail = "\n".join(output.strip().splitlines()[-15:])
        errors.append(f"pytest exited with code {exit_code}:\n{tail}")
    outcomes = {
        nodeid: _outcome(nodeid, phases.get(nodeid, []), nodeid == last_started and exit_code is None)
        for nodeid in items
    }
    results = tuple(
        TaskResult(task, tuple(outcomes[nodeid] for nodeid, marks in items.items() if task in marks))
        for task in tasks
    )
    return GradeReport(
        root, results, tuple(errors), minitorch_file, seconds, exit_code, command
    )


def _outcome(nodeid: str, phases: list[dict[str, Any]], timed_out: bool) -> TestOutcome:
    """Combine the setup, call and teardown reports of one test into its outcome."""
    for phase in phases:
        if phase["outcome"] == "failed":
            prefix = "" if phase["when"] == "call" else f"error in {phase['when']}: "
            return TestOutcome(nodeid, "failed", prefix + (phase["message"] or "failed"))
    if any(phase["outcome"] == "skipped" for phase in phases):
        return TestOutcome(nodeid, "skipped")
    if any(phase["when"] == "call" and phase["outcome"] == "passed" for phase in phases):
        return TestOutcome(nodeid, "passed")
    if timed_out:
        return TestOutcome(nodeid, "failed", "did not finish before the run was stopped")
    # Never started: the run stopped early (-x, a timeout, a crash, which the errors report).
    return TestOutcome(nodeid, "skipped", "not run: the run stopped before this test")
