"""Prove ``M \\succeq 0`` / ``M \\succ 0`` for every size when ``M`` is a sum of Gram forms.

The entry ``M_{r,c}`` (definitions expanded) is split into terms, each a
product under sums (a sum of a sum is distributed; ``\\delta_{i,j}`` with a
summed ``j`` of the same range is eliminated).  A term is recognised as

* ``\\sum_k w_k A_{k,r} A_{k,c}`` (``A^T W A``, also ``A_{r,k} A_{c,k}``):
  ``z^T (\\cdot) z = \\sum_k w_k (A z)_k^2 >= 0`` when every ``w_k >= 0``;
* ``\\sum_{k,l} w A_{k,r} P_{k,l} A_{l,c}`` with a fact ``P \\succeq 0``
  (``\\succ``) and ``w >= 0`` free of ``k, l``: ``w (Av)^T P (Av) >= 0``;
* ``w x_r x_c`` (``x x^T``): ``w (x^T v)^2``;
* ``w \\delta_{r,c}``: ``w \\|v\\|^2``, ``> 0`` for ``v \\neq 0`` when ``w > 0``;
* ``w P_{r,c}`` with a fact ``P \\succ 0`` (``\\succeq``) and ``w > 0`` (``>= 0``).

Weights' signs come from :mod:`deriv.engine.signs`.  Every term positive
semi-definite makes ``M`` so; one of them definite makes ``M`` definite.
Anything else is not shown (the tester still decides).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Expr, Indexed, KroneckerDelta, Sum, Symbol

from deriv.context import Constraint, Context, names_in
from deriv.engine.differentiate import expand_definitions
from deriv.engine.signs import prove
from deriv.ir import base_name, index
from deriv.meaning.printing import to_deriv_latex


@dataclass(frozen=True)
class Term:
    """``coefficient * prod(factors)`` summed over ``limits`` (``(index, lower, upper)``)."""

    factors: tuple[Expr, ...]
    limits: tuple[tuple[Symbol, Expr, Expr], ...]


def gram_proof(constraint: Constraint, context: Context, facts: list[Constraint]) -> list[str] | None:
    """What shows the ``pd``/``psd`` statement (``M \\succ 0``, or ``q > 0 \\quad \\forall x \\neq 0``) for every size, or None."""
    try:
        # Deltas go only once a term is whole: an outer factor may still use the index they drop.
        terms = [_eliminate(t) for t in _terms(expand_definitions(constraint.expr, context), ())]
    except _NotFlat:
        return None
    strict = constraint.relation in ("pd", ">")
    if constraint.over is None:
        row, col = constraint.free
        probe, said = "z", "z^T M z"
    else:  # facts about the document's x say nothing about every x
        probe, said, (row, col) = constraint.over, "the left side", (index("_grow"), index("_gcol"))
        facts = [f for f in facts if f.over == probe or probe not in names_in(expand_definitions(f.expr, context))]
    definite = {base_name(f.expr): f for f in facts if f.relation in ("pd", "psd") and isinstance(f.expr, Indexed)}
    shown: list[tuple[str, bool, tuple[str, ...]]] = []
    for term in terms:
        found = _term(term, row, col, context, facts, definite) if constraint.over is None else _form_term(
            term, constraint.over, row, col, context, facts, definite)
        if found is None:
            return None
        shown.append(found)
    if not shown or (strict and not any(s for _, s, _ in shown)):
        return None
    used = dict.fromkeys(u for _, _, us in shown for u in us)
    text = " + ".join(t for t, _, _ in shown).replace("@", probe)
    return [f"{said} = {text} for every {probe}{' != 0' if strict else ''} (a sum of Gram forms"
            f"{', one definite' if strict else ''})", *used]


def _form_term(term: Term, over: str, row, col, context, facts, definite) -> tuple[str, bool, tuple[str, ...]] | None:
    """A term of a quadratic form in ``x``: ``x_a (\\cdot) x_b`` read as a matrix term, or ``w (\\cdot)^2``."""
    xs = [f for f in term.factors if over in names_in(f)]
    rest = [f for f in term.factors if f not in xs]
    summed = _whole_ranges(term, context.declared[over].shape[0])
    if len(xs) == 1 and isinstance(xs[0], sympy.Pow) and xs[0].exp.is_Integer and xs[0].exp % 2 == 0 and xs[0].exp > 0:
        base = xs[0].base
        if isinstance(base, Indexed) and base_name(base) == over and xs[0].exp == 2 and base.indices[0] in summed:
            a = base.indices[0]  # x_a^2: the identity's entry
            factors = tuple(f.xreplace({a: row}) for f in rest) + (KroneckerDelta(row, col),)
            return _term(Term(factors, tuple(lim for lim in term.limits if lim[0] != a)), row, col, context, facts, definite)
        ranges = {var: upper + 1 for var, _, upper in term.limits}
        weight = sympy.Mul(*rest)
        found = prove(weight, ">=", context, facts, ranges)
        if found is None:
            return None
        written = to_deriv_latex(Sum(sympy.Mul(*term.factors), *term.limits) if term.limits else sympy.Mul(*term.factors))
        return written if weight == 1 else f"({written})", False, found.used
    if len(xs) != 2 or not all(isinstance(f, Indexed) and base_name(f) == over for f in xs):
        return None
    (a,), (b,) = xs[0].indices, xs[1].indices
    if a == b or a not in summed or b not in summed:
        return None
    factors = tuple(f.xreplace({a: row, b: col}) for f in rest)
    return _term(Term(factors, tuple(lim for lim in term.limits if lim[0] not in (a, b))), row, col, context, facts, definite)


def _whole_ranges(term: Term, length: Expr) -> set[Symbol]:
    """The summed indices that run over every entry of a vector of ``length``: only they read
    ``x`` whole (``\\sum_{a=1}^{N-1} x_a^2`` is not ``\\|x\\|^2``: 0 at ``x = e_N``)."""
    return {var for var, lower, upper in term.limits if lower == 0 and sympy.simplify(upper + 1 - length) == 0}


class _NotFlat(Exception):
    pass


def _terms(expr: Expr, limits: tuple) -> list[Term]:
    """``expr`` as products under sums (distributing sums over additions)."""
    expr = sympy.expand(expr, deep=False, power_base=False, power_exp=False, log=False, multinomial=False)
    out: list[Term] = []
    for part in sympy.Add.make_args(expr):
        out.extend(_product(part, limits))
    return out


def _product(part: Expr, limits: tuple) -> list[Term]:
    if isinstance(part, Sum):
        bound = {var for var, _, _ in limits}
        if any(lower != 0 or var in bound for var, lower, _ in part.limits):
            raise _NotFlat  # a shadowed summation variable would be captured
        return _terms(part.function, limits + tuple(part.limits))
    factors = sympy.Mul.make_args(part)
    sums = [f for f in factors if isinstance(f, Sum)]
    if not sums:
        return [Term(factors, limits)]
    first = sums[0]
    rest = sympy.Mul(*(f for f in factors if f is not first))
    return [Term(sympy.Mul.make_args(rest * sympy.Mul(*t.factors)), t.limits) for t in _product(first, limits)]


def _eliminate(term: Term) -> Term:
    """Drop ``\\delta_{i,j}`` with ``j`` summed over ``i``'s range: ``j`` becomes ``i``."""
    bounds = {var: upper for var, _, upper in term.limits}
    for factor in term.factors:
        if isinstance(factor, KroneckerDelta):
            i, j = factor.args
            for keep, gone in ((i, j), (j, i)):
                if gone in bounds and (keep not in bounds or sympy.simplify(bounds[keep] - bounds[gone]) == 0) and keep in bounds:
                    rest = sympy.Mul.make_args(sympy.Mul(*(f.xreplace({gone: keep}) for f in term.factors if f is not factor)))
                    return _eliminate(Term(rest, tuple(lim for lim in term.limits if lim[0] != gone)))
    return term


def _term(term: Term, row, col, context, facts, definite) -> tuple[str, bool, tuple[str, ...]] | None:
    """``(how v^T term v reads, definite?, facts used)`` when the term is positive semi-definite."""
    with_row = [f for f in term.factors if row in f.free_symbols]
    with_col = [f for f in term.factors if col in f.free_symbols]
    if len(with_row) != 1 or len(with_col) != 1:
        return None
    first, second = with_row[0], with_col[0]
    if first is second:
        if isinstance(first, KroneckerDelta) and set(first.args) == {row, col}:
            return _weighted(term, (first,), "|@|^2", True, context, facts, ())
        if isinstance(first, Indexed) and set(first.indices) == {row, col} and base_name(first) in definite:
            fact = definite[base_name(first)]
            return _weighted(term, (first,), f"@^T {base_name(first)} @", fact.relation == "pd", context, facts, (fact.latex,))
        return None
    if not (isinstance(first, Indexed) and isinstance(second, Indexed) and base_name(first) == base_name(second)):
        return None
    name, summed = base_name(first), {var for var, _, _ in term.limits}
    if first.indices == (row,) and second.indices == (col,):  # x x^T: (x^T v)^2
        return _weighted(term, (first, second), f"(@^T {name})^2", False, context, facts, ())
    position = next((p for p, i in enumerate(first.indices) if i == row), None)
    if position is None or len(first.indices) != 2 or second.indices[position] != col:
        return None
    k, l = first.indices[1 - position], second.indices[1 - position]
    if k not in summed or l not in summed or row in (k, l) or col in (k, l):
        return None
    av = f"{name}{'^T' if position == 0 else ''} @"
    if k == l:
        return _weighted(term, (first, second), f"|{av}|^2", False, context, facts, (), k)
    middle = [f for f in term.factors if isinstance(f, Indexed) and set(f.indices) == {k, l} and base_name(f) in definite]
    if len(middle) != 1:
        return None
    fact = definite[base_name(middle[0])]
    return _weighted(term, (first, second, middle[0]), f"({av})^T {base_name(middle[0])} ({av})", False, context, facts,
                     (fact.latex,), None, (k, l))


def _weighted(term: Term, core: tuple, text: str, strict: bool, context, facts, used: tuple[str, ...],
              inner: Symbol | None = None, pair: tuple = ()) -> tuple[str, bool, tuple[str, ...]] | None:
    """The term's weight (what is left of it) is ``>= 0`` (``> 0`` for a definite core); free of ``pair``."""
    weight = sympy.Mul(*(f for f in term.factors if f not in core))
    if any(p in weight.free_symbols for p in pair):
        return None
    outer = tuple(lim for lim in term.limits if lim[0] != inner and lim[0] not in pair)
    ranges = {var: upper + 1 for var, _, upper in term.limits if var == inner}
    body = Sum(weight, *outer) if outer else weight
    found = prove(body, ">" if strict else ">=", context, facts, ranges)
    if found is None:
        if not strict:
            return None
        found = prove(body, ">=", context, facts, ranges)
        if found is None:
            return None
        strict = False
    written = to_deriv_latex(body)
    if weight == 1 and not outer:
        shown = text
    elif inner is not None:  # the weight may depend on the row k of A @
        shown = f"\\sum_{{{inner}}} ({written}) ({text[1:-3]})_{{{inner}}}^2"
    else:
        shown = f"({written}) {text}"
    return shown, strict, (*used, *found.used)
