"""Quarto (``.qmd``) text as it is shown: a hidden div's content is no part of it.

In: the text of a ``.qmd`` file.  Out: the same text, line for line, with the
content of every ``::: {.content-hidden}`` (or ``{.hidden}``) div blanked --
Quarto renders it in no format, so no reader sees its mathematics.  A div
hidden or shown only in some formats (``when-format=``, ``unless-format=``,
``when-profile=``...) is shown in another, and is read.  A ``:::`` inside a
code block is code, as CommonMark reads it (markdown-it-py).

Quarto's ``{{< include file >}}`` is not followed: the file is an error that says so
(:mod:`deriv.read.includes`).
"""

from __future__ import annotations

import re

#: A fenced div's opening line: three or more colons, then its attributes or a class name.
_OPEN = re.compile(r"[ ]{0,3}(:{3,})[ \t]*(\{[^}\n]*\}|[\w-]+)[ \t]*:*[ \t]*")
_CLOSE = re.compile(r"[ ]{0,3}:{3,}[ \t]*")
_HIDDEN = re.compile(r"(?:^|[\s{])\.(?:content-hidden|hidden)(?![\w-])")
_CONDITION = re.compile(r"(?:when|unless)-[\w-]+\s*=")
def shown_quarto(text: str) -> str:
    """``text`` with the lines of every div Quarto never shows blanked (line count kept)."""
    if ":::" not in text or "hidden" not in text:
        return text
    lines = text.split("\n")
    code = code_lines(text)
    depth, hidden_at = 0, None  # open divs, and the depth of the hidden one we are in
    for n, line in enumerate(lines):
        if n in code:
            if hidden_at is not None:
                lines[n] = ""
            continue
        opened = _OPEN.fullmatch(line)
        if opened:
            depth += 1
            if hidden_at is None and _hides(opened.group(2)):
                hidden_at = depth
        elif _CLOSE.fullmatch(line) and depth:
            depth -= 1
            if hidden_at is not None and depth < hidden_at:
                hidden_at = None
                lines[n] = ""
                continue
        if hidden_at is not None:
            lines[n] = ""
    return "\n".join(lines)


def _hides(attributes: str) -> bool:
    """Whether a div with these attributes is hidden in every format."""
    if not attributes.startswith("{"):
        return attributes in ("content-hidden", "hidden")  # `::: hidden`: a class name alone
    return bool(_HIDDEN.search(attributes)) and not _CONDITION.search(attributes)


def code_lines(text: str) -> set[int]:
    """The (0-based) lines of fenced and indented code blocks."""
    from markdown_it import MarkdownIt

    lines: set[int] = set()
    for token in MarkdownIt("commonmark").disable("inline").parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines
