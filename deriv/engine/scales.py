"""Instances at other scales: a parameter small or large, the rest at one magnitude.

Drawn values lie between 1/12 and 40, so a claim that fails only where a
positive parameter is small (``(x y / (x^2 + \\lambda))^2 \\leq y^2`` needs
``|x| \\leq x^2 + \\lambda``, false for ``\\lambda < 1/4`` near ``|x| = 1/2``)
or large, or only in a narrow band of a second value whose place depends on
the first, is almost never refuted by a draw.  The claim tester therefore
also looks (:mod:`deriv.engine.meeting_points`) for where the two sides meet
in each scalar with every *other* scalar at each magnitude of
:data:`SCALES` (all positive, then all negative) or positive at 100 and
1/100 in turn (:func:`bases`), and between those meeting points from where
the scalar's line starts; and it tries whole instances at a scale
(:func:`scaled`): every positive scalar at one magnitude and every other
value -- scalars and array entries, signs as drawn, zeros kept -- at
another, so ``X^T (X w - y) + \\lambda w = 0`` with ``\\lambda = 1/8`` and
``X``'s entries ``\\pm 1/8`` has ``\\|w\\| > \\|y\\|``.
"""

from __future__ import annotations

from collections.abc import Callable

from flint import fmpq

from deriv.engine.instances import Instance
from deriv.names import Kind

#: Magnitudes a parameter is tried at besides its draws (which lie in [1/12, 40]).
SCALES = (fmpq(1, 8), fmpq(1, 100), fmpq(100))
#: ``(positive scalars, every other value)`` magnitudes of the whole instances tried.
PAIRS = tuple((p, o) for p in SCALES for o in (p, fmpq(1, 2)))

Change = Callable[[Instance], None]


def _at(value: object, magnitude: fmpq) -> fmpq:
    """``value``'s sign (0 kept) at ``magnitude``."""
    v = fmpq(value)  # type: ignore[arg-type]
    return magnitude * ((v > 0) - (v < 0))


def others_at(target: str, magnitude: fmpq, sign: int = 1) -> Change:
    """Every declared scalar but ``target`` at ``sign * magnitude`` (a positive name at ``magnitude``):
    ``-x / (\\lambda x^2 + 1) \\leq 10`` fails only for ``x < -10``.  Signs are set, not drawn: the
    sign pattern of a draw depends on its attempt number."""
    return _others(target, lambda i: magnitude, sign)


def others_apart(target: str, phase: int) -> Change:
    """Every declared scalar but ``target`` positive, at 100 and 1/100 in turn (from ``phase``):
    ``x y / (\\lambda x^2 + y^2) \\leq 10`` fails only where ``x / y > 10``."""
    return _others(target, lambda i: SCALES[2] if (i + phase) % 2 == 0 else SCALES[1], 1)


def bases(target: str) -> list[Change]:
    """The changes of a drawn instance the meeting points of ``target`` are also looked for on."""
    return [*(others_at(target, m, sign) for m in SCALES for sign in (1, -1)),
            *(others_apart(target, phase) for phase in (0, 1))]


def _others(target: str, magnitude: Callable[[int], fmpq], sign: int) -> Change:
    def change(instance: Instance) -> None:
        declared = instance.context.declared
        others = [n for n, d in declared.items() if d.kind == Kind.SCALAR and n != target]
        for i, name in enumerate(others):
            instance.arrays[name] = magnitude(i) * (1 if declared[name].positive else sign)

    return change


def scaled(positive: fmpq, other: fmpq) -> Change:
    """Every positive scalar at ``positive``; every other scalar and array entry at ``other``."""
    def change(instance: Instance) -> None:
        for name, declared in instance.context.declared.items():
            if declared.kind in (Kind.IDENTITY, Kind.ONES) or name not in instance.arrays:
                continue
            table = instance.arrays[name]
            if isinstance(table, dict):
                instance.arrays[name] = {k: _at(v, other) for k, v in table.items()}
            elif declared.kind == Kind.SCALAR:
                instance.arrays[name] = _at(table, positive if declared.positive else other)

    return change


def label(positive: fmpq, other: fmpq) -> str:
    return f"every positive scalar at {positive}, every other value at +-{other}"


__all__ = ["PAIRS", "SCALES", "bases", "label", "others_apart", "others_at", "scaled"]
