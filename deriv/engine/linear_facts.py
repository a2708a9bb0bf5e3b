"""Vector and matrix equation assumptions imposed as one exact linear system.

An equation with free indices (the normal equations ``X^T(Xw - y) + \\lambda w
= 0``, a stationarity condition ``\\nabla_w L = 0``) is one scalar equation
at each value of its free indices.  Solved entry by entry
(:mod:`deriv.engine.assumptions`), each row takes a different entry and a
row solved later may undo an earlier one -- surely so where each row reads a
whole array (:func:`coupled`: ``X_{k,j} w_j`` in every row); there, or where
the entry solver fails, every row is solved at once for
all the entries ``u`` of one drawn array the equation is affine in:
``A u + b = 0``, read off the instance exactly -- ``b`` the residuals at ``u =
0``, column ``k`` of ``A`` those at ``u = e_k`` minus ``b`` -- with affinity
checked at the drawn ``u`` and at twice it.  The system is reduced exactly
(python-flint ``fmpq_mat``); the free unknowns of a singular system
(rank-deficient ``X``, ``\\lambda = 0``) take random values, so the whole
solution space is sampled; a system with no solution on the draw is a redraw.

Which array is solved for: one no other equation needs (it stays free for
them), then the one whose solution space on this draw is largest -- every
solution is then within reach of the random draw of the other names (``A x =
0`` is solved for ``A``, which keeps ``x`` random: solved for ``x`` it would
make ``x = 0`` on every instance, a random ``A`` being invertible) -- then the
variable of a derivative the equation takes (``\\nabla_w L = 0``: ``w``), a
vector before a matrix, by name; in the ``scalars`` mode, a scalar that alone
solves it comes first (``\\lambda = \\mu`` in ``\\lambda A x = \\mu A x``).
Never a name something else fixed (an eigenpair, a degenerate zero, an
earlier system), a ``positive`` one, ``I`` or ``\\mathbf{1}``.  However it
was made, the instance is checked against every assumption afterwards.
"""

from __future__ import annotations

import random

from flint import fmpq, fmpq_mat
from sympy import Indexed, Sum
from sympy.core.function import AppliedUndef

from deriv.context import Constraint
from deriv.engine.differentiate import expand_definitions
from deriv.engine.residuals import Unsatisfied, get_entry, points, residuals, set_entry
from deriv.ir import OpaqueCall, OpaqueGrad, Partial, base_name
from deriv.names import Kind

_SOLVABLE = (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC)
#: A system is read off with (unknowns + 3) x (points) residual evaluations: one that would take
#: more is not built (a matrix of 24 x 24 unknowns), and the equation is left to the entry solver.
MAX_EVALUATIONS = 2000


def coupled(equation: Constraint, context) -> bool:
    """Whether the equation has free indices and reads some array whole at each of its points (an
    entry all of whose indices are summed: ``X_{k,j} w_j`` in the normal equations)."""
    if not equation.free:
        return False
    body = expand_definitions(equation.expr, context)
    summed = {limit[0] for s in body.atoms(Sum) for limit in s.limits}
    return any(a.indices and all(i in summed for i in a.indices) for a in body.atoms(Indexed)
               if base_name(a) in context.declared)


def solve_systems(instance, compiler, equations: list[Constraint], fixed: frozenset[str],
                  chosen: dict[int, str], scalars_first: bool = False) -> dict[int, str]:
    """Solve each equation with free indices that does not hold yet for a whole array (the one
    ``chosen`` before stays fixed while it holds); returns equation number -> the array solved for."""
    solved: dict[int, str] = {}
    for number, equation in enumerate(equations):
        if not equation.free:
            continue
        taken = fixed | frozenset(solved.values())
        if _holds(instance, compiler, equation):  # already (a degenerate mode's scalars): left as it is
            if chosen.get(number) is not None and chosen[number] not in taken:
                solved[number] = chosen[number]
            continue
        others = frozenset().union(*(instance.context.reached(e.expr) for e in equations if e is not equation))
        name = _solve(instance, compiler, equation, taken, scalars_first, others)
        if name is not None:
            solved[number] = name
    return solved


def _holds(instance, compiler, equation: Constraint) -> bool:
    try:
        return not any(residuals(instance, compiler, equation, points(instance, equation)))
    except Unsatisfied:
        return False


def _solve(instance, compiler, equation: Constraint, taken: frozenset[str], scalars_first: bool,
           others: frozenset[str] = frozenset()) -> str | None:
    """Set the best array (see the module) so the equation holds; None when it is affine in none.
    With ``scalars_first`` (a degenerate mode), a scalar that alone solves it wins (``\\lambda = \\mu``
    in ``(\\lambda - \\mu) A x = 0``, which leaves ``A`` and ``x`` random)."""
    rng = random.Random(f"deriv:linear:{instance.seed}:{instance.trial}:{instance.attempt}:{sorted(map(str, instance.sizes.items()))}")
    options, affine, skipped = [], False, False
    for rank, name in enumerate(candidates(instance, equation, taken, scalars_first, others)):
        keys = unknowns(instance, name)
        if (len(keys) + 3) * len(points(instance, equation)) > MAX_EVALUATIONS:
            skipped = True
            continue
        system = affine_system(instance, compiler, equation, name, keys)
        space = None if system is None else solution_space(*system)
        affine = affine or system is not None
        if space is not None:
            scalar = not isinstance(instance.arrays[name], dict)
            singular = _singular_solutions(instance, name, keys, space)
            options.append((singular, not scalar, name in others, -len(space[1]), rank, name, keys, space))
    if not options:
        if affine and not skipped:  # another draw of the other names may make it solvable
            raise Unsatisfied(f"assumption {equation.latex} has no solution on this draw")
        return None
    *_, name, keys, (particular, directions) = min(options, key=lambda o: o[:5])
    weights = [fmpq(rng.choice((-1, 1)) * rng.randint(1, 9), rng.randint(1, 4)) for _ in directions]
    values = [p + sum((w * d[k] for w, d in zip(weights, directions)), fmpq(0)) for k, p in enumerate(particular)]
    for key, value in zip(keys, values):
        set_entry(instance, name, key, value)
    return name


def _singular_solutions(instance, name: str, keys, space) -> bool:
    """On a redraw (an attempt past the first), whether solving for the square matrix ``name``
    makes it singular (``A x = A c`` for ``A``: ``x - c`` in its kernel): a step that inverts
    it could not be evaluated there (:func:`deriv.engine.assumptions.presupposed`), so another
    array is solved for if one can be; the first attempt keeps the largest space."""
    declared = instance.context.declared[name]
    table = instance.arrays[name]
    if instance.attempt == 0 or declared.kind == Kind.VECTOR or not isinstance(table, dict):
        return False
    n = instance.size(declared.shape[0])
    if n != instance.size(declared.shape[1]):
        return False
    particular, directions = space
    # Weights of no pattern: 1, 2, 3, ... in the free entries would make a singular matrix of their own.
    rng = random.Random(f"deriv:singular:{name}:{instance.seed}:{instance.trial}:{instance.attempt}")
    weights = [fmpq(rng.choice((-1, 1)) * rng.randint(1, 97), rng.randint(1, 13)) for _ in directions]
    values = [p + sum((w * d[k] for w, d in zip(weights, directions)), fmpq(0)) for k, p in enumerate(particular)]
    instance.arrays[name] = dict(table)  # set_entry writes in place: a copy, the drawn table kept
    try:
        for key, value in zip(keys, values):
            set_entry(instance, name, key, value)
        solved = instance.arrays[name]
        return fmpq_mat(n, n, [fmpq(solved[i, j]) for i in range(n) for j in range(n)]).det() == 0
    finally:
        instance.arrays[name] = table


def candidates(instance, equation: Constraint, taken: frozenset[str], scalars: bool = False,
               others: frozenset[str] = frozenset()) -> list[str]:
    """Arrays the equation mentions that may be solved for, by preference when solution spaces tie:
    one no other equation needs (it stays free for them), a derivative's variable, a vector, by
    name; with ``scalars``, its scalars before them."""
    context = instance.context
    body = expand_definitions(equation.expr, context)
    if body.has(OpaqueCall, OpaqueGrad) or body.atoms(AppliedUndef):
        return []  # equations of functions are not imposed, as before (the entry solver says so)
    variables = {base_name(p.var) for p in body.atoms(Partial) if isinstance(p.var, Indexed)}
    kinds = _SOLVABLE + ((Kind.SCALAR,) if scalars else ())
    names = [n for n in context.reached(equation.expr) if n in context.declared and n not in taken
             and context.declared[n].kind in kinds and not context.declared[n].positive and n in instance.arrays]
    return sorted(names, key=lambda n: (context.declared[n].kind != Kind.SCALAR, n in others, n not in variables,
                                        context.declared[n].kind != Kind.VECTOR, n))


def unknowns(instance, name: str) -> list[tuple[int, ...]]:
    """The entries of ``name`` that are free to set (one of each mirrored pair of a symmetric matrix)."""
    if not isinstance(instance.arrays[name], dict):
        return [()]  # a scalar
    keys = sorted(instance.arrays[name])
    if instance.context.declared[name].kind == Kind.SYMMETRIC:
        keys = [k for k in keys if k[0] <= k[1]]
    return keys


def affine_system(instance, compiler, equation: Constraint, name: str, keys) -> tuple[list[list], list] | None:
    """``(A, b)`` with residuals ``A u + b`` in the entries ``u`` of ``name``; None when not affine in them."""
    at = points(instance, equation)
    drawn = [get_entry(instance, name, k) for k in keys]

    def residuals_with(values) -> list:
        for key, value in zip(keys, values):
            set_entry(instance, name, key, value)
        return residuals(instance, compiler, equation, at)

    try:
        b = residuals_with([fmpq(0)] * len(keys))
        once, twice = residuals_with(drawn), residuals_with([2 * u for u in drawn])
        if any(t - z != 2 * (o - z) for z, o, t in zip(b, once, twice)):
            return None
        columns = [[r - z for r, z in zip(residuals_with([fmpq(int(j == k)) for j in range(len(keys))]), b)]
                   for k in range(len(keys))]
    except Unsatisfied:  # undefined where an entry is 0 or 1 (1/w): not affine in it
        return None
    finally:
        residuals_with(drawn)
    rows = [[column[p] for column in columns] for p in range(len(at))]
    if any(sum((a * u for a, u in zip(row, drawn)), fmpq(0)) + z != o for row, z, o in zip(rows, b, once)):
        return None  # a product of two entries (u_j u_k) vanishes at every unit vector
    return rows, b


def solution_space(rows: list[list], b: list) -> tuple[list, list[list]] | None:
    """``(particular, directions)`` of ``A u + b = 0`` exactly (reduced row echelon form of ``[A | -b]``);
    None when it has no solution."""
    n = len(rows[0]) if rows else 0
    augmented = fmpq_mat(len(rows), n + 1, [v for row, z in zip(rows, b) for v in (*row, -z)])
    reduced, rank = augmented.rref()
    pivots = [next(j for j in range(n + 1) if reduced[i, j] != 0) for i in range(rank)]
    if n in pivots:
        return None  # a row 0 = c with c != 0
    free = [j for j in range(n) if j not in pivots]
    particular = [fmpq(0)] * n
    for i, p in enumerate(pivots):
        particular[p] = reduced[i, n]
    directions = []
    for f in free:
        direction = [fmpq(0)] * n
        direction[f] = fmpq(1)
        for i, p in enumerate(pivots):
            direction[p] = -reduced[i, f]
        directions.append(direction)
    return particular, directions


__all__ = ["affine_system", "candidates", "coupled", "solution_space", "solve_systems", "unknowns"]
