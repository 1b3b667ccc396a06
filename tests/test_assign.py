"""Tests of the teaching tools: task markers, the student skeleton and the grader (``minitorch assign``).

The ``slow`` test ``test_tasks_stand_alone_in_order`` is the skeleton's self-check: for every task
marked in the code, stubbing it and the tasks after it must make one of its tests fail, and
stubbing only the tasks after it must leave all of its tests passing, so a student who works in
order can reach full marks at each step. The rest are fast unit tests of the marker parser, the stub
writer, the copy and the grader (on a tiny project of their own).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import minitorch.cli as cli
from minitorch.assign import (
    GradeReport,
    MarkerError,
    TaskBlock,
    find_blocks,
    grade,
    parse_blocks,
    project_files,
    stub_source,
    write_student_copy,
)
from minitorch.assign.grade import TaskResult
from minitorch.assign.skeleton import LINE_LENGTH, stub_message
from minitorch.assign.tasks import (
    STAMP,
    TASK_DOCS,
    TASK_TITLES,
    docs_page,
    task_marker,
    task_sort_key,
)

ROOT = Path(__file__).resolve().parent.parent

BUILTINS = ["Add", "Mul", "Inv", "Neg", "Log", "Exp", "Sigmoid", "ReLU", "LT", "EQ"]

# What a student writes, task by task (the course's tasks 0.1 to 2.4 and 4.1 to 4.4).
# The tensor functions whose forward (task 2.3) and backward (task 2.4) the students write.
TENSOR_FUNCTIONS = ("Mul", "Sigmoid", "ReLU", "Log", "Exp", "LT", "EQ")

EXPECTED_BLOCKS = {
    "0.1": {
        "mul", "id", "add", "neg", "lt", "eq", "max", "is_close", "sigmoid", "relu", "log", "exp",
        "inv", "log_back", "inv_back", "relu_back",
    },
    "0.2": {
        "test_sigmoid_lies_between_zero_and_one", "test_sigmoid_is_symmetric",
        "test_sigmoid_is_monotone", "test_sigmoid_is_strictly_increasing_where_representable",
        "test_lt_is_transitive", "test_mul_is_symmetric", "test_mul_distributes_over_add",
        "test_neg_is_an_involution", "test_add_neg_is_zero",
    },
    "0.3": {"map", "zipWith", "reduce", "negList", "addLists", "sum", "prod"},
    "0.4": {
        f"Module.{name}"
        for name in ("modules", "children", "train", "eval", "_set_training", "named_modules",
                     "named_parameters", "parameters")
    },
    "1.1": {"central_difference"},
    "1.2": {f"{name}.forward" for name in BUILTINS},
    "1.3": {"Scalar.chain_rule"},
    "1.4": {"topological_sort", "backpropagate"}
    | {f"{name}.backward" for name in BUILTINS},
    "2.1": {"index_to_position", "to_index", "TensorData.permute"},
    "2.2": {"broadcast_index", "shape_broadcast"},
    "2.3": {"tensor_map._map", "tensor_zip._zip", "tensor_reduce._reduce"}
    | {f"{name}.forward" for name in TENSOR_FUNCTIONS}
    | {"IsClose.forward", "Permute.forward"},
    "2.4": {f"{name}.backward" for name in TENSOR_FUNCTIONS} | {"Permute.backward"},
    "3.1": {"tensor_map._map", "tensor_zip._zip", "tensor_reduce._reduce"},
    "3.2": {"_tensor_matrix_multiply"},
    "3.3": {"tensor_map._map", "tensor_zip._zip", "tensor_reduce._reduce", "_sum_practice"},
    "3.4": {"_mm_practice", "_tensor_matrix_multiply"},
    "4.1": {"tensor_conv1d"},
    "4.2": {"tensor_conv2d"},
    "4.3": {"tile", "avgpool2d"},
    "4.4": {"Max.forward", "Max.backward", "softmax", "logsoftmax", "maxpool2d", "dropout"},
}

MUL = '''\
class Ops:
    @staticmethod
    def mul(x: float, y: float = 2.0) -> float:
        """Return x * y.

        A second paragraph.
        """
        # BEGIN TASK 1.2
        # a comment of the solution
        product = x * y
        return product
        # END TASK 1.2
'''


def _error(source: str) -> MarkerError:
    with pytest.raises(MarkerError) as caught:
        parse_blocks(textwrap.dedent(source), "pkg/ops.py")
    return caught.value


# ## The marker parser


def test_parse_blocks_finds_the_method_body_with_its_qualified_name() -> None:
    (block,) = parse_blocks(MUL, "pkg/ops.py")
    assert block == TaskBlock("1.2", "pkg/ops.py", 8, 12, "Ops.mul", "        ")
    assert block.marker == "task1_2"
    assert not block.is_test


def test_parse_blocks_finds_a_body_without_docstring_and_a_test_body() -> None:
    source = textwrap.dedent(
        """\
        def test_symmetric(x: float) -> None:
            # BEGIN TASK 0.2
            assert x == x
            # END TASK 0.2
        """
    )
    (block,) = parse_blocks(source, "tests/test_ops.py")
    assert (block.task, block.function, block.begin, block.end) == ("0.2", "test_symmetric", 2, 4)
    assert block.is_test


def test_parse_blocks_accepts_a_nested_function_inside_the_block() -> None:
    source = textwrap.dedent(
        """\
        def outer(fn):
            \"\"\"Doc.\"\"\"
            # BEGIN TASK 0.3

            @staticmethod
            def inner(x):
                return fn(x)

            return inner
            # END TASK 0.3
        """
    )
    (block,) = parse_blocks(source, "ops.py")
    assert block.function == "outer"


def test_parse_blocks_ignores_marker_text_inside_strings() -> None:
    source = 'TEXT = """\n# BEGIN TASK 1.2\n"""\n\n\ndef f() -> str:\n    return "# END TASK 1.2"\n'
    assert parse_blocks(source, "ops.py") == []


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK 1.2
                return x
            """,
            2, "has no matching '# END TASK 1.2'", id="begin-without-end",
        ),
        pytest.param(
            """\
            def f(x):
                return x
                # END TASK 1.2
            """,
            3, "has no '# BEGIN TASK 1.2' before it", id="end-without-begin",
        ),
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK 1.2
                def g(y):
                    # BEGIN TASK 1.3
                    return y
                    # END TASK 1.3
                return g(x)
                # END TASK 1.2
            """,
            4, "blocks cannot nest", id="nested",
        ),
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK 1.2
                return x
                # END TASK 1.3
            """,
            4, "the numbers must match", id="mismatched-numbers",
        ),
        pytest.param(
            """\
            def f(x):
                # begin task 1.2
                return x
                # END TASK 1.2
            """,
            2, "malformed task marker", id="lower-case",
        ),
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK
                return x
                # END TASK
            """,
            2, "malformed task marker", id="no-number",
        ),
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK 1.2: the forward formula
                return x
                # END TASK 1.2
            """,
            2, "malformed task marker", id="trailing-text",
        ),
        pytest.param(
            """\
            def f(x):
                y = x  # BEGIN TASK 1.2
                return y
                # END TASK 1.2
            """,
            2, "on a line of its own", id="after-code",
        ),
        pytest.param(
            """\
            def f(x):
                \"\"\"Doc.\"\"\"
                y = x
                # BEGIN TASK 1.2
                return y
                # END TASK 1.2
            """,
            4, "must wrap the whole body of f", id="part-of-the-body",
        ),
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK 1.2
                \"\"\"Doc.\"\"\"
                return x
                # END TASK 1.2
            """,
            2, "after the docstring", id="around-the-docstring",
        ),
        pytest.param(
            """\
            def f(x):
                # BEGIN TASK 1.2
                return x
            # END TASK 1.2
            """,
            2, "indented like the body (column 4)", id="misindented",
        ),
        pytest.param(
            """\
            # BEGIN TASK 1.2
            X = 1
            # END TASK 1.2
            """,
            1, "is not inside a function", id="module-level",
        ),
    ],
)
def test_parse_blocks_rejects_bad_markers_naming_file_and_line(
    source: str, line: int, fragment: str
) -> None:
    error = _error(source)
    assert (error.path, error.line) == ("pkg/ops.py", line)
    assert str(error).startswith(f"pkg/ops.py:{line}: ")
    assert fragment in str(error)


def test_parse_blocks_names_unreadable_python() -> None:
    error = _error("def f(x:\n    # BEGIN TASK 1.2\n")
    assert error.path == "pkg/ops.py"
    assert "cannot be read as Python" in str(error)


# ## The stub writer


def _function(source: str, qualified_name: str) -> ast.FunctionDef:
    """The function or method called ``qualified_name`` (``"Mul.forward"``) in ``source``."""
    node: ast.AST = ast.parse(source)
    for name in qualified_name.split("."):
        (node,) = [
            child for child in ast.iter_child_nodes(node)
            if isinstance(child, (ast.ClassDef, ast.FunctionDef)) and child.name == name
        ]
    assert isinstance(node, ast.FunctionDef)
    return node


def test_stub_keeps_signature_types_decorators_and_docstring() -> None:
    stubbed = stub_source(MUL, parse_blocks(MUL, "pkg/ops.py"))
    before, after = _function(MUL, "Ops.mul"), _function(stubbed, "Ops.mul")
    assert ast.dump(after.args) == ast.dump(before.args)
    assert ast.dump(after.returns) == ast.dump(before.returns)  # type: ignore[arg-type]
    assert [ast.dump(d) for d in after.decorator_list] == [ast.dump(d) for d in before.decorator_list]
    assert ast.get_docstring(after) == ast.get_docstring(before)
    assert [type(node) for node in after.body] == [ast.Expr, ast.Raise]
    assert "# BEGIN TASK 1.2" in stubbed and "# END TASK 1.2" in stubbed
    assert "product" not in stubbed and "a comment of the solution" not in stubbed


def test_stub_raises_not_implemented_naming_task_function_and_docs_page() -> None:
    namespace: dict[str, object] = {}
    exec(stub_source(MUL, parse_blocks(MUL, "pkg/ops.py")), namespace)
    with pytest.raises(NotImplementedError) as caught:
        namespace["Ops"].mul(1.0, 2.0)  # type: ignore[attr-defined]
    assert str(caught.value) == f"Task 1.2: implement Ops.mul (see {TASK_DOCS['1.2']})"


def test_stub_of_a_test_asks_for_the_test() -> None:
    block = TaskBlock("0.2", "tests/test_operators.py", 3, 5, "test_mul_is_symmetric", "    ")
    assert stub_message(block).startswith("Task 0.2: write the test test_mul_is_symmetric (see ")


def test_stub_wraps_a_long_message_within_the_line_length() -> None:
    name = "a_function_whose_name_is_rather_long_too"
    source = f"def {name}() -> None:\n    # BEGIN TASK 1.4\n    pass\n    # END TASK 1.4\n"
    stubbed = stub_source(source, parse_blocks(source, "long.py"))
    assert len(stubbed.splitlines()) == 6  # def, BEGIN, three lines of raise, END
    assert max(len(line) for line in stubbed.splitlines()) <= LINE_LENGTH
    assert isinstance(_function(stubbed, name).body[0], ast.Raise)


def test_stub_splits_a_message_too_long_for_one_line() -> None:
    name = "test_a_property_whose_name_is_so_long_that_its_message_is_too_wide"
    source = f"def {name}() -> None:\n    # BEGIN TASK 0.2\n    pass\n    # END TASK 0.2\n"
    stubbed = stub_source(source, parse_blocks(source, "tests/test_long.py"))
    assert max(len(line) for line in stubbed.splitlines()) <= LINE_LENGTH
    namespace: dict[str, object] = {}
    exec(stubbed, namespace)
    with pytest.raises(NotImplementedError, match=rf"^Task 0\.2: write the test {name} \(see docs/"):
        namespace[name]()  # type: ignore[operator]


def test_stub_of_the_whole_project_parses_and_keeps_every_signature() -> None:
    blocks = find_blocks(ROOT)
    for path in sorted({block.path for block in blocks}):
        source = (ROOT / path).read_text(encoding="utf-8")
        stubbed = stub_source(source, [b for b in blocks if b.path == path])
        for block in (b for b in blocks if b.path == path):
            before, after = _function(source, block.function), _function(stubbed, block.function)
            assert ast.dump(after.args) == ast.dump(before.args), block
            assert ast.get_docstring(after) == ast.get_docstring(before), block
            assert isinstance(after.body[-1], ast.Raise), block


# ## The project's markers


def test_project_marks_exactly_what_a_student_writes() -> None:
    found: dict[str, set[str]] = {}
    for block in find_blocks(ROOT):
        found.setdefault(block.task, set()).add(block.function)
    # Modules 0-1 are fixed; the tasks of later modules join as their code is marked.
    assert {task: found.get(task) for task in EXPECTED_BLOCKS} == EXPECTED_BLOCKS


def test_project_every_task_has_a_title_and_a_task_page() -> None:
    for task in _project_tasks():
        assert task in TASK_TITLES, f"task {task} has no title in minitorch/assign/tasks.py"
        assert (ROOT / TASK_DOCS[task]).is_file(), f"task {task}: no docs page {TASK_DOCS.get(task)}"


def test_project_stubs_point_to_existing_docs_pages() -> None:
    for block in find_blocks(ROOT):
        assert (ROOT / docs_page(block)).is_file(), (block, docs_page(block))


def _marked_tests() -> dict[str, int]:
    """How many test functions of tests/ carry each ``@pytest.mark.taskX_Y`` marker."""
    counts: dict[str, int] = {}
    for path in (ROOT / "tests").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                for decorator in node.decorator_list:
                    text = ast.unparse(decorator)
                    if text.startswith("pytest.mark.task"):
                        marker = text.removeprefix("pytest.mark.")
                        counts[marker] = counts.get(marker, 0) + 1
    return counts


def test_project_every_task_has_tests_with_its_marker() -> None:
    counts = _marked_tests()
    for task in EXPECTED_BLOCKS:
        assert counts.get(task_marker(task), 0) > 0, f"no test is marked {task_marker(task)}"


def test_project_files_leave_out_environments_caches_and_results() -> None:
    files = project_files(ROOT)
    assert {"minitorch/__init__.py", "tests/conftest.py", "Makefile", "setup.cfg"} <= set(files)
    for name in files:
        top = name.split("/")[0]
        assert not top.startswith(".venv") and top not in ("site", "build", "dist"), name
        assert "__pycache__" not in name and ".egg-info" not in name, name
        assert not name.startswith("bench/results/"), name


# ## The student's copy


def _run_in(copy: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports the copy's own minitorch."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True, text=True, timeout=120,
    )


def test_student_copy_imports_cleanly_and_stubs_every_task(tmp_path: Path) -> None:
    out = tmp_path / "student"
    copy = write_student_copy(ROOT, out)
    assert {block.task for block in copy.stubbed} == set(EXPECTED_BLOCKS)
    assert (out / STAMP).is_file()
    assert not (out / "tests" / "test_assign.py").exists()  # the self-check needs the solution
    for name in copy.files:
        if name.endswith(".py"):
            ast.parse((out / name).read_text(encoding="utf-8"), filename=name)
    # The markers stay around the stubs, so the copy can be graded (and handed out again).
    assert [(b.task, b.path, b.function) for b in find_blocks(out)] == [
        (b.task, b.path, b.function) for b in find_blocks(ROOT) if not b.path.startswith("minitorch/fast/")
    ]
    probe = _run_in(out, textwrap.dedent(
        """\
        import minitorch
        print(minitorch.__file__)
        try:
            minitorch.Scalar(2.0) * 3.0
        except NotImplementedError as error:
            print(error)
        """
    ))
    assert probe.returncode == 0, probe.stderr
    imported, message = probe.stdout.splitlines()
    assert Path(imported) == out / "minitorch" / "__init__.py"
    assert message.startswith("Task 1.2: implement Mul.forward (see docs/tasks.md)")


def test_student_copy_has_its_own_readme_listing_the_tasks_in_order(tmp_path: Path) -> None:
    out = tmp_path / "student"
    write_student_copy(ROOT, out)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme != (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# minitorch: your copy")
    first_steps = readme.split("## What to do first")[1].split("##")[0]
    assert "make check TASK=0.1" in first_steps and "docs/tasks.md" in first_steps
    rows = [line for line in readme.splitlines() if re.match(r"\| \d+\.\d+ \|", line)]
    assert [row.split("|")[1].strip() for row in rows] == _project_tasks()
    for row, task in zip(rows, _project_tasks(), strict=True):
        assert TASK_TITLES[task] in row and f"make check TASK={task}" in row
    assert "site/index.html" in readme and "http.server" in readme
    assert ".venv/bin/minitorch assign grade . --task 0.1" in readme
    makefile = (out / "Makefile").read_text(encoding="utf-8")
    assert "\ncheck: " in makefile and "--task $(task)" in makefile


def test_student_copy_leaves_out_the_speed_layer(tmp_path: Path) -> None:
    project = _tiny_project(tmp_path / "tiny")  # not a git checkout: the package folder is copied
    (project / "minitorch" / "fast").mkdir()
    (project / "minitorch" / "fast" / "__init__.py").write_text("FAST = True\n")
    (project / "minitorch" / "faster.py").write_text("X = 1\n")
    copy = write_student_copy(project, tmp_path / "student")
    assert "minitorch/fast/__init__.py" not in copy.files
    assert (copy.out / "minitorch" / "faster.py").is_file()  # only the folder is left out
    assert not (copy.out / "minitorch" / "fast").exists()


def test_cli_names_the_task_when_a_command_reaches_a_stub(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def stubbed_train(*args: object, **kwargs: object) -> None:
        raise NotImplementedError("Task 0.4: implement Module.parameters (see docs/tasks.md)")

    monkeypatch.setattr(cli, "train", stubbed_train)
    assert cli.main(["train", "--no-plot", "--no-progress", "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert "Task 0.4: implement Module.parameters (see docs/tasks.md)" in err
    assert "minitorch assign grade . --task 0.4" in err
    assert "Traceback" not in err


def test_student_copy_of_chosen_tasks_keeps_the_other_solutions(tmp_path: Path) -> None:
    out = tmp_path / "module0"
    copy = write_student_copy(ROOT, out, tasks={"0.3"})
    assert {block.task for block in copy.stubbed} == {"0.3"}
    operators = (out / "minitorch" / "operators.py").read_text(encoding="utf-8")
    assert "return x * y" in operators
    assert 'raise NotImplementedError("Task 0.3: implement map' in operators
    with pytest.raises(ValueError, match=r"no block is marked with task 7\.7"):
        write_student_copy(ROOT, tmp_path / "other", tasks={"7.7"})


def test_student_copy_replaces_only_a_previous_copy(tmp_path: Path) -> None:
    out = tmp_path / "student"
    write_student_copy(ROOT, out, tasks={"1.1"})
    with pytest.raises(FileExistsError, match="--force"):
        write_student_copy(ROOT, out, tasks={"1.1"})
    write_student_copy(ROOT, out, tasks={"1.1"}, force=True)
    someone_elses = tmp_path / "notes"
    someone_elses.mkdir()
    (someone_elses / "todo.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not a student copy"):
        write_student_copy(ROOT, someone_elses, force=True)
    assert (someone_elses / "todo.txt").read_text() == "keep me"
    with pytest.raises(ValueError, match="contains the project"):
        write_student_copy(ROOT, ROOT.parent)


def test_cli_assign_student_writes_the_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "handout"
    assert cli.main(["assign", "student", str(out), "--root", str(ROOT), "--task", "0.1"]) == 0
    printed = capsys.readouterr().out
    assert f"files to {out}" in printed and "0.1 (16)" in printed
    assert f"minitorch assign grade {out} --task 0.1" in printed  # a first check of a few seconds
    assert cli.main(["assign", "student", str(out), "--root", str(ROOT)]) == 2  # not --force
    assert cli.main(["assign", "grade", "--task", "one"]) == 2
    assert "expected a task number like 1.2" in capsys.readouterr().err


# ## The grader, on a tiny project of its own


def _tiny_project(root: Path, conftest: str = "") -> Path:
    """A checkout with one task: ``double`` is solved, one test of it passes and one fails."""
    (root / "minitorch").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "minitorch" / "__init__.py").write_text(textwrap.dedent(
        '''\
        def double(x: float) -> float:
            """Return 2x."""
            # BEGIN TASK 9.1
            return 2 * x
            # END TASK 9.1
        '''
    ))
    (root / "setup.cfg").write_text(
        "[tool:pytest]\naddopts = --strict-markers\nmarkers =\n    task9_1: a task\n    slow: slow\n"
    )
    (root / "tests" / "conftest.py").write_text(conftest)
    (root / "tests" / "test_double.py").write_text(textwrap.dedent(
        """\
        import time

        import pytest

        from minitorch import double


        @pytest.mark.task9_1
        def test_double_of_two() -> None:
            assert double(2.0) == 4.0


        @pytest.mark.task9_1
        def test_double_of_three() -> None:
            assert double(3.0) == 7.0, "expected 7"


        @pytest.mark.task9_1
        @pytest.mark.slow
        def test_double_slowly() -> None:
            time.sleep(60)


        def test_not_a_task() -> None:
            raise AssertionError("never selected")
        """
    ))
    return root


def test_grade_reports_each_task_with_its_first_failure(tmp_path: Path) -> None:
    project = _tiny_project(tmp_path / "tiny")
    report = grade(project, skip_slow=True)
    assert not report.ok and not report.errors
    assert Path(report.minitorch_file or "") == project / "minitorch" / "__init__.py"
    (result,) = report.tasks
    assert (result.task, result.passed, result.failed, result.total) == ("9.1", 1, 1, 2)
    row = result.row()
    assert row.startswith("Task 9.1")
    assert "1/2" in row
    assert "first failing test: tests/test_double.py::test_double_of_three: AssertionError: expected 7" in row


def test_grade_json_and_exit_code_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _tiny_project(tmp_path / "tiny")
    assert cli.main(["assign", "grade", str(project), "--json", "--skip-slow"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["passed"] == 1 and data["total"] == 2
    (task,) = data["tasks"]
    assert task["task"] == "9.1" and task["marker"] == "task9_1"
    assert task["first_failure"]["nodeid"] == "tests/test_double.py::test_double_of_three"
    assert {t["nodeid"].rsplit("::", 1)[1]: t["outcome"] for t in task["tests"]} == {
        "test_double_of_two": "passed", "test_double_of_three": "failed",
    }


def test_grade_refuses_results_from_another_copy_of_minitorch(tmp_path: Path) -> None:
    impostor = tmp_path / "elsewhere" / "minitorch"
    impostor.mkdir(parents=True)
    (impostor / "__init__.py").write_text("def double(x):\n    return 2 * x\n")
    conftest = f"import sys\nsys.path.insert(0, {str(impostor.parent)!r})\n"
    project = _tiny_project(tmp_path / "tiny", conftest=conftest)
    report = grade(project, skip_slow=True)
    assert not report.ok
    assert any("imported minitorch from" in error and str(impostor) in error for error in report.errors)


@pytest.mark.slow  # waits for the timeout
def test_grade_stops_a_run_that_hangs(tmp_path: Path) -> None:
    project = _tiny_project(tmp_path / "tiny")
    report = grade(project, timeout=20.0)  # long enough to start pytest on a busy machine
    assert not report.ok
    assert any("stopped after 20 s" in error for error in report.errors)
    assert report.tasks[0].failed >= 1


# ## The self-check: the tasks stand alone, in order


def _project_tasks() -> list[str]:
    """The tasks marked in the project's code, in order (new modules' tasks join by themselves)."""
    return sorted({block.task for block in find_blocks(ROOT)}, key=task_sort_key)


def _figures(result: TaskResult | None) -> str:
    return "-" if result is None else f"{result.passed}/{result.total}"


def _table(tasks: list[str], reports: list[GradeReport]) -> str:
    """One row per task: its tests passed on the skeleton, with it and the later tasks stubbed, with
    only the later tasks stubbed, and on the solution."""

    def result(report: GradeReport, task: str) -> TaskResult | None:
        return next((r for r in report.tasks if r.task == task), None)

    rows = ["task   skeleton  k..last stubbed  k+1..last stubbed  solution"]
    for i, task in enumerate(tasks):
        rows.append(
            f"{task:<6} {_figures(result(reports[0], task)):>8}  "
            f"{_figures(result(reports[i], task)):>15}  {_figures(result(reports[i + 1], task)):>17}  "
            f"{_figures(result(reports[-1], task)):>8}"
        )
    seconds = ", ".join(f"{report.seconds:.0f}" for report in reports)
    rows.append(f"grading runs (s), skeleton first: {seconds}")
    return "\n".join(rows)


@pytest.mark.slow
def test_tasks_stand_alone_in_order(tmp_path: Path) -> None:
    """A student solves the tasks in order, so for every task k (as found in the code):

    - with tasks k..last stubbed, a test of task k fails: its tests test what task k writes;
    - with only tasks k+1..last stubbed, every test of task k passes: they need nothing later.

    Configuration j stubs tasks j..last and grades tasks j-1 and j; the first (the whole skeleton)
    and the last (the solution) grade every task, which also checks that each task has a failing
    test on the skeleton and passes on the solution. The slow task tests (the million-operation
    chain) run in the suite itself, not here.
    """
    tasks = _project_tasks()

    def configuration(first_stubbed: int) -> GradeReport:
        stubbed = set(tasks[first_stubbed:])
        checkout = ROOT
        if stubbed:
            checkout = write_student_copy(ROOT, tmp_path / f"from-{first_stubbed}", tasks=stubbed).out
        graded = tasks if first_stubbed in (0, len(tasks)) else tasks[first_stubbed - 1 : first_stubbed + 1]
        return grade(checkout, graded, skip_slow=True)

    last = len(tasks)
    order = [0, last, *range(1, last)]  # the two long runs first
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(order, pool.map(configuration, order), strict=True))
    reports = [done[j] for j in range(last + 1)]
    print(_table(tasks, reports))
    problems = [f"configuration {j}: {error}" for j, report in enumerate(reports) for error in report.errors]
    assert Path(reports[-1].minitorch_file or "") == ROOT / "minitorch" / "__init__.py"
    assert Path(reports[0].minitorch_file or "") == tmp_path / "from-0" / "minitorch" / "__init__.py"
    for i, task in enumerate(tasks):
        (with_stub,) = [r for r in reports[i].tasks if r.task == task]
        (solved,) = [r for r in reports[i + 1].tasks if r.task == task]
        if with_stub.total == 0:
            problems.append(f"task {task}: no test carries the marker {task_marker(task)}")
        elif with_stub.failed == 0:
            problems.append(
                f"task {task}: its tests pass with tasks {task}..{tasks[-1]} stubbed, so they test "
                f"nothing task {task} writes ({with_stub.row()})"
            )
        if not solved.ok:
            later = f"tasks {tasks[i + 1]}..{tasks[-1]} stubbed" if i + 1 < last else "the solution"
            problems.append(f"task {task} fails with {later}: {solved.row()}")
    for result in reports[0].tasks:
        if result.failed == 0:
            problems.append(f"task {result.task}: no test fails on the student skeleton")
    assert not problems, "\n".join(problems) + "\n" + _table(tasks, reports)
