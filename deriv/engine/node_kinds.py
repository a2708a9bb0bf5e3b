"""The classes of the nodes an expression holds, remembered per subtree.

Several searches of the tester apply only to steps holding some kind of node
(``relu'`` for :mod:`deriv.engine.kinks`, a ``\\prod`` for
:mod:`deriv.engine.zero_points`, an inverse for :mod:`deriv.engine.square_boundaries`)
and used to walk both sides at every step to find out.  A chain's members share
most of their subtrees (SymPy's cache returns the same objects), so the classes
are collected bottom-up and remembered per subtree object: a new member costs its
new nodes.  Remembered by identity (the object held, so its id stays its own):
a lookup by equality would compare a new tree with an equal old one node by node.
The nodes are the ones ``expr.has`` and ``expr.atoms`` walk (every ``args``,
recursively), so ``holds(expr, K)`` is ``expr.has(K)`` for classes ``K``.
"""

from __future__ import annotations

import sympy
from sympy import Basic

#: Subtrees remembered at most (then forgotten at once: a memo, never a result).
LIMIT = 1 << 15
#: id -> (the subtree, held; the classes of its nodes).
_KINDS: dict[int, tuple[Basic, frozenset[type]]] = {}
#: classes -> id -> (the subtree, held; its nodes of those classes).
_ATOMS: dict[tuple[type, ...], dict[int, tuple[Basic, frozenset[Basic]]]] = {}


def kinds(expr: Basic) -> frozenset[type]:
    """The class of ``expr`` and of every node below it."""
    found = _KINDS.get(id(expr))
    if found is not None:
        return found[1]
    own = frozenset((type(expr),))
    result = own.union(*[kinds(arg) for arg in expr.args]) if expr.args else own
    _remember(_KINDS, expr, result)
    return result


def atoms(expr: Basic, *classes: type) -> frozenset[Basic]:
    """``expr.atoms(*classes)``: the nodes of ``expr`` (itself included) that are instances of ``classes``."""
    try:
        return _atoms(expr, classes, _ATOMS.setdefault(classes, {}))
    except RecursionError:  # a tree nested past the recursion limit: SymPy's own walk, as before
        return frozenset(expr.atoms(*classes))


def _atoms(expr: Basic, classes: tuple[type, ...], memo: dict) -> frozenset[Basic]:
    found = memo.get(id(expr))
    if found is not None:
        return found[1]
    below: frozenset[Basic] = frozenset().union(*[_atoms(arg, classes, memo) for arg in expr.args])
    result = below | {expr} if isinstance(expr, classes) else below
    _remember(memo, expr, result)
    return result


def rationals(expr: Basic) -> frozenset[Basic]:
    """``expr.atoms(sympy.Rational)``: the rational numbers written anywhere in ``expr``."""
    return atoms(expr, sympy.Rational)


def _remember(memo: dict, expr: Basic, value: frozenset) -> None:
    if len(memo) >= LIMIT:
        memo.clear()
    memo[id(expr)] = (expr, value)


def holds(expr: Basic, *classes: type) -> bool:
    """``expr.has(*classes)``: whether a node of ``expr`` is an instance of one of ``classes``."""
    try:
        found = kinds(expr)
    except RecursionError:  # a tree nested past the recursion limit: SymPy's own walk decides, as before
        return expr.has(*classes)
    return any(issubclass(kind, classes) for kind in found)
