"""A member's LaTeX as the author wrote it: macro calls, not their expansions.

In: a :class:`~deriv.latex.preprocess.PreparedDisplay` (its math, the
display offset of each character, the extent of each macro call expanded)
and a member's range in the math.  Out: the member's text with every macro
expansion it holds whole put back as the call written (``\\vx + \\vy``,
not ``\\mathbf{x} + \\mathbf{y}``), for the report's echo of the step.

Every character an expansion makes is placed at its call's start (see
:mod:`deriv.latex.macros`), and no other character is: a run of them is
the call.  An expansion that the member holds only in part (a macro whose
body holds a relation, ``\\newcommand{\\eqz}{= 0}``) can not be written
back as its call: that member is echoed as read.
"""

from __future__ import annotations

from deriv.latex.preprocess import PreparedDisplay


def written(prepared: PreparedDisplay, start: int, end: int) -> str:
    """``prepared.math[start:end]`` with each whole macro expansion written as its call."""
    math = prepared.math
    if not prepared.calls:
        return math[start:end]
    extent = dict(prepared.calls)
    spans = _expansions(prepared)
    out: list[str] = []
    k = start
    while k < end:
        call = prepared.origin[k]
        if call in extent and call in spans:
            first, last = spans[call]
            if first < start or last >= end:
                return math[start:end]  # the call straddles two members
            out.append(prepared.display[call:extent[call]])
            k = last + 1
            continue
        out.append(math[k])
        k += 1
    return "".join(out)


def _expansions(prepared: PreparedDisplay) -> dict[int, tuple[int, int]]:
    """Call start -> (first, last) position in the math of what it expanded to."""
    starts = {start for start, _ in prepared.calls}
    found: dict[int, tuple[int, int]] = {}
    for k, at in enumerate(prepared.origin[: len(prepared.math)]):
        if at in starts:
            first, _ = found.get(at, (k, k))
            found[at] = (first, k)
    return found
