"""Certified comparison of the two sides of a step at one random instance.

Per point (values of the free indices): two exact values are compared
exactly.  Otherwise the difference ball ``d`` decides: ``0 not in d`` is a
certified counterexample; ``0 in d`` with ``rad(d) < 2^(M_min - margin)``
is agreement, where ``M_min`` is the smallest magnitude recorded while
evaluating that point (every operand and result an inexact value took part
in, tanh's saturation distance) and ``margin`` is 64 bits plus the bits of
every rational constant of the step.  Anything else is evaluated again at a
higher precision, chosen from the recorded magnitude spread; beyond
:data:`~certified.MAX_PRECISION` the instance is redrawn with smaller values
or, failing that, left undecided.

A side undefined at a point (log of a negative, division by zero) while the
other is defined is a counterexample: sides defined on different sets are
not equal.  Points where both are undefined are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flint import arb, fmpq

from deriv.engine import certified
from deriv.engine.certified import DomainError, NotDifferentiable, PrecisionError, Recorder
from deriv.names import Kind
from deriv.results import Counterexample

if TYPE_CHECKING:  # instances imports the compiler, which evaluates through this module
    from deriv.engine.instances import Instance

#: Extra bits of agreement asked for beyond the smallest magnitude.
BASE_MARGIN = 64


@dataclass(frozen=True)
class Evaluated:
    """One side's value at one point, or why there is none, with its magnitudes."""

    value: object
    recorder: Recorder


@dataclass(frozen=True)
class InstanceResult:
    """``kind`` is ``agreed``, ``refuted``, ``redraw`` or ``undecided``."""

    kind: str
    point: tuple = ()
    left: object = None
    right: object = None
    reason: str = ""
    inexact: bool = False
    precision: int = 0


def margin_of(constants) -> int:
    """64 bits plus ``bits(p) + bits(q)`` for every rational constant ``p/q``."""
    total = BASE_MARGIN
    for c in constants:
        total += int(abs(c.p)).bit_length() + int(c.q).bit_length()
    return total


def _rad_magnitude(d: arb) -> int | None:
    rad = d.rad()
    if rad == 0:
        return None
    man, exp = rad.mid().man_exp()
    return int(exp) + int(man).bit_length()


def compare_points(points: list, left: list[Evaluated], right: list[Evaluated], margin: int, bits: int) -> InstanceResult | int:
    """A final result for this instance, or the precision (bits) to try next."""
    need = 0
    redraw = ""
    stuck = ""
    defined = 0
    inexact = False
    undefined = ""
    for point, l, r in zip(points, left, right):
        a, b = l.value, r.value
        if isinstance(a, PrecisionError) or isinstance(b, PrecisionError):
            error = a if isinstance(a, PrecisionError) else b
            if error.redraw:  # type: ignore[union-attr]
                redraw = str(error)
            else:
                stuck = str(error)
                need = max(need, 2 * bits)
            continue
        a_undefined, b_undefined = isinstance(a, DomainError), isinstance(b, DomainError)
        if a_undefined and b_undefined or isinstance(a, NotDifferentiable) or isinstance(b, NotDifferentiable):
            # a kink a jet met is no point where a side is undefined: x |x| is differentiable at 0
            undefined = undefined or f"left: {a}; right: {b}"
            continue
        if a_undefined or b_undefined:
            side = "left" if a_undefined else "right"
            why = a if a_undefined else b
            return InstanceResult("refuted", point, a, b, f"the {side} side is undefined here ({why}) and the other is not")
        defined += 1
        if certified.is_exact(a) and certified.is_exact(b):
            if fmpq(a) != fmpq(b):
                return InstanceResult("refuted", point, a, b, precision=0)
            continue
        inexact = True
        d = certified.to_arb(a) - certified.to_arb(b)
        if not d.contains(0):
            return InstanceResult("refuted", point, a, b, f"their difference is {d.str(10)}", inexact=True, precision=bits)
        recorder = Recorder()
        recorder.merge(l.recorder)
        recorder.merge(r.recorder)
        lo = recorder.lo if recorder.lo is not None else 0
        hi = recorder.hi if recorder.hi is not None else 0
        radius = _rad_magnitude(d)
        if (radius is None or radius < lo - margin) and not recorder.overlap:
            continue
        if recorder.overlap:
            stuck = "a function's argument could not be told apart from another"
        else:
            stuck = "the difference could not be certified small enough"
        need = max(need, hi - lo + margin + BASE_MARGIN, bits + 64)
    if redraw:
        return InstanceResult("redraw", reason=redraw)
    if need:
        return need
    if not defined:
        return InstanceResult("redraw", reason=f"both sides are undefined at every point ({undefined})")
    return InstanceResult("agreed", inexact=inexact, precision=bits if inexact else 0, reason=stuck)


def next_precision(bits: int, need: int) -> int:
    """Double at least, and at least what the magnitudes ask for, in whole words."""
    target = max(2 * bits, need)
    return -(-target // 64) * 64


def evaluate(compiled, evaluator) -> Evaluated:
    """One side at the evaluator's current bindings, errors caught as values."""
    # certified.recording's save and restore inline: this runs at every point of every trial.
    recorder = Recorder()
    state = certified.STATE
    saved, state.recorder = state.recorder, recorder
    try:
        value = compiled(evaluator)
    except DomainError as error:
        value = error
    except ZeroDivisionError:
        value = DomainError("division by zero")
    except PrecisionError as error:
        value = error
    finally:
        state.recorder = saved
        saved.merge(recorder)
    return Evaluated(value, recorder)


def counterexample_of(result: InstanceResult, instance: Instance, free) -> Counterexample:
    """The two sides' values at one point of one instance, for a reader."""
    return Counterexample(
        sizes=tuple((str(s), v) for s, v in instance.sizes.items()),
        indices=tuple((str(i), v + 1) for i, v in zip(free, result.point)),
        lhs_value=_show(result.left),
        rhs_value=_show(result.right),
        seed=instance.seed,
        trial=instance.trial,
        precision=f"certified at {result.precision} bits" if result.inexact else "exact",
        note=result.reason,
    )


def shown_values(instance: Instance, target, names: set[str]) -> tuple:
    """The values of ``names`` on ``instance`` as rows of entries, the target's (if any) as ``r``
    (the root): a structured instance's values are not the seed's draws, so a counterexample shows them."""
    shown = []
    context = instance.context
    for name, table in instance.arrays.items():
        # A defined name's draw is never used (its definition gives its value): not shown.
        if name not in names or context.declared[name].kind in (Kind.IDENTITY, Kind.ONES) or context.is_defined(name):
            continue
        cells = table if isinstance(table, dict) else {(): table}
        if name in context.recurrences:  # only the first member is drawn; the others are computed
            cells = {key: value for key, value in cells.items() if key[0] == 0}
        rows: dict[int, list[str]] = {}
        for key in sorted(cells):
            root = target is not None and name == target.name and key == (target.key or ())
            rows.setdefault(key[0] if key else 0, []).append("r" if root else certified.show(cells[key]))
        shown.append((name, tuple(tuple(row) for row in rows.values())))
    return tuple(shown)


def _show(value: object) -> str:
    if isinstance(value, certified.DomainError):
        return f"undefined ({value})"
    return certified.show(value)
