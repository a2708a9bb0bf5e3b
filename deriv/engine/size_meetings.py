r"""Sizes where a claim's two sides meet, as a function of one size.

A claim false at one size only (``N \neq 9``, ``3 \neq \sqrt{N}``, ``\sqrt{N} < 3.5``) holds at
every size the plan draws, and a tester that only samples sizes calls it ``tested``.  Where the
difference of the sides is a function of one size alone (the others held at the plan's first
assignment, drawn values absent), its real roots are where the claim may fail: the whole
numbers next to each root are sizes to try.  They are only places to send the tester
(:func:`deriv.engine.claims._test_claim`): a refutation still needs it to find the claim false
there, exactly, so nothing is concluded from SymPy's roots alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import sympy
from sympy import Expr, Symbol
from sympy.core.sympify import _sympify  # strict: never parses a string

from deriv.engine.size_lines import near_zero_sizes

#: The largest size tried (an instance past :data:`~deriv.engine.instance_cells.MAX_CELLS`
#: entries is refused anyway).
MAX_SIZE = 1 << 12
#: Roots used per size, at most (a polynomial of high degree has many).
MAX_ROOTS = 16
#: A difference of more operations than this is not given to ``minimal_polynomial`` (slow).
MAX_EXACT_OPS = 40


def exact_difference(lhs: Expr, rhs: Expr, sizes: Mapping[Symbol, int]) -> tuple[Expr, Expr, int] | None:
    """The two sides at ``sizes`` and 0 where they are exactly equal there, as real algebraic numbers
    built from the sizes alone (``\\sqrt{8} + \\sqrt{18}`` and ``\\sqrt{50}``: SymPy's own arithmetic of
    roots, then the minimal polynomial of the difference); None otherwise (a side reads more than
    sizes, or is undefined there, or the difference is not shown to be 0)."""
    at = {s: sympy.Integer(v) for s, v in sizes.items()}
    left, right = (_sympify(side).xreplace(at) for side in (lhs, rhs))
    if not (_algebraic(left) and _algebraic(right)):
        return None
    difference = left - right
    if difference == 0:
        return left, right, 0
    if sympy.count_ops(difference) > MAX_EXACT_OPS:
        return None
    try:
        polynomial = sympy.minimal_polynomial(difference, Symbol("x"))
    except (NotImplementedError, ValueError, TypeError, ArithmeticError):
        return None
    return (left, right, 0) if polynomial == Symbol("x") else None


def _algebraic(expr: Expr) -> bool:
    """Whether ``expr`` is a real number built from rationals by sums, products and powers by
    rationals of positive bases (no unknown, no imaginary unit, no pole)."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow):
            if not (node.exp.is_Rational and (node.exp.is_integer or node.base.is_positive)):
                return False
        elif not isinstance(node, (sympy.Add, sympy.Mul, sympy.Rational)):
            return False
    return True


def meeting_sizes(difference: Expr, sizes: Mapping[Symbol, int], least: Mapping[Symbol, int],
                  relation: str = "!=") -> list[dict[Symbol, int]]:
    """Assignments that differ from ``sizes`` in one size, set to a whole number next to a real
    root of ``difference`` as a function of that size alone (at least its ``least``); then those
    a scan of up to three sizes together finds where ``difference relation 0`` may fail
    (:mod:`deriv.engine.size_lines`)."""
    found = _roots_in_one_size(difference, sizes, least)
    for candidate in near_zero_sizes(_sympify(difference), relation, sizes, least, MAX_SIZE):
        if candidate not in found:
            found.append(candidate)
    return sorted(found, key=lambda candidate: sum(candidate.values()))  # the smallest counterexample first


def _roots_in_one_size(difference: Expr, sizes: Mapping[Symbol, int], least: Mapping[Symbol, int]) -> list[dict[Symbol, int]]:
    found: list[dict[Symbol, int]] = []
    for size in sorted(sizes, key=str):
        alone = _sympify(difference).xreplace({s: sympy.Integer(v) for s, v in sizes.items() if s != size})
        if alone.free_symbols != {size}:
            continue  # drawn values (or other symbols) too: not a function of the size alone
        for value in _whole_numbers_near_roots(alone, size):
            if max(least.get(size, 1), 1) <= value <= MAX_SIZE and value != sizes[size]:
                candidate = {**sizes, size: value}
                if candidate not in found:
                    found.append(candidate)
    return found


def _whole_numbers_near_roots(expr: Expr, size: Symbol) -> list[int]:
    """The whole numbers next to each real root of ``expr`` in ``size`` (none when SymPy finds no
    finite set of them)."""
    x = Symbol("x", real=True)
    try:
        roots = sympy.solveset(expr.xreplace({size: x}).doit(), x, domain=sympy.S.Reals)
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        return []
    if not isinstance(roots, sympy.FiniteSet):
        return []
    values: list[int] = []
    for root in list(roots)[:MAX_ROOTS]:
        number = complex(root.evalf(30))
        if not math.isfinite(number.real) or abs(number.real) > 2 * MAX_SIZE:
            continue
        # Either side of it, and one past: a non-strict claim (N \leq 29) fails only beyond its root.
        values += [math.floor(number.real) - 1, math.floor(number.real), math.ceil(number.real), math.ceil(number.real) + 1]
    return sorted(set(values))
