"""Library entry points beyond checking files.

* :func:`decide` -- one equality of two SymPy index expressions under
  declared shapes, no LaTeX involved (a string is a :class:`TypeError`:
  nothing here ever evaluates text as Python);
* :class:`Derivation` -- a derivation assembled in Python from LaTeX
  strings or SymPy expressions, checked exactly as a document would be;
* :func:`assert_holds` -- one equality, for ordinary tests: the failure
  message is the report ``deriv check`` prints.

>>> from sympy import IndexedBase, Sum, KroneckerDelta, symbols
>>> A = IndexedBase("A"); i, j, k = symbols("i j k"); N = symbols("N")
>>> decide(Sum(KroneckerDelta(i, k) * A[k, j], (k, 0, N - 1)), A[i, j], {"A": "matrix N x N"}).verdict.value
'proved'
>>> decide(Sum(KroneckerDelta(i, k) * A[j, k], (k, 0, N - 1)), A[i, j], {"A": "matrix N x N"}).verdict.value
'refuted'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TypeAlias

import sympy
from sympy import Expr

from deriv.budget import StepTimeout, budget_seconds, seed_number, time_budget
from deriv.context import Context
from deriv.diagnose.matrix_form import MatrixForm
from deriv.diagnose.matrix_form import matrix_form as _matrix_form
from deriv.engine.decide import Decision
from deriv.engine.instance_cells import narrowed
from deriv.engine.piecewise_points import decide_equality
from deriv.engine.domain_gaps import domains_of
from deriv.errors import DerivError, MeaningError
from deriv.ir import free_indices
from deriv.meaning.adopt import Adopter, context_from_symbols
from deriv.meaning.caller_symbols import check_caller_symbols, check_printed_indices, check_printed_names
from deriv.meaning.domains import member_conditions
from deriv.read.macros import DEFINERS
from deriv.results import FileResult, RunResult, StepResult, Verdict


#: What :func:`decide` takes for a side: a SymPy expression or an exact number.
Operand: TypeAlias = Expr | int | Fraction


def decide(
    lhs: Operand, rhs: Operand, symbols: Mapping[str, str], *, seed: int = 0, timeout: float | None = 10.0
) -> Decision:
    """Decide ``lhs = rhs`` for SymPy index expressions under declared shapes.

    Each side is a SymPy expression (``sympy.Expr``) or an exact number
    (``int``, ``fractions.Fraction``); anything else -- a string above all,
    which SymPy would run as Python, or a float -- is a :class:`TypeError`.
    LaTeX goes through :func:`assert_holds` or :class:`Derivation`, read by
    deriv's own parser.  ``symbols`` uses the front matter's kinds:
    ``{"X": "matrix S x M"}``.  Entries are ``IndexedBase(name)[i, j]``;
    sums run from 0 to ``N - 1``.  Past ``timeout`` seconds (enforced in
    the main thread) the answer is ``timeout``.
    """
    lhs, rhs = _operand(lhs, "lhs"), _operand(rhs, "rhs")
    _check_symbols(symbols)
    seed = seed_number(seed)
    timeout = budget_seconds(timeout)
    try:
        with time_budget(timeout), _ENGINE:  # waiting for another thread's decision counts against the budget
            return _decide(lhs, rhs, symbols, seed)
    except StepTimeout:
        return Decision(Verdict.TIMEOUT, "none", f"the budget of {timeout:g} s ran out")
    except DerivError:
        raise  # the caller's mistake, named (an unknown name, shapes that disagree)
    except RecursionError:
        return Decision(Verdict.ERROR, "none", "expression nested too deeply to decide")
    except Exception as error:  # noqa: BLE001 - as a document's step: an error verdict, never a traceback
        return Decision(Verdict.ERROR, "none", f"internal error while deciding: {type(error).__name__}: {error}")


#: One decision at a time in this process: python-flint's working precision is one setting for the
#: whole process (:func:`deriv.engine.certified.precision`), which a second thread would change
#: under the first.
_ENGINE = threading.RLock()


def _operand(value: object, side: str) -> Expr:
    """A side of :func:`decide` as a SymPy expression, never by evaluating text."""
    if isinstance(value, sympy.Expr) and not value.has(sympy.Float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    hint = (": a string is never evaluated; for LaTeX use deriv.assert_holds or deriv.Derivation"
            if isinstance(value, str) else
            ": it holds a Float (write numbers exactly: sympy.Rational)" if isinstance(value, sympy.Expr) else "")
    raise TypeError(f"decide() takes a SymPy expression or an exact number (int, Fraction) as {side}, "
                    f"not {type(value).__name__}{hint}")


def _check_symbols(symbols: Mapping[str, str]) -> None:
    """Names and kinds are one-line strings (they are read as the front matter's lines are)."""
    if not isinstance(symbols, Mapping):
        raise TypeError(f"symbols is a mapping of names to kinds, not {type(symbols).__name__}")
    for name, kind in symbols.items():
        _one_line(name, "a symbol's name")
        _one_line(kind, f"the kind of {name}")


def _decide(lhs: Expr, rhs: Expr, symbols: Mapping[str, str], seed: int) -> Decision:
    context = context_from_symbols(symbols)
    check_caller_symbols(lhs, context)
    check_caller_symbols(rhs, context)
    adopter = Adopter(context)
    (left, left_conditions), (right, right_conditions) = _adopted(adopter, lhs), _adopted(adopter, rhs)
    ranges = adopter.uses.resolve({})
    free = free_indices(left) | free_indices(right)
    unranged = sorted(s.name for s in free if s.name not in ranges)
    if unranged:  # only in a KroneckerDelta, say: nothing says which values it takes
        raise MeaningError(f"index {unranged[0]} has no range: use it in an entry of a declared array")
    step_ranges = {s: ranges[s.name] for s in free}
    # Where each side is defined, as written (docs/deciding.md, Domains): sides defined on different sets are not equal.
    conditions = (member_conditions(left_conditions, left, adopter.sum_limits),
                  member_conditions(right_conditions, right, adopter.sum_limits))
    # An array too large to draw that the sides never write is left out, as the checker does (docs/safety.md).
    context = narrowed(context, (left, right, *(c.expr for side in conditions for c in side))) or context
    domains = domains_of(conditions, context, step_ranges)
    return decide_equality(left, right, context, step_ranges, seed=seed, domains=domains)


def _adopted(adopter: Adopter, expr: Expr) -> tuple[Expr, set]:
    """``expr`` in deriv's conventions, and the conditions recorded while adopting it."""
    adopter.conditions = set()
    return adopter.adopt(expr), adopter.conditions


def matrix_form(latex: str, indices: str | Sequence[str], symbols: Mapping[str, str], *, seed: int = 0) -> MatrixForm | None:
    """The verified matrix form of an index expression, or ``None``.

    ``indices`` names the entry (``"m,n"`` or ``["m", "n"]``; one index for a
    vector, none for a scalar); ``symbols`` uses the front matter's kinds.
    The form's ``verdict`` is ``proved`` or ``tested``; nothing else is returned.

    >>> matrix_form(r"\\sum_i X_{i,n} G_{i,m}", "m,n", {"X": "matrix S x M", "G": "matrix S x N"}).latex
    'G^T X'
    """
    names = [n.strip() for n in indices.split(",") if n.strip()] if isinstance(indices, str) else list(indices)
    return _matrix_form(latex, names, context_from_symbols(symbols), seed=seed)


#: A chain member: LaTeX as a document writes it, or a SymPy index expression.
Member: TypeAlias = str | sympy.Basic
#: A display as built: its steps' (lhs, rhs) -- ``None`` for one written whole, an lhs ``None``
#: where it continues one -- then its justification and label.
_Built = tuple[list[tuple[str | None, str]] | None, str | None, str | None]

#: Line breaks as Python's ``str.splitlines`` knows them: a member is one line of a display.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
#: What would end the display, open another, hide the rest or change the step around a member:
#: ``$``, ``\[ \] \( \)``, an HTML comment (deriv's directives), a LaTeX comment ``%``, a tag
#: or label (``label=`` says it), a macro definition (it would change later displays).
_SPLICE = re.compile(r"\$|(?<!\\)(?:\\\\)*\\[][()]|<!--|-->|(?<!\\)(?:\\\\)*%"
                     r"|\\(?:tag|label|notag|nonumber)(?![A-Za-z])")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^{}]*)\}")
#: Environments a member may hold: arrays inside one expression, never a display or rows of one.
MEMBER_ENVIRONMENTS = frozenset({"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix",
                                 "smallmatrix", "array", "cases"})


def _one_line(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{what} is a string, not {type(text).__name__}")
    if _LINE_BREAK.search(text):
        raise ValueError(f"{what} must be one line: {text!r}")
    return text


def _check_text(text: object, what: str) -> str:
    """``text`` as it goes into a display, or a ValueError saying what in it would splice."""
    text = _one_line(text, what)
    if found := _SPLICE.search(text):
        shown = re.sub(r"^(?:\\\\)+", "", found.group())  # the backslash pairs before it are not it
        raise ValueError(f"{what} may not contain {shown!r}, which would change "
                         f"the display it is written into: {text!r}")
    for environment in _ENVIRONMENT.findall(text):
        if environment.strip() not in MEMBER_ENVIRONMENTS:
            raise ValueError(f"{what} may not open or close the environment {environment!r} (a display "
                             f"or rows of one): {text!r}")
    if DEFINERS.search(text):
        raise ValueError(f"{what} may not define a macro: {text!r}")
    depth = 0
    for brace in re.findall(r"\\.|[{}]", text):
        depth += {"{": 1, "}": -1}.get(brace, 0)
        if depth < 0:
            break
    if depth != 0:
        raise ValueError(f"{what} must have balanced braces: {text!r}")
    return text


def _latex(member: Member, symbols: Mapping[str, str]) -> str:
    if isinstance(member, str):
        return _check_text(member, "a member").strip()
    if isinstance(member, int) and not isinstance(member, bool):
        member = sympy.Integer(member)
    if not isinstance(member, sympy.Basic):
        raise TypeError(f"a member is LaTeX (str) or a SymPy expression, not {type(member).__name__}")
    from deriv.meaning.printing import to_deriv_latex

    if isinstance(member, sympy.Eq):  # a definition or assumption given as Eq(lhs, rhs)
        text = f"{to_deriv_latex(member.lhs)} = {to_deriv_latex(member.rhs)}"
    else:
        text = to_deriv_latex(member)
    text = _check_text(text, "a member (as printed from SymPy)")  # a Symbol's name is any string
    _check_printed(member, symbols)
    return text


def _check_printed(member: sympy.Basic, symbols: Mapping[str, str]) -> None:
    """The member's printed text means what the SymPy expression means (docs/library.md)."""
    context = _context_or_none(symbols)
    check_caller_symbols(member, context)  # printed as SymPy simplified it with them
    check_printed_indices(member, {s.name for s in context.sizes})
    check_printed_names(member, set(symbols))


def _context_or_none(symbols: Mapping[str, str]) -> Context:
    """The declarations as :func:`decide` reads them; none when they are not all its kinds (the
    document reports those): then every symbol is held to an index's facts, the fewest."""
    try:
        return context_from_symbols(symbols)
    except (DerivError, TypeError, AttributeError, ValueError):
        return Context()


@dataclass
class Derivation:
    r"""A derivation built in Python, checked exactly as the equivalent document would be.

    ``symbols`` uses the front matter's kinds; ``definitions`` and
    ``assumptions`` are equations (LaTeX, or ``sympy.Eq``).  A chain is
    started with :meth:`chain` and continued member by member with
    :meth:`then`; a member is LaTeX or a SymPy index expression (``Indexed``,
    ``Sum`` from 0, ``KroneckerDelta``, ``MatrixSymbol`` entries).

    Every piece is written into the document as one line of a display (or
    of the front matter, quoted), so a piece that would change the display
    around it is refused with a :class:`ValueError` when it is given: ``$``,
    ``\[ \] \( \)``, ``\begin``/``\end`` of anything but an array or
    ``cases``, ``<!--``/``-->`` (directives), ``%``, ``\tag``, a macro
    definition, unbalanced braces, a line break.  And the checked document
    is read back: each step must be the two members it was built from, with
    the justification and label given, or :meth:`check` raises
    :class:`ValueError` -- what is checked is what was built.

    >>> d = Derivation({"X": "matrix S x M", "W": "matrix N x M"})
    >>> d.chain(r"\left[X W^T\right]_{i,j}", r"\sum_k X_{i,k} W^T_{k,j}")
    >>> d.then(r"\sum_k X_{i,k} W_{j,k}", because="transpose", label="2")
    >>> [s.verdict.value for s in d.check().steps]
    ['proved', 'proved']
    """

    symbols: Mapping[str, str]
    definitions: Sequence[Member] = ()
    assumptions: Sequence[Member] = ()
    title: str | None = "derivation"
    _displays: list[str] = field(default_factory=list, repr=False)
    #: Per display, its steps as built, then the justification and label (see :func:`_read_back`).
    _built: list[_Built] = field(default_factory=list, repr=False)
    _last: str | None = field(default=None, repr=False)  # the member a then() continues, when known
    _checked: dict[tuple[str, int, float], FileResult] = field(default_factory=dict, repr=False, compare=False)

    def chain(self, *members: Member, because: str | None = None, label: str | None = None,
              expect_fail: bool = False) -> None:
        """Start a chain ``members[0] = members[1] = ...`` (one member is fine: continue with :meth:`then`)."""
        if not members:
            raise ValueError("chain() needs at least one member")
        texts = [_latex(m, self.symbols) for m in members]
        if len(texts) == 1:  # a whole display, relations and all: its steps are the reader's to find
            self._display(texts[0], None, because, label, expect_fail)
            self._last = None
            return
        pairs: list[tuple[str | None, str]] = list(zip(texts, texts[1:]))
        self._display(" = ".join(texts), pairs, because, label, expect_fail)
        self._last = texts[-1]

    def then(self, member: Member, *, because: str | None = None, label: str | None = None,
             expect_fail: bool = False) -> None:
        """Continue the last chain with ``= member``; ``because`` is the step's justification."""
        if not self._displays:
            raise ValueError("then() continues a chain: start one with chain() first")
        text = _latex(member, self.symbols)
        self._display("= " + text, [(self._last, text)], because, label, expect_fail)
        self._last = text

    def _display(self, math: str, pairs: list[tuple[str | None, str]] | None, because: str | None,
                 label: str | None, expect_fail: bool) -> None:
        if because is not None:
            because = _check_text(because, "because").strip()
            math += rf" \quad \text{{{because}}}" if because else ""
        if label is not None:
            label = _check_text(label, "label").strip()
            math += rf" \tag{{{label}}}" if label else ""
        directive = "<!-- deriv: expect-fail -->\n" if expect_fail else ""
        self._displays.append(f"{directive}$$ {math} $$")
        self._built.append((pairs, because or None, label or None))

    def to_markdown(self) -> str:
        """The equivalent Markdown document."""
        _check_symbols(self.symbols)
        title = [f"title: {_yaml_quote(_one_line(self.title, 'the title'))}"] if self.title else []
        lines = ["---", *title, "symbols:"]
        lines += [f"  {_yaml_quote(name)}: {_yaml_quote(kind)}" for name, kind in self.symbols.items()]
        for key, equations in (("definitions", self.definitions), ("assumptions", self.assumptions)):
            if equations:
                lines.append(f"{key}:")
                lines += [f"  - {_yaml_quote(_latex(e, self.symbols))}" for e in equations]
        lines.append("---")
        lines += ["", *(d + "\n" for d in self._displays)]
        return "\n".join(lines)

    def check(self, *, seed: int = 0, timeout: float = 10.0) -> FileResult:
        """Check it: the same frozen result the CLI renders for a document."""
        from deriv.check.checker import check_text
        from deriv.check.options import CheckOptions

        key = (self.to_markdown(), seed, timeout)
        if key not in self._checked:
            result = check_text(key[0], f"<{self.title or 'derivation'}>", CheckOptions(seed=seed, timeout=timeout))
            if result.error is None:
                _read_back(key[0], result.steps, self._built)
            self._checked[key] = result
        return self._checked[key]

    def _repr_html_(self) -> str:
        """In a notebook: the derivation checked and drawn as the HTML report draws it."""
        from deriv.render.html import render_fragment

        return render_fragment(self.check(), self.to_markdown())


def assert_holds(lhs: Member, rhs: Member, symbols: Mapping[str, str], *, definitions: Sequence[Member] = (),
                 assumptions: Sequence[Member] = (), seed: int = 0, timeout: float = 10.0,
                 strict: bool = False) -> StepResult:
    r"""Assert ``lhs = rhs`` holds (proved, or tested unless ``strict``); the step's result.

    A failure raises :class:`AssertionError` whose message is the report
    ``deriv check`` prints for the step, counterexample included.

    >>> assert_holds(r"\sum_k \delta_{i,k} A_{j,k}", "A_{i,j}", {"A": "matrix N x N"})
    Traceback (most recent call last):
    ...
    AssertionError: <assert_holds>
      refuted  -  line 6  the two sides differ
          step: \sum_k \delta_{i,k} A_{j,k}  =  A_{i,j}
          counterexample: with N=2 at i=1, j=2: left side = ..., right side = ... (seed 0, trial 0...
          reproduce: assert_holds(..., seed=0)
    <BLANKLINE>
    1 refuted (1 step, 1 file)
    """
    from deriv.render.text import DETAIL, passing_verdicts, render_run

    derivation = Derivation(symbols, definitions, assumptions, title=None)
    derivation.chain(lhs, rhs)
    result = derivation.check(seed=seed, timeout=timeout)
    steps = result.steps
    if result.error is None and len(steps) == 1 and steps[0].verdict in passing_verdicts(strict) - {Verdict.SKIPPED}:
        return steps[0]
    result = replace(result, path="<assert_holds>")
    # There is no file to rerun: the reproduce line says how to rerun this call instead.
    rerun = f"{DETAIL}reproduce: deriv check "
    lines = [line if not line.startswith(rerun) else f"{DETAIL}reproduce: assert_holds(..., seed={line.rsplit(' ', 1)[1]})"
             for line in render_run(RunResult((result,)), strict=strict, seed=seed)]
    raise AssertionError("\n".join(lines))


def _read_back(markdown: str, steps: Sequence[StepResult], built: list[_Built]) -> None:
    """A ValueError unless ``steps`` are exactly the steps built: display by display (each is one
    line starting ``$$``), the same members in order, the justification and label given.  A
    display written whole (one member) may have any steps, and the member after it any left side."""
    lines = [n for n, line in enumerate(markdown.split("\n"), 1) if line.startswith("$$ ")]
    if any(step.line not in lines for step in steps):
        raise ValueError("the derivation reads with a step outside its displays: a member changes the document")
    for line, (pairs, because, label) in zip(lines, built, strict=True):
        read = [s for s in steps if s.line == line]
        if pairs is not None and len(read) != len(pairs):
            raise ValueError(f"a display built as {_steps(len(pairs))} reads as {_steps(len(read))}: "
                             "a member holds a relation or changes the display around it")
        for step, (lhs, rhs) in zip(read, pairs or [(s.lhs, s.rhs) for s in read]):
            got = (step.lhs if lhs is not None else None, step.rhs, step.justification, step.label)
            if step.relation != "=" and pairs is not None or got != (lhs, rhs, because, label):
                raise ValueError(f"a step built as {lhs} = {rhs} (justification {because!r}, label {label!r}) "
                                 f"reads as {step.lhs} {step.relation} {step.rhs} (justification "
                                 f"{step.justification!r}, label {step.label!r})")


def _steps(count: int) -> str:
    return f"{count} step{'s' * (count != 1)}"


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


