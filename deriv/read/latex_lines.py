"""What of a LaTeX source's lines is code: comments, verbatim text and ``\\iffalse`` blanked.

In: the text of one ``.tex`` file.  Out: one :class:`Clean` per line -- the line with
everything LaTeX does not typeset as written replaced by spaces (so offsets and lines
stay), whether it was blank, and what deriv reads in its comments: the ``% deriv:``
block's YAML lines and ``% deriv: expect-fail`` directives (turned into the directive
comments the display scanner knows).  Nothing inside a comment is ever code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deriv.read.latex_conditionals import TOKEN as CONDITIONAL_TOKEN, Conditionals

#: Environments whose text is shown as written (or not at all): never mathematics.
VERBATIM_ENVS = ("verbatim", "verbatim*", "Verbatim", "Verbatim*", "lstlisting", "minted", "comment", "BVerbatim",
                 "BVerbatim*", "LVerbatim", "LVerbatim*", "VerbatimOut", "spverbatim", "filecontents",
                 "filecontents*", "verbatimwrite")

#: Inline verbatim text: ``\\verb|x|``, fancyvrb's ``\\Verb``, ``\\lstinline[opts]{x}``, ``\\mintinline{lang}|x|``.
_INLINE = (r"\\(?P<inline>verb\*?|Verb\*?(?:\[[^\]\n]*\])?|lstinline\*?(?:\[[^\]\n]*\])?"
           r"|mintinline(?:\[[^\]\n]*\])?\s*\{[^}\n]*\})")
_TOKEN = re.compile(_INLINE + r"(?P<delim>[^A-Za-z*\s\[])|\\begin\{(?P<env>[A-Za-z]+\*?)\}"
                    r"|(?P<cond>\\(?:if[A-Za-z]*|else|or|fi)(?![A-Za-z]))"
                    r"|\\end\{document\}|\\endinput(?![A-Za-z])|\\.|%", re.S)
_EXCLUDED = re.compile(r"\\excludecomment\s*\{\s*([A-Za-z]+\*?)\s*\}")
_MATH_ENV = re.compile(r"\\(begin|end)\{math\}")
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
    """What a line hands the next: inside a verbatim environment, conditionals, after ``\\end{document}``."""

    verbatim: str | None = None
    conditionals: Conditionals = field(default_factory=Conditionals)
    number: int = 0  # the line's index
    verbatim_line: int = 0
    ended: bool = False
    block: bool = False
    #: Indentation of the block's first YAML line: a comment indented less ends the block.
    indent: int | None = None
    #: Environments the comment package excludes (``\\excludecomment{solution}``): never typeset.
    excluded: set[str] = field(default_factory=set)


def clean_lines(text: str, excluded: set[str] | None = None) -> list[Clean]:
    """Each line of ``text`` with nothing but code left (comments and verbatim text blanked);
    ``excluded`` are the environments excluded so far (the files of one document share them)."""
    state, out = _State(), []
    state.excluded = excluded if excluded is not None else state.excluded
    for number, line in enumerate(text.split("\n")):
        state.number = number
        if state.block and (yaml := _block_line(line, state)) is not None:
            out.append(Clean(" " * len(line), False, yaml=yaml))
            continue
        state.block = False
        cleaned, comment = _code(line, state)
        state.excluded.update(_EXCLUDED.findall(cleaned))
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
    if unclosed := _unclosed(state):
        out[unclosed[0]].problem = unclosed[1]
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
        if state.conditionals.hiding:
            i = _skip_hidden(line, i, chars, state)
            continue
        m = _TOKEN.search(line, i)
        if m is None:
            break
        token = m.group()
        if token == "%":
            chars[m.start():] = " " * (len(line) - m.start())
            return "".join(chars), line[m.start():]
        i = _token(line, m, chars, state)
        if i < 0:
            return "".join(chars), None
    return "".join(chars), None


def _token(line: str, m: re.Match[str], chars: list[str], state: _State) -> int:
    """Apply the token ``m`` (no comment); where the line goes on, -1 when nothing after it is read."""
    token = m.group()
    if m.group("delim"):
        braced = m.group("delim") == "{" and not m.group("inline").startswith("verb")
        close = line.find("}" if braced else m.group("delim"), m.end())
        stop = len(line) if close < 0 else close + 1
        chars[m.start():stop] = " " * (stop - m.start())
        return stop
    if m.group("env") in VERBATIM_ENVS or m.group("env") in state.excluded:
        chars[m.start():m.end()] = " " * (m.end() - m.start())
        state.verbatim, state.verbatim_line = m.group("env"), state.number
        return m.end()
    if m.group("cond") and (token[1:3] != "if" or state.conditionals.is_conditional(line, m)):
        state.conditionals.token(token, state.number)
        chars[m.start():m.end()] = " " * (m.end() - m.start())
        return m.end()
    if token in ("\\end{document}", "\\endinput"):
        state.ended = True  # LaTeX reads nothing after it (\endinput: after its line; near enough)
        chars[m.start():] = " " * (len(line) - m.start())
        return -1
    return m.end()


def _skip_hidden(line: str, i: int, chars: list[str], state: _State) -> int:
    """Blank hidden text (a conditional's untaken branch) from ``i``; where it stops hiding.
    Nested conditionals are counted as TeX counts them; a comment hides its ``\\fi``."""
    for m in CONDITIONAL_TOKEN.finditer(line, i):
        if m.group() == "%":
            break
        if m.group()[:3] == "\\if" and not state.conditionals.is_conditional(line, m):
            continue
        if m.group() in ("\\else", "\\fi") or m.group()[:3] == "\\if":
            state.conditionals.token(m.group(), state.number)
        if not state.conditionals.hiding:
            chars[i:m.end()] = " " * (m.end() - i)
            return m.end()
    chars[i:] = " " * (len(line) - i)
    return len(line)


def _unclosed(state: _State) -> tuple[int, str] | None:
    """What a file leaves open at its end, hiding the rest of it: (line index, problem)."""
    if state.verbatim is not None and not state.ended:
        return state.verbatim_line, (f"\\begin{{{state.verbatim}}} is never closed: nothing after it in this "
                                     "file is read")
    opened = state.conditionals.opened
    if state.conditionals.hiding and opened is not None and not state.ended:
        return opened, "a conditional branch that hides text (\\iffalse, \\else of \\iftrue) is never closed " \
                       "by \\fi: nothing after it in this file is read"
    return None


def _safe(code: str) -> str:
    """Code the Markdown scanner reads as LaTeX does: ``~`` is a space, backquotes are
    quotation marks (not code spans), ``<!--`` opens no comment, and the ``math``
    environment is inline math, ``\\(...\\)`` (the same length), never a display."""
    code = code.replace("`", " ").replace("~", " ").replace("<!--", "<! --")
    return _MATH_ENV.sub(lambda m: ("\\(" if m.group(1) == "begin" else "\\)").ljust(len(m.group())), code)
