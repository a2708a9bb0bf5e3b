"""Displays parsed once, each with the lexicon in force at its line.

In: a document's displays (raw LaTeX and line) and its declarations.  Out:
the display's syntax and prepared text, or the :class:`DerivError` that
parsing it raised -- remembered, since identical displays are common.  The
lexicon of a line is the document's declared words and the macros defined
on or before it (:class:`~deriv.latex.lexicon.Lexicon`).
"""

from __future__ import annotations

import bisect

from deriv.check.members import remember
from deriv.context import Context
from deriv.errors import DerivError
from deriv.latex.lexicon import Lexicon
from deriv.latex.parser import parse_display
from deriv.read.document import Document


class DisplayParser:
    """Parses one document's displays, remembering each result."""

    def __init__(self, document: Document, context: Context) -> None:
        self.document = document
        self.context = context
        self._parses: dict[tuple, object] = {}
        self._lexicons: dict[int, Lexicon] = {}
        # Macros come in document order, so their lines never decrease.
        self._macro_lines = [m.line for m in document.macros]

    def lexicon(self, line: int) -> Lexicon:
        """Declared words, and the macros defined on or before ``line``."""
        count = bisect.bisect_right(self._macro_lines, line)
        lexicon = self._lexicons.get(count)
        if lexicon is None:
            lexicon = self._lexicons[count] = Lexicon.of((*self.context.declared, *self.context.definitions),
                                                                 self.document.macros[:count])
        return lexicon

    def parse(self, text: str, line: int):
        """``parse_display`` of ``text`` at ``line``; raises its error again."""
        lexicon = self.lexicon(line)
        key = (text, lexicon)
        found = self._parses.get(key)
        if found is None:
            try:
                found = parse_display(text, lexicon)
            except DerivError as error:
                found = error
            remember(self._parses, key, found)
        if isinstance(found, DerivError):
            raise found
        return found
