"""Exponentials and quotients in normal forms, so that equal things get equal forms.

Three identities the normal form of :mod:`deriv.engine.normal` uses, each
exact and never dividing by what may vanish:

* ``exp(a + b) = exp(a) exp(b)`` and ``exp(q t) = exp(t)^q`` for rational
  ``q`` (arguments are real): :func:`exponential`.
* A reciprocal's base is made canonical (:func:`reciprocal`): positive
  denominators inside it turned over, the exponentials common to its terms
  and its leading rational coefficient taken out, so ``1/(1 + exp(-u))``
  meets ``exp(u)/(1 + exp(u))`` and ``1/(1 - sigma(u))`` meets ``1 + exp(u)``.
* A difference of normal forms is zero when it cancels once multiplied by
  its positive denominators (:func:`vanishes`): ``D f = 0`` with ``D > 0``
  gives ``f = 0``.  Positive: sums, products and sums over an index of
  exponentials, positive names and positive numbers (:func:`is_positive`).

The functions take the :class:`~deriv.engine.normal.Normalizer` that calls
them and use only its public methods.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy import Expr, Indexed, Sum, Symbol

from deriv.errors import UnsupportedError
from deriv.engine.terms import (
    MAX_EXPANDED_POWER,
    Factors,
    Key,
    Term,
    by_ranges,
    is_coefficient,
    merge_factors,
    rebuilt,
    rebuilt_term,
    rename_bound,
    slot,
    term_of,
)
from deriv.ir import fresh_index, substituted, text

if TYPE_CHECKING:
    from deriv.engine.normal import Normalizer

#: A denominator is cleared only up to this power (its expansion grows with it).
MAX_CLEARED_POWER = 4
#: Above this many swaps of summed indices, a summand is not cleared.
MAX_SWAPS = 24


def is_positive(expr: Expr) -> bool:
    """Whether ``expr`` is certainly positive (False: not shown).

    Numbers, exponentials (of real arguments: every entry is real), names
    declared positive, sizes, and sums, products, sums over an index (never
    empty) and real powers of those.
    """
    if expr.is_Number or expr.is_NumberSymbol:
        return expr.is_positive is True
    if isinstance(expr, sympy.exp):
        return True
    if isinstance(expr, (Symbol, Indexed)):
        return expr.is_positive is True
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        return all(is_positive(a) for a in expr.args)
    if isinstance(expr, sympy.Pow):
        return expr.exp.is_Rational is True and is_positive(expr.base)
    if isinstance(expr, Sum):
        nonempty = all((upper - lower + 1).is_positive is True for _, lower, upper in expr.limits)
        return nonempty and is_positive(expr.function)
    return False


def denominators(form: Mapping[Key, Expr], eligible: Callable[[Expr], bool]) -> dict[Expr, int]:
    """The positive sums at a negative power in ``form`` (``eligible`` ones), each at its highest."""
    powers: dict[Expr, int] = {}
    for factors, _ in form:
        for atom, exponent in factors:
            if (exponent.is_Integer and exponent < 0 and isinstance(atom, (sympy.Add, Sum))
                    and eligible(atom) and is_positive(atom)):
                powers[atom] = max(powers.get(atom, 0), int(-exponent))
    if any(p > MAX_CLEARED_POWER for p in powers.values()):
        return {}
    return powers


def expandable(atom: Expr, exponent: Expr) -> bool:
    """A sum-atom at a positive whole power that may be multiplied out."""
    return isinstance(atom, (sympy.Add, Sum)) and exponent.is_Integer and 0 < exponent <= MAX_EXPANDED_POWER


def uses_slots(atom: Expr, level: int) -> bool:
    """Whether ``atom`` uses a summed index of a term at ``level`` (canonically named)."""
    prefix = f"_c{level}_"
    return any(s.name.startswith(prefix) for s in atom.free_symbols)


def swaps(names: list[Symbol], extents: tuple[Expr, ...]) -> list[dict[Symbol, Symbol]] | None:
    """Every permutation of ``names`` that keeps each one's range (None: too many)."""
    groups: dict[Expr, list[Symbol]] = {}
    for name, extent in zip(names, extents):
        groups.setdefault(extent, []).append(name)
    if math.prod(math.factorial(len(g)) for g in groups.values()) > MAX_SWAPS:
        return None
    return [{a: b for g, image in zip(groups.values(), images) for a, b in zip(g, image)}
            for images in itertools.product(*(itertools.permutations(g) for g in groups.values()))]


def shifted(form: dict[Key, Expr], level: int) -> tuple[dict[Key, Expr], Factors]:
    """``form`` divided by the exponentials common to all its terms, and those.

    An exponential counts only when it uses no summed index of the level
    (then it is the same positive number in every term).  Each is taken out
    at its least exponent (absent: 0), so what is left has no exponential
    common to all terms and none at a negative power.
    """
    candidates = {a for factors, _ in form for a, _ in factors if isinstance(a, sympy.exp) and not uses_slots(a, level)}
    shift = {}
    for atom in candidates:
        exponents = [dict(factors).get(atom, sympy.S.Zero) for factors, _ in form]
        least = min(exponents) if all(e.is_Rational for e in exponents) else sympy.S.Zero
        if least != 0:
            shift[atom] = least
    if not shift:
        return form, ()
    out = tuple((a, -e) for a, e in shift.items())
    return {(merge_factors(factors + out), extents): c for (factors, extents), c in form.items()}, tuple(shift.items())


def monic(form: dict[Key, Expr]) -> tuple[dict[Key, Expr], Expr]:
    """``form`` divided by its first term's coefficient, and that coefficient ``q r``.

    Only its rational factor ``q`` when the rest ``r`` is not known positive
    (``exp(c)`` is), so the content is never 0 and has the sign of ``q``.
    """
    first = min(form, key=text)
    rational, rest = form[first].as_coeff_Mul()
    if not rational.is_Rational or rational == 0:
        return form, sympy.S.One
    content = rational * rest if is_positive(rest) else rational
    if content == 1:
        return form, sympy.S.One
    return {key: c / content for key, c in form.items()}, content


# -- exponentials and reciprocals -------------------------------------------------------
def exponential(normalizer: Normalizer, argument: Expr, level: int) -> list[Term]:
    """``exp(argument)`` as a product of exponentials of single terms.

    ``exp(a + b) = exp(a) exp(b)`` and ``exp(q t) = exp(t)^q`` for a
    rational ``q`` (the argument is real), so ``exp(-u)`` meets
    ``1/exp(u)`` and ``exp(z_i) exp(z_j)`` meets ``exp(z_i + z_j)``.
    """
    product = [Term(sympy.S.One, (), ())]
    for key, coefficient in normalizer.normal_form(argument, level + 1).items():
        for monomial in sympy.Add.make_args(sympy.expand(coefficient)):
            rational, rest = monomial.as_coeff_Mul()
            if not rational.is_Rational:
                rational, rest = sympy.S.One, monomial
            power = sympy.exp(rebuilt_term(key, rest, level + 1))
            if is_coefficient(power):
                product = [Term(t.coeff * power**rational, t.factors, t.bound) for t in product]
            elif isinstance(power, sympy.exp):
                product = [t.times(Term(sympy.S.One, ((power, rational),), ())) for t in product]
            else:  # exp(log(v)) is v: SymPy evaluated it
                product = normalizer.multiply(product, normalizer.terms(power**rational, level))
    return product


def reciprocal(normalizer: Normalizer, base: Expr, exponent: Expr, level: int) -> list[Term]:
    """``base**exponent`` for a negative whole exponent, with the base made canonical.

    A base over positive denominators is turned over (``1/(1 - s/D) =
    D/(D - s)``: ``D > 0``, so both sides are defined together); then the
    exponentials common to all its terms and its leading rational
    coefficient are taken out (``1 + exp(-u) = exp(-u) (1 + exp(u))``,
    ``-2 - 2x = -2(1 + x)``; both are nonzero).  What is left is one atom
    for every way of writing it, and ``1/S`` meets ``S**-2`` in ``(1/S)**2``.
    """
    form = normalizer.normal_form(base, level + 1)
    turned = denominators(form, lambda atom: not uses_slots(atom, level + 1))
    if turned:  # base = form / prod(atom**power)
        form = cleared_form(normalizer, form, turned, level + 1)
    if not form:  # a division by zero stays as it was written
        return [Term(sympy.S.One, ((normalizer.canonical_expr(base, level + 1), exponent),), ())]
    product = _reciprocal_of(normalizer, form, exponent, level)
    for atom, power in turned.items():  # kept as atoms, so that D/D meets 1
        product = normalizer.multiply(product, _relevelled(normalizer, atom, -power * exponent, level))
    return product


def logarithm(normalizer: Normalizer, argument: Expr, level: int) -> list[Term]:
    """``log(argument)`` split where its factors are known positive.

    The argument made canonical as a reciprocal's base is, ``c E D'/D``
    (``E`` exponentials, ``D`` positive denominators, ``c > 0``), has
    ``log = log c + log E + log D' - log D``: each factor is positive, or
    (``D'``) positive wherever the argument is, so both sides are defined on
    the same points.  So ``log(sigma(u))`` is ``u - log(1 + exp(u))`` and
    ``log(softmax(z)_i)`` is ``z_i - log(sum_k exp(z_k))``.
    """
    form = normalizer.normal_form(argument, level + 1)
    turned = denominators(form, lambda atom: not uses_slots(atom, level + 1))
    if turned:
        form = cleared_form(normalizer, form, turned, level + 1)
    if not form:  # log(0) stays as it was written
        return [Term(sympy.S.One, ((sympy.log(normalizer.canonical_expr(argument, level + 1)), sympy.S.One),), ())]
    form, shift = shifted(form, level + 1)
    form, content = monic(form)
    if content.as_coeff_Mul()[0] < 0:  # c N with c < 0 is |c| (-N)
        form, content = {key: -c for key, c in form.items()}, -content
    # every factor of the content is positive: its logarithm splits
    terms = [Term(sympy.expand_log(sympy.log(content), force=True), (), ())] if content != 1 else []
    for atom, power in shift:
        terms += normalizer.terms(atom.args[0] * power, level)
    for atom, power in turned.items():
        terms.append(Term(_sympify(-power), ((normalizer.atom(sympy.log(atom), level), sympy.S.One),), ()))
    (factors, extents), coefficient = next(iter(form.items()))
    if len(form) == 1 and not extents and is_positive(coefficient) and all(is_positive(a) for a, _ in factors):
        terms.append(Term(sympy.log(coefficient), (), ()))
        for atom, power in factors:
            terms.append(Term(power, ((normalizer.atom(sympy.log(atom), level), sympy.S.One),), ()))
    else:
        terms.append(Term(sympy.S.One, ((sympy.log(rebuilt(form, level + 1)), sympy.S.One),), ()))
    return terms


def _reciprocal_of(normalizer: Normalizer, form: dict[Key, Expr], exponent: Expr, level: int) -> list[Term]:
    """The ``exponent``-th power of a nonzero normal form at ``level + 1``, as terms at ``level``."""
    form, shift = shifted(form, level + 1)
    form, content = monic(form)
    if len(form) == 1 and not next(iter(form))[1]:  # one term, no sum: a product of powers
        ((factors, _), coefficient), = form.items()
        powers = factors + shift
        product = [Term((content * coefficient) ** exponent, (), ())]
    else:
        powers = shift
        product = [Term(content**exponent, ((rebuilt(form, level + 1), exponent),), ())]
    for atom, power in powers:
        product = normalizer.multiply(product, _relevelled(normalizer, atom, power * exponent, level))
    return product


def _relevelled(normalizer: Normalizer, atom: Expr, power: Expr, level: int) -> list[Term]:
    """``atom**power`` for an atom of a normal form at ``level + 1``, as terms at ``level``
    (whose sums inside are named for that level)."""
    if isinstance(atom, sympy.exp):
        return exponential(normalizer, atom.args[0] * power, level)
    if isinstance(atom, (sympy.Add, Sum)) and power.is_Integer:  # a denominator, or one turned over
        inverse = reciprocal(normalizer, atom, -abs(power), level)
        if power < 0:
            return inverse
        if len(inverse) == 1 and not inverse[0].bound:  # a product of powers: turned over
            (term,) = inverse
            return [Term(1 / term.coeff, tuple((a, -e) for a, e in term.factors), ())]
        return normalizer.terms(sympy.Pow(atom, power), level)
    return [Term(sympy.S.One, ((normalizer.atom(atom, level), power),), ())]


# -- common denominators -----------------------------------------------------------------
def vanishes(normalizer: Normalizer, form: Mapping[Key, Expr], level: int = 0) -> bool:
    """Whether the terms of ``form`` sum to zero over a common positive denominator.

    Terms summed over the same ranges are tried alone first (their summand
    cleared, see :func:`_summand_vanishes`); what is left is multiplied as a
    whole by its denominators that use no summed index (``sum_i p_i = 1``
    with ``p_i = exp(z_i) / sum_k exp(z_k)``) and tried again.
    """
    try:
        rest: dict[Key, Expr] = {}
        for extents, group in by_ranges(form).items():
            if not _summand_vanishes(normalizer, group, extents, level):
                rest.update(group)
        outside = denominators(rest, lambda atom: not uses_slots(atom, level))
        if not (outside or any(expandable(a, e) for factors, _ in rest for a, e in factors)):
            return not rest
        rest = cleared_form(normalizer, rest, outside, level)
        return all(_summand_vanishes(normalizer, group, extents, level) for extents, group in by_ranges(rest).items())
    except UnsupportedError:  # too large to multiply out: not shown
        return False


def _summand_vanishes(normalizer: Normalizer, group: Mapping[Key, Expr], extents: tuple[Expr, ...], level: int) -> bool:
    """Whether terms summed over the same ranges cancel once the summand is cleared.

    ``sum_s f(s) = sum_s g(s)/M(s)`` for ``g = M f`` and ``M > 0``; with ``M``
    unchanged by swapping summed indices of one range, that is 0 when the
    swaps of ``g`` cancel, which is what collecting ``sum_s g(s)`` under
    canonical renaming shows.  So ``M`` is the product of the summand's
    positive denominators and all their swaps.
    """
    names = [fresh_index("s") for _ in extents]
    renaming = {slot(level, n): name for n, name in enumerate(names)}
    terms = [Term(c, tuple((substituted(a, renaming), e) for a, e in factors), ()) for (factors, _), c in group.items()]
    inside = denominators({(t.factors, ()): t.coeff for t in terms}, lambda atom: True)
    permutations = swaps(names, extents)
    if not (inside or any(expandable(a, e) for t in terms for a, e in t.factors)) or permutations is None:
        return False
    symmetric: dict[Expr, int] = {}
    for atom, power in inside.items():
        for swap in permutations:
            image = substituted(atom, swap)
            symmetric[image] = max(symmetric.get(image, 0), power)
    bound = tuple(zip(names, extents))
    cleared = [t for term in terms for t in _cleared(normalizer, term, symmetric, level)]
    return not normalizer.collected([Term(t.coeff, t.factors, bound + t.bound) for t in cleared], level)


def cleared_form(normalizer: Normalizer, form: Mapping[Key, Expr], powers: Mapping[Expr, int], level: int) -> dict[Key, Expr]:
    """The normal form of ``form`` times ``atom**power`` for each of ``powers``
    (atoms that use no summed index of the level)."""
    terms = [rename_bound(term_of(key, c, level)) for key, c in form.items()]
    return normalizer.collected([t for term in terms for t in _cleared(normalizer, term, powers, level)], level)


def _cleared(normalizer: Normalizer, term: Term, powers: Mapping[Expr, int], level: int) -> list[Term]:
    """``term`` times ``atom**power`` for each of ``powers``, with every sum-atom
    at a positive power (a denominator cleared or turned over) multiplied out."""
    exponents = dict(term.factors)
    for atom, power in powers.items():
        exponents[atom] = exponents.get(atom, sympy.S.Zero) + power
    kept = tuple((a, e) for a, e in exponents.items() if e != 0 and not expandable(a, e))
    product = [Term(term.coeff, kept, term.bound)]
    for atom, exponent in exponents.items():
        if expandable(atom, exponent):
            expansion = normalizer.terms(atom, level)
            for _ in range(int(exponent)):
                product = normalizer.multiply(product, [rename_bound(t) for t in expansion])
    return product
