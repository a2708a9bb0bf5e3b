"""The Markdown around the math: lines, fences, code spans, comments, directives, macros.

In: a document's body text.  Out: what the display scanner
(:mod:`deriv.read.document`) needs to walk it -- line numbers, where code
ends, the directive waiting for the next display, the problems found, and
the macro definitions read on the way (:mod:`deriv.read.macros`).  Nothing
here cuts out or parses math.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from deriv.errors import DerivError
from deriv.read.directives import Directive, parse_directive
from deriv.read.macros import DEFINERS, MacroError, MacroTable, read_definition

#: Bad macro definitions reported before the rest are no longer read.
MAX_BAD_DEFINITIONS = 50

# The closing #s are cut by closing_hashes, not by a lazy group before [ \t]+#+: that
# backtracks quadratically on a heading with a long run of spaces.
_HEADING = re.compile(r" {0,3}#[ \t]+(.*)")

_DIRECTIVE = re.compile(r"\s*deriv\s*:(.*)\Z", re.S | re.I)
_ALMOST_DIRECTIVE = re.compile(r"\s*deriv\b(?!\s*:)", re.I)
_BLANK_LINE = re.compile(r"^[ \t]*$", re.M)


def heading_text(rest: str) -> str:
    """A heading's text after its opening ``#``s: closing ``#``s (after a space) and spaces cut."""
    rest = rest.strip(" \t")
    bare = rest.rstrip("#")
    if not bare or bare[-1] in " \t":
        rest = bare.rstrip(" \t")
    return rest


class MarkdownScanner:
    """State shared by one left-to-right pass over the Markdown body."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.blank_starts = [m.start() for m in _BLANK_LINE.finditer(text)]
        self.ticks: dict[int, list[int]] = defaultdict(list)
        for m in re.finditer("`+", text):
            self.ticks[len(m.group())].append(m.start())
        self.problems: list[DerivError] = []
        self.pending: Directive | None = None
        #: (number of displays before them, directive) for ``assume``: each is
        #: given to the display after it once all displays are known.
        self.assumes: list[tuple[int, Directive]] = []
        self.displays: list = []
        self.heading: str | None = None
        #: Fenced and indented code blocks, CommonMark's (:mod:`deriv.read.blocks`; set by
        #: the caller once the body's start is known): first line's start -> end.
        self.code: dict[int, int] = {}
        self.macros = MacroTable()
        self.bad_definitions = 0

    def line(self, offset: int) -> int:
        """1-based line of a text offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def column(self, offset: int) -> int:
        """1-based column of a text offset on its line."""
        return offset - self.line_starts[self.line(offset) - 1] + 1

    def problem(self, message: str, line: int) -> None:
        self.problems.append(DerivError(message, path=self.path, line=line))

    # --- Markdown structure ----------------------------------------------------

    def _line_start(self, pos: int) -> int:
        """Skip a code block starting at ``pos``; note the first `# ` heading."""
        if pos >= len(self.text) or self.text[pos] not in " \t`~#>":
            return pos  # fast path: most lines are neither fences nor headings
        if pos in self.code:
            return self.code[pos]
        line = self.text[pos:self._eol(pos)]
        if self.heading is None and (heading := _HEADING.fullmatch(line)) and heading_text(heading.group(1)):
            self.heading = heading_text(heading.group(1))
        return pos

    def _code_span(self, pos: int, width: int) -> int:
        """Skip `code` (which may mention `$$`); an unmatched run is literal text."""
        starts = self.ticks.get(width, [])
        i = bisect.bisect_right(starts, pos)
        if i < len(starts) and starts[i] < self._bound(pos):
            return starts[i] + width
        return pos + width

    def _comment(self, pos: int) -> int:
        """Skip an HTML comment, reading it as a directive if it starts with `deriv:`."""
        close = self.text.find("-->", pos + 4)
        if close == -1:
            self.problem("HTML comment '<!--' is never closed; the rest of the document is ignored",
                         self.line(pos))
            return len(self.text)
        directive = _DIRECTIVE.match(self.text, pos + 4, close)
        if directive:
            self._directive(directive.group(1), self.line(pos))
        elif _ALMOST_DIRECTIVE.match(self.text, pos + 4, close):
            self.problem("this comment looks like a directive but lacks the colon: write <!-- deriv: ... -->",
                         self.line(pos))
        return close + 3

    def _directive(self, body: str, line: int) -> None:
        directive = parse_directive(body, line)
        if isinstance(directive, str):
            self.problem(directive, line)
        elif directive.kind == "assume":
            self.assumes.append((len(self.displays), directive))
        elif self.pending is not None:
            self.problem(f"a second directive before one display; the one at line "
                         f"{self.pending.line} already applies to the next display", line)
        else:
            self.pending = directive

    # --- macros ------------------------------------------------------------------

    def definition(self, pos: int, bound: int | None = None) -> int:
        """Read the macro definition at ``pos``; a bad one is a problem on its line.

        A definition ends within its paragraph (or display, ``bound``): an
        unclosed brace never swallows the displays after it.  After
        :data:`MAX_BAD_DEFINITIONS` bad ones, no more are read (each costs up
        to a definition's length to refuse); a use of one is then an
        unknown command, never silently something else."""
        definer = DEFINERS.match(self.text, pos)
        assert definer is not None, "called only where a definer starts"
        skip = definer.end()
        if self.bad_definitions >= MAX_BAD_DEFINITIONS:
            return skip
        try:
            macro, end = read_definition(self.text, pos, self.line(pos), self._bound(pos) if bound is None else bound)
            self.macros.add(macro)
        except MacroError as error:
            self.bad_definitions += 1
            more = "; later definitions are not read" if self.bad_definitions == MAX_BAD_DEFINITIONS else ""
            self.problem(f"macro definition: {error.message}{more}", self.line(error.offset or pos))
            return skip
        return end

    def take_definitions(self, start: int, stop: int, math: str) -> str:
        """Definitions inside a display (``math`` is ``text[start:stop]``) are
        read and blanked out, newlines kept."""
        if "\\" not in math or not DEFINERS.search(math):
            return math
        out, i = [], 0
        while (m := DEFINERS.search(math, i)) is not None:
            out.append(math[i:m.start()])
            end = self.definition(start + m.start(), stop) - start
            out.append("".join(c if c == "\n" else " " for c in math[m.start():end]))
            i = end
        out.append(math[i:])
        return "".join(out)

    def _take_directive(self) -> Directive | None:
        directive, self.pending = self.pending, None
        return directive

    def _eol(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end == -1 else end

    def _bound(self, pos: int) -> int:
        """Start of the first blank line after ``pos`` (end of the paragraph)."""
        i = bisect.bisect_right(self.blank_starts, pos)
        return self.blank_starts[i] if i < len(self.blank_starts) else len(self.text)
