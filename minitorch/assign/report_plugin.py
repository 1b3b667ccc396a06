"""The pytest plugin of the grader: it records each selected test's tasks and outcome as JSON lines.

``minitorch assign grade`` copies this file to a temporary folder and loads it into the graded
checkout's pytest with ``-p``, so it never imports ``minitorch`` itself (the tests import the
checkout's own copy, and the plugin reports which file that was). Every event is appended to the
file named by the ``MINITORCH_GRADE_REPORT`` environment variable as soon as it happens, so the
grader still knows what ran when it has to stop a run that hangs. Unless ``MINITORCH_GRADE_SHRINK=1``
it also turns off hypothesis's shrinking of failing examples (see ``pytest_sessionstart``).

Events (one JSON object per line, ``"event"`` says which):

- ``item``: a selected test, ``{"nodeid": ..., "tasks": ["1.2", ...]}`` (from its ``taskX_Y`` marks);
- ``import``: ``{"minitorch": "/path/to/minitorch/__init__.py"}`` once collection is done;
- ``start``: a test begins, ``{"nodeid": ...}``;
- ``report``: one phase of a test ended, ``{"nodeid", "when", "outcome", "message"}``;
- ``collect-error``: a test file could not be collected, ``{"nodeid", "message"}``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

REPORT_ENV = "MINITORCH_GRADE_REPORT"
SHRINK_ENV = "MINITORCH_GRADE_SHRINK"
_TASK_MARK = re.compile(r"task(\d+)_(\d+)")


def _write(event: str, **fields: Any) -> None:
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(json.dumps({"event": event, **fields}) + "\n")


def _message(report: Any) -> str:
    """The one-line reason of a failure: the exception line pytest shows, or the report's last line."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    if isinstance(message, str) and message.strip():
        return message.strip()
    lines = [line.strip() for line in str(report.longrepr).splitlines() if line.strip()]
    return lines[-1] if lines else report.outcome


def pytest_sessionstart(session: Any) -> None:
    """Without ``MINITORCH_GRADE_SHRINK=1``, stop hypothesis from shrinking failing examples.

    Shrinking and explaining only make a failing example smaller and easier to read; they never
    change whether a test passes, and they take most of the time of a failing property test (a
    skeleton's whole run is several times faster without them). The profile the project's conftest
    loaded is kept otherwise (the ``ci`` profile's fixed seed, say).
    """
    if os.environ.get(SHRINK_ENV) == "1":
        return
    try:
        from hypothesis import Phase, settings
    except ImportError:
        return
    current = settings()
    quick = [phase for phase in current.phases if phase not in (Phase.shrink, Phase.explain)]
    settings.register_profile("minitorch-grade", parent=current, phases=quick)
    settings.load_profile("minitorch-grade")


def pytest_collectreport(report: Any) -> None:
    """Record a test file that failed to import or collect."""
    if report.failed:
        _write("collect-error", nodeid=report.nodeid, message=_message(report))


def pytest_collection_finish(session: Any) -> None:
    """Record the selected tests with their tasks, and where ``minitorch`` was imported from."""
    for item in session.items:
        tasks = set()
        for mark in item.iter_markers():
            match = _TASK_MARK.fullmatch(mark.name)
            if match:
                tasks.add(f"{match[1]}.{match[2]}")
        _write("item", nodeid=item.nodeid, tasks=sorted(tasks))
    module = sys.modules.get("minitorch")
    _write("import", minitorch=getattr(module, "__file__", None))


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    """Record that a test started (to name the test that was running if the grader stops the run)."""
    _write("start", nodeid=nodeid)


def pytest_runtest_logreport(report: Any) -> None:
    """Record the outcome of each phase (setup, call, teardown) of a test."""
    message = _message(report) if report.failed else None
    _write("report", nodeid=report.nodeid, when=report.when, outcome=report.outcome, message=message)
