"""Where a family's members defined by a recurrence are defined.

``u_t = \\frac{a V u_{t-1}}{a}`` is built as ``V u_{t-1}`` once SymPy cancels, yet
``u_1`` is undefined at ``a = 0``, and so is every later member.  A recurrence
keeps the conditions its right side had before cancelling, in its parameters
(the row, and for vectors the entry): :func:`recurrence_conditions`.

A member that writes ``u`` at a row ``r`` is defined where the recurrence's
conditions hold at rows ``1..r``: :func:`written_recurrences` gives them as
*soft* conditions at every entry of those rows (and at every row of a recurrence
reached only through a definition).  Every entry is more than a member needs
(``[u_t]_i`` of an entrywise recurrence needs entry ``i`` only), so these
conditions only keep a step from being proved and tell the tester where to look
(a soft condition never refutes); the tester itself computes each member with
the exact conditions of its row and entry, undefined where one fails
(:meth:`deriv.engine.instances.Evaluator.recurrent_entry`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import sympy
from sympy import Expr, Indexed, Symbol

from deriv.context import Context, Definition
from deriv.ir import base_name
from deriv.meaning.domains import KINK, Condition, condition_at, definition_conditions

#: The bound row of a member's conditions (never written by a user).
ROW = Symbol("_recurrence_row", integer=True)
#: The bound entry of a vector member's conditions.
ENTRY = Symbol("_recurrence_entry", integer=True)


def recurrence_conditions(recorded: set[Condition], body: Expr, step: Symbol, params: tuple[Symbol, ...],
                          row: Expr, context: Context) -> frozenset[Condition]:
    """The right side's conditions in the recurrence's parameters: ``step`` (``t``) written as
    the member's ``row``, the entry (``params[1:]``) as it is (not where a derivative in it is
    differentiable: that is the engine's to look into, in the member)."""
    free = (step, *params[1:])
    stated = definition_conditions(recorded, body, free, free, context.definitions)
    return frozenset(condition_at(c, {step: row}) for c in stated if c.relation != KINK)


def _at_rows(recurrence: Definition, last: Expr, context: Context) -> set[Condition]:
    """The recurrence's conditions at every entry of the rows ``1..last``, soft."""
    entry_limits: tuple = ()
    at = {recurrence.params[0]: ROW}
    if len(recurrence.params) > 1:
        at[recurrence.params[1]] = ENTRY
        entry_limits = ((ENTRY, sympy.S.Zero, context.declared[recurrence.name].shape[1] - 1),)
    found = set()
    for condition in recurrence.conditions:
        placed = condition_at(condition, at)
        found.add(replace(placed, limits=placed.limits + ((ROW, sympy.S.One, last),) + entry_limits, soft=True))
    return found


def _names(node: Expr) -> Iterator[tuple[str, Expr | None]]:
    """The names ``node`` writes, an array's with its first index."""
    entries = node.atoms(Indexed)
    yield from ((base_name(entry), entry.indices[0]) for entry in entries)
    labels = {entry.base.label for entry in entries}
    yield from ((symbol.name, None) for symbol in node.atoms(Symbol) - labels)


def _reached(expr: Expr, context: Context) -> Iterator[tuple[str, Expr | None]]:
    """Each recurrence ``expr`` writes, with the row written (None: reached through a
    definition's or another recurrence's value, at any row)."""
    seen: set[str] = set()
    pending: list[tuple[Expr, str | None]] = [(expr, None)]  # a value, and the recurrence it defines
    while pending:
        node, defining = pending.pop()
        for name, row in _names(node):
            if name in context.recurrences and name != defining:
                yield name, row if node is expr else None
            if name in seen or name == defining:
                continue
            seen.add(name)
            if name in context.definitions:
                pending.append((context.definitions[name].body, None))
            elif name in context.recurrences:
                pending.append((context.recurrences[name].body, name))


def written_recurrences(expr: Expr, context: Context) -> set[Condition]:
    """The soft conditions of the recurrences' members ``expr`` reaches (see the module)."""
    found: set[Condition] = set()
    if not any(recurrence.conditions for recurrence in context.recurrences.values()):
        return found  # nothing to find: the walk of every name reached (SymPy's atoms) is the cost

    for name, row in _reached(expr, context):
        recurrence = context.recurrences[name]
        if not recurrence.conditions:
            continue
        last = row if row is not None else context.declared[name].shape[0] - 1
        found |= _at_rows(recurrence, last, context)
    return found
