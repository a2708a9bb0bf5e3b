"""User macros: ``\\newcommand``, ``\\renewcommand``, ``\\DeclareMathOperator``.

In: the text of a definition, wherever the document has it (front matter
``macros:``, a prose line, a display).  Out: :class:`Macro` records --
a name, a number of parameters, a body of LaTeX text -- or a
:class:`MacroError` that says what is wrong.  Expansion (textual, on LaTeX
tokens, bounded) is the syntax stage's: :mod:`deriv.latex.macros`.

Only simple macros are read: ``\\newcommand{\\norm}[1]{\\left\\|#1\\right\\|}``,
``\\newcommand{\\R}{\\mathbb{R}}``, ``\\DeclareMathOperator{\\tr}{tr}``,
``\\DeclareMathOperator*{\\argmin}{arg\\,min}``, and a first argument with a
default, as LaTeX has it (``\\newcommand{\\sq}[2][x]{#1^2 + #2}``: ``\\sq{y}`` is
``x^2 + y``, ``\\sq[z]{y}`` is ``z^2 + y``).  A ``#`` that is not a parameter, a body that is too long, a
macro that refers to itself (directly or through others) are errors: a
macro deriv can not expand exactly must never be read as something else.
Nothing here is evaluated: a body is kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The commands that define macros, as a regular expression at a backslash.
DEFINERS = re.compile(r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator)(?![A-Za-z])(\*?)")
#: A body longer than this is refused (expansion has its own bound too).
MAX_BODY = 2000
#: A whole definition (command, name, count, body) is at most this long.
MAX_DEFINITION = MAX_BODY + 200
#: A document defines at most this many macros.
MAX_MACROS = 1000
#: Commands whose meaning deriv's reader depends on: never redefined.
PROTECTED = frozenset(
    "begin end left right frac dfrac tfrac sum partial nabla text operatorname mathrm tag label "
    "quad qquad newcommand renewcommand providecommand DeclareMathOperator".split()
)


@dataclass(frozen=True)
class Macro:
    """``\\name`` with ``params`` arguments expands to ``body`` (``#1`` ... ``#9``)."""

    name: str
    params: int
    body: str
    line: int
    #: ``\\renewcommand``: replaces an earlier definition of the same name.
    renew: bool = False
    #: The default of ``#1`` when it is optional (``[2][x]``), else None.
    default: str | None = None


class MacroError(Exception):
    """A definition deriv does not read; ``offset`` is where, in the text given."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


_BRACES = re.compile(r"\\.|[{}]", re.S)


def _group(text: str, i: int, what: str) -> tuple[str, int]:
    """The braced group at ``i`` (after spaces): its inside and the end."""
    i = _skip(text, i)
    if i >= len(text) or text[i] != "{":
        raise MacroError(f"expected {{...}} for {what}", i)
    depth = 0
    for m in _BRACES.finditer(text, i):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : m.start()], m.end()
    raise MacroError(f"unbalanced braces in {what}", i)


def _macro_name(text: str, i: int) -> tuple[str, int]:
    r"""``{\name}`` or ``\name`` at ``i``."""
    i = _skip(text, i)
    braced = text.startswith("{", i)
    inner, end = _group(text, i, "the macro name") if braced else (text[i:], i)
    m = re.match(r"\s*\\([A-Za-z]+)\s*", inner)
    if m is None or (braced and m.end() != len(inner)):
        raise MacroError("a macro name is a backslash and letters, as in \\newcommand{\\norm}", i)
    return m.group(1), end if braced else i + m.end()


def read_definition(text: str, start: int, line: int, end: int | None = None) -> tuple[Macro, int]:
    """The definition starting at ``text[start]`` (a backslash) and where it
    ends; it must end before ``end``.  Only a window of the text is read, so
    many definitions in a long document cost no more than their own length."""
    stop = len(text) if end is None else min(end, len(text))
    window = text[start : min(stop, start + MAX_DEFINITION)]
    try:
        macro, length = _read(window, line)
    except MacroError as error:
        if start + MAX_DEFINITION < stop and "unbalanced" in error.message:
            error = MacroError(f"{error.message} within {MAX_DEFINITION} characters "
                               "(a definition is at most that long)")
        raise MacroError(error.message, start + error.offset) from None
    return macro, start + length


def _read(text: str, line: int) -> tuple[Macro, int]:
    """The definition at the start of ``text`` and its length."""
    start = 0
    m = DEFINERS.match(text, start)
    if m is None:
        raise MacroError("not a macro definition", start)
    command, star = m.group(1), m.group(2)
    name, i = _macro_name(text, m.end())
    if name in PROTECTED:
        raise MacroError(f"\\{name} can not be redefined: deriv reads it itself", start)
    if command == "DeclareMathOperator":
        words, end = _group(text, i, f"the operator name of \\{name}")
        _check_body(name, 0, words, start)
        body = f"\\operatorname{'*' if star else ''}{{{words}}}"
        return Macro(name, 0, body, line), end
    # `\newcommand*` only forbids paragraphs in the arguments: the same expansion.
    params = 0
    j = _skip(text, i)
    count = re.match(r"\[\s*(\d)\s*\]", text[j:])
    if count is not None:
        params = int(count.group(1))
        j = _skip(text, j + count.end())
        if params < 1:
            raise MacroError(f"\\{name}: the number of arguments is 1 to 9", start)
    default = None
    if text.startswith("[", j):
        found = bracketed(text, j)
        if found is None or not params:
            raise MacroError(f"\\{name}: an optional argument's default is [...] after the count", j)
        default, j = text[found[0]:found[1]], found[2]
        _check_body(name, 0, default, start)  # a default holds no parameter
    body, end = _group(text, j, f"the body of \\{name}")
    _check_body(name, params, body, start)
    return Macro(name, params, body, line, renew=command == "renewcommand", default=default), end


def bracketed(text: str, i: int) -> tuple[int, int, int] | None:
    """``(inside start, inside end, end)`` of the ``[...]`` at ``i`` (its ``]`` outside braces), or None."""
    if not text.startswith("[", i):
        return None
    depth = 0
    for m in re.finditer(r"\\.|[{}\]]", text[i + 1:], re.S):
        c = m.group()
        depth += (c == "{") - (c == "}")
        if c == "]" and depth == 0:
            return i + 1, i + 1 + m.start(), i + 1 + m.end()
        if depth < 0:
            return None
    return None


def _check_body(name: str, params: int, body: str, offset: int) -> None:
    if len(body) > MAX_BODY:
        raise MacroError(f"\\{name}: the body is too long ({len(body)} characters, at most {MAX_BODY})", offset)
    for m in re.finditer(r"\\.|#(.?)", body, re.S):
        if m.group().startswith("\\"):
            continue
        k = m.group(1)
        if not k.isdigit() or not 1 <= int(k) <= params:
            shown = f"#{k}" if k else "#"
            raise MacroError(f"\\{name}: {shown} in the body is not one of its {params} arguments", offset)


def mentions(macro: Macro) -> set[str]:
    """The commands a macro's body uses (by name)."""
    return set(re.findall(r"\\([A-Za-z]+)", macro.body))


def check_recursion(macros: dict[str, Macro], new: Macro) -> None:
    """A macro that reaches itself through its own body (or others') is an error."""
    seen: set[str] = set()
    todo = [new.name]
    while todo:
        current = macros.get(todo.pop())
        if current is None:
            continue
        for used in mentions(current):
            if used == new.name:
                raise MacroError(f"\\{new.name} is recursive: its expansion uses \\{new.name} again")
            if used in macros and used not in seen:
                seen.add(used)
                todo.append(used)


class MacroTable:
    """Definitions in document order; each checked against the ones before it."""

    def __init__(self) -> None:
        self.defined: dict[str, Macro] = {}
        self.order: list[Macro] = []

    def add(self, macro: Macro) -> None:
        if len(self.order) >= MAX_MACROS:
            raise MacroError(f"more than {MAX_MACROS} macro definitions")
        if macro.name in self.defined and not macro.renew:
            first = self.defined[macro.name]
            raise MacroError(f"\\{macro.name} is already defined (line {first.line}): use \\renewcommand")
        trial = dict(self.defined)
        trial[macro.name] = macro
        check_recursion(trial, macro)
        self.defined[macro.name] = macro
        self.order.append(macro)
