"""mkdocs hook: render ```python no-run (and ```python needs=numba) fences as ordinary Python blocks.

tests/test_docs.py runs every ```python block of the documentation and skips the ones marked
``no-run``. Markdown renderers do not know that marker (Python-Markdown would not even recognise
the fence), so this hook removes it before mkdocs turns the page into HTML. Fences nested inside a
longer fence (a page showing how to write a fence) are left as they are. See docs/contributing.md.
"""

from __future__ import annotations

import re
from typing import Any

# An opening or closing fence: indentation, three or more backticks or tildes, the info string.
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Drop the ``no-run`` and ``needs=...`` markers from the page's top-level ```python fences."""
    lines = markdown.split("\n")
    open_fence: str | None = None
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if match is None:
            continue
        fence, info = match["fence"], match["info"].split()
        if open_fence is None:
            open_fence = fence
            if info[:1] == ["python"] and any(w == "no-run" or w.startswith("needs=") for w in info[1:]):
                lines[i] = f"{match['indent']}{fence}python"
        elif not info and fence[0] == open_fence[0] and len(fence) >= len(open_fence):
            open_fence = None
    return "\n".join(lines)
