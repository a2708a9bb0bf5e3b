"""Engine, statements: adversarial statements (docs/deciding.md), exact verdicts, true and false.

Definiteness, quantified, eigenvalue and second-order statements written to
break the shortcuts: singular and rank-deficient matrices, Gram forms, zero
scalars, definite matrices with a small smallest eigenvalue, mixed
functions and points, non-strict minima, transcendental entries.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from helpers import verdict_values
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- item 9: definiteness where counterexamples live -------------------------------------------
MATRICES = "  H: symmetric matrix N x N\n  A: matrix N x N\n  X: matrix M x N\n  x: vector N\n  a: scalar\n  lambda: scalar\n"


@pytest.mark.parametrize(("display", "verdict"), [
    (r"X^T X \succeq 0", "proved"),  # a Gram form: v^T X^T X v = |X v|^2
    (r"A A^T \succeq 0", "proved"),
    (r"X^T X + I_N \succ 0", "proved"),  # |X v|^2 + |v|^2
    (r"X^T X + (a^2 + 1) I_N \succ 0", "proved"),
    (r"X^T X + a^2 I_N \succeq 0", "proved"),
    (r"X^T X \succ 0", "refuted"),  # fewer rows than columns, or X of rank 1
    (r"A A^T \succ 0", "refuted"),  # A singular
    (r"A^T A \succ 0", "refuted"),
    (r"X^T X + a^2 I_N \succ 0", "refuted"),  # a = 0 with X rank-deficient
    (r"a^2 I_N \succ 0", "refuted"),  # a = 0
    (r"a^2 I_N \succeq 0", "proved"),
    (r"A + A^T \succeq 0", "refuted"),
    (r"X^T X - I_N \succeq 0", "refuted"),
    (r"x x^T \succ 0", "refuted"),  # rank 1 (size 1 excepted)
    (r"x x^T \succeq 0", "proved"),
    (r"x^T X^T X x > 0 \quad \forall x \neq 0", "refuted"),
    (r"x^T A^T A x > 0 \quad \forall x \neq 0", "refuted"),
    (r"x^T (X^T X + I_N) x > 0 \quad \forall x \neq 0", "proved"),  # |Xx|^2 + |x|^2
])
def test_definiteness_of_gram_forms_and_singular_matrices(display, verdict):
    (step,) = check(MATRICES, display)
    assert step.verdict.value == verdict, step.message


@pytest.mark.parametrize(("display", "verdict"), [
    (r"x^T H x \geq x^T x \quad \forall x \neq 0", "refuted"),  # the smallest eigenvalue may be below 1
    (r"\operatorname{tr}(H) \geq N", "refuted"),
    (r"H - I_N \succeq 0", "refuted"),
    (r"H - \frac{1}{2} I_N \succeq 0", "refuted"),
    (r"H + X^T X \succ 0", "proved"),
    (r"A^T H A \succeq 0", "proved"),
    (r"A^T H A \succ 0", "refuted"),  # A singular
    (r"H \succeq 0", "proved"),
    (r"x^T H x > 0 \quad \forall x \neq 0", "proved"),
    (r"\operatorname{tr}(H) > 0", "tested"),
])
def test_under_a_definite_assumption_the_smallest_eigenvalue_reaches_towards_0(display, verdict):
    assert_verdict(MATRICES, "  - H \\succ 0\n", display, verdict)


def assert_verdict(symbols: str, assumptions: str, display: str, verdict: str) -> None:
    (step,) = check(symbols, display, assumptions=assumptions)
    assert step.verdict.value == verdict, step.message


def test_a_semi_definite_assumption_draws_singular_matrices():
    steps = check(MATRICES, r"H \succ 0", r"H + I_N \succ 0", r"\operatorname{tr}(H) > 0", assumptions="  - H \\succeq 0\n")
    assert verdict_values(steps) == ["refuted", "proved", "refuted"], [s.message for s in steps]


def test_definite_draws_cover_small_eigenvalues_and_rank_deficiency():
    from flint import fmpq, fmpq_mat

    from deriv.engine.definiteness import definite
    from deriv.engine.eigen import SCALES, spread
    import random

    for strict in (True, False):
        smallest = []
        for trial in range(len(SCALES)):
            for n in (1, 2, 3, 4):
                h = spread(n, strict, trial, random.Random(f"{trial}:{n}"))
                rows = h.tolist()
                assert definite(rows, strict=strict)
                assert all(rows[i][j] == rows[j][i] for i in range(n) for j in range(n))
                smallest.append(min(rows[i][i] for i in range(n)))  # >= the smallest eigenvalue
        assert min(smallest) < fmpq(1, 2)
        if not strict:
            assert min(smallest) == 0
    del fmpq_mat


# -- item 16: no internal errors; premises constrain instances by construction ------------------
LOGISTIC = "  X: matrix M x N\n  w: vector N\n  x: vector N\n  u: ones M\n  sigma: logistic\n"
LOGISTIC_DEFINITIONS = "  - p = \\sigma(X w)\n  - S = \\operatorname{diag}(p \\circ (u - p))\n  - H = X^T S X\n"


def test_the_logistic_hessian_is_decided_not_an_internal_error():
    steps = check(LOGISTIC, r"H \succeq 0", r"H \succ 0", r"X^T S X \succeq 0", definitions=LOGISTIC_DEFINITIONS)
    assert verdict_values(steps) == ["tested", "refuted", "tested"], [s.message for s in steps]
    assert "could not be certified either way" in steps[0].message  # singular where M < N: said, not hidden
    assert "X = 0" in steps[1].message


def test_a_premise_quantified_over_a_scalar_is_used_not_a_type_error():
    symbols = "  a: scalar\n  t: scalar\n  x: vector N\n"
    steps = check(symbols, r"a^2 > 0", r"a \neq 0", r"t^2 > 0 \quad \forall t \neq 0", r"t^2 + 1 > 0 \quad \forall t \neq 0",
                  assumptions="  - t^2 a^2 > 0 \\quad \\forall t \\neq 0\n")
    assert verdict_values(steps)[:3] == ["tested", "tested", "tested"], [s.message for s in steps]
    assert steps[3].verdict.value == "undecided" and "not a quadratic form in t" in steps[3].message


def test_a_quantified_definiteness_premise_draws_its_matrix_by_construction():
    symbols = "  H: symmetric matrix N x N\n  G: matrix N x N\n  x: vector N\n  y: vector N\n"
    steps = check(symbols, r"y^T H y \geq 0", r"H \succ 0", r"y^T H y \geq y^T y", r"y^T G y > 0 \quad \forall y \neq 0",
                  assumptions="  - x^T H x > 0 \\quad \\forall x \\neq 0\n  - x^T G x \\geq 0 \\quad \\forall x \\neq 0\n")
    assert verdict_values(steps) == ["proved", "tested", "refuted", "refuted"], [s.message for s in steps]


# -- item 11: second-order conditions keep their function and point; minima need not be strict -------
@pytest.mark.parametrize(("display", "verdict"), [
    (r"\nabla f = 0, \nabla^2 g \succ 0 \implies \text{strict local minimum of } f", "refuted"),
    (r"\nabla f = 0, \nabla^2 g \succ 0 \implies \text{strict local minimum}", "refuted"),  # either reading
    (r"\nabla f = 0, \nabla^2 g \succ 0 \implies \text{local minimum of } g", "refuted"),
    (r"\nabla g = 0, \nabla^2 g \succ 0 \implies \text{strict local minimum of } g", "tested"),
    (r"\nabla f(a) = 0, \nabla^2 f(b) \succ 0 \implies \text{strict local minimum at } a", "refuted"),
    (r"\nabla f(a) = 0, \nabla^2 f(b) \succ 0 \implies \text{strict local minimum}", "refuted"),
    (r"\nabla f(x^*) = 0, \nabla^2 f(x^{*}) \succ 0 \implies x^* \text{ is a strict local minimum of } f", "tested"),
    (r"\text{local minimum at } a \implies \nabla f(b) = 0", "refuted"),
    (r"\text{local minimum of } f \implies \nabla g = 0", "refuted"),
    (r"f \text{ has a local minimum at } x^* \implies \nabla^2 f(x^*) \succeq 0", "tested"),
    (r"\text{local minimum} \implies \text{strict local minimum}", "refuted"),  # f = 0
    (r"\text{local minimum} \implies \nabla^2 f \succ 0", "refuted"),
    (r"\text{strict local minimum} \implies \text{local minimum}", "tested"),
    (r"\nabla f = 0, \nabla^2 f \succeq 0 \implies \text{strict local minimum}", "refuted"),
])
def test_second_order_conditions_respect_function_point_and_non_strict_minima(display, verdict):
    (step,) = check("  f: function\n  g: function\n", display)
    assert step.verdict.value == verdict, step.message


def test_a_side_naming_no_function_is_undecided_when_only_one_reading_fails():
    # f's critical point with g's definite Hessian: "local minimum" of g fails (g need not be critical),
    # of f fails too; a reading that holds leaves it undecided, never tested.
    from deriv.engine.premises import decide
    from deriv.meaning.statements import recognise

    statement = recognise(r"\nabla f = 0, \nabla g = 0, \nabla^2 g \succ 0 \implies \text{strict local minimum}")
    found = decide(statement.hypotheses, statement.conclusion)
    assert found.kind == "undecided" and "say which" in found.message, found.message


def test_a_constant_and_a_function_of_fewer_variables_are_non_strict_minima():
    from flint import fmpq

    from deriv.engine.premises import properties

    assert properties({}, 1)["minimum"][0] is True and properties({}, 1)["strict-minimum"][0] is False
    f = {(2, 0): fmpq(1)}  # x^2 in (x, y)
    assert properties(f, 2)["minimum"][0] is True and properties(f, 2)["strict-minimum"][0] is False
    g = {(2, 0): fmpq(1), (1, 1): fmpq(1)}  # x^2 + x y: not a minimum
    assert properties(g, 2)["minimum"][0] is False


SEMI = "  H: symmetric matrix N x N\n  P: positive matrix N x N\n  x: vector N\n  v: vector N\n  lambda: scalar\n"


@pytest.mark.parametrize(("display", "verdict"), [
    (r"x^T H x > 0 \quad \forall x \neq 0", "refuted"),
    (r"x^T H x \geq 0 \quad \forall x \neq 0", "proved"),
    (r"H + \lambda^2 I_N \succ 0", "refuted"),  # lambda = 0 with a singular H
    (r"H + \lambda^2 I_N \succeq 0", "proved"),
    (r"v^T H v > 0", "refuted"),
    (r"P \succ 0", "refuted"),  # positive entries are not definiteness
    (r"\lambda I_N \succ 0", "refuted"),
    (r"(v^T v) I_N \succ 0", "proved"),  # v \neq 0
    (r"v v^T + I_N \succ 0", "proved"),
    (r"v v^T \succ 0", "refuted"),
])
def test_under_a_semi_definite_assumption(display, verdict):
    assert_verdict(SEMI, "  - H \\succeq 0\n  - v \\neq 0\n", display, verdict)


def test_a_gram_proof_says_what_it_showed():
    (step,) = check(SEMI, r"\lambda H + v v^T \succ 0", assumptions="  - H \\succ 0\n  - \\lambda > 0\n")
    assert step.verdict.value == "proved", step.message
    assert "z^T M z = (\\lambda) z^T H z + (z^T v)^2" in step.message and "\\lambda > 0" in step.message


def test_a_fact_quantified_over_a_scalar_proves_nothing_about_the_documents_scalar():
    (step,) = check("  a: scalar\n  t: scalar\n  v: vector N\n", r"t^2 a^2 > 0",
                    assumptions="  - t^2 a^2 > 0 \\quad \\forall t \\neq 0\n  - v \\neq 0\n")
    assert step.verdict.value == "refuted" and "please report" not in step.message, step.message


@pytest.mark.parametrize(("display", "verdict"), [
    (r"x^T (X^T X + \lambda I_N) x > 0 \quad \forall x \neq 0", "proved"),  # |Xx|^2 + lambda |x|^2
    (r"\|X x\|^2 + \lambda \|x\|^2 > 0 \quad \forall x \neq 0", "proved"),
    (r"\|X x\|^2 \geq 0 \quad \forall x \neq 0", "proved"),
    (r"\|X x\|^2 > 0 \quad \forall x \neq 0", "refuted"),
    (r"x^T (X^T X - \lambda I_N) x \geq 0 \quad \forall x \neq 0", "refuted"),
    (r"x^T X^T X x + x^T x > 0 \quad \forall x \neq 0", "proved"),
    (r"x^T (X^T X + \lambda I_N) x > \lambda \quad \forall x \neq 0", "undecided"),  # not a form: said so
])
def test_quantified_gram_forms_are_proved_for_every_size(display, verdict):
    assert_verdict(MATRICES, "  - \\lambda > 0\n", display, verdict)


def test_a_fact_about_the_documents_x_does_not_prove_a_gram_form_for_every_x():
    (step,) = check(MATRICES, r"x^T (X^T X + a I_N) x > 0 \quad \forall x \neq 0", assumptions="  - a x^T x > 0\n")
    assert step.verdict.value != "proved", step.message


# -- a Gram proof is checked against exact definiteness on random instances ---------------------------
GRAM_TERMS = (r"X^T X", r"A A^T", r"A^T A", r"I_N", r"H", r"A^T H A", r"x x^T", r"A", r"A^T", r"X^T X A")
GRAM_WEIGHTS = ("", "2", "-1", r"\lambda", "a^2", "a", r"(a^2 + 1)", r"\frac{1}{3}")


@given(st.lists(st.tuples(st.sampled_from(GRAM_WEIGHTS), st.sampled_from(GRAM_TERMS)), min_size=1, max_size=3),
       st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_gram_proof_holds_on_exact_random_instances(terms, strict, quantified):
    import random

    from flint import fmpq

    from deriv.check.statements import _matrix_constraint
    from deriv.engine.definiteness import definite
    from deriv.engine.gram import gram_proof
    from deriv.meaning.statements import Definiteness
    from deriv.meaning.assumptions import build_constraint

    matrix = " + ".join(f"{w} {t}" for w, t in terms).replace("+ -1", "- ")
    relation = ">" if strict else "\\geq"
    latex = (f"x^T ({matrix}) x {relation} 0 \\quad \\forall x \\neq 0" if quantified
             else f"{matrix} \\succ{'' if strict else 'eq'} 0")
    context = _gram_context()
    facts = [build_constraint(r"H \succeq 0", context), build_constraint(r"\lambda > 0", context)]
    try:
        constraint = (build_constraint(latex, context) if quantified
                      else _matrix_constraint(Definiteness(matrix, strict), latex, context))
    except Exception:  # noqa: BLE001 - a shape that does not fit is not this test's business
        return
    if gram_proof(constraint, context, facts) is None:
        return
    for seed in range(4):  # independent: evaluate the matrix in numbers, certify with the characteristic polynomial
        rng = random.Random(seed)
        n, m = rng.randint(1, 3), rng.randint(1, 3)
        values = _gram_values(rng, n, m, seed)
        exact = [[fmpq(x.numerator, x.denominator) for x in row] for row in _numeric(terms, values, n)]
        assert definite(exact, strict), (latex, values)


def _gram_context():
    from deriv.meaning.declarations import build_context
    from deriv.read.document import parse_document

    doc = parse_document("---\nsymbols:\n" + MATRICES + "---\n")
    return build_context(doc.front)


def _gram_values(rng, n, m, seed):
    from fractions import Fraction

    def draw(rows, cols):
        return [[Fraction(rng.randint(-3, 3)) if seed else Fraction(0) for _ in range(cols)] for _ in range(rows)]

    b = draw(n, n)
    h = [[sum(b[i][k] * b[j][k] for k in range(n)) for j in range(n)] for i in range(n)]  # H >= 0, singular at seed 0
    a = Fraction(rng.choice([0, 1, -2]))
    return {"X": draw(m, n), "A": draw(n, n), "H": h, "x": draw(n, 1), "a": a, "lambda": Fraction(rng.randint(1, 3), 4)}


def _numeric(terms, v, n):
    """The matrix in plain Fractions from its terms, written independently of deriv's reading."""
    def mul(p, q):
        return [[sum(p[i][k] * q[k][j] for k in range(len(q))) for j in range(len(q[0]))] for i in range(len(p))]

    def t(p):
        return [list(r) for r in zip(*p)]

    eye = [[int(i == j) for j in range(n)] for i in range(n)]
    table = {r"X^T X A": mul(mul(t(v["X"]), v["X"]), v["A"]), r"A^T H A": mul(mul(t(v["A"]), v["H"]), v["A"]),
             r"X^T X": mul(t(v["X"]), v["X"]), r"A A^T": mul(v["A"], t(v["A"])), r"A^T A": mul(t(v["A"]), v["A"]),
             r"x x^T": mul(v["x"], t(v["x"])), r"I_N": eye, r"H": v["H"], r"A^T": t(v["A"]), r"A": v["A"]}
    weights = {"": 1, "2": 2, "-1": -1, r"\lambda": v["lambda"], "a^2": v["a"] ** 2, "a": v["a"],
               r"(a^2 + 1)": v["a"] ** 2 + 1, r"\frac{1}{3}": Fraction(1, 3)}
    total = [[Fraction(0)] * n for _ in range(n)]
    for weight, name in terms:
        total = [[total[i][j] + weights[weight] * table[name][i][j] for j in range(n)] for i in range(n)]
    return total


def test_a_definite_claim_whose_matrix_is_too_close_to_singular_is_undecided_not_accepted():
    steps = check(LOGISTIC, r"S \succ 0", r"S \succeq 0", definitions=LOGISTIC_DEFINITIONS)
    assert steps[0].verdict.value in ("undecided", "tested"), steps[0].message  # true, but p (1 - p) may underflow
    assert steps[0].verdict.value != "undecided" or "too close to 0 to tell" in steps[0].message
    assert steps[1].verdict.value == "tested", steps[1].message


def test_ball_matrices_are_refuted_with_a_certified_witness():
    steps = check(LOGISTIC, r"S - \frac{1}{5} I_M \succeq 0", r"-H \succeq 0",
                  r"x^T (X^T X - 5 H) x \geq 0 \quad \forall x \neq 0", r"x^T H x \geq 0 \quad \forall x \neq 0",
                  definitions=LOGISTIC_DEFINITIONS)
    assert verdict_values(steps) == ["refuted", "refuted", "refuted", "tested"], [s.message for s in steps]
    # M is a size and x, u vectors of the document: the form's names are others
    assert all("v^T Z v = " in s.counterexample.lhs_value for s in steps[:3])


@pytest.mark.parametrize(("display", "assumption"), [  # found by a sweep against a brute-force reference
    (r"2 A^T H A + X^T X + \lambda x x^T \succ 0", "  - H \\succeq 0\n  - \\lambda > 0\n"),  # A = X = 0: rank 1
    (r"A + \frac{1}{3} A^T H A + X^T X \succ 0", "  - H \\succeq 0\n  - \\lambda > 0\n"),  # A = X = 0
    (r"x^T (a^2 A^T H A + A + \lambda X^T X) x \geq 0 \quad \forall x \neq 0", "  - H \\succ 0\n  - \\lambda > 0\n"),
    (r"2 A^T + \lambda X^T X + (a^2 + 1) x x^T \succeq 0", "  - H \\succ 0\n  - \\lambda > 0\n"),  # X = x = 0
])
def test_sums_whose_terms_vanish_together_are_refuted(display, assumption):
    assert_verdict(MATRICES, assumption, display, "refuted")


@pytest.mark.parametrize("display", [
    r"2 A^T A + \lambda A + 2 H \succ 0",  # lambda A dominates 2 A^T A + 2 H for a small A (found by the sweep)
    r"A^T A + A + H \succ 0",  # a small A, or a small H
    r"4 A^T A + A + H \succ 0",
    r"A^T A + \frac{1}{8} (A + A^T) + H \succ 0",
    r"3 A^T A + A + 2 H \succ 0",
    r"A^T A + A + \lambda H \succ 0",
    r"2 A^T A + \lambda (A + A^T) + 2 H \succeq 0",  # these were refuted before too
    r"X^T X + \lambda A + H \succ 0",
    r"H - \lambda A^T A \succeq 0",
])
def test_a_name_scaled_small_or_large_meets_the_assumed_matrix(display):
    assert_verdict(MATRICES, "  - H \\succ 0\n  - \\lambda > 0\n", display, "refuted")


@pytest.mark.parametrize(("display", "shown"), [  # singular only where a matrix and a scalar meet
    (r"4 A^T A - 2 A - 2 A^T + I_N \succ 0", "A = 1/2 I"),  # (2A - I)^T (2A - I)
    (r"A^T A - \lambda (A + A^T) + \lambda^2 I_N \succ 0", "A = 1/2 I, lambda = 1/2"),  # (A - lambda I)^T (A - lambda I)
    (r"A^T A - a (A + A^T) + a^2 I_N \succ 0", "A = 0, a = 0"),  # a may be 0: found before
])
def test_a_form_singular_where_a_matrix_meets_a_scalar_is_refuted(display, shown):
    (step,) = check(MATRICES, display, assumptions="  - H \\succ 0\n  - \\lambda > 0\n")
    assert step.verdict.value == "refuted", step.message
    assert f"an instance where {shown} that" in step.message


@pytest.mark.parametrize(("display", "verdict"), [
    (r"4 A^T A - 2 A - 2 A^T + I_N \succeq 0", "tested"),  # (2A - I)^T (2A - I)
    (r"A^T A - \lambda (A + A^T) + \lambda^2 I_N \succeq 0", "tested"),
    (r"A^T A + A^T + A + I_N \succeq 0", "tested"),  # (A + I)^T (A + I)
    (r"A^T A + \lambda H \succ 0", "proved"),
    (r"2 A^T A + \lambda^2 H \succ 0", "proved"),
    (r"H + \lambda x x^T \succ 0", "proved"),
])
def test_true_statements_survive_names_scaled_small_or_large(display, verdict):
    assert_verdict(MATRICES, "  - H \\succ 0\n  - \\lambda > 0\n", display, verdict)


def test_a_positive_scalar_keeps_its_sign_when_matrices_and_scalars_meet():
    # found by the claims harness: c I and c at c = -1/2 made a positive b negative (a false refutation)
    steps = check("  b: positive scalar\n  A: matrix N x N\n", r"b I_N \succ 0", r"A^T A - b (A + A^T) + b^2 I_N \succ 0")
    assert verdict_values(steps) == ["proved", "refuted"], [s.message for s in steps]
    assert "b = 1/2, A = 1/2 I" in steps[1].message


# A statement about every point whose form SymPy cancelled a denominator out of: it has no value
# where that denominator vanishes, so it is neither proved nor tested (docs/deciding.md).
UNDEFINED_SOMEWHERE = [
    r"\frac{z^T A^T A z}{c} c \geq 0 \quad \forall z \neq 0",      # was proved: undefined at c = 0
    r"\frac{(w^T z)^2}{w^T z} (w^T z) \geq 0 \quad \forall z \neq 0",  # was tested: undefined at w ⟂ z
    r"\frac{c}{c} A^T A \succeq 0",
]


@pytest.mark.parametrize("display", UNDEFINED_SOMEWHERE)
def test_a_statement_undefined_somewhere_is_not_decided(display: str) -> None:
    symbols = "  A: matrix N x N\n  z: vector N\n  w: vector N\n  c: scalar\n"
    result = deriv.check_text(f"---\nsymbols:\n{symbols}---\n\n$$ {display} $$\n", options=CheckOptions(isolate=False))
    (step,) = result.steps
    assert step.verdict is deriv.Verdict.UNDECIDED and "undefined where" in step.message, step.message


def test_a_statement_whose_conditions_are_shown_is_still_proved() -> None:
    symbols = "  A: matrix N x N\n  z: vector N\n  c: positive scalar\n"
    result = deriv.check_text(f"---\nsymbols:\n{symbols}---\n\n$$ \\frac{{z^T A^T A z}}{{c}} c \\geq 0 \\quad \\forall z \\neq 0 $$\n",
                              options=CheckOptions(isolate=False))
    assert [s.verdict for s in result.steps] == [deriv.Verdict.PROVED]


# -- a quantified form reads x whole only where its sum runs over every entry ------------------
@pytest.mark.parametrize(("display", "verdict"), [
    (r"\sum_{k=1}^{N-1} x_k^2 > 0 \quad \forall x \neq 0", "refuted"),  # 0 at x = e_N
    (r"\sum_{k=1}^{N-1} x_k^2 \geq 0 \quad \forall x \neq 0", "proved"),  # a sum of squares all the same
    (r"\sum_{k=1}^{N} x_k^2 > 0 \quad \forall x \neq 0", "proved"),
])
def test_a_partial_sum_of_squares_is_not_the_norm(display, verdict):
    assert_verdict(MATRICES, "", display, verdict)


def test_the_gram_proof_does_not_read_a_partial_sum_as_the_identity():
    from deriv.engine.gram import gram_proof
    from deriv.meaning.assumptions import build_constraint

    context = _gram_context()
    constraint = build_constraint(r"\sum_{k=1}^{N-1} x_k^2 > 0 \quad \forall x \neq 0", context)
    assert gram_proof(constraint, context, []) is None


# -- a fact about an array's norm: draws moved inside it and, on even trials, exactly onto its boundary ----
# (engine/ball_points.py: a rational point of the sphere along the draw's direction, so the boundary is met
# in other directions than c e_1 too -- 2 I - x x^T \succ 0 under x^T x \leq 2 fails only at |x|^2 = 2.)
# Each true statement below was undecided (no draw met the fact).
NORMS = "  x: vector N\n  A: matrix N x N\n  B: matrix N x M\n  S: symmetric matrix N x N\n"


@pytest.mark.parametrize(("assumption", "display", "verdict"), [
    (r"x^T x \leq 1", r"I_N - x x^T \succeq 0", "tested"),
    (r"x^T x \leq 1", r"I_N - x x^T \succ 0", "refuted"),  # singular at x = e_1
    (r"x^T x \leq 4", r"4 I_N - x x^T \succ 0", "refuted"),  # at x = 2 e_1
    (r"x^T x < 2", r"I_N - x x^T \succeq 0", "refuted"),  # false, at |x|^2 in (1, 2): a draw inside (was undecided)
    (r"\|A\|_F \leq 1", r"I_N - A^T A \succeq 0", "tested"),
    (r"\|A\|_F \leq 1", r"I_N - A^T A \succ 0", "refuted"),  # at A = e_1 e_1^T
    (r"\|A\|_F < 1", r"I_N - A^T A \succ 0", "tested"),
    (r"\|B\|_F \leq 2", r"4 I_M - B^T B \succ 0", "refuted"),
    (r"\operatorname{tr}(S^2) \leq 1", r"I_N - S \succ 0", "refuted"),
    (r"\operatorname{tr}(S^2) \leq 1", r"I_N + S \succeq 0", "tested"),
])
def test_a_norm_fact_is_met_and_its_boundary_tried(assumption, display, verdict):
    assert_verdict(NORMS, f"  - {assumption}\n", display, verdict)


@pytest.mark.parametrize(("assumption", "display", "verdict"), [
    (r"x^T x \leq 2", r"2 I_N - x x^T \succ 0", "refuted"),  # at x = (1, 1): every entry alike
    (r"x^T x \leq 2", r"3 I_N - x x^T \succ 0", "tested"),  # true (was undecided: no draw met the fact)
])
def test_a_norm_fact_meets_its_boundary_with_every_entry_alike(assumption, display, verdict):
    assert_verdict(NORMS, f"  - {assumption}\n", display, verdict)


@pytest.mark.parametrize(("display", "verdict"), [
    (r"P^T P \succ 0", "refuted"),  # a positive matrix may have rank 1 (every entry alike): was tested
    (r"p p^T + \operatorname{diag}(p) \succ 0", "tested"),
])
def test_a_positive_array_may_be_singular_but_never_zero(display, verdict):
    assert_verdict("  P: positive matrix N x N\n  p: positive vector N\n", "", display, verdict)


# -- a \succ 0 in a justification is the justification's condition, not the display's claim ----
JUSTIFIED = "  S: symmetric matrix N x N\n  A: matrix N x N\n  x: vector N\n"


@pytest.mark.parametrize(("display", "verdict"), [
    # read as "M \succeq 0" of the whole display, each was an error ("write M \succ 0 with one matrix M")
    (r"x^T S x \geq 0 \quad \text{for } S \succeq 0", "undecided"),  # holds only under its own words
    (r"x^T S x \geq 0 \quad \text{where } S \succ 0", "undecided"),
    (r"x^T S x > 0 \quad \text{for } S \succeq 0", "refuted"),  # x = 0 meets the condition too
    (r"x^T A x \geq 1 \quad \text{for } A \succeq 0", "refuted"),
    # a definiteness claim with a justification is still one, decided without the words
    (r"S \succeq 0 \quad \text{since } S = S^T", "refuted"),
    (r"A^T A \succeq 0 \quad \text{(a Gram matrix)}", "proved"),
])
def test_a_definiteness_in_a_justification_is_its_condition(display, verdict):
    (step,) = check(JUSTIFIED, display)
    assert step.verdict.value == verdict, step.message


# -- a Loewner order written as a statement is the definiteness of the difference -----------------
ORDERED = "  S: symmetric matrix N x N\n  T: symmetric matrix N x N\n  A: matrix N x N\n"
ORDER_ASSUMED = "  - S \\succeq T\n  - T \\succ 0\n"


@pytest.mark.parametrize(("display", "verdicts"), [
    # each was an error ("unknown command \succeq")
    (r"S \succeq T", ("proved",)),
    (r"T \preceq S", ("proved",)),
    (r"S \succ T", ("refuted",)),  # S = T satisfies the assumptions
    (r"S^2 \succeq T^2", ("refuted",)),  # squaring is not monotone in the Loewner order
    (r"T^{-1} \succeq S^{-1}", ("proved", "tested")),  # inversion reverses it
    (r"S^{-1} \succeq T^{-1}", ("refuted",)),
    (r"S + T \succ 0", ("proved", "tested")),
    (r"T \prec 0", ("refuted",)),
    (r"0 \prec T", ("proved",)),
    (r"S \succeq 2 T", ("refuted",)),
])
def test_a_loewner_order_statement_is_decided_under_assumptions(display, verdicts):
    (step,) = check(ORDERED, display, assumptions=ORDER_ASSUMED)
    assert step.verdict.value in verdicts, step.message
    if step.verdict.value == "refuted":
        assert step.message.startswith("M = "), step.message  # which matrix is not definite


@pytest.mark.parametrize(("display", "verdicts"), [
    (r"A^T A + I \succeq I", ("proved",)),
    (r"A^T A + I \succ I", ("refuted",)),  # A = 0
    (r"A^T A \preceq A^T A + I", ("proved", "tested")),
    (r"A \succeq A^T", ("proved", "tested")),  # x^T (A - A^T) x = 0: definiteness reads the symmetric part
    (r"A \succ A^T", ("refuted",)),
    (r"A + A^T \succeq A^T + A", ("proved", "tested")),
])
def test_a_loewner_order_statement_is_decided_without_assumptions(display, verdicts):
    (step,) = check(ORDERED, display)
    assert step.verdict.value in verdicts, step.message
