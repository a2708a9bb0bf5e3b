"""Differential test of reading: spellings a reader takes to mean the same thing must get the same
verdict, on true steps and on false ones alike (docs/format.md: determinants, log-determinants,
inverse transposes, entries squared, exponentials, the logistic function, products, inner
products, traces, vec).

Each group lists spellings of one expression; hypothesis picks a group, a template around the
expression, and a right side that is right or wrong (the group's reference with the template, or
it changed by a term).  Every spelling's step must then agree with the others: all hold (proved or
tested), all refuted, or all errors.  A spelling read otherwise than the rest is a misreading.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from helpers import front_matter

SYMBOLS = {"A": "matrix N x N", "B": "matrix N x N", "x": "vector N", "y": "vector N", "z": "vector N",
           "c": "positive scalar"}

#: (spellings, reference, a different expression of the same shape): the reference is the
#: group's meaning written plainly; the different one changes it.
GROUPS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "det": ((r"\det A", r"\det(A)", r"|A|", r"\left|A\right|", r"\lvert A \rvert", r"\det{A}",
             r"\det\left(A\right)"), r"\det(A)", r"\det(B)"),
    "logdet": ((r"\log\det A", r"\log|A|", r"\ln|A|", r"\log(\det A)", r"\ln\det(A)",
                r"\log\left|A\right|", r"\log \det(A)"), r"\log(\det(A))", r"\log(\det(A^T A + I))"),
    "inverse transpose": ((r"x^T A^{-T} y", r"x^T (A^T)^{-1} y", r"x^T (A^{-1})^T y", r"x^T A^{-\top} y",
                           r"y^T A^{-1} x", r"(A^{-1} x)^T y"), r"y^T A^{-1} x", r"x^T A^{-1} y"),
    "square of an entry": ((r"x_i^2", r"x^2_i", r"(x_i)^2", r"x_{i}^{2}", r"x_i x_i", r"x_i \cdot x_i",
                            r"[x]_i^2"), r"x_i x_i", r"x_i y_i"),
    "exponential": ((r"e^{z_i}", r"\exp(z_i)", r"\exp z_i", r"\exp\left(z_i\right)", r"\mathrm{e}^{z_i}"),
                    r"\exp(z_i)", r"\exp(-z_i)"),
    "logistic": ((r"\sigma(z_i)", r"\frac{1}{1 + e^{-z_i}}", r"\operatorname{sigmoid}(z_i)",
                  r"\mathrm{sigmoid}(z_i)", r"\frac{e^{z_i}}{1 + e^{z_i}}", r"\frac{1}{1 + \exp(-z_i)}"),
                 r"\frac{1}{1 + \exp(-z_i)}", r"\frac{1}{1 + \exp(z_i)}"),
    "product": ((r"\prod_i x_i y_i", r"(\prod_i x_i)(\prod_j y_j)", r"\prod_{i=1}^{N} (x_i y_i)",
                 r"\left(\prod_{k} x_k\right) \prod_{k} y_k"), r"\prod_i x_i y_i", r"\prod_i x_i"),
    "inner product": ((r"\sum_i x_i y_i", r"x^T y", r"y^T x", r"\langle x, y \rangle", r"\sum_{i=1}^{N} y_i x_i",
                       r"x^\top y", r"\sum_j x_j \cdot y_j"), r"x^T y", r"x^T x"),
    "trace": ((r"\operatorname{tr}(A)", r"\mathrm{tr}(A)", r"\operatorname{Tr}(A)", r"\sum_i A_{i,i}",
               r"\text{tr}(A)", r"\operatorname{tr} A", r"\sum_{i=1}^{N} A_{ii}"), r"\operatorname{tr}(A)",
              r"\operatorname{tr}(B)"),
    "frobenius": ((r"\operatorname{vec}(A)^T \operatorname{vec}(B)", r"\operatorname{tr}(A^T B)",
                   r"\sum_{i,j} A_{i,j} B_{i,j}", r"\langle A, B \rangle", r"\operatorname{tr}(B^T A)",
                   r"\mathrm{vec}(B)^T \mathrm{vec}(A)"), r"\operatorname{tr}(A^T B)", r"\operatorname{tr}(A B)"),
    "inverse of a product": ((r"x^T A^{-1} B^{-1} y", r"x^T (B A)^{-1} y", r"x^T (A^{-1} B^{-1}) y"),
                             r"x^T (B A)^{-1} y", r"x^T (A B)^{-1} y"),
}

#: Templates around a scalar expression ``E`` (never a script glued to it: ``\exp z_i^2`` is
#: ``\exp(z_i^2)``, another expression than ``e^{z_i}`` squared).
TEMPLATES = ("{E}", "2 \\left({E}\\right)", "\\left({E}\\right)^2", "\\left({E}\\right) - c", "c + \\left({E}\\right)")

HOLDS = {"proved": "holds", "tested": "holds"}


def _verdicts(spellings: tuple[str, ...], template: str, right: str) -> list[tuple[str, str, str]]:
    maths = [template.replace("{E}", s) + " = " + right for s in spellings]
    text = front_matter(SYMBOLS) + "\n\n".join(f"$$ {m} $$" for m in maths) + "\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    assert len(result.steps) == len(maths)
    return [(m, str(s.verdict), s.message or "") for m, s in zip(maths, result.steps)]


def _agree(found: list[tuple[str, str, str]]) -> None:
    kinds = {HOLDS.get(verdict, verdict) for _, verdict, _ in found}
    assert len(kinds) == 1, "\n".join(f"{verdict:9} {math} :: {message[:160]}" for math, verdict, message in found)


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("right", ["reference", "different"])
def test_every_spelling_of_a_group_gets_one_verdict(group: str, right: str) -> None:
    spellings, reference, different = GROUPS[group]
    found = _verdicts(spellings, "{E}", reference if right == "reference" else different)
    _agree(found)
    expected = "holds" if right == "reference" else "refuted"
    assert HOLDS.get(found[0][1], found[0][1]) == expected, found[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=st.sampled_from(sorted(GROUPS)), template=st.sampled_from(TEMPLATES), wrong=st.booleans(),
       chosen=st.data())
def test_spellings_agree_inside_any_template(group: str, template: str, wrong: bool, chosen: st.DataObject) -> None:
    spellings, reference, different = GROUPS[group]
    pair = chosen.draw(st.lists(st.sampled_from(spellings), min_size=2, max_size=3, unique=True))
    right = template.replace("{E}", different if wrong else reference)
    _agree(_verdicts(tuple(pair), template, right))


#: Groups of matrix (or vector) expressions, read through scalar templates.
ARRAY_GROUPS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "hadamard square": ((r"A^{\circ 2}", r"A \circ A", r"A^{\circ {2}}"), r"A \circ A", r"A \circ B"),
    "hadamard quotient": ((r"A \oslash B", r"B^{\circ -1} \circ A", r"A \circ B^{\circ -1}"),
                          r"A \oslash B", r"B \oslash A"),
    "matrix cube": ((r"A^3", r"A A A", r"A^2 A", r"A A^2", r"A^{3}"), r"A A A", r"A A^T A"),
    "inverse": ((r"A^{-1}", r"\left(A\right)^{-1}", r"((A^T)^{-1})^T", r"A^{-1} I"), r"A^{-1}", r"A^{-T}"),
    "ones": ((r"\mathbf{1} - z", r"1 - z", r"\mathbf{1}_N - z", r"-z + 1", r"\boldsymbol{1} - z"),
             r"\mathbf{1}_N - z", r"\mathbf{1}_N + z"),
    "tanh": ((r"\tanh(A x)", r"\tanh\left(A x\right)"), r"\tanh(A x)", r"\tanh(A^T x)"),
    "kronecker mixed product": ((r"(A \otimes B)(x \otimes y)", r"(A x) \otimes (B y)"),
                                r"(A x) \otimes (B y)", r"(B x) \otimes (A y)"),
}

#: Templates that make a scalar of an N x N matrix (or of a vector of length N, or N^2 for Kronecker
#: products, where the template's vector is replaced).
ARRAY_TEMPLATES = {
    "matrix": ("x^T \\left({E}\\right) y", "\\operatorname{tr}\\left({E}\\right)", "\\operatorname{tr}\\left(A^T \\left({E}\\right)\\right)"),
    "vector": ("x^T \\left({E}\\right)", "\\left({E}\\right)^T \\left({E}\\right)"),
    "long vector": ("\\left(x \\otimes z\\right)^T \\left({E}\\right)", "\\left({E}\\right)^T \\left({E}\\right)"),
}
ARRAY_KIND = {"ones": "vector", "tanh": "vector", "kronecker mixed product": "long vector"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=st.sampled_from(sorted(ARRAY_GROUPS)), wrong=st.booleans(), chosen=st.data())
def test_array_spellings_agree_inside_a_scalar_template(group: str, wrong: bool, chosen: st.DataObject) -> None:
    spellings, reference, different = ARRAY_GROUPS[group]
    template = chosen.draw(st.sampled_from(ARRAY_TEMPLATES[ARRAY_KIND.get(group, "matrix")]))
    pair = chosen.draw(st.lists(st.sampled_from(spellings), min_size=2, max_size=3, unique=True))
    right = template.replace("{E}", different if wrong else reference)
    _agree(_verdicts(tuple(pair), template, right))


@pytest.mark.parametrize("group", sorted(ARRAY_GROUPS))
def test_every_array_spelling_holds_against_its_reference(group: str) -> None:
    spellings, reference, _ = ARRAY_GROUPS[group]
    template = ARRAY_TEMPLATES[ARRAY_KIND.get(group, "matrix")][0]
    found = _verdicts(spellings, template, template.replace("{E}", reference))
    _agree(found)
    assert HOLDS.get(found[0][1]) == "holds", found[0]
