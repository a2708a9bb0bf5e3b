"""Where a member is defined, recorded before SymPy cancels it away.

SymPy cancels while a member is built: ``\\frac{x y}{x}`` is ``y`` and
``(\\sqrt{x})^2`` is ``x`` before the engine sees them, so the side would
lose the points where it is undefined (``x = 0``, ``x < 0``) -- and sides
defined on different sets are not equal.  The builder therefore records a
:class:`Condition` for every denominator (``!= 0``: ``\\frac``, ``/``,
``\\oslash``, a negative power) and every radicand of an even root (``>= 0``)
it builds, before they are combined (a logarithm's argument is both; an even
root in a derivative is not differentiable where its radicand is 0, nor
``\\arcsin`` / ``\\arccos`` at 1 and -1; ``relu'`` is defined at 0, as any value in
``[0, 1]``, and each derivative is recorded as a :data:`KINK`, imposed on neither side); the
engine compares the two sides' conditions (:mod:`deriv.engine.domains`).

A condition on a summed index (inside ``\\sum_k``) holds at every value of
that index, also where the sum cancelled away (``0 \\sum_k 1/v_k``); one
on an index whose limits are unknown is not kept.  A condition on every entry of a matrix
(``X \\oslash Y``) is kept with the limits of those entries.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import sympy
from sympy import Expr, Symbol
from sympy.utilities.iterables import iterable

from deriv.context import Definition
from deriv.ir import Determinant, InverseEntry, MatrixArg, Partial
from deriv.meaning.elementary import arccos, arcsin, arctanh
from deriv.meaning.message_text import message_latex
from deriv.meaning.power_domains import power_needs


NONZERO, NONNEGATIVE = "!=", ">="
#: A derivative, which may meet relu's kink (``d relu(u) / dx`` at ``u = 0``): recorded, never
#: imposed -- ``d relu(x)^2 / dx`` is defined at 0 although the kink is there, and ``relu'(0)``
#: is any value in ``[0, 1]``, so it matches no ``!=`` of the other side either.
KINK = "kink"
#: An inverse ``X^{-1}`` written (``expr`` is ``\\det X``): writing it presupposes ``X`` invertible
#: (docs/deciding.md), so the condition is imposed on both sides rather than compared -- ``A^{-1} A = I``
#: is proved -- yet kept where SymPy cancels the inverse away: ``A^{-1} - A^{-1}`` is 0 once built, and
#: under ``A = 0`` (or where ``A = v v^T`` is singular at every draw) no point has it (it was proved).
INVERTIBLE = "invertible"
#: A condition's limits are named in every order (the least form kept) up to this many.
ORDERED_LIMITS = 3
#: Expressions larger than this (operations) are not factored to compare conditions.
FACTOR_LIMIT = 60


@dataclass(frozen=True)
class Condition:
    """``expr relation 0`` (``!=`` or ``>=``), at every value of ``limits``' indices
    (``(index, 0, extent - 1)`` each, for a condition on every entry)."""

    relation: str
    expr: Expr
    limits: tuple[tuple[Symbol, Expr, Expr], ...] = ()
    #: Where a derivative may not exist (``\\sqrt{u}`` where ``u = 0``): its value there is
    #: unknown -- ``\\sqrt{x^4}`` is differentiable at 0 -- so a soft condition keeps a step
    #: from being proved but never refutes it.  Equal to the hard condition it writes.
    soft: bool = field(default=False, compare=False)
    #: The condition is only that ``expr`` has a value (the tester evaluates it itself); its
    #: relation names it to compare sides and to search where it fails.  A power by an
    #: expression (``x^s``) is defined at ``x < 0`` only for a whole ``s``, and at 0 only for
    #: ``s >= 0``, which no ``!=`` / ``>=`` says (:mod:`deriv.meaning.power_domains`).
    valued: bool = field(default=False, compare=False)

    @functools.cached_property
    def guard(self) -> Expr:
        """An expression undefined exactly where the condition fails (summed over its limits)."""
        if self.relation == INVERTIBLE:  # the inverse itself: undefined (singular) where it fails
            body = InverseEntry(self.expr.arg, 0, 0)
            return sympy.Sum(body, *self.limits) if self.limits else body
        if not self.valued:
            return self._written_guard
        return sympy.Sum(self.expr, *self.limits) if self.limits else self.expr

    @property
    def _written_guard(self) -> Expr:
        if self.relation == INVERTIBLE:
            return sympy.Pow(self.expr, -1)
        if self.expr.is_number:  # SymPy's 1/0 is zoo, which no side evaluates (sqrt(-1) would be I)
            return sympy.S.One if _holds_at(self.relation, self.expr) else sympy.zoo
        body = sympy.Pow(self.expr, -1) if self.relation == NONZERO else sympy.sqrt(self.expr)
        return sympy.Sum(body, *self.limits) if self.limits else body

    @functools.cached_property
    def symbols(self) -> frozenset:
        return frozenset(self._written_guard.free_symbols)

    def text(self) -> str:
        return self._text

    @functools.cached_property
    def _text(self) -> str:  # remembered: a failing guard's error says it at every point tried
        if self.expr == NOT_REAL.expr and self.relation == NOT_REAL.relation:
            return "its value is real (not an even root or a logarithm of a negative number)"
        if self.relation == NONZERO and self.expr.is_number and not _holds_at(NONZERO, self.expr):  # 0, zoo
            return "no division by zero"
        if self.valued:
            return _valued_text(self)
        # The document's notation, every index of the limits with a name of its own (k1, k2).
        shown: dict = {index: Symbol(f"k{n + 1}", integer=True) for n, (index, _, _) in enumerate(self.limits)}
        where = f" at every {', '.join(map(str, shown.values()))}" if self.limits else ""
        relation = NONZERO if self.relation == INVERTIBLE else self.relation  # \\det X != 0: an inverse's
        return f"{message_latex(self.expr.xreplace(shown))} {relation} 0{where}"


#: What a value SymPy made imaginary (``\\sqrt{-1}``, ``\\log(-1)``) fails: it is undefined over the
#: reals, also once SymPy cancels it (``\\sqrt{-1} - \\sqrt{-1}`` is 0).
NOT_REAL = Condition(NONNEGATIVE, sympy.S.NegativeOne)


def _valued_text(condition: Condition) -> str:
    """A condition that ``expr`` has a value, in words: real, or a base ``>= 0`` (for a
    power by an exponent that may not be whole)."""
    shown = message_latex(condition.expr)
    what = f"{shown} real" if condition.relation == NONZERO else f"{shown} >= 0 or a whole exponent"
    return what + (" at every entry" if condition.limits else "")


#: What a value SymPy made infinite or not a number fails (``\\frac{1}{0}`` is ``zoo``): undefined
#: everywhere, also once SymPy turns it over (``1 / zoo`` is 0: ``\\frac{1}{1/0} = 0``).
DIVIDED_BY_ZERO = Condition(NONZERO, sympy.S.Zero)


def _holds_at(relation: str, number: Expr) -> bool:
    if not number.is_extended_real:
        return False
    return bool(number != 0) if relation == NONZERO else bool(number >= 0)


def _even_root(exponent: Expr) -> bool:
    return bool(exponent.is_Rational and not exponent.is_integer and exponent.q % 2 == 0)


def _kinked(node: Expr, var: Expr) -> Expr | None:
    """What may not be 0 for ``node`` to be differentiable in ``var``: an even root's radicand
    (a power below 1: ``u^{3/2}`` is differentiable where ``u = 0``), ``|u|``'s argument."""
    if isinstance(node, sympy.Pow) and _even_root(node.exp) and node.exp < 1 and node.base.has(var):
        return node.base
    if isinstance(node, sympy.Abs) and node.args[0].has(var):
        return node.args[0]
    return None


def _differentiable(partial: Partial) -> set[Condition]:
    """Where the derivative may not exist: an even root where its radicand is 0 (``\\|x\\|``
    at ``x = 0``), ``|u|`` where ``u = 0``, ``\\arcsin`` and ``\\arccos`` at 1 and -1 -- soft
    conditions (:attr:`Condition.soft`: ``\\sqrt{x^4}`` and ``|x^2|`` are differentiable at 0)."""
    var = partial.var.base if isinstance(partial.var, sympy.Indexed) else partial.var  # x_k: any entry of x
    found = set()
    for node in sympy.preorder_traversal(partial.body):
        kinked = _kinked(node, var)
        if kinked is not None:
            found.add(Condition(NONZERO, kinked, soft=True))
        if isinstance(node, (arcsin, arccos)) and node.args[0].has(var):  # differentiable inside (-1, 1)
            found |= {Condition(NONZERO, 1 - node.args[0] ** 2, soft=True), Condition(NONNEGATIVE, 1 - node.args[0] ** 2)}
    return found | _kinks(partial)


def _kinks(partial: Partial) -> set[Condition]:
    """The derivative itself, as a :data:`KINK` (imposed on neither side: :mod:`deriv.engine.domain_gaps`)."""
    return set() if partial.body.is_number else {Condition(KINK, partial)}


def visible(expr: Expr, seen: set | None = None,
            named: Callable[[sympy.Basic], set[Condition]] | None = None) -> set[Condition]:
    """The conditions written in ``expr`` itself: its denominators and even roots' radicands
    (and ``named``'s of each entry, name and sum met: a definition's, :mod:`.read_domains`).

    ``seen``: subexpressions whose conditions the caller already holds, skipped (and
    those walked added): the builder notes every node it builds, and each holds the
    ones built before it, so walking every subtree again made building quadratic."""
    found: set[Condition] = set()
    seen = set() if seen is None else seen  # an equal subtree has the same conditions
    pending = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, sympy.Basic):
            if node in seen:
                continue
            seen.add(node)
            found |= own(node)
            if named is not None and isinstance(node, (Symbol, sympy.Indexed, sympy.Sum, sympy.Product)):
                found |= named(node)
            pending.extend(node.args)
        elif iterable(node):  # as sympy.preorder_traversal walks
            pending.extend(node)
    return found


def own(node: sympy.Basic) -> set[Condition]:
    """The conditions of ``node`` itself, not of its arguments: a denominator, a radicand, a
    logarithm's argument, where a derivative's body is differentiable (``relu'`` is defined at 0,
    as any value in [0, 1]: :mod:`deriv.engine.kinks`), an inverse's :data:`INVERTIBLE`."""
    found: set[Condition] = set()
    if isinstance(node, InverseEntry):
        found.add(Condition(INVERTIBLE, Determinant(node.arg)))
    if isinstance(node, MatrixArg):
        found |= _entrywise(node)
    if node is sympy.I:
        found.add(NOT_REAL)
    if node is sympy.zoo or node is sympy.nan:
        found.add(DIVIDED_BY_ZERO)
    if isinstance(node, sympy.log) and not node.args[0].is_number:
        found |= {Condition(NONZERO, node.args[0]), Condition(NONNEGATIVE, node.args[0])}
    if isinstance(node, Partial):
        found |= _differentiable(node)
    if isinstance(node, (arcsin, arccos, arctanh, sympy.asin, sympy.acos, sympy.atanh)):  # SymPy's: deriv.decide's
        found |= _inside_unit(node)
    if not isinstance(node, sympy.Pow):
        return found
    if node.base.is_number:  # (-1)^{1/3}: SymPy's complex root, cubed back to -1
        return found | _number_power(node)
    return found | {Condition(relation, expr, valued=valued) for relation, expr, valued in power_needs(node.base, node.exp, node)}


@functools.lru_cache(maxsize=1024)
def _entrywise(arg: MatrixArg) -> frozenset[Condition]:
    """The conditions of a whole matrix's entries at every entry (``\\det(A \\oslash B)``: ``B_{r,c} \\neq 0``
    at every ``r``, ``c``, kept where SymPy cancels the determinant: ``0 \\cdot \\det(A \\oslash B)``);
    those on no entry are found where they are written."""
    limits = ((arg.row, sympy.S.Zero, arg.rows - 1), (arg.col, sympy.S.Zero, arg.cols - 1))
    return frozenset(replace(c, limits=c.limits + limits) for c in visible(arg.body)
                     if c.relation != KINK and {arg.row, arg.col} & c.symbols)


def _inside_unit(node: sympy.Function) -> set[Condition]:
    """``\\arcsin u``, ``\\arccos u`` are defined where ``1 - u^2 >= 0``, ``\\operatorname{arctanh} u``
    where it is ``> 0`` (``\\arcsin x - \\arcsin x`` is 0 once built, undefined at ``x = 2``); of a
    number inside, none."""
    room = 1 - node.args[0] ** 2
    found = {Condition(NONNEGATIVE, room)} | ({Condition(NONZERO, room)} if isinstance(node, (arctanh, sympy.atanh)) else set())
    return {c for c in found if not (room.is_number and _holds_at(c.relation, room))}


def _number_power(node: sympy.Pow) -> set[Condition]:
    """A negative number's power by a fraction is not real (as ``\\sqrt{-1}``); by an expression
    (``(-1)^s``), real where the exponent is whole: a valued condition (:mod:`.power_domains`)."""
    if not node.base.is_negative or node.exp.is_integer:
        return set()
    return {NOT_REAL} if node.exp.is_integer is False else {Condition(NONZERO, node, valued=True)}


def _canonical_sign(expr: Expr) -> Expr:
    return -expr if expr.could_extract_minus_sign() else expr


@functools.lru_cache(maxsize=4096)
def _factors(expr: Expr) -> tuple[Expr, ...]:
    """The factors of ``expr`` that may be 0 (``x^2 (x - y)``: ``x``, ``x - y``); remembered,
    since a definition's conditions are normalized again in every member that writes its name."""
    if sympy.count_ops(expr) <= FACTOR_LIMIT:
        try:
            expr = sympy.factor(expr)
        except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError):
            pass
    found, pending = [], list(sympy.Mul.make_args(expr))
    while pending:
        factor = pending.pop()
        if isinstance(factor, sympy.Pow) and factor.exp.is_Rational:
            pending.extend(sympy.Mul.make_args(factor.base))  # b^q is 0 where b is (undefined there if q < 0)
        elif isinstance(factor, sympy.Abs):
            pending.extend(sympy.Mul.make_args(factor.args[0]))  # |b| is 0 where b is
        elif not factor.is_number:
            found.append(_canonical_sign(factor))
    return tuple(found)


def bound_renamed(expr: Expr) -> Expr:
    """``expr`` with the indices its sums and products bind named in the order met
    (each side's builder draws its own fresh dummies)."""
    bound: list[Symbol] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Sum, sympy.Product)):
            bound.extend(limit[0] for limit in node.limits if limit[0] not in bound)
    return expr.xreplace({b: Symbol(f"_bound{n}", integer=True) for n, b in enumerate(bound)})


def transposed(arg: MatrixArg) -> MatrixArg:
    body = arg.body.xreplace({arg.row: arg.col, arg.col: arg.row})
    return MatrixArg(body, arg.row, arg.col, arg.cols, arg.rows)


def _determinants_canonical(expr: Expr) -> Expr:
    r"""``\det A^T`` is ``\det A``: each determinant of the two written in one (sorted) way, so
    ``(A^{-1})^T`` and ``(A^T)^{-1}`` have one condition."""
    if not expr.has(Determinant):
        return expr
    return expr.replace(lambda e: isinstance(e, Determinant),
                        lambda d: min(d, Determinant(transposed(d.arg)), key=sympy.default_sort_key))


def normalized(condition: Condition) -> set[Condition]:
    """The condition in a form two sides' conditions compare by: a product is
    nonzero where each factor is; a matrix condition's indices renamed canonically."""
    written = bound_renamed(condition.expr)  # its sums' dummies: the same in every order of the limits
    forms = [_renamed(written, condition.limits, order) for order in _orders(condition.limits)]
    expr, limits = forms[0] if len(forms) == 1 else min(forms, key=sympy.default_sort_key)
    if expr.is_number and not _holds_at(condition.relation, expr):
        return {replace(condition, expr=expr, limits=())}  # fails everywhere (\\frac{1}{1/0}): no factor to keep
    if condition.relation == NONZERO:
        return {replace(condition, expr=f, limits=limits) for f in _factors(expr)}
    return {replace(condition, expr=expr, limits=limits)}


def _orders(limits: tuple) -> list[tuple[int, ...]]:
    """The orders a condition's limits are named in: every order of up to :data:`ORDERED_LIMITS` whose
    bounds read none of their indices (``\\sum_i \\sum_j`` and ``\\sum_j \\sum_i`` state one condition),
    else as written."""
    indices = [index for index, _, _ in limits]
    free = not any(bound.has(index) for _, lo, hi in limits for bound in (lo, hi) for index in indices)
    if 1 < len(limits) <= ORDERED_LIMITS and free:
        return list(itertools.permutations(range(len(limits))))
    return [tuple(range(len(limits)))]


def _renamed(written: Expr, every: tuple, order: tuple[int, ...]) -> tuple[Expr, tuple]:
    """A condition's expression (``written``, its sums' dummies renamed) and limits (``every``), the
    limits taken in ``order`` and their indices named ``_entry0``, ``_entry1``, ...; determinants
    written one way."""
    limits = [every[k] for k in order]
    renamed = {index: Symbol(f"_entry{n}", integer=True) for n, (index, _, _) in enumerate(limits)}
    expr = _determinants_canonical(written.xreplace(renamed))
    return expr, tuple((renamed[i], lo.xreplace(renamed), hi.xreplace(renamed)) for i, lo, hi in limits)


def _bound(expr: Expr) -> dict[Symbol, tuple[Symbol, Expr, Expr]]:
    """The limits of every index ``expr``'s sums and products bind."""
    found = {}
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Sum, sympy.Product)):
            found.update({limit[0]: tuple(limit) for limit in node.limits})
    return found


def _stated(condition: Condition, bound: dict) -> Condition | None:
    """The condition stated outside the sums it was built in (at every value of
    their indices), or None when one of those sums is gone from the member."""
    dummies = _summed_dummies(condition)
    if not all(d in bound for d in dummies):
        return None
    return replace(condition, limits=condition.limits + tuple(bound[d] for d in dummies)) if dummies else condition


def member_conditions(recorded: set[Condition], expr: Expr,
                      summed: Mapping[Symbol, tuple[Symbol, Expr, Expr]] | None = None,
                      seen: set | None = None) -> frozenset[Condition]:
    """A built member's conditions: those recorded while building it and those
    still written in it, normalized; one on a summed index holds at its every value,
    also when its sum is gone from the member (``0 \\sum_i 1/v_i``: ``summed`` holds
    the limits of every sum built).  ``seen``: subtrees whose conditions ``recorded``
    holds already (the builder's, :func:`visible`), not walked again."""
    kept: set[Condition] = set()
    bound = {**(summed or {}), **_bound(expr)}
    # A hard one wins over its soft or valued twin (equal as conditions: a list, not a set, to sort).
    for condition in sorted([*recorded, *visible(expr, seen)], key=lambda c: (c.soft, c.valued)):
        if condition.relation == KINK:
            kept.add(condition)  # a derivative, looked into by the engine
            continue
        dummies = _summed_dummies(condition)
        if all(d in bound for d in dummies):  # else on an index of a sum gone from the member: not stated
            kept |= _normalized_stated(condition, condition.soft, condition.valued, tuple(bound[d] for d in dummies))
    return frozenset(kept)


@functools.lru_cache(maxsize=4096)
def _summed_dummies(condition: Condition) -> tuple[Symbol, ...]:
    """The builder's dummies ``condition`` is written in (those :func:`_stated` states it at every
    value of); remembered, since a chain's members record the same conditions again (``soft``,
    which equality ignores, plays no part)."""
    within = {s for arg in condition.expr.atoms(MatrixArg) for s in (arg.row, arg.col)}  # bound by the matrix
    return tuple(sorted((s for s in condition.symbols - within if s.name.startswith("_")), key=str))


@functools.lru_cache(maxsize=4096)
def _normalized_stated(condition: Condition, soft: bool, valued: bool, limits: tuple) -> frozenset[Condition]:
    """:func:`normalized` of ``condition`` (of softness ``soft``, valued or not: flags equality
    ignores, so the memo is keyed on them too) at every value of its dummies' ``limits``,
    remembered: normalizing renames, walks and factors."""
    return frozenset(normalized(replace(condition, limits=condition.limits + limits, soft=soft, valued=valued)))


def written_definitions(expr: Expr, definitions: Mapping[str, Definition]) -> set[Condition]:
    """The conditions of the defined names ``expr`` writes, at the indices it writes them:
    ``y`` defined as ``\\frac{a b}{b}`` is ``a`` after SymPy cancels, but undefined at ``b = 0``
    as its definition is, so a member writing ``y`` is too."""
    found: set[Condition] = set()
    definitions = {name: d for name, d in definitions.items() if d.conditions}
    if not definitions:
        return found  # no defined name has a condition: nothing to walk for
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, Symbol) and node.name in definitions:
            found |= definitions[node.name].conditions
        elif isinstance(node, sympy.Indexed) and node.base.label.name in definitions:
            definition = definitions[node.base.label.name]
            found |= conditions_at(definition.conditions, definition.params, node.indices)
    return found


def conditions_at(conditions: frozenset[Condition], params: tuple[Symbol, ...],
                   indices: tuple[Expr, ...]) -> frozenset[Condition]:
    """A definition's ``conditions`` at the ``indices`` written for its ``params``."""
    return _flagged_at(frozenset((c, c.soft, c.valued) for c in conditions), params, indices)


@functools.lru_cache(maxsize=4096)
def _flagged_at(flagged: frozenset[tuple[Condition, bool, bool]], params: tuple[Symbol, ...],
                indices: tuple[Expr, ...]) -> frozenset[Condition]:
    """:func:`conditions_at`, remembered since the members of a chain write the same entries
    (``z_i``) again; keyed on the flags equality ignores, so a soft or valued condition is never
    answered with its hard twin's (or the other way round)."""
    at = dict(zip(params, indices))
    return frozenset(condition_at(condition, at) for condition, _, _ in flagged)


def definition_conditions(recorded: set[Condition], body: Expr, free: tuple[Symbol, ...],
                          params: tuple[Symbol, ...], definitions: Mapping[str, Definition]) -> frozenset[Condition]:
    """A definition's conditions in its ``params`` (the body's ``free`` indices become them):
    those of its body as a member's, and those of the names it uses (each defined before it)."""
    # A parameter is named like a summed index (_def0): stated as a free one, then renamed.
    named = tuple(Symbol(f"param{n}", integer=True) for n in range(len(free)))
    before = dict(zip(free, named))
    body = body.xreplace(before)
    recorded = {condition_at(condition, before) for condition in recorded}
    stated = member_conditions(recorded | written_definitions(body, definitions), body)
    after = dict(zip(named, params))
    return frozenset(condition_at(condition, after) for condition in stated)


def condition_at(condition: Condition, at: Mapping[Symbol, Expr]) -> Condition:
    """``condition`` with ``at``'s symbols replaced, in its expression and its limits' bounds."""
    return replace(condition, expr=condition.expr.xreplace(at),
                   limits=tuple((i, lo.xreplace(at), hi.xreplace(at)) for i, lo, hi in condition.limits))
