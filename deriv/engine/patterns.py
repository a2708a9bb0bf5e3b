"""Sign patterns and kinds of the random instances' scalars, and how many trials they need.

Random signs alone leave a scalar positive at every trial of a short plan, so a
step true only for positive values passed (``\\sqrt{x^{2N}} = x^N`` while ``x``
happened to be the fourth scalar).  Instead each instance follows a pattern
(its trial, shifted by redraws) that fixes the sign of every declared scalar
and of every array's first entry, and whether a scalar is an even integer or a
fraction: the first few names meet in every combination the docstrings below
promise, within :data:`SIGN_TRIALS` trials.
"""

from __future__ import annotations

from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy import Expr, Indexed, Symbol

from deriv.context import Context
from deriv.ir import base_name


def scalar_numbers(context: Context) -> dict[str, int]:
    """The declared scalars' numbers in the patterns: those that may be negative first
    (in declaration order), so a positive one in between shifts none of them."""
    scalars = [name for name, d in context.declared.items() if d.is_array and d.kind == "scalar"]
    return {name: n for n, name in enumerate(sorted(scalars, key=lambda name: context.declared[name].positive))}


def pattern(trial: int, attempt: int) -> int:
    """The sign pattern of an instance (0: all positive).

    The first instance's redraw keeps its pattern with small values (its large
    integers are too large for some steps: a scalar exponent); otherwise even
    redraws are all positive (both sides were undefined: defined values) and
    odd ones shift the pattern.
    """
    if attempt == 0 or (trial == 0 and attempt == 1):
        return trial
    return 0 if attempt % 2 == 0 else trial + attempt


def pattern_sign(number: int, k: int) -> int:
    """The sign of the ``number``-th declared scalar (or array's first entry) in pattern ``k``.

    Pattern 0 is all positive (where logarithms and roots of scalars are
    defined); in pattern ``k > 0`` every name is negative except those with
    ``number % 4 == (k + 2) % 4`` (pattern 1, the second instance of a proved
    step, has the first three negative).  Over patterns 1 to 4 each of the first four
    names takes both signs (``|c| = -c`` fails), any two meet in all four sign
    combinations (``\\sqrt{a^2 c} = a \\sqrt{c}``, ``\\log(ab) = \\log a +
    \\log b``), and each is negative at sizes of both parities, so a power by a
    size meets a negative base at an odd exponent (``\\sqrt{x^{2N}} = x^N``,
    ``\\sqrt{x^{2N+2}} = x^{N+1}`` fail).
    """
    if k == 0 or number % 4 == (k + 2) % 4:
        return 1
    return -1


def scalar_kind(number: int, k: int) -> str:
    """Whether the ``number``-th declared scalar is drawn as a small ``even`` integer or
    as a ``fraction`` that no small even integer makes whole, in pattern ``k > 0``.

    An exponent that is a scalar is then small enough to evaluate or certify,
    and over patterns 1 to 4, for any three ``x, s, t`` of the first four
    scalars, some pattern has ``x < 0``, ``s`` even and ``t`` a fraction
    (``(x^2)^t = x^{2t}`` and ``(x^s)^t = x^{st}`` fail in any order of
    declaration).
    """
    return "even" if (3 * number + k) % 4 == 2 else "fraction"


#: Size assignments a step that involves a scalar of either sign is tested at, at least:
#: the sign patterns 0 to 4.
SIGN_TRIALS = 5


def sign_trials(exprs: tuple[Expr, ...], context: Context) -> int:
    """:data:`SIGN_TRIALS` when the expressions (through definitions) involve a
    declared scalar that is not positive, else 0."""
    signed = {name for name, d in context.declared.items() if d.kind == "scalar" and not d.positive}
    seen: set[str] = set()
    pending = list(exprs)
    while pending and signed:
        expr = _sympify(pending.pop())
        names = {s.name for s in expr.atoms(Symbol)} | {base_name(e) for e in expr.atoms(Indexed)}
        if names & signed:
            return SIGN_TRIALS
        for name in names - seen:
            seen.add(name)
            if name in context.definitions:
                pending.append(context.definitions[name].body)
    return 0
