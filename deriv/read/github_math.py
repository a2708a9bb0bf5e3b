"""GitHub's inline math ``$`…`$`` (its ```` ```math ```` fences are found with the code blocks, :mod:`deriv.read.blocks`).

GitHub renders a code span between dollars (``$`x \\in \\mathbb{R}^n`$``) as
inline math and a fenced block whose info string is ``math`` as display
math; to every other CommonMark reader both are code.  deriv reads them as
GitHub shows them: the fence is a display (blank lines inside it allowed,
as in any fence), the span is prose math (a declaration can be stated in it).
"""

from __future__ import annotations

import re


def code_span_math(text: str, pos: int, bound: int) -> tuple[int, int, int] | None:
    """(math start, math stop, end) of ``$`…`$`` at ``pos`` (the dollar), or None.

    The backtick runs on both sides have the same length (a code span's rule)
    and the closing one is followed by a dollar; the span ends within its
    paragraph (``bound``)."""
    ticks = re.compile(r"`+").match(text, pos + 1)
    if ticks is None:
        return None
    width = len(ticks.group())
    closing = re.compile(rf"(?<!`)`{{{width}}}\$").search(text, ticks.end(), bound)
    if closing is None:
        return None
    return ticks.end(), closing.start(), closing.end()
