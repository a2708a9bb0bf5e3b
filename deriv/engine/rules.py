"""Equation assumptions as rewrite rules on normal forms.

An assumption ``H x = \\lambda x`` in index form is ``\\sum_j H_{r,j} x_j -
\\lambda x_r = 0``; its term with the most factors (here the sum) is the
*pattern*, the rest (divided by the pattern's coefficient) its replacement:
``\\sum_j H_{r,j} x_j -> \\lambda x_r``.  A term of a step matches when the
pattern's factors are among its factors with the pattern's free indices
bound to anything and its summed indices to summed indices of the term
that nothing else in the term mentions (same ranges).  Each rewrite is an
identity under the assumption, so equal rewritten normal forms prove the
step under it.  Left to right only; at most :data:`MAX_REWRITES` rewrites.
"""

from __future__ import annotations

import itertools

import sympy
from deriv.ir import base_name
from sympy import Indexed, Sum, Symbol

MAX_REWRITES = 16


class Rule:
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
        rest = {k: c for k, c in form.items() if k != (factors, extents)}
        self.replacement = -form_expr(rest) / coeff


def _bound_symbols(factors, extents) -> dict[Symbol, object]:
    """Canonical summed names ``_c{level}_{n}`` of a key, with their extents."""
    names = sorted({s for a, _ in factors for s in a.free_symbols if s.name.startswith("_c0_")}, key=lambda s: int(s.name[4:]))
    return {Symbol(f"_c0_{n}", integer=True): e for n, e in enumerate(extents)} if names or extents else {}


def form_expr(form) -> sympy.Expr:
    """A normal form (key -> coefficient) as an expression again."""
    parts = []
    for (factors, extents), coeff in form.items():
        body = coeff * sympy.Mul(*(sympy.Pow(a, e) for a, e in factors))
        limits = [(Symbol(f"_c0_{n}", integer=True), 0, r - 1) for n, r in enumerate(extents)]
        parts.append(Sum(body, *limits) if limits else body)
    return sympy.Add(*parts)


def _unify(p, t, mapping: dict, rule: Rule, bound: dict, used_targets: set) -> dict | None:
    if isinstance(p, Indexed) and isinstance(t, Indexed):
        if p.base.label != t.base.label or len(p.indices) != len(t.indices):
            return None
        orders = [t.indices]
        if base_name(t) in rule.symmetric and len(t.indices) == 2:
            orders.append(t.indices[::-1])
        for indices in orders:
            trial, targets, ok = dict(mapping), set(used_targets), True
            for a, b in zip(p.indices, indices):
                if a in trial:
                    ok = trial[a] == b
                elif a in rule.bound:
                    ok = b in bound and b not in targets and bound[b] == rule.bound[a]
                    targets.add(b)
                    trial[a] = b
                elif a in rule.free:
                    trial[a] = b
                else:
                    ok = a == b
                if not ok:
                    break
            if ok:
                used_targets.clear()
                used_targets.update(targets)
                return trial
        return None
    return dict(mapping) if p == t else None


def _match(rule: Rule, factors, extents):
    bound = _bound_symbols(factors, extents)
    target = [a for a, e in factors for _ in range(int(e) if e.is_Integer and e > 0 else 0)]
    pattern = [a for a, e in rule.factors for _ in range(int(e) if e.is_Integer and e > 0 else 0)]
    if len(pattern) != sum(1 for _ in rule.factors) or len(pattern) > len(target):
        return None
    for chosen in itertools.permutations(range(len(target)), len(pattern)):
        mapping, targets = {}, set()
        for p, k in zip(pattern, chosen):
            mapping = _unify(p, target[k], mapping, rule, bound, targets) if mapping is not None else None
            if mapping is None:
                break
        if mapping is None:
            continue
        rest = [a for k, a in enumerate(target) if k not in chosen]
        summed = {mapping[b] for b in rule.bound}
        if any(s in a.free_symbols for a in rest for s in summed):
            continue
        replacement = rule.replacement.xreplace(mapping)
        body = sympy.Mul(*rest) * replacement
        limits = [(s, 0, e - 1) for s, e in bound.items() if s not in summed]
        return Sum(body, *limits) if limits else body
    return None


def rewrite(form, rules, renormalize):
    """``form`` with the rules applied until none matches; the rules used."""
    used = []
    for _ in range(MAX_REWRITES):
        for rule in rules:
            for key, coeff in form.items():
                new = _match(rule, *key)
                if new is not None:
                    rest = {k: c for k, c in form.items() if k != key}
                    form = renormalize(form_expr(rest) + coeff * new)
                    used.append(rule.constraint.latex)
                    break
            else:
                continue
            break
        else:
            break
    return form, list(dict.fromkeys(used))
