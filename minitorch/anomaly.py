"""``detect_anomaly``: stop at the first operation that produces NaN or infinity.

Inside ``with minitorch.detect_anomaly():`` every ``forward`` result and every derivative that a
``backward`` returns is checked. The first forward that turns finite inputs into infinity, or
inputs without NaN into NaN, and the first NaN or infinite derivative raise :class:`AnomalyError`
naming the function, its inputs, and the line of your code that created the node (recorded when
the node was made, so a failure in the backward pass still points at the forward line).

Checking costs time on every operation, so use it to find a problem, not in normal runs; outside
the block the engine takes its usual fast path.

Examples:
    >>> from minitorch import Scalar
    >>> x = Scalar(float("inf"))
    >>> with detect_anomaly():  # doctest: +IGNORE_EXCEPTION_DETAIL
    ...     y = x - x
    Traceback (most recent call last):
    minitorch.anomaly.AnomalyError: Add.forward produced nan ...
"""

from __future__ import annotations

import linecache
import math
import weakref
from typing import Any

from .autodiff import Context
from .checks import innermost, user_frame
from .grad_mode import SavedModes, mode
from .scalar import Scalar

__all__ = ["detect_anomaly", "AnomalyError"]


class AnomalyError(FloatingPointError):
    """An operation produced NaN or infinity inside :func:`detect_anomaly`."""


def _user_site() -> str:
    """``file:line (function): source`` of the innermost frame outside the minitorch package."""
    frame = user_frame(2)
    if frame is None:
        return "an unknown line"
    filename, line = frame.f_code.co_filename, frame.f_lineno
    source = linecache.getline(filename, line).strip()
    return f"{filename}:{line} in {frame.f_code.co_name}" + (f": {source}" if source else "")


def _is_finite(value: Any) -> bool:
    return math.isfinite(innermost(value))


def _introduces_non_finite(inputs: list[Any], output: Any) -> bool:
    """True when this operation made the NaN or infinity: NaN from inputs without NaN, or infinity
    from finite inputs. An infinite input passed on (``-x`` of ``inf``) is not a new anomaly."""
    value = innermost(output)
    if math.isnan(value):
        return not any(math.isnan(innermost(x)) for x in inputs)
    if math.isinf(value):
        return all(_is_finite(x) for x in inputs)
    return False


class _Recorder:
    """Checks each operation and remembers where each node was made, keyed by its Context."""

    def __init__(self) -> None:
        # Weak keys: a node's record goes away with its graph.
        self.nodes: weakref.WeakKeyDictionary[Context, tuple[str, str]] = weakref.WeakKeyDictionary()

    def check_forward(self, fn: type, inputs: list[Any], out: Scalar) -> None:
        site = _user_site()
        shown = ", ".join(repr(innermost(x)) for x in inputs)
        if out.history is not None and out.history.ctx is not None:
            self.nodes[out.history.ctx] = (site, shown)
        if _introduces_non_finite(inputs, out.data):
            raise AnomalyError(
                f"{fn.__name__}.forward produced {innermost(out.data)!r} from the input(s) ({shown}); "
                f"the operation is at {site}"
            )

    def check_backward(self, fn: type, ctx: Context, d_output: Any, derivatives: tuple[Any, ...]) -> None:
        for i, d in enumerate(derivatives):
            if not _is_finite(d):
                site, inputs = self.nodes.get(ctx, ("a line outside this detect_anomaly block", "?"))
                raise AnomalyError(
                    f"{fn.__name__}.backward produced {innermost(d)!r} as the derivative for input {i} "
                    f"(inputs ({inputs}), d_output {innermost(d_output)!r}); the node was created at {site}"
                )


class detect_anomaly:  # noqa: N801 - PyTorch's name
    """Context manager: raise :class:`AnomalyError` at the first NaN or infinity (see module doc).

    Nesting is allowed; the previous state is restored on exit. The mode is per thread: other
    threads are not checked.
    """

    def __init__(self) -> None:
        self._previous = SavedModes()

    def __enter__(self) -> detect_anomaly:
        self._previous.push(mode.anomaly)
        mode.anomaly = mode.anomaly or _Recorder()
        return self

    def __exit__(self, *exc: object) -> None:
        mode.anomaly = self._previous.pop()
