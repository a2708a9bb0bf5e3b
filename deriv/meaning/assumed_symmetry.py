"""Which assumptions speak of a matrix, and which make it symmetric (``H = H^T``).

A statement about every matrix of a kind (``H \\succ 0 \\implies \\lambda(H) > 0``) is
refuted by a matrix deriv chooses; that matrix must be one the document allows.  A
matrix declared ``matrix n x n`` but assumed ``H = H^T`` (``H^T = H``, ``H_{i,j} =
H_{j,i}``) is symmetric; any other assumption about it may exclude the chosen matrix.
"""

from __future__ import annotations

import sympy
from sympy import Indexed

from deriv.context import Constraint, Context
from deriv.ir import base_name


def assumed_symmetric(name: str, context: Context) -> bool:
    """Whether an assumption says ``name`` equals its transpose."""
    return any(says_symmetric(fact, name) for fact in context.assumptions)


def says_symmetric(fact: Constraint, name: str) -> bool:
    """Whether ``fact`` is ``c (H_{p,q} - H_{q,p}) = 0`` at every ``p, q`` for a number ``c != 0``."""
    if fact.relation != "=" or len(fact.free) != 2:
        return False
    p, q = fact.free
    entries = {e for e in fact.expr.atoms(Indexed)}
    forward = [e for e in entries if base_name(e) == name and tuple(e.indices) == (p, q)]
    backward = [e for e in entries if base_name(e) == name and tuple(e.indices) == (q, p)]
    if len(entries) != 2 or not forward or not backward:
        return False
    ratio = sympy.cancel(fact.expr / (forward[0] - backward[0]))
    return bool(ratio.is_number) and ratio != 0


def assumptions_about(name: str, context: Context) -> list[Constraint]:
    """The assumptions that mention ``name`` (through definitions too), bar those that only
    make it symmetric."""
    return [fact for fact in context.assumptions
            if name in context.reached(fact.expr) and not says_symmetric(fact, name)]
