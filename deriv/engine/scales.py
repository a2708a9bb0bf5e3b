"""Instances at other scales: a parameter small or large, the rest at one magnitude.

Drawn values lie between 1/12 and 40, so a claim that fails only where a
positive parameter is small (``(x y / (x^2 + \\lambda))^2 \\leq y^2`` needs
``|x| \\leq x^2 + \\lambda``, false for ``\\lambda < 1/4`` near ``|x| = 1/2``)
or large, or only in a narrow band of a second value whose place depends on
the first, is almost never refuted by a draw.  The claim tester therefore
also looks (:mod:`deriv.engine.meeting_points`) for where the two sides meet
in each scalar with every *other* scalar at each magnitude of
:data:`SCALES` (signs as drawn), and tries whole instances at a scale
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


def others_at(target: str, magnitude: fmpq) -> Change:
    """Every declared scalar but ``target`` at ``magnitude`` (its drawn sign kept)."""
    def change(instance: Instance) -> None:
        for name, declared in instance.context.declared.items():
            if declared.kind == Kind.SCALAR and name != target:
                instance.arrays[name] = _at(instance.arrays[name], magnitude)

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


__all__ = ["PAIRS", "SCALES", "label", "others_at", "scaled"]
