"""Text that remembers where each character came from in the display.

The preprocessor rewrites a display in several passes (``\\tag`` out,
``\\|x\\|`` to ``\\norm{x}``, ...); a :class:`Span` keeps, for every
character, its 0-based offset in the display, so that errors found later
point into what the user wrote.  Shared by :mod:`deriv.latex.preprocess`
and :mod:`deriv.latex.text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from deriv.errors import LatexSyntaxError
from deriv.latex.scan import argument, command_at


@dataclass(frozen=True)
class Span:
    """Text with the display offset of each character (plus one for the end)."""

    text: str
    origin: tuple[int, ...]

    def sub(self, start: int, end: int) -> "Span":
        return Span(self.text[start:end], self.origin[start : end + 1])


class SpanBuilder:
    """Accumulates pieces of a new :class:`Span`."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._origin: list[int] = []

    def copy(self, span: Span, start: int, end: int) -> None:
        self._parts.append(span.text[start:end])
        self._origin.extend(span.origin[start:end])

    def put(self, piece: "str | Span", at: int) -> None:
        """Insert new text (placed at display offset ``at``) or a span."""
        if isinstance(piece, Span):
            self._parts.append(piece.text)
            self._origin.extend(piece.origin[:-1])
        else:
            self._parts.append(piece)
            self._origin.extend([at] * len(piece))

    def build(self, end: int) -> Span:
        return Span("".join(self._parts), tuple(self._origin) + (end,))


def fail(message: str, offset: int) -> LatexSyntaxError:
    """A syntax error at 0-based display offset ``offset``."""
    return LatexSyntaxError(f"{message} at column {offset + 1}", column=offset + 1)


Handler = Callable[[Span, int, str, int], "tuple[int, str | Span] | None"]


def rewrite(span: Span, handler: Handler) -> Span:
    """Scan for commands; where ``handler(span, start, name, after)`` returns
    ``(end, replacement)``, replace ``span.text[start:end]``."""
    s, out, last, i = span.text, SpanBuilder(), 0, 0
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


def braced(span: Span, name: str, start: int, after: int) -> tuple[int, int, int, int]:
    """The required ``{...}`` argument of ``\\name`` at ``start``."""
    arg = argument(span.text, after)
    if arg is None or span.text[arg[0]] != "{":
        raise fail(f"\\{name} needs a {{...}} argument", span.origin[start])
    return arg
