"""Griffe extension for the API reference: read minitorch's docstrings the way they are written.

The package's docstrings are Google style with two habits that mkdocstrings does not read on its own:

* an ``Example:`` heading (Napoleon accepts it; griffe only knows ``Examples:`` and would otherwise
  render the ``>>>`` lines as plain Markdown), and
* Sphinx cross-reference roles such as ``:class:`~minitorch.scalar.Scalar``` or ``:meth:`apply```.

This extension rewrites both once the package is loaded: ``Example:`` becomes ``Examples:``, and a
role becomes a link to the documented object when one can be found (searching, in order, the full
name, the enclosing class, the enclosing module and the package), or inline code otherwise, so the
strict build never meets a link without a target. It changes nothing in the package itself.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_HEADING = re.compile(r"^Example:[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj):`(~?)([\w.]+)`")


class MinitorchDocstrings(griffe.Extension):
    """Rewrite ``Example:`` headings and Sphinx roles in every docstring of the loaded package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Walk the package (modules, classes and their members) and rewrite each docstring."""
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None:
                obj.docstring.value = self._rewrite(obj.docstring.value, obj, pkg)
            stack.extend(m for m in obj.members.values() if not m.is_alias)

    def _rewrite(self, text: str, obj: griffe.Object, pkg: griffe.Module) -> str:
        text = _EXAMPLE_HEADING.sub("Examples:", text)

        def replace(match: re.Match[str]) -> str:
            short, target = match.group(1) == "~", match.group(2)
            label = f"`{target.rsplit('.', 1)[-1] if short else target}`"
            path = _resolve(target, obj, pkg)
            return label if path is None else f"[{label}][{path}]"

        return _ROLE.sub(replace, text)


def _resolve(target: str, obj: griffe.Object, pkg: griffe.Module) -> str | None:
    """The full path of the documented public object ``target`` names, seen from ``obj``."""
    scopes = [obj, *_parents(obj)]
    candidates = [target] + [f"{s.path}.{target}" for s in scopes] + [f"{pkg.path}.{target}"]
    for path in candidates:
        if not path.startswith(pkg.path + "."):
            continue
        try:
            found = pkg[path[len(pkg.path) + 1 :]]
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        if found.is_alias:
            try:
                found = found.final_target
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue
        public = not any(part.startswith("_") for part in found.path.split("."))
        if public and found.has_docstring:
            return found.path
    return None


def _parents(obj: griffe.Object) -> list[griffe.Object]:
    """The enclosing class(es) and module(s) of ``obj``, innermost first."""
    parents: list[griffe.Object] = []
    parent = obj.parent
    while parent is not None:
        parents.append(parent)
        parent = parent.parent
    return parents
