"""Recurrences: a family's members defined from earlier ones.

Under ``definitions:``, ``h_t = \\tanh(W h_{t-1} + U x_t)`` with ``h`` a family
``for t in 0..T`` defines the members ``h_1`` to ``h_T`` from ``h_0``, which
stays free.  The definition's ``t`` runs over the members after the first
(``1..T``), whatever ``indices:`` says of ``t``; its right side may name
earlier members of ``h`` (``h_{t-1}``, ``h_{t-2}``, ``h_0``) and anything else,
and every member it names must exist at every such ``t`` (``h_{t-2}`` at ``t =
1`` is ``h_{-1}``: an error), as must every other entry it selects.

In: the equation's two sides and the context the other definitions built.
Out: a :class:`~deriv.context.Definition` of the family's array, its
parameters the row (``1`` for ``h_1``) and, for vector members, the entry,
kept in :attr:`~deriv.context.Context.recurrences` -- never in
``definitions``: the engine computes members by unrolling
(:mod:`deriv.engine.recurrence`), it does not expand them everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy
from sympy import Expr, Indexed, Integer

from deriv.context import ONE, Context, Definition, definition_params
from deriv.errors import DerivError, MeaningError
from deriv.ir import base_name, free_indices, index
from deriv.latex import ast
from deriv.latex.lexicon import Lexicon
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.positions import Interval
from deriv.meaning.recurrence_domains import recurrence_conditions
from deriv.read.frontmatter import Equation


def recurrence_family(lhs: ast.Node, context: Context) -> str | None:
    """The family whose member the left side ``h_t`` names, else None."""
    if isinstance(lhs, ast.Scripted) and lhs.sup is None and not lhs.transpose and isinstance(lhs.base, ast.Name):
        declared = context.declared.get(lhs.base.name)
        if declared is not None and declared.family is not None:
            return lhs.base.name
    return None


def split_recurrences(equations: Sequence[Equation], context: Context,
                      lexicon: Lexicon) -> tuple[list[tuple[Equation, str, ast.Scripted, ast.Node]], list[Equation]]:
    """The definitions that define a family's members, and the others (an equation that does
    not parse stays with the others, whose reading reports it)."""
    recurring: list[tuple[Equation, str, ast.Scripted, ast.Node]] = []
    rest: list[Equation] = []
    for equation in equations:
        try:
            chain, _ = parse_display(equation.latex, lexicon)
        except DerivError:
            rest.append(equation)
            continue
        lhs = chain.members[0]
        family = recurrence_family(lhs, context) if len(chain.members) == 2 else None
        if family is None or chain.leading or chain.relations != ("=",) or not isinstance(lhs, ast.Scripted):
            rest.append(equation)
        else:  # a family's member is a scripted name (recurrence_family)
            recurring.append((equation, family, lhs, chain.members[1]))
    return recurring, rest


def _step_index(name: str, lhs: ast.Scripted, context: Context) -> str:
    """The index ``t`` of ``h_t``; any other left side is an error saying what to write."""
    family = context.declared[name].family
    assert family is not None
    items = lhs.sub or ()
    sizes = {s.name for s in context.sizes}
    if len(items) != 1 or not isinstance(items[0], ast.Name) or items[0].font or items[0].name in sizes:
        raise MeaningError(f"{name} is a family, {name}_{{{family.first}}} to {name}_{{{family.last}}}: a definition of its "
                           f"members is written {name}_{family.index} = ... with earlier members such as "
                           f"{name}_{{{family.index}-1}} on the right, and defines {name}_{{{family.first + 1}}} "
                           f"to {name}_{{{family.last}}} from {name}_{{{family.first}}}")
    return items[0].name


def build_recurrence(name: str, lhs: ast.Scripted, rhs_node: ast.Node, context: Context, line: int) -> Definition:
    """``h_t = ...`` as a definition of the rows after the first of ``h``'s array."""
    declared = context.declared[name]
    family = declared.family
    assert family is not None
    step = _step_index(name, lhs, context)
    if declared.positive:  # the prover would take every member positive, whatever the right side gives
        raise MeaningError(f"{name} is declared positive, but its members after the first are defined here: "
                           f"drop 'positive' (the definition says what they are)")
    builder = Builder(context)
    builder.check_index_name(step)
    t = index(step)
    count = declared.shape[0]
    # t is written first+1..last: 0-based, first..last-1 (count = last - first + 1).
    builder.intervals[t] = Interval(Integer(family.first), sympy.expand(count + family.first - 2))
    rhs = builder.build(rhs_node)
    vector = declared.shape[1] != ONE
    member_shape = (declared.shape[1], ONE) if vector else (ONE, ONE)
    if rhs.shape != member_shape:
        raise MeaningError(f"a member of {name} is {'a vector of length ' + str(member_shape[0]) if vector else 'a scalar'}, "
                           f"but the right side is {rhs.describe()}")
    params = definition_params(2 if vector else 1)
    known = {n: (r, "front matter indices") for n, r in context.index_ranges.items() if n != step}
    body = rhs.entry(params[1], sympy.S.Zero) if vector else rhs.expr
    _check_earlier(name, body.xreplace({t: params[0] + family.first - 1}), params[0], step)  # before the ranges: h_{t+1}
    body, _ = builder.finish(body, known)
    stray = free_indices(body) - {t, *params}
    if stray:
        raise MeaningError(f"indices {', '.join(sorted(map(str, stray)))} on the right side are not on the left")
    # Member t (0-based t) is row t + 1 - first; the row is the parameter.
    row = params[0] + family.first - 1
    conditions = recurrence_conditions(builder.conditions, body, t, params, row, context)
    body = body.xreplace({t: row})
    _check_no_cycle(name, body, context)
    notes = tuple(f"in the definition of {name}'s members, {note}" for note in builder.broadcasts)
    return Definition(name, params, body, declared.shape, line, builder.magnitudes.check(body, "this definition"),
                      conditions, notes=notes)


def _check_earlier(name: str, body: Expr, row: Expr, step: str) -> None:
    """Every member of ``name`` the right side names comes before the one defined."""
    for entry in body.atoms(Indexed):
        if base_name(entry) != name:
            continue
        position = entry.indices[0]
        gap = sympy.expand(position - row)
        if (gap.is_Integer and gap < 0) or (position.is_Integer and position < 1):
            continue
        shown = f"{name}_{step}" if gap == 0 else (f"{name}_{{{step}{int(gap):+d}}}" if gap.is_Integer else f"this member of {name}")
        raise MeaningError(f"{shown} on the right side: {name}_{step} is defined from earlier members only, "
                           f"as in {name}_{{{step}-1}}")


def _check_no_cycle(name: str, body: Expr, context: Context) -> None:
    """The right side reaches ``name`` only through the members it names itself."""
    from deriv.context import names_in

    for used in sorted(names_in(body) - {name}):
        if name in context.dependencies(used):
            raise MeaningError(f"the definition of {name}'s members uses {used}, which depends on {name} itself: "
                               f"only {name}'s earlier members may be used")
