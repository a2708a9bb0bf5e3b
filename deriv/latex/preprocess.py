"""Strip decoration from the raw text of one display (SPEC 2.2).

In: the raw text between ``$$``.  Out: a :class:`PreparedDisplay` -- the bare
math for the lexer, the tag and the justification.

The result keeps, for every character of the math, the offset it came from
in the display, so that errors found later point into what the user wrote.

Rules, in the order they are applied:

1. ``\\tag{X}`` is removed and kept as the tag; ``\\label{...}`` is dropped.
2. ``\\underbrace{A}_{B}`` becomes ``{A}`` (``B`` is dropped whatever it
   holds); ``\\overbrace{A}^{B}`` likewise.
3. After the first top-level ``\\quad``/``\\qquad`` whose rest contains
   ``\\text{``, the rest is the justification.
4. Any other ``\\text{...}`` is removed; its content joins the justification.
5. ``\\|x\\|`` and ``\\lVert x \\rVert`` become ``\\norm{x}``.
6. ``\\operatorname{tr}``/``\\mathrm{tr}`` become ``\\tr`` (likewise ``exp``,
   ``log``, ``ln``, ``tanh``); any other multi-letter ``\\mathrm{...}`` is an
   error.  Font commands on a single name (``\\mathbf{x}``) are left for the
   lexer, which keeps the font on the name.
7. A trailing ``,`` ``.`` or ``;`` (after spacing) is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from deriv.errors import LatexSyntaxError
from deriv.latex.scan import argument, command_at, skip_space
from deriv.names import GREEK, ROMAN_OPERATORS

MAX_LENGTH = 20000
MAX_BRACE_DEPTH = 64

_TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "textnormal", "mbox"})
_TEXT_START = re.compile(r"\\(?:text|textrm|textit|textbf|textnormal|mbox)\s*\{")
_SPACING = frozenset({"quad", "qquad", ",", ";", ":", "!", " "})
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

    def display_column(self, math_column: int) -> int:
        """The 1-based display column of a 1-based column in ``math``."""
        if not self.origin:
            return math_column
        k = min(max(math_column - 1, 0), len(self.origin) - 1)
        return self.origin[k] + 1


@dataclass(frozen=True)
class _Span:
    """Text with the display offset of each character (plus one for the end)."""

    text: str
    origin: tuple[int, ...]

    def sub(self, start: int, end: int) -> "_Span":
        return _Span(self.text[start:end], self.origin[start : end + 1])


class _Builder:
    """Accumulates pieces of a new :class:`_Span`."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._origin: list[int] = []

    def copy(self, span: _Span, start: int, end: int) -> None:
        self._parts.append(span.text[start:end])
        self._origin.extend(span.origin[start:end])

    def put(self, piece: "str | _Span", at: int) -> None:
        """Insert new text (placed at display offset ``at``) or a span."""
        if isinstance(piece, _Span):
            self._parts.append(piece.text)
            self._origin.extend(piece.origin[:-1])
        else:
            self._parts.append(piece)
            self._origin.extend([at] * len(piece))

    def build(self, end: int) -> _Span:
        return _Span("".join(self._parts), tuple(self._origin) + (end,))


def _fail(message: str, offset: int) -> LatexSyntaxError:
    """A syntax error at 0-based display offset ``offset``."""
    return LatexSyntaxError(f"{message} at column {offset + 1}", column=offset + 1)


def _check_raw(display: str) -> None:
    """Guard rails: size, control characters, balanced and shallow braces."""
    if len(display) > MAX_LENGTH:
        raise LatexSyntaxError(
            f"display is too long ({len(display)} characters, at most {MAX_LENGTH})", column=1
        )
    for k, c in enumerate(display):
        o = ord(c)
        if (o < 32 and c not in "\t\n\r") or 127 <= o < 160:
            raise _fail(f"control character U+{o:04X}", k)
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
                raise _fail(f"braces nested deeper than {MAX_BRACE_DEPTH}", i)
        elif c == "}":
            if not opened:
                raise _fail("unexpected '}' (unbalanced braces)", i)
            opened.pop()
        i += 1
    if opened:
        raise _fail("unclosed '{' (unbalanced braces)", opened[-1])


_Handler = Callable[[_Span, int, str, int], "tuple[int, str | _Span] | None"]


def _rewrite(span: _Span, handler: _Handler) -> _Span:
    """Scan for commands; where ``handler(span, start, name, after)`` returns
    ``(end, replacement)``, replace ``span.text[start:end]``."""
    s, out, last, i = span.text, _Builder(), 0, 0
    while i < len(s):
        if s[i] != "\\":
            i += 1
            continue
        name, j = command_at(s, i)
        hit = handler(span, i, name, j)
        if hit is None:
            i = j
            continue
        end, replacement = hit
        out.copy(span, last, i)
        out.put(replacement, span.origin[i])
        last = i = end
    out.copy(span, last, len(s))
    return out.build(span.origin[-1])


def _braced(span: _Span, name: str, start: int, after: int) -> tuple[int, int, int, int]:
    """The required ``{...}`` argument of ``\\name`` at ``start``."""
    arg = argument(span.text, after)
    if arg is None or span.text[arg[0]] != "{":
        raise _fail(f"\\{name} needs a {{...}} argument", span.origin[start])
    return arg


def _strip_structures(span: _Span, tags: list[str]) -> _Span:
    """Rules 1 and 2: ``\\tag``, ``\\label``, ``\\underbrace``, ``\\overbrace``."""

    def handle(sp: _Span, i: int, name: str, j: int) -> tuple[int, str | _Span] | None:
        s = sp.text
        if name in ("tag", "label"):
            if name == "tag" and s[j : j + 1] == "*":
                j += 1
            _, end, lo, hi = _braced(sp, name, i, j)
            if name == "tag":
                if tags:
                    raise _fail("more than one \\tag", sp.origin[i])
                tags.append(" ".join(s[lo:hi].split()))
            return end, ""
        if name in ("underbrace", "overbrace"):
            _, end, lo, hi = _braced(sp, name, i, j)
            inner = _strip_structures(sp.sub(lo, hi), tags)
            k = skip_space(s, end)
            if k < len(s) and s[k] == ("_" if name == "underbrace" else "^"):
                label = argument(s, k + 1)
                if label is None:
                    raise _fail(f"\\{name} label is missing", sp.origin[k])
                end = label[1]
            out = _Builder()
            out.put("{", sp.origin[i])
            out.put(inner, 0)
            out.put("}", sp.origin[hi])
            return end, out.build(sp.origin[hi])
        return None

    return _rewrite(span, handle)


def _split_justification(span: _Span) -> tuple[_Span, str | None]:
    """Rule 3: cut at the first top-level ``\\quad``/``\\qquad`` whose rest
    contains ``\\text{``; the rest is raw justification."""
    s, depth, i = span.text, 0, 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            name, j = command_at(s, i)
            if depth == 0 and name in ("quad", "qquad") and _TEXT_START.search(s, j) and not _continues_math(s[j:]):
                return span.sub(0, i), s[j:]
            i = j
            continue
        depth += (c == "{") - (c == "}")
        i += 1
    return span, None


def _continues_math(rest: str) -> bool:
    """Whether text after a ``\\quad`` starts with a binary operator.

    ``x \\qquad + y \\text{bias}`` is spaced-out mathematics, not a
    justification: cutting there would silently drop a term.
    """
    stripped = rest.lstrip()
    return stripped[:1] in ("+", "-", "=", "<", ">") or stripped.startswith(("\\cdot", "\\times", "\\circ", "\\odot"))


def _unwrap_text(raw: str) -> str:
    """Justification text: ``\\text{..}`` unwrapped, spacing commands become
    spaces, other LaTeX kept; whitespace normalised."""
    parts: list[str] = []
    last = i = 0
    while i < len(raw):
        if raw[i] != "\\":
            i += 1
            continue
        name, j = command_at(raw, i)
        if name in _TEXT_COMMANDS:
            arg = argument(raw, j)
            if arg is not None and raw[arg[0]] == "{":
                parts += [raw[last:i], raw[arg[2] : arg[3]]]
                last = i = arg[1]
                continue
        if name in _SPACING:
            parts += [raw[last:i], " "]
            last = j
        i = j
    parts.append(raw[last:])
    return " ".join("".join(parts).split())


def _strip_text(span: _Span, found: list[str]) -> _Span:
    """Rule 4: remove ``\\text{...}`` from the math, collecting its content."""

    def handle(sp: _Span, i: int, name: str, j: int) -> tuple[int, str] | None:
        if name not in _TEXT_COMMANDS:
            return None
        _, end, lo, hi = _braced(sp, name, i, j)
        found.append(sp.text[lo:hi])
        return end, " "

    return _rewrite(span, handle)


def _rewrite_norms(span: _Span) -> _Span:
    """Rule 5: pair ``\\|``/``\\Vert`` (alternating, at equal brace depth)
    and ``\\lVert``/``\\rVert`` into ``\\norm{...}``."""
    s, out, last, i, depth = span.text, _Builder(), 0, 0, 0
    open_at: list[tuple[int, int]] = []  # (brace depth, offset) of open norms
    while i < len(s):
        c = s[i]
        if c in "{}":
            if c == "}" and open_at and open_at[-1][0] == depth:
                raise _fail("unmatched \\|", span.origin[open_at[-1][1]])
            depth += 1 if c == "{" else -1
            i += 1
            continue
        if c != "\\":
            i += 1
            continue
        name, j = command_at(s, i)
        closing = open_at and open_at[-1][0] == depth
        if name == "rVert" or (name in ("|", "Vert") and closing):
            if not closing:
                raise _fail("unmatched \\rVert", span.origin[i])
            open_at.pop()
            piece = "}"
        elif name in ("lVert", "|", "Vert"):
            open_at.append((depth, i))
            piece = "\\norm{"
        else:
            i = j
            continue
        out.copy(span, last, i)
        out.put(piece, span.origin[i])
        last = i = j
    if open_at:
        raise _fail("unmatched \\|", span.origin[open_at[-1][1]])
    out.copy(span, last, len(s))
    return out.build(span.origin[-1])


def _is_single_name(text: str) -> bool:
    """A letter, a digit string or one Greek command: what a font may wrap."""
    if len(text) == 1 and text.isascii() and text.isalpha():
        return True
    if text.isascii() and text.isdigit():
        return True
    return text.startswith("\\") and text[1:] in GREEK


def _rewrite_operators(span: _Span) -> _Span:
    """Rule 6: ``\\operatorname{tr}``/``\\mathrm{tr}`` to ``\\tr``; reject
    other operator names and multi-letter ``\\mathrm``."""

    def handle(sp: _Span, i: int, name: str, j: int) -> tuple[int, str] | None:
        if name not in ("operatorname", "mathrm"):
            return None
        s = sp.text
        if name == "operatorname" and s[j : j + 1] == "*":
            j += 1
        arg = argument(s, j)
        if arg is None:
            raise _fail(f"\\{name} needs an argument", sp.origin[i])
        content = s[arg[2] : arg[3]].strip()
        if content in ROMAN_OPERATORS:
            # keep the next letter from gluing onto the command name
            glue = " " if arg[1] < len(s) and s[arg[1]].isalpha() else ""
            return arg[1], f"\\{content}{glue}"
        if name == "mathrm" and _is_single_name(content):
            return None  # a plain name in roman type: the lexer takes it
        raise _fail(
            f"unsupported \\{name}{{{content}}}: only single-letter names and "
            f"{', '.join(sorted(ROMAN_OPERATORS))} are understood",
            sp.origin[i],
        )

    return _rewrite(span, handle)


def _drop_trailing_punctuation(span: _Span) -> _Span:
    """Rule 7: a final ``,`` ``.`` or ``;`` (and the spacing after it)."""
    m = _TRAILING_PUNCT.search(span.text)
    return span.sub(0, m.start()) if m else span


def prepare(display: str) -> PreparedDisplay:
    """Strip the decoration of one display (the text between ``$$``)."""
    _check_raw(display)
    span = _Span(display, tuple(range(len(display) + 1)))
    tags: list[str] = []
    span = _strip_structures(span, tags)
    span, rest = _split_justification(span)
    texts: list[str] = [] if rest is None else [rest]
    inline: list[str] = []
    span = _strip_text(span, inline)
    span = _rewrite_norms(span)
    span = _rewrite_operators(span)
    span = _drop_trailing_punctuation(span)
    # inline \text comes before the \quad rest in the display
    pieces = [" ".join(t.split()) for t in inline] + [_unwrap_text(t) for t in texts]
    justification = " ".join(p for p in pieces if p) or None
    return PreparedDisplay(
        math=span.text,
        justification=justification,
        tag=tags[0] if tags else None,
        origin=span.origin,
    )
