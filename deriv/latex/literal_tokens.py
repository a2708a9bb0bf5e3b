"""Tokens of matrix literals: ``\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}``.

The lexer (:mod:`deriv.latex.lexer`) asks here at every backslash, and at
every ``&`` inside a literal.  ``\\begin{env}`` of a matrix environment is a
``MATBEGIN`` token whose value is the environment, its ``\\end{env}`` a
``MATEND``; inside, ``&`` separates cells (``AMP``) and ``\\\\`` rows
(``ROWSEP``).  Outside a literal ``&`` stays spacing and ``\\\\`` an error, as
before.  The grammar (``literal`` in ``grammar.lark``) puts the cells together.
"""

from __future__ import annotations

import re

from lark import Token

from deriv.latex.scan import command_at, skip_space

#: The environments read as a matrix literal: brackets of any kind, and ``vmatrix``
#: (a determinant, which the builder reads or refuses).
ENVIRONMENTS = frozenset({"pmatrix", "bmatrix", "Bmatrix", "vmatrix", "matrix", "smallmatrix", "array"})
#: An array's column specification: ``{cc}``, ``{r|l}`` (alignment only, never read).
_COLUMNS = re.compile(r"\s*\{[clr|\s]*\}")

#: Elisions, which a literal can not hold: its size is what is written.
_DOTS = frozenset({"cdots", "dots", "ldots", "vdots", "ddots"})


class LiteralError(Exception):
    """A problem at 1-based ``column`` (the lexer turns it into its own error)."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def _token(kind: str, value: str, start: int, end: int) -> Token:
    return Token(kind, value, start, 1, start + 1, 1, end + 1, end)


def _environment(math: str, after: int) -> tuple[str | None, int]:
    """The ``{env}`` after ``\\begin``/``\\end`` at ``after``: its name and end (None when absent)."""
    k = skip_space(math, after)
    close = math.find("}", k)
    if k >= len(math) or math[k] != "{" or close < 0:
        return None, after
    return math[k + 1 : close].strip(), close + 1


def matrix_token(math: str, i: int, open_literals: list[str]) -> tuple[Token, int] | None:
    """The literal's token at ``i`` and where lexing continues, or None when ``math[i]``
    is nothing of a literal's; ``open_literals`` (the environments open at ``i``) is
    kept up to date."""
    if math[i] == "&":
        return _token("AMP", "&", i, i + 1), i + 1
    name, j = command_at(math, i)
    if name == "\\" and open_literals:
        return _token("ROWSEP", "\\\\", i, j), j
    if name in _DOTS and open_literals:
        raise LiteralError(f"\\{name} in a matrix literal: write every entry (a literal has a numeric size; "
                           f"for a general size declare the matrix, as in 'A: matrix N x N')", i + 1)
    if name not in ("begin", "end"):
        return None
    env, end = _environment(math, j)
    if env not in ENVIRONMENTS:
        return None
    if name == "begin":
        open_literals.append(env)
        if env == "array":
            columns = _COLUMNS.match(math, end)
            if columns is None:
                raise LiteralError("\\begin{array} needs its columns, as in \\begin{array}{cc}", i + 1)
            return _token("MATBEGIN", env, i, columns.end()), columns.end()
        return _token("MATBEGIN", env, i, end), end
    if not open_literals or open_literals[-1] != env:
        opened = f"\\begin{{{open_literals[-1]}}}" if open_literals else "no \\begin"
        raise LiteralError(f"\\end{{{env}}} does not close {opened}", i + 1)
    open_literals.pop()
    return _token("MATEND", env, i, end), end
