"""numba's disk cache for the FastOps kernels, made aware of every source file a kernel compiles.

``njit(cache=True)`` stores a compiled kernel on disk and reuses it while the kernel's own file is
unchanged. It does not look at the other files whose code is compiled into the kernel: the index
helpers of ``tensor_data.py``, ``kernel_helpers.py``, the float functions of ``operators.py`` (a
student edits these), or a user's own function mapped over a tensor. After such an edit the stale
machine code would be loaded and would compute the old function: a silently wrong number.
:func:`cached_njit` adds a hash of those files' contents to the cache key, so an edit compiles the
kernel again.

This replaces the ``FunctionCache`` that ``njit(cache=True)`` would install with a subclass
(numba's ``Dispatcher.enable_caching`` does the same assignment); it relies on numba's cache layout,
so the tests check that an edited dependency misses the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from numba import njit
from numba.core.caching import FunctionCache

from . import kernel_helpers, operators, tensor_data

__all__ = ["KERNEL_SOURCES", "SourceAwareCache", "cached_njit", "sources_digest"]

KERNEL_SOURCES: tuple[Path, ...] = tuple(
    Path(inspect.getfile(module)) for module in (tensor_data, kernel_helpers, operators)
)
"""The package files whose code every FastOps kernel may compile in."""


def sources_digest(paths: Iterable[Path]) -> str:
    """A SHA-256 of the contents of ``paths`` (in the given order; a missing file counts as empty).

    Examples:
        >>> len(sources_digest(KERNEL_SOURCES))
        64
    """
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _closure_sources(py_func: Callable[..., Any]) -> list[Path] | None:
    """The files defining the functions a kernel closes over (``fn`` of ``tensor_map(fn)``), or
    None if one of them has no source file (made by ``exec`` or typed at a prompt): such a kernel
    cannot be cached, since numba could not find that function again in a later process."""
    paths = []
    for cell in py_func.__closure__ or ():
        value = cell.cell_contents
        target = getattr(value, "py_func", value)  # a numba dispatcher wraps its Python function
        if inspect.isfunction(target):
            # numba finds the function again through its module when it loads a cached kernel.
            module_file = getattr(sys.modules.get(target.__module__), "__file__", None)
            if module_file is None or not Path(module_file).is_file():
                return None
            paths.append(Path(module_file))
    return paths


class SourceAwareCache(FunctionCache):  # type: ignore[misc]  # numba is untyped
    """numba's ``FunctionCache`` whose index key also holds a digest of the kernel's sources.

    Args:
        py_func: the kernel's Python function.
        sources: the files besides ``py_func``'s own whose edits must invalidate the cache.
    """

    def __init__(self, py_func: Callable[..., Any], sources: Iterable[Path] = KERNEL_SOURCES) -> None:
        super().__init__(py_func)
        self.sources_digest = sources_digest([*sources, *(_closure_sources(py_func) or [])])

    def _index_key(self, sig: Any, codegen: Any) -> tuple[Any, ...]:
        return (*super()._index_key(sig, codegen), self.sources_digest)


def cached_njit(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit(**options)`` with a disk cache keyed by the kernel's sources (see above).

    Examples:
        >>> double = cached_njit()(lambda x: 2.0 * x)
        >>> double(1.5)
        3.0
    """

    def compile_with_cache(py_func: Callable[..., Any]) -> Any:
        dispatcher = njit(**options)(py_func)
        if _closure_sources(py_func) is None:
            return dispatcher  # it closes over a function without a file: compiled per process
        # A function without a file to cache next to (typed at the prompt) stays uncached.
        with contextlib.suppress(RuntimeError):
            dispatcher._cache = SourceAwareCache(py_func)
        return dispatcher

    return compile_with_cache
