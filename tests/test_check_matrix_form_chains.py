"""Diagnosis (docs/cli.md, "Matrix forms"): index expressions with inverses, determinants and powers
read as sums of matrix chains, each form decided before it is printed.

The property test builds random index expressions from entries of ``A``,
``X^{-1}``, vectors and deltas contracted in random chains, and evaluates
every form produced at concrete sizes against a reference computed directly
from the chain with python-flint (``fmpq_mat.inv``/``det``), not by deriv.
"""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner
from flint import fmpq, fmpq_mat
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sympy import Symbol

import deriv
from deriv.cli import main
from deriv.diagnose import matrix_form as matrix_form_module
from deriv.diagnose.index_chains import Reader
from deriv.diagnose.matrix_form import matrix_form
from deriv.engine.compare import evaluate
from deriv.engine.compiler import Compiler
from deriv.engine.instances import Evaluator
from deriv.engine.shrink import GivenInstance
from deriv.latex.parser import parse_display
from deriv.meaning.adopt import context_from_symbols
from deriv.meaning.builder import Builder
from deriv.results import Verdict

SYMBOLS = {
    "X": "matrix N x N", "A": "matrix N x N", "B": "matrix N x N", "Sigma": "matrix N x N",
    "a": "vector N", "b": "vector N", "c": "vector N", "d": "vector N", "r": "vector N", "z": "vector K",
}
CONTEXT = context_from_symbols(SYMBOLS)
RIDGE = context_from_symbols({"X": "matrix S x M", "y": "vector S", "lambda": "positive scalar"})

PROVED, TESTED = Verdict.PROVED, Verdict.TESTED

FORMS = [
    # the gradients of the Matrix Cookbook, as index results and as derivatives written out
    (r"-\sum_{k,l} a_k [X^{-1}]_{k,i} [X^{-1}]_{j,l} b_l", "i,j", "-X^{-T} a b^T X^{-T}", PROVED),
    (r"\frac{\partial a^T X^{-1} b}{\partial X_{i,j}}", "i,j", "-X^{-T} a b^T X^{-T}", PROVED),
    (r"-\sum_{k,l,m} [X^{-1}]_{k,i} A_{l,k} B_{m,l} [X^{-1}]_{j,m}", "i,j", "-X^{-T} A^T B^T X^{-T}", PROVED),
    (r"\frac{\partial \operatorname{tr}(A X^{-1} B)}{\partial X_{i,j}}", "i,j", "-X^{-T} A^T B^T X^{-T}", PROVED),
    (r"\frac{\partial \operatorname{tr}(X^{-1})}{\partial X_{i,j}}", "i,j", "-X^{-T} X^{-T}", PROVED),
    (r"\frac{\partial \det X}{\partial X_{i,j}}", "i,j", r"\det(X) X^{-T}", PROVED),
    (r"\det(X) [X^{-1}]_{j,i}", "i,j", r"\det(X) X^{-T}", PROVED),
    (r"[(X^T)^{-1}]_{i,j}", "i,j", "X^{-T}", PROVED),
    # X^T X is symmetric: its inverse's transpose is written as the inverse (the engine only tests that)
    (r"\frac{\partial \log\det(X^T X)}{\partial X_{i,j}}", "i,j", r"2 X \left(X^T X\right)^{-1}", TESTED),
    # powers: literal ones are products (a run of one factor is a power), K a size
    (r"\frac{\partial \operatorname{tr}(X^3)}{\partial X_{i,j}}", "i,j", "3 (X^{2})^T", PROVED),
    (r"3 \sum_k X_{j,k} X_{k,i}", "i,j", "3 (X^{2})^T", PROVED),
    (r"K [X^{K-1}]_{j,i}", "i,j", "K (X^{K - 1})^T", PROVED),
    # a Gaussian likelihood's gradient by its covariance: term by term, and factored
    (r"\frac{1}{2} [\Sigma^{-1}]_{n,m} - \frac{1}{2} \sum_{i} \sum_{j} r_i [\Sigma^{-1}]_{i,m} [\Sigma^{-1}]_{n,j} r_j",
     "m,n", r"\frac{1}{2} \Sigma^{-T} - \frac{1}{2} \Sigma^{-T} r r^T \Sigma^{-T}", PROVED),
    (r"\frac{1}{2} \sum_{k,l} [\Sigma^{-1}]_{k,m} (\Sigma_{l,k} - r_k r_l) [\Sigma^{-1}]_{n,l}",
     "m,n", r"\frac{1}{2} \Sigma^{-T} \left(\Sigma^T - r r^T\right) \Sigma^{-T}", PROVED),
    (r"-\sum_{k,l} [X^{-1}]_{k,i} (a_k b_l + c_k d_l) [X^{-1}]_{j,l}", "i,j",
     r"-X^{-T} \left(a b^T + c d^T\right) X^{-T}", PROVED),
    # scalars: a trace, a^T X^{-1} b, a log-determinant, sums over one factor (the ones vector)
    (r"\sum_{k} [X^{-1}]_{k,k}", "", r"\operatorname{tr}(X^{-1})", PROVED),
    (r"\sum_{k,l} [X^{-1}]_{k,l} A_{l,k}", "", r"\operatorname{tr}(X^{-1} A)", PROVED),
    (r"\sum_{k,l} a_k [X^{-1}]_{k,l} b_l", "", r"a^T X^{-1} b", PROVED),
    (r"\sum_{k} a_k \sum_l b_l [X^{-1}]_{i,l}", "i", r"(\mathbf{1}^T a) X^{-1} b", PROVED),
    # the identity, a delta summed over, inverses of products
    (r"\delta_{i,j} + \sum_k [X^{-1}]_{i,k} A_{j,k}", "i,j", "X^{-1} A^T + I_{N}", PROVED),
    (r"\sum_k [(X A)^{-1}]_{i,k} a_k", "i", r"\left(X A\right)^{-1} a", PROVED),
    (r"\det(X) \sum_k [X^{-1}]_{j,k} A_{k,i} + \det(X) \sum_k A_{i,k} B_{k,j}", "i,j",
     r"\det(X) A^T X^{-T} + \det(X) A B", PROVED),
    # an identity beside another factor is left out (softmax's Jacobian)
    (r"a_i \delta_{i,j} - a_i a_j", "i,j", r"\operatorname{diag}(a) - a a^T", PROVED),
]


@pytest.mark.parametrize(("latex", "indices", "expected", "verdict"), FORMS)
def test_matrix_forms_with_inverses_determinants_and_powers(latex, indices, expected, verdict):
    form = matrix_form(latex, [n for n in indices.split(",") if n], CONTEXT)
    assert form is not None and (form.latex, form.verdict) == (expected, verdict)


def test_ridge_regressions_closed_form():
    form = matrix_form(r"\sum_{k} \sum_s [(X^T X + \lambda I)^{-1}]_{i,k} X_{s,k} y_s", ["i"], RIDGE)
    assert form is not None
    assert (form.latex, form.verdict) == (r"\left(X^T X + \lambda I_{M}\right)^{-1} X^T y", PROVED)


def test_a_symmetric_matrix_inverse_is_not_transposed():
    symmetric = context_from_symbols({"S": "symmetric matrix N x N", "a": "vector N", "b": "vector N"})
    form = matrix_form(r"-\sum_{k,l} a_k [S^{-1}]_{k,i} [S^{-1}]_{j,l} b_l", ["i", "j"], symmetric)
    assert form is not None and (form.latex, form.verdict) == ("-S^{-1} a b^T S^{-1}", PROVED)


def test_cli_prints_the_inverse_form():
    result = CliRunner().invoke(main, ["matrix-form", "--indices", "i,j", "--symbols", "X: matrix N x N; A: matrix N x N",
                                       "--", r"-\sum_{k,l} [X^{-1}]_{k,i} A_{l,k} [X^{-1}]_{j,l}"])
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1] == "-X^{-T} A^T X^{-T}"


def test_cli_the_gradient_of_log_det_where_it_is_defined(tmp_path):
    # \log\det X is defined where \det X > 0: with that assumed, X^{-T}; without, the sides' domains differ
    document = tmp_path / "d.md"
    document.write_text("---\nsymbols:\n  X: matrix N x N\nassumptions:\n  - \\det X > 0\n---\n\n$$\nX = X\n$$\n")
    latex = r"\frac{\partial \log\det X}{\partial X_{m,n}}"
    result = CliRunner().invoke(main, ["matrix-form", "--indices", "m,n", "--file", str(document), latex])
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1] == "X^{-T}"
    result = CliRunner().invoke(main, ["matrix-form", "--indices", "m,n", "--symbols", "X: matrix N x N", latex])
    assert result.exit_code == 2


def test_a_chain_end_with_inverses_is_restated_in_its_matrix_form():
    text = ("---\nsymbols:\n  Sigma: matrix N x N\n  r: vector N\nassumptions:\n  - \\det\\Sigma > 0\n---\n\n"
            "$$\n\\frac{\\partial}{\\partial \\Sigma_{m,n}} \\left( \\frac{1}{2} \\log\\det\\Sigma + \\frac{1}{2} r^T \\Sigma^{-1} r \\right)"
            " = \\frac{1}{2} [\\Sigma^{-1}]_{n,m} - \\frac{1}{2} \\sum_{i} \\sum_{j} r_i [\\Sigma^{-1}]_{i,m} [\\Sigma^{-1}]_{n,j} r_j\n$$\n")
    (step,) = deriv.check_text(text).steps
    assert step.verdict.value == "proved"
    forms = [(s.latex, s.verdict) for s in step.suggestion if s.kind == "matrix-form"]
    assert forms == [(r"\frac{1}{2} \Sigma^{-T} - \frac{1}{2} \Sigma^{-T} r r^T \Sigma^{-T}", PROVED)]


def test_a_wrong_chain_proposal_is_never_printed(monkeypatch):
    # A reader that misreads (forgets the transposes) must be caught by the decision.
    monkeypatch.setattr(matrix_form_module, "chain_forms", lambda *args: iter(["-X^{-1} a b^T X^{-1}"]))
    assert matrix_form(r"-\sum_{k,l} a_k [X^{-1}]_{k,i} [X^{-1}]_{j,l} b_l", ["i", "j"], CONTEXT) is None


@pytest.mark.parametrize(("latex", "indices"), [
    (r"\sum_{k=1}^{N-1} [X^{-1}]_{i,k} A_{k,j}", "i,j"),
    (r"[X^{-1}]_{i,j} [X^{-1}]_{j,i}", "i,j"),
    (r"\exp([X^{-1}]_{i,j})", "i,j"),
    (r"g [X^{-1}]_{i,j} + A_{i,j}^2", "i,j"),
])
def test_no_form_for_what_no_chain_is(latex, indices):
    assert matrix_form(latex, indices.split(","), context_from_symbols({**SYMBOLS, "g": "scalar"})) is None


def test_a_form_the_tester_cannot_check_is_not_printed():
    # (X^T X)^{-1} of a wide X is singular at every instance: the form is proved symbolically, never tested
    wide = context_from_symbols({"X": "matrix S x M"})
    assert matrix_form(r"2 \sum_k X_{i,k} [(X^T X)^{-1}]_{k,j}", ["i", "j"], wide) is None


def _built(latex: str, context=CONTEXT):
    builder = Builder(context)
    (member,) = parse_display(latex)[0].members
    expr, _ = builder.finish(builder.build(member).expr, {})
    return expr


@pytest.mark.parametrize("latex", [
    r"\exp(X_{i,j})",                              # an elementwise function
    r"\sum_k X_{i,k} A_{k,j} B_{k,j}",             # an index in three factors (a Hadamard product inside)
    r"X_{i,i} a_j",                                # a free index twice
    r"\sum_k \frac{A_{i,k}}{X_{k,j}}",             # a quotient of entries
    r"X_{1,j} a_i",                                # an entry at a numeric index
    r"\sum_{k=1}^{N-1} [X^{-1}]_{i,k} A_{k,j}",     # a sum over part of a side
    r"\sum_{k=2}^{N} [X^{-1}]_{i,k} A_{k,j}",
    r"[X^{-1}]_{i,j} [X^{-1}]_{j,i}",              # free indices twice (a Hadamard product)
    r"\sum_k [X^{-1}]_{i,k} [X^{-1}]_{k,j} A_{j,k}",  # a summed index in three factors
])
def test_what_is_not_a_chain_gets_no_proposal(latex):
    i, j = Symbol("i", integer=True), Symbol("j", integer=True)
    N = Symbol("N", integer=True, positive=True)
    assert Reader(CONTEXT.shape_of).forms(_built(latex), (i, j), (N, N)) == []


# -- the property: random chains, every produced form equal to the input at concrete sizes ------
# A factor is (kind, first index, second index); a vector's second index is None.
FACTORS = ("A", "inv", "invXA", "delta")
BOUND = ("k", "l", "p", "q", "s")
#: The shapes of a result, and the shapes of terms that may be added to make one.
SHAPES = {"matrix": ("matrix", "outer"), "vector": ("vector",), "scalar": ("trace", "form")}
FREE = {"matrix": ["i", "j"], "vector": ["i"], "scalar": []}


@st.composite
def links(draw, length: int) -> list:
    """``length`` matrix factors, each maybe read from its column end; never deltas alone."""
    kinds = draw(st.lists(st.sampled_from(FACTORS), min_size=length, max_size=length))
    if kinds and set(kinds) == {"delta"}:
        kinds[0] = "A"  # a term of deltas alone is no index expression of its free indices
    flips = draw(st.lists(st.booleans(), min_size=length, max_size=length))
    return list(zip(kinds, flips))


def _along(links: list, ends: list) -> list:
    return [(kind, q, p) if flip else (kind, p, q) for (kind, flip), p, q in zip(links, ends, ends[1:])]


@st.composite
def terms_of(draw, shape: str):
    """One term of a result of ``shape``: its coefficient, whether times det(X), and its factors."""
    kind = draw(st.sampled_from(SHAPES[shape]))
    length = draw(st.integers(1, 3))
    chain = draw(links(length))
    if kind == "matrix":
        factors = _along(chain, ["i", *BOUND[: length - 1], "j"])
    elif kind in ("outer", "vector"):
        factors = _along(chain, ["i", *BOUND[:length]]) + [("a", BOUND[length - 1], None)]
        if kind == "outer":
            back = draw(links(draw(st.integers(0, 1))))
            factors += _along(back, ["s", "j"]) + [("b", "s" if back else "j", None)]
    elif kind == "trace":
        factors = _along(chain, [*BOUND[:length], BOUND[0]])
    else:
        factors = [("a", "k", None)] + _along(chain, list(BOUND[: length + 1])) + [("b", BOUND[length], None)]
    if draw(st.booleans()) and kind != "trace":  # a diagonal: b_p at an index of the chain (a trace may close to A_{k,k})
        factors.append(("b", draw(st.sampled_from(sorted({p for _, p, _ in factors}))), None))
    order = draw(st.permutations(range(len(factors))))  # the order the factors are written in
    coefficient = draw(st.sampled_from([1, -1, 2, -3]))
    return coefficient, draw(st.booleans()), [factors[n] for n in order]


def _term_latex(coefficient: int, with_det: bool, factors: list, free: list) -> str:
    bound = sorted({x for _, p, q in factors for x in (p, q) if x is not None and x not in free})
    head = (rf"\sum_{{{','.join(bound)}}} " if bound else "") + (r"\det(X) " if with_det else "")
    return f"{coefficient} {head}" + " ".join(_entry_text(kind, p, q) for kind, p, q in factors)


def _entry_text(kind: str, p: str, q: str | None) -> str:
    texts = {"A": f"A_{{{p},{q}}}", "inv": f"[X^{{-1}}]_{{{p},{q}}}", "invXA": f"[(X A)^{{-1}}]_{{{p},{q}}}",
             "delta": rf"\delta_{{{p},{q}}}"}
    return texts.get(kind, f"{kind}_{{{p}}}")


def _reference(terms: list, free: list, n: int, values: dict) -> dict:
    """The entries of the sum of ``terms`` at every value of the free indices, summed directly with flint."""
    out: dict = {point: fmpq(0) for point in itertools.product(range(n), repeat=len(free))}
    for coefficient, with_det, factors in terms:
        scale = fmpq(coefficient) * (values["det"] if with_det else 1)
        names = free + sorted({x for _, p, q in factors for x in (p, q) if x is not None} - set(free))
        for point in itertools.product(range(n), repeat=len(names)):
            at = dict(zip(names, point))
            value = scale
            for kind, p, q in factors:
                value *= _factor_value(kind, at[p], at[q] if q is not None else None, values)
            out[point[: len(free)]] += value
    return out


def _factor_value(kind: str, p: int, q: int | None, values: dict) -> fmpq:
    if kind == "delta":
        return fmpq(1 if p == q else 0)
    if kind in ("a", "b"):
        return values[kind][p]
    return values[kind][p, q]


def _form_values(form: str, free: list, n: int, arrays: dict) -> dict:
    builder = Builder(CONTEXT)
    (member,) = parse_display(form)[0].members
    value = builder.build(member)
    row, col = Symbol("_p", integer=True), Symbol("_q", integer=True)
    expr = value.expr if value.is_scalar else value.entry(row, col if len(free) == 2 else 0)
    compiler = Compiler(CONTEXT)
    sizes = {Symbol("N", integer=True, positive=True): n, Symbol("K", integer=True, positive=True): 1}
    evaluator = Evaluator(GivenInstance(CONTEXT, sizes, arrays), compiler)
    out = {}
    for point in itertools.product(range(n), repeat=len(free)):
        evaluator.bindings = dict(zip((row, col), point))
        out[point] = evaluate(compiler.compile(expr), evaluator).value
    return out


def _draw_values(data, n: int) -> tuple[dict, dict]:
    def matrix(name):
        return fmpq_mat(n, n, data.draw(st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n), label=name))
    x, a_matrix = matrix("X"), matrix("A")
    assume(x.det() != 0 and (x * a_matrix).det() != 0)
    vectors = {v: data.draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n), label=v) for v in "ab"}
    values = {"A": a_matrix, "inv": x.inv(), "invXA": (x * a_matrix).inv(), "det": x.det(),
              **{v: [fmpq(e) for e in vectors[v]] for v in "ab"}}
    zero = fmpq_mat(n, n)
    arrays = {name: {(i, j): m[i, j] for i in range(n) for j in range(n)}
              for name, m in (("X", x), ("A", a_matrix), ("B", zero), ("Sigma", zero))}
    for v in "abcdr":
        entries = vectors.get(v, [0] * n)
        arrays[v] = {key: fmpq(e) for i, e in enumerate(entries) for key in ((i,), (i, 0))}
    arrays["z"] = {(0,): fmpq(0), (0, 0): fmpq(0)}
    return values, arrays


@st.composite
def results(draw):
    shape = draw(st.sampled_from(sorted(SHAPES)))
    return shape, draw(st.lists(terms_of(shape), min_size=1, max_size=2))


@given(results(), st.integers(1, 3), st.data())
@settings(max_examples=60, deadline=None)
def test_every_form_produced_for_random_chains_equals_the_input(result, n: int, data) -> None:
    shape, terms = result
    free = FREE[shape]
    texts = [_term_latex(*term, free) for term in terms]
    latex = texts[0] + "".join(f" - {t[1:]}" if t.startswith("-") else f" + {t}" for t in texts[1:])
    form = matrix_form(latex, free, CONTEXT)
    values, arrays = _draw_values(data, n)
    reference = _reference(terms, free, n, values)
    if form is None:  # only when the terms cancel: every chain of these factors has a matrix form
        assert set(reference.values()) == {0}, latex
        return
    assert _form_values(form.latex, free, n, arrays) == reference, (latex, form.latex)


def test_a_chain_that_ends_in_a_bracketed_product_is_restated_as_written():
    # not multiplied out (2 \lambda w + 2 X^T X w - 2 X^T y): the author's own matrix form, decided
    text = ("---\nsymbols:\n  X: matrix S x M\n  y: vector S\n  w: vector M\n  lambda: positive scalar\n---\n\n"
            "$$\n2 \\sum_s (\\sum_k X_{s,k} w_k - y_s) X_{s,m} + 2 \\lambda w_m"
            " = 2 \\left[ \\left( X^T X + \\lambda I_M \\right) w - X^T y \\right]_m\n$$\n")
    (step,) = deriv.check_text(text).steps
    forms = [(s.latex, s.verdict) for s in step.suggestion if s.kind == "matrix-form"]
    assert step.verdict.value == "proved"
    assert forms == [(r"2 \left(\left(X^T X + \lambda I_{M}\right) w - X^T y\right)", PROVED)]


@pytest.mark.parametrize(("latex", "indices", "expected"), [
    (r"-\frac{1}{2} \left[ \left( \Sigma^{-1} + \Sigma^{-T} \right) r \right]_m", "m",
     r"-\frac{1}{2} \left(\Sigma^{-1} + \Sigma^{-T}\right) r"),
    (r"\left[ A - B \right]_{i,j}", "i,j", "A - B"),
    (r"3 \left[ A - B \right]_{i,j}", "i,j", r"3 \left(A - B\right)"),
    (r"\left[ A B \right]_{j,i}", "i,j", "B^T A^T"),            # the indices swapped: not as written
    (r"[(X^T)^{-1}]_{i,j}", "i,j", "X^{-T}"),                   # one matrix: the chains' reading
    (r"a_i \left[ A B \right]_{i,j}", "i,j", r"\operatorname{diag}(a) A B"),  # not a number times it: a diagonal
    (r"\sum_k [X^{-1}]_{i,k} a_k b_k", "i", r"X^{-1} \operatorname{diag}(a) b"),
    (r"a_i [X^{-1}]_{i,j} b_j", "i,j", r"\operatorname{diag}(a) X^{-1} \operatorname{diag}(b)"),
])
def test_an_entry_of_a_bracketed_expression(latex, indices, expected):
    form = matrix_form(latex, indices.split(","), CONTEXT)
    assert form is not None and form.latex == expected and form.verdict is PROVED


def test_a_wrong_bracketed_form_is_never_printed(monkeypatch):
    monkeypatch.setattr(matrix_form_module, "bracketed_form", lambda node, names: "A^T")
    form = matrix_form(r"\left[ A B \right]_{i,j}", ["i", "j"], CONTEXT)
    assert form is not None and form.latex == "A B"
