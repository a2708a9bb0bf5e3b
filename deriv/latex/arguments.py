"""The arguments TeX gives ``\\frac`` and ``\\sqrt`` written without braces (docs/format.md).

In: the lexer's position in the math, its bracket depth, and the tokens it
made.  Out: the tokens of an unbraced argument, wrapped in braces the author
did not write (zero text: the member's source stays as written).

TeX reads an undelimited argument as exactly one token -- one character or
one control sequence -- and so does deriv: ``\\frac1N`` is ``\\frac{1}{N}``,
``\\frac12N`` is ``\\frac{1}{2}N``, ``\\frac\\alpha2`` is
``\\frac{\\alpha}{2}``, ``\\frac 1 {2N}`` is ``\\frac{1}{2N}``, and
``\\sqrt x^2`` is ``(\\sqrt{x})^2``: a script after the one token is the
root's.  Never more than one token, and only a letter, a digit, a Greek
letter or ``\\partial``: an unbraced argument that is another command
(``\\frac\\frac12 3``, ``\\sqrt\\hat y``) is an error, as it is in TeX or
means something a reader does not see.  Digits glued to a one-digit argument
(``\\frac123``, ``\\sqrt12``) are an error, since readers of the source see
one number where TeX reads two (``\\frac{1}{2}3``, ``\\sqrt{1}2``).  A
``\\sqrt`` whose one token is followed by another factor (``\\sqrt2 x``) is
left bare, for the grammar's rule that asks for brackets.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token

from deriv.latex.scan import command_at, skip_space
from deriv.names import GREEK

#: How many arguments each command takes (``\\dfrac``, ``\\tfrac`` lex as ``FRAC``).
_ARITY = {"FRAC": 2, "sqrt": 1}
#: What may follow a root's one-token argument and belong to the root (TeX puts scripts on the box).
_SCRIPTS = frozenset("^_'")


class ArgumentError(Exception):
    """A problem at 1-based ``column`` of the math (the lexer turns it into its own error)."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass
class _Pending:
    """A command waiting for ``left`` more arguments, at bracket ``depth``."""

    shown: str
    depth: int
    left: int
    column: int
    #: Whether a braced argument is open (it is taken when its group closes).
    group: bool = False


#: A token to make: kind, value, start and end in the math (the lexer makes it).
Piece = tuple[str, str, int, int]
#: Commands that may stand between ``\\sqrt`` and its bracketed argument.
_SIZERS = frozenset("left bigl Bigl biggl Biggl big Big bigg Bigg".split())


def _shown(math: str, token: Token) -> str:
    """The command as written (``\\dfrac``, ``\\sqrt``)."""
    return math[token.start_pos or 0 : token.end_pos or 0]


class Arguments:
    """The arguments still owed to the ``\\frac``\\s and ``\\sqrt``\\s the lexer has read."""

    def __init__(self) -> None:
        self._pending: list[_Pending] = []

    def command(self, math: str, token: Token, depth: int) -> None:
        """Note a command ``token`` just lexed at bracket ``depth``, if it takes arguments.
        ``\\sqrt(...)`` keeps deriv's reading, the bracket as the argument (docs/format.md)."""
        arity = _ARITY.get(token.type) or (_ARITY.get(token.value) if token.type == "BUILTIN" else None)
        if arity is None or token.type == "BUILTIN" and _bracketed(math, token.end_pos or 0):
            return
        self._pending.append(_Pending(_shown(math, token), depth, arity, (token.column or 1)))

    def expected(self, depth: int) -> bool:
        """Whether the next token at ``depth`` is an argument of the innermost waiting command."""
        return bool(self._pending) and self._pending[-1].depth == depth and not self._pending[-1].group

    def opened(self) -> None:
        """The expected argument is a braced group: it is taken when :meth:`closed` sees it end."""
        self._pending[-1].group = True

    def closed(self, depth: int, kind: str) -> None:
        """A bracket of ``kind`` closed, back at ``depth``: a ``}`` may end a braced argument."""
        if kind == "RBRACE" and self._pending and self._pending[-1].group and self._pending[-1].depth == depth:
            self._pending[-1].group = False
            self._take()

    def _take(self) -> None:
        self._pending[-1].left -= 1
        if self._pending[-1].left == 0:
            self._pending.pop()

    def unbraced(self, math: str, i: int) -> tuple[list[Piece], int]:
        """The one-token argument at ``i`` (not a ``{``), with the braces TeX implies."""
        pending = self._pending[-1]
        kind, value, end = _one_token(math, i, pending)
        inner = (kind, value, i, end)
        last = pending.left == 1
        self._take()
        k = skip_space(math, end)
        follows = math[k : k + 1]
        if last and kind == "NUMBER" and follows.isdigit():
            raise ArgumentError(
                f"{pending.shown} reads its unbraced argument as one digit, as TeX does, so "
                f"'{math[i:end]}' and the digits after it are not one number: write "
                f"{pending.shown}{{...}} around what belongs to it", pending.column)
        if pending.shown == "\\sqrt" and follows not in _SCRIPTS:
            return [inner], end  # bare: the grammar asks for brackets if a factor follows
        return [("LBRACE", "{", i, i), inner, ("RBRACE", "}", end, end)], end

    def finish(self) -> None:
        """The end of the math: no command may still wait for an argument."""
        if self._pending:
            pending = self._pending[-1]
            raise ArgumentError(_missing(pending), pending.column)


def _missing(pending: _Pending) -> str:
    example = "\\frac{a}{b} or \\frac12" if pending.shown != "\\sqrt" else "\\sqrt{x} or \\sqrt2"
    return f"{pending.shown} is missing an argument, as in {example}"


def _bracketed(math: str, at: int) -> bool:
    """Whether a bracket follows ``\\sqrt`` (ending at ``at``): ``\\sqrt(x + 1)``, ``\\sqrt\\left(x\\right)``."""
    k = skip_space(math, at)
    return math[k : k + 1] == "(" or math[k : k + 1] == "\\" and command_at(math, k)[0] in _SIZERS


def _one_token(math: str, i: int, pending: _Pending) -> tuple[str, str, int]:
    """The kind, value and end of the single TeX token at ``i``, if it may be an unbraced argument."""
    c = math[i]
    if c.isascii() and c.isalnum():
        return ("LETTER" if c.isalpha() else "NUMBER"), c, i + 1
    if c == "\\":
        name, end = command_at(math, i)
        if name in GREEK:
            return "GREEK", name, end
        if name == "partial" and pending.shown != "\\sqrt":
            return "PARTIAL", "partial", end
    if c in "})]" or c == "\\" and command_at(math, i)[0] in ("right", "end"):
        raise ArgumentError(_missing(pending), pending.column)
    raise ArgumentError(
        f"{pending.shown} without braces takes exactly one token, as TeX does (a letter, a digit or a "
        f"Greek letter): write {pending.shown}{{...}} around its argument", i + 1)
