"""Read a Markdown derivation document: front matter, displays, directives.

In: the text of a file (:mod:`deriv.read.files` reads and decodes it).
Out: a :class:`Document` -- the :class:`~deriv.read.frontmatter.FrontMatter`
and every :class:`Display` with its raw LaTeX, line, label and directive.

Nothing here parses LaTeX; displays are only found and cut out.  Every
:class:`Display` keeps the invariant that a position in its ``text`` lies on
file line ``display.line`` plus the number of newlines before it, so the
LaTeX parser can turn its own positions into file lines.

Front matter problems raise (without declarations nothing can be checked);
problems in the body (an unclosed ``$$``, a bad directive) are recorded on the
:class:`Display` (``problem``) or the :class:`Document` (``problems``) so the
rest of the document is still checked.
"""

from __future__ import annotations

from collections.abc import Iterable
import os
import re
from dataclasses import dataclass, field, replace
from types import ModuleType

from deriv.errors import DerivError, InputError
from deriv.read.frontmatter import (
    Declaration,
    Equation,
    FrontMatter,
    IndexRange,
    front_matter_end,
    parse_front_matter,
)
from deriv.read.files import MAX_BYTES
from deriv.read.macros import DEFINERS, Macro
from deriv.read.directives import Directive
from deriv.read.github_math import code_span_math
from deriv.read.blocks import MathFence
from deriv.read.markdown_math import MarkdownMath, Span, events, markdown_math
from deriv.read.given import merged
from deriv.read.markdown import MarkdownScanner
from deriv.read.prose import ProseReader, ProseValue, definers, with_prose
from deriv.read.sources import read_source
from deriv.read.rows import (
    ALIGNAT_ARGUMENT,
    DISPLAY_ENVS,
    INNER_ROWS,
    JOINED_ENVS,
    ROW_ENVS,
    TRAILING_LABEL,
    UNSUPPORTED_ENVS,
    display_kind,
    column_gaps,
    split_rows,
)

__all__ = ["Declaration", "IndexRange", "Equation", "FrontMatter", "Directive", "Display",
           "Document", "parse_document", "read_document", "MAX_BYTES"]


# Text-mode tokens; `\\[^\n]` skips Markdown escapes (`\$`) but never eats a newline,
# because fences and headings are recognised at line starts.
_TEXT_TOKEN = re.compile(r"\$\$|\$|\\\(|\\\[|\\begin\{([A-Za-z]+\*?)\}|\\[^\n]|<!--|`+|\n")
_LABEL = r"\(\s*([A-Za-z0-9][A-Za-z0-9.\-]*)\s*\)"
#: `(7)`, or Quarto's `{#eq-softmax}` after a display.
_LABEL_LINE = re.compile(rf"[ \t]*(?:{_LABEL}|\{{#(eq-[A-Za-z0-9][\w.\-:]*)\}})[ \t]*")
# Matched on stripped text, with no competing runs of spaces: `\tag{` followed by
# thousands of spaces must not backtrack quadratically (a denial of service).
_LABEL_MATH = re.compile(rf"(?:{_LABEL}|\\tag\*?\s*\{{([^{{}}]*)\}})")
#: A list item's or blockquote's fence around display math (see :mod:`deriv.read.blocks`).
HIDDEN_STEPS = ("display math inside a code block is not checked: Markdown reads this fence (in a list item "
                "or a quote) as code; write the math outside it, or in a ```math fence")
#: How far around inline math a generated text's line is looked at (a bound, so long lines stay linear).
_NEAR = 1000
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)


@dataclass(frozen=True)
class Display:
    """One piece of display math (one row of an ``align``).

    ``problem`` is set (and ``text`` is '') when the display could not be cut
    out, e.g. a ``$$`` that is never closed; the checker reports it as an error.
    """

    text: str
    line: int
    end_line: int
    label: str | None
    directive: Directive | None
    environment: str
    problem: str | None = None
    #: ``<!-- deriv: assume ... -->`` directives read since the display before:
    #: each holds from this display to the end of the document.
    assumes: tuple[Directive, ...] = ()
    #: The file column (from 1) of ``text``'s first character on ``line``; the
    #: characters after its first newline keep their own columns.
    column: int = field(default=1, compare=False)
    #: A generated text's final answer (``\\boxed{E}``, in a display or inline): an ``E`` with no
    #: relation continues the chain before it as ``= E`` (docs/library.md, "Generated derivations").
    answer: bool = False
    #: Claims a generated text's display makes beside its rows (``\\intertext{hence $a = 3a$}``):
    #: each is checked as a chain of its own (docs/library.md, "Generated derivations in bulk").
    claims: tuple[str, ...] = ()
    #: A generated text's display that starts by giving a new name its value (``L = v = w``):
    #: its first step is that definition (this equation), not a claim (docs/library.md, "Generated derivations").
    defines: str | None = None

    def column_of(self, offset: int) -> int:
        """The file column (from 1) of ``text[offset]``."""
        newline = self.text.rfind("\n", 0, offset)
        return self.column + offset if newline < 0 else offset - newline

    @property
    def math_column(self) -> int:
        """The column of the math's first character on ``line``: spaces after the opener
        skipped; just after the opener when the math starts on the next line."""
        first = self.text.split("\n", 1)[0]
        math = first.lstrip(" \t")
        return self.column_of(len(first) - len(math)) if math else self.column


@dataclass(frozen=True)
class Document:
    """A whole derivation document; ``problems`` are body errors (bad directives)."""

    path: str
    front: FrontMatter | None
    displays: tuple[Display, ...]
    title: str | None
    problems: tuple[DerivError, ...] = ()
    #: User macros (front matter first, then the body's), in document order;
    #: a display sees those defined on or before its line.
    macros: tuple[Macro, ...] = ()
    blocks: tuple[tuple[int, int], ...] = ()  # offsets of each display, delimiters and label too
    #: The prose's math that states a relation (``$\\sigma = 2$``), read for what it tells of names.
    prose_math: tuple[str, ...] = ()
    #: Values the prose gives declared names (``Define $y = 2x$``), which are no definitions.
    prose_values: tuple[ProseValue, ...] = ()

    def declarations(self) -> FrontMatter:
        """The front matter (with what the text declares); an error when the document
        declares nothing in either."""
        if self.front is None:
            raise DerivError("no front matter and no declaration in the text: a derivation starts with --- "
                             "and declares its symbols:, or states them as in 'Let $x \\in \\mathbb{R}^n$'",
                             path=self.path, line=1)
        return self.front


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read and parse the file at ``path``; unreadable files raise InputError."""
    return parse_document(read_source(path).markdown, os.fspath(path))


def parse_document(text: str, path: str = "<text>", given: FrontMatter | None = None,
                   generated: bool = False) -> Document:
    """Parse a whole document given as text (a BOM and CRLF line ends are fine); ``given``
    declarations (a batch item's) are added to its front matter (:mod:`deriv.read.given`);
    a ``generated`` text's boxed final answers are displays (:attr:`Display.answer`)."""
    if len(text) > MAX_BYTES:
        raise InputError("document is too large (the limit is 5 MB)", path=path)
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise InputError("document is binary, not text (it contains NUL bytes)", path=path, line=line)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    end = front_matter_end(lines, path)
    front, start = None, 0
    if end is not None:
        front = parse_front_matter("\n".join(lines[1:end]), 2, path)
        start = sum(len(line) + 1 for line in lines[: end + 1])
    front = merged(given, front, path)
    start = min(start, len(text))
    found = markdown_math(text, start, loose=generated)  # a generated text's `$` as renderers read it
    document = scan_body(text, path, front, start, code=found.blocks.code, math_fences=found.blocks.math,
                         hidden=found.blocks.hidden, found=found, generated=generated)
    return _with_escaped_math(document, text, start, found)


def _with_escaped_math(document: Document, text: str, start: int, found: MarkdownMath) -> Document:
    """``document`` with a problem at each line that opens with ``\\[`` outside its displays and
    code (:mod:`deriv.read.escaped_math`): math a page shows that deriv would not read."""
    if "\\\\[" not in text:
        return document
    from deriv.read.escaped_math import ESCAPED, escaped_openers

    taken = [*document.blocks, *found.blocks.code.items(), *found.code_spans.items(),
             *((at, fence.end) for at, fence in found.blocks.math.items())]
    lines = [text.count("\n", 0, at) + 1 for at in escaped_openers(text, start, taken)]
    if not lines:
        return document
    extra = tuple(DerivError(ESCAPED, path=document.path, line=line) for line in lines)
    return replace(document, problems=tuple(sorted(document.problems + extra, key=lambda p: p.line or 0)))


def scan_body(text: str, path: str, front: FrontMatter | None, start: int = 0, *, code: dict[int, int] | None = None,
              math_fences: dict[int, MathFence] | None = None, hidden: Iterable[int] = (),
              blank_lines: set[int] | None = None, title: str | None = None,
              found: MarkdownMath | None = None, generated: bool = False) -> Document:
    """The document whose body is ``text[start:]`` (line ends already ``\n``), declared by ``front``.

    Markdown hands its code blocks, math fences and fences that hide steps (:mod:`deriv.read.blocks`);
    other formats (:mod:`deriv.read.latex_source`) hand their body here as text whose
    lines are the document's: ``blank_lines`` (1-based) then says which lines end a
    paragraph, when that is not every whitespace-only line, and ``title`` the title
    the format gives (a Markdown ``# heading`` otherwise).  ``found``: the math markdown-it-py
    found (:mod:`deriv.read.markdown_math`); without it the scanner searches the text itself."""
    scanner = _Scanner(text, path)
    scanner.generated = generated
    if generated and found is not None:
        found = _with_bare_answers(scanner, text, start, found)
    scanner.code = code or {}
    scanner.math_fences = math_fences or {}
    for offset in hidden:
        scanner.problem(HIDDEN_STEPS, scanner.line(offset))
    if blank_lines is not None:
        scanner.blank_starts = [scanner.line_starts[n - 1] for n in sorted(blank_lines) if n <= len(scanner.line_starts)]
    for macro in front.macros if front is not None else ():
        scanner.macros.add(macro)
    if found is None:
        scanner.run(start)
    else:
        scanner.heading = found.heading
        scanner.run_events(events(text, start, found))
    scanner.attach_assumes()
    front, stated, values = with_prose(front, scanner.prose, scanner.displays, path)
    if generated:
        scanner.displays = definers(scanner.displays, front)
    title = front.title if front is not None and front.title else title or scanner.heading
    return Document(path, front, tuple(scanner.displays), title, tuple(scanner.problems + stated),
                    macros=tuple(scanner.macros.order), blocks=tuple(scanner.blocks),
                    prose_math=tuple(scanner.prose.relations), prose_values=values)


def _generated() -> ModuleType:
    """The generated-text readings (:mod:`deriv.read.generated_math`), loaded only for generated text:
    their patterns cost every document's import otherwise."""
    from deriv.read import generated_math

    return generated_math


def _generated_latex() -> ModuleType:
    """The generated-text math readings (:mod:`deriv.read.generated_latex`), for generated text only."""
    from deriv.read import generated_latex

    return generated_latex


def _with_bare_answers(scanner: _Scanner, text: str, start: int, found: MarkdownMath) -> MarkdownMath:
    """A generated text's math as a reader sees it: a bare ``\\boxed{...}`` and a code span named the
    answer are math, and a prose
    line opening with ``=`` or a step in a code block an error (:mod:`deriv.read.generated_math`)."""
    for offset in _generated().unrendered_lines(text, start, found):
        scanner.problem(_generated().UNRENDERED, scanner.line(offset))
    for offset in _generated().math_in_code(text, found):
        scanner.problem(_generated().MATH_IN_CODE, scanner.line(offset))
    for offset in _generated().mathml(text, start, found):
        scanner.problem(_generated().MATHML, scanner.line(offset))
    boxes = _generated().bare_boxes(text, start, found) + (coded := _generated().coded_answers(text, start, found))
    boxes += _generated().plain_answers(text, start, found) + _generated().plain_equations(text, start, found)
    if not boxes:
        return found
    code_spans = {at: end for at, end in found.code_spans.items() if at not in {span.opener for span in coded}}
    return replace(found, spans=sorted(found.spans + boxes, key=lambda span: span.opener), code_spans=code_spans)


@dataclass(frozen=True)
class _Cut:
    """A display cut out of the text: offsets of its math and its closing delimiter."""

    environment: str
    start: int  # first character of the math
    stop: int  # one past its last character
    closer: int  # offset of the closing delimiter
    end: int  # one past the closing delimiter
    problem: str | None = None
    label: str | None = None  # given inside the display (MyST's `:label:`)
    answer: bool = False  # a generated text's final answer (named so in the prose before it)


class _NoArgument(Exception):
    """``\\begin{alignat}`` without its ``{n}``: LaTeX would take the first
    token of the math as the count, so deriv can not tell what the row is."""

    def __init__(self, environment: str) -> None:
        super().__init__(f"\\begin{{{environment}}} needs its number of column pairs, "
                         f"as in \\begin{{{environment}}}{{2}}")


class _Scanner(MarkdownScanner):
    """One left-to-right pass over the Markdown body."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.cuts: dict[tuple[int, str], _Cut] = {}  # a display after a display is cut once
        self.failed: dict[str, tuple[int, int]] = {}  # closer -> (from, bound) known to fail
        self.displays: list[Display] = []
        self.blocks: list[tuple[int, int]] = []
        self.math_fences: dict[int, MathFence] = {}  # GitHub's ```math and MyST's ```{math} displays
        self.prose = ProseReader(self)  # inline math and declaration displays
        self.generated = False  # a batch item's text: its boxed final answers are displays

    def run(self, pos: int) -> None:
        text = self.text
        pos = self._line_start(pos)
        while (m := _TEXT_TOKEN.search(text, pos)) is not None:
            token = m.group()
            if token == "\n":
                pos = self._line_start(m.end())
            elif token in ("$$", "\\[") or m.group(1) in DISPLAY_ENVS or m.group(1) in UNSUPPORTED_ENVS:
                cut = self._cut(m.start(), m.end(), m.group(1) or token)
                pos = self._unsupported(m.start(), cut) if m.group(1) in UNSUPPORTED_ENVS else self._display(cut)
                self.blocks.append((m.start(), pos))  # offsets: lines cost a bisect each, only reports need them
            elif token == "$" and (github := code_span_math(text, m.start(), self._bound(m.start()))):
                pos = self.prose.span(m.start(), *github, 2)
            elif token in ("$", "\\("):
                pos = self.prose.inline(m.start(), token, self._bound(m.start()))
            elif token == "<!--":
                pos = self._comment(m.start())
            elif token[0] == "`":
                pos = self._code_span(m.start(), len(token))
            elif DEFINERS.match(text, m.start()):
                pos = self.definition(m.start())
            else:
                pos = m.end()
        if self.pending is not None:
            self.problem("directive has no display after it", self.pending.line)

    def run_events(self, found: list[tuple[int, str, object]]) -> None:
        """Act on what markdown-it-py found, in text order; what lies inside an earlier one is passed."""
        pos = 0
        for offset, what, payload in found:
            if offset < pos:
                continue
            if what == "span":
                assert isinstance(payload, Span)
                pos = self._span(payload)
            elif what == "skip":
                assert isinstance(payload, int)
                pos = payload
            elif what == "fence":
                pos = self._line_start(offset)
            elif what == "comment":
                pos = self._comment(offset)
            else:
                pos = self.definition(offset)
        if self.pending is not None:
            self.problem("directive has no display after it", self.pending.line)

    def _span(self, span: Span) -> int:
        """One piece of math: a display is cut, inline math is prose."""
        kind = span.kind
        if kind in ("$", "\\(", "$`") and self.generated and (self._displayed(span) or self._continued(span)
                                                               or self._concluded(span)):
            cut = _Cut("$$", span.start, span.stop, span.stop, span.end, answer=self._cued(span) or self._continued(span))
        elif kind in ("$", "\\(", "$`"):
            return self.prose.span(span.opener, span.start, span.stop, span.end, 1 if kind == "$" else 2)
        elif kind.startswith("unclosed:"):
            cut = self._unclosed(span.opener, span.start, kind.removeprefix("unclosed:"))
        else:
            cut = _Cut(kind, span.start, span.stop, span.stop, span.end,
                       answer=self.generated and (self._cued(span) or self._continued(span, display=True)))
        pos = self._unsupported(span.opener, cut) if kind in UNSUPPORTED_ENVS else self._display(cut)
        self.blocks.append((span.opener, pos))
        return pos

    def _displayed(self, span: Span) -> bool:
        """Inline math a generated text shows as a display (:func:`~deriv.read.generated_math.displayed`):
        a final answer, or math alone on its line (``$ A B = B A $`` reads as an equation, not as prose)."""
        eol = self.text.find("\n", span.end, span.end + _NEAR)
        near = eol >= 0 or span.end + _NEAR >= len(self.text)
        after = self.text[span.end:eol if eol >= 0 else len(self.text)] if near else "\0"
        return _generated().displayed(self.text[span.start:span.stop], self._before(span), after)

    def _continued(self, span: Span, display: bool = False) -> bool:
        """Whether words right after the display before it make the math its value (``which equals $3a$``);
        a ``display`` only when it states no relation of its own (its rows are then a chain of their own)."""
        last = self.blocks[-1][1] if self.blocks else -1
        after = self.text[span.end:span.end + 80]
        worded = (0 <= span.opener - last <= 80 and _generated().continues_in_words(self.text[last:span.opener], after)
                  or last >= 0 and _generated().continued_in_sentence(self._before(span), after))
        return worded and not (display and _generated().states(self.text[span.start:span.stop]))

    def _concluded(self, span: Span) -> bool:
        """Whether words right after the display before it make the math's relation its consequence
        (``so $a = 3a$``)."""
        last = self.blocks[-1][1] if self.blocks else -1
        after, math = self.text[span.end:span.end + 80], self.text[span.start:span.stop]
        return (0 <= span.opener - last <= 80 and _generated().concluded_in_words(self.text[last:span.opener], after, math)
                or _generated().concluded_in_sentence(self._before(span), after, math))

    def _cued(self, span: Span) -> bool:
        """Whether the prose right before the math names it the answer (:func:`~deriv.read.generated_math.answer_cued`)."""
        return _generated().answer_cued(self.text[max(0, span.opener - _NEAR):span.opener])

    def _before(self, span: Span) -> str:
        """The text of the span's line before it ("\0" when that is longer than a look needs: prose)."""
        start = self.text.rfind("\n", max(0, span.opener - _NEAR), span.opener)
        return self.text[start + 1:span.opener] if start >= 0 or span.opener <= _NEAR else "\0"

    def _line_start(self, pos: int) -> int:
        """A ```` ```math ```` fence is a display (GitHub's); any other line start as Markdown reads it."""
        fence = self.math_fences.get(pos)
        if fence is None:
            return super()._line_start(pos)
        opener = self.text[pos:fence.start].lstrip(" \t>-*+0123456789.)")[:3]
        shown = ":::{math}" if opener == ":::" else "```math"
        problem = None if fence.closer >= 0 else \
            f"unclosed {shown} fence: no closing fence (its math runs to the end of its block, as CommonMark reads it)"
        cut = _Cut("$$", fence.start, fence.stop, fence.closer if fence.closer >= 0 else pos, fence.end, problem,
                   fence.label)
        after = self._display(cut)
        self.blocks.append((pos, after))
        return after

    # --- displays ----------------------------------------------------------------

    def _cut(self, opener: int, start: int, environment: str) -> _Cut:
        """Find the closing delimiter; display math never spans a blank line."""
        cut = self.cuts.get((start, environment))
        if cut is None:
            cut = self.cuts[start, environment] = self._search(opener, start, environment)
        return cut

    def _search(self, opener: int, start: int, environment: str) -> _Cut:
        closer = {"$$": "$$", "\\[": "\\]"}.get(environment, f"\\end{{{environment}}}")
        bound = self._bound(start)
        failed = self.failed.get(closer)  # a search that failed up to `bound` fails again
        found = None
        if not (failed and failed[1] == bound and failed[0] <= start):
            # `\x` pairs are skipped: `\$` (a dollar sign) and `\\]` (`\\` then `]`) do not close.
            pattern = re.compile(re.escape(closer) + r"|\\.", re.S)
            found = next((m for m in pattern.finditer(self.text, start, bound)
                          if m.group() == closer), None)
            if found is None:
                self.failed[closer] = (start, bound)
        if found is None:
            return self._unclosed(opener, start, environment)
        return _Cut(environment, start, found.start(), found.start(), found.end())

    @staticmethod
    def _unclosed(opener: int, start: int, environment: str) -> _Cut:
        closer = {"$$": "$$", "\\[": "\\]"}.get(environment, f"\\end{{{environment}}}")
        opened = environment if len(environment) == 2 else f"\\begin{{{environment}}}"
        return _Cut(environment, start, start, opener, start,
                    f"unclosed {opened} display: no closing {closer} before the next blank line")

    def _display(self, cut: _Cut) -> int:
        """Record the displays of one cut; return where scanning goes on."""
        if cut.problem:
            self.displays.append(Display("", self.line(cut.closer), self.line(cut.closer), None,
                                         self._take_directive(), display_kind(cut.environment),
                                         cut.problem))
            return cut.end
        math = self._math(cut)
        if DEFINERS.search(math):
            math = self.take_definitions(cut.start, cut.stop, math)
            if not math.strip():
                return cut.end  # a display of macro definitions only: nothing to check
        if _LABEL_MATH.fullmatch(math.strip()):
            return cut.end  # a stray `$$(4)$$` not after a display labels nothing
        if self.generated and cut.environment in ("$$", "\\["):
            environment, math = _generated_latex().rows_shown(cut.environment, math)
            cut = replace(cut, environment=environment)
        try:
            rows = self._rows(cut, math)
        except _NoArgument as missing:
            self.displays.append(Display("", self.line(cut.start), self.line(cut.closer), None,
                                         self._take_directive(), "align", str(missing)))
            return cut.end
        if not rows:
            # Nothing to check is still worth saying: an empty display is
            # usually a mistake, never a silent pass.
            self.displays.append(Display("", self.line(cut.closer), self.line(cut.closer), None,
                                         self._take_directive(), display_kind(cut.environment),
                                         "empty display (no math to check)"))
            return cut.end
        if all(row[4] is None for row in rows) and self.prose.declaring([(row[0], row[1]) for row in rows]):
            return cut.end  # `$$X \in \mathbb{R}^{S \times M}$$` declares: no step
        directive = self._take_directive()
        label, pos = (cut.label, cut.end) if cut.label else self._label_after(cut.end)
        last = len(rows) - 1
        claims = _generated().intertext_claims(math) if self.generated and "intertext" in math else ()
        for i, (text, line, end_line, environment, problem, column) in enumerate(rows):
            text = _generated_latex().shown(text) if self.generated else text
            self.displays.append(Display(text, line, end_line, label if i == last else None,
                                         directive if i == 0 else None, environment, problem, column=column,
                                         answer=self.generated and (cut.answer or _generated().is_answer(text)),
                                         claims=claims if i == last else (),
                                         defines=self.prose.display_definition(text, line) if self.generated else None))
        return pos

    def _unsupported(self, opener: int, cut: _Cut) -> int:
        """A display environment deriv does not read: one step-less error."""
        line = self.line(opener)
        self.displays.append(Display("", line, self.line(cut.closer) if not cut.problem else line, None,
                                     self._take_directive(), "align",
                                     f"display environment {cut.environment} is not supported"))
        return cut.end

    def attach_assumes(self) -> None:
        """Give each ``assume`` directive to the display after it."""
        for position, directive in self.assumes:
            if position >= len(self.displays):
                self.problem("directive has no display after it", directive.line)
                continue
            display = self.displays[position]
            self.displays[position] = replace(display, assumes=display.assumes + (directive,))

    def _math(self, cut: _Cut) -> str:
        """The math text; inside a blockquote the `>` markers become spaces."""
        math = self.text[cut.start:cut.stop]
        opener_line = self.text[self.line_starts[self.line(cut.start) - 1]:cut.start]
        if "\n" in math and opener_line.lstrip().startswith(">"):
            first, _, rest = math.partition("\n")
            rest = _QUOTE_PREFIX.sub(lambda m: " " * len(m.group()), rest)
            math = f"{first}\n{rest}"
        return math

    def _rows(self, cut: _Cut, math: str) -> list[tuple[str, int, int, str, str | None, int]]:
        """(text, line, end_line, environment, problem, column) of each display in the cut."""
        base, closer_line = cut.start, self.line(cut.closer)
        region: tuple[int, int] | None = None  # the rows' part of the math
        if cut.environment in ROW_ENVS or cut.environment in JOINED_ENVS:
            argument = ALIGNAT_ARGUMENT.match(math) if cut.environment.startswith("alignat") else None
            if cut.environment.startswith("alignat") and argument is None:
                raise _NoArgument(cut.environment)
            region = (argument.end() if argument else 0, len(math))
        elif inner := INNER_ROWS.match(math):
            if inner.group(1).rstrip("*").endswith("at") and inner.group(2) is None:
                raise _NoArgument(inner.group(1))
            end_tag = f"\\end{{{inner.group(1)}}}"
            label = TRAILING_LABEL.search(math)
            stripped = (math[:label.start()] if label else math).rstrip()
            if stripped.endswith(end_tag):
                region = (inner.end(), len(stripped) - len(end_tag))
        gaps = not cut.environment.startswith("eqnarray")
        split = split_rows(math[region[0]:region[1]], gaps) if region else None
        if split is None:
            if not math.strip():
                return []
            return [(math, self.line(base), closer_line, display_kind(cut.environment), None, self.column(base))]
        rows = []
        blanked, spans = split
        assert region is not None  # a split is made only within a region
        if cut.environment in JOINED_ENVS:
            # multline: one equation over several lines; each `\\` becomes two spaces
            for _, _, term in spans:
                if term is not None:
                    blanked = blanked[:term] + "  " + blanked[term + 2:]
            spans = [(spans[0][0], spans[-1][1], None)]
        for start, stop, term in spans:
            raw = blanked[start:stop]
            text = raw.lstrip()
            if not text.strip():
                continue
            first = base + region[0] + start + len(raw) - len(text)
            end_line = closer_line if term is None else self.line(base + region[0] + term)
            kind = display_kind(cut.environment) if cut.environment in JOINED_ENVS else "align"
            text, problem = column_gaps(text.rstrip())
            rows.append((text if problem is None else "", self.line(first), end_line, kind, problem,
                         self.column(first)))
        return rows

    def _label_after(self, end: int) -> tuple[str | None, int]:
        """A `(7)` right after a display: rest of its line, the next line, or a
        `$$(7)$$` / `$$\\tag{7}$$` display after at most one blank line."""
        eol = self._eol(end)
        rest = self.text[end:eol]
        if label := _LABEL_LINE.fullmatch(rest):
            return label.group(1) or label.group(2), eol
        if rest.strip():
            return self._label_display(end) or (None, end)
        if eol >= len(self.text):
            return None, end
        nxt = eol + 1
        line = self.text[nxt:self._eol(nxt)]
        if label := _LABEL_LINE.fullmatch(line):
            return label.group(1) or label.group(2), self._eol(nxt)
        if not line.strip():
            nxt = min(self._eol(nxt) + 1, len(self.text))
        return self._label_display(nxt) or (None, end)

    def _label_display(self, pos: int) -> tuple[str, int] | None:
        """(label, end) if a label-only display starts at ``pos`` (after blanks)."""
        while pos < len(self.text) and self.text[pos] in " \t":
            pos += 1
        for opener in ("$$", "\\["):
            if self.text.startswith(opener, pos):
                cut = self._cut(pos, pos + 2, opener)
                match = None if cut.problem else _LABEL_MATH.fullmatch(self._math(cut).strip())
                label = match and (match.group(1) or (match.group(2) or "").strip())
                if label:
                    return label, cut.end
        return None
