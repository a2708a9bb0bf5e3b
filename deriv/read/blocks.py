"""The body's code blocks and math fences, as CommonMark reads them (markdown-it-py).

In: a document's text and where its body starts, or one block token of a
parse (:func:`block_of`, which :mod:`deriv.read.markdown_math` calls for every
code block).  Out: :class:`Blocks` -- for each fenced or indented code block,
the offset of its first line's start and one past its end; for each math
fence (GitHub's ```` ```math ````, MyST's ```` ```{math} ```` with its
``:label:``), a :class:`MathFence`.  The display scanner skips the code
(nothing in it is read: not a display, not a ``\\newcommand``, not a
directive) and cuts the math fences as displays.

CommonMark decides what is code: a fence inside a list item ends with the
item, an unclosed fence runs to the end of its container, four spaces of
indentation after a blank line are code but inside a paragraph are not.
The reference scanner of ``tests/test_read_markdown_parser.py`` (which searches the
text itself) records blocks through :func:`block_of` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

_QUOTE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)+")
#: A MyST directive option line at the top of a ```{math} fence: `:label: softmax`.
_OPTION = re.compile(r"[ \t>]*:([A-Za-z][\w-]*):[ \t]*(.*)")
MATH_INFOS = ("math", "{math}")
#: A fence the scanner before markdown-it-py knew: at a line's start, after spaces only.
_BARE_FENCE = re.compile(r"[ \t]*(?:`{3,}|~{3,})")
#: Display math with a relation in it: a derivation step.
_STEP = re.compile(r"(?:\$\$|\\\[|\\begin\s*\{[a-z]+\*?\})[^\n]*?(?:=|\\le|\\ge|<|>)|"
                   r"(?:\$\$|\\\[|\\begin\s*\{[a-z]+\*?\}).*\n.*?(?:=|\\le|\\ge|<|>)")


@dataclass(frozen=True)
class MathFence:
    """Offsets of a math fence's math and its closing fence (``closer`` -1: never closed)."""

    start: int
    stop: int
    closer: int
    end: int
    label: str | None = None


@dataclass
class Blocks:
    """Offsets in the whole text, keyed by the block's first line's start."""

    code: dict[int, int] = field(default_factory=dict)
    math: dict[int, MathFence] = field(default_factory=dict)
    #: Offsets of fences in a list item or blockquote (`- ```‍`, `> ```‍`) holding display
    #: math: deriv read that math as steps before it asked CommonMark, which reads it as code.
    hidden: list[int] = field(default_factory=list)


def block_of(text: str, starts: list[int], token: Token, blocks: Blocks, as_math: bool = False) -> None:
    """Record the code block or math fence ``token`` (``starts``: each line's offset in ``text``);
    ``as_math``: a fence read as a math fence whatever its info (a generated text's ```` ```latex ````)."""

    def at(line: int) -> int:
        return starts[line] if line < len(starts) else len(text)

    first, last = token.map or (0, 0)
    end = at(last)
    if end > at(first) and text[end - 1] == "\n":
        end -= 1  # the block's last line without its newline: the scanner goes on at the newline
    if token.type in ("fence", "colon_fence") and (as_math or token.info.strip() in MATH_INFOS):
        blocks.math[at(first)] = _math_fence(text, (at(first), at(first + 1), at(last - 1), end), token.markup)
    else:
        blocks.code[at(first)] = end
        if token.type == "fence" and not _BARE_FENCE.match(text, at(first)) and _STEP.search(token.content):
            blocks.hidden.append(at(first))


def open_fence(text: str) -> str | None:
    """The line that closes a fence ``text`` leaves open at its end (at the top level), if any.

    A notebook's cell ends its fences, as a document's end does; joined to the
    next cell, the fence would run on through it."""
    if "```" not in text and "~~~" not in text:
        return None
    from markdown_it import MarkdownIt

    fences = [(t.map, t.markup) for t in MarkdownIt("commonmark").disable("inline").parse(text)
              if t.type == "fence" and t.level == 0 and t.map]
    lines = text.split("\n")
    if not fences or fences[-1][0][1] < len(lines):
        return None
    (first, last), markup = fences[-1]
    if last - 1 > first and _closes(lines[last - 1], markup):
        return None
    return markup[0] * len(markup)


def _closes(line: str, markup: str) -> bool:
    return re.fullmatch(rf"[ \t>]*{re.escape(markup[0])}{{{len(markup)},}}[ \t]*", line) is not None


def _math_fence(text: str, lines: tuple[int, int, int, int], markup: str) -> MathFence:
    """The math of a fence whose opener, content, last line and end are at ``lines``.

    MyST's option lines (``:label: x``) are not math; in a blockquote the math
    starts after the first line's ``>`` so that the scanner blanks the markers
    of the lines after it."""
    opener, content, last, end = lines
    closed = last > opener and _closes(text[last:end], markup)
    stop = last if closed else end
    label = None
    while content < stop:
        eol = text.find("\n", content, stop)
        option = _OPTION.fullmatch(text, content, stop if eol < 0 else eol)
        if option is None:
            break
        if option.group(1) == "label":
            label = option.group(2).strip() or None
        content = stop if eol < 0 else eol + 1
    if content >= stop:
        return MathFence(stop, stop, last if closed else -1, end, label)
    quote = _QUOTE_PREFIX.match(text, content) if text[opener:content].lstrip().startswith(">") else None
    first = quote.end() if quote and ">" in quote.group() else content
    return MathFence(min(first, stop), max(stop - 1, first) if closed else stop, last if closed else -1, end, label)
