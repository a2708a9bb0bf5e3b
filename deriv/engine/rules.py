"""Equation assumptions as rewrites of normal forms, each an identity under its assumption.

An equation between scalars only (``\\eta = 1``, ``a = b``, ``a + 2 b =
e^c``) is used by *substitution*: it is solved for one declared scalar it
is linear in with a nonzero rational coefficient (``a -> b``), and that
symbol is replaced everywhere in a step.  One that can not be solved so
(``a b = 1``, ``a^2 = 2``) is not used in proofs at all.

Any other equation in index form, ``H x = \\lambda x`` as ``\\sum_j
H_{r,j} x_j - \\lambda x_r = 0``, becomes a *rule*: its term with the most
factors (here the sum) is the pattern ``c P`` (a non-empty product ``P``
with index-free coefficient ``c``), the rest ``R`` its replacement:
``c P -> -R``.  Nothing is divided by ``c``, which may vanish (``\\lambda
x = \\mu x`` is ``(\\lambda - \\mu) x_r = 0``, which says nothing about
``x`` when ``\\lambda = \\mu``): a term ``k P Q`` is rewritten only when
``k = q c`` with ``q`` defined wherever ``k`` is (always when ``c`` is a
nonzero number), into ``q (-R) Q``.

A term matches when the pattern's factors are among its factors with the
pattern's free indices bound to anything but the summed indices the pattern
takes, and its summed indices to summed indices of the term that nothing
else in the term mentions (same ranges).  The replacement's own sums get
names no term uses, so a bound free index is never captured by them.
Left to right only; at most :data:`MAX_REWRITES` rewrites.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import sympy
from sympy import Expr, Indexed, Sum, Symbol

from deriv.engine.normal import is_coefficient
from deriv.errors import UnsupportedError
from deriv.ir import Partial, base_name

MAX_REWRITES = 16
#: Coefficients larger than this (in operations) are not divided symbolically.
MAX_QUOTIENT_OPS = 200


class Rule:
    """``coeff * factors -> replacement`` (undivided), from one equation in index form."""

    def __init__(self, constraint, normalizer_class, symmetric) -> None:
        self.constraint = constraint
        self.symmetric = symmetric
        ranges = dict(constraint.ranges)
        form = normalizer_class(ranges, symmetric).normal_form(constraint.expr)
        if not form:
            raise ValueError("trivial")
        (factors, extents), coeff = max(form.items(), key=lambda kv: (len(kv[0][1]), len(kv[0][0])))
        self.factors, self.coeff = factors, coeff
        self.bound = _bound_symbols(factors, extents)
        self.free = frozenset(s for s, _ in constraint.ranges)
        self.own = self.free | frozenset(self.bound)
        _check_pattern(factors, self.free)
        rest = {k: c for k, c in form.items() if k != (factors, extents)}
        self.replacement = -form_expr(rest, prefix="_rule")


def _check_pattern(factors, free: frozenset) -> None:
    """A pattern that can be matched soundly, or ValueError: non-empty (an empty one
    is a scalar equation, used by substitution), every factor to the first power, and
    every free index of the rule in it (else the replacement would keep it loose)."""
    if not factors:
        raise ValueError("a scalar equation is used by substitution")
    if any(e != 1 for _, e in factors):
        raise ValueError("a pattern with a power is never matched")
    if not free <= set().union(*(a.free_symbols for a, _ in factors)):
        raise ValueError("a free index the pattern does not bind")


def _bound_symbols(factors, extents) -> dict[Symbol, Any]:
    """Canonical summed names ``_c0_{n}`` of a key, with their extents."""
    return {Symbol(f"_c0_{n}", integer=True): e for n, e in enumerate(extents)}


def form_expr(form, prefix: str = "_c0_") -> sympy.Expr:
    """A normal form (key -> coefficient) as an expression again (summed indices ``prefix{n}``)."""
    parts = []
    for (factors, extents), coeff in form.items():
        body = coeff * sympy.Mul(*(sympy.Pow(a, e) for a, e in factors))
        if prefix != "_c0_":
            body = body.xreplace({Symbol(f"_c0_{n}", integer=True): Symbol(f"{prefix}{n}", integer=True)
                                  for n in range(len(extents))})
        limits = [(Symbol(f"{prefix}{n}", integer=True), 0, r - 1) for n, r in enumerate(extents)]
        parts.append(Sum(body, *limits) if limits else body)
    return sympy.Add(*parts)


def quotient(k: Expr, c: Expr) -> Expr | None:
    """``q`` with ``k = q c``, defined wherever ``k`` is; None when there is none (or it is not found)."""
    if c.is_Rational:
        return k / c
    if c.is_Number or sympy.count_ops(k) + sympy.count_ops(c) > MAX_QUOTIENT_OPS:
        return None
    q = sympy.cancel(sympy.together(k / c))
    _, below = sympy.fraction(q)
    if below.is_Number:
        return q
    _, allowed = sympy.fraction(sympy.together(k))
    _, left = sympy.fraction(sympy.cancel(allowed / below))
    return q if left.is_Number else None


def _unify(p, t, mapping: dict, rule: Rule, bound: dict, used_targets: set) -> dict | None:
    """``mapping`` extended so that ``p`` with it is ``t``, or None (``used_targets``: the
    term's summed indices the pattern's summed indices took, updated on success)."""
    if isinstance(p, Symbol) and (p in rule.bound or p in rule.free):
        return _bind(p, t, mapping, rule, bound, used_targets)
    if not (p.free_symbols & rule.own):
        return dict(mapping) if p == t else None
    if type(p) is not type(t) or len(p.args) != len(t.args):
        return None
    orders = [t.args]
    if isinstance(t, Indexed) and base_name(t) in rule.symmetric and len(t.indices) == 2:
        orders.append((t.args[0], *t.indices[::-1]))
    for args in orders:
        trial: dict | None = dict(mapping)
        targets = set(used_targets)
        for a, b in zip(p.args, args):
            trial = _unify(a, b, trial, rule, bound, targets) if trial is not None else None
        if trial is not None:
            used_targets.clear()
            used_targets.update(targets)
            return trial
    return None


def _bind(a: Symbol, b, mapping: dict, rule: Rule, bound: dict, used_targets: set) -> dict | None:
    """An index of the rule bound to ``b``: a summed one only to a summed index of the term, once."""
    if a in mapping:
        return dict(mapping) if mapping[a] == b else None
    if a in rule.bound:
        if b not in bound or b in used_targets or bound[b] != rule.bound[a]:
            return None
        used_targets.add(b)
    return {**mapping, a: b}


def _match(rule: Rule, factors, extents):
    """The term (without its coefficient) with the pattern replaced, or None."""
    bound = _bound_symbols(factors, extents)
    target = [a for a, e in factors for _ in range(int(e) if e.is_Integer and e > 0 else 0)]
    # Factors with other exponents (x_i^{-1}, S^{1/2}) are never matched, but stay in the term.
    others = [sympy.Pow(a, e) for a, e in factors if not (e.is_Integer and e > 0)]
    pattern = [a for a, _ in rule.factors]
    if len(pattern) > len(target):
        return None
    for chosen in itertools.permutations(range(len(target)), len(pattern)):
        mapping: dict | None = {}
        targets: set = set()
        for p, k in zip(pattern, chosen):
            mapping = _unify(p, target[k], mapping, rule, bound, targets) if mapping is not None else None
            if mapping is None:
                break
        if mapping is None:
            continue
        rest = [a for k, a in enumerate(target) if k not in chosen] + others
        summed = {mapping[b] for b in rule.bound}
        if any(s in a.free_symbols for a in rest for s in summed):
            continue
        if any(s in mapping[f].free_symbols for f in rule.free for s in summed):
            continue  # a free index bound to an index the pattern's own sum takes: it would be loose
        replacement = rule.replacement.xreplace(mapping)
        body = sympy.Mul(*rest) * replacement
        limits = [(s, 0, e - 1) for s, e in bound.items() if s not in summed]
        return Sum(body, *limits) if limits else body
    return None


def rewrite(form, rules, renormalize):
    """``form`` with the rules applied until none matches; the rules used."""
    used = []
    for _ in range(MAX_REWRITES):
        applied = _rewrite_once(form, rules, renormalize)
        if applied is None:
            break
        form, rule = applied
        used.append(rule.constraint.latex)
    return form, list(dict.fromkeys(used))


def _rewrite_once(form, rules, renormalize):
    for rule in rules:
        for key, coeff in form.items():
            new = _match(rule, *key)
            q = quotient(coeff, rule.coeff) if new is not None else None
            if q is not None:
                rest = {k: c for k, c in form.items() if k != key}
                return renormalize(form_expr(rest) + q * new), rule
    return None


# -- scalar equations: substitution ------------------------------------------------
@dataclass
class Substitution:
    """Declared scalars solved from scalar equations: ``symbol -> value`` (no value mentions a key)."""

    values: dict[Symbol, Expr] = field(default_factory=dict)
    #: The assumptions each symbol's value came from.
    sources: dict[Symbol, frozenset[str]] = field(default_factory=dict)

    #: A scalar equation contradicts the others (``a = 1, a = 2``) or a declared sign:
    #: nothing can be concluded symbolically (nor can an instance be drawn).
    inconsistent: bool = False

    def add(self, equation: Expr, latex: str, scalars: dict[str, bool]) -> bool:
        """Solve one more scalar equation (``expr = 0``) for a declared scalar (``scalars``:
        name -> declared positive); False when it can not be used."""
        through = frozenset({latex}).union(*(self.sources[s] for s in self.values if s in equation.free_symbols))
        equation = sympy.expand(equation.xreplace(self.values))
        if equation.is_Number:
            self.inconsistent = self.inconsistent or equation != 0
            return False
        for symbol in sorted((s for s in equation.free_symbols if s.name in scalars), key=lambda s: s.name):
            slope = sympy.diff(equation, symbol)
            rest = sympy.expand(equation - slope * symbol)
            if slope.is_Rational and slope != 0 and symbol not in rest.free_symbols:
                value = -rest / slope
                for s, v in self.values.items():
                    if symbol in v.free_symbols:
                        self.values[s], self.sources[s] = v.xreplace({symbol: value}), self.sources[s] | through
                self.values[symbol], self.sources[symbol] = value, through
                self.inconsistent = self.inconsistent or any(
                    scalars[s.name] and v.is_Number and v <= 0 for s, v in self.values.items())
                return True
        return False

    def apply(self, expr: Expr) -> tuple[Expr, list[str]]:
        """``expr`` with the solved scalars replaced, and the assumptions that changed it."""
        present = [s for s in self.values if s in expr.free_symbols]
        if not present or _differentiates(expr, present):
            return expr, []
        return expr.xreplace(self.values), sorted(frozenset().union(*(self.sources[s] for s in present)))


def _differentiates(expr: Expr, symbols: Iterable[Symbol]) -> bool:
    """Whether an unevaluated derivative mentions one of ``symbols`` (its variable must stay)."""
    wanted = set(symbols)
    return any(a.free_symbols & wanted for a in expr.atoms(Partial, sympy.Derivative, sympy.Subs))


@dataclass
class Rewriting:
    """What the equation assumptions of a document give the symbolic proof."""

    substitution: Substitution = field(default_factory=Substitution)
    rules: list[Rule] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.substitution.values or self.rules)


def rewriting(equations, expand, normalizer_class, symmetric, scalars: dict[str, bool]) -> Rewriting:
    """The substitution and rules of ``equations`` (constraints, in order; ``expand`` evaluates
    derivatives and definitions); ``scalars``: the declared scalars, each with whether it is
    declared positive.  An equation that can not be expanded or made a rule is not used."""
    expanded = []
    for constraint in equations:
        try:
            expanded.append(replace(constraint, expr=expand(constraint.expr)))
        except UnsupportedError:
            continue
    result = Rewriting()
    for constraint in expanded:
        if is_coefficient(constraint.expr):
            result.substitution.add(constraint.expr, constraint.latex, scalars)
    if result.substitution.inconsistent:
        return Rewriting()
    for constraint in expanded:
        if is_coefficient(constraint.expr):
            continue
        substituted, _ = result.substitution.apply(constraint.expr)
        try:
            result.rules.append(Rule(replace(constraint, expr=substituted), normalizer_class, symmetric))
        except (ValueError, UnsupportedError):
            continue
    return result
