"""Scanning LaTeX text by hand: commands, braces, arguments, spaces.

In: a string and an offset.  Out: offsets (and command names).  Shared by
the preprocessor and the lexer, which both walk display text character by
character.
"""

from __future__ import annotations

from deriv.errors import LatexSyntaxError


def command_at(s: str, i: int) -> tuple[str, int]:
    """At a backslash: the command name (letters, or the one other
    character) and the index just after it."""
    j = i + 1
    if j < len(s) and s[j].isascii() and s[j].isalpha():
        while j < len(s) and s[j].isascii() and s[j].isalpha():
            j += 1
        return s[i + 1 : j], j
    return s[i + 1 : j + 1], min(j + 1, len(s))


def closing_brace(s: str, i: int) -> int:
    """Index of the ``}`` matching the ``{`` at ``i`` (escapes skipped)."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i = command_at(s, i)[1]
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise LatexSyntaxError("unbalanced braces")  # prepare() checks balance first: unreachable


def skip_space(s: str, i: int) -> int:
    """The first index at or after ``i`` that is not whitespace."""
    while i < len(s) and s[i].isspace():
        i += 1
    return i


def argument(s: str, i: int) -> tuple[int, int, int, int] | None:
    """The macro argument starting at ``i`` (after whitespace):
    ``(start, end, inner_start, inner_end)``, or None at the end."""
    i = skip_space(s, i)
    if i >= len(s):
        return None
    if s[i] == "{":
        close = closing_brace(s, i)
        return i, close + 1, i + 1, close
    end = command_at(s, i)[1] if s[i] == "\\" else i + 1
    return i, end, i, end
