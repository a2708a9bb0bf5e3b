"""Random instances of an eigen-equation ``H x = \\lambda x`` with ``H`` definite.

Solving ``H x = \\lambda x`` for one entry per row (what
:mod:`deriv.engine.assumptions` does for any linear equation) leaves ``H``
almost never positive definite, so a document assuming both (the seed's
Hessian argument) had no usable instance.  Here such an ``H`` is built
directly, exactly over the rationals, from the drawn ``x``:

    H = \\lambda P + x w^T Q + Q B Q + Q K Q,   P = x x^T / (x^T x),  Q = I - P

with ``B`` symmetric positive definite, ``K`` skew and ``w`` random (``K``
and ``w`` only when ``H`` is not declared symmetric).  Every ``H`` with
``H x = \\lambda x`` has this form for some ``w`` and ``M = B + K`` (``H = H P
+ H Q`` and ``H Q = P H Q + Q H Q``), so the construction restricts the draw
only by the definiteness the document assumes -- and ``\\lambda`` is made
positive (non-negative) because definiteness forces it.  The caller still
checks every assumption exactly on the result: a construction is a
proposal, never a reason to believe an instance satisfies anything.
"""

from __future__ import annotations

import random

import sympy
from flint import fmpq, fmpq_mat
from sympy import Indexed, Sum, Symbol

from deriv.context import Constraint
from deriv.engine.definiteness import definite
from deriv.ir import base_name
from deriv.names import Kind


def eigen_parts(equation: Constraint) -> tuple[str, str, str] | None:
    """``(H, x, lambda)`` when the equation is ``\\sum_j H_{r,j} x_j - \\lambda x_r = 0`` (either sign)."""
    if equation.relation != "=" or len(equation.free) != 1:
        return None
    (row,) = equation.free
    terms = sympy.Add.make_args(sympy.expand(equation.expr))
    if len(terms) != 2:
        return None
    total = next((t for t in terms if isinstance(t, Sum) or (t.is_Mul and any(isinstance(a, Sum) for a in t.args))), None)
    other = next((t for t in terms if t is not total), None)
    if total is None or other is None:
        return None
    sign, body = (1, total) if isinstance(total, Sum) else total.as_coeff_Mul()
    if not isinstance(body, Sum) or len(body.limits) != 1 or abs(sign) != 1:
        return None
    (k, _, _), = body.limits
    factors = sympy.Mul.make_args(body.function)
    entries = [f for f in factors if isinstance(f, Indexed)]
    if len(factors) != 2 or len(entries) != 2:
        return None
    matrix = next((e for e in entries if len(e.indices) == 2 and e.indices == (row, k)), None)
    vector = next((e for e in entries if len(e.indices) == 1 and e.indices == (k,)), None)
    if matrix is None or vector is None:
        return None
    coeff, rest = other.as_coeff_Mul()
    parts = sympy.Mul.make_args(rest)
    scalar = [p for p in parts if isinstance(p, Symbol)]
    entry = [p for p in parts if isinstance(p, Indexed)]
    if coeff != -sign or len(parts) != 2 or len(scalar) != 1 or len(entry) != 1:
        return None
    if base_name(entry[0]) != base_name(vector) or entry[0].indices != (row,):
        return None
    return base_name(matrix), base_name(vector), scalar[0].name


def definiteness_of(name: str, facts: list[Constraint]) -> str | None:
    """``pd`` or ``psd`` when a fact makes the matrix ``name`` (or its quadratic form) definite."""
    found = None
    for fact in facts:
        mentions = any(isinstance(a, Indexed) and base_name(a) == name for a in fact.expr.atoms(Indexed))
        if not mentions:
            continue
        if fact.relation in ("pd", "psd") and not (isinstance(fact.expr, Indexed) and base_name(fact.expr) == name):
            continue  # S \succ T is about S - T: it makes neither definite
        if fact.relation in ("pd", "psd"):
            found = "pd" if fact.relation == "pd" or found == "pd" else "psd"
        elif fact.over is not None:
            found = "pd" if fact.relation == ">" or found == "pd" else "psd"
    return found


def construct(instance, equations: list[Constraint], facts: list[Constraint]) -> list[Constraint]:
    """Build ``H`` (and fix the sign of ``\\lambda``) for each eigen-equation with a definite ``H``.

    Returns the equations so handled; the others are left to the solver.
    """
    handled = []
    context = instance.context
    for equation in equations:
        parts = eigen_parts(equation)
        if parts is None:
            continue
        matrix, vector, scalar = parts
        declared = {n: context.declared.get(n) for n in parts}
        if any(d is None for d in declared.values()) or declared[scalar].kind != Kind.SCALAR:
            continue
        if declared[matrix].kind not in (Kind.MATRIX, Kind.SYMMETRIC) or declared[matrix].positive:
            continue
        kind = definiteness_of(matrix, facts)
        if kind is None:
            continue
        x = [fmpq(instance.arrays[vector][(k,)]) for k in range(len(instance.arrays[vector]))]
        if len(x) != instance.size(declared[matrix].shape[0]):
            continue
        lam = fmpq(instance.arrays[scalar])
        if any(v != 0 for v in x):
            # Definiteness forces x^T H x = \lambda x^T x to have the sign of \lambda.
            lam = -lam if lam < 0 else lam
        instance.arrays[scalar] = lam
        rng = random.Random(f"deriv:{instance.seed}:{instance.trial}:{instance.attempt}:eigen:{matrix}")
        values = _matrix(x, lam, declared[matrix].kind == Kind.SYMMETRIC, kind == "pd", rng)
        n = len(x)
        instance.arrays[matrix] = {(i, j): values[i, j] for i in range(n) for j in range(n)}
        handled.append(equation)
    return handled


def construct_definite(instance, facts: list[Constraint], skip: frozenset[str], keep: bool = False) -> None:
    """Draw a declared matrix ``H`` with a fact ``H \\succ 0`` (``\\succeq``) definite by construction.

    Also for a quantified fact whose form mentions one declared square
    matrix (``x^T H x > 0 \\quad \\forall x \\neq 0``): the caller checks it
    exactly afterwards, so a construction that does not fit it is redrawn,
    never believed.  See :func:`spread` for which matrices are drawn.  With ``keep``
    (a structured instance) a matrix that is already definite is kept: the structure
    made it so (``H = I``, an entry where a claim's sides meet).
    """
    context = instance.context
    for name, strict in _definite_names(facts, context).items():
        declared = context.declared.get(name)
        if name in skip or declared is None or declared.positive:
            continue
        n = instance.size(declared.shape[0])
        if keep and _already(instance.arrays[name], n, strict):
            continue
        rng = random.Random(f"deriv:{instance.seed}:{instance.trial}:{instance.attempt}:definite:{name}")
        # Every second redraw moves on to the next family: a fact beside it (H \neq 0, H_{1,1} > 0)
        # that the zero matrix of one family violates on every attempt left that trial undecided;
        # even attempts have every sign positive (patterns.pattern), so each family meets them.
        values = spread(n, strict, instance.trial + instance.attempt // 2, rng)
        if declared.kind != Kind.SYMMETRIC:
            values += skew(n, rng)  # x^T K x = 0: the same quadratic form
        instance.arrays[name] = {(i, j): values[i, j] for i in range(n) for j in range(n)}


def _already(table: dict, n: int, strict: bool) -> bool:
    """Whether the matrix given by its entries is already (semi-)definite, exactly."""
    try:
        return definite([[fmpq(table[i, j]) for j in range(n)] for i in range(n)], strict=strict)
    except (TypeError, ValueError, KeyError):  # a ball, not an exact value: construct as usual
        return False


def _definite_names(facts: list[Constraint], context) -> dict[str, bool]:
    """Each matrix a definiteness fact is about, and whether some fact says so strictly (``H \\succ 0``
    beside ``H \\succeq 0`` is drawn definite: a singular draw would violate it on every attempt)."""
    found: dict[str, bool] = {}
    for fact in facts:
        name, strict = _definite_name(fact, context)
        if name is not None:
            found[name] = found.get(name, False) or strict
    return found


def _definite_name(fact: Constraint, context) -> tuple[str | None, bool]:
    """The square matrix a definiteness fact is about, and whether strictly (None when it is not one)."""
    if fact.relation in ("pd", "psd") and isinstance(fact.expr, Indexed):
        name: str | None = base_name(fact.expr)
    elif fact.over is not None and fact.relation in (">", ">="):
        names = {base_name(a) for a in fact.expr.atoms(Indexed)} - {fact.over}
        name = names.pop() if len(names) == 1 else None
    else:
        return None, False
    declared = context.declared.get(name) if name is not None else None
    if declared is None or declared.kind not in (Kind.MATRIX, Kind.SYMMETRIC) or declared.shape[0] != declared.shape[1]:
        return None, False
    return name, fact.relation in ("pd", ">")


#: Smallest-eigenvalue scales of the definite draws, by trial: well inside the cone, then towards 0.
SCALES = (fmpq(1), fmpq(1, 1000), fmpq(1, 100), fmpq(1, 64))


def spread(n: int, strict: bool, trial: int, rng: random.Random) -> fmpq_mat:
    """A symmetric positive (semi-)definite ``n x n`` matrix whose smallest eigenvalue varies with ``trial``.

    Trial 0 draws ``A A^T + D`` (eigenvalues >= 1); the others reach towards
    the boundary, where ``x^T H x >= x^T x`` and ``\\operatorname{tr} H \\geq N``
    fail: ``B B^T`` with ``B`` of rank ``n - 1`` (singular unless strict, then
    ``+ \\epsilon I``), ``\\epsilon I`` alone (0 unless strict), and a full
    ``B B^T + \\epsilon D``.
    """
    family, epsilon = trial % len(SCALES), SCALES[trial % len(SCALES)]
    rank = {0: n, 1: n - 1, 2: 0}.get(family, n)
    b = fmpq_mat(n, max(rank, 1), [rng.randint(-3, 3) if rank else 0 for _ in range(n * max(rank, 1))])
    diagonal = [fmpq(rng.randint(1, 4)) if family in (0, 3) else fmpq(1) for _ in range(n)]
    shift = fmpq_mat(n, n, [diagonal[i] * epsilon if i == j and strict else 0 for i in range(n) for j in range(n)])
    return b * b.transpose() + shift


def skew(n: int, rng: random.Random) -> fmpq_mat:
    k = fmpq_mat(n, n, [0] * (n * n))
    for i in range(n):
        for j in range(i + 1, n):
            k[i, j] = fmpq(rng.randint(-5, 5))
            k[j, i] = -k[i, j]
    return k


def _matrix(x: list, lam, symmetric: bool, strict: bool, rng: random.Random) -> fmpq_mat:
    """``H`` as in the module docstring; for ``x = 0`` (every ``H`` and ``\\lambda`` fit) ``P = 0``."""
    n = len(x)
    column = fmpq_mat(n, 1, x)
    norm = (column.transpose() * column)[0, 0]
    p = column * column.transpose() * (1 / norm) if norm != 0 else fmpq_mat(n, n, [0] * (n * n))
    identity = fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
    q = identity - p
    a = fmpq_mat(n, n, [rng.randint(-3, 3) for _ in range(n * n)])
    b = a * a.transpose() + fmpq_mat(n, n, [rng.randint(1, 4) if i == j and strict else 0
                                               for i in range(n) for j in range(n)])
    h = p * lam + q * b * q
    if symmetric:
        return h
    k = fmpq_mat(n, n, [0] * (n * n))
    for i in range(n):
        for j in range(i + 1, n):
            k[i, j] = fmpq(rng.randint(-5, 5))
            k[j, i] = -k[i, j]
    w = fmpq_mat(1, n, [fmpq(rng.randint(-3, 3), rng.randint(1, 4)) for _ in range(n)])
    for scale in (fmpq(1), fmpq(1, 8), fmpq(0)):
        candidate = h + q * k * q + column * (w * q) * scale
        if definite(candidate.tolist(), strict=strict):
            return candidate
    return h
