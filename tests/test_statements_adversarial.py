"""Adversarial statements (issue 17, items 5, 9, 11, 16): exact verdicts, true and false.

Definiteness, quantified, eigenvalue and second-order statements written to
break the shortcuts: singular and rank-deficient matrices, Gram forms, zero
scalars, definite matrices with a small smallest eigenvalue, mixed
functions and points, non-strict minima, transcendental entries.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.check.options import CheckOptions
from deriv.engine import spectrum


def check(symbols: str, *displays: str, assumptions: str = "", definitions: str = "", prefix: str = ""):
    head = f"---\nsymbols:\n{symbols}"
    if definitions:
        head += f"definitions:\n{definitions}"
    if assumptions:
        head += f"assumptions:\n{assumptions}"
    text = head + "---\n\n" + prefix + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


def verdicts(steps) -> list[str]:
    return [s.verdict.value for s in steps]


# -- item 5: the eigenvalue statement is proved for every size, saying what was cited ----------
@pytest.mark.parametrize("strict", [True, False])
def test_the_eigenvalue_argument_is_shown_at_a_symbolic_size(strict):
    found = spectrum.every_size(strict)
    assert found.shown, found.what
    assert "every size n" in found.what and ("lambda > 0" if strict else "lambda >= 0") in found.what
    assert "spectral theorem" in found.cited


def test_the_eigenvalue_statement_says_what_was_shown_and_what_was_cited():
    (step,) = check("  H: symmetric matrix N x N\n", r"H \succ 0 \implies \lambda(H) > 0")
    assert step.verdict.value == "proved", step.message
    assert "cited, not shown: the spectral theorem" in step.message
    assert "for every size n (symbolic)" in step.message and "10000 random matrices" in step.message


def test_without_the_every_size_argument_the_eigenvalue_statement_is_only_tested(monkeypatch):
    from deriv.check import statements

    monkeypatch.setattr(statements, "every_size", lambda strict: spectrum.EverySize(False, "not shown here"))
    (step,) = check("  H: symmetric matrix N x N\n", r"H \succeq 0 \implies \lambda(H) \geq 0")
    assert step.verdict.value == "tested", step.message
    assert "not shown for every size" in step.message
