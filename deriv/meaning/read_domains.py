"""Where the defined names and recurrence members an entry reads are defined, recorded as it is read.

A defined array (``v = \\frac{x}{a}``) or a family member defined by a recurrence
(``x_t = \\frac{a x_{t-1}}{a}``) carries its definition's conditions
(:attr:`deriv.context.Definition.conditions`); a member that writes it is undefined
where they fail.  Read from the built member (:func:`deriv.meaning.domains.written_definitions`)
they were lost where SymPy cancelled the entry away: ``v_i - v_i`` is 0 before the
member is finished, ``y_{t-1} + x_t - x_t`` is ``y_{t-1}``.  So the builder records them
as it reads each entry (:func:`reading`), as it records a denominator before it cancels.

A recurrence member at row ``r`` is undefined where the recurrence's conditions fail at
row ``r`` -- never at row 0, the first member, drawn and not defined by it: a symbolic
row (``t - 1``) is stated over the rows from ``\\max(1, r)`` to ``r``, none where ``r < 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import sympy
from sympy import Expr, Indexed, Symbol

from deriv.context import Context, Definition
from deriv.meaning.domains import Condition, condition_at, conditions_at

#: The bound row of a recurrence member's condition read at a symbolic row (never written by a user).
ROW = Symbol("_read_row", integer=True)
#: The names a read entry's bound indices take (never written by a user).
CANONICAL = tuple(Symbol(f"_read{n}", integer=True) for n in range(4))

#: A node met, and the limits of the indices bound so far (summed, or a whole matrix's entries).
Reading = Callable[[sympy.Basic, Mapping[Symbol, tuple]], set[Condition]]


def reading(context: Context) -> Reading | None:
    """What the builder records for each node it meets (an entry, a scalar name): the conditions
    of the definition or recurrence it reads there; None when no definition or recurrence has one."""
    defined = {name: d for name, d in context.definitions.items() if d.conditions}
    recurrent = {name: d for name, d in context.recurrences.items() if d.conditions}
    if not defined and not recurrent:
        return None

    def read(node: sympy.Basic, bound: Mapping[Symbol, tuple]) -> set[Condition]:
        if isinstance(node, Indexed):
            name = node.base.label.name
            if name not in recurrent and name not in defined:
                return set()
            indices, limits = _canonical(node.indices, bound)
            found = _member_conditions(recurrent[name], indices) if name in recurrent else set(
                conditions_at(defined[name].conditions, defined[name].params, indices))
            return {_over(c, tuple(limit for limit in limits if _reads(c, limit[0]))) for c in found} if limits else found
        if isinstance(node, Symbol) and node.name in defined and not defined[node.name].params:
            return set(defined[node.name].conditions)
        return set()

    return read


def _canonical(indices: tuple[Expr, ...], bound: Mapping[Symbol, tuple]) -> tuple[tuple[Expr, ...], tuple]:
    """The indices with each bound one (a sum's, a whole matrix's probe, fresh at every build) named
    canonically, and its limits: the conditions read there hold at its every value, and are the
    same, remembered, at the next build (:func:`~deriv.meaning.domains.conditions_at`)."""
    named = {s: CANONICAL[n] for n, s in enumerate(sorted({s for i in indices for s in i.free_symbols if s in bound},
                                                            key=str)[:len(CANONICAL)])}
    if not named:
        return indices, ()
    limits = tuple((named[s], *(b.xreplace(named) for b in bound[s][1:])) for s in sorted(named, key=str))
    return tuple(i.xreplace(named) for i in indices), limits


def _member_conditions(recurrence: Definition, indices: tuple[Expr, ...]) -> set[Condition]:
    """The recurrence's conditions at the member's row and entry (:mod:`the module <.read_domains>`)."""
    row, entry = indices[0], indices[1:]
    if row.is_number:
        if row < 1:
            return set()
        at = dict(zip(recurrence.params, indices))
        return {condition_at(c, at) for c in recurrence.conditions}
    at = dict(zip(recurrence.params, (ROW, *entry)))
    limits = ((ROW, sympy.Max(1, row), row),)
    return {_over(condition_at(c, at), limits) for c in recurrence.conditions}


def _reads(condition: Condition, index: Symbol) -> bool:
    """Whether ``condition`` reads ``index`` (in its expression or its limits' bounds): one that does
    not holds once, not "at every" value of it (``c \\neq 0`` of ``B = A / c`` read at every entry)."""
    return condition.expr.has(index) or any(lo.has(index) or hi.has(index) for _, lo, hi in condition.limits)


def _over(condition: Condition, limits: tuple) -> Condition:
    return replace(condition, limits=condition.limits + limits) if limits else condition
