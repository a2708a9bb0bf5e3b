"""Rows of align-like LaTeX environments: where a ``\\\\`` ends a row.

The document reader cuts displays out of Markdown; this module says which
environments are displays (and which are refused), and splits one ``align``
(or ``gather``, ``eqnarray``, ``alignat``, inner ``aligned``) into rows, each
checked as its own display.
"""

from __future__ import annotations

import re

from deriv.names import TEXT_COMMANDS

#: Environments that are displays by themselves; the row ones give one display per `\\` line.
SINGLE_ENVS = {"equation", "equation*", "displaymath", "math"}
ROW_ENVS = {f"{e}{star}" for e in ("align", "gather", "eqnarray", "flalign", "alignat") for star in ("", "*")}
#: One equation broken over lines: its `\\` are spaces, the display is one.
JOINED_ENVS = {"multline", "multline*"}
DISPLAY_ENVS = SINGLE_ENVS | ROW_ENVS | JOINED_ENVS
#: Display environments deriv does not read: an error, never silently skipped.
UNSUPPORTED_ENVS = {f"{e}{star}" for e in ("dmath", "dgroup", "darray", "IEEEeqnarray", "empheq",
                                             "xalignat", "xxalignat", "eqnarray", "mathpar")
                     for star in ("", "*")} - DISPLAY_ENVS
#: A display consisting of one of these is split into rows too (`$$\begin{aligned}..$$`), also
#: after the display's ``\label{...}`` (`\begin{equation}\label{e}\begin{split}`).
INNER_ROWS = re.compile(
    r"\s*(?:\\label\s*\{[^{}]*\}\s*)?"
    r"\\begin\{(aligned|alignedat|align\*?|alignat\*?|flalign\*?|gathered|gather\*?|split)\}"
    r"(\s*\{\s*\d+\s*\})?"
)
#: The display's ``\label{...}`` after the inner environment's end.
TRAILING_LABEL = re.compile(r"\s*\\label\s*\{[^{}]*\}\s*\Z")
ALIGNAT_ARGUMENT = re.compile(r"\s*\{\s*\d+\s*\}")


def display_kind(environment: str) -> str:
    """The reported environment: '$$', '\\[', 'equation' or 'align'."""
    if environment in ("$$", "\\["):
        return environment
    return "equation" if environment in SINGLE_ENVS or environment in JOINED_ENVS else "align"


_BEGIN_END = re.compile(r"\\(begin|end)\s*\{[^{}]*\}")
#: What may follow a row's ``\\``: ``*`` (no page break there) and a spacing, ``\\*[2pt]``.
_ROW_SPACING = re.compile(r"(?:\s*\*)?(?:\s*\[\s*-?[\d.]+\s*(?:pt|em|ex|mm|cm|in|mu|bp|pc|sp|dd)\s*\])?")


def split_rows(math: str, gaps: bool = True) -> tuple[str, list[tuple[int, int, int | None]]] | None:
    r"""Split align-like math at top-level ``\\``.

    Returns the math with top-level ``&`` blanked to spaces (offsets unchanged)
    and (start, stop, terminator offset, or None for the last row) per row.
    ``\\`` and ``&`` inside braces or nested environments (a matrix) do not
    count.  None when braces or environments do not balance.

    With ``gaps`` (``align``, ``alignat``, ``flalign``, ``aligned``: columns
    come in right/left pairs), the 2nd, 4th, ... ``&`` of a row separates two
    pairs and is kept: the display reader makes it a column gap, so that
    ``a &= b && \text{why}`` has a justification and ``a &= b & c &= d``
    is two claims, never the product ``b c``.  ``eqnarray`` (``a &=& b``)
    has no pairs: every ``&`` is blanked.

    >>> split_rows(r"a &= b \\ &= c")
    ('a  = b \\\\  = c', [(0, 7, 7), (9, 14, None)])
    >>> split_rows(r"a &= b && c")[0]
    'a  = b &  c'
    """
    chars = list(math)
    spans: list[tuple[int, int, int | None]] = []
    depth, start, i, n = 0, 0, 0, len(math)
    columns = 0  # top-level `&` seen in this row
    while i < n:
        c = math[i]
        if c == "\\":
            after, depth, ends = _command(math, i, depth)
            if depth < 0:
                return None
            if ends:
                spans.append((start, i, i))
                columns, start = 0, after
            i = after
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return None
        elif c == "&" and depth == 0:
            columns += 1
            if not gaps or columns % 2:
                chars[i] = " "
        elif c == "%":  # a LaTeX comment; a `\\` in it does not end the row
            i = math.find("\n", i)
            i = n if i == -1 else i
            continue
        i += 1
    if depth != 0:
        return None
    spans.append((start, n, None))
    return "".join(chars), spans


_INTERTEXT = re.compile(r"\\(?:short)?intertext\s*\{")


def _command(math: str, i: int, depth: int) -> tuple[int, int, bool]:
    """At the backslash ``math[i]``: where scanning goes on, the depth of environments
    and braces there (-1: unbalanced), and whether a row ends at ``i`` -- a ``\\\\``,
    or amsmath's ``\\intertext{...}``, text between two rows that is no part of either."""
    if depth == 0 and math.startswith("\\\\", i):
        spacing = _ROW_SPACING.match(math, i + 2)
        return (spacing.end() if spacing else i + 2), depth, True
    if depth == 0 and (text := _INTERTEXT.match(math, i)):
        end = _group_end(math, text.end() - 1)
        return (end, depth, True) if end is not None else (i + 2, -1, False)
    if env := _BEGIN_END.match(math, i):
        return env.end(), depth + (1 if env.group(1) == "begin" else -1), False
    return i + 2, depth, False


def _group_end(math: str, i: int) -> int | None:
    """One past the ``}`` that closes the ``{`` at ``i``; None if it is never closed."""
    depth = 0
    for m in re.finditer(r"\\.|[{}]", math[i:], re.S):
        depth += {"{": 1, "}": -1}.get(m.group(), 0)
        if depth == 0:
            return i + m.end()
    return None


_TEXT_IN = re.compile(r"\\(?:" + "|".join(sorted(TEXT_COMMANDS)) + r")\s*\{")
_RELATION = r"[=<>]|\\(?:leq?|geq?|neq?|leqslant|geqslant|lt|gt)(?![A-Za-z])"
_RELATION_IN = re.compile(_RELATION)
_RELATION_START = re.compile(rf"\s*(?:{_RELATION})")
_NOTHING = re.compile(r"(?:\s|[,.;]|\\(?:quad|qquad)(?![A-Za-z])|\\[,;:! ])*\Z")
GAP_PROBLEM = ("after the column gap & there is neither a justification (\\text{...}) nor another "
               "equation: remove the &, or put the words in \\text{...}")


def column_gaps(row: str) -> tuple[str, str | None]:
    r"""A row with each column gap (a top-level ``&`` that :func:`split_rows`
    kept) made what it separates: a space when nothing follows or the next
    column starts with a relation (``a &= b &= c`` is one chain), ``\quad``
    before a justification or another equation (``a &= b && \text{why}``,
    ``a &= b & c &= d``: two claims), and otherwise a problem -- ``a &= b &&
    c`` is never the product ``b c``.  Returns the row and the problem.

    >>> column_gaps(r"a = b & \text{why}")
    ('a = b \\quad  \\text{why}', None)
    """
    out, last, depth, i = [], 0, 0, 0
    while i < len(row):
        c = row[i]
        if c == "\\":
            env = _BEGIN_END.match(row, i)
            if env:
                depth += 1 if env.group(1) == "begin" else -1
                i = env.end()
            else:
                i += 2
            continue
        depth += (c == "{") - (c == "}")
        if c == "&" and depth == 0:
            rest = row[i + 1 :]
            if _NOTHING.match(rest) or _RELATION_START.match(rest):
                piece = " "
            elif _TEXT_IN.search(rest) or _RELATION_IN.search(rest):
                piece = "\\quad "
            else:
                return row, GAP_PROBLEM
            out += [row[last:i], piece]
            last = i + 1
        i += 1
    out.append(row[last:])
    return "".join(out), None
