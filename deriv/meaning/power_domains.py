"""Where a power ``b^e`` is defined over the reals, as conditions on its base.

The tester evaluates a power by a number that is not an integer (``x^{1/3}``, ``x^{\\pi}``)
as undefined at a negative base, as it does an even root (docs/deciding.md, Domains), so its
base's ``>= 0`` is a condition as a radicand's is: ``(x^{1/3})^3``, which SymPy builds as ``x``,
is undefined at ``x = -1``.  A power by an expression (``x^s``, ``x^{1/N}``, ``x^{-N}``) is
defined at a negative base only where the exponent is an integer, and at 0 only where it is
not negative: no ``!=`` / ``>=`` condition says that exactly, so these conditions are
*valued* (:attr:`deriv.meaning.domains.Condition.valued`: the tester evaluates the power itself,
undefined exactly where it is), and one names the power itself, so that
``x^s x^s`` and ``x^{2s}`` (SymPy's merge, false at ``x = -1``, ``s = 1/2``) differ.
"""

from __future__ import annotations

from sympy import Expr

#: (relation, expression, valued) -- :class:`deriv.meaning.domains.Condition`'s fields.
Need = tuple[str, Expr, bool]


def power_needs(base: Expr, exponent: Expr, power: Expr) -> list[Need]:
    """What ``power`` (``base ** exponent``, a base that is not a number) needs of its base."""
    if exponent.is_number:
        return _number_needs(base, exponent)
    if exponent.is_integer:
        if exponent.is_negative:
            return [("!=", base, False)]
        return [] if exponent.is_nonnegative else [("!=", base, True), ("!=", power, True)]
    return [(">=", base, True), ("!=", power, True)]


def _number_needs(base: Expr, exponent: Expr) -> list[Need]:
    needs: list[Need] = []
    if exponent.is_negative:
        needs.append(("!=", base, False))
    if exponent.is_integer is False and exponent.is_real:
        needs.append((">=", base, False))
    return needs
