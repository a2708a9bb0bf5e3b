r"""Files a Markdown document brings in that deriv does not follow: an error, never unread.

In: the text of a ``.qmd`` or ``.md`` file.  Out: the first include it holds,
as (line, what it says), or None.  Quarto's ``{{< include part.qmd >}}`` and
MyST's ```` ```{include} part.md ```` put another file's text in the page a
reader sees; deriv reads the file it is given only (a LaTeX source's
``\input`` is followed: :mod:`deriv.read.latex_source`), so the steps of the
included file would pass unchecked while the document's own pass -- the
reader is told instead.  A Quarto include inside a code block is code.
"""

from __future__ import annotations

import re

_QUARTO = re.compile(r"\{\{<\s*include\s+([^>\n]*?)\s*>\}\}")
_MYST = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,}|:{3,})[ \t]*\{include\}[ \t]*([^\n]*)$", re.M)


def quarto_include(text: str, code: set[int]) -> tuple[int, str] | None:
    """The first ``{{< include F >}}`` outside the (0-based) ``code`` lines: its line and F."""
    for m in _QUARTO.finditer(text):
        line = text.count("\n", 0, m.start())
        if line not in code:
            return line + 1, m.group(1)
    return None


def myst_include(text: str) -> tuple[int, str] | None:
    """The first MyST ``{include}`` directive: its line and the file it names."""
    m = _MYST.search(text)
    return None if m is None else (text.count("\n", 0, m.start()) + 1, m.group(1).strip())


def unfollowed(kind: str, found: tuple[int, str]) -> str:
    """What the error says: the file is not read, and what to do."""
    return (f"{kind} {found[1]!r} is not followed: deriv reads only the file it is given, so the "
            "included file's steps would go unchecked -- check that file itself, or write its steps here")
