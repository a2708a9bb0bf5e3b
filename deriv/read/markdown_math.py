"""The math of a Markdown body as markdown-it-py reads it, at offsets of the original text.

In: a document's text and where its body starts.  Out: :class:`MarkdownMath`
-- every piece of math (:class:`Span`: its opener, math and end as offsets of
the text, so lines and columns are exact), the code blocks and math fences
(:class:`~deriv.read.blocks.Blocks`), the code spans, and the first ``#``
heading.  The display scanner (:mod:`deriv.read.document`) walks these instead
of searching the text itself: what is math, code or prose is CommonMark's
decision, made by markdown-it-py with mdit-py-plugins' ``dollarmath`` (with
deriv's rules: docs/format.md, "Displays") and ``amsmath``; GitHub's
``$`…`$``, ``\\[…\\]``, ``\\(…\\)`` and an environment inside a paragraph are
rules of deriv's own (:mod:`deriv.read.markdown_rules`), as is what the plugins
leave that deriv reads (a ``$$`` never closed is an error, not text).

Inline tokens carry positions in their paragraph's text (markdown-it keeps
only block lines); :func:`_line_offsets` maps them back: each line of a
paragraph's text is the end of its file line (container markers and
indentation cut in front, trailing spaces at the paragraph's end).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from deriv.read.blocks import Blocks, block_of
from deriv.read.macros import DEFINERS
from deriv.read.markdown_rules import SPAN, install

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_NOT_SPACE = re.compile(r"[^\n]")
#: What a comment's characters become: no space (a line would turn into indented code), no markup.
_BLANK = "\ue000"
#: The characters CommonMark trims from a paragraph's ends (markdown-it's mdTrim).
_TRIM = " \t\n\r\f\v"


@dataclass(frozen=True)
class Span:
    """One piece of math: ``kind`` is its opener (``$$``, ``$``, ``\\[``, ``\\(``, ``$`` + backticks,
    an environment's name, ``unclosed`` + opener), the rest offsets of the text."""

    kind: str
    opener: int
    start: int
    stop: int
    end: int


@dataclass
class MarkdownMath:
    spans: list[Span] = field(default_factory=list)
    blocks: Blocks = field(default_factory=Blocks)
    #: Inline code spans: start -> end (nothing in them is read).
    code_spans: dict[int, int] = field(default_factory=dict)
    heading: str | None = None


@cache
def parser(html: bool = True, loose: bool = False) -> MarkdownIt:
    from markdown_it import MarkdownIt

    return install(MarkdownIt("commonmark", {"html": html}), loose)


def markdown_math(text: str, start: int, html: bool = True, loose: bool = False) -> MarkdownMath:
    """The math, code and first heading of ``text[start:]`` (``html``: HTML blocks are read
    as HTML, whose math :func:`_html_block` finds)."""
    body = text[start:]
    starts = [start] + [m.end() + start for m in re.finditer("\n", body)]
    found = MarkdownMath()
    for token in parser(html, loose).parse(body):
        if token.type == "inline" and token.map:
            _inline(text, starts, token, found)
        elif token.type == "html_block" and token.map:
            _html_block(text, starts, token.map, found, loose)
        elif token.map:
            _block(text, starts, token, found, loose)
    found.spans.sort(key=lambda span: span.opener)
    return found


def _html_block(text: str, starts: list[int], lines: list[int], found: MarkdownMath, loose: bool) -> None:
    """The math in an HTML block (``<div>$$…$$</div>``, ``<!-- deriv: skip --> $$…$$`` on one
    line): the block read as Markdown, its comments blanked (the scanner reads those).

    MathJax typesets math in a page's HTML too, and deriv has always read it there."""
    begin, stop = starts[lines[0]], _line_end(text, starts, lines[1] - 1)
    region = _blank_comments(text[begin:stop])
    if "$" not in region and "\\" not in region:
        return  # a directive's comment line, most often: no math
    inner = markdown_math(region, 0, html=False, loose=loose)
    found.spans += [Span(s.kind, s.opener + begin, s.start + begin, s.stop + begin, s.end + begin)
                    for s in inner.spans]
    found.code_spans.update((at + begin, end + begin) for at, end in inner.code_spans.items())
    found.blocks.code.update((at + begin, end + begin) for at, end in inner.blocks.code.items())


#: A fence a generated text writes its LaTeX in: ```` ```latex ````.
_LATEX_INFOS = ("latex", "tex", "katex", "mathjax", "{latex}")
_DELIMITED = re.compile(r"\$|\\\[|\\\(|\\begin\s*\{")


def _block(text: str, starts: list[int], token: Token, found: MarkdownMath, loose: bool = False) -> None:
    first = (token.map or (0, 0))[0]
    if loose and token.type == "fence" and token.info.strip().lower() in _LATEX_INFOS:
        _latex_fence(text, starts, token, found)
    elif token.type in ("code_block", "fence", "colon_fence"):
        block_of(text, starts, token, found.blocks)
    elif token.type == "math_block":
        found.spans.append(_delimited(text, starts[first], "$$", "$$", "$$"))
    elif token.type == "amsmath":
        env = token.meta["environment"] + token.meta["numbered"]
        found.spans.append(_delimited(text, starts[first], f"\\begin{{{env}}}", f"\\end{{{env}}}", env))
    elif token.type == "heading_open" and token.markup == "#" and token.level == 0 and found.heading is None:
        found.heading = ""  # its text is the inline token after it (an empty one is no title)


def _latex_fence(text: str, starts: list[int], token: Token, found: MarkdownMath) -> None:
    """A generated text's ```` ```latex ```` fence: the LaTeX a reader reads as mathematics (docs/library.md).
    Its math in delimiters (``$$``, ``\\begin{align}``) is read where it stands; a fence of bare math
    is one display, as a ```` ```math ```` fence is."""
    first, last = token.map or (0, 0)
    inner_start = starts[first + 1] if first + 1 < len(starts) else len(text)
    inner_stop = max(inner_start, starts[last - 1] if last - 1 < len(starts) else len(text))
    if not _DELIMITED.search(text, inner_start, inner_stop):
        block_of(text, starts, token, found.blocks, as_math=True)
        return
    inner = markdown_math(text[inner_start:inner_stop], 0, html=False, loose=True)
    found.spans += [Span(s.kind, s.opener + inner_start, s.start + inner_start, s.stop + inner_start,
                         s.end + inner_start) for s in inner.spans]
    found.code_spans.update((at + inner_start, end + inner_start) for at, end in inner.code_spans.items())
    found.blocks.code.update((at + inner_start, end + inner_start) for at, end in inner.blocks.code.items())


def _delimited(text: str, line: int, opener: str, closer: str, kind: str) -> Span:
    """A block's math from ``opener`` on the line starting at ``line`` to the first ``closer``
    after it (:mod:`deriv.read.markdown_rules` keeps only blocks with no closer inside)."""
    at = text.index(opener, line)
    close = text.index(closer, at + len(opener))
    return Span(kind, at, at + len(opener), close, close + len(closer))


def _line_end(text: str, starts: list[int], line: int) -> int:
    return starts[line + 1] - 1 if line + 1 < len(starts) else len(text)


def _inline(text: str, starts: list[int], token: Token, found: MarkdownMath) -> None:
    if found.heading == "":
        found.heading = token.content or None
    located = list(_located(token.children or (), 0))
    if not located:
        return
    offsets = _line_offsets(text, starts, token)
    for child, shift in located:
        opener, start, stop, end = (offsets(p + shift) for p in child.meta[SPAN])
        if child.type == "code_inline":
            found.code_spans[opener] = end
        else:
            found.spans.append(Span(child.info, opener, start, stop, end))


def _located(children: Sequence[Token], shift: int) -> Iterator[tuple[Token, int]]:
    """The math and code tokens, each with what its positions are relative to: an image's
    description (``![$x$](u)``) is parsed on its own, from two characters after the ``!``."""
    for child in children:
        if SPAN not in child.meta:
            continue
        if child.type == "image":
            yield from _located(child.children or (), shift + child.meta[SPAN][0] + 2)
        else:
            yield child, shift


def _line_offsets(text: str, starts: list[int], token: Token) -> Callable[[int], int]:
    """A map from positions of ``token.content`` to offsets of ``text``."""
    first = (token.map or (0, 0))[0]
    lines = token.content.split("\n")
    src_starts, bases = [], []
    src = 0
    for i, line in enumerate(lines):
        number = first + i
        orig = text[starts[number]:_line_end(text, starts, number)] if number < len(starts) else ""
        bases.append(starts[min(number, len(starts) - 1)] + _place(orig, line))
        src_starts.append(src)
        src += len(line) + 1

    def offset(pos: int) -> int:
        i = bisect.bisect_right(src_starts, pos) - 1
        return bases[i] + pos - src_starts[i]

    return offset


def _place(orig: str, line: str) -> int:
    """Where a line of inline text stands in its file line (the offset of its first character):
    at the line's end, before trailing spaces; markdown-it may put spaces in front (a tab
    it took part of), which stand before the text in the file; else (a heading's closing
    ``#``s cut) where the text first occurs."""
    core = line.lstrip(" ")
    pad = len(line) - len(core)
    for end in (len(orig), len(orig.rstrip(_TRIM))):
        if orig.endswith(core, 0, end):
            return end - len(core) - pad
    return max(orig.find(line), 0)


#: What the scanner meets besides math: a comment (a directive), a macro definition.
_COMMENT_OR_DEFINER = re.compile(r"<!--|" + DEFINERS.pattern)


def events(text: str, start: int, found: MarkdownMath) -> list[tuple[int, str, object]]:
    """Everything the scanner acts on, in text order: (offset, what, payload).

    Comments and definitions are found in the text, outside code; the scanner skips
    those inside math, a comment or code that starts before them."""
    out: list[tuple[int, str, object]] = [(s.opener, "span", s) for s in found.spans]
    out += [(at, "skip", end) for at, end in found.blocks.code.items()]
    out += [(at, "skip", end) for at, end in found.code_spans.items()]
    out += [(at, "fence", None) for at in found.blocks.math]
    if "<!--" in text or "\\" in text:
        out += [(m.start(), "comment" if m.group() == "<!--" else "definer", None)
                for m in _COMMENT_OR_DEFINER.finditer(text, start) if not _escaped(text, m.start())]
    out.sort(key=lambda event: event[0])
    return out


def _escaped(text: str, pos: int) -> bool:
    """A ``\\newcommand``: the backslash before it is escaped, the word is text."""
    if text[pos] != "\\":
        return False
    run = pos
    while run > 0 and text[run - 1] == "\\":
        run -= 1
    return (pos - run) % 2 == 1


def _blank_comments(region: str) -> str:
    """``region`` with each closed comment's characters (not its newlines) blanked."""
    parts, pos = [], 0
    while (opened := region.find("<!--", pos)) >= 0 and (closed := region.find("-->", opened + 4)) >= 0:
        parts += [region[pos:opened], _NOT_SPACE.sub(_BLANK, region[opened:closed + 3])]
        pos = closed + 3
    return "".join(parts) + region[pos:]
