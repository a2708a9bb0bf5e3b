r"""The prose between displays as HTML: a small, safe subset of Markdown.

The report keeps the author's words around the mathematics.  A full
Markdown implementation is not needed for notes like the seed's: this
renders paragraphs, ``#`` headings, ``-``/``1.`` lists, ``>`` quotes,
fenced code, `code`, ``**bold**``, ``*emphasis*``, ``[links](url)`` and
inline math ``$...$`` (as MathML).  Everything else is text: any HTML the
author wrote is escaped, never passed through, and HTML comments (deriv's
directives among them) are dropped.

>>> print(render_prose(["Since $B$ is **not** a function of `W`:", "", "<b>x</b>"]), end="")
<p>Since <math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>B</mi></mrow><annotation encoding="application/x-tex">B</annotation></semantics></math> is <strong>not</strong> a function of <code>W</code>:</p>
<p>&lt;b&gt;x&lt;/b&gt;</p>
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from deriv.read.markdown import heading_text
from deriv.render.mathml import to_mathml

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*)")  # closing #s: see read.markdown.heading_text
_ITEM = re.compile(r"[ \t]{0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)")
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?(.*)")
_INLINE = re.compile(
    # A run of backticks: a code span when a run of the same length closes it (:func:`_code_spans`).
    r"(?P<code>`+)"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!$])"
    r"|\$(?P<math>(?:\\.|[^$\\])+?)\$"
    r"|\*\*(?P<strong>.+?)\*\*"
    # Emphasis holds no delimiter of its own kind, and a link's text no bracket, its address no
    # '[': each attempt then stops at the next one, so a line of 10^5 ' _a' or '[' reads in
    # linear time (it took quadratic time, and hours for a 5 MB line).
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*(?![\w*])"
    r"|(?<![\w*])_(?P<em_>[^_\s](?:[^_]*?[^_\s])?)_(?![\w*])"
    # An address may hold balanced parentheses, two deep (``Norm_(mathematics)``, ``alert(1)``), as
    # CommonMark reads them: the link ends at the ')' that closes it, never at the first one.
    r"|\[(?P<link_text>[^\[\]]+)\]\((?P<url>(?:[^()\s\[]|\((?:[^()\s\[]|\([^()\s\[]*\))*\))+)\)",
    re.DOTALL,
)
_BACKTICKS = re.compile(r"`+")
#: Links the report may keep: the web, mail, and relative paths -- never ``javascript:``.
_SAFE_URL = re.compile(r"(?:https?://|mailto:|[^:]*$)", re.IGNORECASE)


def render_inline(text: str) -> str:
    """One paragraph's text: escaped, with code, math, emphasis and links."""
    spans = _code_spans(text)
    out: list[str] = []
    pos = 0
    while (m := _INLINE.search(text, pos)) is not None:
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        if m.group("code"):
            end = spans.get(m.start())
            if end is None:  # no run of its length closes it: backticks as text
                out.append(html.escape(m.group("code"), quote=False))
                continue
            inside, pos = text[pos:end - len(m.group("code"))], end
            out.append(f"<code>{html.escape(inside.strip(), quote=False)}</code>")
        else:
            out.append(_inline_markup(m))
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _inline_markup(m: re.Match[str]) -> str:
    """What one match of :data:`_INLINE` other than a code span becomes."""
    if m.group("escaped") is not None:
        return html.escape(m.group("escaped"), quote=False)
    if m.group("math") is not None:
        return to_mathml(m.group("math"), display=False)
    if m.group("strong") is not None:
        return f"<strong>{render_inline(m.group('strong'))}</strong>"
    emphasised = m.group("em") if m.group("em") is not None else m.group("em_")
    if emphasised is not None:
        return f"<em>{render_inline(emphasised)}</em>"
    url = m.group("url")
    label = render_inline(m.group("link_text"))
    return f'<a href="{html.escape(url)}" rel="noopener noreferrer">{label}</a>' if _SAFE_URL.match(url) else label


def _code_spans(text: str) -> dict[int, int]:
    """Where each code span starts -> where it ends: a run of backticks up to the next run of
    the same length (CommonMark), found in one pass over the runs (a lazy regex looking for
    the closing run took cubic time on a line of backticks).

    >>> _code_spans("a `b` ``c`d`` ```e")
    {2: 5, 6: 13}
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for number in range(len(runs) - 1, -1, -1):
        length = runs[number][1] - runs[number][0]
        following[number] = last.get(length)
        last[length] = number
    spans: dict[int, int] = {}
    number = 0
    while number < len(runs):
        closing = following[number]
        if closing is None or runs[closing][0] == runs[number][1]:
            number += 1
            continue
        spans[runs[number][0]] = runs[closing][1]
        number = closing + 1
    return spans


def render_prose(lines: Sequence[str], *, heading_offset: int = 2) -> str:
    """Block-level Markdown: lines in, HTML out (one block per line of output).

    ``heading_offset`` moves ``#`` down (an ``<h1>`` of the document is an
    ``<h3>`` inside the report's section for it).
    """
    lines = _COMMENT.sub("", "\n".join(lines)).split("\n")
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[tuple[str, str]] = []  # (list tag, item text)
    quote: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{render_inline(' '.join(s.strip() for s in paragraph))}</p>")
            paragraph.clear()
        if items:
            tag = items[0][0]
            body = "".join(f"<li>{render_inline(text)}</li>" for _, text in items)
            blocks.append(f"<{tag}>{body}</{tag}>")
            items.clear()
        if quote:
            blocks.append(f"<blockquote>{render_prose(quote, heading_offset=heading_offset)}</blockquote>")
            quote.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if fence := _FENCE.match(line):
            flush()
            closing = re.compile(rf"[ \t]*{re.escape(fence.group(1)[0])}{{{len(fence.group(1))},}}[ \t]*$")
            code: list[str] = []
            while index < len(lines) and not closing.match(lines[index]):
                code.append(lines[index])
                index += 1
            index += 1
            blocks.append(f"<pre><code>{html.escape(chr(10).join(code), quote=False)}</code></pre>")
        elif not line.strip():
            flush()
        elif heading := _HEADING.fullmatch(line):
            flush()
            level = min(len(heading.group(1)) + heading_offset, 6)
            blocks.append(f"<h{level}>{render_inline(heading_text(heading.group(2)))}</h{level}>")
        elif (item := _ITEM.fullmatch(line)) and not paragraph:
            if quote:
                flush()
            items.append(("ul" if item.group(1) else "ol", item.group(3)))
        elif (inside := _QUOTE.fullmatch(line)) and not paragraph and not items:
            quote.append(inside.group(1))
        elif items and line.startswith((" ", "\t")):
            tag, text = items[-1]
            items[-1] = (tag, f"{text} {line.strip()}")  # an item's continuation line
        else:
            if items or quote:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(blocks) + ("\n" if blocks else "")
