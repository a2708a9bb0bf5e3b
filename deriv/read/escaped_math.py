r"""Display math written for a renderer that unescapes the page first: ``\\[ … \\]`` in Markdown.

In: a Markdown body and what the scanner already took (its displays, code blocks).  Out: the
offsets of lines that open with ``\\[``.  Markdown reads ``\\`` as an escaped backslash, so the
page shows ``\[`` there, which MathJax then typesets as display math (Jekyll sites, pandoc's
``tex_math_double_backslash``); deriv reads no math in it.  Such a line is a problem on its
line, never mathematics left unchecked in silence.  Both of the body's scanners are followed by
this one pass, so they agree on it; a LaTeX source never comes here (``\\[2pt]`` is a line
break there).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

#: ``\\[`` opening a line, after spaces, a quote's ``>`` or a list marker.
_OPENER = re.compile(r"^[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*(\\\\\[)", re.M)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)

ESCAPED = ("\\\\[ is Markdown's escaped backslash: the page shows \\[ here, which MathJax typesets as "
           "display math, but deriv reads no math in it; write \\[ ... \\] or $$ ... $$")


def escaped_openers(text: str, start: int, taken: Iterable[tuple[int, int]]) -> list[int]:
    """Offsets of the ``\\[`` openers in ``text[start:]`` outside ``taken`` ranges (displays,
    code) and HTML comments."""
    merged: list[list[int]] = []
    for lo, hi in sorted([*taken, *((m.start(), m.end()) for m in _COMMENT.finditer(text, start))]):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    starts = [lo for lo, _ in merged]
    found = []
    for match in _OPENER.finditer(text, start):
        at = match.start(1)
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or at >= merged[i][1]:
            found.append(at)
    return found
