"""The Python API for new derivations: Derivation, assert_holds, and results drawn in notebooks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sympy
from sympy import Eq, IndexedBase, KroneckerDelta, MatrixSymbol, Sum, symbols

import deriv
from deriv.read.files import read_text_file
from deriv.render.html import render_fragment
from deriv.results import FileResult, StepResult, Verdict

REPO = Path(__file__).resolve().parents[1]
i, j, k, m, n, N, M, S = symbols("i j k m n N M S")


def test_a_derivation_from_latex_is_checked_as_its_document_would_be() -> None:
    d = deriv.Derivation(symbols={"X": "matrix S x M", "W": "matrix N x M", "g": "function"},
                         definitions=["Y = X W^T", "L = g(Y)"])
    d.chain(r"\frac{\partial Y_{i,j}}{\partial W_{m,n}}")
    d.then(r"\sum_k X_{i,k} \frac{\partial W_{j,k}}{\partial W_{m,n}}", because="definition of Y")
    d.then(r"X_{i,n} \delta_{j,m}", label="9")
    d.then(r"X_{i,n} \delta_{j,n}", expect_fail=True)
    result = d.check()
    assert isinstance(result, FileResult) and dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.path = "x"  # type: ignore[misc]
    assert [(s.label, s.verdict) for s in result.steps] == [
        (None, Verdict.PROVED), ("9", Verdict.PROVED), (None, Verdict.EXPECTED_FAIL)]
    assert result.steps[0].justification == "definition of Y"
    def timeless(steps):
        return [dataclasses.replace(s, seconds=0.0) for s in steps]

    assert timeless(deriv.check_text(d.to_markdown()).steps) == timeless(result.steps)  # the document's results
    with pytest.raises(ValueError, match="chain"):
        deriv.Derivation({"x": "scalar"}).then("x")


def test_members_and_definitions_may_be_sympy_expressions() -> None:
    X, x = IndexedBase("X"), IndexedBase("x")
    A = MatrixSymbol("A", N, N)
    d = deriv.Derivation({"A": "matrix N x N", "X": "matrix N x N", "x": "vector N", "lambda": "scalar"},
                         definitions=[Eq(IndexedBase("B")[i, j], A[j, i])])
    d.chain(Sum(KroneckerDelta(i, k) * A[k, j], (k, 0, N - 1)), A[i, j])  # MatrixSymbol entries
    d.chain(Sum(X[i, k] * x[k], (k, 0, N - 1)), Sum(x[j] * X[i, j], (j, 0, N - 1)))
    d.then(Sum(x[j] * X[j, i], (j, 0, N - 1)))  # wrong: the transpose
    d.chain(symbols("lambda") * IndexedBase("B")[i, j], symbols("lambda") * A[j, i])
    result = d.check()
    assert [s.verdict for s in result.steps] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED]
    assert result.steps[2].counterexample is not None
    assert r"\sum_{k=1}^{N} \delta_{i,k} A_{k,j} = A_{i,j}" in d.to_markdown()
    assert "B_{i,j} = A_{j,i}" in d.to_markdown() and r"\lambda A_{j,i}" in d.to_markdown()


def test_assumptions_reach_the_checker() -> None:
    d = deriv.Derivation({"y": "vector N", "x": "scalar"}, assumptions=[r"\sum_k y_k = 1"])
    d.chain(r"\sum_k y_k x", "x")
    assert d.check().steps[0].verdict in (Verdict.PROVED, Verdict.TESTED)
    bare = deriv.Derivation({"y": "vector N", "x": "scalar"})
    bare.chain(r"\sum_k y_k x", "x")
    assert bare.check().steps[0].verdict is Verdict.REFUTED


def test_assert_holds_returns_the_step_or_fails_with_the_cli_report() -> None:
    step = deriv.assert_holds(r"\sum_k A_{i,k} x_k", r"\sum_j x_j A_{i,j}", symbols={"A": "matrix N x N", "x": "vector N"})
    assert isinstance(step, StepResult) and step.verdict is Verdict.PROVED
    with pytest.raises(AssertionError) as failure:
        deriv.assert_holds(r"\sum_k \delta_{i,k} A_{j,k}", "A_{i,j}", symbols={"A": "matrix N x N"})
    lines = str(failure.value).splitlines()
    assert lines[0] == "<assert_holds>"
    assert lines[1].split() == ["refuted", "-", "line", "6", "the", "two", "sides", "differ"]
    assert lines[3].strip().startswith("counterexample: with N=2 at i=1, j=2")
    assert lines[-1] == "1 refuted (1 step, 1 file)"
    with pytest.raises(AssertionError, match="unknown name"):  # an error is no pass either
        deriv.assert_holds("Q_{i}", "Q_{i}", symbols={"x": "scalar"})


def test_results_draw_themselves_as_the_report_does() -> None:
    path = REPO / "derivations" / "chain_rule.md"
    result = deriv.check_file(path)
    html = result._repr_html_()
    assert html == render_fragment(result, read_text_file(path))  # the document's prose too
    assert "<math" in html and "chain rule" in html.lower() and "\u2713 proved" in html.replace(
        '<span class="symbol" aria-hidden="true">\u2713</span>', "\u2713")
    step_html = result.steps[0]._repr_html_()
    assert step_html == render_fragment(result.steps[0]) and "<math" in step_html
    run = deriv.check_paths([path])
    assert run._repr_html_() == render_fragment(run)
    d = deriv.Derivation({"x": "scalar"})
    d.chain("x + x", "2 x")
    assert "<math" in d._repr_html_() and d.check()._repr_html_()  # built in Python: drawn from its steps


def test_sympy_is_written_in_the_documents_dialect() -> None:
    from deriv.meaning.printing import to_deriv_latex

    x = IndexedBase("x")
    assert to_deriv_latex(Sum(x[k] + 1, (k, 0, N - 1))) == r"\sum_{k=1}^{N} \left(x_{k} + 1\right)"
    assert to_deriv_latex(KroneckerDelta(i, j) * symbols("lambda")) == r"\lambda \delta_{i,j}"
    assert to_deriv_latex(sympy.exp(x[i])) == "e^{x_{i}}"


def test_decide_names_a_scalar_missing_from_symbols() -> None:
    """A plain symbol that is neither declared, a size nor an index (an integer symbol) is the
    caller's mistake, said as such -- not a KeyError from deep inside the tester."""
    x, y = symbols("x y")
    with pytest.raises(deriv.DerivError, match="unknown name y: pass it in symbols"):
        deriv.decide(x + y, y + x, {"x": "scalar"})
    assert deriv.decide(x + y, y + x, {"x": "scalar", "y": "scalar"}).verdict is Verdict.PROVED


def test_decide_beside_an_array_too_large_to_draw_decides_on_the_arrays_it_writes() -> None:
    """As the checker does (docs/safety.md): ``a + b = b + a`` beside ``W: matrix 784 x 784`` was undecided."""
    a, b = sympy.symbols("a b")
    big = {"a": "scalar", "b": "scalar", "W": "matrix 784 x 784"}
    assert deriv.decide(a + b, b + a, big).verdict.value == "proved"
    assert deriv.decide(a * b, b + a, big).verdict.value == "refuted"
    w, i, j = sympy.IndexedBase("W"), sympy.Symbol("i", integer=True), sympy.Symbol("j", integer=True)
    assert deriv.decide(w[i, j], w[i, j] + 0 * a, big).verdict.value == "undecided"
