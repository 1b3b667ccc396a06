"""The documentation is executable: every ```python block of every page runs, and the site builds.

Each page under ``docs/`` and the ``README.md`` is one test, named by its path. Its ```python blocks
run in order in one namespace per page, so a later block can use what an earlier one defined. A
block fenced as ```python no-run is shown but not run (see docs/contributing.md). Tracebacks point
at the page and line of the Markdown file.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]

NO_RUN = "no-run"
"""The marker after ``python`` in a fence's info string that keeps a block from running."""

NEEDS = "needs="
"""``needs=numba`` after ``python``: run the block only where that module (an optional extra) imports."""

# An opening or closing fence: indentation, three or more backticks or tildes, the info string.
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block: its language words, its first code line (1-based) and its source."""

    info: tuple[str, ...]
    line: int
    source: str

    @property
    def runs(self) -> bool:
        """True for a ```python block without the no-run marker."""
        return self.info[:1] == ("python",) and NO_RUN not in self.info[1:]

    @property
    def needs(self) -> list[str]:
        """The modules named by ``needs=a,b`` markers: the block runs only where all import."""
        return [m for word in self.info[1:] if word.startswith(NEEDS) for m in word[len(NEEDS) :].split(",")]


def fenced_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block of a Markdown text, in order, dedented to its fence's indentation."""
    blocks: list[CodeBlock] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        body: list[str] = []
        i += 1
        start = i + 1
        while i < len(lines):
            closing = _FENCE.match(lines[i])
            if (
                closing is not None
                and not closing["info"]
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
            ):
                break
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        blocks.append(CodeBlock(tuple(opening["info"].split()), start, "\n".join(body) + "\n"))
    return blocks


def _page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def test_fenced_blocks_finds_python_and_skips_no_run() -> None:
    text = textwrap.dedent(
        """\
        Some prose.

        ```python
        x = 1
        ```

        ```python no-run
        import this_module_does_not_exist
        ```

        ```bash
        make test
        ```

        !!! note
            ```python
            y = x + 1
            ```
        """
    )
    blocks = fenced_blocks(text)
    assert [b.info for b in blocks] == [("python",), ("python", NO_RUN), ("bash",), ("python",)]
    assert [b.runs for b in blocks] == [True, False, False, True]
    assert blocks[0].line == 4
    assert blocks[0].source == "x = 1\n"
    assert blocks[3].source == "y = x + 1\n"


def test_needs_marker_names_the_modules_a_block_requires() -> None:
    blocks = fenced_blocks("```python needs=numba\nx = 1\n```\n\n```python needs=a,b no-run\n```\n")
    assert [b.needs for b in blocks] == [["numba"], ["a", "b"]]
    assert [b.runs for b in blocks] == [True, False]
    assert _missing("numpy", "module_that_is_not_installed") == ["module_that_is_not_installed"]


def test_every_page_is_collected() -> None:
    names = {_page_id(p) for p in PAGES}
    assert {"README.md", "docs/index.md", "docs/guide/semantics.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_code_blocks_run(page: Path) -> None:
    blocks = [b for b in fenced_blocks(page.read_text(encoding="utf-8")) if b.runs]
    if not blocks:
        pytest.skip(f"{_page_id(page)} has no ```python blocks to run")
    namespace: dict[str, object] = {"__name__": f"docs_page_{page.stem.replace('-', '_')}"}
    # A block marked needs=numba is left out where numba is missing (and so is every later block
    # of the page that uses its names: mark those too).
    blocks = [b for b in blocks if not _missing(*b.needs)]
    with warnings.catch_warnings():
        # A stray RuntimeWarning (log(0), 1/0, ...) in an example is a mistake in the page; a
        # block that means to show one catches it itself.
        warnings.simplefilter("error", RuntimeWarning)
        for block in blocks:
            # Pad with newlines so that tracebacks give the line number in the Markdown file.
            code = compile("\n" * (block.line - 1) + block.source, str(page), "exec")
            exec(code, namespace)


def _missing(*modules: str) -> list[str]:
    """The modules of ``modules`` that cannot be imported (a dotted name needs its parent)."""
    missing = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(name)
    return missing


@pytest.mark.skipif(
    bool(_missing("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")),
    reason="the docs extra is not installed (pip install -e '.[docs]')",
)
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}"
    problems = offline_problems(tmp_path / "site")
    assert not problems, "the built site does not work opened from disk:\n" + "\n".join(problems)


def offline_problems(site: Path) -> list[str]:
    """What would break the built site opened from disk (``site/index.html``) without a network.

    A script, image, frame or stylesheet loaded from the internet (a diagram library, web fonts),
    and a link to a folder (``page/``, which a browser shows as a directory listing from disk) or
    to a file that is not there.
    """
    problems = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":  # served by a web server only, with absolute links on purpose
            continue
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|img|iframe|link)\b[^>]*>", html):
            if tag.startswith("<link") and "stylesheet" not in tag:
                continue  # a <link rel="canonical"> or similar loads nothing
            for url in re.findall(r'(?:src|href)="([^"]*)"', tag):
                if re.match(r"(https?:)?//", url):
                    problems.append(f"{page.relative_to(site)} loads {url} from the internet")
        for url in re.findall(r'href="([^"]*)"', html):
            if not url or re.match(r"[a-z]+:|//|#", url):
                continue  # an external link or an anchor on the same page
            target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
            if not target.is_file():
                problems.append(f"{page.relative_to(site)} links to {url}, which is not a file")
    return problems


def _load_fence_hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_fence_markers", DOCS / "_hooks" / "fence_markers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fence_hook_renders_no_run_blocks_as_python() -> None:
    hook = _load_fence_hook()
    page = "```python no-run\nx = 1\n```\n\n````text\n```python no-run\n```\n````\n"
    # The marker goes; a fence shown inside a longer fence is left as written.
    expected = "```python\nx = 1\n```\n\n````text\n```python no-run\n```\n````\n"
    assert hook.on_page_markdown(page) == expected
    assert hook.on_page_markdown("```python needs=numba\nx = 1\n```\n") == "```python\nx = 1\n```\n"
