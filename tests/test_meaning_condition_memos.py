"""The domain conditions' memos are keyed on the flags equality ignores: a soft or valued
condition is never answered with its hard twin's flags (merging two branches that each
remembered conditions by equality turned (x^s)^2 = x^{2s} from refuted into tested)."""

from __future__ import annotations

import itertools

import pytest
from sympy import Symbol

import deriv
from deriv.meaning import domains
from deriv.meaning.domains import NONZERO, Condition, member_conditions

x = Symbol("x")


@pytest.mark.parametrize("order", list(itertools.permutations([(False, False), (True, False), (False, True)])))
def test_member_conditions_keep_each_twins_flags(order) -> None:
    for soft, valued in order:
        [found] = member_conditions({Condition(NONZERO, x, soft=soft, valued=valued)}, x)
        assert (found.soft, found.valued) == (soft, valued)


@pytest.mark.parametrize("order", list(itertools.permutations([(False, False), (True, False), (False, True)])))
def test_definition_conditions_at_indices_keep_each_twins_flags(order) -> None:
    p, i = Symbol("p", integer=True), Symbol("i", integer=True)
    for soft, valued in order:
        [found] = domains.conditions_at(frozenset({Condition(NONZERO, x + p, soft=soft, valued=valued)}), (p,), (i,))
        assert (found.soft, found.valued) == (soft, valued)


@pytest.mark.parametrize("math", [r"(x^{s})^2 = x^{2s}", r"x^{s} x^{s} = x^{2s}"])
def test_powers_by_a_symbol_stay_refuted_after_other_members_were_built(math: str) -> None:
    warm = "---\nsymbols:\n  x: scalar\n  s: scalar\n---\n$$ x^{s} = x^{s} $$\n$$ (x^{2})^{s} = x^{2s} $$\n"
    deriv.check_text(warm)
    text = f"---\nsymbols:\n  x: scalar\n  s: scalar\n---\n$$ {math} $$\n"
    assert [s.verdict.value for s in deriv.check_text(text).steps] == ["refuted"]
