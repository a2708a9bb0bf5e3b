"""The classes of the nodes an expression holds, and its atoms, remembered per subtree.

Several searches of the tester apply only to steps holding some kind of node
(``relu'`` for :mod:`deriv.engine.kinks`, a ``\\prod`` for
:mod:`deriv.engine.zero_points`, an inverse for :mod:`deriv.engine.square_boundaries`)
and used to walk both sides at every step to find out; the margin asked SymPy's
``atoms`` of both sides' numbers at every step too.  A chain's members share
most of their subtrees, so both are collected bottom-up and remembered per
subtree (by equality, as SymPy's own cache does: equal trees hold the same
nodes; counted with cachegrind, cheaper than remembering by identity, which
misses on every member built anew).  Only for small answers: the symbols of a
tree collected bottom-up copy a growing set at every node, dearer than SymPy's walk.  The nodes are the ones ``expr.has`` and
``expr.atoms`` walk (every ``args``, recursively), so ``holds(expr, K)`` is
``expr.has(K)`` and ``atoms(expr, K)`` is ``expr.atoms(K)`` for classes ``K``.
"""

from __future__ import annotations

import functools

import sympy
from sympy import Basic

#: Subtrees remembered at most, per question (least recently used forgotten first).
LIMIT = 1 << 15


@functools.lru_cache(maxsize=LIMIT)
def kinds(expr: Basic) -> frozenset[type]:
    """The class of ``expr`` and of every node below it."""
    own = frozenset((type(expr),))
    return own.union(*[kinds(arg) for arg in expr.args]) if expr.args else own


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


def holds(expr: Basic, *classes: type) -> bool:
    """``expr.has(*classes)``: whether a node of ``expr`` is an instance of one of ``classes``."""
    try:
        found = kinds(expr)
    except RecursionError:  # a tree nested past the recursion limit: SymPy's own walk decides, as before
        return expr.has(*classes)
    return any(issubclass(kind, classes) for kind in found)
