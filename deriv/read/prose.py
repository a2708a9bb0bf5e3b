"""Declarations as papers state them: the prose's math, read into the front matter's structures.

In: the inline math of a document's prose (``Let $X \\in \\mathbb{R}^{S \\times M}$``,
``$\\lambda > 0$``, ``$f : \\mathbb{R}^n \\to \\mathbb{R}$``, ``where $Y = X W^T$``)
and its declaration-only displays, found by the display scanner
(:mod:`deriv.read.document`) as it walks the body -- so nothing in code,
comments or HTML is ever read.  Out: a :class:`~deriv.read.frontmatter.FrontMatter`
with the front matter's own entries first and the prose's added (or one of
the prose's alone, so that a document whose text declares its objects needs
no front matter), and the problems found on the way.

Rules (docs/format.md, "A document"): front matter wins; a name stated
twice in different ways is a file error naming both lines; a quantified
``for all $x \\in \\mathbb{R}^n$`` declares nothing; ``$\\lambda > 0$`` makes a
scalar or vector positive only before its first use in a display; an
equation gives a value only to a name declared and defined nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from deriv.errors import DerivError, FrontMatterError
from deriv.names import Kind, split_scripted
from deriv.read.frontmatter import Declaration, Equation, FrontMatter, check_sizes
from deriv.read.macros import DEFINERS, Macro
from deriv.read.prose_assumptions import assumed
from deriv.read.prose_definiteness import definiteness_in_words, unread_definiteness
from deriv.read.prose_positivity import declares_positive, declaring_lead
from deriv.read.prose_math import (
    Bound, Defining, Positivity, Reading, Statement, Unreadable, definiteness, first_equation, mentioned_name, one_comparison, read_all,
    read_display, read_math,
)

if TYPE_CHECKING:
    from deriv.read.markdown import MarkdownScanner

#: Words right before the math that make its names bound, not declared.
_QUANTIFIER = re.compile(
    r"\b(?:for\s+(?:all|every|each|any|some)|there\s+(?:exists?|is|are)|exists?)\b(?:\W+\w+){0,2}\W*\Z", re.I)
#: Words earlier in the sentence that deny or disown the math after them (``we do not assume
#: $\\lambda > 0$``, ``it is wrong to write $c = a + b$``): it then states nothing.
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|without|cannot|instead\s+of|rather\s+than|wrong|incorrect|"
    r"mistaken(?:ly)?|false(?:ly)?)\b|n['’]t\b", re.I)
#: Words right before a positivity that make it a case (``If $\\lambda > 0$, then ...``) or a
#: claim to be shown (``we show that $\\lambda > 0$``), not a declaration: a case governs some
#: steps, which deriv can not tell; a claim may be false.  It declares nothing and is an error.
_CASE = re.compile(r"\b(?:if|when|whenever|unless|otherwise|in\s+(?:the\s+)?case|either|whether|"
                   r"show|prove|verify|check|claim|conclude)\b(?:\W+\w+){0,2}\W*\Z", re.I)
#: Words right after the math that deny it or make it one side of a disjunction or an implication
#: (``$\\lambda > 0$ would be wrong``, ``$\\lambda > 0$ or ...``, ``$\\lambda > 0$ implies``).
_DENIED_AFTER = re.compile(r"\s{0,3}(?:or|would|could|does\s+not|doesn['’]t|is\s+(?:not|false|wrong|incorrect)|"
                           r"fails?|implies|iff|if\s+and\s+only\s+if)\b", re.I)
#: A sentence that says ``\\sigma`` is a scale, not the logistic function (docs/format.md).
_A_SCALE = re.compile(r"\b(?:deviation|variance|std|noise|singular|scale|bandwidth|width|volatility|spread)\b", re.I)
_NAMES_A_SCALE = re.compile(r"\A\s*\\sigma\s*\Z")
_ELEMENTWISE = re.compile(
    r"\b(?:entry|element|component|point)[- ]?wise\b|\b(?:entry|element) by (?:entry|element)\b", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;](?:\s|\Z)|\n[ \t]*\n")
_MACRO_CALL = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])")
#: Math without one of these states nothing (most inline math: `$x$`, `$W^T$`).
_IN_MATH = re.compile(r"\\in(?![A-Za-z])")
_MAY_STATE = re.compile(r"[=<>:]|\\in(?![A-Za-z])|\\colon")
_COMPARES = re.compile(r"\\(?:neq?|leq?|geq?|leqslant|geqslant|succeq|succ|preceq|prec)(?![A-Za-z])")
_MAPS_TO = re.compile(r"\\(?:to|rightarrow|longrightarrow)(?![A-Za-z])")
_OPENS_DISPLAY = re.compile(r"\\\[|\\begin\s*\{")
_DOLLAR = re.compile(r"\\.|\$", re.S)
_TOKEN = re.compile(r"\\[A-Za-z]+|.", re.S)
#: Longer math is never a declaration; not reading it keeps every pattern linear.
MAX_DECLARATION = 2000
#: Macro expansion stops at this length (a chain of macros doubling each round).
MAX_EXPANDED = 20_000


@dataclass(frozen=True)
class Found:
    """One reading of prose math, at its file line."""

    reading: Reading
    line: int


class ProseReader:
    """Reads the inline math and declaration displays the scanner meets."""

    def __init__(self, scanner: MarkdownScanner) -> None:
        self.scanner = scanner
        self.found: list[Found] = []
        #: A declaration was attempted but not readable: the document means to
        #: declare in its text, so it is checked (the problem is its error).
        self.attempted = False
        self.unclosed: dict[int, int] = {}  # paragraph end -> first `\\(` found unclosed before it
        #: Every piece of prose math that states a relation (``$\\sigma = 2$``): whether ``\\sigma``
        #: is the logistic function depends on it as on the displays (:mod:`deriv.meaning.conventions`).
        self.relations: list[str] = []

    def inline(self, pos: int, opener: str, bound: int) -> int:
        """At ``$`` or ``\\(``: read the span's math if it is one (it ends before ``bound``,
        its paragraph's end); return where scanning goes on."""
        text = self.scanner.text
        if opener == "\\(" and self.unclosed.get(bound, bound) <= pos:
            return pos + 2  # a `\\)` not found after an earlier `\\(` is not found after this one
        span = inline_span(text, pos, opener, bound)
        if span is None:
            if opener == "\\(":
                self.unclosed.setdefault(bound, pos)
            return pos + len(opener)
        return self.span(pos, *span, len(opener))

    def span(self, pos: int, start: int, stop: int, end: int, opener: int) -> int:
        """Read the inline math ``text[start:stop]`` whose opener (``opener`` characters) is at
        ``pos`` and which ends at ``end``; return where scanning goes on."""
        text = self.scanner.text
        if DEFINERS.search(text, start, stop) or _OPENS_DISPLAY.search(text, start, stop):
            # `$\\newcommand{\\R}{\\mathbb{R}}$`: the scanner reads the definition; a display
            # between two dollars (a stray `$` before it) is still a display, never swallowed.
            return pos + opener
        if stop - start > MAX_DECLARATION:
            return end
        self._read(start, stop, pos, end)
        return end

    def declaring(self, rows: list[tuple[str, int]]) -> bool:
        """True when every row of a display only declares (each then recorded; one meant
        as a declaration but unreadable is an error on its line).  A display with any
        other row is checked as a display, every row of it."""
        readings: list[Found] = []
        problems: list[tuple[str, int]] = []
        for math, line in rows:
            if len(math) > MAX_DECLARATION:
                return False
            try:
                statements = read_display(expand(math, self.scanner.macros.defined))
            except Unreadable as problem:
                problems.append((str(problem), line))
                continue
            if not statements:
                return False
            readings.extend(Found(statement, line) for statement in statements)
        self.found.extend(readings)
        for message, line in problems:
            self.scanner.problem(message, line)
        self.attempted = self.attempted or bool(problems)
        if self.scanner.pending is not None:
            self.scanner.problem("a directive before a display of declarations, which is no step",
                                 self.scanner.pending.line)
            self.scanner.pending = None
        return True

    def display_definition(self, math: str, line: int) -> str | None:
        """The equation a generated text's display row starts with when it gives a name its value
        (``$$ L = \\frac12 \\|Xw - y\\|^2 $$``, as models begin), recorded as a definition (kept
        only for a name with no value or declaration yet: :func:`definers`)."""
        if len(math) > MAX_DECLARATION:
            return None
        try:
            from deriv.read.generated_math import unboxed  # generated text only: not on a document's import

            found = first_equation(unboxed(expand(math, self.scanner.macros.defined)))
        except Unreadable:
            return None
        if found is None:
            return None
        self.found.append(Found(found, line))
        return found.latex

    def _read(self, start: int, stop: int, opener: int, end: int) -> None:
        """Read the math ``text[start:stop]``; the prose around it is looked at only when it
        matters (a function's ``applied entrywise``, a quantifier before a declaration)."""
        text = self.scanner.text
        math = expand(text[start:stop], self.scanner.macros.defined)
        self._words_about(math, (start, stop, end), opener)
        if not (_MAY_STATE.search(math) or _COMPARES.search(math)):
            return
        elementwise = _MAPS_TO.search(math) is not None and \
            _ELEMENTWISE.search(text, end, _sentence_end(text, end)) is not None
        if _negated(text, opener):
            return
        try:
            readings = read_all(math, elementwise)
        except Unreadable as problem:
            if not _quantified(text, opener):
                self.scanner.problem(str(problem), self.scanner.line(start))
                self.attempted = True
            return
        if readings and isinstance(readings[0], (Statement, Positivity)) and _quantified(text, opener):
            return
        if self._undeclared(readings, opener, (start, stop, end)):
            return
        if any(isinstance(r, Bound) for r in readings) and assumed(text, opener, end):
            readings = tuple(replace(r, assumed=True) if isinstance(r, Bound) else r for r in readings)
        if any(isinstance(r, Bound) and r.written and not r.assumed for r in readings) and \
                not declaring_lead(text, opener, end):  # `Since $a < b$`, `Note that ...`: a claim, never a domain
            readings = tuple(r for r in readings if not (isinstance(r, Bound) and r.written))
        if any(isinstance(r, Positivity) for r in readings) and declares_positive(text, opener, end):
            readings = tuple(replace(r, stated=True) if isinstance(r, Positivity) else r for r in readings)
        readings = self._positive_only_where_stated(readings, opener, (start, end))
        self.found.extend(Found(reading, self.scanner.line(start)) for reading in readings)

    def _words_about(self, math: str, span: tuple[int, int, int], opener: int) -> None:
        """What the prose right around the math says of its names: a relation or a scale (kept), or a
        definiteness in words (an error: :mod:`deriv.read.prose_definiteness`)."""
        text, (start, stop, end) = self.scanner.text, span
        if _tells_of_names(math, text, opener, end):
            self.relations.append(math)
        if (what := definiteness_in_words(text, end)) is not None and _assumes(math, text, opener, end):
            self.scanner.problem(unread_definiteness(text[start:stop], what), self.scanner.line(start))

    def _positive_only_where_stated(self, readings: tuple[Reading, ...], opener: int,
                                    span: tuple[int, int]) -> tuple[Reading, ...]:
        """``Hence $b \\in \\mathbb{R}_{>0}$`` declares ``b`` but not positive, and says so: the positivity
        may be a claim (:mod:`deriv.read.prose_positivity`)."""
        positive = [r for r in readings if isinstance(r, Statement) and r.positive]
        if not positive or declares_positive(self.scanner.text, opener, span[1]):
            return readings
        for name in (n for r in positive for n in r.names):
            self.scanner.problem(_UNSTATED.format(name=name), self.scanner.line(span[0]))
        return tuple(replace(r, positive=False) if r in positive else r for r in readings)

    def _undeclared(self, readings: tuple[Reading, ...], opener: int, span: tuple[int, int, int]) -> bool:
        """Whether a case, a claim, a question or a denial around the math (:func:`_undeclaring`)
        leaves its readings unread (a positivity then an error; a declaration ``\\in`` stays)."""
        text, (start, stop, end) = self.scanner.text, span
        words = _undeclaring(text, opener, end)
        if words is None:
            return False
        if any(isinstance(r, Positivity) for r in readings):
            self.scanner.problem(
                f"${text[start:stop]}$ is a case or a claim ('{words}'), not a declaration: deriv can not "
                "tell which steps it governs or whether it holds; declare it for the whole document "
                "('Let $\\lambda > 0$'), or check the case in a document of its own", self.scanner.line(start))
        return not any(isinstance(r, Statement) for r in readings)


def definers(displays: list, front: FrontMatter | None) -> list:
    """The displays, each marked as giving a name its value only when it is the one whose
    equation became the definition (a later display restating the name is a step)."""
    kept = {(equation.latex, equation.line) for equation in front.definitions} if front is not None else set()
    out = []
    for display in displays:
        if display.defines is not None:
            key = (display.defines, display.line)
            display = replace(display, defines=display.defines if key in kept else None)
            kept.discard(key)
        out.append(display)
    return out


def _assumes(math: str, text: str, opener: int, end: int) -> bool:
    """Whether words after the math say what a declared name is, as an assumption would: the math
    declares (``Let $H \\in ...$ be``), or its sentence opens as a declaration (``Suppose $H$ is``);
    ``Their matrix $X^T X + \\lambda I$ is positive definite`` is a claim the next display checks."""
    return _IN_MATH.search(math) is not None or declaring_lead(text, opener, end)


def _tells_of_names(math: str, text: str, opener: int, end: int) -> bool:
    """Whether the prose math says what a name is, as the displays would: it states a relation
    (``$\\sigma = 2$``), or it is ``$\\sigma$`` in a sentence calling it a scale (``the standard
    deviation $\\sigma$``): then ``\\sigma`` is not the logistic function."""
    if _MAY_STATE.search(math) or _COMPARES.search(math):
        return True
    return bool(_NAMES_A_SCALE.search(math)) and _A_SCALE.search(
        _sentence_so_far(text, opener) + text[end:_sentence_end(text, end)]) is not None


def inline_span(text: str, pos: int, opener: str, bound: int) -> tuple[int, int, int] | None:
    """(math start, math stop, end) of the inline math opening at ``pos``, or None.

    ``$`` follows pandoc: the opening one has a non-space after it, the
    closing one a non-space before it and no digit after it (``$5 and $6``
    is money); the span ends within its paragraph; ``\\$`` is a dollar."""
    start = pos + len(opener)
    if opener == "\\(":
        stop = text.find("\\)", start, bound)
        return None if stop < 0 else (start, stop, stop + 2)
    if start >= bound or text[start].isspace():
        return None
    for m in _DOLLAR.finditer(text, start, bound):
        k = m.start()
        if m.group() != "$":
            continue
        if text.startswith("$$", k) or text[k - 1].isspace() or text[k + 1:k + 2].isdigit():
            return None
        return start, k, k + 1
    return None


def _quantified(text: str, pos: int) -> bool:
    """``for all nonzero $x \\in ...$``: the math's names are bound, not declared."""
    return _QUANTIFIER.search(_sentence_so_far(text, pos)) is not None


def _negated(text: str, pos: int) -> bool:
    """``we do not assume $\\lambda > 0$``: a declaration denied is none (reading it would
    silently assume what the text refuses to)."""
    return _NEGATION.search(_sentence_so_far(text, pos)) is not None


def _undeclaring(text: str, pos: int, end: int) -> str | None:
    """The words that make the math at ``pos`` (ending at ``end``) a case, a claim, a question or
    a denial rather than a declaration, or None."""
    if (case := _CASE.search(_sentence_so_far(text, pos))) is not None:
        return case.group().strip()
    if (denied := _DENIED_AFTER.match(text, end, _sentence_end(text, end))) is not None:
        return denied.group().strip(" ,")
    stop = _sentence_end(text, end)
    return "?" if text[stop:stop + 1] == "?" else None


def _sentence_so_far(text: str, pos: int) -> str:
    """The prose before ``pos`` in its sentence (at most 80 characters of it)."""
    before = text[max(0, pos - 80):pos]
    ends = list(_SENTENCE_END.finditer(before))
    return before[ends[-1].end():] if ends else before


def _sentence_end(text: str, pos: int) -> int:
    end = _SENTENCE_END.search(text, pos, min(len(text), pos + 200))
    return end.start() if end else min(len(text), pos + 200)


def expand(math: str, macros: dict[str, Macro], rounds: int = 8) -> str:
    """Argument-less macros replaced by their bodies (``\\R`` -> ``\\mathbb{R}``); nothing else."""
    for _ in range(rounds):
        expanded = _MACRO_CALL.sub(
            lambda m: macros[m.group(1)].body if m.group(1) in macros and macros[m.group(1)].params == 0
            else m.group(), math)
        if expanded == math or len(expanded) > MAX_EXPANDED:
            break
        math = expanded
    return math


# --- merging into the front matter -----------------------------------------------


def with_prose(front: FrontMatter | None, reader: ProseReader, displays: list,
               path: str) -> tuple[FrontMatter | None, list[DerivError], tuple[ProseValue, ...]]:
    """The front matter with what the prose declares added; problems for the body; the values the
    prose gives declared names (no definitions)."""
    found = reader.found
    if not found and not reader.attempted:
        return front, [], ()
    base = front or FrontMatter(None, (), (), (), ())
    merger = _Merger(base, path)
    merger.stated = {n for item in found if isinstance(item.reading, Statement) for n in item.reading.names}
    for item in found:
        if isinstance(item.reading, Statement):
            merger.statement(item.reading, item.line)
    for item in found:
        if isinstance(item.reading, Defining):
            merger.defining(item.reading, item.line)
    for item in found:
        if isinstance(item.reading, Positivity):
            merger.positivity(item.reading, item.line, displays)
    for item in found:
        if isinstance(item.reading, Bound):
            merger.bound(item.reading, item.line)
    return merger.result(), merger.problems, tuple(merger.unread_values)


@dataclass(frozen=True)
class ProseValue:
    """``Define $y = 2x$`` for a declared ``y``: a value the prose gives, read as no definition."""

    names: tuple[str, ...]
    latex: str
    line: int
    #: A declared function's formula (``f(x) = x^2``).
    call: bool = False


class _Merger:
    def __init__(self, front: FrontMatter, path: str) -> None:
        self.unread_values: list[ProseValue] = []
        self.front = front
        self.path = path
        self.declared: dict[str, Declaration] = {d.name: d for d in front.symbols}
        self.from_front = set(self.declared)
        self.definitions: list[Equation] = []
        self.defined = {n for e in front.definitions for n in _defined_names(e.latex)}
        self.sizes = {s for d in front.symbols for s in d.sizes} | {r.size for r in front.indices}
        self.indices = {r.name for r in front.indices}
        self.problems: list[DerivError] = []
        self.tokens: list[tuple[int, set[str]]] | None = None  # each display's tokens, read once
        self.valued: dict[str, Equation] = {}  # names the prose gives a value, and where
        self.stated: set[str] = set()  # every name the text declares, wherever it does
        self.assumptions: list[Equation] = []  # bounds the prose states as assumptions

    def statement(self, statement: Statement, line: int) -> None:
        for name in statement.names:
            split = split_scripted(name)
            if split is not None and (_bare(split[0]) in self.declared or _bare(split[0]) in self.stated):
                continue  # `x_i \in \mathbb{R}` about a declared x: its entries, not a name
            new = Declaration(name, statement.kind, statement.sizes, line, positive=statement.positive)
            old = self.declared.get(name)
            if old is None:
                self.declared[name] = new
                self.sizes.update(statement.sizes)
            elif _what(old) != _what(new):
                where = "in the front matter" if name in self.from_front else "in the text"
                raise FrontMatterError(
                    f"'{name}' is declared {where} at line {old.line} as {_what(old)} "
                    f"and in the text at line {line} as {_what(new)}", path=self.path, line=line)

    def positivity(self, positivity: Positivity, line: int, displays: list) -> None:
        for name in positivity.names:
            if name in self.sizes or name in self.defined or name in self.indices:
                continue  # `n > 0` of a size, or a fact about a defined value: nothing to declare
            old = self.declared.get(name)
            if old is not None and old.kind not in (Kind.SCALAR, Kind.VECTOR):
                self.problems.append(DerivError(
                    f"{name} > 0: only a scalar or a vector is declared positive this way (for a matrix write "
                    f"\\mathbb{{R}}^{{n \\times m}}_{{>0}} for positive entries, or \\succ 0)", line=line))
            elif old is not None and (use := self._first_use(name, displays, line)) is not None:
                self.problems.append(DerivError(
                    f"{name} > 0 is stated after {name} is used (line {use}): state it before its first use, "
                    f"or declare {name} in \\mathbb{{R}}_{{>0}}", line=line))
            elif not positivity.stated:
                self.problems.append(DerivError(_UNSTATED.format(name=name), line=line))
            elif old is None:
                self.declared[name] = Declaration(name, Kind.SCALAR, (), line, positive=True)
            else:
                self.declared[name] = replace(old, positive=True)

    def bound(self, bound: Bound, line: int) -> None:
        """``$\\lambda \\geq 0$`` of a declared name: a fact deriv does not read, so steps would be
        checked without it (refuted where it excludes the counterexample): an error saying so."""
        if _spaceless(bound.latex) in {_spaceless(a.latex) for a in self.front.assumptions}:
            return  # assumed in the front matter already (`$\\det\\Sigma > 0$` beside `- \\det\\Sigma > 0`)
        declared = [n for n in bound.names if (n in self.declared or _declared_base(n) in self.declared)
                    and n not in self.sizes and n not in self.indices and n not in self.defined]
        about = declared + [n for n in bound.names if n in self.sizes]  # `N \\geq 2` too: it was dropped in silence
        if not about or (not declared and _every_size_meets(bound.latex)):
            return
        if bound.assumed and self._assumable(bound, about):
            self.assumptions.append(Equation(bound.latex, line))  # stated as assumed: as under `assumptions:`
        else:
            self.problems.append(DerivError(
                f"${bound.latex}$ is not read ({_why_unread(bound)}): steps are checked "
                f"without it; state it as an assumption ('assumptions:' in the front matter, or "
                f"<!-- deriv: assume {bound.latex} -->)", line=line))

    def _assumable(self, bound: Bound, about: list[str]) -> bool:
        """Whether a bound stated as an assumption is read as one: one comparison of declared scalars
        and sizes (``\\lambda \\geq 0``, ``a < b``, ``N \\geq 2``), or a definiteness of declared matrices
        (``S \\succeq 0``, ``S \\succ T``)."""
        if definiteness(bound.latex):  # S \\succeq 0, S \\succ T, T \\preceq S, S - T \\succ 0 of declared matrices
            return about == list(bound.names) and not any(self._a_scalar(n) for n in about)
        if not all(self._a_scalar(n) or n in self.sizes for n in about):
            return False
        return one_comparison(bound.latex) if bound.written else about == list(bound.names) == about[:1]

    def _a_scalar(self, name: str) -> bool:
        """Whether ``name`` itself (not an entry ``x_1`` or power ``a^2`` of a declared name) is a declared scalar."""
        declaration = self.declared.get(name)
        return declaration is not None and declaration.kind == Kind.SCALAR

    def _first_use(self, name: str, displays: list, before: int) -> int | None:
        """Line of the first display before line ``before`` that mentions ``name``'s letter."""
        if self.tokens is None:
            self.tokens = [(d.line, set(_TOKEN.findall(d.text))) for d in displays]
        token = letter(name)
        return next((line for line, tokens in self.tokens if line < before and token in tokens), None)

    def defining(self, defining: Defining, line: int) -> None:
        names = defining.names
        if defining.displayed and mentioned_name(defining.latex, self._known()) is not None:
            return  # `x^2 = x x` about a declared x: a step (first_equation)
        if (first := next((self.valued[n] for n in names if n in self.valued), None)) is not None:
            if defining.displayed:
                return  # a display restating a valued name is a step, checked against its value
            if _spaceless(first.latex) != _spaceless(defining.latex):
                # Which value a later step means can not be told: never pick one silently.
                self.problems.append(DerivError(
                    f"{names[0]} is given a value at line {first.line} (${first.latex}$) and another here: "
                    "rename one, or write this one as a display to check it", line=line))
            return
        if any(n in self.defined or n in self.sizes or n in self.indices for n in names) or \
                (defining.call and not any(n in self.declared for n in names)):
            return  # a statement about a defined name (or an undeclared function): prose math is not a step
        if any(n in self.declared for n in names):
            # Not a definition (a claim `x = 0` would make every step about x trivial), but a
            # refutation that varies the name may be false under it (:mod:`deriv.check.prose_values`).
            self.unread_values.append(ProseValue(tuple(n for n in names if n in self.declared), defining.latex, line,
                                                 defining.call))
            return
        equation = Equation(defining.latex, line)
        self.valued.update((n, equation) for n in names)
        self.definitions.append(equation)

    def _known(self) -> set[str]:
        """Every name declared, sized, indexed or given a value so far, in the front matter or the text."""
        return {*self.declared, *self.stated, *self.sizes, *self.indices, *self.defined, *self.valued}

    def result(self) -> FrontMatter:
        symbols = tuple(self.declared.values())
        check_sizes(symbols, self.path)
        return replace(self.front, symbols=symbols, definitions=self.front.definitions + tuple(self.definitions),
                       assumptions=self.front.assumptions + tuple(self.assumptions))


#: ``n \\geq 1``, ``n > 0``, ``1 \\leq n``, ``0 < n``: a size's bound every size meets.
_EVERY_SIZE = re.compile(r"\s*[A-Za-z]\w*\s*(?:(?:\\geq?|\\geqslant)\s*(?P<ge>-?\d+)|>\s*(?P<gt>-?\d+))\s*"
                         r"|\s*(?:(?P<le>-?\d+)\s*(?:\\leq?|\\leqslant)|(?P<lt>-?\d+)\s*<)\s*[A-Za-z]\w*\s*")


def _every_size_meets(latex: str) -> bool:
    """Whether a bound on one size holds of every size (sizes are at least 1): no need to read it."""
    found = _EVERY_SIZE.fullmatch(latex)
    if found is None:
        return False
    ge, gt = found.group("ge") or found.group("le"), found.group("gt") or found.group("lt")
    return int(ge) <= 1 if ge is not None else int(gt) <= 0


def _why_unread(bound: Bound) -> str:
    """What deriv reads, for the error on a bound it does not."""
    if re.search(r"\\in(?![A-Za-z])", bound.latex):
        return "of a set, deriv reads \\mathbb{R}, \\mathbb{R}^{n}, \\mathbb{R}^{n \\times m} and their _{>0} only"
    if definiteness(bound.latex):
        return "a definiteness is read only when stated as an assumption about declared matrices, as in 'We assume $S \\succeq 0$' or 'We assume $S \\succ T$'"
    if bound.written:
        return "a comparison is read only when stated as an assumption about declared scalars alone, as in 'We assume $a < b$'"
    return "of a comparison with a number, only '> 0' declares, as positive"


#: A positivity read, but not stated as a declaration (:mod:`deriv.read.prose_positivity`).
_UNSTATED = ("the positivity of {name} is not stated as a declaration or an assumption ('Let $x > 0$', 'Assume $x > 0$', "
             "'Let $y \\in \\mathbb{{R}}^n$ and $x > 0$'): it may be a claim or a case, so {name} is not made positive; "
             "state it so, or declare {name} positive in the front matter")


def _declared_base(name: str) -> str:
    """``x`` for ``x_i`` (an entry of a declared ``x``), else ``name``."""
    split = split_scripted(name)
    return name if split is None else _bare(split[0]) if _bare(split[0]) != split[0] else split[0]


def _what(declaration: Declaration) -> str:
    sizes = " x ".join(declaration.sizes)
    return " ".join(w for w in ("positive" if declaration.positive else "", str(declaration.kind), sizes) if w)


def _spaceless(latex: str) -> str:
    return re.sub(r"\s+|\\[,;:! ]", "", latex)


def _bare(base: str) -> str:
    return base.removeprefix("\\")


def _defined_names(latex: str) -> tuple[str, ...]:
    """The names a ``definitions:`` entry may give a value (read as prose would)."""
    try:
        reading = read_math(latex)
    except Unreadable:
        return ()
    return reading.names if isinstance(reading, Defining) else ()


def letter(name: str) -> str:
    """The token that spells a name's base: ``x`` for ``\\hat{x}``, ``\\lambda`` for ``lambda``."""
    split = split_scripted(name)
    core = (split[0] if split else name).rstrip("'")
    inner = re.search(r"\{\\?([A-Za-z]+)\}", core)
    core = inner.group(1) if inner else core
    return core if len(core) == 1 else "\\" + core.removeprefix("\\")


__all__ = ["Found", "ProseReader", "ProseValue", "expand", "inline_span", "letter", "with_prose"]
