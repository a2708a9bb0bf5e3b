"""Assumptions -> :class:`~deriv.context.Constraint` (index form).

``H x = \\lambda x`` becomes ``[H x - \\lambda x]_r = 0`` for every ``r``;
``\\lambda > 0`` becomes ``\\lambda > 0``; a quantified premise
``x^T H x > 0 \\quad \\forall x \\neq 0`` keeps the quadratic form and names
the vector it is quantified over; ``H \\succ 0`` is the entry of ``H`` with
relation ``pd``.  Nothing here is evaluated: the engine uses the
constraints (:mod:`deriv.engine.assumptions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sympy import Expr, Symbol

from deriv.context import Constraint, Context
from deriv.errors import MeaningError
from deriv.ir import index, text
from deriv.latex.lexicon import PLAIN, Lexicon
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.definite_assumptions import definite_constraint
from deriv.meaning.domains import member_conditions
from deriv.meaning.zeros import bare_zero, written_zero, zero_like

RELATIONS = ("=", ">", ">=", "<", "<=", "!=")
# Two anchors instead of ``\\forall\s*(.*?)\s*\\neq``: a lazy group between runs of spaces
# backtracks quadratically on a long run (a denial of service by a small file).
_FORALL = re.compile(r"\\q?quad\s*\\forall")
_NONZERO = re.compile(r"(?:\\neq|\\ne)\s*(?:\\mathbf\{0\}|\\boldsymbol\{0\}|0)\s*\Z")
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathrm|mathit|vec)\s*\{\s*([A-Za-z]|\\[a-z]+)\s*\}")


def plain_name(latex: str) -> str:
    """``\\mathbf{x}`` -> ``x`` (a quantified name, written alone)."""
    text = _FONT.sub(r"\1", latex).strip().strip("{}").strip()
    return text.lstrip("\\")


def split_quantifier(latex: str) -> tuple[str, str | None]:
    """``(claim, vector)`` for ``claim \\quad \\forall x \\neq 0``; vector None otherwise."""
    found = _FORALL.search(latex)
    nonzero = _NONZERO.search(latex, found.end()) if found is not None else None
    if found is None or nonzero is None:
        return latex, None
    return latex[: found.start()], plain_name(latex[found.end() : nonzero.start()].strip())


def build_constraint(latex: str, context: Context, line: int | None = None, lexicon: Lexicon = PLAIN) -> Constraint:
    """One assumption in index form; raises :class:`MeaningError` when it is not one."""
    definite = definite_constraint(latex, context, line, lexicon)  # H \succ 0, S \succeq T
    if definite is not None:
        return definite
    body, over = split_quantifier(latex)
    if over is not None and over not in context.declared:
        raise MeaningError(f"the premise is quantified over {over}, which is not declared")
    chain, _ = parse_display(body, lexicon.naming((*context.declared, *context.definitions)))
    if chain.leading or len(chain.relations) != 1:
        raise MeaningError("an assumption is one relation, such as H x = \\lambda x or \\lambda > 0")
    relation = chain.relations[0]
    if relation not in RELATIONS:
        raise MeaningError(f"relation {relation} is not supported in an assumption")
    builder = Builder(context)
    lhs, rhs = (builder.build(m) for m in chain.members)
    if relation == "=":  # X^T(Xw - y) = 0: a bare zero side is the zero of the other side's shape
        lhs, rhs = (zero_like(o) if bare_zero(m) else v for m, v, o in zip(chain.members, (lhs, rhs), (rhs, lhs)))
    if relation == "!=" and not lhs.is_scalar:
        zero = (rhs.is_scalar and rhs.expr == 0) or written_zero(chain.members[1])
        if not rhs.is_scalar and rhs.shape != lhs.shape or not (zero or rhs.shape == lhs.shape):
            raise MeaningError(f"the two sides of the assumption have different shapes ({lhs.describe()}, {rhs.describe()})")
        # x \neq y of arrays: they differ somewhere (some entry of x - y is nonzero), not at every entry.
        return _nonzero(latex, lhs if zero else Difference(lhs, rhs), builder, context, line)
    if lhs.shape != rhs.shape:
        raise MeaningError(f"the two sides of the assumption have different shapes ({lhs.describe()}, {rhs.describe()})")
    if lhs.is_scalar:
        expr = lhs.expr - rhs.expr
    else:
        row, col = index("_arow"), index("_acol")
        builder.uses.use(row.name, lhs.rows, "entry of the assumption")
        builder.uses.use(col.name, lhs.cols, "entry of the assumption")
        expr = lhs.entry(row, col) - rhs.entry(row, col)
    known = {n: (r, "front matter") for n, r in context.index_ranges.items()}
    expr, ranges = builder.finish(expr, known)
    free = tuple(sorted((s for s in expr.free_symbols if s.name in ranges), key=text))
    if over is not None and (relation not in (">", ">=") or free):
        raise MeaningError("a quantified premise has the form q > 0 \\quad \\forall x \\neq 0 with a scalar q")
    return Constraint(latex, relation, expr, free, tuple((s, ranges[s.name]) for s in free), line, over,
                      member_conditions(builder.conditions, expr, builder.sum_limits))


@dataclass(frozen=True)
class Difference:
    """``x - y`` of two built arrays of one shape, entry by entry (what :func:`_nonzero` reads of a value)."""

    left: Any
    right: Any

    @property
    def rows(self):
        return self.left.rows

    @property
    def cols(self):
        return self.left.cols

    def entry(self, row, col):
        return self.left.entry(row, col) - self.right.entry(row, col)


def _nonzero(latex: str, value, builder: Builder, context: Context, line: int | None) -> Constraint:
    """``x \\neq 0`` for a vector or matrix: some entry is nonzero (relation ``nonzero``)."""
    row, col = index("_arow"), index("_acol")
    builder.uses.use(row.name, value.rows, "entry of the assumption")
    builder.uses.use(col.name, value.cols, "entry of the assumption")
    known = {n: (r, "front matter") for n, r in context.index_ranges.items()}
    expr, ranges = builder.finish(value.entry(row, col), known)
    free = tuple(sorted((s for s in expr.free_symbols if s.name in ranges), key=text))
    return Constraint(latex, "nonzero", expr, free, tuple((s, ranges[s.name]) for s in free), line)


def symbols_of(constraint: Constraint) -> frozenset[Symbol]:
    return frozenset(s for s, _ in constraint.ranges)


def describe(constraints) -> str:
    return ", ".join(c.latex for c in constraints)


__all__ = ["build_constraint", "split_quantifier", "describe", "Expr"]
