"""``sin^2 u + cos^2 u = 1`` and ``cosh^2 u - sinh^2 u = 1`` in the normal form.

A product with ``sin(u)^a cos(u)^b`` is written with ``sin(u)`` to a power below
2: ``sin^2 = 1 - cos^2``, unless ``sin(u)`` is a denominator (``a < 0``,
``\\cot``, ``\\csc``), where ``cos^2 = 1 - sin^2`` is used instead; likewise
``cosh^2 = 1 + sinh^2``, unless ``cosh(u)`` is a denominator (``\\operatorname{sech}``
written ``1/\\cosh``), where ``sinh^2 = cosh^2 - 1``.  Each rewriting is an identity
on every real ``u`` (the four functions are defined everywhere, so no domain
changes), each side of a step is rewritten the same way, and the passes end:
after the first rule the power of ``sin`` is 0 or 1, and the second applies only
to a negative one.  So ``\\sin^2 x + \\cos^2 x = 1``, ``1 + \\tan^2 x = \\sec^2 x``,
``\\frac{d}{dx}\\tan x = \\sec^2 x``, ``\\cosh^2 x - \\sinh^2 x = 1`` are proved.
Before that, a sine or cosine (hyperbolic too) of a sum of a few terms or of a
small whole multiple is written out by the addition formulas (:func:`angle_sum`),
so ``\\sin(2x) = 2 \\sin x \\cos x`` and ``\\cos(a + b)`` are proved too.

In: a normal form's term (:class:`~deriv.engine.terms.Term`) or an index-free
coefficient.  Out: the terms (the coefficient) rewritten.
"""

from __future__ import annotations

import sympy
from sympy import Expr

from deriv.engine.terms import Term, merge_factors

#: (the function squared away, its partner, the partner's square in terms of the function's
#: square ``q``, the function's square in terms of the partner's ``p``).
_PAIRS = (
    (sympy.sin, sympy.cos, lambda q: 1 - q, lambda p: 1 - p),
    (sympy.cosh, sympy.sinh, lambda q: q - 1, lambda p: 1 + p),
)
_FUNCTIONS = (sympy.sin, sympy.cos, sympy.sinh, sympy.cosh)
#: Passes over a term, at most (two suffice: see the module's note).
_PASSES = 3
#: Terms of an argument, and the whole multiple, that the addition formulas write out.
MAX_SPLIT = 4


def _rewrite(factors: dict[Expr, Expr]) -> list[tuple[Expr, dict[Expr, Expr]]]:
    """One rule applied to a product (atom -> exponent): ``[(coefficient, factors), ...]``,
    or ``[]`` when none applies."""
    for first, partner, partner_square, first_square in _PAIRS:
        for atom, exponent in factors.items():
            if not (isinstance(atom, first) and exponent.is_Integer):
                continue
            other = partner(atom.args[0])
            other_exponent = factors.get(other, sympy.S.Zero)
            if exponent >= 2:  # first^2 = (expression in the partner's square)
                return _expanded(factors, atom, int(exponent), other, first_square)
            if exponent < 0 and other_exponent.is_Integer and other_exponent >= 2:
                return _expanded(factors, other, int(other_exponent), atom, partner_square)
    return []


def _expanded(factors: dict[Expr, Expr], atom: Expr, exponent: int, other: Expr, square) -> list:
    """``atom^exponent`` replaced by ``atom^(exponent mod 2) square(other^2)^(exponent // 2)``, multiplied out."""
    polynomial = sympy.Poly(square(sympy.Symbol("_p")) ** (exponent // 2), sympy.Symbol("_p"))
    rest = {a: e for a, e in factors.items() if a != atom}
    if exponent % 2:
        rest[atom] = sympy.S.One
    made = []
    for (power,), coefficient in polynomial.terms():
        pairs = list(rest.items()) + ([(other, sympy.Integer(2 * power))] if power else [])
        made.append((sympy.Integer(coefficient), dict(merge_factors(pairs))))
    return made


def _products(factors: dict[Expr, Expr]) -> list[tuple[Expr, dict[Expr, Expr]]]:
    """The product written with the rules applied until none applies."""
    done, todo = [], [(sympy.S.One, factors)]
    for _ in range(_PASSES):
        later = []
        for coefficient, product in todo:
            rewritten = _rewrite(product)
            if rewritten:
                later += [(coefficient * c, p) for c, p in rewritten]
            else:
                done.append((coefficient, product))
        todo = later
        if not todo:
            break
    return done + todo


def reduced_terms(term: Term) -> list[Term]:
    """``term`` with the rules applied to its factors (itself when none applies)."""
    if not any(isinstance(a, _FUNCTIONS) for a, _ in term.factors):
        return [term]
    return [Term(term.coeff * c, tuple(p.items()), term.bound) for c, p in _products(dict(term.factors))]


def angle_sum(expr: Expr) -> Expr | None:
    """``sin(a + b)``, ``cos(2u)``, ``sinh(a - b)``, ``cosh(3u)`` by the addition formulas (an
    argument of at most :data:`MAX_SPLIT` terms, a whole multiple at most that); None for
    anything else.  Each use takes one term or one multiple off, so writing out ends."""
    if not isinstance(expr, _FUNCTIONS):
        return None
    u = expr.args[0]
    if isinstance(u, sympy.Add) and len(u.args) <= MAX_SPLIT:
        a, b = u.args[0], sympy.Add(*u.args[1:])
    else:
        n, rest = u.as_coeff_Mul()
        if not (n.is_Integer and 2 <= n <= MAX_SPLIT):  # SymPy takes a sign out itself
            return None
        a, b = rest, (n - 1) * rest
    if isinstance(expr, sympy.sin):
        return sympy.sin(a) * sympy.cos(b) + sympy.cos(a) * sympy.sin(b)
    if isinstance(expr, sympy.cos):
        return sympy.cos(a) * sympy.cos(b) - sympy.sin(a) * sympy.sin(b)
    if isinstance(expr, sympy.sinh):
        return sympy.sinh(a) * sympy.cosh(b) + sympy.cosh(a) * sympy.sinh(b)
    return sympy.cosh(a) * sympy.cosh(b) + sympy.sinh(a) * sympy.sinh(b)


def _angles_split(expr: Expr) -> Expr:
    """Every :func:`angle_sum` in ``expr`` written out."""
    for _ in range(4 * MAX_SPLIT):
        split = expr.replace(lambda e: angle_sum(e) is not None, angle_sum)
        if split == expr:
            return expr
        expr = split
    return expr


def reduced(expr: Expr) -> Expr:
    """An expanded index-free coefficient with its angle sums written out and the rules
    applied to each of its products."""
    if not expr.has(*_FUNCTIONS):
        return expr
    expr = sympy.expand(_angles_split(expr))
    terms = []
    for product in sympy.Add.make_args(expr):
        factors = dict(merge_factors(f.as_base_exp() for f in sympy.Mul.make_args(product)))
        terms += [c * sympy.Mul(*(sympy.Pow(a, e) for a, e in p.items())) for c, p in _products(factors)]
    return sympy.expand(sympy.Add(*terms))
