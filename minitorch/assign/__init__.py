"""Teaching tools: the course's tasks marked in the source, a student skeleton, and a grader.

Solution code a student writes is the whole body of a function between ``# BEGIN TASK x.y`` and
``# END TASK x.y`` comment lines (see ``minitorch.assign.tasks``).
``write_student_copy`` writes the project with those bodies replaced by stubs that raise
``NotImplementedError`` naming the task; ``grade`` runs the tests marked ``taskX_Y`` of a checkout
and reports one row per task. The command line is ``minitorch assign student OUT_DIR`` and
``minitorch assign grade [PATH] [--json]``; docs/instructors.md describes the workflow.

This package is not imported by ``import minitorch``: import it as ``minitorch.assign``.
"""

from .grade import GradeReport, TaskResult, TestOutcome, find_checkout, grade
from .skeleton import StudentCopy, stub_source, write_student_copy
from .tasks import MarkerError, TaskBlock, find_blocks, parse_blocks, project_files

__all__ = [
    "MarkerError", "TaskBlock", "parse_blocks", "find_blocks", "project_files",
    "StudentCopy", "stub_source", "write_student_copy",
    "GradeReport", "TaskResult", "TestOutcome", "grade", "find_checkout",
]
