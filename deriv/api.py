"""Library entry points beyond checking files.

* :func:`decide` -- one equality of two SymPy index expressions under
  declared shapes, no LaTeX involved;
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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import sympy
from sympy import Expr

from deriv.budget import StepTimeout, time_budget
from deriv.diagnose.matrix_form import MatrixForm
from deriv.diagnose.matrix_form import matrix_form as _matrix_form
from deriv.engine.decide import Decision, decide_equal
from deriv.ir import free_indices
from deriv.meaning.adopt import Adopter, context_from_symbols
from deriv.results import FileResult, RunResult, StepResult, Verdict


def decide(
    lhs: Expr, rhs: Expr, symbols: Mapping[str, str], *, seed: int = 0, timeout: float | None = 10.0
) -> Decision:
    """Decide ``lhs = rhs`` for SymPy index expressions under declared shapes.

    ``symbols`` uses the front matter's kinds: ``{"X": "matrix S x M"}``.
    Entries are ``IndexedBase(name)[i, j]``; sums run from 0 to ``N - 1``.
    Past ``timeout`` seconds (enforced in the main thread) the answer is
    ``timeout``.
    """
    try:
        with time_budget(timeout):
            return _decide(lhs, rhs, symbols, seed)
    except StepTimeout:
        return Decision(Verdict.TIMEOUT, "none", f"the budget of {timeout:g} s ran out")


def _decide(lhs: Expr, rhs: Expr, symbols: Mapping[str, str], seed: int) -> Decision:
    context = context_from_symbols(symbols)
    adopter = Adopter(context)
    left, right = adopter.adopt(sympy.sympify(lhs)), adopter.adopt(sympy.sympify(rhs))
    ranges = adopter.uses.resolve({})
    free = free_indices(left) | free_indices(right)
    return decide_equal(left, right, context, {s: ranges[s.name] for s in free}, seed=seed)


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
Member = str | sympy.Basic


def _latex(member: Member) -> str:
    if isinstance(member, str):
        return member
    from deriv.meaning.printing import to_deriv_latex

    if isinstance(member, sympy.Eq):  # a definition or assumption given as Eq(lhs, rhs)
        return f"{to_deriv_latex(member.lhs)} = {to_deriv_latex(member.rhs)}"
    return to_deriv_latex(member)


@dataclass
class Derivation:
    r"""A derivation built in Python, checked exactly as the equivalent document would be.

    ``symbols`` uses the front matter's kinds; ``definitions`` and
    ``assumptions`` are equations (LaTeX, or ``sympy.Eq``).  A chain is
    started with :meth:`chain` and continued member by member with
    :meth:`then`; a member is LaTeX or a SymPy index expression (``Indexed``,
    ``Sum`` from 0, ``KroneckerDelta``, ``MatrixSymbol`` entries).

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
    _checked: dict[tuple[str, int, float], FileResult] = field(default_factory=dict, repr=False, compare=False)

    def chain(self, *members: Member, because: str | None = None, label: str | None = None,
              expect_fail: bool = False) -> None:
        """Start a chain ``members[0] = members[1] = ...`` (one member is fine: continue with :meth:`then`)."""
        if not members:
            raise ValueError("chain() needs at least one member")
        self._display(" = ".join(_latex(m) for m in members), because, label, expect_fail)

    def then(self, member: Member, *, because: str | None = None, label: str | None = None,
             expect_fail: bool = False) -> None:
        """Continue the last chain with ``= member``; ``because`` is the step's justification."""
        if not self._displays:
            raise ValueError("then() continues a chain: start one with chain() first")
        self._display("= " + _latex(member), because, label, expect_fail)

    def _display(self, math: str, because: str | None, label: str | None, expect_fail: bool) -> None:
        if because:
            math += rf" \quad \text{{{because}}}"
        if label:
            math += rf" \tag{{{label}}}"
        directive = "<!-- deriv: expect-fail -->\n" if expect_fail else ""
        self._displays.append(f"{directive}$$ {math} $$")

    def to_markdown(self) -> str:
        """The equivalent Markdown document."""
        lines = ["---", *([f"title: {_yaml_quote(self.title)}"] if self.title else []), "symbols:"]
        lines += [f"  {name}: {kind}" for name, kind in self.symbols.items()]
        for key, equations in (("definitions", self.definitions), ("assumptions", self.assumptions)):
            if equations:
                lines.append(f"{key}:")
                lines += [f"  - {_yaml_quote(_latex(e))}" for e in equations]
        lines.append("---")
        lines += ["", *(d + "\n" for d in self._displays)]
        return "\n".join(lines)

    def check(self, *, seed: int = 0, timeout: float = 10.0) -> FileResult:
        """Check it: the same frozen result the CLI renders for a document."""
        from deriv.check.checker import check_text
        from deriv.check.options import CheckOptions

        key = (self.to_markdown(), seed, timeout)
        if key not in self._checked:
            self._checked[key] = check_text(key[0], f"<{self.title or 'derivation'}>",
                                            CheckOptions(seed=seed, timeout=timeout))
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


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


