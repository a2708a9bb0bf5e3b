"""Where a side's condition fails at some sizes: ``\\frac{N - 1}{N - 1} = 1`` at ``N = 1``.

The domain search (:mod:`deriv.engine.domains`) sets names, at the step's least sizes; a
condition that reads a size (``N - 1 != 0``, ``N - 2 >= 0`` of ``\\sqrt{N - 2}``, ``M - N != 0``)
fails at other sizes, for every value of the names.  For each such condition one side has and
the other lacks, the search also tries each of its sizes alone at 1 to :data:`MAX_SIZE` (the
others as given), then all of them equal, then where a scan of up to three of its sizes together
finds it may fail (``N - 9 \\neq 0`` at ``N = 9``: :mod:`deriv.engine.size_lines`), kept where the condition fails whatever the names
are (SymPy decides it exactly) and each size is at least its least value.  A power by an
exponent that reads sizes (``x^{N-2}``, a *valued* condition: :mod:`deriv.meaning.power_domains`)
fails at the sizes where its exponent is negative (at a base 0) or not whole (at a negative
base): :func:`power_failing_sizes` gives them, for the search to set the names there.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping

import sympy
from sympy import Symbol

from deriv.engine.size_lines import near_zero_sizes
from deriv.meaning.domains import NONNEGATIVE, NONZERO, Condition

#: The largest size each size alone is set to.
MAX_SIZE = 8
#: The largest size the scan of a condition's zeros goes to.
SCANNED_SIZE = 1 << 12


def _fails(condition: Condition, at: Mapping[Symbol, int]) -> bool:
    value = sympy.expand(condition.expr.xreplace({s: sympy.Integer(v) for s, v in at.items()}))
    if condition.relation == NONZERO:
        return value == 0
    return condition.relation == NONNEGATIVE and bool(value.is_negative)


def _candidates(sizes: list[Symbol], base: Mapping[Symbol, int]) -> Iterator[dict[Symbol, int]]:
    for value in range(1, MAX_SIZE + 1):
        for size in sizes:
            yield {**base, size: value}
        if len(sizes) > 1:
            yield {**base, **dict.fromkeys(sizes, value)}


def _scanned(condition: Condition, base: Mapping[Symbol, int], least: Mapping[Symbol, int]) -> list[dict[Symbol, int]]:
    """Where a scan of the condition's sizes finds it may fail past :data:`MAX_SIZE` (``N - 9 \\neq 0``
    at ``N = 9``, ``20 - N M \\geq 0`` at ``N = 3, M = 7``: :mod:`deriv.engine.size_lines`)."""
    relation = "!=" if condition.relation == NONZERO else ">="
    return near_zero_sizes(condition.expr, relation, base, least, SCANNED_SIZE)


def failing_sizes(differing: Iterable[Condition], base: Mapping[Symbol, int],
                  least: Mapping[Symbol, int]) -> Iterator[tuple[str, dict[Symbol, int]]]:
    """Size assignments where a differing condition on sizes fails, each labelled (``N = 1``)."""
    seen: list[dict[Symbol, int]] = []
    for condition in differing:
        sizes = sorted((s for s in condition.expr.free_symbols if s in base), key=str)
        if not sizes or condition.limits or condition.valued or condition.soft:
            continue
        for at in itertools.chain(_candidates(sizes, base), _scanned(condition, base, least)):
            if at in seen or any(v < least.get(s, 1) for s, v in at.items()) or not _fails(condition, at):
                continue
            seen.append(at)
            yield ", ".join(f"{s} = {at[s]}" for s in sizes), at


def _exponent_fails(condition: Condition, at: Mapping[Symbol, int]) -> bool:
    """Whether the valued power ``condition`` names has, at the sizes ``at``, an exponent that is a
    number below 0 or not whole (its base at 0, or negative, then makes it undefined)."""
    exponent = sympy.expand(condition.expr.exp.xreplace({s: sympy.Integer(v) for s, v in at.items()}))
    return bool(exponent.is_number and (exponent.is_negative or exponent.is_integer is False))


def power_failing_sizes(differing: Iterable[Condition], base: Mapping[Symbol, int],
                        least: Mapping[Symbol, int]) -> Iterator[tuple[str, dict[Symbol, int]]]:
    """Size assignments where a differing power's exponent, read from sizes, is negative or not
    whole (``x^{N-2}`` at ``N = 1``), each labelled; the names are then set by the caller."""
    seen: list[dict[Symbol, int]] = []
    for condition in differing:
        if not (condition.valued and isinstance(condition.expr, sympy.Pow)) or condition.limits:
            continue
        sizes = sorted((s for s in condition.expr.exp.free_symbols if s in base), key=str)
        for at in _candidates(sizes, base) if sizes else ():
            if at in seen or any(v < least.get(s, 1) for s, v in at.items()) or not _exponent_fails(condition, at):
                continue
            seen.append(at)
            yield ", ".join(f"{s} = {at[s]}" for s in sizes), at
