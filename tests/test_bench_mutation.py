"""The mutation tool (`bench/mutation.py`) lists, writes and routes its mutants correctly.

The tool itself runs outside the test suite (it takes a long time); these checks are quick: the
mutants of one small function, the source text of a mutant, and the choice of the tests that run a
mutant's lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bench.mutation import CoverageMap, Mutant, last_line, mutants_of, source_of

SAMPLE = '''\
def pick(a, b):
    if (a
            > b):
        return a - 1
    total = (a +
             b)
    return total
'''


@pytest.fixture
def sample_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A small module under a temporary root, so the tool mutates it instead of the package."""
    (tmp_path / "sample.py").write_text(SAMPLE)
    monkeypatch.setattr("bench.mutation.ROOT", tmp_path)
    return "sample.py"


def test_mutants_of_a_small_function(sample_file: str) -> None:
    names = [mutant.description for mutant in mutants_of(sample_file)]
    assert "not (a > b)" in names
    assert "#0 Gt -> LtE" in names
    assert "Sub -> Add" in names and "Add -> Sub" in names
    assert "1 -> 0" in names
    assert "return total -> return None" in names


def test_a_mutant_changes_only_its_own_span(sample_file: str) -> None:
    mutant = next(m for m in mutants_of(sample_file) if m.description == "Sub -> Add")
    changed = source_of(mutant)
    assert changed.replace("(a + 1)", "a - 1") == SAMPLE
    namespace: dict[str, object] = {}
    exec(compile(changed, "sample.py", "exec"), namespace)
    assert namespace["pick"](3, 1) == 4  # type: ignore[operator]


def test_last_line_is_a_blocks_header_or_an_expressions_end() -> None:
    tree = ast.parse(SAMPLE)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    condition, assignment, _ = function.body
    assert last_line(condition, condition.lineno) == 3  # the two lines of the `if` header only
    assert last_line(assignment, assignment.lineno) == 6  # both lines of the assignment


def make_mutant(line: int, last: int) -> Mutant:
    return Mutant("m.py", 0, "binop", line, "Add -> Sub", last)


def test_the_tests_chosen_are_those_that_run_any_line_of_the_mutant() -> None:
    coverage_map = CoverageMap({"m.py": {4: {"t::a"}, 5: {"t::b"}, 9: {"t::c"}}}, {})
    assert coverage_map.tests_for(make_mutant(4, 5)) == {"t::a", "t::b"}
    assert coverage_map.tests_for(make_mutant(6, 8)) == set()  # no test runs it: it survives unrun
    assert coverage_map.tests_for(Mutant("other.py", 0, "binop", 4, "", 4)) == set()


def test_a_line_run_outside_any_test_runs_every_test() -> None:
    coverage_map = CoverageMap({"m.py": {4: {"t::a", ""}}}, {})
    assert coverage_map.tests_for(make_mutant(4, 4)) is None


def test_a_file_edited_during_a_run_does_not_leak_into_its_mutants(sample_file: str, tmp_path: Path) -> None:
    mutant = next(m for m in mutants_of(sample_file) if m.description == "Sub -> Add")
    (tmp_path / sample_file).write_text(SAMPLE.replace("total = (a +", "total = (a *"))
    assert source_of(mutant).replace("(a + 1)", "a - 1") == SAMPLE
