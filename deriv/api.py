"""Library entry points beyond checking files.

* :func:`decide` -- one equality of two SymPy index expressions under
  declared shapes, no LaTeX involved;
* :class:`Derivation` -- a derivation assembled in Python from LaTeX
  strings, checked exactly as a document would be.

>>> from sympy import IndexedBase, Sum, KroneckerDelta, symbols
>>> A = IndexedBase("A"); i, j, k = symbols("i j k"); N = symbols("N")
>>> decide(Sum(KroneckerDelta(i, k) * A[k, j], (k, 0, N - 1)), A[i, j], {"A": "matrix N x N"}).verdict.value
'proved'
>>> decide(Sum(KroneckerDelta(i, k) * A[j, k], (k, 0, N - 1)), A[i, j], {"A": "matrix N x N"}).verdict.value
'refuted'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sympy
from sympy import Expr

from deriv.budget import StepTimeout, time_budget
from deriv.diagnose.matrix_form import MatrixForm
from deriv.diagnose.matrix_form import matrix_form as _matrix_form
from deriv.engine.decide import Decision, decide_equal
from deriv.ir import free_indices
from deriv.meaning.adopt import Adopter, context_from_symbols
from deriv.results import FileResult, Verdict


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


@dataclass
class Derivation:
    """A derivation built in Python from LaTeX strings.

    >>> d = Derivation({"X": "matrix S x M", "W": "matrix N x M"})
    >>> d.chain(r"\\left[X W^T\\right]_{i,j}", r"\\sum_k X_{i,k} W^T_{k,j}", r"\\sum_k X_{i,k} W_{j,k}")
    >>> [s.verdict.value for s in d.check().steps]
    ['proved', 'proved']
    """

    symbols: Mapping[str, str]
    definitions: list[str] = field(default_factory=list)
    title: str = "derivation"
    _displays: list[str] = field(default_factory=list)

    def chain(self, *members: str) -> None:
        """Add a chain ``members[0] = members[1] = ...``."""
        self._displays.append("$$ " + " = ".join(members) + " $$")

    def then(self, member: str) -> None:
        """Continue the last chain with ``= member``."""
        self._displays.append(f"$$ = {member} $$")

    def to_markdown(self) -> str:
        """The equivalent Markdown document."""
        lines = ["---", f"title: {_yaml_quote(self.title)}", "symbols:"]
        lines += [f"  {name}: {kind}" for name, kind in self.symbols.items()]
        if self.definitions:
            lines.append("definitions:")
            lines += [f"  - {_yaml_quote(d)}" for d in self.definitions]
        lines.append("---")
        lines += ["", *(d + "\n" for d in self._displays)]
        return "\n".join(lines)

    def check(self, *, seed: int = 0, timeout: float = 10.0) -> FileResult:
        from deriv.check.checker import check_text
        from deriv.check.options import CheckOptions

        return check_text(self.to_markdown(), f"<{self.title}>", CheckOptions(seed=seed, timeout=timeout))


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


