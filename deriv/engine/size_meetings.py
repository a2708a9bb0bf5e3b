r"""Sizes where a claim's two sides meet, and whether they are exactly equal there.

A claim false at one size only (``N \neq 9``, ``3 \neq \sqrt{N}``, ``\sqrt{N} < 3.5``), or where
two or three sizes meet a condition together (``\sqrt{N} + \sqrt{M} \neq 5`` at N = 9, M = 4),
holds at every size the plan draws, and a tester that only samples sizes calls it ``tested``.
:func:`meeting_sizes` gives the whole-number sizes where the difference of the sides is 0, or
changes sign, or dips towards 0 (:mod:`deriv.engine.size_lines`: lines of sizes scanned in
floats; drawn scalars held at values no draw is special at).  They are only places to send the
tester (:func:`deriv.engine.claims._test_claim`): a refutation still needs it to find the claim
false there, exactly, so nothing is concluded from floats.  Where the sides are irrational and
equal there (``\sqrt{N} + \sqrt{M}`` and ``\sqrt{50}`` at N = 2, M = 32), the tester's balls never
certify it; :func:`exact_difference` compares the sides read from sizes alone exactly instead.
(SymPy's ``solveset`` in one size found these roots before, at up to seconds for a cubic.)
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy
from sympy import Expr, Symbol
from sympy.core.sympify import _sympify  # strict: never parses a string

from deriv.engine.size_lines import near_zero_sizes

#: The largest size tried (an instance past :data:`~deriv.engine.instance_cells.MAX_CELLS`
#: entries is refused anyway).
MAX_SIZE = 1 << 12
#: A difference of more operations than this is not given to ``minimal_polynomial`` (slow).
MAX_EXACT_OPS = 40


def exact_difference(lhs: Expr, rhs: Expr, sizes: Mapping[Symbol, int]) -> tuple[Expr, Expr, int] | None:
    """The two sides at ``sizes`` and 0 where they are exactly equal there, as real numbers read from
    the sizes alone (``\\sqrt{8} + \\sqrt{18}`` and ``\\sqrt{50}``: SymPy's own arithmetic, then for
    algebraic numbers the minimal polynomial of the difference); None otherwise (a side reads more
    than sizes, or is not a real number there, or the difference is not shown to be 0)."""
    at = {s: sympy.Integer(v) for s, v in sizes.items()}
    left, right = (_sympify(side).xreplace(at) for side in (lhs, rhs))
    if not (_real_number(left) and _real_number(right)):
        return None
    difference = left - right
    if difference == 0:  # SymPy's own arithmetic made them one number (\\log 50 on both sides)
        return left, right, 0
    if not (_algebraic(difference) and sympy.count_ops(difference) <= MAX_EXACT_OPS):
        return None
    try:
        polynomial = sympy.minimal_polynomial(difference, Symbol("x"))
    except (NotImplementedError, ValueError, TypeError, ArithmeticError):
        return None
    return (left, right, 0) if polynomial == Symbol("x") else None


def _real_number(expr: Expr) -> bool:
    """Whether ``expr`` is a number SymPy knows to be real (no unknown, no imaginary unit, no pole),
    with no float in it (SymPy's arithmetic is exact only without them)."""
    return (not expr.free_symbols and bool(expr.is_number) and not expr.has(sympy.Float)
            and expr.is_extended_real is True and expr.is_finite is True)


def _algebraic(expr: Expr) -> bool:
    """Whether ``expr`` is built from rationals by sums, products and powers by rationals."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow):
            if not node.exp.is_Rational:
                return False
        elif not isinstance(node, (sympy.Add, sympy.Mul, sympy.Rational)):
            return False
    return True


def meeting_sizes(difference: Expr, sizes: Mapping[Symbol, int], least: Mapping[Symbol, int],
                  relation: str) -> list[dict[Symbol, int]]:
    """Assignments, from ``sizes``, of up to three sizes the difference reads, at a whole number
    where ``difference relation 0`` may fail (:mod:`deriv.engine.size_lines`), smallest first."""
    return near_zero_sizes(_sympify(difference), relation, sizes, least, MAX_SIZE)
