"""TeX conditionals in a LaTeX source: which text a branch hides, as far as the source says.

In: the conditional tokens of a ``.tex`` file's lines (``\\iffalse``, ``\\iftrue``,
any other ``\\if...``, ``\\else``, ``\\or``, ``\\fi``), in order.  Out: whether the
text after them is typeset.  ``\\iffalse A \\else B \\fi`` typesets B, ``\\iftrue A
\\else B \\fi`` typesets A; the branches of a conditional whose value the source
does not fix (``\\ifdraft``, ``\\ifx``) are both read.  While a branch is hidden,
TeX only counts the conditionals nested in it (their ``\\else`` is theirs, a
``%`` still starts a comment), and so does this.  etoolbox's and ifthen's
``\\ifdef``, ``\\ifbool{x}``, ``\\ifthenelse{...}`` take arguments and have no
``\\fi``: they are no conditionals (neither is a name being defined, ``\\newif\\ifdraft``, nor a
conditional a macro is defined to be, ``\\let\\hide\\iffalse``, ``\\newcommand{\\hide}{\\iffalse}``,
which runs where the macro is used: deriv does not follow that, so both sides are read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A conditional's tokens, or any other control sequence (skipped whole), or a comment.
TOKEN = re.compile(r"\\(?:if[A-Za-z]*|else|or|fi)(?![A-Za-z])|\\.|%", re.S)
#: ``\if...`` commands of etoolbox, ifthen and kvoptions that are macros with arguments, not conditionals.
MACROS = frozenset(
    "ifdef ifundef ifcsdef ifcsundef ifdefmacro ifcsmacro ifdefparam ifcsparam ifdefprefix ifcsprefix "
    "ifdefprotected ifcsprotected ifdefltxprotect ifcsltxprotect ifdefempty ifcsempty ifdefvoid ifcsvoid "
    "ifdefequal ifcsequal ifdefstring ifcsstring ifdefstrequal ifcsstrequal ifdefcounter ifcscounter "
    "ifltxcounter ifdeflength ifcslength ifdefdimen ifcsdimen ifstrequal ifstrempty ifblank ifnumcomp "
    "ifnumequal ifnumgreater ifnumless ifnumodd ifdimcomp ifdimequal ifdimgreater ifdimless ifboolexpr "
    "ifboolexpe ifrmnum ifinlist ifinlistcs ifbool ifnotbool iftoggle ifnottoggle ifpatchable ifthenelse "
    "ifcommandkey ifstrequal ifcsvoid".split())
#: A name being defined or compared, not a conditional being run: ``\newif\ifdraft``, ``\let\ifx``.
_DEFINING = re.compile(r"\\(?:newif|let|def|gdef|edef|xdef|global|csname|string|noexpand)\s*\Z"
                       r"|\\let\s*\\[A-Za-z]+\s*=?\s*\Z"  # \let\hide\iffalse: a name for it, not run here
                       r"|\\(?:(?:re)?newcommand|providecommand|[gex]?def)\*?\s*\{?\s*\\[A-Za-z]+\s*\}?"
                       r"\s*(?:\[\d\]\s*)?\{\s*\Z")  # \newcommand{\hide}{\iffalse}: run where \hide is used
_BRACE = re.compile(r"[ \t]*\{")

HIDES, SHOWS, UNKNOWN, NESTED = "hides", "shows", "unknown", "nested"


@dataclass
class Conditionals:
    """The open conditionals, innermost last; ``opened`` is the line of the one that hides."""

    open: list[str] = field(default_factory=list)
    opened: int | None = None

    @property
    def hiding(self) -> bool:
        return bool(self.open) and self.open[-1] in (HIDES, NESTED)

    def is_conditional(self, line: str, m: re.Match[str]) -> bool:
        """Whether the ``\\if...`` token ``m`` in ``line`` opens a conditional."""
        name = m.group()[1:]
        if name in MACROS:
            return False
        if self.hiding:
            return True  # TeX counts what is hidden by meaning, never by what follows
        if _DEFINING.search(line[max(0, m.start() - 40):m.start()]):  # a window: never quadratic in the line
            return False
        return name in ("if", "ifx", "ifcat") or not _BRACE.match(line, m.end())

    def token(self, word: str, line: int) -> None:
        """Apply one conditional token (``\\iffalse``, ``\\else``, ``\\fi``, ...) met on ``line``."""
        if word.startswith("\\if"):
            state = NESTED if self.hiding else HIDES if word == "\\iffalse" else SHOWS if word == "\\iftrue" else UNKNOWN
            self.open.append(state)
        elif word == "\\else" and self.open:
            self.open[-1] = {HIDES: SHOWS, SHOWS: HIDES}.get(self.open[-1], self.open[-1])
        elif word == "\\fi" and self.open:
            self.open.pop()
        if self.hiding and self.opened is None:
            self.opened = line
        elif not self.hiding:
            self.opened = None
