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

from collections.abc import Callable
from dataclasses import replace

import sympy
from sympy import Expr, Indexed, Symbol

from deriv.context import Context, Definition
from deriv.meaning.domains import Condition, condition_at, conditions_at

#: The bound row of a recurrence member's condition read at a symbolic row (never written by a user).
ROW = Symbol("_read_row", integer=True)

Reading = Callable[[sympy.Basic], set[Condition]]


def reading(context: Context) -> Reading | None:
    """What the builder records for each node it meets (an entry, a scalar name): the conditions
    of the definition or recurrence it reads there; None when no definition or recurrence has one."""
    defined = {name: d for name, d in context.definitions.items() if d.conditions}
    recurrent = {name: d for name, d in context.recurrences.items() if d.conditions}
    if not defined and not recurrent:
        return None

    def read(node: sympy.Basic) -> set[Condition]:
        if isinstance(node, Indexed):
            name = node.base.label.name
            if name in recurrent:
                return _member_conditions(recurrent[name], node.indices)
            if name in defined:
                return set(conditions_at(defined[name].conditions, defined[name].params, node.indices))
            return set()
        if isinstance(node, Symbol) and node.name in defined and not defined[node.name].params:
            return set(defined[node.name].conditions)
        return set()

    return read


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


def _over(condition: Condition, limits: tuple) -> Condition:
    return replace(condition, limits=condition.limits + limits)
