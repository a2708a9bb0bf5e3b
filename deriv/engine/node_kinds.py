"""The atoms of an expression, remembered per subtree.

The margin asks for the rational numbers written in both sides at every step,
and a chain's members share most of their subtrees, so they are collected
bottom-up and remembered per subtree (by equality, as SymPy's own cache does:
equal trees hold the same nodes; counted with cachegrind, cheaper than
remembering by identity, which misses on every member built anew).  Only for
small answers: the symbols of a tree collected bottom-up copy a growing set at
every node, dearer than SymPy's walk.  ``atoms(expr, K)`` is ``expr.atoms(K)``
for classes ``K``; which node classes a tree holds is :func:`deriv.ir.contains`.
"""

from __future__ import annotations

import functools

import sympy
from sympy import Basic

#: Subtrees remembered at most, per question (least recently used forgotten first).
LIMIT = 1 << 15


@functools.lru_cache(maxsize=LIMIT)
def _atoms(expr: Basic, classes: tuple[type, ...]) -> frozenset[Basic]:
    below: frozenset[Basic] = frozenset().union(*[_atoms(arg, classes) for arg in expr.args])
    return below | {expr} if isinstance(expr, classes) else below


def atoms(expr: Basic, *classes: type) -> frozenset[Basic]:
    """``expr.atoms(*classes)``: the nodes of ``expr`` (itself included) that are instances of ``classes``."""
    try:
        return _atoms(expr, classes)
    except RecursionError:  # a tree nested past the recursion limit: SymPy's own walk, as before
        return frozenset(expr.atoms(*classes))


def rationals(expr: Basic) -> frozenset[Basic]:
    """``expr.atoms(sympy.Rational)``: the rational numbers written anywhere in ``expr``."""
    return atoms(expr, sympy.Rational)
