"""Imports flow one way: no circle among the package's modules, no private name across modules.

Two checks that cannot be fooled by import order:

- every module of the package is imported *first*, each in a fresh interpreter, so a module that
  only works when another one was imported before it fails here;
- the imports of every module (at the top, inside functions, at the bottom, under
  ``TYPE_CHECKING``) are parsed with ``ast`` into a graph of modules, which must have no cycle, and
  no ``from module import _name`` may take another module's private name.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "minitorch"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[tuple[str, str]]:
    """``(imported module, imported name)`` for each name the import statement takes from the package."""
    found: list[tuple[str, str]] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == "minitorch":
                found.append((alias.name, ""))
        return found
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    if source.split(".")[0] != "minitorch":
        return found
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        if submodule in MODULES:  # from . import scalar_functions: the module itself
            found.append((submodule, ""))
        else:
            found.append((source, alias.name))
    return found


def _import_graph() -> tuple[dict[str, set[str]], list[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    private: list[str] = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):  # every import, wherever it is in the file
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target, imported in _resolve(name, is_package, node):
                    if target in MODULES and target != name:
                        graph[name].add(target)
                    if imported.startswith("_") and not imported.startswith("__"):
                        private.append(f"{name} imports {imported} from {target}")
    return graph, private


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules, or None (an iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in graph:
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        state[start] = 1
        path.append(start)
        while stack:
            node, todo = stack[-1]
            if not todo:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(graph[nxt])))
    return None


def test_imports_module_graph_has_no_cycle() -> None:
    graph, _ = _import_graph()
    cycle = _find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_imports_no_module_imports_a_private_name_of_another() -> None:
    _, private = _import_graph()
    assert private == []


def test_imports_cycle_finder_finds_a_planted_cycle() -> None:
    """The check above can fail: a planted circle is found."""
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


# Import one module first: the package object is made without running minitorch/__init__.py (which
# would import everything in its own order), so only the module's own imports run before it.
IMPORT_FIRST = """
import importlib, importlib.util, sys, types
name = sys.argv[1]
if name != "minitorch":
    package = types.ModuleType("minitorch")
    package.__path__ = list(importlib.util.find_spec("minitorch").submodule_search_locations)
    sys.modules["minitorch"] = package
importlib.import_module(name)
"""


def test_imports_every_module_imports_first_in_a_fresh_interpreter() -> None:
    names = [name for name in MODULES if name != "minitorch.__main__"]
    failures = []
    batch = max(2, os.cpu_count() or 2)
    for start in range(0, len(names), batch):
        runs = {
            name: subprocess.Popen(
                [sys.executable, "-c", IMPORT_FIRST, name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            for name in names[start : start + batch]
        }
        for name, run in runs.items():
            output, _ = run.communicate(timeout=120)
            if run.returncode != 0:
                failures.append(f"import {name} (first) failed:\n{output.decode()[-2000:]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("module", ["minitorch.grad_mode", "minitorch.checks", "minitorch.autodiff"])
def test_imports_prelude_and_engine_know_nothing_of_scalars(module: str) -> None:
    graph, _ = _import_graph()
    assert not {m for m in graph[module] if "scalar" in m}, graph[module]
