"""Adversarial matrix calculus (docs/format.md, docs/deciding.md): inverses, determinants, powers,
literals, numeric sizes, Kronecker products and the scalar functions, attacked where a false step
could be called proved or tested, or a true one refuted.  Each case asserts an exact verdict end
to end (``deriv.check_text``); the property tests compare deriv's values with python-flint's
``fmpq_mat`` on concrete matrices, singular and non-square products included."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import given, settings
from hypothesis import strategies as st
import sympy
from sympy import Symbol

import deriv
from deriv.engine import certified
from deriv.engine.compare import evaluate
from deriv.engine.compiler import Compiler
from deriv.engine.instances import Evaluator
from deriv.engine.shrink import GivenInstance
from deriv.errors import MeaningError
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.declarations import build_context
from deriv.meaning.domains import INVERTIBLE
from deriv.read.document import parse_document

SYMBOLS = """symbols:
  X: matrix N x N
  A: matrix N x N
  B: matrix N x N
  C: matrix N x M
  D: matrix M x N
  S: symmetric matrix N x N
  x: vector N
  a: vector N
  b: vector N
  u: vector 2
  P: matrix 2 x 2
  Q: matrix 2 x 3
  c: scalar
  t: positive scalar
  q: positive integer
"""


def steps(*displays: str, symbols: str = SYMBOLS, assumptions: str = "") -> list[deriv.StepResult]:
    text = f"---\n{symbols}{assumptions}---\n\n" + "".join(f"$$\n{d}\n$$\n\n" for d in displays)
    return list(deriv.check_text(text).steps)


def verdict_of(display: str, **kwargs) -> deriv.StepResult:
    (step,) = steps(display, **kwargs)
    return step


# -- a declared 1 x 1 matrix is a scalar to deriv: never silently ---------------------------------

@pytest.mark.parametrize("kind", ["matrix 1 x 1", "symmetric matrix 1 x 1", "vector 1"])
def test_a_declared_array_of_numeric_size_one_is_an_error(kind: str) -> None:
    """Read as a scalar, ``|Z| \\geq 0`` was proved (as a determinant it is false at ``Z = -1``),
    ``|Z| = \\det Z`` refuted and ``Z^{-1} Z = 1`` refuted where ``Z = 0``."""
    report = deriv.check_text(f"---\nsymbols:\n  Z: {kind}\n---\n\n$$\n|Z| \\geq 0\n$$\n")
    assert report.error is not None and "declare 'Z: scalar'" in report.error, report
    assert not report.steps


@pytest.mark.parametrize("kind", ["matrix N x 1", "matrix 1 x N", "vector N", "matrix 1 x 2", "vector 2"])
def test_an_array_with_a_size_past_one_is_still_declared(kind: str) -> None:
    report = deriv.check_text(f"---\nsymbols:\n  Z: {kind}\n  c: scalar\n---\n\n$$\nc = c\n$$\n")
    assert report.error is None and [s.verdict.value for s in report.steps] == ["proved"]


@pytest.mark.parametrize("display", [
    r"\left|\begin{pmatrix} c \end{pmatrix}\right| = c",
    r"|\begin{bmatrix} c \end{bmatrix}| \geq 0",
    r"\left|\left(\begin{pmatrix} c \end{pmatrix}\right)\right| = c",
])
def test_bars_around_a_one_by_one_literal_are_an_error(display: str) -> None:
    """The determinant (``c``) to one reader, the absolute value to another (as a 1 x 1 vmatrix)."""
    step = verdict_of(display)
    assert step.verdict.value == "error" and "1 x 1 matrix literal" in step.message, step.message


@pytest.mark.parametrize("display, expected", [
    (r"\det \begin{pmatrix} c \end{pmatrix} = c", "proved"),
    (r"|\begin{pmatrix} 1 & c \\ 0 & 1 \end{pmatrix}| = 1", "proved"),
    (r"|c| = |-c|", "proved"),
])
def test_bars_elsewhere_keep_their_reading(display: str, expected: str) -> None:
    assert verdict_of(display).verdict.value == expected


# -- a proof the tester refutes with a singular inverse is no engine bug ------------------------------

def test_a_structurally_singular_inverse_refutes_without_asking_for_a_report() -> None:
    """``AB - BA`` is 0 at N = 1: the inverse exists nowhere there (the step's own claim about it
    is refuted, tests/test_engine_inverses.py), while the proof holds wherever it exists."""
    step = verdict_of(r"(A B - B A)^{-1} (A B - B A) = I_N")
    assert step.verdict.value == "refuted" and "singular" in step.message, step.message
    assert "please report" not in step.message and "wherever the inverse exists" in step.message


# -- trigonometric poles: irrational, yet a counterexample where only one side has one -----------------

@pytest.mark.parametrize("display, where", [
    (r"\tan(c) \cos(c) = \sin(c)", "where c = pi/2"),
    (r"\sin(c) = \cos(c) \tan(c)", "where c = pi/2"),
    (r"\sec(c) \cos(c) = 1", "where c = pi/2"),
    (r"\sec(c)^2 - \tan(c)^2 = 1", "where c = pi/2"),
    (r"\tan(2 c + 1) \cos(2 c + 1) = \sin(2 c + 1)", "where c = -1/2 + pi/4"),
    (r"\tan(\frac{c}{3} + \frac{\pi}{4}) \cos(\frac{c}{3} + \frac{\pi}{4}) = \sin(\frac{c}{3} + \frac{\pi}{4})", "where c = 3*pi/4"),
    (r"\tan(t) \cos(t) = \sin(t)", "where t = pi/2"),  # a positive name at a positive angle
    (r"\tan(c t) \cos(c t) = \sin(c t)", "undefined"),  # the other name at its draw
])
def test_a_side_undefined_at_an_irrational_pole_refutes(display: str, where: str) -> None:
    step = verdict_of(display)
    assert step.verdict.value == "refuted" and where in step.message and "undefined" in step.message, step.message
    example = step.counterexample
    assert example is not None and example.precision.startswith("certified at") and example.values


@pytest.mark.parametrize("display, expected", [
    (r"\tan(c) = \frac{\sin(c)}{\cos(c)}", "proved"),  # the same pole on both sides
    (r"\tan(c)^2 + 1 = \frac{1}{\cos(c)^2}", "proved"),
    (r"\frac{d}{dc} \tan c = \sec^2 c", "proved"),
    (r"\frac{c}{c^2 - 2} (c^2 - 2) = c", "tested"),  # an irrational root of no sine or cosine
    (r"\tan(2c) = \frac{2\tan(c)}{1+\tan(c)^2}", "refuted"),  # wrong: refuted where both are defined
])
def test_a_pole_on_both_sides_or_none_is_no_counterexample(display: str, expected: str) -> None:
    step = verdict_of(display)
    assert step.verdict.value == expected, step.message
    if expected == "refuted":
        assert "undefined" not in step.message


def test_a_pole_the_assumptions_may_exclude_is_left_to_the_random_tests() -> None:
    step = verdict_of(r"\tan(c) \cos(c) = \sin(c)", assumptions="assumptions:\n  - c^2 < 1\n")
    assert step.verdict.value == "tested", step.message


# -- values against flint: non-square factors, powers, determinants, singular draws ---------------------

SHAPES = "---\nsymbols:\n  A: matrix N x N\n  B: matrix N x N\n  C: matrix N x M\n  D: matrix M x N\n---\n\n$$\nA = A\n$$\n"
SIZE_N, SIZE_M = Symbol("N", integer=True, positive=True), Symbol("M", integer=True, positive=True)


def _square_leaves():
    """(LaTeX, flint value) of N x N expressions built from a leaf: the square ones and C D."""
    return st.sampled_from([("A", lambda m: m["A"]), ("B", lambda m: m["B"]), ("C D", lambda m: m["C"] * m["D"]),
                            ("D^T C^T", lambda m: (m["C"] * m["D"]).transpose())])


def _power(t, k: int):
    def value(m, f=t[1]):
        made = f(m)
        result = fmpq_mat(made.nrows(), made.ncols(), [int(i == j) for i in range(made.nrows()) for j in range(made.ncols())])
        for _ in range(k):
            result = result * made
        return result
    return (f"({t[0]})^{{{k}}}", value)


def _square_grow(children):
    inverse = children.map(lambda t: (f"({t[0]})^{{-1}}", lambda m, f=t[1]: f(m).inv()))
    transposed = children.map(lambda t: (f"({t[0]})^T", lambda m, f=t[1]: f(m).transpose()))
    scaled = children.map(lambda t: (f"\\det({t[0]}) ({t[0]})", lambda m, f=t[1]: f(m).det() * f(m)))
    powered = st.tuples(children, st.integers(0, 3)).map(lambda p: _power(*p))
    sandwich = children.map(lambda t: (f"C (D ({t[0]}) C) D", lambda m, f=t[1]: m["C"] * (m["D"] * f(m) * m["C"]) * m["D"]))
    product = st.tuples(children, children).map(lambda p: (f"({p[0][0]}) ({p[1][0]})", lambda m, f=p[0][1], g=p[1][1]: f(m) * g(m)))
    total = st.tuples(children, children).map(lambda p: (f"({p[0][0]}) - ({p[1][0]})", lambda m, f=p[0][1], g=p[1][1]: f(m) - g(m)))
    return st.one_of(inverse, transposed, scaled, powered, sandwich, product, total)


SQUARE_EXPRESSIONS = st.recursive(_square_leaves(), _square_grow, max_leaves=3)


def _deriv_values(latex: str, sizes: dict, arrays: dict) -> list:
    document = parse_document(SHAPES, "t.md")
    context = build_context(document.front, "t.md", nullcontext)
    syntax, _ = parse_display(latex)
    builder = Builder(context)
    try:
        value = builder.build(syntax.members[0])
    except MeaningError as error:  # (A - A)^{-1}: the zero matrix, refused when built
        assert "no inverse" in error.message, error.message
        return [certified.DomainError(error.message)]
    row, col = Symbol("_p", integer=True), Symbol("_q", integer=True)
    entry = value.entry(row, col)  # read: the builder records the inverses it meets (meaning/domains.py)
    compiler = Compiler(context)
    evaluator = Evaluator(GivenInstance(context, sizes, arrays), compiler)
    # An inverse SymPy cancelled while building (A^{-1} - A^{-1} is 0) leaves its condition: undefined
    # where it is singular, as the decider judges each side (engine/domains.py, presupposing).
    for condition in builder.conditions:
        if condition.relation == INVERTIBLE:
            undefined = evaluate(compiler.compile(condition.guard), evaluator).value
            if isinstance(undefined, certified.DomainError):
                return [undefined]
    n = sizes[SIZE_N]
    out = []
    for i in range(n):
        for j in range(n):
            evaluator.bindings = {row: i, col: j}
            out.append(evaluate(compiler.compile(entry), evaluator).value)
    return out


@given(SQUARE_EXPRESSIONS, st.integers(1, 3), st.integers(1, 3), st.data())
@settings(max_examples=int(__import__("os").environ.get("ADV20_N", "80")), deadline=None)
def test_square_expressions_of_non_square_factors_agree_with_flint(expression, n: int, m: int, data) -> None:
    """Entries in -2..2 make singular arguments common (C D at N > M always): deriv must then say
    undefined, never a number; elsewhere its exact value is flint's."""
    latex, reference = expression
    shapes = {"A": (n, n), "B": (n, n), "C": (n, m), "D": (m, n)}
    entries = {k: data.draw(st.lists(st.integers(-2, 2), min_size=r * c, max_size=r * c)) for k, (r, c) in shapes.items()}
    matrices = {k: fmpq_mat(r, c, [fmpq(e) for e in entries[k]]) for k, (r, c) in shapes.items()}
    arrays = {k: {(i, j): fmpq(entries[k][i * c + j]) for i in range(r) for j in range(c)} for k, (r, c) in shapes.items()}
    try:
        expected = list(reference(matrices).entries())
    except ZeroDivisionError:
        expected = None
    got = _deriv_values(latex, {SIZE_N: n, SIZE_M: m}, arrays)
    if expected is None:
        assert all(isinstance(g, certified.DomainError) for g in got), (latex, got)
    else:
        assert got == expected, latex


def test_a_power_0_of_an_inverse_is_undefined_where_the_inverse_is() -> None:
    """Found by the property above: ``((A)^{-1})^{0}`` at a singular A was the identity, where flint
    (and ``A^{-1}`` itself) is undefined; the power's base is still read, with its conditions."""
    arrays = {"A": {(0, 0): fmpq(0)}, "B": {(0, 0): fmpq(1)}, "C": {(0, 0): fmpq(1)}, "D": {(0, 0): fmpq(1)}}
    sizes = {SIZE_N: 1, SIZE_M: 1}
    assert all(isinstance(v, certified.DomainError) for v in _deriv_values(r"((A)^{-1})^{0}", sizes, arrays))
    assert _deriv_values(r"(A)^{0}", sizes, arrays) == [1]  # A^0 is I for every square A, a singular one too
    assert _deriv_values(r"((B)^{-1})^{0}", sizes, arrays) == [1]


# -- a positive integer given beside the mathematics is a size, as in a front matter ---------------------

def test_decide_reads_a_positive_integer_as_a_size() -> None:
    """``deriv.decide(..., {"k": "positive integer"})`` raised a KeyError: ``k`` was declared as an
    array the instances never drew, and a size too."""
    k, x = sympy.Symbol("k"), sympy.Symbol("x")
    assert deriv.decide((-1) ** (2 * k), 1, {"k": "positive integer"}).verdict.value == "proved"
    assert deriv.decide(k * (k + 1) / 2 - k, k * (k - 1) / 2, {"k": "positive integer"}).verdict.value == "proved"
    assert deriv.decide(sympy.sqrt(x ** (2 * k)), x ** k, {"k": "positive integer", "x": "scalar"}).verdict.value == "refuted"


def test_matrix_form_reads_a_positive_integer_as_a_size() -> None:
    from click.testing import CliRunner

    from deriv.cli import main

    result = CliRunner().invoke(main, ["matrix-form", "--indices", "i,j", "--symbols", "X: matrix N x N; q: positive integer",
                                       "q [X^{q-1}]_{j,i}"])
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1] == "q (X^{q - 1})^T", result.output


# -- a printed matrix form is decided with the chain end's domain ---------------------------------------

def test_no_matrix_form_is_printed_that_is_defined_where_the_chain_end_is_not() -> None:
    """``\\frac{x_i^2 y_j}{x_i}`` is undefined where ``x_i = 0``; ``x y^T`` was printed as its form, proved
    (the form was decided without the sides' domains)."""
    text = ("---\nsymbols:\n  x: vector N\n  y: vector N\n---\n\n"
            "$$\n\\left[x y^T\\right]_{i,j} \\frac{x_i}{x_i} = \\frac{x_i^2 y_j}{x_i}\n$$\n\n"
            "$$\n\\left[x y^T\\right]_{i,j} = x_i y_j\n$$\n")
    first, second = deriv.check_text(text).steps
    assert first.verdict.value == "proved" and not [s for s in first.suggestion if s.kind == "matrix-form"]
    assert second.verdict.value == "proved"


def test_a_form_keeps_its_domain_when_an_assumption_shows_it() -> None:
    text = ("---\nsymbols:\n  X: matrix N x N\nassumptions:\n  - \\det X > 0\n---\n\n"
            "$$\n\\frac{\\partial \\log\\det X}{\\partial X_{m,n}} = [X^{-1}]_{n,m}\n$$\n")
    (step,) = deriv.check_text(text).steps
    assert [(s.latex, s.verdict.value) for s in step.suggestion if s.kind == "matrix-form"] == [("X^{-T}", "proved")]


# -- determinant identities over square products of non-square factors: never refuted when true -----------

DET_LEAVES = st.sampled_from(["A", "B", "C D", "(C D)^T", "A C D", "C D B"])
DET_ARGUMENTS = st.recursive(DET_LEAVES, lambda t: st.one_of(
    t.map(lambda e: f"({e})^T"), st.tuples(t, t).map(lambda p: f"({p[0]}) ({p[1]})"),
    st.tuples(t, t).map(lambda p: f"({p[0]}) + ({p[1]})")), max_leaves=2)

DET_IDENTITIES = [
    ("\\det(({e})^T)", "\\det({e})"),
    ("\\det(({e}) ({f}))", "\\det({f} ) \\det({e})"),
    ("\\det(({e}) ({f}))", "\\det(({f}) ({e}))"),
    ("\\det(c ({e}))", "c^N \\det({e})"),
]


@given(DET_ARGUMENTS, DET_ARGUMENTS, st.sampled_from(DET_IDENTITIES))
@settings(max_examples=int(__import__("os").environ.get("ADV20_N", "12")), deadline=None)
def test_a_true_determinant_identity_of_non_square_products_is_never_refuted(e: str, f: str, identity) -> None:
    """``C D`` is singular past N = M: its determinant is then 0, which every identity here keeps."""
    lhs, rhs = (side.format(e=e, f=f) for side in identity)
    step = verdict_of(f"{lhs} = {rhs}")
    # a long product may run out of time (timeout is no verdict on the step); refuted never
    assert step.verdict.value in ("proved", "tested", "timeout"), (lhs, rhs, step.verdict, step.message)


@pytest.mark.parametrize("display, expected", [
    (r"\det(I_N + C D) = \det(I_M + D C)", "tested"),  # Sylvester's determinant identity
    (r"(I_N + C D)^{-1} C = C (I_M + D C)^{-1}", "tested"),  # push-through
    (r"\det(C D) = \det(D C)", "refuted"),  # only at N = M
    (r"\det(C D) = 0", "refuted"),  # only past N = M
    (r"\det(c A) = c^{N+1} \det A", "refuted"),
    (r"\det(c A) = c \det A", "refuted"),
    (r"|c A| = |c|^N |A|", "refuted"),  # |A| is a determinant: negative c at odd N
    (r"\det(A \otimes B) = \det(A) \det(B)", "refuted"),
    (r"|A| \geq 0", "refuted"),
    (r"\det(A^T A) \geq 0", "tested"),
    (r"\det(C^T C) > 0", "refuted"),  # singular past N < M
])
def test_determinants_of_products_keep_their_sizes(display: str, expected: str) -> None:
    step = verdict_of(display)
    assert step.verdict.value == expected, step.message


# -- claims: inverses meet triangular and permuted matrices; poles are found at irrational angles -------

@pytest.mark.parametrize("display, expected, where", [
    (r"[X^{-1}]_{i,j} \neq 0", "refuted", "structured point (X "),  # a triangular X's inverse is triangular (was tested)
    (r"[X^{-1}]_{1,1} \neq 0", "refuted", "structured point (X "),  # a permutation's inverse: a zero diagonal (was tested)
    (r"\operatorname{tr}(X^{-1}) \neq 0", "refuted", "structured point (X "),  # (was tested)
    (r"\det(X^{-1}) \neq 0", "tested", ""),
    (r"\det(X) \det(X^{-1}) > 0", "tested", ""),
    (r"\tan(c) \cos(c) \neq \sin(c) + 1", "refuted", "where c = pi/2"),  # was tested
    (r"\sec(c) \cos(c) > 0", "refuted", "where c = pi/2"),  # was tested
    # the difference is a ball around 0 at random points: undecided there, then refuted where one
    # side is undefined and the other not, as \sqrt{x}^2 \geq x is (tests/test_engine_adversarial_domains.py)
    (r"\tan(c) \cos(c) \leq \sin(c)", "refuted", "where c = pi/2"),
])
def test_a_claim_meets_structured_matrices_and_irrational_poles(display: str, expected: str, where: str) -> None:
    step = verdict_of(display)
    assert step.verdict.value == expected and where in step.message, step.message


def test_a_cancelled_inverse_of_a_singular_matrix_is_undefined() -> None:
    # SymPy cancels A^{-1} - A^{-1} to 0 while building; the inverse's condition stays (it was proved under A = 0)
    text = "---\nsymbols:\n  A: matrix N x N\nassumptions:\n  - A = 0\n---\n$$ A^{-1} - A^{-1} = 0 $$\n"
    assert [s.verdict.value for s in deriv.check_text(text).steps] == ["undecided"]
