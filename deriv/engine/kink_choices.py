"""The values ``relu'(0)`` takes on an instance: any in ``[0, 1]``, a few of them tried.

Apart from :mod:`deriv.engine.kinks` (which judges a step at each of them) because the
domain search (:mod:`deriv.engine.domains`), which :mod:`.kinks` reads, judges at them too:
``\\frac{d}{dx} relu(x)`` is defined at 0 for every choice, ``relu(x) / x`` is not.
"""

from __future__ import annotations

import copy
import random

from flint import fmpq

from deriv.engine.instances import Instance

#: The values of ``relu'(0)`` tried: the ends of the subgradient and two inside it (a step
#: that holds at 0 and 1 only, ``relu'(x)^2 = relu'(x)``, fails at 1/2).
CHOICES = (fmpq(0), fmpq(1), fmpq(1, 2), fmpq(1, 3))
#: A prime denominator for the generic choice (:func:`choices`).
_GENERIC_DENOMINATOR = 1_000_003


def choices(instance: Instance) -> tuple[fmpq, ...]:
    """:data:`CHOICES` and one generic value drawn for the instance: a step that holds at every
    fixed choice but not all of ``[0, 1]`` (``\\sin(6 \\pi \\operatorname{relu}'(x)) = 0``, a polynomial
    with a root at each) fails at a value of no small denominator, which no step is written to meet."""
    rng = random.Random(f"deriv:relu0:{instance.seed}:{instance.trial}:{instance.attempt}")
    return (*CHOICES, fmpq(rng.randrange(1, _GENERIC_DENOMINATOR), _GENERIC_DENOMINATOR))


def with_step_value(session, instance: Instance, value: fmpq) -> Instance:
    """A copy of ``instance`` on which ``relu'(0)`` is ``value`` (kept: evaluators are keyed by its id)."""
    chosen = copy.copy(instance)
    chosen.step_at_zero = value
    session.keep(chosen)
    return chosen


def taking(value: fmpq) -> str:
    """What a counterexample at a kink says of the value it took."""
    return f"taking relu'(0) = {value} (any value in [0, 1] may be relu'(0))"
