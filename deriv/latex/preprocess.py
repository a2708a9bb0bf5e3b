"""Strip decoration from the raw text of one display (docs/format.md).

In: the raw text between ``$$``.  Out: a :class:`PreparedDisplay` -- the bare
math for the lexer, the tag and the justification.

The result keeps, for every character of the math, the offset it came from
in the display, so that errors found later point into what the user wrote.

Rules, in the order they are applied:

0. The document's macros (``\\newcommand``, :mod:`deriv.latex.macros`) are
   expanded.

1. ``\\tag{X}`` is removed and kept as the tag; ``\\label{...}`` is dropped.
2. ``\\underbrace{A}_{B}`` becomes ``{A}`` (``B`` is dropped whatever it
   holds); ``\\overbrace{A}^{B}`` likewise; ``\\boxed{A}`` becomes ``{A}``, or
   ``A`` bare when the box holds the whole display.
3. After the first top-level ``\\quad``/``\\qquad`` whose rest contains
   ``\\text{``, the rest is the justification (unless it starts with a
   connective such as ``\\text{and}`` and states a relation: an error, two
   claims in one display).
4. and 6. (:func:`deriv.latex.text.read_names`) ``\\text{tr}``,
   ``\\operatorname{tr}``, ``\\mathrm{tr}`` become ``\\tr`` (likewise ``Tr``,
   ``exp``, ``log``, ``ln``, ``tanh``); ``\\text{g}`` becomes ``\\mathrm{g}``;
   a blank ``\\text{ }`` is a space; any other ``\\text{...}`` or multi-letter
   font name is an error that names it -- never dropped.  Font commands on a
   single name (``\\mathbf{x}``) are left for the lexer, which keeps the font.
5. ``\\|x\\|`` and ``\\lVert x \\rVert`` become ``\\norm{x}``; ``|a|`` and
   ``\\lvert a \\rvert`` become ``\\abs{a}``.
7. A trailing ``,`` ``.`` or ``;`` (after spacing) is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deriv.errors import LatexSyntaxError
from deriv.latex.lexicon import PLAIN, Lexicon
from deriv.latex.macros import expand
from deriv.latex.scripted import fuse_scripted
from deriv.latex.scan import argument, command_at, skip_space
from deriv.latex.spans import Span, SpanBuilder, braced, fail, rewrite
from deriv.latex.text import read_names, reject_spaced_claims, split_justification, unwrap_text

MAX_LENGTH = 20000
MAX_BRACE_DEPTH = 64

_TRAILING_PUNCT = re.compile(
    r"(?<!\\)[,.;](?:\s|~|\\(?:quad|qquad)(?![A-Za-z])|\\[,;:! ])*\Z"
)


@dataclass(frozen=True)
class PreparedDisplay:
    """One display with its decoration stripped.

    ``math`` is what the grammar parses; ``justification`` the text of
    ``\\text{...}`` (spaces normalised), ``tag`` the ``\\tag{...}`` contents.
    ``origin[k]`` is the 0-based offset in the display of ``math[k]`` (one
    extra entry for the end); it is only used to place errors.
    """

    math: str
    justification: str | None
    tag: str | None
    origin: tuple[int, ...] = field(default=(), repr=False, compare=False)
    #: The display, and the extent in it of each macro call expanded (outermost only).
    display: str = field(default="", repr=False, compare=False)
    calls: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    def display_column(self, math_column: int) -> int:
        """The 1-based display column of a 1-based column in ``math``."""
        if not self.origin:
            return math_column
        k = min(max(math_column - 1, 0), len(self.origin) - 1)
        return self.origin[k] + 1


def _check_raw(display: str) -> None:
    """Guard rails: size, control characters, balanced and shallow braces."""
    if len(display) > MAX_LENGTH:
        raise LatexSyntaxError(
            f"display is too long ({len(display)} characters, at most {MAX_LENGTH})", column=1
        )
    for k, c in enumerate(display):
        o = ord(c)
        if (o < 32 and c not in "\t\n\r") or 127 <= o < 160:
            raise fail(f"control character U+{o:04X}", k)
    opened: list[int] = []
    i = 0
    while i < len(display):
        c = display[i]
        if c == "\\":
            i = command_at(display, i)[1]
            continue
        if c == "{":
            opened.append(i)
            if len(opened) > MAX_BRACE_DEPTH:
                raise fail(f"braces nested deeper than {MAX_BRACE_DEPTH}", i)
        elif c == "}":
            if not opened:
                raise fail("unexpected '}' (unbalanced braces)", i)
            opened.pop()
        i += 1
    if opened:
        raise fail("unclosed '{' (unbalanced braces)", opened[-1])


def _strip_structures(span: Span, tags: list[str]) -> Span:
    """Rules 1 and 2: ``\\tag``, ``\\label``, ``\\underbrace``, ``\\overbrace``."""

    def handle(sp: Span, i: int, name: str, j: int) -> tuple[int, str | Span] | None:
        s = sp.text
        if name in ("tag", "label"):
            if name == "tag" and s[j : j + 1] == "*":
                j += 1
            _, end, lo, hi = braced(sp, name, i, j)
            if name == "tag":
                if tags:
                    raise fail("more than one \\tag", sp.origin[i])
                tags.append(" ".join(s[lo:hi].split()))
            return end, ""
        if name == "boxed":
            return _unbox(sp, i, j, tags)
        if name in ("underbrace", "overbrace"):
            _, end, lo, hi = braced(sp, name, i, j)
            inner = _strip_structures(sp.sub(lo, hi), tags)
            k = skip_space(s, end)
            if k < len(s) and s[k] == ("_" if name == "underbrace" else "^"):
                label = argument(s, k + 1)
                if label is None:
                    raise fail(f"\\{name} label is missing", sp.origin[k])
                end = label[1]
            out = SpanBuilder()
            out.put("{", sp.origin[i])
            out.put(inner, 0)
            out.put("}", sp.origin[hi])
            return end, out.build(sp.origin[hi])
        return None

    return rewrite(span, handle)


#: What may follow a ``\\boxed{...}`` that is the whole display: punctuation, a justification.
_AFTER_WHOLE = re.compile(r"\s*(?:[,.;]\s*)?(?:\\q?quad(?![A-Za-z]).*)?\Z", re.S)


def _unbox(sp: Span, i: int, j: int, tags: list[str]) -> tuple[int, Span]:
    """Rule 2b: ``\\boxed{A}`` is ``{A}``, a group, as ``\\underbrace`` is; a box around the whole
    display (a final answer, ``\\boxed{x = y}``) is its content bare, relations and all.  A
    relation in a box that is only part of a display stays in its group, which the grammar
    refuses: never read as if the box were not there (``2\\boxed{a = b}`` is not ``2a = b``)."""
    s = sp.text
    _, end, lo, hi = braced(sp, "boxed", i, j)
    inner = _strip_structures(sp.sub(lo, hi), tags)
    if s[:i].strip() == "" and _AFTER_WHOLE.match(s, end):
        return end, inner
    out = SpanBuilder()
    out.put("{", sp.origin[i])
    out.put(inner, 0)
    out.put("}", sp.origin[hi])
    return end, out.build(sp.origin[hi])


def _rewrite_norms(span: Span) -> Span:
    """Rule 5: pair ``\\|``/``\\Vert`` (alternating, at equal brace depth)
    and ``\\lVert``/``\\rVert`` into ``\\norm{...}``; likewise ``|`` and
    ``\\lvert``/``\\rvert`` into ``\\abs{...}``.  Bars pair with the nearest
    open bar of their own kind only: crossed bars (``\\|a|\\|``) are an error.  A bar opened by
    ``\\left|`` or ``\\lvert`` is closed by ``\\right|`` or ``\\rvert`` only: a bare bar inside it
    opens (``\\left| |a| - |b| \\right|``)."""
    s, out, last, i, depth = span.text, SpanBuilder(), 0, 0, 0
    open_at: list[tuple[int, int, str, bool]] = []  # (brace depth, offset, kind, explicit) of open bars
    closers = {"rVert": "norm", "rvert": "abs"}
    openers = {"lVert": "norm", "lvert": "abs"}
    bars = {"|": "norm", "Vert": "norm", "vert": "abs"}
    while i < len(s):
        c = s[i]
        if c in "{}":
            if c == "}" and open_at and open_at[-1][0] == depth:
                raise fail(f"unmatched {_BAR[open_at[-1][2]]}", span.origin[open_at[-1][1]])
            depth += 1 if c == "{" else -1
            i += 1
            continue
        if c == "|":
            name, j = _bar_at(s, i, open_at[-1][1:3] if open_at and open_at[-1][0] == depth else None)
        elif c == "\\":
            name, j = _sided(s, i, *command_at(s, i))
        else:
            i += 1
            continue
        kind = "abs" if name == "|abs" else closers.get(name) or openers.get(name) or bars.get(name)
        if kind is None:
            i = j
            continue
        closing = bool(open_at) and open_at[-1][0] == depth and open_at[-1][2] == kind
        if name in closers or (name not in openers and closing and not open_at[-1][3]):
            if not closing:
                raise fail(f"unmatched \\{name}", span.origin[i])
            open_at.pop()
            piece = "}"
        else:
            open_at.append((depth, i, kind, name in openers and _explicit_opener(s, i)))
            piece = f"\\{kind}{{"
        out.copy(span, last, i)
        out.put(piece, span.origin[i])
        last = i = j
    if open_at:
        raise fail(f"unmatched {_BAR[open_at[-1][2]]}", span.origin[open_at[-1][1]])
    out.copy(span, last, len(s))
    return out.build(span.origin[-1])


_BAR = {"norm": "\\|", "abs": "|"}


def _sided(s: str, i: int, name: str, j: int) -> tuple[str, int]:
    """``\\left\\|`` an explicit opener of a norm (``lVert``) and ``\\right\\|`` its closer, as for ``\\left|``."""
    side = _LEFT_OR_RIGHT.search(s, 0, i) if name in ("|", "Vert", "vert") else None
    if side is None:
        return name, j
    return ("l" if side.group(1) == "left" else "r") + ("vert" if name == "vert" else "Vert"), j


def _explicit_opener(s: str, i: int) -> bool:
    """The bar at ``i`` is written as an opener (``\\lvert``, ``\\lVert``, ``\\left|``), not only read as one."""
    return s[i] == "\\" or _LEFT_OR_RIGHT.search(s, 0, i) is not None
_LEFT_OR_RIGHT = re.compile(r"\\(left|right)\s*$")


def _bar_at(s: str, i: int, opened: tuple[int, str] | None) -> tuple[str, int]:
    """What the ``|`` at ``i`` is, as a bar command's name and the offset after it: ``\\left|`` an
    opener and ``\\right|`` a closer (``lvert``, ``rvert``), two of them in a row a norm's
    (``\\left|\\left|x\\right|\\right|``); a bare ``||`` a norm's opener, or its closer when a norm
    is open (``||x||``), but a closer and an opener of absolute values when one is (``|a||b|``);
    a bar right after an opener another opener (``\\left| |a| \\right|``, never an empty ``||``);
    ``|abs`` any other bar.  ``opened``: the offset and kind of the bar open at this depth."""
    side = _LEFT_OR_RIGHT.search(s, 0, i)
    if side is not None:
        again = re.compile(r"\s*\\" + side.group(1) + r"\s*\|").match(s, i + 1)
        opener = side.group(1) == "left"
        if again is not None:
            return ("lVert" if opener else "rVert"), again.end()
        return ("lvert" if opener else "rvert"), i + 1
    open_kind = opened[1] if opened else None
    if s.startswith("||", i) and open_kind != "abs":
        return ("rVert" if open_kind == "norm" else "lVert"), i + 2
    if opened is not None and _SPACING_ONLY.fullmatch(s, opened[0], i):
        return "lvert", i + 1
    return "|abs", i + 1


#: What may stand between an opening bar and a second opener: the bar, \left, spacing.
_SPACING_ONLY = re.compile(r"(?:\s|\||\\left|\\lvert|\\[,;:! ])*")



def _drop_trailing_punctuation(span: Span) -> Span:
    """Rule 7: a final ``,`` ``.`` or ``;`` (and the spacing after it)."""
    m = _TRAILING_PUNCT.search(span.text)
    return span.sub(0, m.start()) if m else span


def prepare(display: str, lexicon: Lexicon = PLAIN) -> PreparedDisplay:
    """Strip the decoration of one display (the text between ``$$``);
    ``lexicon`` holds the document's declared words (and its macros)."""
    _check_raw(display)
    calls: list[tuple[int, int]] = []
    span = expand(Span(display, tuple(range(len(display) + 1))), lexicon, calls)
    if span.text != display:
        _check_raw(span.text)  # what the macros made obeys the same bounds
    tags: list[str] = []
    span = _strip_structures(span, tags)
    span, rest = split_justification(span)
    reject_spaced_claims(span)
    span = fuse_scripted(span, lexicon.scripted)
    span = read_names(span, lexicon.words)
    span = _rewrite_norms(span)
    span = _drop_trailing_punctuation(span)
    justification = (unwrap_text(rest) or None) if rest is not None else None
    return PreparedDisplay(
        math=span.text,
        justification=justification,
        tag=tags[0] if tags else None,
        origin=span.origin,
        display=display,
        calls=tuple(calls),
    )
