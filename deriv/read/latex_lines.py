"""What of a LaTeX source's lines is code: comments, verbatim text and ``\\iffalse`` blanked.

In: the text of one ``.tex`` file.  Out: one :class:`Clean` per line -- the line with
everything LaTeX does not typeset as written replaced by spaces (so offsets and lines
stay), whether it was blank, and what deriv reads in its comments: the ``% deriv:``
block's YAML lines and ``% deriv: expect-fail`` directives (turned into the directive
comments the display scanner knows).  Nothing inside a comment is ever code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Environments whose text is shown as written (or not at all): never mathematics.
VERBATIM_ENVS = ("verbatim", "verbatim*", "Verbatim", "Verbatim*", "lstlisting", "minted", "comment", "BVerbatim")

_TOKEN = re.compile(r"\\verb\*?(?P<delim>[^A-Za-z*\s])|\\begin\{(?P<env>[A-Za-z]+\*?)\}|\\iffalse(?![A-Za-z])"
                    r"|\\end\{document\}|\\endinput(?![A-Za-z])|\\.|%", re.S)
_IF_TOKEN = re.compile(r"\\if[A-Za-z]*(?![A-Za-z])|\\fi(?![A-Za-z])|\\.", re.S)
_DERIV_COMMENT = re.compile(r"%+[ \t]*deriv[ \t]*:(.*)\Z", re.I)
_BLOCK_LINE = re.compile(r"[ \t]*%+(?:([ \t].*))?\Z")


@dataclass
class Clean:
    """One source line as the scanner may see it."""

    text: str
    blank: bool
    yaml: str | None = None  # a line of the ``% deriv:`` block (its text after the ``%``)
    header: bool = False  # the block's ``% deriv:`` line
    #: ``text`` is a directive comment: comment text, never code (no ``\\input`` in it is followed).
    directive: bool = False
    problem: str | None = None


@dataclass
class _State:
    """What a line hands the next: inside a verbatim environment, ``\\iffalse``, after ``\\end{document}``."""

    verbatim: str | None = None
    iffalse: int = 0
    ended: bool = False
    block: bool = False
    #: Indentation of the block's first YAML line: a comment indented less ends the block.
    indent: int | None = None


def clean_lines(text: str) -> list[Clean]:
    """Each line of ``text`` with nothing but code left (comments and verbatim text blanked)."""
    state, out = _State(), []
    for line in text.split("\n"):
        if state.block and (yaml := _block_line(line, state)) is not None:
            out.append(Clean(" " * len(line), False, yaml=yaml))
            continue
        state.block = False
        cleaned, comment = _code(line, state)
        out.append(Clean(_safe(cleaned), not line.strip()))
        if comment is None:
            continue
        directive = _DERIV_COMMENT.fullmatch(comment)
        if directive is None:
            continue
        if cleaned.strip():
            out[-1].problem = "a % deriv: comment stands on a line of its own"
        elif "-->" in directive.group(1):  # it would close the directive comment it becomes
            out[-1].problem = "a % deriv: directive can not contain -->"
        elif directive.group(1).strip():
            out[-1] = Clean(f"<!-- deriv: {directive.group(1).strip()} -->", False, directive=True)
        else:
            out[-1] = Clean(" " * len(line), False, header=True)
            state.block, state.indent = True, None
    return out


def _block_line(line: str, state: _State) -> str | None:
    """The YAML of a line of the ``% deriv:`` block, or None where the block has ended: a line
    that is no comment, or a comment indented less than the block's first line."""
    block = _BLOCK_LINE.fullmatch(line)
    if block is None:
        return None
    yaml = block.group(1) or ""
    if not yaml.strip():
        return yaml
    indent = len(yaml) - len(yaml.lstrip(" \t"))
    if state.indent is None:
        state.indent = indent
    return yaml if indent >= state.indent else None


def _code(line: str, state: _State) -> tuple[str, str | None]:
    """The line with verbatim text and its comment blanked, and the comment (from its ``%``)."""
    chars, i = list(line), 0
    while i < len(line):
        if state.ended:
            return " " * len(line), None
        if state.verbatim is not None:
            close = line.find(f"\\end{{{state.verbatim}}}", i)
            stop = len(line) if close < 0 else close + len(state.verbatim) + 6
            chars[i:stop] = " " * (stop - i)
            state.verbatim = None if close >= 0 else state.verbatim
            i = stop
            continue
        if state.iffalse:
            i = _skip_iffalse(line, i, chars, state)
            continue
        m = _TOKEN.search(line, i)
        if m is None:
            break
        token = m.group()
        if token == "%":
            chars[m.start():] = " " * (len(line) - m.start())
            return "".join(chars), line[m.start():]
        if m.group("delim"):
            close = line.find(m.group("delim"), m.end())
            stop = len(line) if close < 0 else close + 1
            chars[m.start():stop] = " " * (stop - m.start())
            i = stop
        elif m.group("env") in VERBATIM_ENVS:
            chars[m.start():m.end()] = " " * (m.end() - m.start())
            state.verbatim, i = m.group("env"), m.end()
        elif token == "\\iffalse":
            chars[m.start():m.end()] = " " * (m.end() - m.start())
            state.iffalse, i = 1, m.end()
        elif token in ("\\end{document}", "\\endinput"):
            state.ended = True  # LaTeX reads nothing after it (\endinput: after its line; near enough)
            chars[m.start():] = " " * (len(line) - m.start())
            return "".join(chars), None
        else:
            i = m.end()
    return "".join(chars), None


def _skip_iffalse(line: str, i: int, chars: list[str], state: _State) -> int:
    """Blank the text of ``\\iffalse ... \\fi`` (nested conditionals counted) from ``i``; where it stops."""
    for m in _IF_TOKEN.finditer(line, i):
        if m.group() == "\\fi":
            state.iffalse -= 1
        elif m.group().startswith("\\if"):
            state.iffalse += 1
        if state.iffalse == 0:
            chars[i:m.end()] = " " * (m.end() - i)
            return m.end()
    chars[i:] = " " * (len(line) - i)
    return len(line)


def _safe(code: str) -> str:
    """Code the Markdown scanner reads as LaTeX does: ``~`` is a space, backquotes are
    quotation marks (not code spans), and ``<!--`` opens no comment."""
    return code.replace("`", " ").replace("~", " ").replace("<!--", "<! --")
