"""Sign reasoning: prove ``d > 0`` (``>= 0``, ``< 0``, ``<= 0``, ``!= 0``) from facts.

A sign is the set of values among ``-1, 0, 1`` an expression may take.
It is computed bottom-up, never guessed:

* numbers; ``positive`` declared names (``{1}``); ``\\exp`` (``{1}``);
  ``|a|`` and even powers (``{0, 1}``, ``{1}`` when the base is nonzero);
  odd powers and roots keep the base's sign (a root of a possibly negative
  base is unknown); products multiply signs; a reciprocal keeps a nonzero
  sign (a base that may be zero makes it unknown); a sum of terms of one
  sign keeps it (``{1}`` if one term is ``{1}``), as does a sum over an
  index (ranges are never empty: sizes are at least 1);
* ``\\sum_k x_k^2`` is ``{1}`` when a fact says the vector ``x \\neq 0``;
* a *fact* ``f R 0`` (an assumption, or a claim or equality the document
  has already established) gives the sign of any expression whose normal
  form is ``c f + k`` for rationals ``c \\neq 0`` and ``k``;
* a quadratic-form fact ``q(x) > 0 \\quad \\forall x \\neq 0`` (or ``H \\succ 0``,
  read as ``x^T H x > 0`` for every ``x \\neq 0``) gives the sign of ``q(v)``
  for any vector ``v`` known to be nonzero (``\\geq 0`` for every ``v``);
* *elimination*: for an atom ``a`` (``\\lambda``) and an equality fact
  ``A a + B = 0`` (``x^T H x - \\lambda \\|x\\|^2 = 0``), ``a = -B / A``, so its
  sign is that quotient's when ``A``'s sign excludes 0.

Each sign comes with the facts it used.  What is not derived is unknown,
so a claim this can not show is left to the tester -- and a claim it shows
must still pass the tester before it is ``proved``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Expr, Indexed, Sum, Symbol

from deriv.errors import swallowed
from deriv.context import Constraint, Context
from deriv.engine.normal import Normalizer
from deriv.engine.rules import form_expr
from deriv.ir import base_name
from deriv.names import Kind

Sign = frozenset
ALL: Sign = frozenset({-1, 0, 1})
POS, NEG, ZERO = frozenset({1}), frozenset({-1}), frozenset({0})
NONNEG, NONPOS, NONZERO = frozenset({0, 1}), frozenset({-1, 0}), frozenset({-1, 1})
#: The signs of ``d`` each claim relation allows.
ALLOWED = {">": POS, ">=": NONNEG, "<": NEG, "<=": NONPOS, "!=": NONZERO, "=": ZERO}
#: Nested eliminations at most (each uses another equality).
MAX_DEPTH = 3


@dataclass(frozen=True)
class Signed:
    sign: Sign
    used: tuple[str, ...] = ()

    def meet(self, other: Signed) -> Signed:
        """Both hold: the narrower sign, with the facts that narrowed it."""
        both = self.sign & other.sign
        if not both or both == self.sign:
            return self
        if both == other.sign:
            return Signed(both, other.used)
        return Signed(both, _union(self.used, other.used))


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u for g in groups for u in g))


def times(a: Sign, b: Sign) -> Sign:
    return frozenset(x * y for x in a for y in b)


def plus(a: Sign, b: Sign) -> Sign:
    if a == ZERO:
        return b
    if b == ZERO:
        return a
    if a <= NONNEG and b <= NONNEG:
        return POS if POS in (a, b) else NONNEG
    if a <= NONPOS and b <= NONPOS:
        return NEG if NEG in (a, b) else NONPOS
    return ALL


def _sum_sign(signs: list[Sign]) -> Sign:
    total = ZERO
    for s in signs:
        total = plus(total, s)
    return total


class SignProver:
    """Signs of expressions under one document's facts."""

    def __init__(self, context: Context, facts: list[Constraint], ranges) -> None:
        self.context = context
        self.ranges = dict(ranges)
        self.symmetric = context.symmetric_names()
        self.scalar_facts: list[tuple[dict, Sign, str]] = []
        self.equalities: list[Constraint] = []
        self.nonzero: dict[str, str] = {}
        self.quadratic: list[tuple[Expr, str, bool, str]] = []
        for fact in facts:
            self._learn(fact)
        self._memo: dict[Expr, Signed] = {}
        self._active: set[str] = set()

    def _learn(self, fact: Constraint) -> None:
        if fact.relation == "nonzero":
            if isinstance(fact.expr, Indexed) and len(fact.free) >= 1:
                self.nonzero[base_name(fact.expr)] = fact.latex
            return
        if fact.relation in ("pd", "psd"):
            self._definite(fact)
            return
        if fact.free:
            return
        if fact.over is not None:
            over = self.context.declared.get(fact.over)
            if over is not None and over.kind == Kind.VECTOR:  # over a scalar: not a form in a vector, unused
                self.quadratic.append((fact.expr, fact.over, fact.relation == ">", fact.latex))
            return
        if fact.relation == "=":
            self.equalities.append(fact)
        sign = {">": POS, ">=": NONNEG, "<": NEG, "<=": NONPOS, "!=": NONZERO, "=": ZERO}.get(fact.relation)
        if sign is not None:
            form = self.normal(fact.expr)
            if form:
                self.scalar_facts.append((form, sign, fact.latex))

    def _definite(self, fact: Constraint) -> None:
        """``H \\succ 0``: ``\\sum_{a,b} v_a H_{a,b} v_b > 0`` for every vector ``v \\neq 0``."""
        row, col = (s for s, _ in fact.ranges)
        extent = fact.ranges[0][1]
        a, b = Symbol("_qa", integer=True), Symbol("_qb", integer=True)
        probe = sympy.IndexedBase("_qv")
        entry = fact.expr.xreplace({row: a, col: b})
        form = Sum(probe[a] * entry * probe[b], (a, 0, extent - 1), (b, 0, extent - 1))
        self.quadratic.append((form, "_qv", fact.relation == "pd", fact.latex))

    # -- normal forms ---------------------------------------------------------------
    def normal(self, expr: Expr) -> dict:
        from deriv.engine.decide import symbolic_form  # decide imports the claims that import this

        return Normalizer(self.ranges, self.symmetric).normal_form(symbolic_form(expr, self.context))

    def _by_fact(self, expr: Expr) -> Signed:
        try:
            form = self.normal(expr)
        except Exception:  # noqa: BLE001 - a form we can not build matches no fact
            swallowed("the sign prover")
            return Signed(ALL)
        if not form:
            return Signed(ZERO)
        found = Signed(ALL)
        for fact_form, sign, latex in self.scalar_facts:
            affine = _affine(form, fact_form)
            if affine is not None:  # expr = c f + k
                ratio, k = affine
                scaled = sign if ratio > 0 else frozenset(-s for s in sign)
                found = found.meet(Signed(plus(scaled, POS if k > 0 else NEG if k < 0 else ZERO), (latex,)))
        for q, over, strict, latex in self.quadratic:
            for name, declared in self.context.declared.items():
                if declared.kind != Kind.VECTOR:
                    continue
                known = self.nonzero.get(name)
                instance = q.replace(lambda e: isinstance(e, Indexed) and base_name(e) == over,
                                     lambda e, d=declared: d.entry(e.indices[0], 0))
                try:
                    ratio = _ratio(form, self.normal(instance))
                except Exception:  # noqa: BLE001 - shapes that do not fit
                    swallowed("the sign prover")
                    continue
                if ratio is None or ratio <= 0:
                    continue
                if strict and known is not None:
                    found = found.meet(Signed(POS, (latex, known)))
                else:
                    found = found.meet(Signed(NONNEG, (latex,)))
        return found

    # -- structure ----------------------------------------------------------------------
    def sign(self, expr: Expr, depth: int = 0) -> Signed:
        if expr in self._memo:
            return self._memo[expr]
        result = self._structural(expr, depth)
        if result.sign not in (POS, NEG, ZERO):
            result = result.meet(self._by_fact(expr))
        if result.sign not in (POS, NEG, ZERO) and isinstance(expr, (Symbol, Indexed)) and depth < MAX_DEPTH:
            result = result.meet(self._eliminate(expr, depth))
        self._memo[expr] = result
        return result

    def _structural(self, expr: Expr, depth: int) -> Signed:
        if expr.is_Float:  # never a sign from a rounded number (the reader makes exact ones)
            return Signed(ALL)
        if expr.is_Number:
            return Signed(POS if expr > 0 else NEG if expr < 0 else ZERO)
        if expr.is_NumberSymbol:  # e, pi
            return Signed(POS if expr > 0 else NEG)
        if isinstance(expr, Symbol):
            return Signed(POS if expr.is_positive else ALL)
        if isinstance(expr, Indexed):
            declared = self.context.declared.get(base_name(expr))
            return Signed(POS if declared is not None and declared.positive else ALL)
        if isinstance(expr, sympy.Mul):
            parts = [self.sign(a, depth) for a in expr.args]
            sign = POS
            for p in parts:
                sign = times(sign, p.sign)
            return Signed(sign, _union(*(p.used for p in parts)))
        if isinstance(expr, sympy.Add):
            parts = [self.sign(a, depth) for a in expr.args]
            return Signed(_sum_sign([p.sign for p in parts]), _union(*(p.used for p in parts)))
        if isinstance(expr, sympy.Pow):
            return self._power(expr, depth)
        if isinstance(expr, (sympy.exp, sympy.cosh)):
            return Signed(POS)
        if isinstance(expr, (sympy.sinh, sympy.atan, sympy.erf)):  # odd, increasing, defined everywhere
            return self.sign(expr.args[0], depth)
        if isinstance(expr, sympy.Abs):
            inner = self.sign(expr.args[0], depth)
            return Signed(POS if 0 not in inner.sign else NONNEG, inner.used)
        if isinstance(expr, Sum):
            return self._sum(expr, depth)
        return Signed(ALL)

    def _power(self, expr: sympy.Pow, depth: int) -> Signed:
        base, exponent = expr.args
        inner = self.sign(base, depth)
        if exponent.is_Integer:
            n = int(exponent)
            if n < 0 and 0 in inner.sign:
                return Signed(ALL)  # 1/0 is undefined, not a sign
            if n % 2 == 0:
                return Signed(POS if 0 not in inner.sign else NONNEG, inner.used)
            return inner
        if exponent.is_Rational and inner.sign <= NONNEG:
            if exponent < 0 and 0 in inner.sign:
                return Signed(ALL)
            return inner
        if inner.sign <= POS and not exponent.has(sympy.I):  # b^e = exp(e log b) > 0: b > 0, e real (every name is)
            return Signed(POS, inner.used)
        return Signed(ALL)

    def _sum(self, expr: Sum, depth: int) -> Signed:
        body = expr.function
        saved = dict(self.ranges)
        for var, lower, upper in expr.limits:
            if not (upper - lower + 1).is_positive:  # sizes are positive integers
                return Signed(ALL)
            self.ranges[var] = upper - lower + 1
        try:
            inner = self.sign(body, depth)
            full = {v for v, lower, upper in expr.limits if lower == 0}
            squares = self._squares(body, {v: upper + 1 for v, lower, upper in expr.limits if v in full}, depth)
        finally:
            self.ranges = saved
        if squares is not None:
            return squares
        if inner.sign in (POS, NEG, ZERO, NONNEG, NONPOS):
            return inner
        return Signed(ALL)

    def _squares(self, body: Expr, summed: dict, depth: int) -> Signed | None:
        """``\\sum_k c x_k^2`` over all of ``x``, ``x \\neq 0`` known, ``c`` of one strict sign: that sign."""
        factors = sympy.Mul.make_args(body)
        for f in factors:
            if (isinstance(f, sympy.Pow) and isinstance(f.base, Indexed) and f.exp.is_Integer and f.exp % 2 == 0
                    and f.exp > 0 and base_name(f.base) in self.nonzero and len(f.base.indices) == 1
                    and f.base.indices[0] in summed and self._whole(base_name(f.base), summed[f.base.indices[0]])):
                rest = [self.sign(g, depth) for g in factors if g is not f]
                sign = POS
                for r in rest:
                    sign = times(sign, r.sign)
                if sign in (POS, NEG):
                    return Signed(sign, _union((self.nonzero[base_name(f.base)],), *(r.used for r in rest)))
        return None

    def _whole(self, name: str, extent: Expr) -> bool:
        """Whether a sum over ``0 .. extent - 1`` covers every entry of vector ``name``."""
        declared = self.context.declared.get(name)
        return declared is not None and sympy.simplify(declared.shape[0] - extent) == 0

    # -- equalities -------------------------------------------------------------------
    def _eliminate(self, atom: Expr, depth: int) -> Signed:
        found = Signed(ALL)
        for equality in self.equalities:
            if equality.latex in self._active:
                continue
            try:
                form = self.normal(equality.expr)
            except Exception:  # noqa: BLE001
                swallowed("the sign prover")
                continue
            split = _linear_in(form, atom)
            if split is None:
                continue
            with_atom, without = split
            self._active.add(equality.latex)
            try:
                a = self.sign(form_expr(with_atom), depth + 1)
                b = self.sign(-form_expr(without), depth + 1)
            finally:
                self._active.discard(equality.latex)
            if 0 in a.sign:
                continue
            found = found.meet(Signed(times(b.sign, a.sign), _union((equality.latex,), a.used, b.used)))
        return found


def _linear_in(form: dict, atom: Expr) -> tuple[dict, dict] | None:
    """``(A, B)`` with ``form = A atom + B`` (``atom`` a factor or in the coefficients), else None."""
    with_atom: dict = {}
    without: dict = {}

    def add(target: dict, key, coeff) -> None:
        if coeff != 0:
            target[key] = target.get(key, 0) + coeff

    for (factors, extents), coeff in form.items():
        powers = [e for a, e in factors if a == atom]
        if powers:
            if powers != [1] or atom in coeff.free_symbols:
                return None
            add(with_atom, (tuple((a, e) for a, e in factors if a != atom), extents), coeff)
            continue
        if isinstance(atom, Symbol) and atom in coeff.free_symbols:
            slope = sympy.expand(sympy.diff(coeff, atom))
            if atom in slope.free_symbols:
                return None
            add(with_atom, (factors, extents), slope)
            add(without, (factors, extents), sympy.expand(coeff.subs(atom, 0)))
        else:
            add(without, (factors, extents), coeff)
    return (with_atom, without) if with_atom else None


_CONSTANT = ((), ())


def _numbers(form: dict) -> tuple[dict, Expr]:
    """``form`` without its pure number, and that number (``a - 1`` -> ``a``, ``-1``)."""
    coeff = form.get(_CONSTANT, sympy.S.Zero)
    number, rest = sympy.expand(coeff).as_coeff_Add()
    out = {k: c for k, c in form.items() if k != _CONSTANT}
    if rest != 0:
        out[_CONSTANT] = rest
    return out, number


def _affine(form: dict, other: dict):
    """``(c, k)``, ``c`` a nonzero rational and ``k`` a rational, when ``form == c * other + k``."""
    (body, k), (fact, j) = _numbers(form), _numbers(other)
    ratio = _ratio(body, fact)
    if ratio is None or not (k.is_Rational and j.is_Rational):
        return None
    return ratio, k - ratio * j


def _ratio(form: dict, other: dict):
    """``c`` (a nonzero rational) when ``form == c * other`` term by term, else None."""
    if not other or set(form) != set(other):
        return None
    ratio = None
    for key, coeff in form.items():
        # Exact: cancel only rewrites the quotient (nsimplify would round
        # 0.99999999999999999999 to 1 and prove 0.99999999999999999999 x > 1 from x > 1).
        r = sympy.cancel(sympy.together(coeff / other[key]))
        if not r.is_Rational or r == 0 or (ratio is not None and r != ratio):
            return None
        ratio = r
    return ratio


def prove(difference: Expr, relation: str, context: Context, facts: list[Constraint], ranges) -> Signed | None:
    """The facts that prove ``difference relation 0``, or None when it is not shown."""
    prover = SignProver(context, facts, ranges)
    found = prover.sign(difference)
    if found.sign <= ALLOWED[relation]:
        return found
    return None
