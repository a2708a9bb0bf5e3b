"""A seed the library is given is a whole number from 0, as ``--seed`` is (deriv/budget.py: seed_number):
it names the random instances a report tells the reader to draw again, and a result's cache key."""

from __future__ import annotations

import pytest
import sympy

import deriv
from deriv.check.options import CheckOptions
from deriv.results import Verdict

x = sympy.Symbol("x")


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError),
                                             ("3", TypeError), (None, TypeError)])
def test_a_seed_that_is_no_whole_number_from_0_is_refused_everywhere(seed, error) -> None:
    with pytest.raises(error, match="seed"):
        deriv.decide(sympy.sqrt(x**2), x, {"x": "scalar"}, seed=seed)
    with pytest.raises(error, match="seed"):
        deriv.reward(r"$$ \sqrt{x^2} = x $$", symbols={"x": "scalar"}, seed=seed)
    with pytest.raises(error, match="seed"):
        CheckOptions(seed=seed)


def test_a_large_seed_is_a_seed() -> None:
    assert deriv.decide(sympy.sqrt(x**2), x, {"x": "scalar"}, seed=2**200).verdict is Verdict.REFUTED
