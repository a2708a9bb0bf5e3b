r"""Derivatives at a kink: certified not to exist where the two one-sided pieces part.

A jet that meets a kink (``|u|`` or a tie of ``\max`` at ``u = 0``, relu past its first
derivative, the step ``relu'``) raises :class:`~deriv.engine.certified.NotDifferentiable`:
the derivative asked for may still exist (``x |x|`` at 0), so the point is unknown, never
one where the side is undefined.  Yet ``\frac{d}{dc}\operatorname{relu}'(c)``,
``\frac{\partial^2 |c|}{\partial c^2}`` and ``\frac{\partial^2 \operatorname{relu}(c)}{\partial c^2}``
do not exist at ``c = 0``, and ``= 0`` was ``tested``.

Along the variable ``v`` of the outermost derivative, every kink whose argument ``u`` is
exactly 0 at the point ``v_0`` has a sign on each side of it: that of the lowest-order
Taylor coefficient ``u^{(m)}(v_0)`` the jet shows, times ``s^m`` on the side ``s``
(:func:`side_of`; an argument of the step whose jet vanished, ``x^3`` to second order, is
moved again by more tags: :func:`vanished_step`).  On ``(v_0, v_0 + \delta)`` the body ``B``
of each derivative along ``v`` is then its right piece ``B_R`` (every kink replaced by its
analytic branch on that side, derivatives inside it too, since each is taken at points off
the kink), on the left ``B_L``.  ``B'(v_0)`` exists only if ``B`` is continuous there and its
one-sided derivatives agree: so ``B_R(v_0) \neq B_L(v_0)`` or ``B_R'(v_0) \neq B_L'(v_0)``,
certified, means that derivative does not exist, nor does anything containing it at
``v_0`` (:class:`KinkUndefined`, a side undefined there).  Each derivative along ``v`` is
judged, the outermost and those inside it, at the point itself (every enclosing tag 0):
``\frac{\partial^2 \operatorname{relu}'(x)}{\partial x^2}`` fails at its inner derivative,
``\frac{\partial^2 (x |x|)}{\partial x^2}`` at its outer one.  Where the pieces agree, the
outermost body's own value ``B(v_0)`` (a written ``relu'`` there is the instance's ``relu'(0)``)
is compared with theirs: ``\operatorname{relu}'(c) + \operatorname{relu}'(-c)`` jumps at 0 for
every choice but 1/2 (:func:`_jump_at_point`).  Where it is theirs, certified (and not taken through
relu's first-derivative convention), ``B`` is continuous there, equal to the analytic ``B_R`` on the
right and ``B_L`` on the left: where these also certainly agree in slope, ``B'(v_0)`` exists and is
that slope, which is returned (:func:`_existing`: ``\frac{d}{dx}(x \operatorname{relu}'(x^2))`` is 1
at 0, and ``= \operatorname{relu}'(x^2)^2`` is refuted there taking ``relu'(0) = 0``; it was tested).
Only the outermost derivative is judged (no enclosing derivative's tag is there to keep), and not
where a relu is met to first order (its derivative there is the convention's, not the branches').
Otherwise the point stays unknown.

Only a derivative whose kinks move along its own variable is judged: a kink's side is read
from its argument's Taylor coefficients along that variable alone (another variable's tags 0:
the sign there holds near the point in every variable, so an inner derivative by another
variable is taken on the branch); an argument that moves only along another variable, or
whose sign on a side the jet does not show, leaves the point unknown, as before.  A relu met only to first order has
a derivative there by convention (``relu'(0)`` in ``[0, 1]``): the pieces must then differ
both with its branches and with it taken by the convention on both sides
(``\frac{d}{dx}(\operatorname{relu}'(-x) + \operatorname{relu}(x)^2)`` does not exist at 0 either
way; ``\operatorname{relu}(x) + \operatorname{relu}(-x) - |x|`` is 0, whose branches agree).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from deriv.engine import certified, jets
from deriv.engine.certified import DomainError, NotDifferentiable, PrecisionError


class KinkUndefined(DomainError):
    """A derivative certified not to exist at a kink: its one-sided pieces differ there (or, with
    ``chosen``, its body's value there, which the instance's ``relu'(0)`` may give, is not theirs)."""

    def __init__(self, message: str, chosen: bool = False) -> None:
        super().__init__(message)
        self.chosen = chosen


@dataclass
class Direction:
    """Kinks met along ``target`` (an entry the outermost derivative perturbs) are taken on
    the side ``sign`` (1: right, -1: left); ``tags`` are the tags that perturb ``target``."""

    sign: int
    target: tuple | None = None
    tags: set[int] = field(default_factory=set)
    #: Each derivative along ``target`` taken on this side, innermost first: its tag and its body's value.
    records: list[tuple[int, object]] = field(default_factory=list)
    #: A relu met to first order is taken by its branch (else by its convention, ``relu'(0) u'``) ...
    honest: bool = True
    #: ... and whether one was met.
    convention: bool = False


def side_of(argument: object, direction: Direction | None, what: str) -> int:
    """The sign (1 or -1) a kink's ``argument``, a jet at exactly 0, takes on the direction's
    side; raises :class:`NotDifferentiable` (unknown) where that is not shown."""
    unknown = NotDifferentiable(f"{what} is not differentiable here")
    if direction is None or not isinstance(argument, jets.Jet):
        raise unknown
    # Along the variable only (another variable's tags 0, as in a mixed derivative's inner one): the
    # sign there holds near the point in every variable, so the branch is the function there.
    tags = argument.tags() & direction.tags
    terms = {key: c for key, c in argument.terms.items() if key and key <= tags}
    for order in range(1, len(tags) + 1):
        coefficients = [c for key, c in terms.items() if len(key) == order]
        signs = {_certain_sign(c) for c in coefficients}
        if signs == {0} or not coefficients:
            continue
        # u(v0 + e_1 + ... + e_k): every key of one size carries the same derivative of u.
        if len(signs) != 1 or None in signs or len(coefficients) != math.comb(len(tags), order):
            raise unknown
        (sign,) = signs
        return sign * direction.sign**order
    raise unknown


def vanished_step(evaluator, argument) -> int | None:
    """The step at an argument that is an exact 0 inside a derivative (its jet vanished, ``x^3`` to
    second order, or it is constant): on a side, the piece there (the argument moved again,
    :meth:`~deriv.engine.instances.Evaluator.probed`); otherwise None (the choice of ``relu'(0)``) where
    it is constant along every variable, and :class:`NotDifferentiable` (unknown) where it moves."""
    direction, targets = evaluator.direction, set(evaluator.targets)
    if direction is not None:
        if targets != {direction.target}:  # a mixed derivative: no side to take
            raise NotDifferentiable("the step relu' met 0 inside a mixed derivative")
        moved = evaluator.probed(argument, direction.target)
        if not isinstance(moved, jets.Jet):  # constant so far: no side shown (x^7 is not constant)
            raise NotDifferentiable("the step relu' met 0 without a side")
        return 1 if side_of(moved, direction, "the step relu'") > 0 else 0
    if any(isinstance(evaluator.probed(argument, target), jets.Jet) for target in targets):
        raise NotDifferentiable("the step relu' meets 0 where its argument moves")
    return None


def _certain_sign(value: object) -> int | None:
    """The certified sign of a coefficient, None where it is not certain (or not a number)."""
    if isinstance(value, jets.Jet):
        return None
    try:
        return certified.sign(value, "a kink's argument")  # type: ignore[arg-type]  # a number, not a jet
    except (PrecisionError, TypeError, ValueError):
        return None


def judged(evaluator, perturbed, body, var, unknown: NotDifferentiable):
    """The outermost derivative along ``var`` at a kink (``perturbed(body, var)`` evaluates it, recording
    each derivative on the way): :class:`KinkUndefined` where the right and left pieces of what some
    derivative along the variable differentiates certainly differ at the point, the pieces' common
    slope where it certainly exists (:func:`_existing`), else ``unknown``.  Where a relu is met there to
    first order only, they must differ also with it taken by its convention (``relu'(0)`` times the
    argument's slope on both sides): ``relu(x) + |x|`` is judged, ``relu(x) + relu(-x) - |x|`` is 0."""
    right, left, convention = _sides(evaluator, perturbed, body, var, unknown, honest=True)
    parted = _parting(right, left)
    if parted is None and right and len(right) == len(left):
        jump, continuous = _continuity(evaluator, body, right[-1])
        if jump is not None:
            raise KinkUndefined(jump, chosen=True)
        slope = _existing(right[-1], left[-1]) if continuous and not convention else None
        if slope is not None:
            return slope
    elif parted is not None and convention:
        right, left, _ = _sides(evaluator, perturbed, body, var, unknown, honest=False)
        if _parting(right, left) is None:
            raise unknown
    if parted is None:
        raise unknown
    raise KinkUndefined(parted)


def _existing(right: tuple[int, object], left: tuple[int, object]) -> object | None:
    """The outermost derivative at the point, where its body ``B`` is continuous there: ``B = B_R`` on the
    right and ``B_L`` on the left, both analytic at the point, so where they certainly agree in value and
    slope the derivative exists and is that slope (``\\frac{d}{dx}(x \\operatorname{relu}'(x^2))`` is 1 at 0).
    None where that is not certain, or the pieces depend on more than the outermost tag (they do not:
    it is taken at no enclosing derivative, and the inner ones' tags are gone)."""
    pieces = []
    for tag, value in (right, left):
        if isinstance(value, jets.Jet) and not value.tags() <= {tag}:
            return None
        pieces.append(_at_point(value, tag))
    (a, a_slope), (b, b_slope) = pieces
    if isinstance(a_slope, jets.Jet) or not (_same(a, b) and _same(a_slope, b_slope)):
        return None
    return a_slope


def _continuity(evaluator, body, outermost: tuple[int, object]) -> tuple[str | None, bool]:
    """Why the outermost derivative's body, whose pieces meet at the point, is not continuous there
    (:func:`_jump_at_point`), and whether it certainly is: its value there is theirs, certified, and not
    taken through relu's first-derivative convention (which the symbolic rule, not the function, gives)."""
    limit, _ = _at_point(outermost[1], outermost[0])
    conventions = evaluator.conventions
    try:
        value = body(evaluator)
    except (DomainError, ZeroDivisionError):
        return None, False
    if evaluator.conventions != conventions:
        return None, False
    if _differ(value, limit):
        return _jump_at_point(value, limit), False
    return None, _same(value, limit)


def _jump_at_point(value: object, limit: object) -> str:
    """Why the outermost derivative's body, whose pieces meet at the point, is not continuous there:
    its value at the point itself (a written ``relu'`` there is the instance's ``relu'(0)``) certainly
    differs from theirs (``\\frac{d}{dx}\\operatorname{relu}'(x^2)`` at 0, but for ``relu'(0) = 1``); not
    judged where it can not be evaluated, or takes relu's derivative by its convention there
    (``\\frac{d}{dx}(\\operatorname{relu}(x) - \\operatorname{relu}(-x))`` is ``2 relu'(0)`` at 0, 1 near it)."""
    return (f"a derivative at a kink does not exist here: what it differentiates is {certified.show(value)} "
            f"here but tends to {certified.show(limit)} on both sides")


def _sides(evaluator, perturbed, body, var, unknown: NotDifferentiable, honest: bool) -> tuple[list, list, bool]:
    """The derivatives' records on the right and on the left, and whether a relu was met to first order."""
    records, convention = [], False
    for sign in (1, -1):
        direction = evaluator.direction = Direction(sign, honest=honest)
        try:
            perturbed(body, var)
        except (DomainError, ZeroDivisionError):
            raise unknown from None
        finally:
            evaluator.direction = None
        records.append(direction.records)
        convention = convention or direction.convention
    return records[0], records[1], convention


def _parting(right: list, left: list) -> str | None:
    """Why some derivative's pieces certainly differ at the point, or None."""
    if len(right) != len(left):  # not the same derivatives taken: nothing to compare
        return None
    for (right_tag, right_value), (left_tag, left_value) in zip(right, left):
        parted = _parted(_at_point(right_value, right_tag), _at_point(left_value, left_tag))
        if parted is not None:
            return parted
    return None


def _at_point(value: object, tag: int) -> tuple[object, object]:
    """A derivative's body at the point itself: its value and its slope in its own tag, every
    enclosing derivative's tag 0 (``\\frac{d}{dx}|x|`` inside another derivative is taken at ``x``)."""
    if not isinstance(value, jets.Jet):
        return value, certified.ZERO
    return value.terms.get(jets.EMPTY, certified.ZERO), value.terms.get(frozenset({tag}), certified.ZERO)


def _parted(right: tuple[object, object], left: tuple[object, object]) -> str | None:
    """Why the two pieces (value and slope at the point) certainly differ, or None."""
    (a, a_slope), (b, b_slope) = right, left
    if _differ(a, b):
        return (f"a derivative at a kink does not exist here: what it differentiates jumps, from {certified.show(b)} "
                f"on the left to {certified.show(a)} on the right")
    if _differ(a_slope, b_slope):
        return (f"a derivative at a kink does not exist here: what it differentiates has slope {certified.show(b_slope)} "
                f"on the left and {certified.show(a_slope)} on the right")
    return None


def _same(a: object, b: object) -> bool:
    """Whether two values are certainly equal (exact and equal, or balls whose difference is exactly 0)."""
    if isinstance(a, jets.Jet) or isinstance(b, jets.Jet):
        return False
    if certified.is_exact(a) and certified.is_exact(b):
        return bool(a == b)
    try:
        difference = certified.to_arb(a) - certified.to_arb(b)  # type: ignore[arg-type]  # numbers, not jets
    except (TypeError, ValueError):
        return False
    return bool(difference.is_zero())


def _differ(a: object, b: object) -> bool:
    """Whether two values are certainly different (exact, or balls whose difference excludes 0)."""
    if isinstance(a, jets.Jet) or isinstance(b, jets.Jet):
        return False
    if certified.is_exact(a) and certified.is_exact(b):
        return bool(a != b)
    try:
        difference = certified.to_arb(a) - certified.to_arb(b)  # type: ignore[arg-type]  # numbers, not jets
    except (TypeError, ValueError):
        return False
    return not difference.contains(0)


__all__ = ["Direction", "KinkUndefined", "judged", "side_of", "vanished_step"]
