"""What one document adds to the LaTeX deriv reads: declared words, user macros.

In: the document's declarations and macro definitions.  Out: a
:class:`Lexicon` handed to :func:`deriv.latex.parser.parse_display`.  The
syntax stage knows no meaning, but two things in a display can only be read
with the document at hand: whether ``\\mathrm{lr}`` is a declared name
(else it is an error, never the letters ``l r`` or nothing), and what a
``\\newcommand`` macro expands to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from deriv.names import is_word, split_scripted
from deriv.read.macros import Macro


@dataclass(frozen=True)
class Lexicon:
    """``words``: declared multi-letter names (``lr``); ``macros``: the user
    macros in force, by name without the backslash; ``scripted``: declared
    names written with a script (``W_1``, ``h_{t-1}``), which the math
    writes as one name."""

    words: frozenset[str] = frozenset()
    macros: tuple[tuple[str, Macro], ...] = ()
    scripted: tuple[str, ...] = ()

    def naming(self, names: Iterable[str]) -> "Lexicon":
        """This lexicon with the words and scripted names among ``names`` too
        (an assumption read without its display's lexicon still knows ``W_1``)."""
        more = Lexicon.of(names)
        return Lexicon(self.words | more.words, self.macros, tuple(sorted(set(self.scripted) | set(more.scripted))))

    def macro(self, name: str) -> Macro | None:
        return dict(self.macros).get(name)

    @classmethod
    def of(cls, names: Iterable[str], macros: Iterable[Macro] = (), line: int | None = None) -> "Lexicon":
        """The words among ``names``, and the macros in force at ``line``
        (all of them when ``line`` is None; a later definition replaces an
        earlier one of the same name, as ``\\renewcommand`` does)."""
        active: dict[str, Macro] = {}
        for macro in macros:
            if line is None or macro.line <= line:
                active[macro.name] = macro
        names = tuple(names)
        return cls(
            frozenset(n for n in names if is_word(n)), tuple(sorted(active.items())),
            tuple(sorted(n for n in names if split_scripted(n) is not None)),
        )


#: A display read without a document: no words, no macros.
PLAIN = Lexicon()
