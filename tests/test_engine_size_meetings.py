r"""Engine: a claim false at one size only is refuted there (``engine/size_meetings.py``).

Found by the claims harness past its default cases: ``3 \neq \sqrt{N}`` was ``tested`` (false at
N = 9), as were ``N \neq 9`` and ``N^2 \neq 81``; sampled sizes never hit the one that fails.
Then by the sizes review: a zero in two or three sizes at once (``\sqrt{N} + \sqrt{M} \neq 5``), an
exact value the balls could not certify (``\sqrt{N M} \neq 6`` at N = 12, M = 3), a side undefined
at one size (``\frac{1}{N - 9} \neq 0``), a step false only at a kink of sizes. The reference here
is arithmetic on whole numbers: the claim fails exactly where it is written to, and the adversarial
harness writes claims false at a known size (the right side is the left one with the sizes put in).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

import deriv
from deriv.check.options import CheckOptions
import sympy
from deriv.engine.size_meetings import meeting_sizes
from helpers import displays, front_matter, verdict_values

HEAD = "---\nsymbols:\n  x: vector N\n  A: matrix M x N\n---\n"


def verdicts(*maths: str) -> list[str]:
    result = deriv.check_text(HEAD + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return verdict_values(result.steps)


@pytest.mark.parametrize(("display", "expected"), [
    (r"3 \neq \sqrt{N}", "refuted"), (r"N \neq 9", "refuted"), (r"N^2 \neq 81", "refuted"),
    (r"\sqrt{N} \neq 4", "refuted"), (r"M \neq 40", "refuted"), (r"N - M \neq 7", "refuted"),
    (r"\sqrt{N} < 3", "refuted"), (r"N < 30", "refuted"), (r"N \leq 29", "refuted"),
    (r"2 N \neq 9", "tested"), (r"N^2 \neq 2", "tested"), (r"N > 0", "held"), (r"N \geq 1", "held"),
])
def test_a_claim_false_at_one_size_is_refuted_there(display: str, expected: str) -> None:
    [found] = verdicts(display)
    assert found in (("proved", "tested") if expected == "held" else (expected,)), (display, found)


@settings(max_examples=10, deadline=None)
@given(k=st.integers(11, 400))
def test_claims_about_one_size_fail_exactly_where_written(k: int) -> None:
    false, true = verdicts(rf"N \neq {k}", rf"2 N \neq {2 * k + 1}")
    assert (false, true) == ("refuted", "tested"), k


# -- two or three sizes together, roots evaluated exactly, sizes where a side is undefined ------------
# Found by the sizes review: each was ``tested``, false at the sizes named.
THREE = front_matter({"A": "matrix N x M", "B": "matrix K x M", "c": "scalar"})


def verdicts_of(head: str, *maths: str) -> list[str]:
    result = deriv.check_text(head + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return verdict_values(result.steps)


@pytest.mark.parametrize("display", [
    r"\sqrt{N} + \sqrt{M} \neq 5",  # N = 9, M = 4: a zero in two sizes at once
    r"\sqrt{N M} \neq 6",  # N = 12, M = 3 as \sqrt{12}\sqrt{3}: a product of roots evaluated as one, exactly
    r"\sqrt{3 N} \neq 6",  # N = 12: \sqrt{3}\sqrt{N}
    r"\frac{1}{N - 9} \neq 0",  # N = 9: the left side undefined, the right not (as \frac{1}{x} \neq 0 at x = 0)
    r"\frac{1}{N M - 91} \neq 0",  # N M = 91 (7 times 13)
    r"\sqrt{N} + \sqrt{M} \neq \sqrt{50}",  # N = 2, M = 32: 5\sqrt{2} on both sides, exactly
    r"\sqrt{N} + \sqrt{M} < \sqrt{50}",
    r"N K \neq 2 M + 1000",
    r"N + M + K \neq 40",  # three sizes
    r"N M K \neq 105",
    r"\sqrt{N} + \sqrt{M} + \sqrt{K} \neq 6",  # N = M = K = 4
    r"(N - 9) (c^2 + 1) \neq 0",  # a drawn scalar too
    r"(N M - 30) (c^2 + 1) \neq 0",
    r"N M \leq 700", r"N - M < 100", r"\frac{N}{M} \neq 7",
])
def test_a_claim_false_where_sizes_meet_together_is_refuted_there(display: str) -> None:
    assert verdicts_of(THREE, display) == ["refuted"], display


@pytest.mark.parametrize("display", [
    r"N + M \neq 1", r"N M K \neq 0", r"\sqrt{N} + \sqrt{M} \neq \frac{1}{2}", r"\sqrt{N M} \geq 1",
    r"\sqrt{N} \sqrt{M} \geq 1", r"\frac{N}{M} + \frac{M}{N} \geq 2", r"\sqrt{N} + \sqrt{M} + \sqrt{K} \geq 3",
    r"N^2 + M^2 \neq 3", r"(N + M) (c^2 + 1) > 1", r"\frac{1}{N + M} \leq 1", r"N^3 + M^3 \neq K^3",
    r"\frac{1}{N + 9} \neq 0", r"2 N + 4 M \neq 7", r"\sqrt{N M} \leq \frac{N + M}{2}",
])
def test_a_true_claim_about_sizes_is_not_refuted_by_the_search(display: str) -> None:
    [found] = verdicts_of(THREE, display)
    assert found in ("proved", "tested"), (display, found)


def test_an_equality_undefined_at_one_size_past_eight_is_refuted_there() -> None:
    # Its condition on sizes was tried at sizes 1 to 8 only.
    assert verdicts_of(THREE, r"\frac{N - 9}{N - 9} = 1", r"\frac{N M - 40}{N M - 40} = 1") == ["refuted", "refuted"]


@pytest.mark.parametrize(("display", "expected"), [
    # 0 on both sides of one size and not at it: no change of sign, only the kink's argument has one.
    (r"\operatorname{relu}(1 - |N - 97|) = 0", "refuted"), (r"\operatorname{relu}(1 - |N + M - 97|) = 0", "refuted"),
    (r"\operatorname{relu}(1 - |N - 97|) \leq 0", "refuted"), (r"\operatorname{relu}(1 - |N K - 91|) < \frac{1}{2}", "refuted"),
    (r"|N - M| + |M - N| = 2 |N - M|", "held"), (r"\operatorname{relu}(N - 97) \operatorname{relu}(97 - N) = 0", "held"),
])
def test_a_step_false_only_at_a_kink_of_sizes_is_refuted_there(display: str, expected: str) -> None:
    [found] = verdicts_of(THREE, display)
    assert found in (("proved", "tested") if expected == "held" else (expected,)), (display, found)


def test_a_product_of_roots_of_sizes_is_exact_where_it_is_whole() -> None:
    result = deriv.check_text(THREE + displays(r"\sqrt{N M} \neq 6"), options=CheckOptions(isolate=False))
    [step] = result.steps
    example = step.counterexample
    assert step.verdict.value == "refuted" and example is not None and example.precision == "exact"
    sizes = dict(example.sizes)
    assert sizes["N"] * sizes["M"] == 36 and example.lhs_value == example.rhs_value == "6"


def test_sides_exactly_equal_only_as_irrational_numbers_refute_a_strict_claim_exactly() -> None:
    [step] = deriv.check_text(THREE + displays(r"\sqrt{N} + \sqrt{M} \neq \sqrt{50}"),
                              options=CheckOptions(isolate=False)).steps
    example = step.counterexample
    assert step.verdict.value == "refuted" and example is not None and example.precision == "exact"
    n, m = dict(example.sizes)["N"], dict(example.sizes)["M"]
    assert sympy.sqrt(n) + sympy.sqrt(m) - sympy.sqrt(50) == 0, (n, m)


# -- adversarial: a size expression with a known whole zero inside the scanned range --------------------
#: Terms of a size expression: LaTeX templates over <N>, <M>, <K> (a size's name or a number).
TERMS = (r"<N>", r"<M>", r"<N>^2", r"<N> \cdot <M>", r"\sqrt{<N>}", r"\sqrt{<M>}", r"\sqrt{<N> \cdot <M>}",
         r"\frac{<N>}{<M>}", r"\frac{1}{<N> + 1}", r"(<N> - <M>)^2", r"\sqrt{<N> + <M>}", r"<N> \cdot <K>",
         r"\sqrt{<K>}", r"\frac{<K>}{<N> + <M>}")


def filled(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``<N>`` replaced by ``values["N"]``."""
    for name, value in values.items():
        template = template.replace(f"<{name}>", value)
    return template


@st.composite
def size_claims(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """``f(N, M, K) R f(a, b, c)`` with ``R`` strict: false at ``N = a, M = b, K = c``, two of which
    are at most 4 (so the point is on a scanned line), the third at most 300."""
    terms = draw(st.lists(st.sampled_from(TERMS), min_size=1, max_size=3, unique=True))
    coefficients = draw(st.lists(st.sampled_from([1, 2, 3, -1, -2]), min_size=len(terms), max_size=len(terms)))
    small = draw(st.lists(st.integers(1, 4), min_size=2, max_size=2))
    large = draw(st.integers(1, 300))
    names = draw(st.permutations(["N", "M", "K"]))
    point = dict(zip(names, [large, *small]))
    relation = draw(st.sampled_from([r"\neq", "<", ">"]))

    def written(values: dict[str, str]) -> str:
        signed = (f"{'-' if c < 0 else '+'} {abs(c)} \\cdot ({filled(t, values)})" for c, t in zip(coefficients, terms))
        return " ".join(signed).removeprefix("+ ")

    return (f"{written({n: n for n in names})} {relation} {written({n: str(v) for n, v in point.items()})}", point)


@settings(max_examples=40, deadline=None)
@given(size_claims())
def test_a_claim_false_at_a_known_size_is_never_accepted(claim: tuple[str, dict[str, int]]) -> None:
    display, point = claim
    [found] = verdicts_of(THREE, display)
    assert found in ("refuted", "undecided"), (display, point, found)


#: Terms no smaller at any sizes than at N = M = K = 1.
GROWING = (r"<N>", r"<M>", r"<N>^2", r"<N> \cdot <M>", r"\sqrt{<N>}", r"\sqrt{<N> \cdot <M>}", r"\sqrt{<N> + <M>}",
           r"<N> \cdot <K>", r"\sqrt{<K>}", r"<N>^3", r"\sqrt{<N> \cdot <M> \cdot <K>}")


@settings(max_examples=25, deadline=None)
@given(terms=st.lists(st.sampled_from(GROWING), min_size=1, max_size=3, unique=True),
       relation=st.sampled_from([r"\neq", ">", r"\geq"]))
def test_a_true_claim_bounded_at_the_least_sizes_is_not_refuted(terms: list[str], relation: str) -> None:
    ones = {n: "1" for n in "NMK"}
    left = " + ".join(filled(t, {n: n for n in "NMK"}) for t in terms)
    right = " + ".join(filled(t, ones) for t in terms)
    display = f"{left} {relation} {right}" + ("" if relation == r"\geq" else r" - \frac{1}{2}")
    [found] = verdicts_of(THREE, display)
    assert found in ("proved", "tested"), (display, found)


# -- the scan itself: where it sends the tester --------------------------------------------------------
N, M = sympy.symbols("N M", integer=True, positive=True)


@pytest.mark.parametrize(("difference", "relation", "expected"), [
    ((N - 1000) ** 2 * (M + 1), "!=", {N: 1000}),  # a dip to 0 between two sparse sizes, no change of sign
    (sympy.sqrt(N) + sympy.sqrt(M) - 5, "!=", {N: 9, M: 4}),
    (sympy.Max(0, 1 - sympy.Abs(N - 700)), "=", {N: 700}),
])
def test_the_scan_finds_the_sizes_where_a_relation_fails(difference, relation: str, expected: dict) -> None:
    found = meeting_sizes(difference, {N: 2, M: 3}, {}, relation)
    assert any(all(candidate[s] == v for s, v in expected.items()) for candidate in found), found


def test_the_sizes_where_floats_say_a_claim_fails_come_first() -> None:
    found = meeting_sizes(N * M - 4000, {N: 2, M: 3}, {}, "<")  # fails where N M >= 4000 only
    assert found and all(c[N] * c[M] >= 4000 for c in found), found


def test_the_scan_keeps_to_the_least_sizes_and_finds_nothing_where_nothing_fails() -> None:
    assert meeting_sizes(N + M - 1, {N: 2, M: 3}, {}, "!=") == []
    assert meeting_sizes(N - 9, {N: 12}, {N: 10}, "!=") == []  # N >= 10: no N = 9
    assert all(c[N] >= 5 for c in meeting_sizes(N * M - 20, {N: 6, M: 3}, {N: 5}, "!="))
