"""Where a definiteness statement is tested: random instances, and the structured ones where it fails.

Random entries are never 0 and random square matrices are never singular,
but ``M \\succ 0`` fails exactly there.  So besides the random instances at
the sizes of :func:`deriv.engine.plan.sizes_to_try` (the grid, every size
1, each size 1 in turn, and the sizes in the other order -- ``X^T X \\succ 0``
fails whenever ``X`` has fewer rows than columns), a statement is tried on
:func:`structured` instances, over the names the statement uses (and those an
assumption relates to them: ``S \\succeq A^T A`` makes ``A`` one): every set
of them (each one, when there are many) set to 0 -- ``A + X^T X \\succeq 0``
fails only with ``X = 0`` -- each matrix made rank 1 (a repeated column),
then all of them at once, and each name scaled by :data:`SCALES` in turn (a
small ``A`` makes ``\\lambda A`` beat ``2 A^T A + 2 H``; a large ``\\lambda``
the same).  Each such instance still satisfies every assumption exactly (one
that it violates is skipped).  On an instance the matrix is certified by
:func:`deriv.engine.definiteness.certify` (exact, or balls whose precision
is raised up to :data:`MAX_BITS`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from flint import fmpq
from sympy import Expr, Symbol

from deriv.context import Constraint, names_in
from deriv.engine import certified
from deriv.engine.assumptions import Unsatisfied, gram, impose
from deriv.engine.certified import PrecisionError
from deriv.engine.compare import next_precision
from deriv.engine.definiteness import Certified, certify
from deriv.engine.differentiate import expand_definitions
from deriv.engine.instances import ATTEMPTS, Instance
from deriv.engine.supports import Kept, separate_edits
from deriv.errors import UnsupportedError
from deriv.names import Kind

#: Trial number of the structured instances (apart from the random ones).
STRUCTURED_TRIAL = 2001
#: Draws of the other names for each combined edit, and attempts per draw to satisfy the assumptions.
STRUCTURED_ATTEMPTS = 3
REDRAWS = 4
#: Up to this many names, every set of them is set to 0 (2^n - 1 instances).
SUBSET_NAMES = 4
#: Factors each name the statement uses is scaled by, one name at a time: a term
#: linear in a name dominates one quadratic in it when the name is small, and
#: the other way round when it is large (positive factors keep a sign or a
#: definiteness assumption).
SCALES = (fmpq(1, 4096), fmpq(1, 64), fmpq(64), fmpq(4096))
#: Values every square matrix (times I) and scalar the statement uses take at once.
MULTIPLES = (fmpq(1, 2), fmpq(-1, 2), fmpq(1), fmpq(-1), fmpq(2), fmpq(-2), fmpq(1, 4))
#: Highest precision a matrix of balls is certified at (a singular one never is).
MAX_BITS = 256


def structured(session, sizes: dict[Symbol, int], expr: Expr) -> Iterator[tuple[str, Instance]]:
    """Instances where a name ``expr`` uses is 0 or a matrix has rank 1 (then all at once), that satisfy the assumptions."""
    context = session.context
    used = _with_assumed(names_in(expand_definitions(expr, context)), context)
    names = [n for n, d in context.declared.items()
             if n in used and d.is_array and not d.positive and d.kind not in (Kind.IDENTITY, Kind.ONES)]
    matrices = [n for n in names if context.declared[n].kind in (Kind.MATRIX, Kind.SYMMETRIC)]
    free = []  # names the assumptions let be 0: only these are combined
    for name in names:
        found = _edited(session, sizes, {name: _zero})
        if found is not None:
            free.append(name)
            yield found
    for attempt in range(STRUCTURED_ATTEMPTS):  # what is left random is drawn again: A + X^T X needs an indefinite A
        yield from _combined(session, sizes, free, matrices, attempt)
    scalable = [n for n, d in context.declared.items()
                if n in used and d.is_array and d.kind not in (Kind.IDENTITY, Kind.ONES)]
    for name, factor in itertools.product(scalable, SCALES):
        found = _edited(session, sizes, {name: Scaled(factor)})
        if found is not None:
            yield found
    yield from _multiples(session, sizes, [n for n in scalable if _square_or_scalar(context.declared[n])])
    yield from _units(session, sizes, [n for n in scalable if context.declared[n].kind != Kind.SCALAR])


def _with_assumed(used: set[str], context) -> set[str]:
    """``used`` and every name an assumption relates to one of them, to a fixed point: ``S \\succ 0``
    under ``S \\succeq A^T A`` fails only where ``A`` is singular (``S`` alone at 0 is redrawn)."""
    used = set(used)
    grown = True
    while grown:
        grown = False
        for constraint in context.assumptions:
            reached = set(names_in(expand_definitions(constraint.expr, context)))
            if reached & used and not reached <= used:
                used |= reached
                grown = True
    return used


def _units(session, sizes: dict[Symbol, int], arrays: list[str]):
    """Each vector ``c e_1`` (matrix ``c e_1 e_1^T``), then with every entry ``c``, for ``c`` in
    :data:`MULTIPLES`: points on the boundary of an assumption about its norm, which a random draw
    never is (``I - x x^T \\succ 0`` under ``x^T x \\leq 1`` fails at ``x = e_1``, ``2 I - x x^T \\succ 0``
    under ``x^T x \\leq 2`` at ``x = (1, 1)``)."""
    declared = session.context.declared
    for name, c, edit in itertools.product(arrays, MULTIPLES, (Unit, Every)):
        if declared[name].positive and (edit is Unit or c <= 0):  # a positive array has no zero entry
            continue
        found = _edited(session, sizes, {name: edit(c)})
        if found is not None:
            yield found


def _square_or_scalar(declared) -> bool:
    return declared.kind == Kind.SCALAR or (declared.kind in (Kind.MATRIX, Kind.SYMMETRIC) and declared.shape[0] == declared.shape[1])


def _multiples(session, sizes: dict[Symbol, int], names: list[str]):
    """Every square matrix ``c I`` and every scalar ``c`` at once, for ``c`` in :data:`MULTIPLES`:
    a form singular where a matrix and a scalar meet (``(A - \\lambda I)^T (A - \\lambda I)
    \\succ 0`` at ``A = \\lambda I``; ``(2A - I)^T (2A - I)`` at ``A = I/2``)."""
    declared = session.context.declared
    for c in MULTIPLES:
        # A positive name keeps its declaration: a positive scalar only at c > 0, a matrix declared
        # positive never (c I has zero entries).
        chosen = [n for n in names if not declared[n].positive or (c > 0 and declared[n].kind == Kind.SCALAR)]
        found = _edited(session, sizes, {name: Multiple(c) for name in chosen}) if chosen else None
        if found is not None:
            yield found


def _combined(session, sizes: dict[Symbol, int], free: list[str], matrices: list[str], attempt: int):
    # Every set of them 0 when there are few (A + X^T X fails only with X = 0), else all at once.
    sets = ([c for k in range(2, len(free) + 1) for c in itertools.combinations(free, k)]
            if len(free) <= SUBSET_NAMES else [tuple(free)])
    edits: list[dict[str, Any]] = [{n: _zero for n in chosen} for chosen in sets] + [{n: _rank_one} for n in matrices]
    if len(free) > 1:  # each term of a sum may lose rank at once
        edits.append({n: _rank_one if n in matrices else _zero for n in free})
    if len(matrices) > 1:  # one range or kernel for all, or separate ones (engine/supports.py): A + B \succ 0
        edits += [{n: Kept(0) for n in matrices}, separate_edits(matrices)]
    # A matrix of rank 1 where every scalar is 0, the vectors left as drawn (|A z|^2 + c |z|^2 > 0 fails
    # only with c = 0 and A singular; zeroing the vectors too may break an assumption about them).
    scalars = [n for n in free if session.context.declared[n].kind == Kind.SCALAR]
    if scalars:
        edits += [{m: _rank_one, **{n: _zero for n in scalars}} for m in matrices]
    for changes in edits:
        found = _edited(session, sizes, changes, attempt)
        if found is not None:
            yield found


def _edited(session, sizes: dict[Symbol, int], changes: dict, draw: int = 0) -> tuple[str, Instance] | None:
    """The instance with ``changes`` made, then the assumptions imposed (redrawn a few times while they
    fail: a scalar's sign, ``\\lambda > 0``); None when no draw keeps any of the changes."""
    for attempt in range(draw * REDRAWS, (draw + 1) * REDRAWS):
        # The trial picks how a matrix the assumptions make definite is drawn (eigen.spread): rank
        # n - 1 first, so a name set to 0 meets a singular assumed matrix (H + a^2 I, H \succeq 0, a = 0),
        # then small in every direction, then a full one.
        instance = Instance(session.context, session.seed, STRUCTURED_TRIAL + draw, sizes, attempt)
        for name, change in changes.items():
            instance.arrays[name] = change(instance.arrays[name])
        wanted = {name: instance.arrays[name] for name in changes}
        if session.context.assumptions:
            try:
                impose(instance, session.compiler)
            except Unsatisfied:
                continue
            except UnsupportedError:
                return None
        kept = [n for n in changes if instance.arrays[n] == wanted[n]]  # the assumptions may redraw some
        if not kept:
            return None
        session.keep(instance)
        return ", ".join(f"{n} {_label(changes[n], instance.arrays[n])}" for n in kept), instance
    return None


class Scaled:
    """The edit that multiplies every entry (or the scalar) by ``factor``."""

    def __init__(self, factor: fmpq) -> None:
        self.factor = factor
        self.label = f"scaled by {factor}"

    def __call__(self, table):
        if isinstance(table, dict):
            return {k: fmpq(v) * self.factor for k, v in table.items()}
        return fmpq(table) * self.factor


class Multiple:
    """The edit that makes a square matrix ``c I`` (a scalar ``c``)."""

    def __init__(self, c: fmpq) -> None:
        self.c = c

    def __call__(self, table):
        if isinstance(table, dict):
            return {(i, j): self.c if i == j else fmpq(0) for i, j in table}
        return self.c


class Unit:
    """The edit that makes a vector ``c e_1`` (a matrix ``c e_1 e_1^T``)."""

    def __init__(self, c: fmpq) -> None:
        self.c = c

    def __call__(self, table):
        first = min(table)
        return {k: self.c if k == first else fmpq(0) for k in table}


class Every:
    """The edit that makes every entry ``c``."""

    def __init__(self, c: fmpq) -> None:
        self.c = c
        self.label = f"with every entry {c}"

    def __call__(self, table):
        return dict.fromkeys(table, self.c)


def _label(edit, value) -> str:
    if isinstance(edit, Multiple):
        return f"= {edit.c} I" if isinstance(value, dict) else f"= {edit.c}"
    if isinstance(edit, Unit):  # a vector's entries are keyed by one index or by (i, 0)
        return f"= {edit.c} e_1" + (" e_1^T" if any(len(k) == 2 and k[1] for k in value) else "")
    return edit.label if isinstance(edit, (Scaled, Kept, Every)) else _EDITS[edit]


def _zero(table):
    return {k: fmpq(0) for k in table} if isinstance(table, dict) else fmpq(0)


def _rank_one(table):
    """``M_{i,j} = M_{i,1} M_{1,j} / M_{1,1}``: rank 1, its first row and column kept (symmetric stays symmetric)."""
    corner = fmpq(table[(0, 0)])
    return {(i, j): fmpq(table[(i, 0)]) * fmpq(table[(0, j)]) / corner for i, j in table}


def matrix_at(constraint: Constraint, instance, session, bits: int) -> list[list]:
    """The matrix of a ``pd``/``psd`` statement (or the Gram matrix of a quantified one) on an instance."""
    if constraint.over is not None:
        return gram(instance, session.compiler, constraint, bits)
    n = instance.size(constraint.ranges[0][1])
    evaluator, compiled = session.evaluator(instance, bits), session.compiler.compile(constraint.expr)
    with certified.precision(bits):
        return [[_at(evaluator, compiled, dict(zip(constraint.free, (i, j)))) for j in range(n)] for i in range(n)]


def _at(evaluator, compiled, bindings: dict):
    evaluator.bindings = bindings
    return compiled(evaluator)


def certify_at(constraint: Constraint, instance, session) -> tuple[Certified, list[list] | None]:
    """The certified verdict on one instance (``redraw`` when its values are too large), with the matrix."""
    strict = constraint.relation in ("pd", ">")
    bits = certified.START_PRECISION
    while True:
        try:
            matrix = matrix_at(constraint, instance, session, bits)
        except PrecisionError as error:
            if error.redraw:
                return Certified("redraw"), None
            found, matrix = Certified("unsure"), None
        else:
            found = certify(matrix, strict)
        if found.kind != "unsure":
            return found, matrix
        bits = next_precision(bits, 2 * bits)
        if bits > MAX_BITS:
            return found, matrix


def drawn(session, trial: int, sizes: dict[Symbol, int], constraint: Constraint):
    """``(instance, certified, matrix)`` for the first attempt that satisfies the assumptions and can be evaluated."""
    why = "no instance"
    for attempt in range(ATTEMPTS):
        try:
            instance = session.instance(trial, sizes, attempt)
        except Unsatisfied as error:  # this draw violates a fact: the next attempt
            why = error.message
            continue
        found, matrix = certify_at(constraint, instance, session)
        if found.kind != "redraw":
            return instance, found, matrix
        why = "values too large to evaluate"
    raise UnsupportedError(f"no random instance could be evaluated ({why})")


_EDITS = {_zero: "= 0", _rank_one: "of rank 1"}
