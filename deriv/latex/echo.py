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

A function named in roman is put back the same way: the preprocessor reads
``\\operatorname{softplus}`` as the command ``\\softplus``, which is no LaTeX
a reader's renderer knows, so the echo shows what was written.
"""

from __future__ import annotations

from deriv.latex.preprocess import PreparedDisplay
from deriv.latex.scan import argument, command_at
from deriv.latex.scripted import OPEN as SCRIPTED_OPEN
from deriv.latex.text import NAME_FONTS
from deriv.names import TEXT_COMMANDS

#: The commands whose argument the preprocessor may turn into a command of its own.
_ROMAN = NAME_FONTS | TEXT_COMMANDS


def written(prepared: PreparedDisplay, start: int, end: int) -> str:
    """``prepared.math[start:end]`` with each whole macro expansion written as its call."""
    math = prepared.math
    if not prepared.origin or (not prepared.calls and not _RESPELLED.intersection(math[start:end])):
        return math[start:end]
    extent = dict(prepared.calls)
    spans = _expansions(prepared) if extent else {}
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
        named = _roman_name(prepared, k, end) or _bar(prepared, k) or _scripted_name(prepared, k, end)
        out.append(named[0] if named else math[k])
        k = named[1] if named else k + 1
    return "".join(out)


def _roman_name(prepared: PreparedDisplay, k: int, end: int) -> tuple[str, int] | None:
    """``(\\operatorname{softplus}, after)`` where ``math[k:after]`` is the command the
    preprocessor made of it (every character of which it placed at the written command), else None."""
    math, display, at = prepared.math, prepared.display, prepared.origin[k]
    if math[k] != "\\" or not display.startswith("\\", at):
        return None
    name, j = command_at(display, at)
    if name not in _ROMAN or command_at(math, k)[0] == name:
        return None
    arg = argument(display, j + 1 if display.startswith("*", j) else j)
    after = k
    while after < len(math) and prepared.origin[after] == at:
        after += 1
    return None if arg is None or after > end else (display[at:arg[1]], after)


def _scripted_name(prepared: PreparedDisplay, k: int, end: int) -> tuple[str, int] | None:
    """``(W^{[2]T}, after)`` where ``math[k:after]`` is the marker the preprocessor made of a
    declared scripted name as written (with a ``^T`` or an entry it took in), else None: the echo
    shows ``b^{(l) T}``, never the fused ``b^{(l)}^T``, a double superscript to TeX."""
    math, origin = prepared.math, prepared.origin
    if math[k] != SCRIPTED_OPEN:
        return None
    after = k
    while after < end and origin[after] == origin[k]:
        after += 1
    if after >= len(origin) or origin[after] <= origin[k]:
        return None
    return prepared.display[origin[k]:origin[after]].rstrip(), after


def _bar(prepared: PreparedDisplay, k: int) -> tuple[str, int] | None:
    """``(|, after)`` where ``math[k:after]`` is the ``\\abs{`` or ``\\norm{`` (or the ``}``) the
    preprocessor made of a bar (``|``, ``\\lvert``, ``\\|``, ``\\rVert``, ...), else None: a
    report shows ``\\left|X\\right|``, never ``\\left\\abs{X\\right}``, which no renderer reads."""
    math, display, at = prepared.math, prepared.display, prepared.origin[k]
    if at >= len(display) or display[at] not in "|\\":
        return None
    opened = next((len(c) for c in ("\\abs{", "\\norm{") if math.startswith(c, k)), 0)
    if not opened and math[k] != "}":
        return None
    bar = "|" if display[at] == "|" else display[at:command_at(display, at)[1]]
    if bar.lstrip("\\") not in _BARS:
        return None
    after = k + (opened or 1)
    written = display[at:prepared.origin[after]] if after < len(prepared.origin) else ""
    return (written.rstrip() if written.startswith(bar) else bar), after  # ||, \left|\left|: both bars


#: Characters of what the preprocessor rewrote: commands, and the markers of scripted names.
_RESPELLED = frozenset({"\\", SCRIPTED_OPEN})

#: What the preprocessor reads as a bar of an absolute value or a norm.
_BARS = {"|", "lvert", "rvert", "vert", "Vert", "lVert", "rVert"}


def _expansions(prepared: PreparedDisplay) -> dict[int, tuple[int, int]]:
    """Call start -> (first, last) position in the math of what it expanded to."""
    starts = {start for start, _ in prepared.calls}
    found: dict[int, tuple[int, int]] = {}
    for k, at in enumerate(prepared.origin[: len(prepared.math)]):
        if at in starts:
            first, _ = found.get(at, (k, k))
            found[at] = (first, k)
    return found
