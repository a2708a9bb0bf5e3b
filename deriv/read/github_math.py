"""GitHub's own math syntax: ``$`…`$`` inline and ```` ```math ```` fences.

GitHub renders a code span between dollars (``$`x \\in \\mathbb{R}^n`$``) as
inline math and a fenced block whose info string is ``math`` as display
math; to every other CommonMark reader both are code.  deriv reads them as
GitHub shows them: the fence is a display (blank lines inside it allowed,
as in any fence), the span is prose math (a declaration can be stated in it).
"""

from __future__ import annotations

import re

_MATH_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})[ \t]*math[ \t]*(?=\n|\Z)")


def math_fence(text: str, pos: int) -> tuple[int, int, int, int] | None:
    """(math start, math stop, closer, end) of a ```` ```math ```` fence opening at ``pos``.

    An unclosed fence runs to the end of the document, as in CommonMark:
    then ``closer`` is -1."""
    opener = _MATH_FENCE.match(text, pos)
    if opener is None:
        return None
    mark = opener.group(2)
    start = min(opener.end() + 1, len(text))
    closing = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", re.M)
    close = closing.search(text, start)
    if close is None:
        return start, len(text), -1, len(text)
    return start, max(close.start() - 1, start), close.start(), close.end()


def code_span_math(text: str, pos: int, bound: int) -> tuple[int, int, int] | None:
    """(math start, math stop, end) of ``$`…`$`` at ``pos`` (the dollar), or None.

    The backtick runs on both sides have the same length (a code span's rule)
    and the closing one is followed by a dollar; the span ends within its
    paragraph (``bound``).  The content is trimmed of one space each side, as
    a code span's is."""
    ticks = re.compile(r"`+").match(text, pos + 1)
    if ticks is None:
        return None
    width = len(ticks.group())
    closing = re.compile(rf"(?<!`)`{{{width}}}\$").search(text, ticks.end(), bound)
    if closing is None:
        return None
    return ticks.end(), closing.start(), closing.end()
