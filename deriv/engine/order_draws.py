"""Random instances of a Loewner order ``S \\succ T`` (any definiteness of a matrix expression).

A draw of ``S`` and ``T`` seldom makes ``S - T`` definite, so a document assuming
``S \\succ T`` had no instance and every step under it was ``undecided``.  Where the
fact's matrix is affine in one declared square matrix ``M`` with a rational
coefficient (``c M + R``, ``R`` free of ``M``: ``S - T`` in ``S`` or ``T``,
``A^T A - S`` in ``S``), ``M`` is set to ``(D - R) / c`` with ``D`` drawn as a
definite matrix is (:func:`deriv.engine.eigen.spread`: its smallest eigenvalue
reaching towards 0 from trial to trial, singular for ``\\succeq``, so
``S = T`` is met).  The caller checks every assumption exactly afterwards:
a construction is a proposal.
"""

from __future__ import annotations

import random
from dataclasses import replace

import sympy
from flint import fmpq, fmpq_mat
from sympy import Indexed

from deriv.context import Constraint
from deriv.engine import certified
from deriv.engine.definiteness import definite
from deriv.engine.differentiate import expand_definitions
from deriv.engine.eigen import skew, spread
from deriv.engine.residuals import value_at
from deriv.ir import base_name
from deriv.names import Kind


def construct_ordered(instance, compiler, facts: list[Constraint], skip: frozenset[str], boundary: bool = False) -> None:
    """Set, for each definiteness fact about an expression (not one declared matrix), the matrix
    it is affine in so that the fact holds (:func:`_set`); facts it can not set are left as drawn.
    ``boundary`` (a structured instance): on the boundary of the order (:data:`BOUNDARY_FAMILY`)."""
    for fact in facts:
        if fact.relation not in ("pd", "psd") or fact.over is not None or _declared_entry(fact.expr, instance.context):
            continue  # H \\succ 0 of a declared H: drawn definite (eigen.construct_definite)
        if boundary and _already(instance, compiler, fact):
            continue  # the structure made it so (S = T = 0): kept, as construct_definite keeps H = I
        written = replace(fact, expr=expand_definitions(fact.expr, instance.context))  # M \\succ 0, M = S - T
        for name, entry, coefficient in _solvable(written, instance.context, skip):
            if _set(instance, compiler, written, name, entry, coefficient, boundary):
                break


def _declared_entry(expr, context) -> bool:
    return isinstance(expr, Indexed) and base_name(expr) in context.declared


def _solvable(fact: Constraint, context, skip: frozenset[str]) -> list[tuple[str, Indexed, sympy.Rational]]:
    """The declared square matrices the fact's entry is affine in (the entry at its own indices,
    a nonzero rational coefficient), those with a positive coefficient first (``S`` in ``S - T``)."""
    row, col = fact.free
    expr = sympy.expand(fact.expr)
    found = []
    for atom in sorted(expr.atoms(Indexed), key=sympy.default_sort_key):
        name = base_name(atom)
        declared = context.declared.get(name)
        if name in skip or declared is None or declared.positive or declared.kind not in (Kind.MATRIX, Kind.SYMMETRIC):
            continue
        if atom.indices != (row, col):
            continue
        coefficient = expr.coeff(atom)
        rest = expr - coefficient * atom
        others = [a for a in rest.atoms(Indexed) if base_name(a) == name] + \
                 [a for a in coefficient.atoms(Indexed) if base_name(a) == name]
        if coefficient.is_Rational and coefficient != 0 and not others:
            found.append((name, atom, coefficient))
    return sorted(found, key=lambda f: (bool(f[2] < 0), f[0]))


#: The family of :func:`~deriv.engine.eigen.spread` a structured instance takes: ``\\epsilon I``, 0 for
#: ``\\succeq`` (``S = T`` exactly: with ``T = A^T A`` of a singular ``A``, ``S \\succ 0`` fails there).
BOUNDARY_FAMILY = 2


def _matrix(values: list[list], n: int) -> fmpq_mat:
    return fmpq_mat(n, n, [fmpq(v) for row in values for v in row])


def _already(instance, compiler, fact: Constraint) -> bool:
    """Whether the fact holds as the instance is, exactly (False where that can not be told)."""
    n = instance.size(fact.ranges[0][1])
    try:
        values = [[value_at(instance, compiler, fact.expr, fact.free, (i, j)) for j in range(n)] for i in range(n)]
    except (ArithmeticError, ValueError, TypeError, KeyError):
        return False
    if not all(certified.is_exact(v) and not isinstance(v, Exception) for row in values for v in row):
        return False
    return definite([[fmpq(v) for v in row] for row in values], strict=fact.relation == "pd")


def _family(instance, boundary: bool) -> int:
    """Random trials reach towards the boundary from trial to trial; structured ones start on it."""
    return BOUNDARY_FAMILY if boundary else instance.trial + instance.attempt // 2


def _set(instance, compiler, fact: Constraint, name: str, entry: Indexed, coefficient: sympy.Rational,
         boundary: bool) -> bool:
    """``name = (D - R) / c`` on the instance; False (nothing set) where ``R`` is not exact or not symmetric
    for a symmetric ``name``."""
    n = instance.size(fact.ranges[0][1])
    rest = sympy.expand(fact.expr) - coefficient * entry
    try:
        values = [[value_at(instance, compiler, rest, fact.free, (i, j)) for j in range(n)] for i in range(n)]
    except (ArithmeticError, ValueError, TypeError, KeyError):
        return False
    if not all(certified.is_exact(v) and not isinstance(v, Exception) for row in values for v in row):
        return False
    remainder = _matrix(values, n)
    symmetric = instance.context.declared[name].kind == Kind.SYMMETRIC
    if symmetric and remainder != remainder.transpose():
        return False
    rng = random.Random(f"deriv:{instance.seed}:{instance.trial}:{instance.attempt}:ordered:{name}")
    made = spread(n, fact.relation == "pd", _family(instance, boundary), rng)
    if not symmetric:
        made += skew(n, rng)  # x^T K x = 0: S - T \succ 0 does not make S - T symmetric
    c = fmpq(int(coefficient.p), int(coefficient.q))
    matrix = (made - remainder) * (1 / c)
    instance.arrays[name] = {(i, j): matrix[i, j] for i in range(n) for j in range(n)}
    return True
