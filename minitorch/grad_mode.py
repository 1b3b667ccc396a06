"""The engine's mode flags, per thread: grad mode, anomaly detection and forward-mode traces.

Each thread has its own copy (a :class:`threading.local`), so ``no_grad`` in one thread never
changes what another thread records. A new thread starts with history recorded, no anomaly
detection and no open forward-mode trace.

- ``mode.grad_enabled``: ``apply`` records history only while it is true (:class:`no_grad` turns it
  off, :class:`enable_grad` back on);
- ``mode.anomaly``: the recorder of :func:`minitorch.detect_anomaly` while one is active, else ``None``;
- ``mode.forward_tangents``: ``level -> {unique_id: tangent}`` for each open forward-mode trace
  (see :mod:`minitorch.trace`).

Examples:
    >>> is_grad_enabled()
    True
    >>> with no_grad():
    ...     is_grad_enabled()
    False
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "ModeState", "mode", "SpecialModeCount", "special_modes", "is_grad_enabled", "no_grad", "enable_grad",
    "SavedModes",
]

F = TypeVar("F", bound=Callable[..., Any])


class SpecialModeCount:
    """How many threads are in a special mode now (recording off, or anomaly detection on).

    Process-wide, so that the speed layer can skip the per-thread flag (a slower read) while no
    thread is in a special mode, the common case. Changed under a lock, when a thread's mode changes.
    """

    __slots__ = ("threads", "lock")

    def __init__(self) -> None:
        self.threads = 0
        self.lock = threading.Lock()

    def change(self, by: int) -> None:
        """Add ``by`` (+1: a thread left the plain mode, -1: it came back)."""
        with self.lock:
            self.threads += by


special_modes = SpecialModeCount()
"""The number of threads in a special mode (see :class:`SpecialModeCount`)."""


class ModeState(threading.local):
    """The mode flags of one thread (see the module docstring).

    ``plain`` is true while history is recorded and anomaly detection is off: the one flag the
    speed layer reads per operation, and only while :data:`special_modes` counts a thread.
    """

    def __init__(self) -> None:
        self._grad_enabled = True
        self._anomaly: Any = None
        self.plain = True
        self.forward_tangents: dict[int, dict[int, Any]] = {}

    @property
    def grad_enabled(self) -> bool:
        """``apply`` records history only while this is true."""
        return self._grad_enabled

    @grad_enabled.setter
    def grad_enabled(self, value: bool) -> None:
        self._grad_enabled = value
        self._update_plain()

    @property
    def anomaly(self) -> Any:
        """The anomaly recorder of :func:`minitorch.detect_anomaly`, or ``None``."""
        return self._anomaly

    @anomaly.setter
    def anomaly(self, recorder: Any) -> None:
        self._anomaly = recorder
        self._update_plain()

    def _update_plain(self) -> None:
        plain = self._grad_enabled and self._anomaly is None
        if plain != self.plain:
            self.plain = plain
            special_modes.change(-1 if plain else 1)


mode = ModeState()
"""The mode flags; each thread sees its own values."""


class SavedModes(threading.local):
    """A stack of saved flag values per thread: what a mode's context manager restores on exit.

    One ``no_grad()`` object may be entered from several threads at once (as a decorator), so what
    it saves on entry is kept per thread.
    """

    def __init__(self) -> None:
        self.stack: list[Any] = []

    def push(self, value: Any) -> None:
        """Save ``value`` (the flag before the block)."""
        self.stack.append(value)

    def pop(self) -> Any:
        """The value saved by the matching :meth:`push`."""
        return self.stack.pop()


def is_grad_enabled() -> bool:
    """True unless inside :class:`no_grad` in this thread (PyTorch's name)."""
    return mode.grad_enabled


class no_grad:  # noqa: N801 - PyTorch's name
    """Record no history: a context manager and a decorator (PyTorch's ``torch.no_grad``).

    Inside it, functions compute values only: ``apply`` saves nothing for backward and every
    result is a constant. Use it for inference and for parameter updates. Nesting works; the
    previous mode is restored on exit, also when an exception leaves the block. The mode is per
    thread: other threads keep recording.

    Examples:
        >>> from minitorch import Scalar
        >>> x = Scalar(2.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.is_constant(), y.data
        (True, 4.0)
    """

    enabled = False  # what the block sets

    def __init__(self) -> None:
        self._previous = SavedModes()

    def __enter__(self) -> None:
        self._previous.push(mode.grad_enabled)
        mode.grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        mode.grad_enabled = self._previous.pop()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def with_mode(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return with_mode  # type: ignore[return-value]  # same signature as fn


class enable_grad(no_grad):  # noqa: N801 - PyTorch's name
    """Record history again inside a :class:`no_grad` block (PyTorch's ``torch.enable_grad``).

    The functional API's transformations (``grad``, ``jvp``, ...) run their function under it, so
    an outer ``no_grad`` never turns a gradient into a silent zero; a ``no_grad`` inside the
    function still applies there.

    Examples:
        >>> from minitorch import Scalar
        >>> with no_grad():
        ...     with enable_grad():
        ...         y = Scalar(2.0) * Scalar(3.0)
        >>> y.is_constant()
        False
    """

    enabled = True
