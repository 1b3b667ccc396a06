"""Mutation testing for the engine: break the code on purpose, one small change at a time, and check
that a fast, fixed subset of the tests notices.

``python -m bench.mutation`` parses each target file with :mod:`ast`, lists every mutant (one small
change each, below), writes each mutant into a private copy of the repository, runs the test subset
there in a subprocess with a timeout, and records the mutant as ``killed`` (the tests failed),
``survived`` (they passed) or ``timeout``. Nothing in the working tree is touched.

The mutation operators:

- ``binop``: swap ``+``/``-`` and ``*``/``/`` (also in ``+=`` and friends);
- ``compare``: ``==``/``!=``, ``<``/``>=``, ``>``/``<=``, ``is``/``is not``, ``in``/``not in``;
- ``boolop``: ``and``/``or``;
- ``negate``: ``not (...)`` around the condition of an ``if``, ``while`` or conditional expression;
- ``constant``: ``0``/``1``, ``0.0``/``1.0``, ``True``/``False``;
- ``return``: ``return x`` becomes ``return None``;
- ``delete``: one statement of a function body becomes ``pass``;
- ``swap``: the two arguments of a two-argument call change places.

Only code inside functions is mutated (module-level definitions, annotations and the text of error
messages are left alone). The mutant replaces the source span of the node it changes, so line
numbers and the rest of the file stay as they are.

Run it from the repository root with the project's venv (``make test`` creates ``.venv``)::

    .venv/bin/python -m bench.mutation                     # every mutant, 2 workers
    .venv/bin/python -m bench.mutation --sample 200 --seed 1
    .venv/bin/python -m bench.mutation --file minitorch/autodiff.py --list

The tests run with hypothesis' "mutation" profile (the fixed seed of ``CI=true``, 10 examples per
property; tests/conftest.py), so a run is reproducible and short. The results go
to ``bench/results/mutation.json`` (one record per mutant) and a summary to stdout. It is slow (a
subprocess per mutant), so it is kept out of ``make test`` and CI; see docs/contributing.md.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGETS = [
    "minitorch/autodiff.py",
    "minitorch/scalar.py",
    "minitorch/scalar_function.py",
    "minitorch/scalar_functions.py",
    "minitorch/fast/__init__.py",
    "minitorch/fast/backprop.py",
    "minitorch/fast/operators.py",
    "minitorch/fast/packed.py",
]
"""The files whose mutants are tried."""

TESTS = [
    "tests/test_engine.py",
    "tests/test_autodiff.py",
    "tests/test_fast_layer.py",
    "tests/test_scalar.py",
    "tests/test_scalar_functions.py",
    "tests/test_bad_inputs.py",
    "tests/test_forward_mode.py",
    "tests/test_anomaly.py",
    "tests/test_errors.py",
    "tests/test_higher_order.py",
    "tests/test_functional.py",
    "tests/test_primitive.py",
    "tests/test_grad_mode.py",
    "tests/test_special_values.py",
]
"""The test files whose tests may run against a mutant: only those that reach the mutated lines do
(found by one run under coverage). The engine modules run under both engines."""

PYTEST = [
    "-x", "-q", "-p", "no:cacheprovider", "--no-header", "-k", "not million_operation",
    # Fails on main while the tensor names wait for their catalogue rows; it tests no engine code.
    "--deselect", "tests/test_bad_inputs.py::test_catalogue_covers_every_public_entry_point",
]
"""pytest's options: stop at the first failure; the million-operation chain (a minute) is left out."""

BINOPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
}
COMPARES: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
    ast.LtE: ast.Gt, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}
CONSTANTS: dict[tuple[type, object], object] = {
    (int, 0): 1, (int, 1): 0, (float, 0.0): 1.0, (float, 1.0): 0.0,
}
"""``(type, value) -> replacement`` (keyed by type too: ``0 == 0.0`` would merge the keys)."""


@dataclass
class Mutant:
    """One small change to one file: where it is, what it does, and (after a run) what happened."""

    file: str
    index: int  # the position of the changed node in ast.walk order, with ``kind`` it names the change
    kind: str
    line: int
    description: str
    last_line: int = 0  # the last line whose tests matter: the node's end, or a block's header
    status: str = "not run"
    seconds: float = 0.0
    output: str = ""

    @property
    def name(self) -> str:
        """A short, stable name: ``file:line kind description``."""
        return f"{self.file}:{self.line} {self.kind}: {self.description}"


def protected_ids(tree: ast.AST) -> set[int]:
    """The ids of the nodes never mutated: annotations, f-strings, docstrings and code outside functions."""
    protected: set[int] = set()

    def protect(node: ast.AST | None) -> None:
        if node is not None:
            protected.update(id(sub) for sub in ast.walk(node))

    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for statement in node.body:
                inside.update(id(sub) for sub in ast.walk(statement))
            protect(node.returns)
            for argument in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                protect(argument.annotation)
            for extra in (node.args.vararg, node.args.kwarg):
                if extra is not None:
                    protect(extra.annotation)
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                protect(first)
        elif isinstance(node, ast.AnnAssign):
            protect(node.annotation)
        elif isinstance(node, ast.JoinedStr):
            protect(node)
    return protected | {id(node) for node in ast.walk(tree) if id(node) not in inside}


def changes(node: ast.AST) -> Iterator[tuple[str, str]]:
    """The mutations possible at ``node``: ``(kind, description)`` pairs, in a fixed order."""
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in BINOPS:
        yield "binop", f"{type(node.op).__name__} -> {BINOPS[type(node.op)].__name__}"
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            if type(op) in COMPARES:
                yield "compare", f"#{position} {type(op).__name__} -> {COMPARES[type(op)].__name__}"
    if isinstance(node, ast.BoolOp):
        yield "boolop", "and -> or" if isinstance(node.op, ast.And) else "or -> and"
    if isinstance(node, ast.If | ast.While | ast.IfExp):
        yield "negate", f"not ({ast.unparse(node.test)})"
    if isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
        if type(node.value) is bool:
            yield "constant", f"{node.value} -> {not node.value}"
        elif (type(node.value), node.value) in CONSTANTS:
            yield "constant", f"{node.value!r} -> {CONSTANTS[type(node.value), node.value]!r}"
    if isinstance(node, ast.Return) and node.value is not None and not (
        isinstance(node.value, ast.Constant) and node.value.value is None
    ):
        yield "return", f"return {ast.unparse(node.value)} -> return None"
    # Deleting a ``return`` is the ``return`` mutant again, so it is not listed twice.
    if isinstance(node, ast.stmt) and not isinstance(
        node, ast.Pass | ast.Return | ast.FunctionDef | ast.ClassDef
    ):
        yield "delete", f"delete `{ast.unparse(node).splitlines()[0][:60]}`"
    if (
        isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords
        and not any(isinstance(arg, ast.Starred) for arg in node.args)
    ):
        yield "swap", f"swap the arguments of {ast.unparse(node.func)}(...)"


@functools.cache
def source_text(path: Path) -> str:
    """The text of ``path`` as it was when this run first read it: a file edited during a run
    does not leak into later mutants (which are numbered by the first reading)."""
    return path.read_text()


def last_line(node: ast.AST, line: int) -> int:
    """The last line of ``node`` that runs when the node runs: a block's header only, not its body."""
    body = getattr(node, "body", None)
    if isinstance(node, ast.stmt) and isinstance(body, list) and body:
        first: ast.stmt = body[0]
        return max(line, first.lineno - 1)
    end: int | None = getattr(node, "end_lineno", None)
    return max(line, end or line)


def mutants_of(file: str) -> list[Mutant]:
    """Every mutant of ``file`` (a path relative to the repository root), in source order."""
    tree = ast.parse(source_text(ROOT / file))
    protected = protected_ids(tree)
    found = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in protected:
            continue
        for kind, description in changes(node):
            line = getattr(node, "lineno", 0)
            found.append(Mutant(file, index, kind, line, description, last_line(node, line)))
    found.sort(key=lambda mutant: (mutant.line, mutant.index, mutant.kind, mutant.description))
    return found


def mutated(node: ast.AST, mutant: Mutant) -> ast.AST:
    """A changed copy of ``node`` (the node ``mutant`` names), ready to be unparsed."""
    if mutant.kind == "binop":
        assert isinstance(node, ast.BinOp | ast.AugAssign)
        node.op = BINOPS[type(node.op)]()
    elif mutant.kind == "compare":
        assert isinstance(node, ast.Compare)
        position = int(mutant.description.split()[0][1:])
        node.ops[position] = COMPARES[type(node.ops[position])]()
    elif mutant.kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif mutant.kind == "negate":
        assert isinstance(node, ast.If | ast.While | ast.IfExp)
        node.test = ast.UnaryOp(ast.Not(), node.test)
    elif mutant.kind == "constant":
        assert isinstance(node, ast.Constant)
        new_value = (not node.value) if type(node.value) is bool else CONSTANTS[type(node.value), node.value]
        node.value = new_value  # type: ignore[assignment]
    elif mutant.kind == "return":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    elif mutant.kind == "delete":
        return ast.Pass()
    elif mutant.kind == "swap":
        assert isinstance(node, ast.Call)
        node.args.reverse()
    return node


def source_of(mutant: Mutant) -> str:
    """The text of ``mutant.file`` with the mutant's change made in place of the original span."""
    text = source_text(ROOT / mutant.file)
    tree = ast.parse(text)
    node = next(node for index, node in enumerate(ast.walk(tree)) if index == mutant.index)
    # ast's column offsets count UTF-8 bytes, so the splice works on bytes.
    lines = text.encode().splitlines(keepends=True)
    first_line: int = node.lineno  # type: ignore[attr-defined]
    end_line: int = node.end_lineno  # type: ignore[attr-defined]
    start = len(b"".join(lines[: first_line - 1])) + node.col_offset  # type: ignore[attr-defined]
    end = len(b"".join(lines[: end_line - 1])) + node.end_col_offset  # type: ignore[attr-defined]
    replacement = ast.unparse(mutated(node, mutant))
    if isinstance(node, ast.expr):
        replacement = f"({replacement})"
    elif "\n" in replacement:  # a statement unparsed onto several lines keeps its indentation
        indent = " " * node.col_offset  # type: ignore[attr-defined]
        replacement = replacement.replace("\n", "\n" + indent)
    data = text.encode()
    changed = (data[:start] + replacement.encode() + data[end:]).decode()
    compile(changed, mutant.file, "exec")
    return changed


SELECT_PLUGIN = '''"""Written by bench.mutation: run only the test ids listed in the file $MUTATION_SELECT."""
import os


def pytest_collection_modifyitems(config, items):
    path = os.environ.get("MUTATION_SELECT")
    if path:
        wanted = set(open(path).read().splitlines())
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in wanted])
        items[:] = [item for item in items if item.nodeid in wanted]
'''
"""A pytest plugin written into each workspace (``-p mutation_select``)."""

COVERAGE_RUNNER = '''"""Written by bench.mutation: run pytest under coverage with one context per test.

Lines run while no test runs (imports, collection) get the empty context. The time each test takes
goes to DATA.durations.json.
"""
import json
import sys
from pathlib import Path

import coverage
import pytest


class Contexts:
    def __init__(self, cov):
        self.cov = cov
        self.durations = {}

    def pytest_runtest_logstart(self, nodeid, location):
        self.cov.switch_context(nodeid)

    def pytest_runtest_logfinish(self, nodeid, location):
        self.cov.switch_context("")

    def pytest_runtest_logreport(self, report):
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration


data = sys.argv[1]
cov = coverage.Coverage(data_file=data, include=[str(Path("minitorch").resolve() / "*")])
contexts = Contexts(cov)
cov.start()
code = pytest.main(["-p", "mutation_select", *sys.argv[2:]], plugins=[contexts])
cov.stop()
cov.save()
Path(data + ".durations.json").write_text(json.dumps(contexts.durations))
sys.exit(code)
'''
"""The script that runs the clean test subset once under coverage (``coverage`` is a dev extra)."""


@dataclass
class CoverageMap:
    """Which tests run each line of the target files, and how long each test takes."""

    lines: dict[str, dict[int, set[str]]]  # file -> line -> test ids ("" = no test: import time)
    durations: dict[str, float]

    @classmethod
    def measure(cls, workspace: Workspace, tests: list[str], files: list[str]) -> CoverageMap:
        """Run ``tests`` once under coverage in ``workspace`` (unchanged code) and read the map."""
        import coverage  # a dev extra, needed only here

        data = workspace.root / "coverage.data"
        outcome, output = workspace.run(tests, timeout=3600, coverage_to=data)
        if outcome != "passed":
            raise SystemExit(f"the tests fail without any mutant:\n{output}")
        measured = coverage.CoverageData(basename=str(data))
        measured.read()
        lines = {}
        for file in files:
            by_line = measured.contexts_by_lineno(str((workspace.root / file).resolve()))
            lines[file] = {line: set(names) for line, names in by_line.items()}
        durations = json.loads(Path(f"{data}.durations.json").read_text())
        return cls(lines, durations)

    def tests_for(self, mutant: Mutant) -> set[str] | None:
        """The test ids that run the mutated lines; None when they also run outside any test."""
        found: set[str] = set()
        for line in range(mutant.line, max(mutant.line, mutant.last_line) + 1):
            found |= self.lines.get(mutant.file, {}).get(line, set())
        return None if "" in found else found


class Workspace:
    """A private copy of the repository's code and tests where one mutant at a time is written."""

    def __init__(self, base: Path, number: int) -> None:
        self.root = base / f"worker{number}"
        for folder in ("minitorch", "tests"):
            shutil.copytree(ROOT / folder, self.root / folder,
                            ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        for name in ("pyproject.toml", "setup.cfg"):
            shutil.copy(ROOT / name, self.root / name)
        (self.root / "mutation_select.py").write_text(SELECT_PLUGIN)
        (self.root / "mutation_coverage.py").write_text(COVERAGE_RUNNER)
        self.stamp = time.time()

    def write(self, file: str, text: str) -> None:
        """Write ``text`` to ``file`` with a fresh modification time (so no stale .pyc is reused)."""
        path = self.root / file
        path.write_text(text)
        self.stamp += 2.0
        os.utime(path, (self.stamp, self.stamp))

    def run(self, tests: list[str], timeout: float, only: Collection[str] | None = None,
            coverage_to: Path | None = None) -> tuple[str, str]:
        """Run ``tests`` here (only the test ids in ``only`` when given; under coverage, with one
        context per test, when ``coverage_to`` is given); ``("passed" | "failed" | "timeout", the
        output's tail)``."""
        environment = {**os.environ, "CI": "true", "HYPOTHESIS_PROFILE": "mutation",
                       "PYTHONPATH": str(self.root),
                       "PYTHONHASHSEED": "0"}
        environment.pop("MINITORCH_FAST", None)
        if only is not None:
            selection = self.root / "selected-tests.txt"
            selection.write_text("\n".join(sorted(only)) + "\n")
            environment["MUTATION_SELECT"] = str(selection)
        if coverage_to is None:
            command = [sys.executable, "-m", "pytest", "-p", "mutation_select"]
        else:
            command = [sys.executable, "mutation_coverage.py", str(coverage_to)]
        process = subprocess.Popen(
            [*command, *PYTEST, *tests], cwd=self.root, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return "timeout", ""
        # 5: pytest collected no test, so none noticed the mutant (never a kill).
        return ("passed" if process.returncode in (0, 5) else "failed"), output[-1500:]


def try_mutant(workspace: Workspace, mutant: Mutant, tests: list[str], timeout: float,
               only: set[str] | None = None) -> Mutant:
    """Write ``mutant`` into ``workspace``, run the tests (only those in ``only`` when given), put
    the original back; record the outcome. A mutant no test runs survives without a run."""
    original = source_text(ROOT / mutant.file)
    try:
        text = source_of(mutant)
    except SyntaxError:
        mutant.status = "invalid"
        return mutant
    if only is not None and not only:
        mutant.status, mutant.output = "survived", "no test of the subset runs this line"
        return mutant
    workspace.write(mutant.file, text)
    started = time.perf_counter()
    try:
        outcome, output = workspace.run(tests, timeout, only)
    finally:
        workspace.write(mutant.file, original)
    mutant.seconds = round(time.perf_counter() - started, 2)
    mutant.status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[outcome]
    mutant.output = output if outcome == "failed" else ""
    return mutant


def main(argv: list[str] | None = None) -> int:
    """The command line: list or run the mutants, write the results, print a summary."""
    parser = argparse.ArgumentParser(prog="python -m bench.mutation", description=__doc__.split("\n")[0])
    parser.add_argument("--file", action="append", help="mutate only this file (repeatable)")
    parser.add_argument("--line", type=int, action="append", help="only mutants on this line")
    parser.add_argument("--sample", type=int, help="run a seeded random sample of this many mutants")
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    parser.add_argument("--workers", type=int, default=2, help="parallel runs (default 2)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 3x the clean run)")
    parser.add_argument("--tests", action="append",
                        help="run these test files instead of the fixed subset (repeatable)")
    parser.add_argument("--survivors-of", metavar="JSON",
                        help="run only the mutants that were not killed in this earlier results file")
    parser.add_argument("--all-tests", action="store_true",
                        help="run the whole test subset for every mutant (default: only the tests "
                             "that run the mutated lines, found by one run under coverage)")
    parser.add_argument("--list", action="store_true", help="list the mutants without running them")
    parser.add_argument("--output", default="bench/results/mutation.json", help="where the records go")
    arguments = parser.parse_args(argv)

    files = arguments.file or TARGETS
    mutants = [mutant for file in files for mutant in mutants_of(file)]
    if arguments.line:
        mutants = [mutant for mutant in mutants if mutant.line in arguments.line]
    if arguments.sample is not None and arguments.sample < len(mutants):
        mutants = sorted(random.Random(arguments.seed).sample(mutants, arguments.sample),
                         key=lambda mutant: (files.index(mutant.file), mutant.line, mutant.index))
    if arguments.survivors_of:
        earlier = json.loads(Path(arguments.survivors_of).read_text())["mutants"]
        left = {(m["file"], m["index"], m["kind"], m["description"]) for m in earlier
                if m["status"] != "killed"}
        mutants = [m for m in mutants if (m.file, m.index, m.kind, m.description) in left]
    if arguments.list:
        for mutant in mutants:
            print(mutant.name)
        print(f"{len(mutants)} mutants")
        return 0

    with tempfile.TemporaryDirectory(prefix="minitorch-mutation-") as base:
        workspaces = [Workspace(Path(base), number) for number in range(arguments.workers)]
        started = time.perf_counter()
        tests = arguments.tests or TESTS
        coverage_map = None
        if arguments.all_tests:
            outcome, output = workspaces[0].run(tests, timeout=600)
            if outcome != "passed":
                print(f"the tests fail without any mutant:\n{output}")
                return 1
        else:
            coverage_map = CoverageMap.measure(workspaces[0], tests, sorted({m.file for m in mutants}))
        clean = time.perf_counter() - started
        default_timeout = arguments.timeout or max(30.0, 3 * clean)
        print(f"{len(mutants)} mutants; clean run {clean:.1f} s; timeout up to {default_timeout:.0f} s",
              flush=True)
        free = list(workspaces)

        def work(mutant: Mutant) -> Mutant:
            only = None if coverage_map is None else coverage_map.tests_for(mutant)
            timeout = default_timeout
            if coverage_map is not None and only is not None and arguments.timeout is None:
                # three times what the chosen tests took under coverage, plus pytest's start-up
                took = [coverage_map.durations.get(test, 0.0) for test in only]
                timeout = min(default_timeout, 30.0 + 3 * float(sum(took)))
            workspace = free.pop()
            try:
                return try_mutant(workspace, mutant, tests, timeout, only)
            finally:
                free.append(workspace)

        with ThreadPoolExecutor(max_workers=arguments.workers) as pool:
            for number, mutant in enumerate(pool.map(work, mutants), 1):
                if mutant.status != "killed":
                    print(f"[{number}/{len(mutants)}] {mutant.status}: {mutant.name}", flush=True)

    counts = {status: sum(mutant.status == status for mutant in mutants)
              for status in ("killed", "timeout", "survived", "invalid")}
    tried = counts["killed"] + counts["timeout"] + counts["survived"]
    rate = (counts["killed"] + counts["timeout"]) / tried if tried else 0.0
    print(f"{len(mutants)} mutants: {counts}; kill rate (killed + timeout) / tried = {rate:.1%}")
    path = ROOT / arguments.output
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"counts": counts, "kill_rate": rate,
                                "mutants": [asdict(mutant) for mutant in mutants]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
