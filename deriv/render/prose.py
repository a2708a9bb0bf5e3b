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
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!$])"
    r"|\$(?P<math>(?:\\.|[^$\\])+?)\$"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])[*_](?P<em>[^*_\s](?:.*?[^*_\s])?)[*_](?![\w*])"
    # An address may hold balanced parentheses, two deep (``Norm_(mathematics)``, ``alert(1)``), as
    # CommonMark reads them: the link ends at the ')' that closes it, never at the first one.
    r"|\[(?P<link_text>[^\]]+)\]\((?P<url>(?:[^()\s]|\((?:[^()\s]|\([^()\s]*\))*\))+)\)",
    re.DOTALL,
)
#: Links the report may keep: the web, mail, and relative paths -- never ``javascript:``.
_SAFE_URL = re.compile(r"(?:https?://|mailto:|[^:]*$)", re.IGNORECASE)


def render_inline(text: str) -> str:
    """One paragraph's text: escaped, with code, math, emphasis and links."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        if m.group("code"):
            out.append(f"<code>{html.escape(m.group('code_text').strip(), quote=False)}</code>")
        elif m.group("escaped") is not None:
            out.append(html.escape(m.group("escaped"), quote=False))
        elif m.group("math") is not None:
            out.append(to_mathml(m.group("math"), display=False))
        elif m.group("strong") is not None:
            out.append(f"<strong>{render_inline(m.group('strong'))}</strong>")
        elif m.group("em") is not None:
            out.append(f"<em>{render_inline(m.group('em'))}</em>")
        else:
            url = m.group("url")
            label = render_inline(m.group("link_text"))
            out.append(f'<a href="{html.escape(url)}" rel="noopener noreferrer">{label}</a>' if _SAFE_URL.match(url) else label)
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


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
